"""`mixity validate` and `mixity info` through the real CLI: exit codes, stdout, stderr."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph

from mixity.cli import main

PREFIXES = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ext: <https://example.org/ext/> .
"""

MEETING = "<https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06>"
SOURCE = "<https://w3id.org/mixity/id/source/les-habiles-vivre-et-gerer-la-mixite-sociale>"

# A lever with a label in both languages and evidence, but no actor type.
LEVER_WITHOUT_ACTOR = (
    PREFIXES
    + f"""
ext:lever-sans-acteur a mix:Lever ;
    rdfs:label "Un levier sans acteur"@fr, "A lever with no actor"@en ;
    mix:proposedAt {MEETING} ;
    mix:evidence [ a oa:SpecificResource ;
        oa:hasSource {SOURCE} ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "quelques leviers" ] ] .
"""
)

QUESTION_WITHOUT_EVIDENCE = (
    PREFIXES
    + f"""
ext:question-sans-preuve a mix:Question ;
    rdfs:label "Une question sans citation ?"@fr, "A question with no quote?"@en ;
    mix:raisedAt {MEETING} .
"""
)


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_bundled_graph_conforms(runner: CliRunner) -> None:
    code, out, err = run(runner, "validate")
    assert code == 0, out
    assert out == "The graph conforms to the mixity shapes.\n"
    assert "Checking" in err


def test_lever_without_actor_is_reported_with_its_file(runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "my-ext.ttl"
    ext.write_text(LEVER_WITHOUT_ACTOR, encoding="utf-8")
    before = ext.read_bytes()
    code, out, _ = run(runner, "validate", str(ext))
    assert code == 0  # a lever that names no actor type is a warning (issue 10)
    assert "Warning [mix:involves]" in out
    assert "Un levier sans acteur" in out
    assert "https://example.org/ext/lever-sans-acteur" in out
    assert "my-ext.ttl" in out
    assert "mix:involves" in out
    assert ext.read_bytes() == before


def test_question_without_evidence_json_report(runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "q.ttl"
    ext.write_text(QUESTION_WITHOUT_EVIDENCE, encoding="utf-8")
    code, out, _ = run(runner, "validate", "-g", str(ext), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["conforms"] is False
    problems = [f for f in report["findings"] if f["focus"].endswith("question-sans-preuve>")]
    assert problems, report
    assert any(f["path"] == "mix:evidence" for f in problems)
    assert all(f["origin"] == str(ext) for f in problems)


def test_turtle_report_is_real_shacl(runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "q.ttl"
    ext.write_text(QUESTION_WITHOUT_EVIDENCE, encoding="utf-8")
    code, out, _ = run(runner, "validate", str(ext), "--format", "turtle")
    assert code == 1
    report = Graph().parse(data=out, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    assert any(str(o) == f"{sh}ValidationResult" for o in report.objects())


def test_turtle_report_is_byte_stable(runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "q.ttl"
    ext.write_text(QUESTION_WITHOUT_EVIDENCE, encoding="utf-8")
    first = run(runner, "validate", str(ext), "--format", "turtle")[1]
    second = run(runner, "validate", str(ext), "--format", "turtle")[1]
    assert first == second  # blank nodes named by content, triples sorted
    head = [line for line in first.splitlines() if line.startswith("@prefix")]
    assert head == sorted(head) and "@prefix sh: <http://www.w3.org/ns/shacl#> ." in head


def test_syntax_error_is_one_line_with_position(runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "broken.ttl"
    ext.write_text("@prefix ex: <urn:x:> .\nex:a ex:b\n", encoding="utf-8")
    code, out, err = run(runner, "validate", "-g", str(ext))
    assert code == 1
    assert out == ""
    assert err.startswith(f"mixity: error: {ext}:2:10: ")
    assert err.count("\n") == 1


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = run(runner, "info", "-g", str(tmp_path / "missing.ttl"))
    assert (code, out) == (1, "")
    assert err == f"mixity: error: {tmp_path / 'missing.ttl'}: no such file or directory\n"


def test_usage_error_exits_2(runner: CliRunner) -> None:
    code, _, err = run(runner, "validate", "--format", "yaml")
    assert code == 2
    assert "'yaml' is not one of" in err


def test_info_counts_match_the_graph(runner: CliRunner, bundled: object) -> None:
    code, out, _ = run(runner, "info", "--json")
    assert code == 0
    info = json.loads(out)
    from mixity.graph.io.loader import LoadedGraph

    assert isinstance(bundled, LoadedGraph)
    assert info["triples"] == len(bundled.graph)
    assert info["classes"]["mix:Meeting"] == 1
    assert len(info["sources"]) == 2
    assert {f["path"] for f in info["files"]} == {f.path for f in bundled.files}


def test_info_no_bundled_with_extension(runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text(QUESTION_WITHOUT_EVIDENCE, encoding="utf-8")
    code, out, _ = run(runner, "info", "--no-bundled", "-g", str(ext))
    assert code == 0
    assert out.startswith("mixity 0.2.0: 4 triples")
    assert "mix:Question" in out


def test_help_and_version(runner: CliRunner) -> None:
    code, out, _ = run(runner, "--help")
    assert code == 0
    assert "Exit codes" in out
    for command in ("info", "validate"):
        assert command in out
    code, out, _ = run(runner, "--version")
    assert (code, out) == (0, "mixity, version 0.2.0\n")


def test_example_extension_conforms_and_adds_its_class(runner: CliRunner) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "extension.ttl"
    code, out, _ = run(runner, "validate", str(example))
    assert (code, out) == (0, "The graph conforms to the mixity shapes.\n")
    code, out, _ = run(runner, "info", "-g", str(example), "--json")
    assert json.loads(out)["classes"]["<https://example.org/my-research/PublicActorType>"] == 4

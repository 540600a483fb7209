"""`mixity lint` on the command line (exit codes, text and JSON, bad input), and the two checks
that run Java: the OWL API's OWL 2 DL profile checker and HermiT (real, not mocked; in CI they
must run, so a missing Java or libowlapi-java fails there instead of skipping)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from mixity.cli import main
from mixity.graph.lint import lint
from mixity.graph.lint.context import Context
from mixity.graph.lint.profile import ProfileUnavailable, classpath
from tests.conftest import IN_CI
from tests.test_lint import GOOD, PREFIXES, header, term

QUESTION = "<https://w3id.org/mixity/id/question/definir-mixite>"


def _write(folder: Path, text: str, name: str = "ext.ttl") -> Path:
    path = folder / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}: CI must run this test (scripts/test installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def owlapi() -> None:
    """Java, javac and Debian's libowlapi-java, or a skip (a failure in CI)."""
    try:
        classpath()
    except ProfileUnavailable as why:
        _missing(str(why))
    if shutil.which("javac") is None:
        _missing("no javac to build the profile checker")


@pytest.fixture(scope="module")
def hermit() -> None:
    """owlready2 (HermiT) and Java, or a skip (a failure in CI)."""
    try:
        import owlready2  # noqa: F401
    except ImportError:
        _missing("owlready2 is not installed (mixity[reasoner])")
    if shutil.which("java") is None:
        _missing("no Java for HermiT")


# --- the command line ---------------------------------------------------------------------


def test_help_teaches_the_checks_levels_and_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(main, ["lint", "--help"])
    assert result.exit_code == 0
    for words in ("robot:missing_label", "oops:P11", "Levels:", "Exit code 0", "2 for a usage"):
        assert words in result.output


def test_json_output_parses(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, header(without=("title",)) + "mix:involves rdfs:domain mix:Lever .\n")
    result = runner.invoke(main, ["lint", str(path), "--format", "json", "--no-profile"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    checks = sorted(f["check"] for f in data["findings"])
    assert checks == ["mixity:base-domain", "robot:missing_ontology_title"]
    assert set(data["findings"][0]) == {
        "check",
        "level",
        "subject",
        "file",
        "line",
        "message",
        "fix",
    }
    assert data["counts"] == {"error": 2, "warning": 0, "info": 0}
    assert data["relative"] is True and data["files"] == [str(path)]
    assert "2 errors" in result.stderr


def test_text_output_names_file_line_level_check_and_fix(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "mix:involves rdfs:domain ext:Seminar .\n")
    result = runner.invoke(main, ["lint", str(path), "--no-profile"])
    assert result.exit_code == 1
    first, fix = result.stdout.splitlines()
    line = len((PREFIXES + GOOD).splitlines()) + 1
    assert first.startswith(f"{path}:{line}: error [mixity:base-domain] mix:involves rdfs:domain")
    assert fix.startswith("    fix: ")


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ([], 0),
        (["--fail-on", "error"], 0),
        (["--fail-on", "warning"], 1),
        (["--fail-on", "info"], 1),
    ],
)
def test_fail_on_sets_the_exit_code(
    runner: CliRunner, tmp_path: Path, options: list[str], code: int
) -> None:
    # only a warning (no date in the header)
    path = _write(tmp_path, header(without=("date",)))
    result = runner.invoke(main, ["lint", str(path), "--no-profile", *options])
    assert result.exit_code == code, result.output
    assert "[foops:OM1]" in result.stdout


def test_fail_on_info(runner: CliRunner, tmp_path: Path) -> None:
    # without the OWL API the profile check leaves an info note, which fails only at info
    path = _write(tmp_path, GOOD)
    env = {"MIXITY_JAVA_LIBRARIES": str(tmp_path)}
    result = runner.invoke(main, ["lint", str(path)], env=env)
    assert result.exit_code == 0
    assert "info [mixity:profile-unavailable]" in result.stdout
    assert "libowlapi-java" in result.stdout
    result = runner.invoke(main, ["lint", str(path), "--fail-on", "info"], env=env)
    assert result.exit_code == 1


def test_malformed_turtle_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(PREFIXES + "ext:a ext:b ext:c ;\n    ext:d .\n", encoding="utf-8")
    result = runner.invoke(main, ["lint", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"mixity: error: {path}:{len(PREFIXES.splitlines()) + 2}:")


@pytest.mark.parametrize("name", ["missing.ttl", "notes.txt"])
def test_missing_or_unknown_files_are_one_line(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    if name.endswith(".txt"):
        (tmp_path / name).write_text("hello", encoding="utf-8")
    result = runner.invoke(main, ["lint", str(tmp_path / name)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "mixity: error:" in result.stderr


def test_a_bad_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["lint", "--fail-on", "sometimes"])
    assert result.exit_code == 2


def test_a_folder_is_linted_as_one_extension(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.ttl")
    _write(tmp_path, "mix:Lever rdfs:subClassOf ext:Seminar .\n", "b.ttl")
    result = runner.invoke(main, ["lint", "-g", str(tmp_path), "--no-profile", "--format", "json"])
    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    assert [(f["check"], Path(f["file"]).name) for f in found] == [
        ("mixity:base-superclass", "b.ttl")
    ]


# --- the OWL 2 DL profile (the OWL API, Java) -----------------------------------------------


@pytest.mark.slow
def test_the_bundled_ontology_is_owl2_dl_and_clean(runner: CliRunner, owlapi: None) -> None:
    result = runner.invoke(main, ["lint", "--fail-on", "info"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 errors, 0 warnings, 0 info in the bundled ontology" in result.stderr


@pytest.mark.slow
def test_the_profile_checker_reports_what_the_extension_breaks(
    tmp_path: Path, owlapi: None
) -> None:
    bad = GOOD + 'ext:s1 a ext:Seminar ; ext:undeclared "x" .\next:s2 ext:undeclared "y" .\n'
    path = _write(tmp_path, bad)
    found = [f for f in lint([path]).findings if f.check.startswith("owl2dl:")]
    # one finding for the term, however many axioms use it
    assert [f.check for f in found] == ["owl2dl:UseOfUndeclaredAnnotationProperty"]
    assert "ext:undeclared" in found[0].message
    assert found[0].subject == "https://w3id.org/mixity-test/ext#undeclared"
    assert found[0].file == str(path)
    assert found[0].line == len((PREFIXES + bad).splitlines()) - 1


@pytest.mark.slow
def test_the_profile_checker_sees_one_ill_typed_value_among_many(
    tmp_path: Path, owlapi: None
) -> None:
    # the OWL API is given one assertion of each shape, and every ill-typed literal
    count = term(
        "count", "owl:DatatypeProperty", "rdfs:domain ext:Seminar ; rdfs:range xsd:integer"
    )
    values = "".join(f'ext:s{i} ext:count "{i}"^^xsd:integer .\n' for i in range(20))
    text = GOOD + count + values + 'ext:s99 ext:count "many"^^xsd:integer .\n'
    path = _write(tmp_path, text)
    from mixity.graph.io.loader import read_triples
    from mixity.graph.lint.profile import ProfileRun

    with ProfileRun(read_triples().triples) as run:
        base, found = run.violations(read_triples([path], bundled=False).triples)
    before = {v.key() for v in base}
    assert [v.kind for v in found if v.key() not in before] == ["LexicalNotInLexicalSpace"]
    # lint reports it once, with or without Java: as its own check, at its line
    findings = lint([path]).findings
    assert [f.check for f in findings] == ["mixity:ill-typed-literal"]
    assert findings[0].line == len((PREFIXES + text).splitlines())
    assert '"many"^^xsd:integer' in findings[0].message
    assert '"12"^^xsd:integer' in findings[0].fix


@pytest.mark.slow
def test_the_profile_checker_passes_what_the_bundled_data_does_too(
    tmp_path: Path, owlapi: None
) -> None:
    # xsd:date is outside OWL 2 DL; the bundled data's events use it as MODEL.md says, so an
    # extension that does the same is not blamed for it
    text = GOOD + 'ext:s1 a ext:Seminar ; schema:startDate "2025-01-01"^^xsd:date .\n'
    assert lint([_write(tmp_path, text)]).findings == []


@pytest.mark.slow
def test_the_profile_violations_of_the_base_are_not_the_extensions(owlapi: None) -> None:
    from mixity.graph.io.terms import triples_from_rdflib
    from mixity.graph.lint.profile import ProfileRun, check_profile

    base = Graph().parse(data=PREFIXES + 'ext:b ext:baseOnly "x" .\n', format="turtle")
    extension = Graph().parse(data=PREFIXES + 'ext:e ext:extOnly "x" .\n', format="turtle")
    ctx = Context(base, extension)
    with ProfileRun(triples_from_rdflib(base)) as run:
        check_profile(ctx, run, triples_from_rdflib(extension))
    assert [f.subject for f in ctx.findings] == ["https://w3id.org/mixity-test/ext#extOnly"]


@pytest.mark.slow
def test_a_broken_file_stops_the_profile_checker_and_leaves_no_file(
    tmp_path: Path, owlapi: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the JVM is started before the files are read; a file that does not parse stops it
    import tempfile

    from mixity.errors import ParseError

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(ParseError):
        lint([_write(tmp_path, GOOD + "ext:broken ext:p .\n")])
    assert list(scratch.iterdir()) == []


def test_profile_run_without_java_reports_it_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mixity.graph.lint.profile import ProfileRun

    monkeypatch.setenv("PATH", str(tmp_path))  # no java on PATH
    with ProfileRun([]) as run, pytest.raises(ProfileUnavailable, match="no Java"):
        run.violations([])
    assert not run.work.exists()


@pytest.mark.slow
def test_the_profile_checker_needs_no_writable_cache(
    tmp_path: Path, owlapi: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file where the cache folder should be: the checker is built in the temporary folder
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("MIXITY_CACHE_DIR", str(blocked))
    text = GOOD + 'ext:s1 a ext:Seminar ; ext:undeclared "x" .\n'
    found = [f.check for f in lint([_write(tmp_path, text)]).findings]
    assert "owl2dl:UseOfUndeclaredAnnotationProperty" in found
    assert "mixity:profile-failed" not in found


@pytest.mark.slow
def test_a_misspelt_term_of_a_vocabulary_is_not_to_be_declared(
    tmp_path: Path, owlapi: None
) -> None:
    text = GOOD + 'ext:s1 a ext:Seminar ; schema:startDat "2019-11-06" .\n'
    found = [f for f in lint([_write(tmp_path, text)]).findings if f.check.startswith("owl2dl:")]
    assert [f.check for f in found] == ["owl2dl:UseOfUndeclaredAnnotationProperty"]
    assert found[0].fix.startswith("check the spelling: https://schema.org/ defines no ")


@pytest.mark.slow
def test_ill_typed_values_rdflib_does_not_check_are_left_to_the_owl_api(
    tmp_path: Path, owlapi: None
) -> None:
    count = term(
        "code", "owl:DatatypeProperty", "rdfs:domain ext:Seminar ; rdfs:range xsd:language"
    )
    text = GOOD + count + 'ext:s1 a ext:Seminar ; ext:code "a b"^^xsd:language .\n'
    found = [f.check for f in lint([_write(tmp_path, text)]).findings]
    assert found == ["owl2dl:LexicalNotInLexicalSpace"]


def test_n3_rules_are_linted_without_their_formulas(tmp_path: Path) -> None:
    path = tmp_path / "rules.n3"
    path.write_text(
        PREFIXES + GOOD + "{ ?x a ext:Seminar } => { ?x a schema:Event } .\n", encoding="utf-8"
    )
    # read, not refused; N3's own log:implies is no term of the extension's vocabularies
    found = lint([path], profile=False).findings
    assert [(f.check, f.subject) for f in found] == [
        ("oops:P35", "http://www.w3.org/2000/10/swap/log#implies")
    ]


def test_rdf_1_2_annotations_are_refused_at_their_place(tmp_path: Path) -> None:
    from mixity.errors import ParseError

    path = tmp_path / "annotated.ttl"
    path.write_text(
        'VERSION "1.2"\n@prefix ex: <https://example.org/> .\n'
        "ex:a ex:b ex:c {| ex:source ex:d |} .\n",
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as caught:
        lint([path], profile=False)
    assert (caught.value.line, caught.value.column) == (3, 16)
    assert "RDF 1.2" in str(caught.value)


# --- HermiT (owlready2, Java) ---------------------------------------------------------------


@pytest.mark.slow
def test_hermit_finds_the_good_extension_consistent(tmp_path: Path, hermit: None) -> None:
    report = lint([_write(tmp_path, GOOD)], reasoner=True, profile=False)
    assert report.findings == []


@pytest.mark.slow
def test_hermit_reports_an_unsatisfiable_class(tmp_path: Path, hermit: None) -> None:
    text = GOOD + "ext:Seminar rdfs:subClassOf mix:Question , mix:Lever .\n"
    found = lint([_write(tmp_path, text)], reasoner=True, profile=False).findings
    unsatisfiable = [f for f in found if f.check == "mixity:unsatisfiable"]
    assert [f.subject for f in unsatisfiable] == ["https://w3id.org/mixity-test/ext#Seminar"]
    assert unsatisfiable[0].level == "error"


@pytest.mark.slow
def test_hermit_reports_an_inconsistency_with_the_bundled_data(
    tmp_path: Path, hermit: None
) -> None:
    # a question of the bundled data made a lever: IBIS keeps issues and positions disjoint
    found = lint(
        [_write(tmp_path, GOOD + f"{QUESTION} a mix:Lever .\n")], reasoner=True, profile=False
    ).findings
    assert [f.check for f in found] == ["mixity:inconsistent"]


def test_a_reasoner_that_cannot_run_is_a_finding(
    runner: CliRunner, tmp_path: Path, hermit: None
) -> None:
    # no Java on PATH: HermiT cannot start; the user reads an error finding, not a traceback
    path = _write(tmp_path, GOOD)
    result = runner.invoke(
        main, ["lint", str(path), "--reasoner", "--no-profile"], env={"PATH": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert "error [mixity:reasoner-failed]" in result.stdout
    assert "Traceback" not in result.output

"""Quotes checked against their source texts: `mixity validate --sources` and `mixity quote`,
on crafted sources with accents, typographic apostrophes, non-breaking spaces and repeats."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from mixity.cli import main
from mixity.graph.model.quotes import (
    PassageNotFound,
    SourceText,
    check,
    cite,
    closest,
    fold,
    read_source,
    read_sources,
)

# A source with the features French typography gives quotes: accents, ’ and ', non-breaking
# spaces before « : ? », a narrow no-break space, a repeated title, line breaks.
TEXT = (
    "Vivre et gérer la mixité sociale\n"
    "\n"
    "L’impératif de mixité sociale sous-tend aujourd’hui de nombreux programmes.\n"
    "Une journée sur le thème «\u00a0Vivre et gérer la mixité sociale\u00a0» a eu lieu.\n"
    "Quel est le sens d'une politique de mixité\u202f?\n"
    "Deux ateliers donnent plus particulièrment du grain à moudre.\n"
)
SOURCE_IRI = "https://example.org/source/crafted"


def _source(tmp_path: Path, text: str = TEXT, name: str = "crafted.txt") -> Path:
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _extension(tmp_path: Path, source: Path, selectors: str, checksum: str | None = None) -> Path:
    """A researcher's extension: one source document (by checksum) and a person quoted in it."""
    digest = checksum or hashlib.sha256(source.read_bytes()).hexdigest()
    ext = tmp_path / "ext.ttl"
    ext.write_text(
        f"""@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix ex: <https://example.org/> .

<{SOURCE_IRI}> a mix:SourceDocument ;
    rdfs:label "Source fabriquée"@fr , "Crafted source"@en ;
    dcterms:title "Vivre et gérer la mixité sociale"@fr ;
    dcterms:identifier "{source.stem}" ;
    spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;
        spdx:checksumValue "{digest}" ] .

ex:quote a oa:SpecificResource ;
    oa:hasSource <{SOURCE_IRI}> ;
    oa:hasSelector {selectors} .
""",
        encoding="utf-8",
    )
    return ext


def _validate(runner: CliRunner, ext: Path, folder: Path) -> tuple[int, list[dict[str, str]]]:
    result = runner.invoke(
        main, ["validate", str(ext), "--sources", str(folder), "--format", "json"]
    )
    assert "Traceback" not in result.output, result.output
    findings = json.loads(result.stdout)["findings"]
    # the bundled sources' texts are not in the crafted folder: their warnings are left out
    return result.exit_code, [
        f for f in findings if f["shape"] == "quote check" and f["origin"] == str(ext)
    ]


# --- comparison rules ---------------------------------------------------------------------


def _text(tmp_path: Path) -> SourceText:
    return read_source(_source(tmp_path))


def test_fold_rules() -> None:
    assert fold("a \u00a0\n\t b") == "a b"
    assert fold("l’impératif l'impératif lʼimpératif") == "l'impératif l'impératif l'impératif"
    # NFC: a decomposed é is the same letter
    assert fold("me\u0301lange") == fold("mélange")
    # nothing else is folded: quotation marks, ellipses, case
    assert fold("« … »") == "« … »" and fold("...") == "..."
    assert fold("Mixité") != fold("mixité")


@pytest.mark.parametrize(
    "quote",
    [
        "L’impératif de mixité sociale sous-tend aujourd’hui",
        "sens d'une politique de mixité\u202f?",
        "thème «\u00a0Vivre et gérer la mixité sociale\u00a0» a eu lieu",
        "particulièrment du grain",  # the source's typo, kept verbatim
    ],
)
def test_verbatim_quotes_pass(tmp_path: Path, quote: str) -> None:
    result = check(_text(tmp_path), quote)
    assert result.problem is None
    assert len(result.matches) == 1 and result.matches[0].verbatim


@pytest.mark.parametrize(
    "quote",
    [
        "L'impératif de mixité sociale sous-tend aujourd'hui",  # straight apostrophes
        "sens d’une politique de mixité ?",  # ’ and an ordinary space for U+202F
        "thème « Vivre et gérer la mixité sociale » a eu lieu",  # spaces for U+00A0
        "programmes. Une journée",  # a line break quoted as a space
    ],
)
def test_normalised_quotes_are_a_warning_with_the_verbatim_text(tmp_path: Path, quote: str) -> None:
    source = _text(tmp_path)
    result = check(source, quote)
    assert result.severity == "Warning"
    assert result.problem is not None and "verbatim text is «" in result.problem
    match = result.matches[0]
    assert fold(source.text[match.start : match.end]) == fold(quote)


@pytest.mark.parametrize(
    ("quote", "closest_words"),
    [
        ("L’impératif de mixité sociale sous-tend hier", "sous-tend aujourd’hui"),  # changed word
        ("L’imperatif de mixité sociale", "L’impératif de mixité sociale"),  # a lost accent
        ("Deux ateliers donnent plus particulièrement", "particulièrment"),  # corrected typo
        ("vivre et gérer la mixité sociale", "Vivre et gérer"),  # case
        ("thème «Vivre et gérer", "thème «\u00a0Vivre"),  # a space removed is not a space
        ("Quel est le sens d'une politique de mixité...", "sens d'une politique de mixité"),
    ],
)
def test_a_changed_quote_fails_with_the_closest_passage(
    tmp_path: Path, quote: str, closest_words: str
) -> None:
    result = check(_text(tmp_path), quote)
    assert result.severity == "Violation"
    assert result.problem is not None and result.problem.startswith("quote not found")
    assert closest_words in result.problem


def test_closest_passage_and_its_line(tmp_path: Path) -> None:
    passage, line = closest(_text(tmp_path), "Deux ateliers donnent plus particulièrement")
    assert passage.startswith("Deux ateliers donnent plus particulièrment")
    assert line == 6


def test_a_repeated_quote_needs_a_prefix_or_suffix(tmp_path: Path) -> None:
    source = _text(tmp_path)
    result = check(source, "Vivre et gérer la mixité sociale")
    assert result.severity == "Violation"
    assert result.problem is not None and "2 places" in result.problem
    assert "lines 1, 4" in result.problem
    assert (
        check(source, "Vivre et gérer la mixité sociale", suffix="\n\nL’impératif").problem is None
    )
    assert check(source, "Vivre et gérer la mixité sociale", prefix="«\u00a0").problem is None
    # a suffix that surrounds neither place
    wrong = check(source, "Vivre et gérer la mixité sociale", suffix=" et la suite")
    assert wrong.severity == "Violation" and "oa:suffix does not surround" in (wrong.problem or "")


def test_positions_are_checked(tmp_path: Path) -> None:
    source = _text(tmp_path)
    quote = "Vivre et gérer la mixité sociale"
    second = source.text.index(quote, 1)
    assert check(source, quote, position=(second, second + len(quote))).problem is None
    off = check(source, quote, position=(second + 1, second + 1 + len(quote)))
    assert off.severity == "Violation" and "do not select the quote" in (off.problem or "")
    outside = check(source, quote, position=(0, 10_000))
    assert outside.severity == "Violation" and "outside" in (outside.problem or "")


def test_sources_are_found_by_checksum_not_name(tmp_path: Path) -> None:
    path = _source(tmp_path, name="any-name.txt")
    (path.parent / "latin1.txt").write_bytes("mixit\xe9".encode("latin-1"))
    found = read_sources(path.parent)
    assert list(found) == [hashlib.sha256(TEXT.encode("utf-8")).hexdigest()]


# --- cite and `mixity quote` ----------------------------------------------------------------


def test_cite_refuses_what_is_not_there_or_is_there_twice(tmp_path: Path) -> None:
    source = _text(tmp_path)
    with pytest.raises(PassageNotFound, match=r"closest passage .*:3"):
        cite(source, "L’impératif de mixité sociale sous-tend hier")
    with pytest.raises(PassageNotFound, match=r"2 times \(lines 1, 4\).*--occurrence"):
        cite(source, "Vivre et gérer la mixité sociale")
    with pytest.raises(PassageNotFound, match="no occurrence 3"):
        cite(source, "Vivre et gérer la mixité sociale", occurrence=3)
    second = cite(source, "Vivre et gérer la mixité sociale", occurrence=2)
    assert second.line == 4 and second.prefix.endswith("«\u00a0")
    assert check(source, second.exact, second.prefix, second.suffix).problem is None


def test_cite_quotes_the_source_verbatim(tmp_path: Path) -> None:
    source = _text(tmp_path)
    citation = cite(source, "L'impératif de mixité sociale sous-tend aujourd'hui")
    assert citation.exact == "L’impératif de mixité sociale sous-tend aujourd’hui"
    assert source.text[citation.start : citation.end] == citation.exact
    assert citation.prefix == "\n\n" or citation.prefix.endswith("\n")
    assert citation.suffix.startswith(" de nombreux")


def test_quote_command_prints_turtle_that_validates(runner: CliRunner, tmp_path: Path) -> None:
    path = _source(tmp_path)
    declared = _extension(tmp_path, path, '[ a oa:TextQuoteSelector ; oa:exact "Deux ateliers" ]')
    result = runner.invoke(
        main,
        ["quote", str(path), "thème « Vivre et gérer", "-g", str(declared)],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    evidence = Graph().parse(data=result.stdout, format="turtle")
    oa = "http://www.w3.org/ns/oa#"
    (node,) = set(evidence.subjects(URIRef(oa + "hasSource"), URIRef(SOURCE_IRI)))
    assert str(node) == SOURCE_IRI + "/evidence/theme-vivre-et-gerer"
    exact = next(evidence.objects(None, URIRef(oa + "exact")))
    assert str(exact) == "thème «\u00a0Vivre et gérer"  # the source's non-breaking space
    assert "\\u00A0" in result.stdout  # and it is visible in the Turtle
    starts = [int(s) for s in evidence.objects(None, URIRef(oa + "start"))]
    assert starts == [TEXT.index("thème")]
    # pasted into an extension, it validates and its quote checks out
    pasted = tmp_path / "pasted.ttl"
    person = (
        "\n@prefix ex: <https://example.org/> .\n@prefix mix: <https://w3id.org/mixity/ontology#> ."
        "\n@prefix schema: <https://schema.org/> .\n@prefix rdfs: "
        "<http://www.w3.org/2000/01/rdf-schema#> .\nex:p a schema:Person ; "
        f'rdfs:label "P"@fr , "P"@en ; mix:evidence <{node}> .\n'
    )
    pasted.write_text(result.stdout + person, encoding="utf-8")
    check_run = runner.invoke(
        main,
        ["validate", str(declared), str(pasted), "--sources", str(path.parent), "--no-bundled"],
    )
    assert check_run.exit_code == 0, check_run.stdout
    assert check_run.stdout == "The graph conforms to the mixity shapes.\n"


def test_quote_command_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    path = _source(tmp_path)
    missing = runner.invoke(main, ["quote", str(path), "une phrase absente du texte"])
    assert missing.exit_code == 1 and missing.stdout == ""
    assert missing.stderr.startswith("mixity: error: passage not found in crafted.txt")
    assert missing.stderr.count("\n") == 1
    twice = runner.invoke(main, ["quote", str(path), "Vivre et gérer la mixité sociale"])
    assert twice.exit_code == 1 and "--occurrence" in twice.stderr
    assert twice.stderr.count("\n") == 1
    unknown = runner.invoke(main, ["quote", str(path), "Deux ateliers"])
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert "no loaded mix:SourceDocument" in unknown.stderr and "--source" in unknown.stderr
    named = runner.invoke(main, ["quote", str(path), "Deux ateliers", "--source", SOURCE_IRI])
    assert named.exit_code == 0
    assert "spdx:checksumValue" in named.stdout  # the checksum to declare comes with it
    usage = runner.invoke(main, ["quote", str(tmp_path / "nope.txt"), "x"])
    assert usage.exit_code == 2
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    bad = runner.invoke(main, ["quote", str(binary), "x"])
    assert bad.exit_code == 1 and "not UTF-8" in bad.stderr and bad.stderr.count("\n") == 1


# --- `mixity validate --sources` --------------------------------------------------------------


def test_validate_sources_passes_a_verbatim_quote(runner: CliRunner, tmp_path: Path) -> None:
    path = _source(tmp_path)
    ext = _extension(tmp_path, path, '[ a oa:TextQuoteSelector ; oa:exact "Deux ateliers" ]')
    code, problems = _validate(runner, ext, path.parent)
    assert (code, problems) == (0, [])


def test_validate_sources_reports_a_made_up_quote(runner: CliRunner, tmp_path: Path) -> None:
    path = _source(tmp_path)
    ext = _extension(
        tmp_path,
        path,
        '[ a oa:TextQuoteSelector ;\n        oa:exact "Deux ateliers donnent beaucoup de grain" ]',
    )
    code, problems = _validate(runner, ext, path.parent)
    assert code == 1
    (problem,) = problems
    assert problem["severity"] == "Violation" and problem["focus"] == "<https://example.org/quote>"
    assert "closest passage (crafted.txt:6): «Deux ateliers donnent" in problem["message"]
    assert problem["origin"] == str(ext) and problem["line"] == 19  # the oa:exact line
    text = runner.invoke(main, ["validate", str(ext), "--sources", str(path.parent)])
    assert f"({ext}:19)" in text.stdout


def test_validate_sources_reports_a_repeated_quote(runner: CliRunner, tmp_path: Path) -> None:
    path = _source(tmp_path)
    ext = _extension(
        tmp_path, path, '[ a oa:TextQuoteSelector ; oa:exact "Vivre et gérer la mixité sociale" ]'
    )
    code, problems = _validate(runner, ext, path.parent)
    assert code == 1 and "matches 2 places" in problems[0]["message"]
    fixed = _extension(
        tmp_path,
        path,
        '[ a oa:TextQuoteSelector ; oa:exact "Vivre et gérer la mixité sociale" ; '
        'oa:prefix "thème «\\u00A0" ]',
    )
    assert _validate(runner, fixed, path.parent) == (0, [])


def test_validate_sources_warns_on_a_normalised_quote(runner: CliRunner, tmp_path: Path) -> None:
    path = _source(tmp_path)
    ext = _extension(
        tmp_path, path, '[ a oa:TextQuoteSelector ; oa:exact "L\'impératif de mixité" ]'
    )
    code, problems = _validate(runner, ext, path.parent)
    assert code == 0  # a warning does not fail
    assert [p["severity"] for p in problems] == ["Warning"]
    assert "L’impératif de mixité" in problems[0]["message"]


def test_validate_sources_checks_positions(runner: CliRunner, tmp_path: Path) -> None:
    path = _source(tmp_path)
    start = TEXT.index("Deux")
    good = (
        '[ a oa:TextQuoteSelector ; oa:exact "Deux ateliers" ] , '
        f"[ a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + 13} ]"
    )
    assert _validate(runner, _extension(tmp_path, path, good), path.parent) == (0, [])
    bad = good.replace(f"oa:end {start + 13}", f"oa:end {start + 14}")
    code, problems = _validate(runner, _extension(tmp_path, path, bad), path.parent)
    assert code == 1 and "do not select the quote" in problems[0]["message"]


def test_validate_sources_changed_text_and_unknown_checksum(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _source(tmp_path)
    selector = '[ a oa:TextQuoteSelector ; oa:exact "Deux ateliers" ]'
    changed = _extension(tmp_path, path, selector, checksum="0" * 64)
    code, problems = _validate(runner, changed, path.parent)
    assert code == 1 and "the text or the checksum changed" in problems[0]["message"]
    other = tmp_path / "other"
    other.mkdir()
    code, problems = _validate(runner, _extension(tmp_path, path, selector), other)
    assert code == 0 and problems[0]["severity"] == "Warning"
    assert "its quotes are not checked" in problems[0]["message"]


def test_validate_sources_missing_folder_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", "--sources", str(tmp_path / "nope")])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"mixity: error: {tmp_path / 'nope'}: no such folder"

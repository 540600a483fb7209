"""REFI-QDA: `mixity export --format qdpx|qdc` and `mixity import FILE.qdpx`.

Every export is validated against the standard's own schemas (QDA-XML 1.0 `Project.xsd` and
`Codebook.xsd`, MIT) with lxml and read back by two independent readers, pyrefiqda and pyqdpx;
every import is checked by `mixity validate --sources` and exported again (round trip).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from mixity.cli import main
from mixity.errors import MixityError
from mixity.graph.exchange.qdpx import export_codebook, export_project
from mixity.graph.exchange.qdpx_import import import_project
from mixity.graph.io.loader import LoadedGraph, load, parse_file
from mixity.graph.model.validate import validate

HERE = Path(__file__).parent / "exchange"
MINI = HERE / "mini.ttl"
TEXTS = HERE / "texts"
NS = {"q": "urn:QDA-XML:project:1.0"}
OA = "http://www.w3.org/ns/oa#"


def schema(name: str) -> etree.XMLSchema:
    data = files("mixity.graph.exchange").joinpath("schemas", name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data))


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def mini() -> Graph:
    return load([MINI], bundled=False).graph


def qde(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("project.qde"))


def tree(element: Any) -> list[tuple[str, bool, str | None, list[Any]]]:
    """The codes under an element of project.qde or a .qdc, as comparable nested lists."""
    out = []
    for code in element.findall("{*}Code"):
        description = code.findtext("{*}Description")
        out.append((code.get("name"), code.get("isCodable") == "true", description, tree(code)))
    return sorted(out, key=lambda c: (c[0], c[1]))


def codes_by_guid(root: Any) -> dict[str, str]:
    return {c.get("guid"): c.get("name") for c in root.iter("{*}Code")}


def selections(data: bytes) -> list[tuple[str, int, int, str, tuple[str, ...]]]:
    """(source name, start, end, selected text, code names) of every selection of a .qdpx."""
    root = qde(data)
    names = codes_by_guid(root)
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for source in root.iterfind("q:Sources/q:TextSource", NS):
            entry = "sources/" + source.get("plainTextPath").removeprefix("internal://")
            text = archive.read(entry).decode("utf-8")
            for sel in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                codes = tuple(sorted(names[r.get("targetGUID")] for r in sel.iter("{*}CodeRef")))
                found.append((source.get("name"), start, end, text[start:end], codes))
    return sorted(found)


# --------------------------------------------------------------------------------------------
# Export: the standard's schemas and two independent readers


def test_mini_export_follows_the_schema_and_the_graph() -> None:
    exported = export_project(mini(), TEXTS)
    root = qde(exported.data)
    project_schema = schema("Project.xsd")
    assert project_schema.validate(root), project_schema.error_log
    assert exported.sources == 1
    assert any("absent" in w and "skipped" in w for w in exported.warnings)
    codes = tree(root.find("q:CodeBook/q:Codes", NS))
    names = [c[0] for c in codes]
    assert names == ["Acteurs", "Constats", "Leviers", "Notions", "Questions"]
    questions = dict((c[0], c) for c in codes[4][3])
    # a lever sits under the first question it responds to (by name); the second is a Link
    assert [c[0] for c in questions["Immeubles mixtes : quelles réalités de vie ?"][3]] == [
        "Réunir les acteurs"
    ]
    assert questions["Qui réunir ?"][3] == []
    assert [c[0] for c in codes[2][3]] == ["Un levier sans question"]
    notions = codes[3][3]
    assert notions == [
        ("mixité", True, None, [("mixité sociale", True, "une forme de mixité", [])])
    ]
    links = root.findall("q:Links/q:Link", NS)
    guids = codes_by_guid(root)
    assert [(guids[k.get("originGUID")], guids[k.get("targetGUID")]) for k in links] == [
        ("Réunir les acteurs", "Qui réunir ?")
    ]
    text = (TEXTS / "atelier.txt").read_text(encoding="utf-8")
    second = text.index("réunir les acteurs", text.index("réunir les acteurs") + 1)
    assert selections(exported.data) == sorted(
        [
            ("Compte rendu d'atelier", 32, 76, text[32:76],
             ("Immeubles mixtes : quelles réalités de vie ?",)),
            ("Compte rendu d'atelier", 78, 91, "Les habitants", ("habitants",)),
            ("Compte rendu d'atelier", 106, 133, "la mixité ne se décrète pas",
             ("La mixité ne se décrète pas",)),
            ("Compte rendu d'atelier", 145, 163, "réunir les acteurs",
             ("Qui réunir ?", "Réunir les acteurs")),
            ("Compte rendu d'atelier", second, second + 18, "réunir les acteurs",
             ("Réunir les acteurs", "Un levier sans question")),
            ("Compte rendu d'atelier", text.index("La mixité sociale"), len(text) - 1,
             "La mixité sociale est une forme de mixité.", ("mixité sociale",)),
        ]
    )  # fmt: skip
    assert text[32:76] == "Immeubles mixtes\u00a0: quelles réalités de vie ?"


def test_codebook_follows_codebook_xsd() -> None:
    exported = export_codebook(mini(), lang="en")
    root = etree.fromstring(exported.data)
    codebook_schema = schema("Codebook.xsd")
    assert codebook_schema.validate(root), codebook_schema.error_log
    assert [c[0] for c in tree(root.find("{*}Codes"))] == [
        "Actors", "Findings", "Levers", "Notions", "Questions"
    ]  # fmt: skip
    assert exported.codes == 14  # 5 groups, 9 resources


def test_export_is_the_same_bytes_every_run() -> None:
    assert export_project(mini(), TEXTS).data == export_project(mini(), TEXTS).data


def pyrefiqda_view(path: Path, tmp_path: Path) -> tuple[Any, list[Any], dict[str, str]]:
    from pyrefiqda.refiproject import RefiProject

    project = RefiProject.load(path, extract_dir=tmp_path / "pyrefiqda")

    def walk(codes: list[Any]) -> list[Any]:
        return sorted(
            ((c.name, bool(c.is_codable), c.description, walk(c.code)) for c in codes),
            key=lambda c: (c[0], c[1]),
        )

    names: dict[str, str] = {}

    def index(codes: list[Any]) -> None:
        for c in codes:
            names[c.guid] = c.name
            index(c.code)

    index(project.code_book.codes.code)
    found = []
    for source in project.sources.text_source:
        text = RefiProject.resolve_source_path(source.plain_text_path, tmp_path / "pyrefiqda")
        content = text.read_text(encoding="utf-8")
        for sel in source.plain_text_selection:
            codes = tuple(sorted(names[c.code_ref.target_guid] for c in sel.coding))
            s, e = sel.start_position, sel.end_position
            found.append((source.name, s, e, content[s:e], codes))
    return walk(project.code_book.codes.code), sorted(found), names


def test_pyrefiqda_reads_the_same_codes_selections_and_texts(tmp_path: Path) -> None:
    exported = export_project(mini(), TEXTS)
    path = tmp_path / "mini.qdpx"
    path.write_bytes(exported.data)
    codes, found, _ = pyrefiqda_view(path, tmp_path)
    assert codes == tree(qde(exported.data).find("q:CodeBook/q:Codes", NS))
    assert found == selections(exported.data)
    assert len(found) == exported.selections == 6


def test_pyqdpx_reads_the_same_codes_selections_and_texts(tmp_path: Path) -> None:
    # pyqdpx keeps one code per selection (the first Coding) and counts astral characters
    # twice (as NVivo does); the mini text has none.
    from pyqdpx import QDPX

    exported = export_project(mini(), TEXTS)
    path = tmp_path / "mini.qdpx"
    path.write_bytes(exported.data)
    project = QDPX(str(path)).get_project()
    assert project is not None
    ours = codes_by_guid(qde(exported.data))
    assert {g: c.name for g, c in project.codes.items()} == ours
    for guid, code in project.codes.items():
        parent = qde(exported.data).find(f".//q:Code[@guid='{guid}']/..", NS)
        assert (code.parent.guid if code.parent else None) == (
            parent.get("guid") if parent.tag.endswith("}Code") else None
        )
    expected = {(s, e, t, codes[0]) for _, s, e, t, codes in selections(exported.data) if codes}
    (source,) = project.sources.values()
    assert source.text_content == (TEXTS / "atelier.txt").read_text(encoding="utf-8")
    got = {(x.start, x.end, x.text, x.code.name) for x in source.coded_selections.values()}
    assert got == expected


def test_offsets_count_code_points(tmp_path: Path) -> None:
    # An astral character (one code point, two UTF-16 units) before the quote: the offset
    # counts it once, as REFI-QDA §10.2 says, and pyrefiqda's reading gives the quote back.
    text = "🏠 Les habitants 🏠 le disent : « la mixité ne se décrète pas ».\n"
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "t.txt").write_text(text, encoding="utf-8")
    import hashlib

    digest = hashlib.sha256(text.encode()).hexdigest()
    turtle = MINI.read_text(encoding="utf-8").replace(
        "c8a49eca6288e047802c2e80916315804b4481375ab4f383cbe158313b057f43", digest
    )
    graph = Graph().parse(data=turtle, format="turtle")
    for ev in ("ev-atelier", "ev-reunir-1", "ev-reunir-2", "ev-forme"):
        graph.remove((URIRef("https://example.org/mini/" + ev), None, None))
    exported = export_project(graph, folder)
    path = tmp_path / "astral.qdpx"
    path.write_bytes(exported.data)
    _, found, _ = pyrefiqda_view(path, tmp_path)
    by_text = {t: (s, e) for _, s, e, t, _ in found}
    start = text.index("la mixité")
    assert by_text["la mixité ne se décrète pas"] == (start, start + 27)
    assert len(text[:start].encode("utf-16-le")) // 2 == start + 2  # UTF-16 would differ


def test_bundled_export_validates_and_reads_back(
    bundled: LoadedGraph, sources_dir: Path | None, tmp_path: Path
) -> None:
    if sources_dir is None:
        pytest.skip("MIXITY_SOURCES is not set (it is in CI)")
    exported = export_project(bundled.graph, sources_dir)
    project_schema = schema("Project.xsd")
    assert project_schema.validate(qde(exported.data)), project_schema.error_log
    assert exported.warnings == [] and exported.sources == 2
    path = tmp_path / "debate.qdpx"
    path.write_bytes(exported.data)
    codes, found, _ = pyrefiqda_view(path, tmp_path)
    assert codes == tree(qde(exported.data).find("q:CodeBook/q:Codes", NS))
    assert found == selections(exported.data)
    # every quote of the graph is the text it selects (verbatim, after NFC)
    quoted = {
        unicodedata.normalize("NFC", str(o))
        for o in bundled.graph.objects(None, URIRef(OA + "exact"))
    }
    assert {t for _, _, _, t, _ in found} <= quoted
    assert len(found) == exported.selections


# --------------------------------------------------------------------------------------------
# Export failures


def test_a_quote_not_in_its_text_fails_clearly(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        MINI.read_text(encoding="utf-8").replace(
            '"la mixité ne se décrète pas"', '"la mixité se décrète"'
        ),
        encoding="utf-8",
    )
    target = tmp_path / "out.qdpx"
    code, out, err = run(
        runner, "export", "--no-bundled", "-g", str(bad), "--format", "qdpx",
        "--sources", str(TEXTS), "-o", str(target),
    )  # fmt: skip
    assert code == 1 and out == ""
    assert err.startswith("mixity: error: <https://example.org/mini/ev-decret>: quote not found")
    assert "closest passage" in err and len(err.strip().splitlines()) == 1
    assert not target.exists()


def test_an_ambiguous_quote_fails_clearly(tmp_path: Path) -> None:
    graph = mini()
    graph.remove((None, URIRef(OA + "prefix"), Literal("Il faut ")))
    with pytest.raises(MixityError, match=r"ev-reunir-1>: the quote matches 2 places"):
        export_project(graph, TEXTS)


def test_export_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "export", "--format", "qdpx", "-o", str(tmp_path / "x.qdpx"))
    assert code == 2 and "--sources DIR" in err
    code, _, err = run(runner, "export", "--format", "qdc", "--sources", str(TEXTS))
    assert code == 2 and "--sources applies to --format qdpx" in err


def test_export_cli_writes_project_and_codebook(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "mini.qdpx"
    code, out, err = run(
        runner, "export", "--no-bundled", "-g", str(MINI), "--sources", str(TEXTS),
        "-o", str(target),
    )  # fmt: skip
    assert code == 0 and out == ""
    assert "warning: <https://example.org/mini/absent>: has no text in" in err
    assert err.strip().endswith("(14 codes, 1 source, 6 selections, 6 coded)")
    assert target.read_bytes() == export_project(mini(), TEXTS).data
    code, out, err = run(runner, "export", "--no-bundled", "-g", str(MINI), "--format", "qdc")
    assert code == 0 and out.startswith('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook')


# --------------------------------------------------------------------------------------------
# Import and the round trip


def imported(tmp_path: Path, qdpx: bytes, name: str = "in") -> tuple[Path, Path]:
    source = tmp_path / f"{name}.qdpx"
    source.write_bytes(qdpx)
    result = import_project(source)
    out = tmp_path / f"{name}.ttl"
    out.write_bytes(result.turtle)
    folder = tmp_path / f"{name}-sources"
    folder.mkdir()
    for file, data in result.texts.items():
        (folder / file).write_bytes(data)
    return out, folder


def own(report: Any, turtle: Path) -> list[Any]:
    """The findings about the resources of `turtle`."""
    return [f for f in report.findings if f.origin == str(turtle)]


def round_trip(tmp_path: Path, graph: Graph, texts: Path) -> tuple[bytes, bytes, Path, Path]:
    first = export_project(graph, texts).data
    turtle, folder = imported(tmp_path, first)
    second = export_project(load([turtle], bundled=False).graph, folder).data
    return first, second, turtle, folder


def test_round_trip_gives_the_same_codes_selections_and_quotes(tmp_path: Path) -> None:
    first, second, turtle, _ = round_trip(tmp_path, mini(), TEXTS)
    codes = "q:CodeBook/q:Codes"
    assert tree(qde(second).find(codes, NS)) == tree(qde(first).find(codes, NS))
    assert selections(second) == selections(first)
    graph = parse_file(turtle)
    quotes = sorted(str(o) for o in graph.objects(None, URIRef(OA + "exact")))
    assert quotes == sorted(t for _, _, _, t, _ in selections(first))
    # the two « réunir les acteurs » are told apart by their context, and placed
    repeated = [s for s in graph.subjects(URIRef(OA + "exact"), Literal("réunir les acteurs"))]
    assert len(repeated) == 2
    assert all(
        graph.value(s, URIRef(OA + "prefix")) or graph.value(s, URIRef(OA + "suffix"))
        for s in repeated
    )


def test_import_passes_validate_with_sources(tmp_path: Path) -> None:
    _, _, turtle, folder = round_trip(tmp_path, mini(), TEXTS)
    report = validate(load([turtle]), sources=folder)
    # the bundled sources' texts are not in the folder: warnings on them only
    assert report.conforms and not own(report, turtle), report.to_text()
    graph = parse_file(turtle)
    (document,) = graph.subjects(
        RDF.type, URIRef("https://w3id.org/mixity/ontology#SourceDocument")
    )
    assert (
        folder / f"{graph.value(document, URIRef('http://purl.org/dc/terms/identifier'))}.txt"
    ).is_file()
    # a top-level group is a concept scheme, the codes under it its concepts
    schemes = {
        str(graph.value(s, SKOS.prefLabel)) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)
    }
    assert schemes == {"Acteurs", "Constats", "Leviers", "Notions", "Questions"}
    social = next(graph.subjects(SKOS.prefLabel, Literal("mixité sociale", lang="fr")))
    assert graph.value(social, SKOS.definition) == Literal("une forme de mixité", lang="fr")
    assert graph.value(graph.value(social, SKOS.broader), SKOS.prefLabel, any=True) is not None


def test_bundled_round_trip(bundled: LoadedGraph, sources_dir: Path | None, tmp_path: Path) -> None:
    if sources_dir is None:
        pytest.skip("MIXITY_SOURCES is not set (it is in CI)")
    first, second, turtle, folder = round_trip(tmp_path, bundled.graph, sources_dir)
    codes = "q:CodeBook/q:Codes"
    assert tree(qde(second).find(codes, NS)) == tree(qde(first).find(codes, NS))
    assert selections(second) == selections(first)
    report = validate(load([turtle]), sources=folder)
    assert report.conforms and not own(report, turtle), report.to_text()


def test_import_as_a_class(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "mini.qdpx"
    source.write_bytes(export_project(mini(), TEXTS).data)
    code, out, err = run(runner, "import", str(source), "--as", "mix:Question")
    assert code == 0, err
    graph = Graph().parse(data=out, format="turtle")
    question = URIRef("https://w3id.org/mixity/ontology#Question")
    assert len(set(graph.subjects(RDF.type, question))) == 9  # the groups are not resources
    assert not set(graph.subjects(RDF.type, SKOS.Concept))
    assert "the 1 source text of the Turtle is written only with -o" in err
    code, _, err = run(runner, "import", str(source), "--as", "nope:Thing")
    assert code == 2 and "--as" in err


def test_import_cli_writes_turtle_and_texts(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "mini.qdpx"
    source.write_bytes(export_project(mini(), TEXTS).data)
    out = tmp_path / "coded.ttl"
    code, stdout, err = run(runner, "import", str(source), "-o", str(out))
    assert code == 0 and stdout == ""
    assert (tmp_path / "coded-sources" / "compte-rendu-d-atelier.txt").read_bytes() == (
        TEXTS / "atelier.txt"
    ).read_bytes()
    assert err.strip().endswith(f"Wrote {out}, {tmp_path / 'coded-sources'} (14 codes, 6 quotes)")
    # the same Turtle as the library's (validated in test_import_passes_validate_with_sources)
    assert out.read_bytes() == import_project(source).turtle


# --------------------------------------------------------------------------------------------
# Hostile input: one line, exit 1, nothing written


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def project_with(tmp_path: Path, edit: Any) -> bytes:
    data = export_project(mini(), TEXTS).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    entries["project.qde"] = edit(entries["project.qde"].decode("utf-8")).encode("utf-8")
    return zipped(entries)


HOSTILE = {
    "not-a-zip": lambda tmp: b"<Project/>",
    "zip-slip": lambda tmp: zipped({"project.qde": b"<x/>", "../escape.txt": b"boo"}),
    "absolute": lambda tmp: zipped({"/etc/passwd": b"boo", "project.qde": b"<x/>"}),
    "no-project": lambda tmp: zipped({"sources/a.txt": b"text"}),
    "not-xml": lambda tmp: zipped({"project.qde": b"<Project name='x'>"}),
    "doctype": lambda tmp: zipped(
        {"project.qde": b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'}
    ),
    "schema": lambda tmp: project_with(
        tmp, lambda t: t.replace('isCodable="true"', 'isCodable="maybe"', 1)
    ),
    "outside": lambda tmp: project_with(
        tmp, lambda t: t.replace('endPosition="91"', 'endPosition="9100"')
    ),
    "unknown-code": lambda tmp: project_with(
        tmp,
        lambda t: re.sub(
            r'<CodeRef targetGUID="[^"]+"',
            '<CodeRef targetGUID="00000000-0000-0000-0000-000000000000"',
            t,
            count=1,
        ),
    ),
}  # fmt: skip

MESSAGES = {
    "not-a-zip": "not a REFI-QDA project: not a zip archive",
    "zip-slip": "unsafe path in the archive: '../escape.txt' leaves the project folder",
    "absolute": "unsafe path in the archive: '/etc/passwd'",
    "no-project": "the archive has no project.qde",
    "not-xml": "project.qde:1:",
    "doctype": "a DOCTYPE or entity declaration: refused",
    "schema": "does not follow the REFI-QDA schema:",
    "outside": "positions 78–9100 lie outside its text (272 characters)",
    "unknown-code": "coded with an unknown code 00000000-0000-0000-0000-000000000000",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_projects_are_one_line_errors(runner: CliRunner, tmp_path: Path, case: str) -> None:
    source = tmp_path / "in.qdpx"
    source.write_bytes(HOSTILE[case](tmp_path))
    out = tmp_path / "out.ttl"
    code, stdout, err = run(runner, "import", str(source), "-o", str(out))
    assert code == 1 and stdout == ""
    assert err.startswith(f"mixity: error: {source}"), err
    assert MESSAGES[case] in err, err
    assert len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.qdpx"]
    assert not (tmp_path.parent / "escape.txt").exists()


def test_import_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "x.txt"
    other.write_text("x", encoding="utf-8")
    code, _, err = run(runner, "import", str(other))
    assert code == 2 and ".qdpx" in err
    code, _, err = run(runner, "import", str(tmp_path / "missing.qdpx"))
    assert code == 1 and "no such file" in err

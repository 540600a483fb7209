"""`mixity init`: the starter folder passes `lint` and `validate --sources` as written, `render`
and `docs` work on it, its Turtle carries the header lint expects, and a folder that is not
empty is refused with nothing written.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from mixity.cli import main
from mixity.graph.io.loader import parse_file
from mixity.graph.starter import QUOTES, starter_files
from mixity.namespaces import MIX, ONTOLOGY_IRI

VANN = Namespace("http://purl.org/vocab/vann/")
OA = Namespace("http://www.w3.org/ns/oa#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


def init(runner: CliRunner, folder: Path, *options: str) -> None:
    done = runner.invoke(main, ["init", str(folder), *options])
    assert done.exit_code == 0, done.output
    assert done.stdout == ""
    assert f"Wrote {folder}/" in done.stderr


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("work") / "jardins"
    init(CliRunner(), folder, "--creator", "A. Chercheuse")
    return folder


def test_init_writes_the_folder(starter: Path) -> None:
    written = sorted(p.relative_to(starter).as_posix() for p in starter.rglob("*"))
    assert written == ["README.md", "extension.ttl", "sources", "sources/exemple.txt"]
    readme = (starter / "README.md").read_text(encoding="utf-8")
    for command in ("mixity lint", "mixity validate", "--sources", "mixity render", "mixity docs"):
        assert command in readme
    assert "$" not in readme.replace("```sh", "")  # every placeholder filled
    assert [p.name for p in starter.parent.iterdir()] == ["jardins"]  # no temporary folder left


def test_the_turtle_has_the_header_and_the_examples(starter: Path) -> None:
    graph = parse_file(starter / "extension.ttl")
    (onto,) = graph.subjects(RDF.type, OWL.Ontology)
    namespace = "https://w3id.org/jardins/ontology#"
    assert str(onto) == namespace.rstrip("#")
    assert graph.value(onto, OWL.imports) == URIRef(ONTOLOGY_IRI)
    version = graph.value(onto, OWL.versionIRI)
    assert version is not None and version != onto
    assert str(graph.value(onto, OWL.versionInfo)) == "0.1.0"
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {v.language for v in graph.objects(onto, prop)} == {"fr", "en"}  # type: ignore[attr-defined]
    assert graph.value(onto, DCTERMS.creator) == Literal("A. Chercheuse")
    assert isinstance(graph.value(onto, DCTERMS.license), URIRef)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(graph.value(onto, DCTERMS.modified)))
    assert str(graph.value(onto, VANN.preferredNamespacePrefix)) == "ex"
    assert str(graph.value(onto, VANN.preferredNamespaceUri)) == namespace
    cls, prop = URIRef(namespace + "SharedGarden"), URIRef(namespace + "fosters")
    assert (cls, RDF.type, OWL.Class) in graph and (prop, RDF.type, OWL.ObjectProperty) in graph
    assert (cls, RDFS.subClassOf, URIRef("https://schema.org/Place")) in graph
    assert graph.value(prop, RDFS.domain) == cls
    assert graph.value(prop, RDFS.range) == URIRef(MIX + "Notion")
    for term in (cls, prop):
        for annotation in (RDFS.label, RDFS.comment):
            langs = sorted(v.language for v in graph.objects(term, annotation))  # type: ignore[attr-defined]
            assert langs == ["en", "fr"], (term, annotation)
        assert graph.value(term, RDFS.isDefinedBy) == onto


def test_the_quotes_are_verbatim_and_the_checksum_is_the_texts(starter: Path) -> None:
    graph = parse_file(starter / "extension.ttl")
    data = (starter / "sources" / "exemple.txt").read_bytes()
    text = data.decode("utf-8")
    checksums = [str(v) for v in graph.objects(None, SPDX.checksumValue)]
    assert checksums == [hashlib.sha256(data).hexdigest()]
    quotes = sorted(str(q) for q in graph.objects(None, OA.exact))
    assert quotes == sorted(QUOTES.values())
    assert all(text.count(quote) == 1 for quote in quotes)
    (resource,) = graph.subjects(RDF.type, URIRef("https://w3id.org/jardins/ontology#SharedGarden"))
    evidence = graph.value(resource, URIRef(MIX + "evidence"))
    assert (evidence, RDF.type, OA.SpecificResource) in graph
    selector = graph.value(evidence, OA.hasSelector)
    assert (selector, RDF.type, OA.TextQuoteSelector) in graph


def test_the_folder_passes_validate_with_its_sources(
    runner: CliRunner, starter: Path, tmp_path: Path
) -> None:
    ttl, sources = starter / "extension.ttl", starter / "sources"
    done = runner.invoke(main, ["validate", str(ttl), "--sources", str(sources)])
    assert done.exit_code == 0, done.output
    assert "conforms" in done.stdout
    assert "Violation" not in done.stdout and "extension.ttl" not in done.stdout
    # the quotes really are checked against the text: a changed word is an error
    broken = tmp_path / "extension.ttl"
    broken.write_text(
        ttl.read_text(encoding="utf-8").replace("jardin partagé au", "jardin partage au"), "utf-8"
    )
    failed = runner.invoke(main, ["validate", str(broken), "--sources", str(sources)])
    assert failed.exit_code == 1
    assert "quote not found in exemple.txt" in failed.stdout


def test_the_folder_passes_lint(runner: CliRunner, starter: Path) -> None:
    from mixity.graph.lint import lint

    report = lint([starter / "extension.ttl"])
    assert not report.fails("warning"), report.to_text()
    assert [f for f in report.findings if f.level != "info"] == []
    if importlib.util.find_spec("mixity.cli.commands.lint") is not None:
        done = runner.invoke(main, ["lint", str(starter / "extension.ttl")])
        assert done.exit_code == 0, done.output


def test_render_and_docs_work_on_the_folder(
    runner: CliRunner, starter: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    drawn = runner.invoke(main, ["render", "-g", str(starter), "-o", str(page)])
    assert drawn.exit_code == 0, drawn.output
    assert "jardin partagé des Tilleuls" in page.read_text(encoding="utf-8")
    docs = tmp_path / "docs"
    written = runner.invoke(main, ["docs", "-g", str(starter), "-o", str(docs)])
    assert written.exit_code == 0, written.output
    assert "2 from extensions" in written.stderr
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<section class="term extension" id="ex-SharedGarden"', index)
    assert re.search(r'<section class="term extension" id="ex-fosters"', index)


def test_options_name_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "debat"
    namespace = "https://w3id.org/debat-2021/vocab/"
    init(runner, folder, "--prefix", "d21", "--namespace", namespace, "--title", "Débat 2021")
    graph = parse_file(folder / "extension.ttl")
    onto = URIRef("https://w3id.org/debat-2021/vocab")
    assert (onto, RDF.type, OWL.Ontology) in graph
    assert {str(t) for t in graph.objects(onto, DCTERMS.title)} == {"Débat 2021"}
    assert str(graph.value(onto, VANN.preferredNamespacePrefix)) == "d21"
    assert (URIRef(namespace + "SharedGarden"), RDF.type, OWL.Class) in graph
    assert any(str(s).startswith("https://w3id.org/debat-2021/id/") for s in graph.subjects())
    assert "@prefix d21: <https://w3id.org/debat-2021/vocab/>" in (
        folder / "extension.ttl"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        ("--prefix", "mix", "mixity's"),
        ("--prefix", "1ex", "must be a letter"),
        ("--namespace", "https://w3id.org/mixity/ontology/ext#", "namespace of its own"),
        ("--namespace", "https://schema.org/gardens/", "namespace of its own"),
        ("--namespace", "https://example.org/a b#", "without spaces"),
        ("--namespace", "https://example.org/ext", "must end with"),
        ("--namespace", "https://example.org/", "path after the host"),
        ("--title", " ", "must not be empty"),
    ],
)
def test_bad_options_are_usage_errors(
    runner: CliRunner, tmp_path: Path, option: str, value: str, reason: str
) -> None:
    done = runner.invoke(main, ["init", str(tmp_path / "ext"), option, value])
    assert done.exit_code == 2
    assert reason in done.stderr and option in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_empty_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / ".hidden").write_text("mine", encoding="utf-8")
    done = runner.invoke(main, ["init", str(folder)])
    assert done.exit_code == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"mixity: error: {folder}: folder is not empty (it holds .hidden); mixity init writes "
        "a new or empty folder\n"
    )
    assert [p.name for p in folder.iterdir()] == [".hidden"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]


def test_a_file_or_a_missing_parent_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    as_file = runner.invoke(main, ["init", str(tmp_path / "file")])
    assert as_file.exit_code == 1 and "is a file, not a folder" in as_file.stderr
    orphan = runner.invoke(main, ["init", str(tmp_path / "missing" / "ext")])
    assert orphan.exit_code == 1 and "does not exist" in orphan.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_an_empty_folder_is_filled(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    init(runner, folder)
    assert (folder / "extension.ttl").is_file()


def test_the_same_day_gives_the_same_folder(tmp_path: Path) -> None:
    one = starter_files(tmp_path / "a" / "ext", date="2024-03-14", creator="X")
    two = starter_files(tmp_path / "b" / "ext", date="2024-03-14", creator="X")
    assert one.files == two.files
    assert b"2024-03-14" in one.files["extension.ttl"]


def test_the_templates_ship_as_package_data() -> None:
    from importlib.resources import files

    folder = files("mixity").joinpath("templates", "init")
    for name in ("extension.ttl.tmpl", "README.md.tmpl"):
        assert folder.joinpath(name).is_file(), name
    assert folder.joinpath("sources", "exemple.txt").is_file()


def test_a_title_on_several_lines_is_written_on_one(runner: CliRunner, tmp_path: Path) -> None:
    from mixity.graph.lint import lint

    folder = tmp_path / "ext"
    done = runner.invoke(main, ["init", str(folder), "--title", "ligne 1\n  ligne 2", "--creator",
                                "Une\tchercheuse"])  # fmt: skip
    assert done.exit_code == 0, done.output
    text = (folder / "extension.ttl").read_text(encoding="utf-8")
    assert '"ligne 1 ligne 2"@fr' in text and '"Une chercheuse"' in text
    report = lint([folder / "extension.ttl"], profile=False)
    assert report.findings == [], report.to_text()

"""`mixity docs`: the library's pages against the graph (every term, both labels, counts equal to
SPARQL counts, extension terms marked, scheme trees in order), the folder written all or
nothing, the CLI, and the pages in Debian's real headless Chromium driven by Playwright (no
request leaves the machine, no console error, every internal link resolves, the language switch
changes every label).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from mixity.cli import main
from mixity.errors import OutputError
from mixity.graph.docs import MARKER, DocsSite, build_docs, write_docs
from mixity.graph.docs.text import slug
from mixity.graph.io.loader import LoadedGraph, load, parse_file
from mixity.graph.model.labels import label, labels, local_name
from mixity.graph.model.resolve import compact, fold
from mixity.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "mixity" / "ontology" / "mixity.ttl"
EX = "https://example.org/jardins/ontology#"
HOSTILE = "<img src=x onerror=alert(1)>"

EXTENSION = f"""@prefix ex: <{EX}> .
@prefix exd: <https://example.org/jardins/id/> .
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix notion: <https://w3id.org/mixity/id/notion/> .

<https://example.org/jardins/ontology> a owl:Ontology ;
    owl:imports <https://w3id.org/mixity/ontology> ;
    owl:versionIRI <https://example.org/jardins/ontology/0.1.0> ;
    dcterms:title "Jardins partagés"@fr , "Shared gardens"@en .

ex:Garden a owl:Class ;
    rdfs:subClassOf schema:Place ;
    rdfs:label "jardin partagé"@fr , "shared garden"@en ;
    rdfs:comment "Un jardin cultivé en commun."@fr , "A garden grown together."@en .

# French only: the English slot falls back to the French label.
ex:fosters a owl:ObjectProperty ;
    rdfs:label "favorise"@fr ;
    rdfs:domain ex:Garden ;
    rdfs:range mix:Notion .

exd:source a mix:SourceDocument ;
    rdfs:label "Notes"@fr , "Notes"@en ;
    dcterms:title "Notes de terrain"@fr .

exd:tilleuls a ex:Garden ;
    rdfs:label "jardin des Tilleuls"@fr , "Les Tilleuls garden"@en ;
    ex:fosters notion:lien-social ;
    mix:evidence exd:ev .

exd:ev a oa:SpecificResource ;
    oa:hasSource exd:source ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "un jardin au pied des immeubles" ] .

exd:topics a skos:ConceptScheme ;
    rdfs:label "Thèmes des jardins"@fr , "Garden topics"@en ;
    skos:hasTopConcept exd:a .

exd:a a skos:Concept ; skos:inScheme exd:topics ; skos:topConceptOf exd:topics ;
    skos:prefLabel "alpha"@fr , "alpha"@en .
exd:b a skos:Concept ; skos:inScheme exd:topics ; skos:broader exd:a ;
    skos:prefLabel "bêta"@fr , "beta"@en .
exd:c a skos:Concept ; skos:inScheme exd:topics ; skos:broader exd:a ;
    skos:prefLabel "gamma"@fr , "gamma"@en .
# Two broader concepts: placed once, under the first one met.
exd:d a skos:Concept ; skos:inScheme exd:topics ; skos:broader exd:b , exd:c ;
    skos:prefLabel "delta"@fr , "delta"@en .
# No broader concept and not a top concept: a root of its own.
exd:e a skos:Concept ; skos:inScheme exd:topics ;
    skos:prefLabel {json.dumps(HOSTILE)}@fr , "epsilon"@en .
"""


# -- reading the pages back ---------------------------------------------------------------------

_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'<a\s[^>]*href="([^"]*)"')


@dataclass
class Section:
    """One term's section of index.html, as written."""

    id: str
    iri: str
    kind: str
    classes: str
    body: str
    heading: dict[str, tuple[str, str]] = field(default_factory=dict)

    def attr(self, name: str) -> str:
        found = re.search(rf'{name}="([^"]*)"', self.body)
        assert found, f"{self.iri}: no {name}"
        return html.unescape(found.group(1))


def sections(page: str) -> dict[str, Section]:
    """The term sections of a page by IRI, with each language slot of their heading."""
    found: dict[str, Section] = {}
    pattern = (
        r'<section class="(term[^"]*)" id="([^"]+)" data-iri="([^"]+)" '
        r'data-kind="([^"]+)">(.*?)</section>'
    )
    for match in re.finditer(pattern, page, re.S):
        classes, ident, iri, kind, body = match.groups()
        section = Section(ident, html.unescape(iri), kind, classes, body)
        heading = re.search(r'<h3 class="term-title">(.*?)</h3>', body, re.S)
        assert heading, iri
        for slot, lang, text in re.findall(
            r'<span data-l="(fr|en)" lang="([^"]*)">(.*?)</span>', heading.group(1)
        ):
            section.heading[slot] = (lang, html.unescape(text))
        found[section.iri] = section
    return found


def tree_order(page: str) -> list[str]:
    """The IRIs of a scheme page's concepts in the order the page lists them."""
    return [
        html.unescape(iri)
        for iri in re.findall(r'<li class="concept[^"]*" id="[^"]+" data-iri="([^"]+)"', page)
    ]


def declared_terms(graph: Graph) -> set[str]:
    """Classes and properties (IRIs) a file declares."""
    kinds = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    kinds += (OWL.AnnotationProperty, RDF.Property)
    return {str(s) for k in kinds for s in graph.subjects(RDF.type, k) if isinstance(s, URIRef)}


def count(graph: Graph, query: str) -> int:
    rows = list(graph.query(query, initNs={"rdfs": RDFS}))
    return int(rows[0][0])  # type: ignore[index]


def expected_tree(graph: Graph, scheme: URIRef, lang: str = "fr") -> list[str]:
    """A scheme's concepts depth first, top concepts then other roots, each level by label."""
    tops = set(graph.objects(scheme, SKOS.hasTopConcept)) | set(
        graph.subjects(SKOS.topConceptOf, scheme)
    )
    members = set(graph.subjects(SKOS.inScheme, scheme)) | tops

    def narrower(c: Any) -> set[Any]:
        return {n for n in graph.subjects(SKOS.broader, c) if n in members} | {
            n for n in graph.objects(c, SKOS.narrower) if n in members
        }

    def has_broader(c: Any) -> bool:
        return any(c in narrower(other) for other in members if other != c)

    def key(c: Any) -> tuple[str, str]:
        return fold(label(graph, c, lang)), str(c)

    order: list[str] = []

    def visit(c: Any) -> None:
        order.append(str(c))
        for child in sorted(narrower(c), key=key):
            if str(child) not in order:
                visit(child)

    roots = sorted(tops, key=key) + sorted(
        (c for c in members if c not in tops and not has_broader(c)), key=key
    )
    for root in roots:
        if str(root) not in order:
            visit(root)
    return order


def page_ids(page: str) -> set[str]:
    return set(_ID.findall(page))


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(bundled: LoadedGraph) -> DocsSite:
    return build_docs(bundled)


@pytest.fixture(scope="module")
def extension_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ext") / "jardins.ttl"
    path.write_text(EXTENSION, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def extended(extension_file: Path) -> LoadedGraph:
    return load([extension_file])


@pytest.fixture(scope="module")
def ext_site(extended: LoadedGraph) -> DocsSite:
    return build_docs(extended)


# -- library ------------------------------------------------------------------------------------


def test_every_class_and_property_of_the_ontology_has_a_section_with_both_labels(
    site: DocsSite, bundled: LoadedGraph
) -> None:
    prefixes = {**{p: str(n) for p, n in bundled.graph.namespaces() if p}, **PREFIXES}
    ontology = parse_file(ONTOLOGY)
    declared = declared_terms(ontology)
    assert len(declared) > 60
    found = sections(site.pages["index.html"])
    assert declared <= set(found), sorted(declared - set(found))
    for iri in declared:
        names = labels(ontology, URIRef(iri))
        section = found[iri]
        assert section.heading["fr"] == ("fr", names["fr"]), iri
        assert section.heading["en"] == ("en", names["en"]), iri
        # the anchor is a slug of the prefixed name: mix:Lever is #mix-Lever
        assert section.id == slug(compact(iri, prefixes).replace(":", "-", 1)), iri
        assert "extension" not in section.classes.split()
    assert site.classes + site.properties == len(found)


def test_usage_counts_match_sparql_counts(site: DocsSite, bundled: LoadedGraph) -> None:
    graph = bundled.graph
    checked = 0
    for iri, section in sections(site.pages["index.html"]).items():
        uses, more = int(section.attr("data-uses")), int(section.attr("data-uses-more"))
        if section.kind == "class":
            assert uses == count(graph, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{iri}> }}")
            assert more == count(
                graph,
                f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a ?c . ?c rdfs:subClassOf* <{iri}> }}",
            ), iri
        else:
            assert uses == count(graph, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s <{iri}> ?o }}")
            assert more == count(graph, f"SELECT (COUNT(*) AS ?n) {{ ?s <{iri}> ?o }}"), iri
        checked += uses > 0
    assert checked > 40  # most terms are used: the counts are not all zero


def test_examples_quote_the_data(site: DocsSite) -> None:
    found = sections(site.pages["index.html"])
    lever = found[PREFIXES["mix"] + "Lever"].body
    assert '<div class="example">' in lever and "<blockquote><p>« " in lever
    # a property's example is a statement that an owl:Axiom quotes
    involves = found[PREFIXES["mix"] + "involves"].body
    assert '<code class="arrow">mix:involves</code>' in involves and "<blockquote>" in involves


def test_extension_terms_are_marked_and_fall_back_to_the_other_language(
    ext_site: DocsSite,
) -> None:
    found = sections(ext_site.pages["index.html"])
    garden = found[EX + "Garden"]
    assert "extension" in garden.classes.split()
    assert '<span class="badge">' in garden.body
    assert garden.heading == {"fr": ("fr", "jardin partagé"), "en": ("en", "shared garden")}
    assert 'data-uses="1"' in garden.body and "un jardin au pied des immeubles" in garden.body
    fosters = found[EX + "fosters"]
    assert "extension" in fosters.classes.split()
    # no English label: the French one, marked as French, fills the English slot
    assert fosters.heading == {"fr": ("fr", "favorise"), "en": ("fr", "favorise")}
    assert "extension" not in found[PREFIXES["mix"] + "Lever"].classes.split()
    assert ext_site.extension_terms == 2


def test_scheme_pages_list_every_concept_in_tree_order(
    ext_site: DocsSite, extended: LoadedGraph
) -> None:
    graph = extended.graph
    schemes = {str(s) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)}
    pages = {ext_site.anchors[iri][0] for iri in schemes}
    assert len(pages) == len(schemes) == 4
    for iri in schemes:
        page = ext_site.pages[ext_site.anchors[iri][0]]
        assert tree_order(page) == expected_tree(graph, URIRef(iri)), iri
    topics = ext_site.pages[ext_site.anchors["https://example.org/jardins/id/topics"][0]]
    letters = [local_name(i) for i in tree_order(topics)]
    assert letters == ["a", "b", "d", "c", "e"]
    assert HOSTILE not in topics and html.escape(HOSTILE) in topics


def test_every_internal_link_resolves(ext_site: DocsSite) -> None:
    ids = {name: page_ids(page) for name, page in ext_site.pages.items()}
    checked = 0
    for name, page in ext_site.pages.items():
        assert len(ids[name]) == len(_ID.findall(page)), f"{name}: duplicate ids"
        for href in map(html.unescape, _HREF.findall(page)):
            target, _, anchor = href.partition("#")
            if target.startswith(("http:", "https:")):
                continue
            target = target or name
            assert target in ext_site.pages, f"{name}: {href}"
            assert not anchor or anchor in ids[target], f"{name}: {href}"
            checked += 1
    assert checked > 200


def test_the_pages_are_offline_and_bilingual(site: DocsSite) -> None:
    for page in site.pages.values():
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
        assert csp
        policy = html.unescape(csp.group(1))
        assert "default-src 'none'" in policy and "connect-src 'none'" in policy
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="', page)
        assert page.count('data-l="fr"') == page.count('data-l="en"') > 10


# -- the folder ---------------------------------------------------------------------------------


def test_write_docs_replaces_an_earlier_output_whole(site: DocsSite, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    write_docs(site, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(site.files())
    (out / "scheme-old.html").write_text("stale", encoding="utf-8")
    manifest = json.loads((out / MARKER).read_text(encoding="utf-8"))
    manifest["files"].append("scheme-old.html")
    (out / MARKER).write_text(json.dumps(manifest), encoding="utf-8")
    write_docs(site, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(site.files())
    assert [p.name for p in tmp_path.iterdir()] == ["docs"]  # no temporary folder left


def test_write_docs_refuses_a_folder_of_other_files(site: DocsSite, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty"):
        write_docs(site, out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]
    write_docs(site, out, force=True)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "index.html").is_file()
    # the marker says which files are the documentation's: notes.txt still blocks a plain run
    with pytest.raises(OutputError):
        write_docs(site, out)


def test_write_docs_writes_nothing_on_failure(site: DocsSite, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_docs(site, tmp_path / "missing" / "docs")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        write_docs(site, tmp_path / "file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


# -- the command line ---------------------------------------------------------------------------


def test_cli_writes_the_folder(runner: CliRunner, extension_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    done = runner.invoke(main, ["docs", "-g", str(extension_file), "-o", str(out), "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert done.stdout == ""
    assert "2 from extensions" in done.stderr and "4 concept schemes" in done.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" data-lang="en"' in index
    again = runner.invoke(main, ["docs", "-g", str(extension_file), "-o", str(out)])
    assert again.exit_code == 0, again.output


def test_cli_bad_input_is_one_line_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c ;;\n ex:d .\n", "utf-8")
    out = tmp_path / "docs"
    done = runner.invoke(main, ["docs", "-g", str(bad), "-o", str(out)])
    assert done.exit_code == 1
    assert done.stdout == ""
    assert re.fullmatch(r"mixity: error: \S*bad\.ttl:\d+:\d+: .+\n", done.stderr), done.stderr
    assert not out.exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "a.txt").write_text("a", encoding="utf-8")
    refused = runner.invoke(main, ["docs", "-o", str(busy)])
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    assert [p.name for p in busy.iterdir()] == ["a.txt"]
    usage = runner.invoke(main, ["docs", "--lang", "de"])
    assert usage.exit_code == 2


def test_cli_help_teaches(runner: CliRunner) -> None:
    done = runner.invoke(main, ["docs", "--help"])
    assert done.exit_code == 0
    for text in ("mixity-docs", "index.html#en:mix-Lever", "scheme-", "--force", "Exit code"):
        assert text in done.stdout


# -- in a real browser --------------------------------------------------------------------------


@dataclass
class Opened:
    """A page opened from a file, with what it tried to fetch and what it logged."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, code: str, arg: Any = None) -> Any:
        return self.page.evaluate(code, arg)

    def go(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)


@pytest.fixture
def opened(browser: Any) -> Iterator[Opened]:
    """A browser page whose every request but file:// ones is blocked and recorded."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    out = Opened(page)

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith("file://"):
            request_route.continue_()
        else:
            out.blocked.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: out.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: out.errors.append(str(e)))

    def dialog(d: Any) -> None:
        out.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    yield out
    context.close()


@pytest.fixture(scope="module")
def folder(ext_site: DocsSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "docs"
    write_docs(ext_site, out)
    return out


_VISIBLE_TITLES = """(selector) => Array.from(document.querySelectorAll(selector))
    .map(el => [el.closest('[data-iri]').dataset.iri, el.innerText.trim()])"""


def expected_labels(graph: Graph, iris: list[str], lang: str) -> list[str]:
    out = []
    for iri in iris:
        found = labels(graph, URIRef(iri))
        other = "en" if lang == "fr" else "fr"
        out.append(next((found[k] for k in (lang, other, "") if k in found), local_name(iri)))
    return out


@pytest.mark.browser
def test_every_page_loads_offline_without_errors(
    opened: Opened, folder: Path, ext_site: DocsSite
) -> None:
    for name in ext_site.pages:
        opened.go((folder / name).as_uri())
        assert opened.js("document.documentElement.dataset.lang") == "fr"
    assert opened.blocked == []
    assert opened.errors == []
    assert opened.dialogs == []


@pytest.mark.browser
def test_every_link_in_the_browser_resolves(
    opened: Opened, folder: Path, ext_site: DocsSite
) -> None:
    links: set[tuple[str, str]] = set()
    for name in ext_site.pages:
        opened.go((folder / name).as_uri())
        for href in opened.js("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
            links.add((name, href))
    assert len(links) > 120
    ids: dict[str, set[str]] = {}
    for name, href in sorted(links):
        assert href.startswith("file://"), f"{name}: {href}"
        path, _, anchor = href.partition("#")
        target = Path(path.removeprefix("file://")).name
        assert (folder / target).is_file(), f"{name}: {href}"
        anchor = re.sub(r"^(fr|en)(:|$)", "", anchor)
        if target not in ids:
            opened.go((folder / target).as_uri())
            ids[target] = set(opened.js("Array.from(document.querySelectorAll('[id]'), e => e.id)"))
        assert not anchor or anchor in ids[target], f"{name}: {href}"
    assert opened.blocked == [] and opened.errors == []


@pytest.mark.browser
def test_the_switch_changes_every_visible_label(
    opened: Opened, folder: Path, ext_site: DocsSite, extended: LoadedGraph
) -> None:
    graph = extended.graph
    for name in ext_site.pages:
        opened.go((folder / name).as_uri())
        before = opened.js(_VISIBLE_TITLES, ".term-title, .concept-title")
        iris = [iri for iri, _ in before]
        assert len(iris) >= (100 if name == "index.html" else 3)
        french, english = expected_labels(graph, iris, "fr"), expected_labels(graph, iris, "en")
        assert [text for _, text in before] == french
        opened.page.click("[data-set-lang=en]")
        after = opened.js(_VISIBLE_TITLES, ".term-title, .concept-title")
        assert [text for _, text in after] == english
        # every heading whose two labels differ changed (most of them do)
        changed = sum(a != b for (_, a), (_, b) in zip(before, after, strict=True))
        assert changed == sum(f != e for f, e in zip(french, english, strict=True)) > 1
        assert opened.page.url.endswith("#en")
        assert opened.js("document.documentElement.lang") == "en"
        # the interface's words switch too
        assert opened.js("document.querySelector('.subtitle').innerText").strip() in (
            "Documentation of the ontology, its extensions and its concept schemes",
            "Back to the ontology",
        )
    assert opened.dialogs == [] and opened.errors == []


@pytest.mark.browser
def test_the_language_is_remembered_in_the_hash(opened: Opened, folder: Path) -> None:
    opened.go((folder / "index.html").as_uri() + "#en:mix-Lever")
    assert opened.js("document.documentElement.dataset.lang") == "en"
    assert opened.js("document.title") == "The mixity ontology: the debate on social mixity"
    assert opened.js("document.getElementById('mix-Lever').classList.contains('targeted')")
    top = opened.js("document.getElementById('mix-Lever').getBoundingClientRect().top")
    assert 0 <= top < 300
    # links to the other pages carry the language
    link = opened.page.locator("a[data-page^='scheme-']").first
    assert (link.get_attribute("href") or "").split("#")[1].startswith("en")
    link.click()
    opened.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert opened.js("document.documentElement.dataset.lang") == "en"
    # a plain anchor link keeps the language and puts it in the address
    opened.go((folder / "index.html").as_uri() + "#en")
    opened.page.locator("#mix-Lever .facts a[href^='#']").first.click()
    assert re.search(r"#en:[\w-]+$", opened.page.url), opened.page.url
    assert opened.js("document.documentElement.dataset.lang") == "en"
    assert opened.blocked == [] and opened.errors == []

"""How the page draws what it draws: stable colours and shapes, plain words in the legend, a
link stated both ways drawn once, classes never drawn as untyped nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from mixity.cli import main
from mixity.graph.io.loader import LoadedGraph, load
from mixity.graph.page.render import render_html
from mixity.graph.page.style import BUNDLED, class_styles
from mixity.graph.page.words import CLASS_WORDS
from mixity.namespaces import MIX
from tests.test_render import EXTENSION, page_data

ROOT = Path(__file__).resolve().parent.parent
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"

#: Six new classes: a hierarchy of their own, subclasses of bundled classes, and a new class
#: above a bundled one (which changes the bundled class's family).
SIX_CLASSES = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/six/> .
@prefix lever: <https://w3id.org/mixity/id/lever/> .
@prefix notion: <https://w3id.org/mixity/id/notion/> .

ex:Happening a owl:Class ; rdfs:label "fait"@fr .
schema:Event rdfs:subClassOf ex:Happening .
ex:Hearing a owl:Class ; rdfs:subClassOf schema:Event ; rdfs:label "audition"@fr .
ex:Survey a owl:Class ; rdfs:label "enquête"@fr .
ex:OnlineSurvey a owl:Class ; rdfs:subClassOf ex:Survey ; rdfs:label "enquête en ligne"@fr .
ex:CostlyLever a owl:Class ; rdfs:subClassOf mix:Lever ; rdfs:label "levier coûteux"@fr .
ex:KeyNotion a owl:Class ; rdfs:subClassOf mix:Notion ; rdfs:label "notion clé"@fr .

ex:h1 a ex:Hearing ; rdfs:label "Audition 1"@fr .
ex:s1 a ex:Survey ; rdfs:label "Enquête 1"@fr ; mix:concerns notion:mixite-sociale .
ex:s2 a ex:OnlineSurvey ; rdfs:label "Enquête 2"@fr ; mix:concerns notion:mixite .
ex:x1 a ex:Happening ; rdfs:label "Fait 1"@fr .
lever:reunir-acteurs-copropriete a ex:CostlyLever .
notion:mixite a ex:KeyNotion .
"""

#: Two more new classes, to load with SIX_CLASSES.
TWO_MORE = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ey: <https://example.org/two/> .
ey:Petition a owl:Class . ey:Vote a owl:Class .
ey:p a ey:Petition ; rdfs:label "Pétition"@fr . ey:v a ey:Vote ; rdfs:label "Vote"@fr .
"""


@pytest.fixture(scope="module")
def extensions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    folder = tmp_path_factory.mktemp("extensions")
    files = {}
    for name, text in (("hearing", EXTENSION), ("six", SIX_CLASSES), ("two", TWO_MORE)):
        files[name] = folder / f"{name}.ttl"
        files[name].write_text(text, encoding="utf-8")
    return {
        "examples/extension.ttl": [ROOT / "examples" / "extension.ttl"],
        "hearing": [files["hearing"]],
        "six classes": [files["six"]],
        "six classes and two more": [files["six"], files["two"]],
        "all": [ROOT / "examples" / "extension.ttl", files["hearing"], files["six"], files["two"]],
    }


def _legend(page: str) -> dict[str, tuple[str, str]]:
    return {c["iri"]: (c["color"], c["shape"]) for c in page_data(page)["classes"]}


def test_bundled_colours_and_shapes_do_not_move_with_extensions(
    bundled: LoadedGraph, extensions: dict[str, list[Path]]
) -> None:
    alone = class_styles(bundled.graph)
    assert alone[URIRef(MIX + "Question")] == ("#e7298a", "square")  # magenta, as it was
    assert alone[URIRef(MIX + "ActorType")] == ("#a6cee3", "star")  # light blue
    page = _legend(render_html(bundled))
    for name, files in extensions.items():
        extended = load(files)
        styles = class_styles(extended.graph)
        new = set(styles) - set(alone)
        assert new, name
        assert {cls: styles[cls] for cls in alone} == alone, name
        legend = _legend(render_html(extended))
        assert {iri: legend[iri] for iri in page} == page, name
    # The six classes take no colour of a bundled class, and the bundled ones keep theirs.
    six = class_styles(load(extensions["six classes"]).graph)
    added = {cls: style for cls, style in six.items() if cls not in alone}
    assert len(added) >= 5
    assert not {colour for colour, _ in added.values()} & {colour for colour, _ in BUNDLED.values()}


def test_a_new_class_takes_its_colour_from_its_iri_alone(
    extensions: dict[str, list[Path]],
) -> None:
    six = class_styles(load(extensions["six classes"]).graph)
    more = class_styles(load(extensions["six classes and two more"]).graph)
    assert {cls: more[cls] for cls in six} == six
    # A subclass of a bundled class is drawn in its family's shape.
    assert six[URIRef("https://example.org/six/CostlyLever")][1] == BUNDLED[MIX + "Lever"][1]
    assert six[URIRef("https://example.org/six/KeyNotion")][1] == BUNDLED[MIX + "Notion"][1]


#: Words of the vocabularies' jargon that the legend must not say.
JARGON = ("ressource spécifique", "specific resource", "schéma de concepts", "concept scheme")
JARGON += ("sélecteur", "selector", "ressource", "resource", "sans type", "untyped")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_legend_speaks_plainly(bundled: LoadedGraph, lang: str) -> None:
    legend: dict[str, str] = {}
    for view in ("overview", "debate", "concepts", "actors", "evidence"):
        for entry in page_data(render_html(bundled, view=view, lang=lang))["classes"]:
            legend[entry["iri"]] = entry["label"]
    assert legend[OA + "SpecificResource"] == {"fr": "citation", "en": "quote"}[lang]
    assert legend[SKOS + "ConceptScheme"] == CLASS_WORDS[SKOS + "ConceptScheme"][lang]
    assert legend[MIX + "Question"] == "question"
    assert legend[MIX + "Lever"] == {"fr": "levier", "en": "lever"}[lang]
    assert legend[MIX + "ActorType"] == {"fr": "type d'acteur", "en": "actor type"}[lang]
    for iri, word in legend.items():
        assert iri, word  # no untyped node in the bundled graph's views
        assert not any(bad in word.casefold() for bad in JARGON), (iri, word)
    # The panel and the tooltips say the same words.
    data = page_data(render_html(bundled, view="evidence", lang=lang))
    quote = next(c["key"] for c in data["classes"] if c["iri"] == OA + "SpecificResource")
    node = next(n for n in data["nodes"] if n["group"] == quote)
    assert node["title"].endswith("\n" + legend[OA + "SpecificResource"])
    assert legend[OA + "SpecificResource"] in data["details"][node["id"]]["types"]


BOTH_WAYS = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/both/> .

ex:leads owl:inverseOf ex:ledBy ; rdfs:label "mène"@fr .
ex:ledBy rdfs:label "mené par"@fr .
ex:a a mix:Notion ; skos:prefLabel "A"@fr ; skos:broader ex:b .
ex:b a mix:Notion ; skos:prefLabel "B"@fr ; skos:narrower ex:a , ex:c .
ex:c a mix:Notion ; skos:prefLabel "C"@fr .
ex:m a mix:Meeting ; rdfs:label "M"@fr ; schema:subEvent ex:w .
ex:w a mix:Workshop ; rdfs:label "W"@fr ; schema:superEvent ex:m ; ex:ledBy ex:p .
ex:p a schema:Person ; rdfs:label "P"@fr ; ex:leads ex:w .
"""


def test_a_link_stated_both_ways_is_one_edge_read_its_way(tmp_path: Path) -> None:
    path = tmp_path / "both.ttl"
    path.write_text(BOTH_WAYS, encoding="utf-8")
    data = page_data(render_html(load([path], bundled=False), lang="fr"))
    title = {n["id"]: n["title"].split("\n")[0] for n in data["nodes"]}
    edges = sorted(
        (title[e["from"]], data["edge_labels"][e["id"]], title[e["to"]]) for e in data["edges"]
    )
    # skos:broader and schema:subEvent are the built-in pairs' first members; ex:leads is the
    # subject of the file's owl:inverseOf.
    assert edges == [
        ("A", "broader", "B"),
        ("C", "broader", "B"),
        ("M", "subEvent", "W"),
        ("P", "mène", "W"),
    ]


def test_a_query_never_draws_a_class_as_an_untyped_node(
    runner: CliRunner, bundled: LoadedGraph, tmp_path: Path
) -> None:
    target = tmp_path / "around.html"
    result = runner.invoke(
        main, ["render", "--query", "neighbourhood", "-p", "resource=bailleurs", "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    data = page_data(target.read_text(encoding="utf-8"))
    classes = {str(c) for c in class_styles(bundled.graph)} | set(BUNDLED)
    shown = {d["iri"] for d in data["details"]}
    assert not shown & classes  # a class's label in the answer does not make it a node
    assert all(c["iri"] for c in data["classes"])  # nothing untyped
    for name in ("Christine Lelévrier", "mixité sociale", "Atelier n°1"):
        page = render_html(bundled, query="neighbourhood", params={"resource": name})
        assert all(c["iri"] for c in page_data(page)["classes"]), name
    # A class linked to another (a hierarchy) is drawn, as a class.
    hierarchy = render_html(
        bundled,
        query="CONSTRUCT { ?c rdfs:subClassOf ?d . ?x a ?c } WHERE { ?c rdfs:subClassOf ?d "
        "FILTER(STRSTARTS(STR(?c), STR(mix:))) OPTIONAL { ?x a ?c } }",
    )
    legend = {c["iri"]: c for c in page_data(hierarchy)["classes"]}
    assert all(legend)
    assert legend["http://www.w3.org/2002/07/owl#Class"]["label"] == "classe"
    assert legend["http://www.w3.org/2002/07/owl#Class"]["count"] >= 10

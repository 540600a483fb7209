"""The ibis view: the debate as an IBIS map in rows (series → meeting → workshops → questions →
levers and findings → actor types), drawn in the IBIS notation with the hierarchical layout.

The rows are checked twice: in the positions the page carries, and in a real Chromium once the
page has parted its labels (it may only move nodes sideways in a picture in rows).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from mixity.cli import main
from mixity.cli.commands.render import LAYOUT_NAMES, VIEW_NAMES
from mixity.graph.io.loader import LoadedGraph, load
from mixity.graph.model.views import VIEWS, ontology, select
from mixity.graph.page.layout import LAYOUTS, hierarchical_layout, levels
from mixity.graph.page.render import render_html
from mixity.graph.page.style import BUNDLED, IBIS_NOTATION, STANCES
from mixity.namespaces import MIX, PREFIXES
from tests.test_render import page_data
from tests.test_render_browser import (
    LABEL_BOXES,
    WINDOW,
    Opened,
    centre,
    node_point,
    open_page,
)

SCHEMA = PREFIXES["schema"]
IBIS = PREFIXES["ibis"]
ID = "https://w3id.org/mixity/id/"
MEETING = ID + "meeting/rencontre-gusp-2019-11-06"
WORKSHOP = MEETING + "/workshop/"
REUNIR = ID + "lever/reunir-acteurs-copropriete"

#: The rows of the map, top first: each a set of classes (a node's most specific class).
BANDS = (
    {SCHEMA + "EventSeries"},
    {MIX + "Meeting"},
    {MIX + "Workshop"},
    {MIX + "Question"},
    {MIX + "Lever", MIX + "Finding"},
    {MIX + "ActorType"},
)

#: An extension in the bundled prefixes: a question of its own, raised at a workshop; a kind of
#: lever of its own answering it; an event kind of its own; an argument for and one against.
EXTENSION = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix ibis: <https://vocab.methodandstructure.com/ibis#> .
@prefix meeting: <https://w3id.org/mixity/id/meeting/> .
@prefix workshop: <https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06/workshop/> .
@prefix question: <https://w3id.org/mixity/id/question/> .
@prefix lever: <https://w3id.org/mixity/id/lever/> .
@prefix actor: <https://w3id.org/mixity/id/actor/> .
@prefix ex: <https://example.org/ibis/> .

ex:Proposal a owl:Class ; rdfs:subClassOf mix:Lever ;
    rdfs:label "proposition"@fr , "proposal"@en .
ex:Hearing a owl:Class ; rdfs:subClassOf schema:Event ;
    rdfs:label "audition"@fr , "hearing"@en .

question:qui-decide a mix:Question ;
    rdfs:label "Qui décide de la mixité d'un immeuble ?"@fr ;
    mix:raisedAt workshop:atelier-2 .

lever:conseil-d-immeuble a ex:Proposal ;
    rdfs:label "Créer un conseil d'immeuble"@fr ;
    mix:proposedAt workshop:atelier-2 ;
    ibis:responds-to question:qui-decide ;
    mix:involves actor:habitants .

ex:audition a ex:Hearing ;
    rdfs:label "Audition des syndics"@fr ;
    schema:superEvent meeting:rencontre-gusp-2019-11-06 .

ex:pour a ibis:Argument ; rdfs:label "Les habitants connaissent leur immeuble"@fr ;
    ibis:supports lever:conseil-d-immeuble .
ex:contre a ibis:Argument ; rdfs:label "Un conseil de plus épuise les bénévoles"@fr ;
    ibis:opposes lever:conseil-d-immeuble .
"""


@pytest.fixture(scope="module")
def extension(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ibis") / "ibis-extension.ttl"
    path.write_text(EXTENSION, encoding="utf-8")
    return path


def iri_of(data: dict[str, Any], node: int) -> str:
    iri: str = data["details"][node]["iri"]
    return iri


def class_of(data: dict[str, Any]) -> dict[int, str]:
    """Each node's class, as the legend says it."""
    legend = {c["key"]: c["iri"] for c in data["classes"]}
    return {n["id"]: legend[n["group"]] for n in data["nodes"]}


def heights(data: dict[str, Any], where: dict[int, tuple[float, float]]) -> list[list[float]]:
    """The heights of the nodes of each band, top band first (y grows downwards)."""
    classes = class_of(data)
    found: list[list[float]] = [[] for _ in BANDS]
    for node, cls in classes.items():
        band = next(i for i, members in enumerate(BANDS) if cls in members)
        found[band].append(where[node][1])
    return found


def assert_in_rows(data: dict[str, Any], where: dict[int, tuple[float, float]]) -> None:
    """Every node of a band strictly above every node of the next."""
    found = heights(data, where)
    assert all(found), [len(f) for f in found]
    for upper, lower in itertools.pairwise(found):
        assert max(upper) < min(lower), (upper, lower)


def answers(graph: Graph, data: dict[str, Any]) -> list[tuple[int, int]]:
    """(lever, question) node pairs of the page, from the graph's ibis:responds-to links."""
    ids = {iri_of(data, n["id"]): n["id"] for n in data["nodes"]}
    onto = ontology(graph)
    pairs = [
        (ids[str(lever)], ids[str(question)])
        for lever, question in graph.subject_objects(URIRef(IBIS + "responds-to"))
        if onto.is_a(lever, {URIRef(MIX + "Lever")}) and str(lever) in ids
    ]
    assert pairs
    return pairs


def page_positions(data: dict[str, Any]) -> dict[int, tuple[float, float]]:
    return {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}


# --- The view ------------------------------------------------------------------------------


def test_the_ibis_view_keeps_the_map_and_leaves_out_talks_and_people(
    bundled: LoadedGraph,
) -> None:
    graph = bundled.graph
    onto = ontology(graph)
    shown = select(graph, "ibis", onto=onto)
    nodes = set(shown.nodes)
    classes = {str(onto.most_specific(n)) for n in nodes}
    assert {cls for band in BANDS for cls in band} <= classes
    for cls in (MIX + "Question", MIX + "Lever", MIX + "ActorType", MIX + "Workshop"):
        assert set(graph.subjects(RDF.type, URIRef(cls))) <= nodes, cls
    left_out = {MIX + "Talk", SCHEMA + "Person", MIX + "Notion", MIX + "SourceDocument"}
    assert not classes & left_out
    assert not any(onto.is_a(n, {URIRef(MIX + "Talk")}) for n in nodes)
    links = {(str(s), str(p), str(o)) for s, p, o in shown.edges}
    assert (REUNIR, IBIS + "responds-to", ID + "question/mixite-sociale-au-quotidien") in links
    assert (REUNIR, MIX + "involves", ID + "actor/habitants") in links
    assert (REUNIR, MIX + "proposedAt", MEETING) in links
    assert (
        ID + "question/immeubles-mixtes-realites-vie-gestion",
        MIX + "raisedAt",
        WORKSHOP + "atelier-1",
    ) in links
    assert (WORKSHOP + "atelier-1", SCHEMA + "superEvent", MEETING) in links
    assert {p for _, p, _ in links} <= {
        SCHEMA + "superEvent",
        SCHEMA + "subEvent",
        MIX + "raisedAt",
        MIX + "proposedAt",
        MIX + "statedAt",
        IBIS + "responds-to",
        MIX + "involves",
    }


def test_the_page_draws_the_map_in_rows(bundled: LoadedGraph) -> None:
    data = page_data(render_html(bundled, view="ibis"))
    assert data["provenance"]["layout"] == "hierarchical"
    assert data["rows"] is True and data["physics"] is False
    assert data["options"]["physics"] == {"enabled": False}
    where = page_positions(data)
    assert_in_rows(data, where)
    for lever, question in answers(bundled.graph, data):
        assert where[lever][1] > where[question][1]
    # Another layout on request.
    forced = page_data(render_html(bundled, view="ibis", layout="force"))
    assert forced["provenance"]["layout"] == "force" and forced["rows"] is False


def test_the_map_crosses_fewer_links_than_rows_in_iri_order(bundled: LoadedGraph) -> None:
    data = page_data(render_html(bundled, view="ibis"))
    pairs = [(e["from"], e["to"]) for e in data["edges"]]
    ordered = page_positions(data)
    rows = levels(
        [{class_of(data)[n["id"]]} for n in data["nodes"]],
        pairs,
        [(cls, k) for k, band in enumerate(BANDS) for cls in band],
    )
    unordered = dict(enumerate(hierarchical_layout(rows, pairs, sweeps=0)))
    assert crossings(ordered, pairs) < crossings(unordered, pairs)


def crossings(where: dict[int, tuple[float, float]], pairs: list[tuple[int, int]]) -> int:
    """How many pairs of straight links cross."""

    def turn(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (c[1] - a[1]) * (b[0] - a[0]) - (b[1] - a[1]) * (c[0] - a[0])

    count = 0
    for i, (a, b) in enumerate(pairs):
        for c, d in pairs[i + 1 :]:
            if len({a, b, c, d}) < 4:
                continue
            p, q, r, s = where[a], where[b], where[c], where[d]
            if turn(p, q, r) * turn(p, q, s) < 0 and turn(r, s, p) * turn(r, s, q) < 0:
                count += 1
    return count


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_map_speaks_ibis_and_other_views_keep_their_colours(
    bundled: LoadedGraph, lang: str
) -> None:
    data = page_data(render_html(bundled, view="ibis", lang=lang))
    legend = {c["iri"]: c for c in data["classes"]}
    assert (legend[MIX + "Question"]["color"], legend[MIX + "Question"]["shape"]) == (
        IBIS_NOTATION[IBIS + "Issue"]
    )
    assert (legend[MIX + "Lever"]["color"], legend[MIX + "Lever"]["shape"]) == (
        IBIS_NOTATION[IBIS + "Position"]
    )
    assert (legend[MIX + "Finding"]["color"], legend[MIX + "Finding"]["shape"]) == (
        IBIS_NOTATION[IBIS + "Argument"]
    )
    for cls in (MIX + "Meeting", MIX + "Workshop", MIX + "ActorType"):
        assert (legend[cls]["color"], legend[cls]["shape"]) == BUNDLED[cls]
    words = {"fr": ("question", "levier", "constat"), "en": ("question", "lever", "finding")}[lang]
    assert [legend[MIX + c]["label"] for c in ("Question", "Lever", "Finding")] == list(words)
    assert (
        data["subtitle"]
        == {
            "fr": "une carte IBIS en rangs : rencontre → ateliers → questions → leviers → types "
            "d'acteurs",
            "en": VIEWS["ibis"].description,
        }[lang]
    )
    # Labels inside the cards have no white halo; the groups say so to vis-network.
    group = data["options"]["groups"][legend[MIX + "Question"]["key"]]
    assert group["shape"] == "box" and group["font"] == {"strokeWidth": 0}
    # The other views keep the bundled colours.
    debate = {c["iri"]: c for c in page_data(render_html(bundled, view="debate"))["classes"]}
    assert (debate[MIX + "Question"]["color"], debate[MIX + "Question"]["shape"]) == (
        BUNDLED[MIX + "Question"]
    )


def test_an_extensions_question_and_lever_take_their_rows(extension: Path) -> None:
    loaded = load([extension])
    data = page_data(render_html(loaded, view="ibis"))
    where = page_positions(data)
    ids = {iri_of(data, n["id"]): n["id"] for n in data["nodes"]}
    bands = heights(data | {"classes": _as_bundled(data["classes"])}, where)
    question, lever = ids[ID + "question/qui-decide"], ids[ID + "lever/conseil-d-immeuble"]
    assert min(bands[3]) <= where[question][1] <= max(bands[3])
    assert min(bands[4]) <= where[lever][1] <= max(bands[4])
    assert where[lever][1] > where[question][1] > where[ids[WORKSHOP + "atelier-2"]][1]
    # The new kind of event sits in the meeting's row, the arguments in the levers'.
    assert_in_rows(data | {"classes": _as_bundled(data["classes"])}, where)
    # The proposal is drawn as a lever; the arguments green for, red against.
    legend = {(c["iri"], c["color"]): c for c in data["classes"]}
    proposal = next(c for c in data["classes"] if c["iri"] == "https://example.org/ibis/Proposal")
    assert (proposal["color"], proposal["shape"]) == IBIS_NOTATION[IBIS + "Position"]
    assert legend[(IBIS + "Argument", STANCES["pro"][2])]["label"] == "argument (IBIS) — pour"
    assert legend[(IBIS + "Argument", STANCES["con"][2])]["label"] == "argument (IBIS) — contre"


def _as_bundled(classes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The legend with the extension's classes read as the bundled ones they specialise."""
    same = {
        "https://example.org/ibis/Proposal": MIX + "Lever",
        "https://example.org/ibis/Hearing": MIX + "Meeting",
        IBIS + "Argument": MIX + "Finding",
    }
    return [c | {"iri": same.get(c["iri"], c["iri"])} for c in classes]


def test_hierarchical_rows_on_another_view(bundled: LoadedGraph) -> None:
    data = page_data(render_html(bundled, view="debate", layout="hierarchical"))
    assert data["provenance"]["layout"] == "hierarchical"
    where = page_positions(data)
    ids = {iri_of(data, n["id"]): n["id"] for n in data["nodes"]}
    talk = ids[MEETING + "/talk/intervention-christine-lelevrier"]
    person = ids[ID + "person/christine-lelevrier"]
    # A talk sits below the meeting; its speaker, whom no rule places, below the talk.
    assert where[ids[MEETING]][1] < where[talk][1] < where[person][1]


def test_levels_follow_the_first_rule_then_the_links() -> None:
    rules = [("Argument", 4), ("Issue", 3), ("Event", 0)]
    classes = [{"Event"}, {"Issue"}, {"Argument", "Issue"}, set(), set(), set(), set()]
    pairs = [(0, 1), (1, 2), (2, 3), (0, 3), (4, 5), (5, 6)]
    # Node 3 goes one row below its highest neighbour (node 0), nodes 4-6 hang from the focus,
    # 5; then rows 0, 1, 3, 4 become 0, 1, 2, 3.
    assert levels(classes, pairs, rules, focus=5) == [0, 2, 3, 1, 1, 0, 1]
    # Without a focus, from the most linked node of that part.
    assert levels(classes, pairs, rules)[4:] == [1, 0, 1]


def test_hierarchical_layout_orders_rows_and_staggers_long_ones() -> None:
    # Two parents in IRI order, their children the other way round: the layout uncrosses them.
    where = hierarchical_layout([0, 0, 1, 1], [(0, 3), (1, 2)])
    assert (where[3][0] < where[2][0]) == (where[0][0] < where[1][0])
    assert where[0][1] == where[1][1] < where[2][1] == where[3][1]
    # A row of forty under one root, and one node below: the long row takes several lines,
    # all within its band.
    rows = [0] + [1] * 40 + [2]
    pairs = [(0, i) for i in range(1, 41)] + [(1, 41)]
    where = hierarchical_layout(rows, pairs)
    middle = {y for _, y in where[1:41]}
    assert len(middle) > 1
    assert where[0][1] < min(middle) and max(middle) < where[41][1]
    xs = sorted(x for x, _ in where[1:41])
    assert all(b - a > 1 for a, b in itertools.pairwise(xs))
    assert hierarchical_layout(rows, pairs) == where  # deterministic


# --- The command -----------------------------------------------------------------------------


def test_render_view_ibis_writes_the_page(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "x.html"
    result = runner.invoke(main, ["render", "--view", "ibis", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"Wrote {target} (")
    data = page_data(target.read_text(encoding="utf-8"))
    assert data["provenance"]["view"] == "ibis"
    assert data["provenance"]["layout"] == "hierarchical"


def test_render_help_lists_every_view_with_its_description(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", "--help"])
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    for name, spec in VIEWS.items():
        assert any(line.startswith(f"{name}: {spec.description}") for line in lines), name
    # The command's choices are the library's.
    assert tuple(VIEWS) == VIEW_NAMES
    assert LAYOUT_NAMES == LAYOUTS


def test_render_refuses_an_unknown_layout(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["render", "--view", "ibis", "--layout", "tree", "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 2
    assert "hierarchical" in result.stderr
    assert not (tmp_path / "x.html").exists()


# --- In Chromium -----------------------------------------------------------------------------


@pytest.fixture
def opened(browser: Any) -> Iterator[list[Opened]]:
    """The pages a test opens, closed after it."""
    pages: list[Opened] = []
    yield pages
    for each in pages:
        each.page.context.close()


@pytest.fixture(scope="module")
def ibis_file(bundled: LoadedGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("render-ibis") / "ibis.html"
    path.write_text(render_html(bundled, view="ibis"), encoding="utf-8")
    return path


def drawn_positions(page: Opened) -> dict[int, tuple[float, float]]:
    """Where the page's vis-network has the nodes, once it is ready."""
    found = page.js("window.mixity.network.getPositions()")
    return {int(k): (v["x"], v["y"]) for k, v in found.items()}


@pytest.mark.browser
def test_the_map_in_chromium_keeps_its_rows(
    browser: Any, ibis_file: Path, bundled: LoadedGraph, opened: list[Opened]
) -> None:
    opened.append(open_page(browser, ibis_file, viewport=WINDOW))
    page = opened[-1]
    assert page.blocked == [] and page.errors == []
    data = page.js("window.mixity.data")
    where = drawn_positions(page)
    assert len(where) == len(data["nodes"])
    assert_in_rows(data, where)
    for lever, question in answers(bundled.graph, data):
        assert where[lever][1] > where[question][1], (lever, question)
    # Readable at the default window: no label over another, none cut off (measured: letters
    # 9.9 px high in French, 9.7 in English).
    found = page.js(LABEL_BOXES)
    assert found["labels"] == found["nodes"] > 0
    assert found["pairs"] == [] and found["outside"] == 0
    assert found["px"] >= 9
    # The legend draws the question's card and the lever's ellipse.
    assert page.page.locator("#classes svg rect").count() >= 1
    assert page.page.locator("#classes svg ellipse").count() == 1


@pytest.mark.browser
def test_clicking_a_lever_shows_its_quote(
    browser: Any, ibis_file: Path, opened: list[Opened]
) -> None:
    opened.append(open_page(browser, ibis_file))
    page = opened[-1]
    target = page.js("(iri) => window.mixity.data.details.findIndex(d => d.iri === iri)", REUNIR)
    assert target >= 0
    quotes = page.js(f"window.mixity.data.details[{target}].quotes.map(q => q.text)")
    assert any(q.startswith("Réunir très régulièrement tous les acteurs") for q in quotes)
    centre(page, target)
    page.page.mouse.click(*node_point(page, target))
    assert page.js("window.mixity.selected") == target
    panel = page.page.locator("#panel")
    assert panel.is_visible()
    shown = panel.locator("blockquote").all_text_contents()
    assert any("Réunir très régulièrement tous les acteurs" in text for text in shown)
    assert page.errors == [] and page.blocked == []


@pytest.mark.browser
def test_an_extensions_rows_hold_in_chromium(
    browser: Any, extension: Path, tmp_path: Path, opened: list[Opened]
) -> None:
    path = tmp_path / "ibis-extension.html"
    path.write_text(render_html(load([extension]), view="ibis", lang="en"), encoding="utf-8")
    # A small window: at the first drawing most nodes lie outside it, undrawn, and vis-network
    # has not measured the labels inside their cards where they are (the page parts the cards
    # by their shapes: measured by their labels, they crossed one another).
    opened.append(open_page(browser, path, viewport={"width": 800, "height": 500}))
    page = opened[-1]
    assert page.errors == [] and page.blocked == []
    found = page.js(LABEL_BOXES)
    assert found["labels"] == found["nodes"] > 0
    assert found["pairs"] == [] and found["outside"] == 0
    data = page.js("window.mixity.data")
    where = drawn_positions(page)
    assert_in_rows(data | {"classes": _as_bundled(data["classes"])}, where)
    ids = {iri_of(data, n["id"]): n["id"] for n in data["nodes"]}
    lever, question = ids[ID + "lever/conseil-d-immeuble"], ids[ID + "question/qui-decide"]
    assert where[lever][1] > where[question][1] > where[ids[WORKSHOP + "atelier-2"]][1]

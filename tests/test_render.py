"""`mixity render` and `mixity.graph.page.render`: the page's content, offline-ness, errors."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from mixity.cli import main
from mixity.graph.io.loader import LoadedGraph, load
from mixity.graph.model.edges import declared_inverses, one_way
from mixity.graph.model.views import ontology, select
from mixity.graph.page.layout import PHYSICS_LIMIT, force_layout
from mixity.graph.page.render import render, render_html
from mixity.graph.page.style import BUNDLED, class_styles
from mixity.graph.page.template import script_json
from mixity.namespaces import MIX, PREFIXES

ROOT = Path(__file__).resolve().parent.parent

EXTENSION = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix ext: <https://example.org/ext/> .

ext:Hearing a owl:Class ; rdfs:subClassOf schema:Event ;
    rdfs:label "audition"@fr , "hearing"@en .

ext:hearing-1 a ext:Hearing ;
    rdfs:label "Audition publique"@fr ;
    schema:superEvent <https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06> .

ext:only-french a mix:Question ;
    rdfs:label "Seulement en français ?"@fr ;
    mix:raisedAt ext:hearing-1 .

ext:no-label-at-all a mix:Question ;
    mix:raisedAt ext:hearing-1 .
"""

#: Anything the page could load from the network: src/href attributes, CSS url() and @import.
REMOTE = re.compile(
    r"""(?:\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//)""",
    re.I,
)


def page_data(page: str) -> dict[str, Any]:
    """The JSON the page carries."""
    found = re.search(
        r'<script type="application/json" id="mixity-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture(scope="module")
def extension(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ext") / "extension.ttl"
    path.write_text(EXTENSION, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def overview(bundled: LoadedGraph) -> str:
    return render_html(bundled)


def test_page_is_self_contained_and_offline(overview: str) -> None:
    assert overview.startswith("<!DOCTYPE html>")
    assert REMOTE.search(overview) is None
    assert "bootstrap" not in overview.lower()
    assert "vis.Network" in overview  # vis-network inlined from pyvis's package
    # Three script elements: the data, vis-network, mixity's page logic.
    assert len(re.findall(r"^<script", overview, re.M)) == 3
    assert "<script src" not in overview and "<link" not in overview
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', overview)
    assert csp is not None and "default-src 'none'" in csp.group(1)


def test_the_remote_pattern_catches_what_it_must() -> None:
    for bad in (
        '<script src="https://cdn.example/x.js">',
        "<link href='//cdn.example/x.css'>",
        "background: url( https://x/y.png )",
        '@import "https://x/y.css";',
        '<img src="http://x/y.png">',
    ):
        assert REMOTE.search(bad), bad
    assert not REMOTE.search('xmlns="http://www.w3.org/2000/svg"')


def test_nodes_and_edges_are_the_views(bundled: LoadedGraph, overview: str) -> None:
    data = page_data(overview)
    shown = one_way(select(bundled.graph, "overview"), declared_inverses(bundled.graph))
    assert len(data["nodes"]) == len(shown.nodes)
    assert len(data["edges"]) == len(shown.edges)
    assert len(data["details"]) == len(data["nodes"]) == len({n["id"] for n in data["nodes"]})
    assert sum(c["count"] for c in data["classes"]) == len(data["nodes"])
    labels = {n["title"].split("\n")[0] for n in data["nodes"]}
    assert "Christine Lelévrier" in labels
    assert not any(str(n["label"]).startswith(('"', "http")) for n in data["nodes"])
    assert "proposé lors de" in data["edge_labels"] or "proposé lors de" in {
        e.get("label") for e in data["edges"]
    }


def test_labels_follow_lang_with_fallback(extension: Path) -> None:
    loaded = load([extension])
    english = page_data(render_html(loaded, lang="en", view="debate"))
    titles = {n["title"].split("\n")[0] for n in english["nodes"]}
    assert "Seulement en français ?" in titles  # no English label: the French one
    assert "no-label-at-all" in titles  # no label at all: the local name
    assert "Audition publique" in titles
    french = page_data(render_html(loaded, lang="fr", view="debate"))
    assert english["ui"]["search"] != french["ui"]["search"]
    both = [d for d in english["details"] if {"fr", "en"} <= set(d["labels"])]
    assert both and all(d["labels"]["fr"] and d["labels"]["en"] for d in both)


def test_an_extension_class_gets_its_own_colour_and_legend_entry(extension: Path) -> None:
    loaded = load([extension])
    data = page_data(render_html(loaded, lang="en"))
    legend = {c["iri"]: c for c in data["classes"]}
    hearing = legend["https://example.org/ext/Hearing"]
    assert hearing["label"] == "hearing" and hearing["count"] == 1
    colours = [c["color"] for c in data["classes"]]
    assert len(set(colours)) == len(colours)
    # Same colour for a class whatever the view; the bundled classes' own.
    styles = class_styles(loaded.graph)
    assert styles[URIRef(MIX + "Lever")] == BUNDLED[MIX + "Lever"]
    debate = page_data(render_html(loaded, lang="en", view="debate"))
    assert {c["iri"]: c["color"] for c in debate["classes"]}.items() <= {
        k: v["color"] for k, v in legend.items()
    }.items()


def test_side_panel_data_has_quotes_sources_and_definitions(overview: str) -> None:
    data = page_data(overview)
    with_quotes = [d for d in data["details"] if d["quotes"]]
    assert len(with_quotes) > len(data["details"]) / 2
    quote = with_quotes[0]["quotes"][0]
    assert quote["text"] and quote["source"]
    addresses = {q["address"] for d in with_quotes for q in d["quotes"]}
    assert "https://www.leshabiles.org/2020/03/22/vivre-et-gerer-la-mixite-sociale/" in addresses
    assert any(d["definition"] for d in data["details"])
    assert all(set(d["labels"]) <= {"fr", "en"} for d in data["details"])


def test_json_cannot_close_its_script() -> None:
    text = script_json({"label": "</script><script>alert(1)</script><!-- \u2028"})
    assert "<" not in text and "\u2028" not in text
    assert json.loads(text)["label"].startswith("</script>")


def test_hostile_text_never_appears_as_markup(tmp_path: Path) -> None:
    path = tmp_path / "hostile.ttl"
    path.write_text(
        "@prefix mix: <https://w3id.org/mixity/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/x> a mix:Question ; rdfs:label "<img src=x onerror=alert(1)>"@fr ,'
        ' "</script><script>alert(2)</script>"@en .\n',
        encoding="utf-8",
    )
    page = render_html(load([path]), title="<b>title</b>")
    assert "<img src=x" not in page and "alert(2)</script>" not in page
    assert "<b>title</b>" not in page and "&lt;b&gt;title&lt;/b&gt;" in page
    assert "<img src=x onerror=alert(1)>" in {n["label"] for n in page_data(page)["nodes"]}


def test_small_graphs_use_physics_large_ones_precomputed_positions(
    bundled: LoadedGraph, tmp_path: Path
) -> None:
    small = page_data(render_html(bundled))
    assert small["physics"] is True and small["options"]["physics"]["enabled"] is True
    assert small["options"]["layout"]["randomSeed"] == 0
    sys.path.insert(0, str(ROOT))
    from bench.synth import write

    big = load([write(tmp_path / "synth.nt", 6000, seed=1)], bundled=False)
    data = page_data(render_html(big))
    assert len(data["nodes"]) > PHYSICS_LIMIT
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["provenance"]["layout"] == "force"
    spring = page_data(render_html(bundled, view="actors", layout="spring"))
    assert spring["physics"] is False and all("x" in n for n in spring["nodes"])


def test_layout_is_deterministic(bundled: LoadedGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1573000000")
    assert render_html(bundled, view="actors") == render_html(load(), view="actors")
    nodes = [f"n{i}" for i in range(400)]
    edges = [(f"n{i}", f"n{(i * 7 + 3) % 400}") for i in range(400)]
    first = force_layout(nodes, edges, seed=3)
    assert first == force_layout(nodes, edges, seed=3)
    assert first != force_layout(nodes, edges, seed=4)
    xs = sorted(x for x, _ in first.values())
    assert xs[-1] - xs[0] > 500  # spread out, not collapsed


def test_focus_and_provenance(bundled: LoadedGraph) -> None:
    data = page_data(render_html(bundled, focus="christine lelevrier", depth=1, lang="en"))
    assert data["provenance"]["focus"] == "Christine Lelévrier"
    assert data["provenance"]["depth"] == 1
    assert data["provenance"]["files"] == [f.path for f in bundled.files]
    assert data["provenance"]["version"]
    assert len(data["nodes"]) == len(
        select(bundled.graph, "overview", focus="Christine Lelévrier").nodes
    )


def test_notebook_display_is_an_escaped_srcdoc_iframe(bundled: LoadedGraph) -> None:
    shown = render(bundled, view="actors")
    frame = shown._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts"' in frame
    body = frame[len('<iframe srcdoc="') : frame.index('" sandbox=')]
    assert "<" not in body and '"' not in body
    assert html.unescape(body) == shown.html
    assert shown.nodes == len(select(bundled.graph, "actors").nodes)


def test_query_construct_and_select_become_the_graph(bundled: LoadedGraph, tmp_path: Path) -> None:
    construct = tmp_path / "q.rq"
    construct.write_text(
        "CONSTRUCT { ?l mix:involves ?a } WHERE { ?l a mix:Lever ; mix:involves ?a }",
        encoding="utf-8",
    )
    data = page_data(render_html(bundled, query=str(construct)))
    involves = {
        (s, o) for s, _, o in select(bundled.graph, "actors").edges if str(_).endswith("involves")
    }
    assert len(data["edges"]) == len(involves)
    assert data["provenance"]["query"] == str(construct)
    select_spo = (
        "SELECT ?s ?p ?o WHERE { ?s a mix:Lever ; ?p ?o . FILTER(isIRI(?o) && ?p = mix:involves) }"
    )
    assert len(page_data(render_html(bundled, query=select_spo))["edges"]) == len(involves)


def test_query_that_is_not_a_graph_is_refused(bundled: LoadedGraph) -> None:
    from mixity.errors import MixityError

    with pytest.raises(MixityError, match=r"CONSTRUCT.*\?x"):
        render_html(bundled, query="SELECT ?x WHERE { ?x a mix:Lever }")


# --- The command -----------------------------------------------------------------------------


def test_cli_writes_default_file_in_current_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["render", "--view", "actors", "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Wrote mixity-actors.html" in result.stderr
    page = (tmp_path / "mixity-actors.html").read_text(encoding="utf-8")
    assert page_data(page)["lang"] == "en"
    assert [p.name for p in tmp_path.iterdir()] == ["mixity-actors.html"]


def test_cli_output_option(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "debate.html"
    result = runner.invoke(
        main,
        ["render", "--view", "debate", "-o", str(out), "--focus", "Lever", "--depth", "0"],
        catch_exceptions=False,
    )
    # "Lever" is a class label, not a resource of the debate view: a clean error.
    assert result.exit_code == 1
    assert not out.exists()
    result = runner.invoke(main, ["render", "--view", "debate", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()


def _assert_clean_failure(result: Any, target: Path) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.stderr.startswith("mixity: error: ")
    assert result.stdout == ""
    assert not target.exists()


def test_cli_missing_output_folder(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "page.html"
    result = runner.invoke(main, ["render", "-o", str(target)])
    _assert_clean_failure(result, target)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not exist" in result.stderr


def test_cli_unknown_view_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    result = runner.invoke(main, ["render", "--view", "everything", "-o", str(target)])
    assert result.exit_code == 2
    assert "overview" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()


def test_cli_unknown_focus_suggests_and_keeps_existing_output(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "page.html"
    target.write_text("previous page", encoding="utf-8")
    result = runner.invoke(main, ["render", "--focus", "Christine Lelevriere", "-o", str(target)])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "did you mean" in result.stderr and "Christine Lelévrier" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous page"


def test_cli_bad_graph_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    text = "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c ;\n  ex:d .\n"
    bad.write_text(text, encoding="utf-8")
    target = tmp_path / "page.html"
    result = runner.invoke(main, ["render", "-g", str(bad), "-o", str(target)])
    _assert_clean_failure(result, target)
    assert f"{bad}:" in result.stderr and re.search(r"broken\.ttl:\d+:\d+", result.stderr)
    assert bad.read_text(encoding="utf-8") == text
    missing = runner.invoke(main, ["render", "-g", str(tmp_path / "absent.ttl"), "-o", str(target)])
    _assert_clean_failure(missing, target)


def test_cli_query_not_a_graph_and_missing_query_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    rq = tmp_path / "rows.rq"
    rq.write_text("SELECT ?x WHERE { ?x a mix:Lever }", encoding="utf-8")
    _assert_clean_failure(
        runner.invoke(main, ["render", "--query", str(rq), "-o", str(target)]), target
    )
    _assert_clean_failure(
        runner.invoke(main, ["render", "--query", str(tmp_path / "absent.rq"), "-o", str(target)]),
        target,
    )
    unknown = runner.invoke(main, ["render", "--query", "no-such-saved-query", "-o", str(target)])
    _assert_clean_failure(unknown, target)


def test_cli_saved_query_with_parameter(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "around.html"
    result = runner.invoke(
        main,
        [
            "render",
            "--query",
            "neighbourhood",
            "-p",
            "resource=Christine Lelévrier",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = page_data(target.read_text(encoding="utf-8"))
    assert data["provenance"]["query"] == "neighbourhood"
    assert "Christine Lelévrier" in {n["title"].split("\n")[0] for n in data["nodes"]}


def test_render_command_imports_lazily() -> None:
    import subprocess

    code = (
        "import sys, mixity.cli.commands.render\n"
        "assert 'pyvis' not in sys.modules and 'networkx' not in sys.modules, sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_views_cover_every_ontology_class_in_overview(bundled: LoadedGraph) -> None:
    onto = ontology(bundled.graph)
    data = page_data(render_html(bundled))
    legend = {c["iri"] for c in data["classes"]}
    shown = select(bundled.graph, "overview", onto=onto)
    assert legend == {str(onto.most_specific(n)) for n in shown.nodes}


# --- Focus: the one resolver ------------------------------------------------------------------


def test_focus_takes_prefixed_names_partial_labels_and_iris(
    bundled: LoadedGraph, extension: Path
) -> None:
    mixite = "https://w3id.org/mixity/id/notion/mixite"
    expected = len(select(bundled.graph, "overview", focus=f"<{mixite}>").nodes)
    for text in ("notion:mixite", "id:notion/mixite", f"<{mixite}>", mixite, "MIXITE"):
        data = page_data(render_html(bundled, focus=text))
        assert data["provenance"]["focus"] == "mixité", text
        assert len(data["nodes"]) == expected, text
    # The start of a label, as users type it; either language.
    for text in ("Atelier n°1", "atelier n 1", "Workshop 1"):
        data = page_data(render_html(bundled, focus=text, depth=0))
        assert [d["iri"] for d in data["details"]] == [
            "https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06/workshop/atelier-1"
        ], text
    # An extension's own prefix, as its file declares it.
    data = page_data(render_html(load([extension]), focus="ext:hearing-1", depth=0))
    assert data["provenance"]["focus"] == "Audition publique"


def test_an_ambiguous_focus_lists_the_candidates(bundled: LoadedGraph) -> None:
    from mixity.errors import AmbiguousName

    with pytest.raises(AmbiguousName) as caught:
        render_html(bundled, focus="atelier n")
    assert len(caught.value.candidates) > 1
    assert any("workshop:atelier-1" in c for c in caught.value.candidates)


def test_cli_focus_by_prefixed_name(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "mixite.html"
    result = runner.invoke(main, ["render", "--focus", "notion:mixite", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert page_data(target.read_text(encoding="utf-8"))["provenance"]["focus"] == "mixité"
    result = runner.invoke(main, ["render", "--focus", "", "-o", str(target)])
    assert result.exit_code != 0 and "--focus" in result.stderr


def test_library_messages_name_parameters_not_options(bundled: LoadedGraph) -> None:
    from mixity.errors import InvalidParameter

    with pytest.raises(InvalidParameter) as caught:
        render_html(bundled, view="concepts", focus="Christine Lelévrier")
    assert caught.value.parameter == "focus" and "--" not in str(caught.value)
    assert "view=overview" in str(caught.value)
    for wrong, parameter in (
        ({"layout": "grid"}, "layout"),
        ({"lang": "de"}, "lang"),
        ({"depth": -1}, "depth"),
        ({"params": {"resource": "x"}}, "params"),
        ({"size_by": "nope:rank"}, "size_by"),
    ):
        with pytest.raises(InvalidParameter) as caught:
            render_html(bundled, **wrong)  # type: ignore[arg-type]
        assert caught.value.parameter == parameter and "--" not in str(caught.value)


# --- Queries: on the graph given, which stays as it was ----------------------------------------

INVOLVES = "CONSTRUCT { ?l mix:involves ?a } WHERE { ?l a mix:Lever ; mix:involves ?a }"


def test_a_query_runs_on_the_graph_given_not_on_files(bundled: LoadedGraph) -> None:
    from rdflib import Graph

    built = Graph()  # built in memory: no file behind it
    for triple in bundled.graph:
        built.add(triple)
    expected = len(built.query(INVOLVES, initNs={"mix": MIX}).graph)  # type: ignore[arg-type]
    assert expected > 10
    assert len(page_data(render_html(built, query=INVOLVES))["edges"]) == expected
    tiny = Graph()
    tiny.parse(
        data="<https://example.org/a> <https://example.org/knows> <https://example.org/b> .",
        format="nt",
    )
    data = page_data(render_html(tiny, query="CONSTRUCT WHERE { ?s ?p ?o }"))
    assert [d["iri"] for d in data["details"]] == ["https://example.org/a", "https://example.org/b"]
    assert len(data["edges"]) == 1


def test_a_querys_blank_nodes_are_the_graphs_own(bundled: LoadedGraph) -> None:
    # Quote selectors are blank nodes: the page still finds what the graph says about them.
    query = "CONSTRUCT { ?e oa:hasSelector ?s } WHERE { ?e oa:hasSelector ?s }"
    data = page_data(render_html(bundled, query=query))
    exact = {str(o) for o in bundled.graph.objects(None, URIRef(PREFIXES["oa"] + "exact"))}
    selectors = [d for d in data["details"] if not d["iri"]]
    assert selectors and len(selectors) == len(data["edges"])
    assert all({value for _, value in d["attributes"]} & exact for d in selectors)


def test_a_query_sees_rdfs_entailment_and_the_files_prefixes(extension: Path) -> None:
    # ext:hearing-1 is only an ext:Hearing; ext:Hearing is a subclass of schema:Event.
    query = (
        "CONSTRUCT { ?e schema:superEvent ?m } WHERE { ?e a schema:Event ; schema:superEvent ?m "
        "FILTER(STRSTARTS(STR(?e), STR(ext:))) }"
    )
    data = page_data(render_html(load([extension]), query=query))
    assert "https://example.org/ext/hearing-1" in {d["iri"] for d in data["details"]}
    assert len(data["edges"]) == 1


def test_rendering_a_query_leaves_the_callers_graph_and_ontology_alone(extension: Path) -> None:
    loaded = load([extension])
    triples = set(loaded.graph)
    prefixes = sorted(loaded.graph.namespaces())
    origins = dict(loaded.origins)
    # The answer types the levers as ext:Chosen: the legend shows it, the graph does not get it.
    query = (
        "CONSTRUCT { ?l a ext:Chosen ; mix:involves ?a } WHERE { ?l a mix:Lever ; mix:involves ?a }"
    )
    data = page_data(render_html(loaded, query=query))
    assert "https://example.org/ext/Chosen" in {c["iri"] for c in data["classes"]}
    assert set(loaded.graph) == triples
    assert sorted(loaded.graph.namespaces()) == prefixes
    assert loaded.origins == origins
    onto = ontology(loaded.graph)
    before = {node: set(types) for node, types in onto.types.items()}
    node = next(iter(onto.types))
    chosen = URIRef("https://example.org/ext/Chosen")
    learnt = onto.with_types([(node, chosen)])
    assert chosen in learnt.types[node]
    assert onto.types == before


# --- vis-network from pyvis ---------------------------------------------------------------------


def test_vis_network_is_found_in_any_version_folder(tmp_path: Path) -> None:
    from mixity.graph.page.template import VIS_CSS, VIS_JS, vis_network

    for folder, version in (("lib/vis-9.1.2", "old"), ("templates/lib/vis-10.2.0", "new")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / VIS_JS).write_text(f"js {version}", encoding="utf-8")
        (tmp_path / folder / VIS_CSS).write_text(f"css {version}", encoding="utf-8")
    (tmp_path / "vis-11.0.0").mkdir()  # newer, but without its CSS
    (tmp_path / "vis-11.0.0" / VIS_JS).write_text("js incomplete", encoding="utf-8")
    assert vis_network(tmp_path) == ("js new", "css new")


def test_vis_network_missing_is_a_clear_error(tmp_path: Path) -> None:
    from mixity.errors import MixityError
    from mixity.graph.page.template import vis_network

    with pytest.raises(MixityError, match=r"^pyvis .*does not ship vis-network.*reinstall"):
        vis_network(tmp_path)


# --- Search ----------------------------------------------------------------------------------


def test_search_keys_are_folded_names_and_prefixed_names(
    bundled: LoadedGraph, extension: Path
) -> None:
    from mixity.graph.model.resolve import fold

    data = page_data(render_html(load([extension])))
    keys = {d["iri"]: k for d, k in zip(data["details"], data["search"], strict=True)}
    assert {"mixite", "mixity", "notion mixite", "id notion mixite"} <= set(
        keys["https://w3id.org/mixity/id/notion/mixite"]
    )
    assert "ext hearing 1" in keys["https://example.org/ext/hearing-1"]
    workshop = keys[
        "https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06/workshop/atelier-1"
    ]
    assert fold("Immeubles mixtes : quelles réalités de vie et de gestion ?") in workshop
    assert all(key == fold(key) for node in data["search"] for key in node)

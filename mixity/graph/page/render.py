"""Draw a view of the graph as one self-contained, offline, explorable HTML page.

The page is vis-network (from pyvis's package, inlined) driven by mixity's own script, with
a legend and class filters, a search by label or `prefix:name`, and a side panel with each
resource's labels, types, definition and evidence quotes. Nothing is fetched from the network.

The work is split by what it decides: `views` (which nodes and edges), `page.query` (a query's
answer as the picture), `page.data` (what the page says about them), `page.layout` (where they
go), `page.style` (how they look), `page.template` (the HTML).

    from mixity.graph.page.render import render, render_html
    html = render_html(mixity.load(), view="debate", lang="en")
    render(mixity.load(), focus="mixité sociale", depth=2)   # displays in a notebook
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from mixity.errors import InvalidParameter
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model.edges import declared_inverses, one_way
from mixity.graph.model.labels import key_of, label, name_index
from mixity.graph.model.views import View, neighbourhood, ontology, resolve, select
from mixity.graph.page.data import Provenance, measure, page_data
from mixity.graph.page.layout import LAYOUTS
from mixity.graph.page.template import page_html
from mixity.graph.page.words import UI, default_title

if TYPE_CHECKING:
    from mixity.graph.sparql.hints import QueryWarning

__all__ = ["Rendered", "render", "render_html"]


@dataclass
class Rendered:
    """A rendered page: `.html`, its sizes, `.save(path)`, and a notebook display; the
    warnings of the query it draws (`QueryWarning`), if one."""

    html: str
    nodes: int
    edges: int
    height: int = 720
    warnings: tuple[QueryWarning, ...] = ()

    def save(self, path: str | Path) -> None:
        """Write the page atomically (nothing is written if the folder is missing)."""
        from mixity.graph.io.write import atomic_write

        atomic_write(path, self.html)

    def _repr_html_(self) -> str:
        # An iframe with srcdoc works where pyvis's notebook output stays blank (VS Code,
        # Colab); sandboxed without same-origin, the page cannot touch the notebook.
        doc = html_lib.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{doc}" sandbox="allow-scripts" title="mixity graph" '
            f'style="width:100%;height:{self.height}px;border:1px solid #d0d4da;border-radius:6px">'
            "</iframe>"
        )

    def __str__(self) -> str:
        return self.html


def render(
    source: LoadedGraph | Graph | None = None,
    *,
    view: str = "overview",
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
    layout: str = "auto",
    query: str | None = None,
    params: Mapping[str, str] | None = None,
    title: str | None = None,
    seed: int = 0,
    size_by: str | None = None,
    strict: bool = False,
) -> Rendered:
    """Draw the graph as one self-contained HTML page (no network access needed).

    The result displays itself in a notebook; `.html` is the page, `.save(path)` writes it.
    The graph given is only read, never changed.

    Args:
        source: a `LoadedGraph` (from `mixity.load`), an rdflib `Graph`, or None for the
            bundled graph.
        view: overview, debate, concepts, actors, evidence or ibis (`mixity.graph.model.views`).
        focus: a label or part of one (either language, accents and case ignored),
            `prefix:name` (any prefix of the loaded files) or IRI: draw only the nodes at most
            `depth` steps from it.
        lang: "fr" or "en": labels in that language, falling back to the other.
        layout: auto (the view's own: hierarchical for ibis; else physics up to 200 nodes,
            then force), physics, force, spring, kamada-kawai, circular or hierarchical (rows).
        query: SPARQL text, a `.rq` file or a saved query's name, run on `source` as
            `mixity query` would (RDFS entailment, predeclared prefixes): its CONSTRUCT or
            DESCRIBE answer (or a SELECT of ?s ?p ?o) is drawn instead of `view`.
        params: values for the query's parameters.
        title: the page's title (default: the view, or the query).
        seed: the seed of the layout (same graph and seed, same picture).
        size_by: a measure of `mixity analyze --format turtle` (degree, betweenness, pagerank)
            or any numeric property `prefix:name`: node size grows with its value. Default:
            the node's degree in the picture.
        strict: make the query's warnings (`Rendered.warnings`) a `QueryError`.

    Raises `UnknownName`, `AmbiguousName` or `InvalidParameter` for a focus, view, layout or
    language that does not fit, `QueryError` for a query that does not run.
    """
    _check(lang=lang, layout=layout, depth=depth, query=query, params=params)
    loaded = _loaded(source)
    graph = loaded.graph
    onto = ontology(graph)
    provenance = Provenance(files=[f.path for f in loaded.files])
    warnings: tuple[QueryWarning, ...] = ()
    if query is not None:
        from mixity.graph.page.query import query_answer

        answer = query_answer(graph, query, params, strict=strict)
        # The answer may type its nodes: a copy of the ontology learns them.
        onto = onto.with_types(answer.types, answer.schema)
        shown = answer.view if focus is None else _narrow(graph, answer.view, focus, depth)
        provenance.query = answer.name
        heading, subtitle, warnings = title or answer.name, "", answer.warnings
    else:
        shown = select(graph, view, focus=focus, depth=depth, lang=lang, onto=onto)
        centre = label(graph, shown.focus, lang) if shown.focus is not None else None
        heading = title or default_title(shown.name, centre, lang)
        subtitle = UI[lang][shown.name]
    # A link stated both ways (broader and narrower) is drawn once, the way it is read.
    shown = one_way(shown, declared_inverses(graph))
    data = page_data(
        loaded,
        onto,
        shown,
        heading=heading,
        subtitle=subtitle,
        lang=lang,
        layout=layout,
        seed=seed,
        provenance=provenance,
        sizes=measure(graph, size_by, shown.nodes) if size_by else None,
    )
    html = page_html(heading, lang, data)
    return Rendered(html, nodes=len(shown.nodes), edges=len(shown.edges), warnings=warnings)


def render_html(
    source: LoadedGraph | Graph | None = None,
    *,
    view: str = "overview",
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
    layout: str = "auto",
    query: str | None = None,
    params: Mapping[str, str] | None = None,
    title: str | None = None,
    seed: int = 0,
    size_by: str | None = None,
) -> str:
    """The HTML of `render`'s page (same arguments)."""
    return render(
        source,
        view=view,
        focus=focus,
        depth=depth,
        lang=lang,
        layout=layout,
        query=query,
        params=params,
        title=title,
        seed=seed,
        size_by=size_by,
    ).html


def _loaded(source: LoadedGraph | Graph | None) -> LoadedGraph:
    """`source` as a `LoadedGraph` (None: the bundled graph)."""
    if source is None:
        from mixity.graph.io.loader import load

        return load()
    return source if isinstance(source, LoadedGraph) else LoadedGraph(graph=source)


def _check(
    *, lang: str, layout: str, depth: int, query: str | None, params: Mapping[str, str] | None
) -> None:
    """Refuse arguments that cannot fit before loading or drawing anything."""
    if lang not in UI:
        raise InvalidParameter("lang", f"unknown language {lang!r}; use {' or '.join(UI)}")
    if layout not in LAYOUTS:
        raise InvalidParameter("layout", f"unknown layout {layout!r}; use {', '.join(LAYOUTS)}")
    if depth < 0:
        raise InvalidParameter("depth", f"must be 0 or more, not {depth}")
    if params and query is None:
        raise InvalidParameter(
            "params", "is for a query's parameters; give {query} too", others=("query",)
        )


def _narrow(graph: Graph, shown: View, focus: str, depth: int) -> View:
    """The part of a query's picture around one node."""
    index = name_index(graph)
    centre = resolve(graph, focus, prefer=shown.nodes, parameter="focus", index=index)
    if centre not in set(shown.nodes):
        raise InvalidParameter(
            "focus", f"{index.display(key_of(centre))} is not in the query's answer"
        )
    keep = neighbourhood(centre, shown.edges, depth)
    return View(
        name=shown.name,
        nodes=[n for n in shown.nodes if n in keep],
        edges=[e for e in shown.edges if e[0] in keep and e[2] in keep],
        focus=centre,
        depth=depth,
    )

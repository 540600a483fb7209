"""`mixity render`: draw a view of the graph as one offline, explorable HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mixity.cli.options import graph_options, report_errors
from mixity.errors import printable

if TYPE_CHECKING:
    from mixity.graph.io.loader import LoadedGraph

#: The names of `mixity.graph.model.views.VIEWS` and `mixity.graph.page.layout.LAYOUTS`, spelt
#: out so that listing the commands does not import rdflib (a test keeps them equal).
VIEW_NAMES = ("overview", "debate", "concepts", "actors", "evidence", "ibis")
LAYOUT_NAMES = ("auto", "physics", "force", "spring", "kamada-kawai", "circular", "hierarchical")


class ViewOption(click.Option):
    """`--view`, whose help lists every view with its one-line description (`ViewSpec`),
    read only when the help is shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from mixity.graph.model.views import VIEWS

        lines = [f"{name}: {spec.description}" for name, spec in VIEWS.items()]
        self.help = "\b\n" + "\n".join(lines)
        return super().get_help_record(ctx)


@click.command("render")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE.html",
    help="Where to write the page (default: mixity-VIEW.html in the current folder).",
)
@click.option(
    "--view",
    cls=ViewOption,
    type=click.Choice(VIEW_NAMES),
    default="overview",
    show_default=True,
)
@click.option(
    "--query",
    metavar="Q.rq|NAME",
    help="Draw a query's answer instead of a view: a .rq file or a saved query "
    "(a CONSTRUCT, or a SELECT of ?s ?p ?o).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run --query on this SPARQL 1.1 endpoint and draw its answer (the page shows what "
    "the answer holds: let the CONSTRUCT include labels and types).",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A saved query's parameter (repeatable).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Make --query's warnings (a term no loaded file uses, a namespace one slip away "
    "from the graph's) errors: nothing is drawn, exit code 1.",
)
@click.option(
    "--focus",
    metavar="NAME",
    help="Draw only the neighbourhood of this resource: a label or its first words, in "
    'either language, accents and case ignored ("Atelier n°1"), a prefix:name with any '
    "prefix of the loaded files (notion:mixite), or an IRI.",
)
@click.option(
    "--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Steps from --focus."
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUT_NAMES),
    default="auto",
    show_default=True,
    help="auto: the view's own (hierarchical for ibis), else physics up to 200 nodes, then "
    "precomputed 'force' positions; spring, kamada-kawai, circular: networkx layouts; "
    "hierarchical: rows (meeting, workshops, questions, levers, actor types).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the layout.")
@click.option("--title", metavar="TEXT", help="Title of the page.")
@click.option(
    "--size-by",
    metavar="MEASURE",
    help="Size nodes by a measure of `mixity analyze --format turtle` loaded with -g "
    "(degree, betweenness, pagerank) or any numeric property prefix:name. "
    "Default: degree in the view.",
)
@graph_options
@report_errors
def cli(
    output: Path | None,
    view: str,
    query: str | None,
    endpoint: str | None,
    params: tuple[str, ...],
    strict: bool,
    focus: str | None,
    depth: int,
    layout: str,
    seed: int,
    title: str | None,
    size_by: str | None,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Write the graph (bundled + -g files) as one self-contained HTML page.

    The page works offline (vis-network is inlined, nothing is fetched): a legend
    with class filters, a search by label or prefix:name, and a side panel with
    each resource's labels, types, definition and evidence quotes.

    \b
    Examples:
      mixity render
      mixity render --view debate --lang en -o debate.html
      mixity render --view ibis -o ibis.html
      mixity analyze --format turtle -o measures.ttl
      mixity render -g measures.ttl --size-by pagerank
      mixity render --focus "mixité sociale" --depth 2
      mixity render --focus notion:mixite --view concepts
      mixity render --query neighbourhood -p resource="Christine Lelévrier"
      mixity render -g my-extension.ttl --view concepts
      mixity render --query neighbourhood -p resource=bailleurs --endpoint URL

    A slip in your own --query (a misspelt term or namespace) gets a warning on stderr.

    Exit code 0 when the page is written, 1 on an error or a --strict warning (nothing is written).
    """
    from mixity.graph.io.loader import load
    from mixity.graph.io.write import atomic_write, refuse_inputs
    from mixity.graph.page.render import render

    target = output or Path(f"mixity-{'query' if query else view}.html")
    folder = target.parent
    if not folder.is_dir():  # fail before the (slower) work, with nothing written
        from mixity.errors import OutputError

        raise OutputError(f"{target}: folder {folder} does not exist")
    refuse_inputs(target, (*graphs, query if query and query.endswith(".rq") else None))
    values = _values(params)
    if endpoint is not None:
        loaded, title = _answer_at(endpoint, query, values, graphs), title or query
        query, values = "CONSTRUCT WHERE { ?s ?p ?o }", {}  # draw the answer as it came
    else:
        loaded = load(graphs, bundled=not no_bundled)
    page = render(
        loaded,
        view=view,
        focus=focus,
        depth=depth,
        lang=lang,
        layout=layout,
        query=query,
        params=values or None,
        title=title,
        seed=seed,
        size_by=size_by,
        strict=strict,
    )
    for warning in page.warnings:
        click.echo(f"warning: {printable(str(warning))}", err=True)
    atomic_write(target, page.html)
    click.echo(
        f"Wrote {target} ({page.nodes} nodes, {page.edges} edges, "
        f"{len(page.html.encode('utf-8')) // 1024} KiB)",
        err=True,
    )


def _values(params: tuple[str, ...]) -> dict[str, str]:
    """The NAME=VALUE pairs of --param."""
    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        values[name.strip()] = value
    return values


def _answer_at(
    endpoint: str, query: str | None, values: dict[str, str], graphs: tuple[Path, ...]
) -> LoadedGraph:
    """The answer of --query at --endpoint, as the graph to draw."""
    from mixity.graph.io.loader import LoadedGraph
    from mixity.graph.remote.construct import remote_graph

    if query is None:
        raise click.UsageError("--endpoint draws a query's answer: give --query too")
    answer = remote_graph(endpoint, query, params=values or None, paths=graphs)
    return LoadedGraph(graph=answer)

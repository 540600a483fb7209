"""`mixity analyze`: centrality, communities, bridges and gaps of the debate network."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import graph_options, report_errors, view_options


@click.command("analyze")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "turtle"]),
    default="table",
    show_default=True,
    help="table: the report as text; json: the report as data; csv: one row of measures per "
    "resource; turtle: the measures as RDF (mix:degree, mix:betweenness, mix:pagerank, "
    "mix:community), to load back with -g.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many resources to list per class, community and bridge list.",
)
@click.option("--schema", is_flag=True, help="Count classes and properties as resources too.")
@click.option(
    "--evidence",
    is_flag=True,
    help="Count quotes, selectors and source documents too (they link to nearly everything).",
)
@view_options
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write to FILE (atomically: nothing is written if the command fails).",
)
@graph_options
@report_errors
def cli(
    fmt: str,
    top: int,
    schema: bool,
    evidence: bool,
    view: str | None,
    focus: str | None,
    depth: int,
    output: Path | None,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Measure the debate: what is central, what is isolated, what is left unanswered.

    Reports, per class, the most central resources (degree, betweenness, PageRank);
    the communities (Louvain, seeded: the same every run) and the resources that
    bridge them; resources with no link; questions no lever responds to
    (ibis:responds-to); which actor types the levers mobilise (a matrix) and how often.
    On large graphs betweenness is estimated from sampled sources (seeded), and the
    output says so. Content, not structure, is measured: scheme membership
    (skos:inScheme…) is not a link, and a link stated both ways (skos:broader and
    skos:narrower) counts once; the report's second line says what is counted.

    \b
    Examples:
      mixity analyze
      mixity analyze --top 5 --lang en
      mixity analyze --view actors
      mixity analyze --format turtle -o measures.ttl
      mixity query -g measures.ttl 'SELECT ?s ?r { ?s mix:pagerank ?r } ORDER BY DESC(?r)'

    Exit code 0 on success, 1 for an error in the input or the output path, 2 for
    a usage error.
    """
    from mixity.graph.io.loader import load
    from mixity.graph.io.write import atomic_write, refuse_inputs
    from mixity.graph.network.analyze import analyze
    from mixity.graph.network.projection import view_selection

    refuse_inputs(output, graphs)
    loaded = load(graphs, bundled=not no_bundled)
    nodes = view_selection(loaded.graph, view, focus=focus, depth=depth, lang=lang)
    if nodes is not None:
        schema, evidence = False, True
    analysis = analyze(
        loaded.graph,
        lang=lang,
        top=top,
        schema=schema,
        evidence=evidence,
        nodes=nodes,
        scope=_scope(view, focus, depth),
    )
    if analysis.betweenness_method != "exact":
        click.echo(f"mixity: note: {analysis.betweenness_note}", err=True)
    render = {
        "table": analysis.to_text,
        "csv": analysis.to_csv,
        "json": analysis.to_json,
        "turtle": analysis.to_turtle,
    }[fmt]
    text = render()
    if output is not None:
        atomic_write(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def _scope(view: str | None, focus: str | None, depth: int) -> str | None:
    if view is None and focus is None:
        return None
    scope = f"view {view or 'overview'}"
    return scope + (f", {depth} link(s) around {focus!r}" if focus is not None else "")

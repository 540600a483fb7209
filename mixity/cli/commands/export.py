"""`mixity export`: the graph (or part of it) for Gephi, Cytoscape, pandas or a triple store."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import graph_options, report_errors, view_options

FORMATS = (
    *("graphml", "gexf", "csv", "jsonld", "turtle", "nt", "trig"),
    # the researchers' other tools (mixity.cli.exchange)
    *("qdpx", "qdc", "aif", "argdown"),
)


@click.command("export")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="graphml/gexf (Gephi, Cytoscape, igraph), csv (nodes.csv + edges.csv), jsonld, "
    "turtle, nt, trig. Default: from the extension of -o.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Write to PATH (atomically) instead of stdout. For csv: a folder, or a .zip file.",
)
@click.option(
    "--schema/--no-schema",
    default=True,
    show_default=True,
    help="Include the ontology's classes and properties.",
)
@click.option(
    "--evidence/--no-evidence",
    default=True,
    show_default=True,
    help="Include the quotes, their selectors and the source documents as nodes. Without "
    "them, GraphML, GEXF and CSV keep each fact's quotes as attributes (quote, quote_source, "
    "quote_source_iri: a|b lists).",
)
@click.option(
    "--sources",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="qdpx: the folder of source texts, found by the SHA-256 their documents record.",
)
@view_options
@graph_options
@report_errors
def cli(
    fmt: str | None,
    output: Path | None,
    schema: bool,
    evidence: bool,
    sources: Path | None,
    view: str | None,
    focus: str | None,
    depth: int,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Export the graph as GraphML, GEXF, CSV, JSON-LD, Turtle, N-Triples or TriG.

    GraphML, GEXF and CSV hold one node per resource (IRI, labels in French and
    English, main class and all classes, definitions and other values as attributes;
    lists as a|b) and one edge per link (unique id, property IRI and labels; every link,
    both ways of an inverse pair too: an export is lossless). The RDF
    formats hold the triples themselves, byte for byte as `mixity query` writes them;
    JSON-LD in expanded form (full IRIs: no context to fetch). --focus takes a label
    (whole or part, any case or accents), prefix:name or an IRI.

    \b
    Examples:
      mixity export -o debate.graphml
      mixity export --format gexf --no-schema --no-evidence -o debate.gexf
      mixity export --format csv -o tables/        (tables/nodes.csv, tables/edges.csv)
      mixity export --format csv -o tables.zip
      mixity export --format jsonld > debate.jsonld
      mixity export --view concepts --focus "mixité sociale" --depth 2 -o part.gexf
      mixity export --format qdpx --sources texts/ -o debate.qdpx   (REFI-QDA project)
      mixity export --format qdc -o codebook.qdc     (REFI-QDA codebook)
      mixity export --format aif -o debate.json      (AIF-JSON, AIFdb/OVA)
      mixity export --format argdown -o debate.argdown

    Nothing is written when the command fails. Exit code 0 on success, 1 for an
    error in the input or the output path, 2 for a usage error.
    """
    from mixity.cli.exchange import exchange_format, export_exchange

    if (chosen := exchange_format(fmt, output)) is not None:
        export_exchange(
            chosen, output, sources=sources, graphs=graphs, no_bundled=no_bundled,
            lang=lang, view=view, focus=focus,
        )  # fmt: skip
        return
    from mixity.graph.io.loader import load
    from mixity.graph.io.write import refuse_inputs
    from mixity.graph.network.export import EXTENSIONS, export, save
    from mixity.graph.network.projection import view_selection

    if fmt is None:
        fmt = EXTENSIONS.get(output.suffix.lower()) if output is not None else None
        if fmt is None:
            raise click.UsageError(
                "give --format (graphml, gexf, csv, jsonld, turtle, nt, trig) "
                "or an -o file whose extension names one"
            )
    if fmt == "csv" and output is None:
        raise click.UsageError("csv writes two files: give -o FOLDER or -o FILE.zip")

    refuse_inputs(output, graphs)
    loaded = load(graphs, bundled=not no_bundled)
    nodes = view_selection(loaded.graph, view, focus=focus, depth=depth, lang=lang)
    if nodes is not None:
        schema, evidence = False, True
    exported = export(loaded.graph, fmt, schema=schema, evidence=evidence, nodes=nodes, lang=lang)
    if exported.nodes is not None:
        summary = f"{exported.nodes} nodes, {exported.edges} edges"
    else:
        summary = f"{exported.triples} triples"
    if output is None:
        click.echo(exported.single or b"", nl=False)  # bytes go to stdout's binary buffer
        click.echo(f"Exported {summary} as {fmt}", err=True)
        return
    written = save(exported, output)
    click.echo(f"Wrote {', '.join(map(str, written))} ({summary})", err=True)

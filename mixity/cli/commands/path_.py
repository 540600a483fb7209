"""`mixity path A B`: the shortest chains of links between two resources."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import graph_options, report_errors


@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.option(
    "--max",
    "max_paths",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Show at most N of the shortest paths.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="PROP",
    help="Do not follow this property (prefix:name or IRI; repeatable), besides scheme "
    "membership (skos:inScheme, skos:hasTopConcept, skos:topConceptOf), never followed "
    "unless named with --via.",
)
@click.option(
    "--via",
    multiple=True,
    metavar="PROP",
    help="Follow only this property (prefix:name or IRI; repeatable).",
)
@click.option("--evidence", is_flag=True, help="Also go through quotes and source documents.")
@click.option("--schema", is_flag=True, help="Also go through classes and properties.")
@graph_options
@report_errors
def path(
    source: str,
    target: str,
    max_paths: int,
    exclude: tuple[str, ...],
    via: tuple[str, ...],
    evidence: bool,
    schema: bool,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Show the shortest paths between two resources A and B, named by label or IRI.

    A label may be whole or a part, in French or English, whatever its case and
    accents ("mixite sociale" finds « Mixité sociale »). An IRI may be full,
    <bracketed>, or prefixed with any prefix of the loaded files: mix:Lever,
    notion:mixite, an extension's ex:…; a blank node by the _:b… id of the exports.
    Links are followed in either direction and printed with theirs:
    A —property→ B ←property— C. A link stated both ways (skos:broader and
    skos:narrower, schema:subEvent and schema:superEvent, any owl:inverseOf pair)
    is one link. Scheme membership is not followed: every notion is in its scheme.
    A property named with --exclude or --via stands for its subproperties and its
    inverse too.

    \b
    Examples:
      mixity path "mixité sociale" "police municipale"
      mixity path notion:mixite bailleurs --max 10
      mixity path "social mixity" "municipal police" --lang en
      mixity path "mixité sociale" "immeuble mixte" --exclude schema:about
      mixity path "mixité sociale" "mixité résidentielle" --via skos:broader

    Exit code 1 when a name matches nothing or several resources (they are listed),
    names a resource the paths leave out (which option brings it is said), or no
    path exists; 2 for a usage error.
    """
    from mixity.graph.io.loader import load
    from mixity.graph.network.paths import find_paths

    loaded = load(graphs, bundled=not no_bundled)
    paths = find_paths(
        loaded.graph,
        source,
        target,
        max_paths=max_paths,
        lang=lang,
        schema=schema,
        evidence=evidence,
        exclude=exclude,
        via=via or None,
    )
    links = len(paths[0].hops)
    plural = "s" if len(paths) > 1 else ""
    click.echo(f"{len(paths)} shortest path{plural} of {links} link(s):", err=True)
    for number, found in enumerate(paths, start=1):
        click.echo(f"{number}. {found.to_text()}")


cli = click.command("path")(path)

"""`mixity validate`: check the bundled graph and extensions against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import graph_options, report_errors


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text: grouped by resource, one line per problem (file:line: severity [property] "
    "value: message); json: one object per problem; turtle: pySHACL's raw report.",
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="A folder of source texts: check every quote (oa:exact, oa:prefix, oa:suffix, "
    "positions) against the text its source document names by checksum.",
)
@graph_options
@report_errors
def cli(
    files: tuple[Path, ...],
    fmt: str,
    sources: Path | None,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Check the graph (bundled + FILES) against the mixity SHACL shapes.

    Parses every file first (a syntax error stops with file:line:column), then checks
    labels in French and English, evidence quotes behind every fact, levers'
    actors, events' dates, links to resources that nothing describes, and the other
    rules of the model; terms of the mixity namespace that the ontology does not
    declare (an error: mix:WorkShop, mix:concern), terms the reused vocabularies do
    not declare and namespaces one slip away from a known one (warnings), each
    with the closest declared names. With --sources DIR, every quote is also looked up
    in the text of its source (found in DIR by its SHA-256): a quote that is not there
    is reported with the closest passage, and one found in several places without an
    oa:prefix or oa:suffix that tells them apart too. Each problem names the offending
    value and the file:line of the statement it is about.

    \b
    Examples:
      mixity validate
      mixity validate my-extension.ttl
      mixity validate -g extensions/ --format json
      mixity validate my-extension.ttl --sources ../shared/sources

    Exit code 0 when the graph conforms (warnings are shown but do not fail), 1 when
    it does not or a file is broken, 2 for a usage error.
    """
    from mixity.graph.io.loader import load
    from mixity.graph.model.validate import validate

    loaded = load([*graphs, *files], bundled=not no_bundled)
    against = f" and their quotes against {sources}" if sources is not None else ""
    click.echo(
        f"Checking {len(loaded.graph)} triples from {len(loaded.files)} files{against}…",
        err=True,
    )
    report = validate(loaded, lang=lang, sources=sources)
    output = {"text": report.to_text, "json": report.to_json, "turtle": report.to_turtle}[fmt]()
    click.echo(output, nl=False)
    if not report.conforms:
        raise SystemExit(1)

"""`mixity info`: what was loaded and what the graph holds."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import graph_options, report_errors


@click.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@graph_options
@report_errors
def cli(as_json: bool, graphs: tuple[Path, ...], no_bundled: bool, lang: str) -> None:
    """Show the version, the files loaded, and counts per class, scheme and source.

    \b
    Examples:
      mixity info
      mixity info -g my-extension.ttl --json
    """
    from mixity.graph.io.loader import load
    from mixity.graph.model.info import describe

    summary = describe(load(graphs, bundled=not no_bundled), lang=lang)
    click.echo(summary.to_json() if as_json else summary.to_text(), nl=False)

"""`mixity diff`: what changed between two graphs, or what an extension changes in the base."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import report_errors


@click.command("diff")
@click.argument("paths", nargs=-1, metavar="OLD NEW | --extension FILES…")
@click.option(
    "--extension",
    is_flag=True,
    help="PATHS are an extension (files or folders): report what it asserts about mixity's "
    "terms, the bundled resources that no longer conform to the shapes, and those whose "
    "RDFS-inferred classes change.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json", "sparql"]),
    default="text",
    show_default=True,
    help="text: -/+ lines grouped by resource; turtle: TriG with the named graphs "
    "<urn:mixity:diff:removed> and <urn:mixity:diff:added>; json: for tools; sparql: a "
    "SPARQL Update that turns OLD into NEW. With --extension: text or json.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write to FILE (atomically) instead of stdout; nothing is written on an error.",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Language of labels in the output (falls back to the other, then the IRI).",
)
@report_errors
def cli(
    paths: tuple[str, ...],
    extension: bool,
    fmt: str,
    output: Path | None,
    lang: str,
) -> None:
    """Show what changed between two graphs, or what an extension changes.

    OLD and NEW are each an RDF file, a folder of RDF files, or the word
    `bundled` for the bundled ontology and data (./bundled names a file or
    folder called so). Blank nodes are compared by what they say, not by
    their ids: two files that differ only in blank node ids, order or
    prefixes have no difference. Changes are grouped by resource, with its
    label; a blank-node structure that changed is shown removed and added
    whole, in Turtle's [ … ] form.

    With --extension, FILES are read as an extension of the bundled graph,
    and the report says what they assert about mixity's terms (new domains,
    ranges, superclasses… as `mixity lint` checks them), which bundled
    resources no longer conform to the shapes, and which change their
    inferred classes (RDFS).

    \b
    Examples:
      mixity diff old.ttl new.ttl
      mixity diff bundled my-copy/ --format json
      mixity diff v1.ttl v2.ttl --format sparql -o patch.ru
      mixity diff v1.ttl v2.ttl --format turtle -o changes.trig
      mixity diff --extension my-extension.ttl

    Exit code 0 when the graphs are isomorphic (with --extension: when the
    extension changes nothing of the base), 1 when they differ (or it does)
    or an input is broken, 2 for a usage error.
    """
    from mixity.graph.io.write import atomic_write, refuse_inputs

    if extension:
        if not paths:
            raise click.UsageError("--extension needs one or more extension files or folders")
        if fmt not in ("text", "json"):
            raise click.UsageError("--extension writes text or json, not " + fmt)
    elif len(paths) != 2:
        raise click.UsageError(f"give OLD and NEW (got {len(paths)} path(s)), or --extension")
    refuse_inputs(output, [p for p in paths if p != "bundled"])
    from mixity.graph.io.loader import without_gc

    with without_gc():  # the process ends after: the collector would only rescan the graphs
        text, differs, message = _run(paths, extension, fmt, lang)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        click.echo(f"Wrote {output}", err=True)
    if output is not None or fmt != "text":  # the text report ends with this line
        click.echo(message, err=True)
    if differs:
        raise SystemExit(1)


def _run(paths: tuple[str, ...], extension: bool, fmt: str, lang: str) -> tuple[str, bool, str]:
    """(the output, whether the graphs differ or the extension breaks something, a summary)."""
    if extension:
        from mixity.graph.diff.extension import extension_report

        click.echo(f"Checking what {', '.join(paths)} changes in the bundled graph…", err=True)
        report = extension_report(paths, lang=lang)
        text = report.to_json() if fmt == "json" else report.to_text()
        return text, report.breaks(), report.summary()
    from mixity.graph.diff.run import compare
    from mixity.graph.diff.show import summary

    comparison = compare(paths[0], paths[1])
    return comparison.render(fmt, lang=lang), bool(comparison.diff), summary(comparison.diff)

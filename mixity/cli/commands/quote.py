"""`mixity quote`: the Turtle of an evidence node for a passage of a source text."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import graph_options, report_errors


@click.command("quote")
@click.argument("source_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("passage")
@click.option(
    "--occurrence",
    type=click.IntRange(min=1),
    metavar="N",
    help="Which place of the text to cite when the passage is there several times (1 = first).",
)
@click.option(
    "--source",
    "source_iri",
    metavar="IRI",
    help="The mix:SourceDocument the text belongs to (default: the loaded one whose "
    "spdx:checksum is the file's SHA-256).",
)
@click.option(
    "--id",
    "evidence_iri",
    metavar="IRI",
    help="The IRI of the evidence node (default: SOURCE-IRI/evidence/ and the passage's "
    "first words).",
)
@graph_options
@report_errors
def cli(
    source_file: Path,
    passage: str,
    occurrence: int | None,
    source_iri: str | None,
    evidence_iri: str | None,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Print the Turtle of an evidence node that quotes PASSAGE of SOURCE-FILE.

    The passage is looked up as `validate --sources` compares quotes (white space
    runs and apostrophes ' ’ are interchangeable, nothing else is); the node quotes
    the file verbatim, with an oa:prefix and oa:suffix that make it unique and its
    position (oa:TextPositionSelector), ready to paste into an extension. A passage
    that is not in the file is refused with the closest passage of the file.

    \b
    Examples:
      mixity quote ../shared/sources/000_801da9b01f5c1f32.txt "Deux ateliers"
      mixity quote notes.txt "a passage" --source https://example.org/my-notes

    Exit code 0 when the passage is found once (or --occurrence says which), 1 when
    it is not in the file, is there several times, or its source is not known, 2 for
    a usage error.
    """
    from mixity.graph.io.loader import load
    from mixity.graph.model.quotes import cite, evidence_turtle, read_source, source_for

    text = read_source(source_file)
    citation = cite(text, passage, occurrence)
    loaded = load(list(graphs), bundled=not no_bundled)
    known = source_for(loaded.graph, text.checksum)
    click.echo(
        evidence_turtle(
            citation,
            source_iri or known,
            evidence_iri=evidence_iri,
            declare_checksum=source_iri is not None and source_iri != known,
        ),
        nl=False,
    )

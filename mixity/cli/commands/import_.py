"""`mixity import`: a REFI-QDA project or an AIF argument map as Turtle that follows MODEL.md."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import report_errors


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="PATH",
    help="Write the Turtle to PATH (atomically), and the source texts to PATH's "
    "NAME-sources/ folder beside it. Default: the Turtle on stdout, no texts.",
)
@click.option(
    "--as",
    "as_class",
    metavar="CLASS",
    help="qdpx: make each code a resource of CLASS (prefix:name such as mix:Question, or an "
    "IRI) instead of a SKOS concept in a scheme of the project.",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="The language of the names and texts in FILE (their language tag in the Turtle).",
)
@report_errors
def cli(file: Path, output: Path | None, as_class: str | None, lang: str) -> None:
    """Import FILE (a REFI-QDA .qdpx project or an AIF .json map) as Turtle.

    A .qdpx project (ATLAS.ti, NVivo, MAXQDA, QualCoder, openQDA): its text
    sources become mix:SourceDocuments with the SHA-256 of their texts (written
    beside the Turtle), its codes SKOS concepts (a top-level code that is not
    codable becomes their scheme) or resources of --as CLASS, and each coded
    selection an evidence quote (oa:exact with the prefix/suffix that make it
    unique, and its position) on the coded resource. An AIF map (AIFdb, OVA):
    its I-nodes become statements quoted from the map's text, RA and CA nodes
    support and attack links.

    \b
    Examples:
      mixity import coded.qdpx -o coded.ttl
      mixity validate -g coded.ttl --sources coded-sources/
      mixity import coded.qdpx --as mix:Question -o questions.ttl
      mixity import map.json -o map.ttl

    Nothing is written when the command fails. Exit code 0 on success, 1 for an
    error in FILE or the output path, 2 for a usage error.
    """
    from mixity.cli.exchange import import_file

    import_file(file, output, as_class=as_class, lang=lang)

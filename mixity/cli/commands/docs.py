"""`mixity docs`: the bilingual HTML documentation of the ontology and of extensions."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import graph_options, report_errors

DEFAULT_FOLDER = "mixity-docs"


@click.command("docs")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=DEFAULT_FOLDER,
    show_default=True,
    metavar="DIR",
    help="The folder to write. It must be new, empty, or an earlier mixity docs folder "
    "(replaced whole).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a folder that holds other files: the documentation's files are "
    "replaced, the others are left alone.",
)
@graph_options
@report_errors
def cli(
    output: Path,
    force: bool,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Write the documentation of the ontology (and of -g extensions) as HTML pages.

    One folder that works offline, from file://, with a Français/English switch
    (remembered in the address, e.g. index.html#en:mix-Lever):

    \b
      index.html        every class and property: labels, definition, super-
                        and subclasses, domain and range, how many resources of
                        the loaded graph use it, one example with its quote;
                        an extension's terms are marked "extension"
      scheme-*.html     one page per concept scheme (notions, actor types,
                        policy areas, and an extension's own) as a tree

    Every term has an anchor named after its prefixed name (mix:Lever is
    index.html#mix-Lever). --lang is the language the pages open in.

    \b
    Examples:
      mixity docs
      mixity docs -g my-extension.ttl -o docs --lang en
      mixity docs -g my-extension/ -o my-extension/docs

    Exit code 0 when the folder is written, 1 on an error (nothing is written),
    2 for a usage error.
    """
    from mixity.graph.docs import build_docs, check_output, write_docs
    from mixity.graph.io.loader import load

    check_output(output, force=force)  # fail before the work, with nothing written
    site = build_docs(load(graphs, bundled=not no_bundled), lang=lang)
    write_docs(site, output, force=force)
    ext = f", {site.extension_terms} from extensions" if site.extension_terms else ""
    click.echo(
        f"Wrote {output}/ ({_n(len(site.pages), 'page')}: {_n(site.classes, 'class', 'es')}, "
        f"{_n(site.properties, 'propert', 'ies', 'y')}{ext}, "
        f"{_n(site.schemes, 'concept scheme')})",
        err=True,
    )


def _n(count: int, word: str, plural: str = "s", singular: str = "") -> str:
    return f"{count} {word}{singular if count == 1 else plural}"

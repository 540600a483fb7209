"""`mixity init`: write a starter extension folder."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import report_errors


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "mixity user"


def _today() -> str:
    import os
    from datetime import UTC, date, datetime

    # SOURCE_DATE_EPOCH makes the folder reproducible byte for byte (reproducible builds).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = datetime.fromtimestamp(int(epoch), UTC).date() if epoch else date.today()
    return day.isoformat()


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path), metavar="DIR")
@click.option(
    "--prefix",
    default="ex",
    show_default=True,
    help="The Turtle prefix of the extension's terms (its data get PREFIX-data:).",
)
@click.option(
    "--namespace",
    metavar="IRI",
    help="Where the terms are minted, ending with '#' or '/'; the ontology's IRI is it "
    "without that end, data go under the parent's id/. Lint asks for a persistent IRI "
    "(w3id.org, purl.org). [default: https://w3id.org/DIR-NAME/ontology#, to register]",
)
@click.option("--title", metavar="TEXT", help="The ontology's title. [default: one naming DIR]")
@click.option(
    "--creator", metavar="NAME", help="The ontology's dcterms:creator. [default: your login name]"
)
@report_errors
def cli(
    folder: Path, prefix: str, namespace: str | None, title: str | None, creator: str | None
) -> None:
    """Write a starter extension in DIR (a new or empty folder).

    \b
      DIR/extension.ttl      ontology header (own namespace, owl:imports of
                             mixity, title, creator, licence, dates, version),
                             one class and one property labelled and defined
                             in French and English, one resource resting on a
                             quote, with its statement's provenance
      DIR/sources/exemple.txt  the text the quotes come from (its SHA-256 is
                             recorded in extension.ttl)
      DIR/README.md          what is there and the next commands

    Everything passes `mixity lint` and `mixity validate --sources` as written.

    \b
    Examples:
      mixity init my-extension
      mixity init debat-2021 --prefix d21 --namespace https://example.org/debat-2021/ontology#
      cd my-extension && mixity validate extension.ttl --sources sources

    Exit code 0 when the folder is written, 1 when DIR is not empty or cannot be
    written (nothing is written), 2 for a usage error.
    """
    from mixity.errors import InvalidParameter
    from mixity.graph.starter import write_starter

    try:
        starter = write_starter(
            folder,
            date=_today(),
            prefix=prefix,
            namespace=namespace,
            title=title,
            creator=creator if creator is not None else _login(),
        )
    except InvalidParameter as error:
        raise click.BadParameter(error.reason, param_hint=f"--{error.parameter}") from None
    click.echo(
        f"Wrote {folder}/ ({', '.join(sorted(starter.files))}); terms in {starter.namespace}",
        err=True,
    )
    click.echo(f"Next: cd {folder} && mixity validate extension.ttl --sources sources", err=True)

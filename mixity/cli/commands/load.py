"""`mixity load`: build a persistent Oxigraph store once, query it fast many times."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import report_errors


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _progress(step: str, triples: int, seconds: float) -> None:
    click.echo(f"mixity load: {seconds:6.1f} s  {triples:>12,} triples  {step}", err=True)


@click.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--store-dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    metavar="DIR",
    help="Folder of the store: new, empty, or a store to replace. "
    "Any other non-empty folder is refused.",
)
@click.option(
    "--infer",
    type=click.Choice(["rdfs", "none"]),
    default="rdfs",
    show_default=True,
    help="Materialise RDFS entailment once, at load time (?x a ibis:Issue finds mix:Question).",
)
@click.option(
    "--no-bundled",
    is_flag=True,
    help="Store only PATHS, not the bundled ontology and data.",
)
@report_errors
def cli(paths: tuple[Path, ...], store_dir: Path, infer: str, no_bundled: bool) -> None:
    """Load the bundled graph and PATHS (files or folders) into a store in DIR.

    The files are parsed once (Turtle, TriG, N-Triples, N-Quads natively; RDF/XML
    and JSON-LD through the safe loader), RDFS entailment is materialised, and the
    result is written to DIR. `mixity query --store-dir DIR` then opens it read-only
    in milliseconds instead of re-parsing the files (seconds per million triples).

    The store is built beside DIR and renamed into place: a failed load leaves DIR
    as it was. Progress goes to stderr, the summary to stdout.

    \b
    Examples:
      mixity load extensions/ --store-dir ~/mixity-store
      mixity query --store-dir ~/mixity-store levers
      mixity load big.nt --store-dir store --infer none
    """
    from mixity.graph.store.oxigraph import build_store

    if no_bundled and not paths:
        raise click.UsageError("nothing to load: give PATHS, or drop --no-bundled")
    built = build_store(paths, store_dir, bundled=not no_bundled, infer=infer, progress=_progress)
    origin = ["the bundled graph"] if built.bundled else []
    if built.user_sources:
        origin.append(_count(len(built.user_sources), "file"))
    inferred = f" + {built.inferred:,} inferred by RDFS" if built.infer == "rdfs" else ""
    click.echo(
        f"Stored {_count(built.triples, 'triple')} ({built.asserted:,} asserted{inferred}) "
        f"from {' and '.join(origin)} in {built.folder}, {built.seconds:.1f} s."
    )
    click.echo(f"Query it: mixity query --store-dir {store_dir} 'SELECT …'")

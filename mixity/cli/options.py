"""Options shared by every command, and the one place where errors become messages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from mixity.errors import InvalidParameter, MixityError, QueryError, printable

F = TypeVar("F", bound=Callable[..., Any])

#: The library's parameter names as the command line spells them: a library error says
#: "limit: must be 0 or more", the CLI says "--limit: must be 0 or more".
OPTION_NAMES: dict[str, str] = {
    "paths": "-g",
    "bundled": "--no-bundled",
    "lang": "--lang",
    "params": "--param",
    "limit": "--limit",
    "timeout": "--timeout",
    "infer": "--infer",
    "store": "--store",
    "store_dir": "--store-dir",
    "allow_update": "--allow-update",
    "labels": "--labels",
    "view": "--view",
    "focus": "--focus",
    "depth": "--depth",
    "layout": "--layout",
    "size_by": "--size-by",
    "query": "--query",
    "top": "--top",
    "max_paths": "--max",
    "exclude": "--exclude",
    "via": "--via",
    "schema": "--schema",
    "evidence": "--evidence",
    "fmt": "--format",
    "output": "-o",
    "source": "A",
    "target": "B",
}


class MixityClickError(click.ClickException):
    """A `MixityError` as click shows it: one line on stderr (plus a caret for queries)."""

    def __init__(self, error: MixityError) -> None:
        if isinstance(error, InvalidParameter):
            super().__init__(error.named(OPTION_NAMES))
        else:
            super().__init__(error.message)
        self.error = error
        self.exit_code = error.exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        click.echo(f"mixity: error: {printable(self.format_message())}", err=True)
        if isinstance(self.error, QueryError) and (caret := self.error.caret()):
            click.echo(caret, err=True)


def report_errors(func: F) -> F:
    """Turn a `MixityError` raised by the library into a clean message and exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MixityError as error:
            raise MixityClickError(error) from None

    return wrapper  # type: ignore[return-value]


def graph_options(func: F) -> F:
    """-g/--graph PATH (repeatable), --no-bundled and --lang, shared by every command."""
    func = click.option(
        "--lang",
        type=click.Choice(["fr", "en"]),
        default="fr",
        show_default=True,
        help="Language of labels in the output (falls back to the other, then the IRI).",
    )(func)
    func = click.option(
        "--no-bundled",
        is_flag=True,
        help="Load only the files given with -g, not the bundled ontology and data.",
    )(func)
    func = click.option(
        "-g",
        "--graph",
        "graphs",
        multiple=True,
        type=click.Path(path_type=Path),
        metavar="PATH",
        help="An extension file or folder to load with the bundled graph (repeatable). "
        "Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML, by extension.",
    )(func)
    return func


def view_options(func: F) -> F:
    """--view NAME, --focus RESOURCE and --depth N, for the commands that work on a view."""
    func = click.option(
        "--depth",
        type=click.IntRange(min=0),
        default=1,
        show_default=True,
        help="How many links around --focus.",
    )(func)
    func = click.option(
        "--focus",
        metavar="RESOURCE",
        help="Only the resources within --depth links of RESOURCE (label or IRI) in the view.",
    )(func)
    func = click.option(
        "--view",
        metavar="NAME",
        help="Only the resources of a view, as in mixity render: overview, debate, concepts, "
        "actors, evidence, ibis. The view decides what is in (--schema/--evidence are then "
        "ignored).",
    )(func)
    return func

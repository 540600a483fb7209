"""`mixity query`: SPARQL on the debate graph, from the terminal, a file, stdin or the catalogue."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mixity.cli.options import OPTION_NAMES, graph_options, report_errors
from mixity.errors import printable

if TYPE_CHECKING:
    from mixity.graph.sparql.catalogue import SavedQuery
    from mixity.graph.sparql.results import QueryResult

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "trig")


def _base(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--base must be an absolute IRI (a usage error otherwise)."""
    if value is None:
        return None
    from mixity.errors import InvalidParameter
    from mixity.graph.sparql.engine import check_base

    try:
        return check_base(value)
    except InvalidParameter as exc:
        raise click.BadParameter(exc.reason) from None


def _params(values: tuple[str, ...], saved: SavedQuery | None, lang: str) -> dict[str, str]:
    """NAME=VALUE pairs; a saved query that takes a `lang` gets --lang unless one is given."""
    found: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        found[name.strip()] = value
    if saved is not None and "lang" in {p.name for p in saved.params}:
        found.setdefault("lang", lang)
    return found


EPILOG = """Text search: mix:fold(TEXT) is TEXT in lower case, without accents or punctuation,
as resource names are matched (both engines; not on an --endpoint). Compare it with folded
text, e.g. mix:fold(?label) = mix:fold("Mixité sociale"), or:

\b
  mixity query 'SELECT ?quote WHERE { ?s oa:exact ?quote
                FILTER(CONTAINS(mix:fold(?quote), "copropriete")) }'

Your own query is checked against the loaded graph: a term of mix:, skos:, schema:, ibis:…
that no loaded file declares or uses (a typo such as mix:Actor) gets a warning on stderr with
the closest names, and so does a namespace one slip away from one the graph uses (PREFIX
schema: <http://schema.org/> for https, …/ontology/ for …/ontology#) and a --param bound as a
string that names a resource (bind the resource with -p top=notion:mixite or -p 'top=<IRI>').
The query still runs; --strict makes these errors. Saved queries and --endpoint are not
checked.

Exit code 0 on success, 1 for an error in the query or the input (with --strict, a
warning), 2 for a usage error.
"""


@click.command("query", epilog=EPILOG)
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Read the query from FILE (a .rq file).",
)
@click.option(
    "--base",
    metavar="IRI",
    callback=_base,
    help="Resolve the query's relative IRIs (<a>, IRI('a')) against IRI. Default: the file's "
    "URI with -f, else https://w3id.org/mixity/query/. A BASE in the query wins.",
)
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and exit.")
@click.option(
    "--show", "show_name", metavar="NAME", help="Print the text of a saved query and exit."
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE (repeatable): <IRI> or prefix:name binds a resource, a number a "
    "number, anything else a string. Saved queries match resources by label or IRI, ignoring "
    "accents and case.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SELECT_FORMATS + GRAPH_FORMATS),
    default=None,
    help="SELECT/ASK: table (default), csv, tsv, json, xml (W3C results), md. "
    "CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld, trig.",
)
@click.option(
    "--labels",
    is_flag=True,
    help="Add a label column ?xLabel (in --lang) after each IRI column ?x the query does not "
    "label itself.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Make the query's warnings (a term no loaded file uses, a namespace one slip away "
    "from the graph's, a string parameter that names a resource) errors: nothing runs, "
    "exit code 1.",
)
@click.option(
    "--infer",
    type=click.Choice(["rdfs", "none", "owlrl"]),
    default=None,
    help="Entailment: rdfs (default: ?x a ibis:Issue finds mix:Question), none, "
    "or owlrl (OWL 2 RL, slow).",
)
@click.option(
    "--store",
    type=click.Choice(["oxigraph", "memory"]),
    default="oxigraph",
    show_default=True,
    help="Engine: Oxigraph (fast) or rdflib in memory (the reference).",
)
@click.option(
    "--store-dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Query a persistent store built by `mixity load … --store-dir DIR`.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Send the query to this SPARQL 1.1 endpoint instead of the local graph (same "
    "prefixes, --param and formats), e.g. http://127.0.0.1:7878/query of `mixity serve`.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0, max=sys.maxsize),
    metavar="N",
    help="Keep the first N rows or triples.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True, max=threading.TIMEOUT_MAX),
    metavar="SECONDS",
    help="Stop the query after SECONDS (it then runs in a child process, killed at the end).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write the result to FILE (atomically: a failed query leaves it untouched).",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Run SPARQL updates (INSERT, DELETE…) on the in-memory graph; files never change.",
)
@graph_options
@report_errors
def cli(
    query: str | None,
    query_file: Path | None,
    base: str | None,
    list_saved: bool,
    show_name: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    labels: bool,
    strict: bool,
    infer: str | None,
    store: str,
    store_dir: Path | None,
    endpoint: str | None,
    limit: int | None,
    timeout: float | None,
    output: Path | None,
    allow_update: bool,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Run a SPARQL query on the graph (bundled + -g files) and print the answer.

    QUERY is SPARQL text, '-' for stdin, or the NAME of a saved query (see --list).
    Every prefix of the model (mix:, skos:, schema:, ibis:, prov:, oa:, dcterms:, rdfs:…)
    and of the loaded files is predeclared: no PREFIX lines needed. RDFS entailment is on.

    \b
    Examples:
      mixity query 'SELECT ?q ?l WHERE { ?q a ibis:Issue ; rdfs:label ?l }'
      mixity query levers --lang en
      mixity query levers-for-actor --param actor=bailleurs
      mixity query -f my-query.rq --format csv -o answers.csv
      mixity query --list
    """
    from mixity.graph.io.write import refuse_inputs
    from mixity.graph.sparql import engine as q

    sources = sum(x is not None for x in (query, query_file, show_name)) + list_saved
    if sources != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE, --list or --show NAME")
    if list_saved or show_name is not None:
        listing = _catalogue(q.saved_queries(), lang) if list_saved else None
        click.echo(listing or q.saved_query(show_name or "").text, nl=False)
        return
    _check_options(store_dir, endpoint, bool(graphs or no_bundled), store, infer, allow_update)
    refuse_inputs(output, (*graphs, query_file))
    text, origin, saved, base = _read(query, query_file, base)
    _check_format(fmt, q.query_form(text))
    # A typo fails here, in milliseconds, before a large graph is loaded.
    prefixes = q.declared_prefixes(graphs, bundled=not no_bundled, store_dir=store_dir)
    q.check_query(
        text,
        prefixes,
        allow_update=allow_update,
        read_only=store_dir is not None,
        origin=origin,
        names=OPTION_NAMES,
        base=base,
    )
    common: dict[str, Any] = {
        "params": _params(params, saved, lang),
        "timeout": timeout,
        "limit": limit,
        "labels": lang if labels else None,
        "origin": origin,
        "base": base,
    }
    if endpoint is not None:
        from mixity.graph.remote.endpoint import run_remote

        result = run_remote(endpoint, saved or text, prefixes=prefixes, **common)
    else:
        engine = q.QueryEngine(
            graphs, bundled=not no_bundled, infer=infer, store=store, store_dir=store_dir
        )
        result = engine.query(saved or text, allow_update=allow_update, strict=strict, **common)
    _write(result, fmt, output)


def _check_options(
    store_dir: Path | None,
    endpoint: str | None,
    files: bool,
    store: str,
    infer: str | None,
    allow_update: bool,
) -> None:
    """Refuse options that do not go together (exit code 2)."""
    if store_dir is not None and (files or store != "oxigraph"):
        raise click.UsageError("--store-dir cannot be combined with -g, --no-bundled or --store")
    if endpoint is not None and (store_dir or store != "oxigraph" or infer or allow_update):
        raise click.UsageError(
            "--endpoint cannot be combined with --store-dir, --store, --infer or --allow-update"
        )


def _read(
    query: str | None, query_file: Path | None, base: str | None
) -> tuple[str, str, SavedQuery | None, str | None]:
    """The query's text, its origin for messages, the saved query it is (if one), and its base
    IRI: `base` if given, else a query file's own URI (as for any document), else None."""
    if query_file is not None:
        from mixity.graph.io.files import read_query

        return read_query(query_file), str(query_file), None, base or query_file.resolve().as_uri()
    if query == "-":
        from mixity.graph.io.files import decode_query

        return decode_query(sys.stdin.buffer.read(), "<stdin>"), "<stdin>", None, base
    if query is not None and _is_name(query):
        from mixity.graph.sparql.catalogue import saved_query

        saved = saved_query(query)
        return saved.text, f"{saved.name}.rq", saved, base
    return query or "", "query", None, base


def _check_format(fmt: str | None, form: str | None) -> None:
    if fmt is not None and form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        if graph_form != (fmt in GRAPH_FORMATS):
            allowed = GRAPH_FORMATS if graph_form else SELECT_FORMATS
            raise click.UsageError(
                f"--format {fmt} does not apply to a {form} query; use one of {', '.join(allowed)}"
            )


def _write(result: QueryResult, fmt: str | None, output: Path | None) -> None:
    """The result on stdout or in `output` (atomically); its warnings and summary on stderr."""
    for warning in result.warnings:
        click.echo(f"warning: {printable(str(warning))}", err=True)
    rendered = result.to(fmt)
    if output is not None:
        from mixity.graph.io.write import atomic_write

        atomic_write(output, rendered)
        click.echo(f"{result.summary()} written to {output}", err=True)
    else:
        click.echo(rendered, nl=False)
        click.echo(result.summary(), err=True)


def _is_name(text: str) -> bool:
    """A saved query's name: one word of letters, digits and hyphens (SPARQL never is)."""
    return bool(text) and all(ch.isalnum() or ch in "-_" for ch in text)


def _catalogue(saved: list[SavedQuery], lang: str) -> str:
    """Name, title and parameters on one line, the description indented below."""
    import textwrap

    from mixity.graph.io.table import pad, width

    name_width = max((width(item.name) for item in saved), default=0)
    blocks: list[str] = []
    for item in saved:
        params = " ".join(f"--param {p.name}=…" for p in item.params if p.name != "lang")
        head = f"{pad(item.name, name_width)}  {item.title(lang)}"
        body = textwrap.fill(
            item.description(lang),
            width=100,
            initial_indent=" " * (name_width + 2),
            subsequent_indent=" " * (name_width + 2),
        )
        blocks.append(
            head + (f"\n{' ' * (name_width + 2)}{params}" if params else "") + "\n" + body
        )
    return "\n".join(blocks) + "\n"

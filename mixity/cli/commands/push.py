"""`mixity push`: upload the graph into a triple store through the Graph Store HTTP Protocol."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mixity.cli.options import graph_options, report_errors

if TYPE_CHECKING:
    from mixity.graph.remote.http import Credentials


@click.command("push")
@click.argument("store_url", metavar="STORE-URL")
@click.option(
    "--named-graph",
    "graph_iri",
    metavar="IRI",
    help="The named graph to write [default: the store's default graph; Virtuoso needs one]. "
    "(-g/--graph names extension files, as in every command.)",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the graph's content (default: add to it), only once every triple has arrived.",
)
@click.option(
    "--infer",
    type=click.Choice(["rdfs", "none"]),
    default="rdfs",
    show_default=True,
    help="Push the RDFS entailments too (so saved queries answer remotely as locally), or not.",
)
@click.option(
    "--store-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Push a store built by `mixity load --store-dir DIR` (as it is) instead.",
)
@click.option(
    "--auth",
    metavar="USER[:PASSWORD]",
    help="Credentials (Basic or Digest, as the server asks). Without :PASSWORD it is asked "
    "for, unseen; a password on the command line is visible to other local users.",
)
@click.option(
    "--token-env",
    metavar="VAR",
    help="Send the bearer token held in the environment variable VAR.",
)
@click.option(
    "--update-url",
    metavar="URL",
    help="The store's SPARQL Update address [default: guessed from STORE-URL].",
)
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    default=None,
    metavar="TRIPLES",
    help="Triples per request [default: 100,000; one request to Oxigraph up to 2,000,000 "
    "triples, since a request is atomic there].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a request the server has not answered after SECONDS.",
)
@graph_options
@report_errors
def cli(
    store_url: str,
    graph_iri: str | None,
    replace: bool,
    infer: str,
    store_dir: Path | None,
    auth: str | None,
    token_env: str | None,
    update_url: str | None,
    chunk: int | None,
    timeout: float,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Upload the graph (bundled + -g files, with RDFS entailments) into a triple store.

    STORE-URL is the store's Graph Store HTTP Protocol address. The triples go as N-Triples
    in chunks to a staging graph, then one SPARQL Update moves them into place: a failure
    part-way leaves the target graph as it was, and says how much was sent. Oxigraph, which
    applies a request atomically, gets one request; so does a store without an update
    endpoint (atomic only where the store makes it so: the summary says which).

    \b
    Graph Store addresses (the update address is guessed from them):
      Oxigraph   http://HOST:7878/store
      Fuseki     http://HOST:3030/DATASET/data
      GraphDB    http://HOST:7200/repositories/ID/rdf-graphs/service
      Virtuoso   http://HOST:8890/sparql-graph-crud-auth   (Digest: --auth dba)

    \b
    Examples:
      mixity push http://127.0.0.1:7878/store
      mixity push http://127.0.0.1:7878/store --named-graph https://example.org/debate \\
                  --replace
      mixity push http://127.0.0.1:8890/sparql-graph-crud-auth --auth dba \\
                  --named-graph https://w3id.org/mixity/graph -g my-extension.ttl
      MIXITY_TOKEN=… mixity push https://store.example.org/ds/data --token-env MIXITY_TOKEN

    A summary goes to stderr; nothing to stdout. Secrets are never printed.
    Exit code 0 when pushed, 1 for an error (unreachable, refused, failed part-way), 2 for a
    usage error.
    """
    from mixity.graph.remote.push import graph_to_push, push

    if store_dir is not None and (graphs or no_bundled):
        raise click.UsageError("--store-dir cannot be combined with -g or --no-bundled")
    if auth is not None and token_env is not None:
        raise click.UsageError("give --auth or --token-env, not both")
    credentials = _credentials(auth, token_env)
    store = graph_to_push(graphs, bundled=not no_bundled, infer=infer, store_dir=store_dir)
    with _Bar(len(store), chunk or 100_000) as bar:
        report = push(
            store,
            store_url,
            graph=graph_iri,
            replace=replace,
            credentials=credentials,
            update_url=update_url,
            chunk_size=chunk,
            timeout=timeout,
            progress=bar.update,
        )
    where = f"<{report.graph}>" if report.graph else "the default graph"
    verb = "replaced" if report.replace else "added to"
    click.echo(
        f"mixity: {verb} {where} with {report.triples:,} triples in {report.chunks} "
        f"request(s), {report.bytes_sent / 1e6:.1f} MB in {report.seconds:.1f} s "
        f"({report.triples_per_second:,.0f} triples/s); {report.note}",
        err=True,
    )


def _credentials(auth: str | None, token_env: str | None) -> Credentials | None:
    from mixity.graph.remote.http import Credentials

    if token_env is not None:
        return Credentials.from_env(token_env)
    if auth is None:
        return None
    if ":" not in auth:
        password = click.prompt(f"password for {auth}", hide_input=True, err=True)
        return Credentials(user=auth, password=password)
    return Credentials.parse(auth)


class _Bar:
    """A progress bar on stderr when there is more than one chunk and stderr is a terminal."""

    def __init__(self, total: int, chunk: int) -> None:
        self.shown = total > chunk and sys.stderr.isatty()
        self.done = 0
        self.bar = click.progressbar(length=total, label="pushing", file=sys.stderr)

    def __enter__(self) -> _Bar:
        if self.shown:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self.bar.__exit__(None, None, None)

    def update(self, sent: int, total: int) -> None:
        if self.shown:
            self.bar.update(sent - self.done)
        self.done = sent

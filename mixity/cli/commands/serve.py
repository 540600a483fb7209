"""`mixity serve`: a read-only SPARQL endpoint (the Oxigraph server) and an offline query page."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from mixity.cli.options import graph_options, report_errors

if TYPE_CHECKING:
    from mixity.graph.remote.server import ServedStore, Serving

_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class _Stop(Exception):
    """Raised in the main thread by SIGINT, SIGTERM or SIGHUP."""


@click.command("serve")
@click.option(
    "--store-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Serve the store in DIR as it is (built by `mixity load`: not reloaded, any size); "
    "with -g, or if DIR does not exist, build it there first. Without it, the graph is built "
    "in a temporary folder, removed on exit.",
)
@click.option(
    "--infer",
    type=click.Choice(["rdfs", "none"]),
    default=None,
    help="Entailment materialised in a store built here: rdfs (default, as mixity query) or none.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback makes the endpoint reachable by others.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port of the SPARQL endpoint [default: 7878, or a free port when 7878 is taken].",
)
@click.option(
    "--page-port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port of the query page [default: the endpoint's port + 1 if free, else any free port].",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    metavar="SECONDS",
    help="Ask the server to stop each query after SECONDS (Oxigraph's --timeout-s, whole "
    "seconds). Best effort: Oxigraph 0.5 does not stop every query in time; clients should "
    "set their own timeout too.",
)
@graph_options
@report_errors
def cli(
    store_dir: Path | None,
    infer: str | None,
    host: str,
    port: int | None,
    page_port: int | None,
    timeout: int | None,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
) -> None:
    """Serve the graph as a read-only SPARQL endpoint, with a query page, until Ctrl-C.

    The endpoint is the Oxigraph server (SPARQL 1.1 Protocol at /query and /sparql) over the
    bundled graph plus the -g files, with RDFS entailment as in `mixity query`, or over a
    store made by `mixity load --store-dir DIR`. Updates are refused. The query page is
    mixity's own: it loads nothing from the internet, and mixity's prefixes are predeclared
    there. Queries sent to the endpoint directly must declare their prefixes.

    \b
    Examples:
      mixity serve
      mixity serve -g my-extension.ttl --port 8000
      mixity load big.nt --store-dir big-store && mixity serve --store-dir big-store
      curl -H 'Accept: text/csv' http://127.0.0.1:7878/query \\
           --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5'
      mixity query levers --endpoint http://127.0.0.1:7878/query

    The endpoint, the page and the server's pid are printed on stdout, messages on stderr.
    Ctrl-C, SIGTERM or SIGHUP stops the server (and removes a temporary store).
    Exit code 0 when stopped, 1 for an error (port taken, store unusable), 2 for a usage error.
    """
    from mixity.graph.remote.server import exposed

    if exposed(host):
        click.echo(
            f"mixity: warning: listening on {host}: the endpoint is reachable by other "
            "machines on the network (read-only, no authentication)",
            err=True,
        )
    # From here on, SIGINT, SIGTERM and SIGHUP stop everything that was started (installed
    # even where SIGINT was ignored, as in the background of a script).
    _catch_stop_signals()
    options: dict[str, Any] = {"host": host, "page_port": page_port, "timeout": timeout}
    try:
        _run(store_dir, tuple(graphs), not no_bundled, infer, lang, port, options)
    except _Stop:
        click.echo("mixity: server stopped", err=True)


def _run(
    store_dir: Path | None,
    graphs: tuple[Path, ...],
    bundled: bool,
    infer: str | None,
    lang: str,
    port: int | None,
    options: dict[str, Any],
) -> None:
    """Prepare the store, start the server and the page, wait; stop all of it on the way out."""
    from mixity.graph.remote.server import prepare_store
    from mixity.graph.sparql.catalogue import saved_queries
    from mixity.graph.sparql.engine import declared_prefixes

    said: list[str] = []

    def building(step: str, triples: int, seconds: float) -> None:
        if not said:
            said.append(step)
            click.echo("mixity: building the store…", err=True)

    rebuild = bool(graphs) or not bundled
    store = prepare_store(
        graphs,
        store_dir=store_dir,
        bundled=bundled,
        infer=infer,
        rebuild=rebuild,
        progress=building,
    )
    try:
        options["prefixes"] = declared_prefixes(store_dir=store.folder)
        options["saved"] = [
            {"name": s.name, "title": s.title(lang), "text": s.text} for s in saved_queries()
        ]
        running = _start(store, port, options)
    except BaseException:
        store.release()
        raise
    try:
        _announce(running, options["timeout"])
        running.server.process.wait()
        output = running.server.output().strip()
    finally:
        running.stop()
    raise click.ClickException(f"the Oxigraph server stopped on its own: {output}")


def _start(store: ServedStore, port: int | None, options: dict[str, Any]) -> Serving:
    """Start on `port`; by default on 7878, or on a free port when 7878 is taken."""
    from mixity.graph.remote import server as srv

    if port is not None:
        return srv.start_serving(store, port=port, **options)
    if srv.port_is_free(options["host"], srv.DEFAULT_PORT):
        try:
            return srv.start_serving(store, port=srv.DEFAULT_PORT, **options)
        except srv.PortInUse:
            pass  # taken between the check and the start
    click.echo(f"mixity: port {srv.DEFAULT_PORT} is taken; using a free port", err=True)
    return srv.start_serving(store, port=None, **options)


def _announce(running: Serving, timeout: int | None) -> None:
    server = running.server
    click.echo(f"SPARQL endpoint: {server.query_url}")
    if running.page is not None:
        click.echo(f"query page: {running.page.url}")
    click.echo(f"server pid: {server.pid}")
    triples = running.store.meta.get("triples")
    size = f"{triples:,} triples" if isinstance(triples, int) else "the store"
    limit = f", queries stopped after {timeout} s where Oxigraph can" if timeout else ""
    click.echo(
        f"mixity: serving {size} read-only{limit} from {running.store.folder}. "
        f"(Oxigraph's own page at {server.url}/ asks prefix.cc for prefixes; mixity's "
        "page loads nothing from the internet.) Ctrl-C stops.",
        err=True,
    )


def _catch_stop_signals() -> None:
    """Make SIGINT, SIGTERM and SIGHUP raise `_Stop` (once: later ones are ignored)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        for name in _SIGNALS:
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        raise _Stop

    for name in _SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)

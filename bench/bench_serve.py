"""Benchmark `mixity serve` under load, and `mixity push` into Oxigraph and Virtuoso.

Prints Markdown tables:

1. A bounded, closed-loop load test against `mixity serve` (a subprocess, as users run it):
   --clients threads, each sending --per-client queries from the catalogue (every saved query,
   parameters substituted as `--endpoint` does) over keep-alive HTTP on loopback, each waiting
   for its answer before sending the next. Throughput, p50 / p99 / max latency, errors. First
   on the bundled graph (`mixity serve`), then on stores of the bundled graph plus a synthetic
   debate-shaped graph (`bench/synth.py`) of each --sizes, built once with RDFS entailment and
   served with `mixity serve --store-dir` (not reloaded).
2. Push throughput (`mixity.graph.remote.push.push`, chunks of 100 k triples, staged then swapped)
   of synthetic graphs of each --push-sizes into an on-disk Oxigraph server and a fresh
   Virtuoso (Debian's, Digest authentication), both on loopback.

    python bench/bench_serve.py                                  # bundled, 100 k; push 100 k
    python bench/bench_serve.py --sizes 100000,1000000 --push-sizes 100000,1000000
    python bench/bench_serve.py --clients 20 --per-client 50 --no-push

Everything stops by itself; servers are stopped and temporary folders removed on the way out.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import synth  # noqa: E402  (bench/synth.py)
from realservers import (  # noqa: E402  (tests/realservers.py)
    VIRTUOSO_USER,
    example_params,
    oxigraph,
    virtuoso,
)

from mixity.graph.remote.http import Credentials  # noqa: E402
from mixity.graph.remote.push import graph_to_push, push  # noqa: E402
from mixity.graph.remote.substitution import substitute, with_prefixes  # noqa: E402
from mixity.graph.sparql.catalogue import saved_queries  # noqa: E402
from mixity.graph.sparql.engine import QueryEngine, declared_prefixes  # noqa: E402
from mixity.graph.store.oxigraph import build_store, store_info  # noqa: E402

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


def catalogue_texts() -> list[tuple[str, str]]:
    """Every saved query as the text a server receives: prefixes declared, parameters bound."""
    engine = QueryEngine()
    prefixes = declared_prefixes()
    texts = []
    for saved in saved_queries():
        bound = engine.bind_params(example_params(saved), saved)
        texts.append((saved.name, with_prefixes(substitute(saved.text, bound), prefixes)))
    return texts


# ---------------------------------------------------------------------------------------------
# 1. Load test


@dataclass
class Load:
    """What one load test measured."""

    label: str
    triples: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    slowest: dict[str, float] = field(default_factory=dict)
    by_query: dict[str, list[float]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    alone: dict[str, float] = field(default_factory=dict)

    def row(self) -> str:
        done = len(self.latencies)
        ordered = sorted(self.latencies) or [0.0]
        p50 = statistics.median(ordered)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        ratio = p99 / p50 if p50 else 0.0
        worst = max(self.slowest, key=self.slowest.__getitem__) if self.slowest else "-"
        return (
            f"| {self.label} | {self.triples:,} | {done + len(self.errors)} | "
            f"{done / self.seconds:,.0f} | {p50 * 1000:.1f} | {p99 * 1000:.1f} | "
            f"{ordered[-1] * 1000:.0f} | {ratio:.1f} | {self.same_query_spread():.1f} | "
            f"{len(self.errors)} | {worst} |"
        )

    def same_query_spread(self) -> float:
        """The worst p99/p50 of one query against itself: the server's own steadiness,
        apart from the spread of the catalogue (3 ms to 500 ms queries alone)."""
        ratios = []
        for times in self.by_query.values():
            ordered = sorted(times)
            p50 = statistics.median(ordered)
            p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
            ratios.append(p99 / p50 if p50 else 0.0)
        return max(ratios, default=0.0)


@contextmanager
def mixity_serve(*args: str) -> Iterator[str]:
    """`mixity serve ARGS` in a subprocess; yields its endpoint; SIGINT on the way out."""
    process = subprocess.Popen(
        # --timeout: Oxigraph stops a runaway query where it can (best effort).
        [
            sys.executable,
            "-m",
            "mixity",
            "serve",
            "--port",
            str(free_port()),
            "--timeout",
            "60",
            *args,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    endpoint = ""
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("SPARQL endpoint: "):
            endpoint = line.split(": ", 1)[1].strip()
        if line.startswith("server pid: "):
            break
    try:
        if not endpoint:
            raise RuntimeError(f"mixity serve did not start: {process.communicate()[1]}")
        yield endpoint
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        if process.returncode != 0:
            print(f"mixity serve exited with {process.returncode}: {err}", file=sys.stderr)


def free_port() -> int:
    from mixity.graph.remote.server import free_port as port

    return port()


def single_runs(endpoint: str, timeout: float) -> dict[str, float]:
    """Each catalogue query once, alone: seconds (inf when it failed or ran out of time)."""
    times: dict[str, float] = {}
    with httpx.Client(timeout=timeout, trust_env=False) as http:
        for name, text in catalogue_texts():
            began = time.perf_counter()
            try:
                answer = http.post(endpoint, data={"query": text}, headers={"Accept": ACCEPT})
                answer.read()
                ok = answer.status_code == 200
            except httpx.HTTPError:
                ok = False
            times[name] = time.perf_counter() - began if ok else float("inf")
    return times


def load_test(
    endpoint: str,
    label: str,
    triples: int,
    clients: int,
    per_client: int,
    timeout: float,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
) -> Load:
    """`clients` threads, each sending `per_client` catalogue queries one after the other."""
    texts = [(name, text) for name, text in catalogue_texts() if name not in skip]
    result = Load(label, triples, skipped=sorted(skip))
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        with httpx.Client(timeout=timeout, trust_env=False) as http:
            start.wait()
            for i in range(per_client):
                name, text = texts[(number + i) % len(texts)]
                began = time.perf_counter()
                try:
                    answer = http.post(endpoint, data={"query": text}, headers={"Accept": ACCEPT})
                    answer.read()
                    failed = "" if answer.status_code == 200 else f"{name}: {answer.status_code}"
                except httpx.HTTPError as exc:
                    failed = f"{name}: {type(exc).__name__}"
                spent = time.perf_counter() - began
                with lock:
                    if failed:
                        result.errors.append(failed)
                    else:
                        result.latencies.append(spent)
                        result.slowest[name] = max(result.slowest.get(name, 0.0), spent)
                        result.by_query.setdefault(name, []).append(spent)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    return result


def loads(
    sizes: list[int], clients: int, per_client: int, timeout: float, slow: float
) -> list[Load]:
    """The load test on the bundled graph, then on a store of each size.

    Each query is first run once alone; at the larger sizes, those slower than `slow` seconds
    alone are left out of the load mix (and listed), so that the test stays bounded.
    """
    found = []
    # Each pass on its own server: a query given up on keeps running in Oxigraph until the
    # server stops, and must not weigh on the load test.
    with mixity_serve() as endpoint:
        alone = single_runs(endpoint, slow * 15)
    with mixity_serve() as endpoint:
        bundled = len(graph_to_push())
        found.append(load_test(endpoint, "bundled", bundled, clients, per_client, timeout))
        found[-1].alone = alone
        print(found[-1].row(), file=sys.stderr, flush=True)
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="mixity-bench-serve-") as folder:
            data = synth.write(Path(folder) / "synth.nt", size)
            started = time.perf_counter()
            build_store([data], Path(folder) / "store")
            built = time.perf_counter() - started
            triples = int(store_info(Path(folder) / "store")["triples"])
            print(f"store of {triples:,} triples built in {built:.0f} s", file=sys.stderr)
            with mixity_serve("--store-dir", str(Path(folder) / "store")) as endpoint:
                alone = single_runs(endpoint, slow * 15)
            skip = {name for name, seconds in alone.items() if seconds > slow}
            with mixity_serve("--store-dir", str(Path(folder) / "store")) as endpoint:
                load = load_test(endpoint, "store", triples, clients, per_client, timeout, skip)
                load.alone = alone
                found.append(load)
                print(load.row(), file=sys.stderr, flush=True)
    return found


# ---------------------------------------------------------------------------------------------
# 2. Push throughput


def synthetic_store(size: int) -> ox.Store:
    with tempfile.TemporaryDirectory(prefix="mixity-bench-push-") as folder:
        path = synth.write(Path(folder) / "synth.nt", size)
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def pushes(sizes: list[int]) -> list[str]:
    rows = []
    graph = "https://w3id.org/mixity/bench"
    for size in sizes:
        store = synthetic_store(size)
        with oxigraph() as server:
            report = push(store, server.store_url, graph=graph, replace=True)
            rows.append(_push_row("Oxigraph 0.5.13 (on disk)", report))
            print(rows[-1], file=sys.stderr, flush=True)
        with virtuoso() as server:
            report = push(
                store,
                server.graph_store,
                graph=graph,
                replace=True,
                credentials=Credentials(*VIRTUOSO_USER),
            )
            rows.append(_push_row("Virtuoso 7.2 (Digest)", report))
            print(rows[-1], file=sys.stderr, flush=True)
    return rows


def _push_row(store: str, report: object) -> str:
    from mixity.graph.remote.push import PushReport

    assert isinstance(report, PushReport)
    return (
        f"| {store} | {report.triples:,} | {report.chunks} | {report.bytes_sent / 1e6:.0f} | "
        f"{report.seconds:.1f} | {report.triples_per_second:,.0f} | {report.method} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=50)
    parser.add_argument("--sizes", default="100000", help="synthetic sizes to serve (comma list)")
    parser.add_argument("--push-sizes", default="100000", help="sizes to push (comma list)")
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    parser.add_argument(
        "--slow",
        type=float,
        default=2.0,
        help="at the synthetic sizes, leave out of the load mix a query slower than this alone",
    )
    parser.add_argument("--no-push", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if not args.no_load:
        found = loads(sizes, args.clients, args.per_client, args.timeout, args.slow)
        print(
            f"### `mixity serve` under load: {args.clients} clients × {args.per_client} "
            f"queries ({len(catalogue_texts())} saved queries in turn), loopback\n"
        )
        print(
            "| graph | triples | queries | queries/s | p50 ms | p99 ms | max ms | p99/p50 | "
            "same query p99/p50 (worst) | errors | slowest query |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for load in found:
            print(load.row())
        for load in found:
            for error in sorted(set(load.errors))[:10]:
                print(f"- error ({load.label}, {load.triples:,}): {error}")
            if load.skipped:
                print(
                    f"- left out of the mix at {load.triples:,} triples (slower than "
                    f"{args.slow:g} s alone): {', '.join(load.skipped)}"
                )
        print()
        print(
            "### Each saved query alone (one client), milliseconds "
            f"(given up after {args.slow * 15:g} s)\n"
        )
        print("| query | " + " | ".join(f"{load.triples:,}" for load in found) + " |")
        print("| --- |" + " ---: |" * len(found))
        for name, _ in catalogue_texts():
            cells = [load.alone.get(name, float("nan")) * 1000 for load in found]
            shown = [f"{c:,.0f}" if c != float("inf") else f"> {args.slow * 15:g} s" for c in cells]
            print(f"| {name} | " + " | ".join(shown) + " |")
        print()
    if not args.no_push:
        rows = pushes([int(s) for s in args.push_sizes.split(",") if s])
        print(
            "### `mixity push`, loopback: chunks of 100 k triples staged then swapped, or one "
            "request where that is atomic (Oxigraph, when the graph fits in one chunk)\n"
        )
        print("| store | triples | requests | MB | seconds | triples/s | method |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for row in rows:
            print(row)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

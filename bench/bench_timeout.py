"""Benchmark what a timeout costs: a small query with and without `timeout=`, on each engine.

Without a timeout a query runs in the caller's process; with one it runs in a child process
that is killed at the deadline (`mixity.graph.sparql.timeout`): a fork for a graph in memory,
a fresh interpreter that reopens the store for a store on disk. Prints a Markdown table of
median wall times (runs interleaved, after a warm-up) and the overhead of the timeout path.

    python bench/bench_timeout.py                 # 30 runs each
    python bench/bench_timeout.py --runs 100
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mixity.graph.sparql.engine import QueryEngine
from mixity.graph.store.oxigraph import build_store

QUERY = "SELECT ?q ?l WHERE { ?q a ibis:Issue ; rdfs:label ?l }"


def median_ms(runs: list[float]) -> str:
    return f"{statistics.median(runs) * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--query", default=QUERY)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        build_store([], Path(folder) / "store")
        engines = {
            "oxigraph (memory)": QueryEngine(),
            "rdflib (store memory)": QueryEngine(store="memory"),
            "oxigraph (store_dir)": QueryEngine(store_dir=Path(folder) / "store"),
        }
        cases: dict[tuple[str, bool], Callable[[], object]] = {}
        for name, engine in engines.items():
            cases[name, False] = lambda engine=engine: engine.query(args.query)
            cases[name, True] = lambda engine=engine: engine.query(args.query, timeout=60)
        for run in cases.values():  # warm-up: imports, caches
            run()
        times: dict[tuple[str, bool], list[float]] = {key: [] for key in cases}
        for _ in range(args.runs):
            for key, run in cases.items():
                started = time.perf_counter()
                run()
                times[key].append(time.perf_counter() - started)

    rows = len(engines["oxigraph (memory)"].query(args.query))
    print(f"Query: `{args.query}` ({rows} rows), median of {args.runs} runs, milliseconds.\n")
    print("| engine | no timeout | timeout=60 | overhead |")
    print("| --- | ---: | ---: | ---: |")
    for name in engines:
        plain, timed = times[name, False], times[name, True]
        overhead = statistics.median(timed) - statistics.median(plain)
        print(f"| {name} | {median_ms(plain)} | {median_ms(timed)} | {overhead * 1000:+.1f} |")


if __name__ == "__main__":
    main()

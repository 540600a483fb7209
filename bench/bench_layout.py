"""Benchmark mixity's own force layout against networkx's layouts: time and readability.

`force_layout` (mixity/graph/page/layout.py) is hand-written; this measures whether it earns
its place against networkx's `forceatlas2_layout` and `spring_layout` (method "auto", i.e.
"energy" from 500 nodes), each with its default number of iterations (50, 100 and 50) and
seed 0, on graphs of 1,000, 5,000 and 20,000 nodes.

The graph: `networkx.powerlaw_cluster_graph(n, 3, 0.3, seed=0)`, connected, a few hubs and
many small nodes, with triangles. It is shaped like the overview of `bench/synth.py`'s debate
graphs (about 1,000 nodes from 11,000 triples: ~2.7 edges per node, median degree 4, hubs of
degree ~55, clustered around meetings and workshops) - ~3 edges per node, median degree 4,
hubs of degree ~100 at 1,000 nodes - without loading hundreds of thousands of triples through
rdflib for each size. Seeded: the same sizes give the same graphs and the same layouts.

Per layout and size:

- time: median wall time of `--runs` calls of the layout function alone (building the
  networkx graph is not counted), each layout in a child process that has already imported
  numpy, scipy and networkx and run the layout once on a small graph. A run that exceeds
  `--budget` seconds is killed and the layout is reported "skipped (> N s)" at this size and
  at every larger one; runs also stop early once they add up to the budget (the table then
  says how many were made). The child's address space is capped at `--memory` GB
  (forceatlas2 allocates n × n arrays: over 10 GB at 20,000 nodes), so that it fails alone
  instead of waking the OOM killer.
- readability, computed identically for every layout after scaling its coordinates so that
  the median edge length is 1:
  (1) edge-length spread: coefficient of variation (std / mean) of the edge lengths, lower
      is better (edges of even length are easier to follow);
  (2) overlaps: the fraction of all node pairs closer than 0.1 (a tenth of the median edge
      length), found with scipy's `cKDTree.query_pairs`, lower is better; the count of such
      pairs is given too.

Ratios are against mixity's `force_layout` measured in the same run, at the same size.

    .venv/bin/python bench/bench_layout.py [--runs 3] [--sizes 1000,5000,20000]
        [--budget 120] [--memory 8]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mixity.graph.page.layout import force_layout  # noqa: E402

LAYOUTS = ("mixity force_layout", "networkx forceatlas2_layout", "networkx spring_layout")
OVERLAP = 0.1  # node pairs closer than this fraction of the median edge length overlap
SEED = 0


def make_graph(n: int) -> list[tuple[int, int]]:
    """The edges of the debate-shaped test graph on nodes 0..n-1 (see the docstring)."""
    import networkx as nx

    graph = nx.powerlaw_cluster_graph(n, 3, 0.3, seed=SEED)
    return sorted((min(a, b), max(a, b)) for a, b in graph.edges() if a != b)


def run_layout(name: str, n: int, edges: list[tuple[int, int]]) -> Any:
    """The positions of nodes 0..n-1 as an (n, 2) array; only the layout call is timed."""
    import networkx as nx
    import numpy as np

    if name == "mixity force_layout":
        nodes = list(range(n))
        start = time.perf_counter()
        found = force_layout(nodes, edges, seed=SEED)
        seconds = time.perf_counter() - start
    else:
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(edges)
        start = time.perf_counter()
        if name == "networkx forceatlas2_layout":
            found = nx.forceatlas2_layout(graph, seed=SEED)
        else:
            found = nx.spring_layout(graph, seed=SEED)
        seconds = time.perf_counter() - start
    return seconds, np.array([found[i] for i in range(n)], dtype=float)


def readability(pos: Any, edges: list[tuple[int, int]]) -> tuple[float, float, int]:
    """Edge-length CV, and the fraction and number of overlapping node pairs, after scaling
    the layout so that its median edge length is 1."""
    import numpy as np
    from scipy.spatial import cKDTree  # type: ignore[import-untyped]

    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    lengths = np.sqrt(((pos[pairs[:, 0]] - pos[pairs[:, 1]]) ** 2).sum(axis=1))
    median = float(np.median(lengths))
    if median <= 0:
        return float("nan"), 1.0, len(pos) * (len(pos) - 1) // 2
    scaled = pos / median
    lengths = lengths / median
    cv = float(lengths.std() / lengths.mean())
    close = len(cKDTree(scaled).query_pairs(OVERLAP, output_type="ndarray"))
    total = len(pos) * (len(pos) - 1) // 2
    return cv, close / total, close


def child(
    conn: Connection, name: str, n: int, edges: list[tuple[int, int]], runs: int, memory: float
) -> None:
    """Runs in its own process: reports "ready", then each run's time, then the measures."""
    import resource

    limit = int(memory * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        import networkx as nx
        import scipy.optimize
        import scipy.sparse
        import scipy.spatial  # noqa: F401 - imported before timing, as a warm process has

        warm = nx.powerlaw_cluster_graph(50, 3, 0.3, seed=SEED)
        run_layout(name, 50, sorted((min(a, b), max(a, b)) for a, b in warm.edges()))
        conn.send(("ready", None))
        first = None
        for _ in range(runs):
            seconds, pos = run_layout(name, n, edges)
            first = pos if first is None else first
            conn.send(("time", seconds))
            if conn.recv() == "stop":  # the parent answers each time with "go" or "stop"
                break
        conn.send(("measures", readability(first, edges)))
    except MemoryError:
        conn.send(("error", f"out of memory (> {memory:g} GB)"))
    except Exception as exc:  # reported in the table rather than stopping the benchmark
        conn.send(("error", f"{type(exc).__name__}: {str(exc)[:60]}"))
    finally:
        conn.close()


def measure(
    name: str, n: int, edges: list[tuple[int, int]], runs: int, budget: float, memory: float
) -> dict[str, Any]:
    """Times and measures of one layout at one size, or why they are missing."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=child, args=(theirs, name, n, edges, runs, memory))
    process.start()
    theirs.close()
    times: list[float] = []
    result: dict[str, Any] = {"times": times}
    try:
        while True:
            waited = budget + 5 if times or result.get("ready") else 300.0
            if not ours.poll(waited):
                result["skipped"] = f"skipped (> {budget:g} s)"
                break
            kind, value = ours.recv()
            if kind == "ready":
                result["ready"] = True
            elif kind == "time":
                times.append(value)
                print(f"  {name}, {n:,} nodes: run {len(times)} {value:.2f} s", file=sys.stderr)
                if value > budget:
                    result["skipped"] = f"skipped (> {budget:g} s)"
                    break
                ours.send("stop" if sum(times) >= budget else "go")
            elif kind == "measures":
                result["measures"] = value
                break
            else:
                result["skipped"] = value
                break
    except EOFError:
        result["skipped"] = "failed (the child process died)"
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        ours.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds a single run may take")
    parser.add_argument(
        "--memory", type=float, default=8.0, help="GB of address space per layout process"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    import networkx as nx
    import numpy as np
    import scipy

    rows = []
    given_up: dict[str, str] = {}
    for n in sizes:
        edges = make_graph(n)
        base = None
        for name in LAYOUTS:
            if name in given_up:
                rows.append((name, n, len(edges), None, None, given_up[name]))
                continue
            found = measure(name, n, edges, args.runs, args.budget, args.memory)
            if "skipped" in found:
                given_up[name] = f"{found['skipped']} at {n:,}"
                rows.append((name, n, len(edges), None, None, found["skipped"]))
                continue
            seconds = statistics.median(found["times"])
            if name == LAYOUTS[0]:
                base = seconds
            ratio = seconds / base if base else None
            note = "" if len(found["times"]) == args.runs else f" ({len(found['times'])} runs)"
            rows.append((name, n, len(edges), (seconds, ratio, note), found["measures"], ""))

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the end of the "
        f"run; Python {platform.python_version()}, numpy {np.__version__}, scipy "
        f"{scipy.__version__}, networkx {nx.__version__}. Median of {args.runs} runs, budget "
        f"{args.budget:g} s per run, {args.memory:g} GB per layout process.\n"
    )
    print(
        "| layout | nodes | edges | median time | ratio to mixity | edge-length CV | "
        "overlap fraction | overlapping pairs |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, n, m, timing, measures, why in rows:
        if timing is None:
            print(f"| {name} | {n:,} | {m:,} | {why} | – | – | – | – |")
            continue
        seconds, ratio, note = timing
        cv, fraction, close = measures
        shown = f"{ratio:.2f}×" if ratio is not None else "–"
        print(
            f"| {name} | {n:,} | {m:,} | {seconds:.2f} s{note} | {shown} | {cv:.3f} | "
            f"{fraction:.2e} | {close:,} |"
        )
    print(
        f"\nReadability after scaling each layout to a median edge length of 1: edge-length "
        f"CV = std / mean of the edge lengths; overlapping pairs = node pairs closer than "
        f"{OVERLAP:g}, as a fraction of all n(n-1)/2 pairs. Lower is better for both."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

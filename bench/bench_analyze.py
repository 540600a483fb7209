"""Benchmark the networkx projection, `mixity analyze` and every export format.

    python bench/bench_analyze.py                  # 10 k and 100 k triples, medians of 5 / 3 runs
    python bench/bench_analyze.py --sizes 10000 --runs 3

On the synthetic debate-shaped graph of bench/synth.py (plus the bundled ontology and data):

1. the cost of exact betweenness per node x link, measured on growing graphs, and the
   work threshold above which `mixity analyze` samples sources instead (the constant
   `EXACT_BETWEENNESS_MAX_WORK` in mixity/graph/network/analyze.py);
2. per size: mixity's projection against rdflib's `rdflib_to_networkx_multidigraph` measured in
   the same run (the baseline ratio), the whole analysis, and each export;
3. what the naive route (rdflib_to_networkx then networkx's writers) produces.

Medians of several runs; ratios are what hold on a noisy machine.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import write  # noqa: E402
from bench.timing import median_time  # noqa: E402
from mixity.graph.io.loader import load  # noqa: E402
from mixity.graph.network.analyze import EXACT_BETWEENNESS_MAX_WORK, analyze  # noqa: E402
from mixity.graph.network.export import FORMATS, export  # noqa: E402
from mixity.graph.network.links import Links  # noqa: E402
from mixity.graph.network.projection import project  # noqa: E402


def simple_graph(graph: Any) -> Any:
    """The undirected simple graph `analyze` measures (integer nodes)."""
    import networkx as nx

    projected = project(graph, evidence=False)
    index = {node: i for i, node in enumerate(projected.nodes)}
    simple = nx.Graph()
    simple.add_nodes_from(range(len(index)))
    simple.add_edges_from((index[u], index[v]) for u, v in projected.edges() if u != v)
    return simple


def threshold(folder: Path, sizes: list[int]) -> None:
    """Exact betweenness: seconds per million node-links, and where it passes one second."""
    import networkx as nx

    print("## Exact betweenness (Brandes, networkx) on the debate network\n")
    print("| triples | nodes | links | nodes × links | exact | µs per node-link |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    rates = []
    for size in sizes:
        graph = load([write(folder / f"t{size}.nt", size, seed=0)]).graph
        simple = simple_graph(graph)
        n, m = simple.number_of_nodes(), simple.number_of_edges()
        seconds, _ = median_time(lambda s=simple: nx.betweenness_centrality(s), 1)
        rate = seconds / (n * m) * 1e6
        rates.append(rate)
        print(f"| {size:,} | {n:,} | {m:,} | {n * m:,} | {seconds:.2f} s | {rate:.2f} |")
    rate = statistics.median(rates)
    one_second = int(1e6 / rate)
    print(
        f"\nMedian {rate:.2f} µs per node-link: exact betweenness takes one second at about "
        f"{one_second:,} node-links (mixity's threshold: {EXACT_BETWEENNESS_MAX_WORK:,}).\n"
    )


def naive_route(graph: Any) -> list[str]:
    """What rdflib_to_networkx + networkx's writers give: what breaks and what is lost."""
    import networkx as nx
    from rdflib import Literal
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    notes = []
    naive = rdflib_to_networkx_multidigraph(graph)
    literals = sum(1 for node in naive if isinstance(node, Literal))
    notes.append(f"{literals:,} of its {naive.number_of_nodes():,} nodes are literals")
    for name, writer in (("GraphML", nx.write_graphml), ("GEXF", nx.write_gexf)):
        try:
            buffer = io.BytesIO()
            writer(naive, buffer)
            ids = re.findall(rb'<edge [^>]*?id="([^"]*)"', buffer.getvalue())
            repeated = len(ids) - len(set(ids))
            notes.append(f"{name}: written; {repeated:,} of {len(ids):,} edge ids are repeats")
        except Exception as exc:  # the point is to record what the naive route raises
            notes.append(f"{name}: fails with {type(exc).__name__}: {str(exc)[:70]}")
    return notes


def bench_size(folder: Path, size: int, runs: int) -> None:
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    path = write(folder / f"g{size}.nt", size, seed=0)
    graph = load([path]).graph
    triples = len(graph)
    print(f"## {size:,} synthetic triples ({triples:,} with the bundled graph), median of {runs}\n")
    print("| step | median | ratio / detail |")
    print("| --- | ---: | --- |")

    base, naive = median_time(lambda: rdflib_to_networkx_multidigraph(graph), runs)
    every = Links.everything()  # what the exports project
    full, projected = median_time(
        lambda: project(graph, schema=True, evidence=True, links=every), runs
    )
    debate, network = median_time(lambda: project(graph, evidence=False), runs)
    print(
        f"| baseline `rdflib_to_networkx_multidigraph` | {base:.2f} s | "
        f"{naive.number_of_nodes():,} nodes (literals included), "
        f"{naive.number_of_edges():,} edges |"
    )
    print(
        f"| projection, everything (lossless) | {full:.2f} s | {full / base:.2f}× baseline; "
        f"{projected.number_of_nodes():,} nodes, {projected.number_of_edges():,} edges |"
    )
    print(
        f"| projection for analysis (no schema, no evidence, no scheme membership, "
        f"inverse pairs once) | {debate:.2f} s | "
        f"{debate / base:.2f}× baseline; {network.number_of_nodes():,} nodes, "
        f"{network.number_of_edges():,} edges |"
    )

    seconds, result = median_time(lambda: analyze(graph), runs)
    print(
        f"| `analyze` (projection + measures + findings) | {seconds:.2f} s | "
        f"{result.nodes:,} resources, {result.links:,} links; {result.betweenness_note} |"
    )
    for fmt in FORMATS:
        seconds, exported = median_time(lambda f=fmt: export(graph, f), runs)
        size_kb = sum(len(data) for data in exported.files.values()) / 1024
        print(f"| export `{fmt}` | {seconds:.2f} s | {size_kb:,.0f} KiB |")
    print()
    print("Naive route (rdflib_to_networkx_multidigraph, then networkx's writers): ")
    for note in naive_route(graph):
        print(f"- {note}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, nargs="+", default=[5, 3], help="runs per size")
    parser.add_argument(
        "--threshold-sizes", type=int, nargs="*", default=[2_000, 4_000, 8_000, 16_000]
    )
    args = parser.parse_args()
    runs = args.runs + [args.runs[-1]] * (len(args.sizes) - len(args.runs))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.threshold_sizes:
            threshold(folder, args.threshold_sizes)
        for size, count in zip(args.sizes, runs, strict=False):
            bench_size(folder, size, count)


if __name__ == "__main__":
    main()

"""Benchmark `mixity render`: HTML generation, file size, and time to a usable page in Chromium.

For synthetic debate-shaped graphs (`bench/synth.py`) of about 100, 1,000 and 5,000 nodes in
the overview: the median of several runs of `render_html` (after one warm-up, so imports are
not counted), the page's size, and the browser time from navigation to the page's own
"ready" mark (physics stabilised and stopped, or the first drawing with precomputed
positions), in Debian's headless Chromium with every network request blocked.

Baseline, measured in the same run: filling a pyvis `Network` through `add_node`/`add_edge`
(which check duplicates linearly) against filling `Network.nodes`/`Network.edges` directly,
with the same node and edge dictionaries (mixity writes these lists into the page itself).

    .venv/bin/python bench/bench_render.py [--runs 5] [--sizes 100,1000,5000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import write  # noqa: E402
from bench.timing import median_time  # noqa: E402
from mixity.graph.io.loader import LoadedGraph, load  # noqa: E402
from mixity.graph.model.views import select  # noqa: E402
from mixity.graph.page.render import render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def graph_of(nodes: int, folder: Path) -> tuple[LoadedGraph, int, int]:
    """A synthetic graph whose overview has about `nodes` nodes (two calibration steps)."""
    triples = max(200, nodes * 11)
    for _ in range(3):
        path = write(folder / f"synth-{triples}.nt", triples, seed=0)
        loaded = load([path], bundled=False)
        shown = select(loaded.graph, "overview")
        if abs(len(shown.nodes) - nodes) <= nodes * 0.05:
            break
        triples = max(200, round(triples * nodes / max(len(shown.nodes), 1)))
    return loaded, len(shown.nodes), len(shown.edges)


def browser_times(pages: list[Path], runs: int) -> dict[Path, tuple[float, float]]:
    """Median ms from navigation to ready, and to the start of mixity's script, per page."""
    from playwright.sync_api import sync_playwright

    out: dict[Path, tuple[float, float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in pages:
            ready, start = [], []
            for _ in range(runs + 1):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort(),
                )
                page.goto(path.as_uri())
                page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
                ready.append(page.evaluate("window.mixity.readyAt"))
                start.append(
                    page.evaluate("performance.getEntriesByName('mixity-start')[0].startTime")
                )
                context.close()
            out[path] = (statistics.median(ready[1:]), statistics.median(start[1:]))
        browser.close()
    return out


def fill_baseline(
    html_nodes: list[dict[str, Any]], html_edges: list[dict[str, Any]], directed: bool
) -> tuple[float, float]:
    """Seconds to fill a pyvis Network through add_node/add_edge, and directly."""
    from pyvis.network import Network

    net = Network(directed=directed)
    start = time.perf_counter()
    for node in html_nodes:
        options = {k: v for k, v in node.items() if k not in ("id", "label")}
        net.add_node(node["id"], label=node["label"], **options)
    for edge in html_edges:
        net.add_edge(edge["from"], edge["to"], title=edge.get("title", ""))
    slow = time.perf_counter() - start
    net = Network(directed=directed)
    start = time.perf_counter()
    net.nodes = [dict(n) for n in html_nodes]
    net.edges = [dict(e) for e in html_edges]
    fast = time.perf_counter() - start
    return slow, fast


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--baseline-size", type=int, default=1000)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages = []
        for size in sizes:
            loaded, nodes, edges = graph_of(size, folder)
            seconds, page = median_time(
                lambda loaded=loaded: render_html(loaded), args.runs, warm_up=True
            )
            path = folder / f"page-{size}.html"
            path.write_text(page, encoding="utf-8")
            pages.append(path)
            rows.append([size, nodes, edges, seconds, len(page.encode("utf-8")), path, loaded])
            print(f"generated {nodes} nodes in {seconds:.2f} s", file=sys.stderr)
        timings = browser_times(pages, args.runs)

        load_avg = os.getloadavg()[0]
        print(
            f"Runs: {args.runs} (medians). {os.cpu_count()} cores, load average {load_avg:.1f} "
            "at the end of the run; headless Chromium, network blocked.\n"
        )
        print("| nodes | edges | layout | HTML generation | file size | browser: load → usable |")
        print("| ---: | ---: | --- | ---: | ---: | ---: |")
        for _size, nodes, edges, seconds, size_bytes, path, _ in rows:
            ready, _start = timings[path]
            text = path.read_text(encoding="utf-8")
            found = re.search(r'id="mixity-data">(.*?)</script>', text, re.S)
            layout = json.loads(found.group(1))["provenance"]["layout"] if found else "?"
            print(
                f"| {nodes:,} | {edges:,} | {layout} | {seconds:.2f} s | "
                f"{size_bytes / 1_048_576:.1f} MiB | {ready / 1000:.2f} s |"
            )

        base = min(rows, key=lambda r: abs(r[0] - args.baseline_size))
        text = Path(base[5]).read_text(encoding="utf-8")
        found = re.search(r'id="mixity-data">(.*?)</script>', text, re.S)
        assert found is not None
        data = json.loads(found.group(1))
        print(
            f"\nFilling pyvis's Network with {len(data['nodes']):,} nodes and "
            f"{len(data['edges']):,} edges:"
        )
        for directed in (True, False):
            slow, fast = fill_baseline(data["nodes"], data["edges"], directed)
            kind = "directed" if directed else "undirected (pyvis's default)"
            print(
                f"- {kind}: add_node/add_edge {slow:.2f} s, direct lists "
                f"{fast * 1000:.1f} ms (x{slow / max(fast, 1e-9):,.0f})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

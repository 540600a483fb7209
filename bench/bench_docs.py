"""Benchmark `mixity docs`: the documentation of the bundled ontology (target: < 2 s), and of the
bundled graph with a synthetic debate-shaped extension of growing size (`bench/synth.py`).

For each graph, the median of several runs (after one warm-up, so imports are not counted) of:
loading the graph (`load`, the baseline measured in the same run), building the pages
(`build_docs`), writing the folder (`write_docs`), and the three together; the ratio of the
documentation's own work (build + write) to loading says what `docs` adds to any command that
loads the same graph. Last, the whole command as a user runs it (`mixity docs -o DIR`, a new
process each time, imports included).

    .venv/bin/python bench/bench_docs.py [--runs 5] [--sizes 0,10000,100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import write  # noqa: E402
from bench.timing import median_time  # noqa: E402
from mixity.graph.docs import build_docs, write_docs  # noqa: E402
from mixity.graph.io.loader import load  # noqa: E402

MIXITY = ROOT / ".venv" / "bin" / "mixity"


def measure(paths: list[Path], folder: Path, runs: int) -> dict[str, Any]:
    """Medians of load, build, write and all three for one graph."""
    load_s, loaded = median_time(lambda: load(paths), runs, warm_up=True)
    build_s, site = median_time(lambda: build_docs(loaded), runs, warm_up=True)
    out = folder / "docs"
    write_s, _ = median_time(lambda: write_docs(site, out), runs, warm_up=True)

    def whole() -> None:
        write_docs(build_docs(load(paths)), out)

    total_s, _ = median_time(whole, runs, warm_up=True)
    size = sum(len(page.encode("utf-8")) for page in site.pages.values())
    shutil.rmtree(out, ignore_errors=True)
    return {
        "triples": len(loaded.graph),
        "terms": site.classes + site.properties,
        "pages": len(site.pages),
        "bytes": size,
        "load": load_s,
        "build": build_s,
        "write": write_s,
        "total": total_s,
    }


def command_time(folder: Path, runs: int) -> tuple[float, float]:
    """The median wall time and CPU time (user + system) of `mixity docs -o DIR` in a new
    process (bundled graph): on a shared machine the CPU time is what a quiet one would take."""
    import resource

    walls, cpus = [], []
    out = folder / "cli-docs"
    for _ in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([str(MIXITY), "docs", "-o", str(out)], check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls[1:]), statistics.median(cpus[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sizes",
        default="0,10000,100000",
        help="triples of the synthetic extension (0: the bundled graph alone)",
    )
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            paths = [write(folder / f"synth-{size}.nt", size, seed=0)] if size else []
            rows.append((size, measure(paths, folder, args.runs)))
            print(f"measured {size:,} extension triples", file=sys.stderr)
        cli = command_time(folder, args.runs)
    print(
        f"Runs: {args.runs} (medians). {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end of the run.\n"
    )
    print(
        "| extension | triples | terms | pages | HTML | load (baseline) | build | write "
        "| load + build + write | (build + write) / load |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, row in rows:
        ratio = (row["build"] + row["write"]) / row["load"]
        print(
            f"| {size:,} | {row['triples']:,} | {row['terms']} | {row['pages']} | "
            f"{row['bytes'] / 1024:.0f} KiB | {row['load']:.3f} s | {row['build']:.3f} s | "
            f"{row['write']:.3f} s | {row['total']:.3f} s | {ratio:.2f}× |"
        )
    wall, cpu = cli
    print(
        f"\n`mixity docs -o DIR` (bundled graph, new process, imports included): {wall:.2f} s "
        f"wall, {cpu:.2f} s CPU (user + system)"
    )
    bundled = dict(rows).get(0)
    if bundled is not None:
        verdict = "met" if bundled["total"] < 2 and wall < 2 else "MISSED"
        print(f"Target < 2 s for the bundled ontology: {verdict}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

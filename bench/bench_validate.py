"""Benchmark the SHACL validation of `mixity validate` on the bundled graph.

    python bench/bench_validate.py             # medians of 5 runs
    python bench/bench_validate.py --runs 9

Measured in the same run:

- baseline: pySHACL on the bundled graph with the shapes as written and rdflib's own SPARQL
  processor (how `mixity validate` ran it before);
- the same with each SPARQL constraint prepared once (`prepared_queries`);
- the same with the node shapes that only gather property shapes split (`split_targets`);
- both, as `validate` runs them;
- `mixity validate` as a user runs it (a new process: start-up, load, SHACL, mixity's checks).

Medians of several runs; the ratio to the baseline is what holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyshacl import validate as shacl_validate  # noqa: E402
from rdflib import Graph  # noqa: E402

from bench.timing import median_time  # noqa: E402
from mixity.graph.io.loader import load, shapes_graph  # noqa: E402
from mixity.graph.model.prepared import prepared_queries  # noqa: E402
from mixity.graph.model.targets import split_targets  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    args = parser.parse_args(argv)
    data, shapes = load().graph, shapes_graph()

    def shacl(arranged: bool, prepared: bool) -> Callable[[], object]:
        def run() -> object:
            graph: Graph = split_targets(shapes) if arranged else shapes
            with prepared_queries() if prepared else nullcontext():
                return shacl_validate(
                    data, shacl_graph=graph, inference="none", advanced=True, allow_warnings=True
                )

        return run

    print(f"## SHACL validation of the bundled graph ({len(data):,} triples, {args.runs} runs)\n")
    baseline = median_time(shacl(False, False), args.runs)[0]
    rows = [("pySHACL, shapes as written (baseline)", baseline)]
    rows.append(
        ("… SPARQL constraints prepared once", median_time(shacl(False, True), args.runs)[0])
    )
    rows.append(("… gathering node shapes split", median_time(shacl(True, False), args.runs)[0]))
    rows.append(("… both (as `validate` runs it)", median_time(shacl(True, True), args.runs)[0]))
    command = [sys.executable, "-m", "mixity", "validate"]
    cli, _ = median_time(
        lambda: subprocess.run(command, capture_output=True, check=True), args.runs
    )
    rows.append(("`mixity validate` (new process)", cli))
    print("| measure | median | × baseline |")
    print("| --- | ---: | ---: |")
    for what, spent in rows:
        print(f"| {what} | {spent:.2f} s | {spent / baseline:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

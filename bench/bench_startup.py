"""Benchmark the start-up of `mixity query` on the bundled graph, whole processes.

Prints a Markdown table of median wall and CPU times (after a warm-up, runs interleaved so that
drift on a busy machine hits every command alike) and each one's ratio to `python -c "import
rdflib"` measured in the same run:

- `python -c pass` and `python -c "import click, pyoxigraph"`: the floors;
- `python -c "import rdflib"`: the baseline (the goal is `mixity query` at most 0.6× of it);
- `mixity query NAME` with a warm start-up cache, a cold one (the cache folder emptied
  before each run, untimed) and the cache disabled (`MIXITY_CACHE_DIR=off`).

    python bench/bench_startup.py                        # 15 runs each, `levers`
    python bench/bench_startup.py --runs 31 --query levers-for-actor --param actor=bailleurs
    python bench/bench_startup.py --bytecode source      # as bench/bench_query.py runs

`--bytecode cached` (the default) gives every process a bytecode cache (PYTHONPYCACHEPREFIX in
a temporary folder, filled by the warm-up), as for a wheel installed by pip. `--bytecode
source` runs every process with PYTHONDONTWRITEBYTECODE=1, as bench/bench_query.py does:
installed packages still load from their bytecode, but an editable checkout of mixity without
__pycache__ folders is compiled on every run (40-60 ms more).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
MIXITY = str(BIN / "mixity") if (BIN / "mixity").exists() else "mixity"
BASELINE = 'python -c "import rdflib"'


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one process."""
    cpu, begin = _cpu(), time.perf_counter()
    done = subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False
    )
    elapsed = time.perf_counter() - begin
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()}")
    return elapsed, _cpu() - cpu


def measure(query: list[str], runs: int, warmup: int, bytecode: str, work: Path) -> str:
    """The Markdown table of medians for `mixity query QUERY…` and the reference commands."""
    env = dict(os.environ)
    if bytecode == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    warm, cold = work / "warm-cache", work / "cold-cache"
    mixity = [MIXITY, "query", *query]
    shown = " ".join(query)
    # name -> (argv, MIXITY_CACHE_DIR or None, cache folder emptied before each run)
    commands: dict[str, tuple[list[str], str | None, Path | None]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], None, None),
        'python -c "import click, pyoxigraph"': (
            [sys.executable, "-c", "import click, pyoxigraph"],
            None,
            None,
        ),
        BASELINE: ([sys.executable, "-c", "import rdflib"], None, None),
        f"mixity query {shown} (warm cache)": (mixity, str(warm), None),
        f"mixity query {shown} (cold cache)": (mixity, str(cold), cold),
        f"mixity query {shown} (cache off)": (mixity, "off", None),
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for turn in range(warmup + runs):
        for name, (argv, cache, emptied) in commands.items():
            run_env = env if cache is None else {**env, "MIXITY_CACHE_DIR": cache}
            if emptied is not None:
                shutil.rmtree(emptied, ignore_errors=True)
            wall, cpu = _run(argv, run_env)
            if turn >= warmup:
                walls[name].append(wall)
                cpus[name].append(cpu)
    wall_base = statistics.median(walls[BASELINE])
    cpu_base = statistics.median(cpus[BASELINE])
    lines = [
        f"Start-up, whole processes: medians of {runs} interleaved runs after {warmup} warm-up "
        f"round(s), bytecode {bytecode}, Python {sys.version.split()[0]}. CPU is user + system "
        "time, steadier than wall time on a busy machine.",
        "",
        "| command | wall | × `import rdflib` | CPU | × `import rdflib` |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        lines.append(
            f"| `{name}` | {wall * 1000:.0f} ms | {wall / wall_base:.2f} "
            f"| {cpu * 1000:.0f} ms | {cpu / cpu_base:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (median)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed rounds first (they fill the caches)"
    )
    parser.add_argument("--query", default="levers", help="a saved query's name, or SPARQL")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="passed to the query"
    )
    parser.add_argument("--bytecode", choices=("cached", "source"), default="cached")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 1:
        parser.error("--runs and --warmup must be 1 or more")
    query = [args.query] + [arg for value in args.param for arg in ("--param", value)]
    with tempfile.TemporaryDirectory(prefix="mixity-bench-startup-") as folder:
        print(measure(query, args.runs, args.warmup, args.bytecode, Path(folder)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

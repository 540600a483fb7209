"""Benchmark `mixity query`: start-up against `import rdflib`, and engines at 10 k – 1 M triples.

Prints Markdown tables of medians, with ratios against baselines measured in the same run:

1. Start-up: end-to-end wall time of `mixity query <saved query>` on the bundled graph against
   the floor `python -c "import rdflib"` (interleaved runs, median of --startup-runs each).
2. For each size of a synthetic debate-shaped graph (`bench/synth.py`): load time, the median
   time of five typical queries and the peak memory (ru_maxrss) of each engine, every engine in
   its own process: rdflib in memory, pyoxigraph used directly, and mixity's Oxigraph path
   (`mixity.graph.sparql.engine.QueryEngine`, with and without RDFS). rdflib queries are stopped at
   --cap seconds and reported as "> cap".
3. One query per process from a persistent store (`mixity load`, then `mixity query
   --store-dir`), against the same query run by a bare pyoxigraph script on the same store.

    python bench/bench_query.py                          # everything, 10 k / 100 k / 1 M
    python bench/bench_query.py --sizes 10000,100000     # quicker
    python bench/bench_query.py --no-startup --engines pyoxigraph,mixity

Every engine loads the same data (the bundled graph plus the synthetic file), so the answers
are compared: a row count that differs between engines is flagged with "!".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from types import FrameType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
MIXITY = str(BIN / "mixity") if (BIN / "mixity").exists() else "mixity"

PREFIXES = """\
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX mix: <https://w3id.org/mixity/ontology#>
"""

#: The five typical queries (name -> SPARQL), run by every engine on the same data.
QUERIES: dict[str, str] = {
    "count by type": PREFIXES
    + "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
    "3-way join": PREFIXES
    # No `?meeting a mix:Meeting` at the end: rdflib does not reorder joins and would start
    # from the cross product of meetings and levers (> 60 s at 100 k triples instead of 1 s).
    + """SELECT ?lever ?actor ?meeting WHERE {
  ?lever a mix:Lever ; mix:involves ?actor ; mix:proposedAt ?workshop .
  ?workshop schema:superEvent ?meeting .
}""",
    "label filter": PREFIXES
    + """SELECT ?s ?label WHERE {
  ?s rdfs:label ?label FILTER(CONTAINS(LCASE(STR(?label)), "copropriété"))
}""",
    "skos:broader* path": PREFIXES
    + """SELECT ?question ?top WHERE {
  ?question a mix:Question ; mix:concerns ?notion .
  ?notion skos:broader* ?top .
  ?top skos:topConceptOf ?scheme .
}""",
    "CONSTRUCT neighbourhood": PREFIXES
    + """CONSTRUCT { ?s ?p ?o } WHERE {
  ?lever mix:involves <https://w3id.org/mixity/id/actor/synth-1> .
  { ?lever ?p ?o BIND(?lever AS ?s) } UNION { ?lever mix:evidence ?s . ?s ?p ?o }
}""",
}

ENGINES = ("rdflib", "pyoxigraph", "mixity", "mixity-rdfs")
ENGINE_NAMES = {
    "rdflib": "rdflib memory",
    "pyoxigraph": "pyoxigraph direct",
    "mixity": "mixity (Oxigraph)",
    "mixity-rdfs": "mixity + RDFS",
}


# ---------------------------------------------------------------------------------------------
# Worker: one engine, one graph, in its own process (run as `--worker ENGINE FILE`)


class _Capped(Exception):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Capped


def _bundled() -> Iterator[tuple[str, bytes]]:
    root = files("mixity")
    for folder in ("ontology", "data"):
        for entry in sorted(root.joinpath(folder).iterdir(), key=lambda t: t.name):
            if entry.name.endswith(".ttl") and entry.name != "shapes.ttl":
                yield entry.name, entry.read_bytes()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _loader(engine: str, path: Path) -> Callable[[str], int]:
    """Load bundled + `path` with `engine`; return a function running a query -> answer size."""
    if engine == "rdflib":
        import rdflib

        graph = rdflib.Graph()
        for _, data in _bundled():
            graph.parse(data=data.decode("utf-8"), format="turtle")
        graph.parse(str(path), format="nt")

        def run_rdflib(text: str) -> int:
            result = graph.query(text)
            if result.type == "CONSTRUCT":
                assert result.graph is not None
                return len(result.graph)
            return len([tuple(row) for row in result])  # type: ignore[arg-type]

        return run_rdflib
    if engine == "pyoxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        for _, data in _bundled():
            store.load(data, ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return lambda text: _run_oxigraph(store, text)
    if engine in ("mixity", "mixity-rdfs"):
        from mixity.graph.sparql.engine import QueryEngine

        query_engine = QueryEngine([path], infer="rdfs" if engine == "mixity-rdfs" else "none")
        return lambda text: len(query_engine.query(text))
    raise SystemExit(f"unknown engine {engine}")


def _run_oxigraph(store: Any, text: str) -> int:
    import pyoxigraph as ox

    result = store.query(text)
    if isinstance(result, ox.QueryTriples):
        return len(set(result))
    return len([tuple(solution) for solution in result])


def worker(engine: str, path: Path, runs: int, cap: float, only: list[str]) -> dict[str, Any]:
    """Load, then run each query `runs` times; times are medians in seconds."""
    started = time.perf_counter()
    run = _loader(engine, path)
    report: dict[str, Any] = {
        "load": time.perf_counter() - started,
        "rss_load": _rss_mb(),
        "queries": {},
    }
    signal.signal(signal.SIGALRM, _on_alarm)
    for name, text in QUERIES.items():
        if only and name not in only:
            continue
        times: list[float] = []
        size: int | None = None
        capped = False
        for _ in range(runs):
            begin = time.perf_counter()
            if engine == "rdflib":
                signal.setitimer(signal.ITIMER_REAL, cap)
            try:
                size = run(text)
            except _Capped:
                capped = True
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - begin)
            # Slow engines: a few runs are enough when one run takes many seconds.
            if sum(times) > 3 * cap:
                break
        report["queries"][name] = {
            "median": None if capped else statistics.median(times),
            "runs": len(times),
            "size": size,
        }
    report["rss_peak"] = _rss_mb()
    return report


# ---------------------------------------------------------------------------------------------
# Driver


def _median_wall(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, interleaved so that drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(runs):
        for name, argv in commands.items():
            begin = time.perf_counter()
            done = subprocess.run(
                argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False
            )
            times[name].append(time.perf_counter() - begin)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()}")
    return {name: statistics.median(values) for name, values in times.items()}


def _saved_query() -> list[str]:
    """`levers` if the catalogue has it, else an inline query of the same shape."""
    try:
        from mixity.graph.sparql.engine import saved_queries

        names = {saved.name for saved in saved_queries()}
    except ImportError:
        names = set()
    if "levers" in names:
        return ["levers"]
    return ["SELECT ?lever ?label WHERE { ?lever a mix:Lever ; rdfs:label ?label }"]


def startup(runs: int, workdir: Path) -> str:
    store = workdir / "bundled-store"
    subprocess.run([MIXITY, "load", "--store-dir", str(store)], check=True, capture_output=True)
    query = _saved_query()
    commands = {
        'python -c "pass"': [sys.executable, "-c", "pass"],
        'python -c "import rdflib"  (floor)': [sys.executable, "-c", "import rdflib"],
        f"mixity query {query[0]}": [MIXITY, "query", *query],
        f"mixity query {query[0]} --store-dir": [
            MIXITY,
            "query",
            *query,
            "--store-dir",
            str(store),
        ],
    }
    medians = _median_wall(commands, runs)
    floor = medians['python -c "import rdflib"  (floor)']
    lines = [
        f"Start-up on the bundled graph (median of {runs} runs each, interleaved):",
        "",
        "| command | wall | × floor |",
        "| --- | ---: | ---: |",
    ]
    for name, value in medians.items():
        lines.append(f"| `{name}` | {value * 1000:.0f} ms | {value / floor:.2f} |")
    return "\n".join(lines)


def _spawn_worker(
    engine: str, path: Path, runs: int, cap: float, only: list[str]
) -> dict[str, Any] | None:
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, str(path)]
    argv += ["--runs", str(runs), "--cap", str(cap)]
    if only:
        argv += ["--queries", ",".join(only)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        print(f"{engine} on {path.name} failed:\n{done.stderr}", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _fmt_time(seconds: float | None, cap: float) -> str:
    if seconds is None:
        return f"> {cap:g} s"
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def _ratio(value: float | None, base: float | None, cap: float) -> str:
    if base is None or base == 0:
        return "—"
    if value is None:
        return f"> {cap / base:.0f}×"
    return f"{value / base:.1f}×"


def _best(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge the reports of several processes of one engine: fastest medians, peak memory."""
    best: dict[str, Any] = {
        "load": min(r["load"] for r in reports),
        "rss_peak": max(r["rss_peak"] for r in reports),
        "queries": {},
    }
    for name in reports[0]["queries"]:
        runs = [r["queries"][name] for r in reports]
        finished = [q for q in runs if q["median"] is not None]
        best["queries"][name] = (
            min(finished, key=lambda q: float(q["median"])) if finished else runs[0]
        )
    return best


def sizes_table(
    size: int,
    path: Path,
    engines: list[str],
    runs: int,
    cap: float,
    only: list[str],
    repeat: int,
) -> str:
    reports: dict[str, list[dict[str, Any]]] = {}
    # Oxigraph engines run in `repeat` processes, alternating, so that a burst of load from
    # elsewhere on the machine does not decide a ratio; rdflib (minutes at 1 M) runs once.
    for round_ in range(repeat):
        for engine in engines:
            if engine == "rdflib" and round_ > 0:
                continue
            print(f"  {size:,} triples: {engine} ({round_ + 1}/{repeat})…", file=sys.stderr)
            report = _spawn_worker(engine, path, runs, cap, only)
            if report is not None:
                reports.setdefault(engine, []).append(report)
    results = {engine: _best(found) for engine, found in reports.items()}
    names = [n for n in QUERIES if not only or n in only]
    header = ["", *[ENGINE_NAMES[e] for e in results]]
    if "rdflib" in results and "pyoxigraph" in results:
        compare = [e for e in ("mixity",) if e in results]
    else:
        compare = []
    extra = []
    if "rdflib" in results and compare:
        extra.append("rdflib ÷ mixity")
    if "pyoxigraph" in results and compare:
        extra.append("mixity ÷ pyoxigraph")
    lines = [
        f"{size:,} triples (+ the bundled graph): load, then the median of {runs} runs of "
        f"each query (best of {repeat} processes for Oxigraph engines); rdflib capped at "
        f"{cap:g} s per query:",
        "",
        "| " + " | ".join(header + extra) + " |",
        "| --- " + "| ---: " * (len(header) - 1 + len(extra)) + "|",
    ]

    def row(label: str, values: list[str], ratios: list[str]) -> None:
        lines.append("| " + " | ".join([label, *values, *ratios]) + " |")

    def ratios_for(get: Callable[[dict[str, Any]], float | None]) -> list[str]:
        out: list[str] = []
        mix = get(results["mixity"]) if "mixity" in results else None
        if "rdflib ÷ mixity" in extra:
            rdf = get(results["rdflib"])
            out.append(f"> {cap / mix:.0f}×" if rdf is None and mix else _ratio(rdf, mix, cap))
        if "mixity ÷ pyoxigraph" in extra:
            out.append(_ratio(mix, get(results["pyoxigraph"]), cap))
        return out

    row(
        "load",
        [_fmt_time(r["load"], cap) for r in results.values()],
        ratios_for(lambda r: float(r["load"])),
    )
    for name in names:
        sizes = {
            e: r["queries"][name]["size"]
            for e, r in results.items()
            if e != "mixity-rdfs" and r["queries"][name]["median"] is not None
        }
        flag = " !" if len(set(sizes.values())) > 1 else ""
        answer = next(iter(sizes.values()), None)
        label = f"{name} ({answer:,} {'triples' if 'CONSTRUCT' in name else 'rows'}){flag}"
        row(
            label,
            [_fmt_time(r["queries"][name]["median"], cap) for r in results.values()],
            ratios_for(lambda r, n=name: r["queries"][n]["median"]),  # type: ignore[misc]
        )
    row("peak memory", [f"{r['rss_peak']:.0f} MB" for r in results.values()], [""] * len(extra))
    return "\n".join(lines)


def store_table(size: int, path: Path, workdir: Path, runs: int, only: list[str]) -> str:
    """Build a persistent store once, then one query per process: mixity vs bare pyoxigraph."""
    store = workdir / f"store-{size}"
    begin = time.perf_counter()
    subprocess.run(
        [MIXITY, "load", str(path), "--store-dir", str(store), "--infer", "none"],
        check=True,
        capture_output=True,
    )
    build = time.perf_counter() - begin
    disk = sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 2**20
    bare = (
        "import sys, pyoxigraph as ox\n"
        "s = ox.Store.read_only(sys.argv[1])\n"
        "r = s.query(open(sys.argv[2]).read())\n"
        "print(sum(1 for _ in r))\n"
    )
    lines = [
        f"{size:,} triples, persistent store: built by `mixity load --infer none` in "
        f"{build:.1f} s, {disk:.0f} MB on disk. One query per process (median of {runs}):",
        "",
        "| query | `mixity query --store-dir` | bare pyoxigraph script | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, text in QUERIES.items():
        if only and name not in only:
            continue
        query_file = workdir / f"{name.replace(' ', '-').replace('*', '')}.rq"
        query_file.write_text(text, "utf-8")
        fmt = "nt" if "CONSTRUCT" in name else "tsv"
        medians = _median_wall(
            {
                "mixity": [
                    MIXITY,
                    "query",
                    "--store-dir",
                    str(store),
                    "-f",
                    str(query_file),
                    "--format",
                    fmt,
                ],
                "bare": [sys.executable, "-c", bare, str(store / "oxigraph"), str(query_file)],
            },
            runs,
        )
        lines.append(
            f"| {name} | {_fmt_time(medians['mixity'], 0)} | {_fmt_time(medians['bare'], 0)} "
            f"| {medians['mixity'] / medians['bare']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated")
    parser.add_argument("--queries", default="", help="comma-separated names (default: all)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument("--store-runs", type=int, default=5)
    parser.add_argument("--cap", type=float, default=60.0, help="rdflib per-query cap, seconds")
    parser.add_argument(
        "--repeat", type=int, default=2, help="processes per Oxigraph engine (best is kept)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--no-store", action="store_true", help="skip the persistent store")
    parser.add_argument("--workdir", type=Path, help="keep the generated files here")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    only = [q for q in args.queries.split(",") if q]
    if args.worker:
        engine, path = args.worker
        print(json.dumps(worker(engine, Path(path), args.runs, args.cap, only)))
        return 0

    sys.path.insert(0, str(ROOT))
    from bench.synth import write

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="mixity-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    engines = [e for e in args.engines.split(",") if e]
    try:
        print(
            f"# mixity query benchmark ({time.strftime('%Y-%m-%d %H:%M')}, "
            f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]})\n"
        )
        if not args.no_startup:
            print(startup(args.startup_runs, workdir) + "\n", flush=True)
        for size in (int(s) for s in args.sizes.split(",") if s):
            path = workdir / f"synth-{size}.nt"
            if not path.exists():
                write(path, size, args.seed)
            table = sizes_table(size, path, engines, args.runs, args.cap, only, args.repeat)
            print(table + "\n", flush=True)
            if not args.no_store:
                print(store_table(size, path, workdir, args.store_runs, only) + "\n", flush=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

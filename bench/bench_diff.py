"""Benchmark `mixity diff` on two versions of a 100 k-triple extension.

    python bench/bench_diff.py                    # 100 k triples, medians of 5 runs
    python bench/bench_diff.py --triples 30000 --runs 3
    python bench/bench_diff.py --extension        # also `mixity diff --extension`

OLD is the synthetic debate-shaped data of bench/synth.py (N-Triples, one quoted passage in a
blank-node `oa:TextQuoteSelector` for every fact: about one triple in ten has a blank node).
NEW is OLD with every blank node renamed and the lines shuffled (so nothing matches by id or
position), about 1 % of the literals changed (a tenth of them inside blank nodes), 0.2 % of the
lines removed and a few hundred triples added. Measured in the same run:

- baseline: loading both files into rdflib graphs with mixity's loader (what the other
  commands pay to read them), with the cycle collector off (`without_gc`);
- parsing both files as `mixity diff` reads them (Oxigraph's triples, no rdflib graph);
- the diff itself (`diff_triples`), on the parsed triples;
- `compare` + each output format, as `mixity diff` runs them in-process;
- `mixity diff OLD NEW` as a user runs it (a new process: start-up, load, diff, text);
- with `--extension`, `mixity diff --extension` on OLD as an extension (with a header that puts
  a domain on a base property), with the cache off (the bundled graph's own findings are
  computed, about 4 s) and with them in the cache.

Medians of several runs; the ratio to the baseline is what holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import write  # noqa: E402
from bench.timing import median_time  # noqa: E402
from mixity.graph.diff.compare import diff_triples, load_side  # noqa: E402
from mixity.graph.diff.run import FORMATS, compare, without_gc  # noqa: E402
from mixity.graph.io.loader import load  # noqa: E402

EXTENSION_HEADER = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ext: <https://w3id.org/mixity-bench/ext#> .

ext:Raised a owl:Class ; rdfs:label "Soulevée"@fr , "Raised"@en .
mix:raisedAt rdfs:domain ext:Raised .
"""


def modified(old: Path, new: Path, seed: int = 1) -> dict[str, int]:
    """Write NEW from OLD (see the module docstring); return what was changed."""
    rng = random.Random(seed)
    lines = old.read_text(encoding="utf-8").splitlines()
    counts = {"literals changed": 0, "quotes changed": 0, "removed": 0, "added": 0}
    kept = []
    for line in lines:
        draw = rng.random()
        if draw < 0.002:
            counts["removed"] += 1
            continue
        if draw < 0.012 and '"' in line and "^^" not in line:
            head, _, tail = line.rpartition('"')
            line = f'{head} (révisé)"{tail}'
            counts["quotes changed" if line.startswith("_:") else "literals changed"] += 1
        kept.append(line)
    for n in range(300):
        kept.append(
            f"<https://w3id.org/mixity/id/notion/bench-{n}> "
            f'<http://www.w3.org/2000/01/rdf-schema#label> "notion ajoutée {n}"@fr .'
        )
        counts["added"] += 1
    rng.shuffle(kept)
    # every blank node renamed: `_:sel12` becomes `_:b<random>`
    names: dict[str, str] = {}

    def rename(token: str) -> str:
        if token.startswith("_:"):
            return names.setdefault(token, f"_:b{rng.getrandbits(64):016x}")
        return token

    renamed = []
    for line in kept:
        subject, predicate, rest = line.split(" ", 2)
        if rest.startswith("_:"):  # a blank node object, then " ."
            value, end = rest.split(" ", 1)
            rest = f"{rename(value)} {end}"
        renamed.append(f"{rename(subject)} {predicate} {rest}")
    new.write_text("\n".join(renamed) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="size of OLD")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument(
        "--extension", action="store_true", help="also time `mixity diff --extension`"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mixity-bench-diff-") as work:
        old, new = Path(work) / "old.nt", Path(work) / "new.nt"
        write(old, args.triples, seed=0)
        changes = modified(old, new)
        print(f"## mixity diff on a {args.triples:,}-triple extension ({args.runs} runs, median)\n")
        print("NEW: " + ", ".join(f"{n} {what}" for what, n in changes.items()) + "\n")

        def both() -> tuple[Any, Any]:
            with without_gc():  # as the other commands load a file
                return load([old], bundled=False), load([new], bundled=False)

        def parse() -> tuple[Any, Any]:
            with without_gc():  # as `compare` reads them
                return load_side(old), load_side(new)

        def only_diff() -> Any:
            with without_gc():
                return diff_triples(a.triples, b.triples)

        baseline, _ = median_time(both, args.runs)
        rows = [("load both files into rdflib graphs (baseline)", baseline)]
        parsed, (a, b) = median_time(parse, args.runs)
        rows.append(("parse both files (what `diff` reads)", parsed))
        alone, diff = median_time(only_diff, args.runs)
        rows.append(("diff_triples on the parsed files", alone))
        for fmt in FORMATS:
            spent, _ = median_time(lambda f=fmt: compare(old, new).render(f), args.runs)
            rows.append((f"load + diff + --format {fmt}", spent))
        command = [sys.executable, "-m", "mixity", "diff", str(old), str(new)]
        cli, _ = median_time(lambda: subprocess.run(command, capture_output=True), args.runs)
        rows.append(("`mixity diff OLD NEW` (new process)", cli))
        if args.extension:
            folder = Path(work) / "extension"
            folder.mkdir()
            (folder / "ontology.ttl").write_text(EXTENSION_HEADER, encoding="utf-8")
            old.rename(folder / "data.nt")
            command = [sys.executable, "-m", "mixity", "diff", "--extension", str(folder)]
            off = {**os.environ, "MIXITY_CACHE_DIR": "off"}
            cached = {**os.environ, "MIXITY_CACHE_DIR": str(Path(work) / "cache")}
            subprocess.run(command, capture_output=True, env=cached)  # fills the cache
            for what, env in (("cache off", off), ("warm cache", cached)):
                spent, _ = median_time(
                    lambda e=env: subprocess.run(command, capture_output=True, env=e), args.runs
                )
                rows.append((f"`mixity diff --extension` (new process, {what})", spent))
        print("| measure | median | × baseline |")
        print("| --- | ---: | ---: |")
        for what, spent in rows:
            print(f"| {what} | {spent:.2f} s | {spent / baseline:.2f} |")
        print(
            f"\nDiff: {len(diff.removed_triples):,} triples removed, "
            f"{len(diff.added_triples):,} added, in {len(diff.changes):,} resources; "
            f"{diff.old_size:,} and {diff.new_size:,} triples (target: < 5 s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the exchange formats: each export and import at 10 k and 100 k triples.

    python bench/bench_exchange.py                    # 10 k and 100 k triples
    python bench/bench_exchange.py --sizes 10000 --runs 3

On the synthetic debate-shaped graph of bench/synth.py (without the bundled data). Its source
documents have no texts, so the benchmark writes one per document (its quotes, one per
paragraph) and records its SHA-256 in the graph, as a researcher's sources would be: the QDPX
export then locates every quote in its text. Imports read what the exports wrote: the QDPX
project (zip, schema check, quotes located again for their prefix/suffix) and the AIF map.
Median wall times of `--runs` runs (one at 100 k).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import BNode, Literal, URIRef  # noqa: E402
from rdflib.namespace import RDF  # noqa: E402

from bench.synth import write  # noqa: E402
from bench.timing import median_time  # noqa: E402
from mixity.graph.exchange.aif import export_aif, import_aif  # noqa: E402
from mixity.graph.exchange.argdown import export_argdown  # noqa: E402
from mixity.graph.exchange.debate import SHA256, SPDX, quotes, source_documents  # noqa: E402
from mixity.graph.exchange.qdpx import export_codebook, export_project  # noqa: E402
from mixity.graph.exchange.qdpx_import import import_project  # noqa: E402
from mixity.graph.io.loader import load  # noqa: E402


def with_texts(graph: Any, folder: Path) -> int:
    """Write a text for each source document (its distinct quotes) and record its SHA-256."""
    by_source: dict[Any, list[str]] = {}
    for quote in quotes(graph):
        if quote.source is not None:
            by_source.setdefault(quote.source, [])
            if quote.exact not in by_source[quote.source]:
                by_source[quote.source].append(quote.exact)
    for n, document in enumerate(source_documents(graph)):
        data = ("\n\n".join(by_source.get(document, [])) + "\n").encode("utf-8")
        (folder / f"source-{n}.txt").write_bytes(data)
        checksum = BNode()
        graph.add((document, URIRef(SPDX + "checksum"), checksum))
        graph.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
        graph.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SHA256)))
        value = Literal(hashlib.sha256(data).hexdigest())
        graph.add((checksum, URIRef(SPDX + "checksumValue"), value))
    return len(by_source)


def bench(size: int, runs: int, work: Path) -> list[tuple[str, float, str]]:
    """(what, seconds, size of the result) for each export and import at `size` triples."""
    nt = write(work / f"g-{size}.nt", size, seed=0)
    graph = load([nt], bundled=False).graph
    texts = work / f"texts-{size}"
    texts.mkdir()
    with_texts(graph, texts)
    rows: list[tuple[str, float, str]] = []

    seconds, project = median_time(lambda: export_project(graph, texts), runs)
    rows.append(
        ("export qdpx", seconds, f"{len(project.data):,} B, {project.codes} codes, "
         f"{project.selections} selections")
    )  # fmt: skip
    seconds, book = median_time(lambda: export_codebook(graph), runs)
    rows.append(("export qdc", seconds, f"{len(book.data):,} B, {book.codes} codes"))
    seconds, aif = median_time(lambda: export_aif(graph), runs)
    rows.append(("export aif", seconds, f"{len(aif.data):,} B, {aif.nodes} nodes"))
    seconds, argdown = median_time(lambda: export_argdown(graph), runs)
    rows.append(
        ("export argdown", seconds, f"{len(argdown.data):,} B, {argdown.statements} statements")
    )

    qdpx = work / f"g-{size}.qdpx"
    qdpx.write_bytes(project.data)
    seconds, imported = median_time(lambda: import_project(qdpx), runs)
    rows.append(
        ("import qdpx", seconds, f"{len(imported.turtle):,} B of Turtle, {imported.quotes} quotes")
    )
    aif_file = work / f"g-{size}.json"
    aif_file.write_bytes(aif.data)
    seconds, imported = median_time(lambda: import_aif(aif_file), runs)
    rows.append(
        ("import aif", seconds, f"{len(imported.turtle):,} B of Turtle, "
         f"{imported.resources} statements and arguments")
    )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (1 at 100 k+)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            runs = args.runs if size < 100_000 else 1
            print(f"\n{size:,} triples (median of {runs} run{'s' if runs > 1 else ''})")
            for what, seconds, result in bench(size, runs, Path(tmp)):
                print(f"  {what:<15} {seconds:8.2f} s   {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

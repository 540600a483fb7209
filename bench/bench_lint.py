"""Benchmark `mixity lint` (without the reasoner) on a 100 k-triple extension.

    python bench/bench_lint.py                    # 100 k triples, medians of 5 runs
    python bench/bench_lint.py --triples 30000 --runs 3

The extension is a folder of two files, as a researcher would write it: a Turtle file with the
ontology header and a few dozen terms of its own (a handful of them with a finding, so that
positions are looked up), and the synthetic debate-shaped data of bench/synth.py (N-Triples)
using them and mixity's terms. Measured in the same run:

- baseline: mixity's parser on the same files (`read`: what any command pays to load them);
- lint without the OWL 2 DL profile check (`--no-profile`: the checks in Python);
- lint as `mixity lint` runs it (with the profile check: the OWL API in Java, if installed).

Medians of several runs; the ratio to the baseline is what holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import write  # noqa: E402
from bench.timing import median_time  # noqa: E402
from mixity.graph.lint import lint  # noqa: E402
from mixity.graph.lint.profile import ProfileUnavailable, classpath  # noqa: E402
from mixity.graph.lint.run import read  # noqa: E402

HEADER = """\
@prefix ext: <https://w3id.org/mixity-bench/ext#> .
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix vann: <http://purl.org/vocab/vann/> .

<https://w3id.org/mixity-bench/ext> a owl:Ontology ;
    owl:versionIRI <https://w3id.org/mixity-bench/ext/0.1.0> ;
    owl:versionInfo "0.1.0" ;
    owl:imports <https://w3id.org/mixity/ontology> ;
    dcterms:title "Extension de mesure"@fr , "Benchmark extension"@en ;
    dcterms:description "Une extension pour mesurer lint."@fr , "An extension to time lint."@en ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    dcterms:creator "mixity" ;
    dcterms:modified "2025-01-01"^^xsd:date ;
    vann:preferredNamespacePrefix "ext" ;
    vann:preferredNamespaceUri "https://w3id.org/mixity-bench/ext#" .

"""


def terms(count: int) -> str:
    """`count` classes and as many properties; every tenth class lacks its English label."""
    parts = []
    for i in range(count):
        english = "" if i % 10 == 0 else f' , "kind {i}"@en'
        parts.append(
            f"ext:Kind{i} a owl:Class ; rdfs:subClassOf schema:Event ;\n"
            f'    rdfs:label "genre {i}"@fr{english} ;\n'
            f'    rdfs:comment "Un genre."@fr , "A kind."@en ;\n'
            f"    rdfs:isDefinedBy <https://w3id.org/mixity-bench/ext> .\n"
            f"ext:link{i} a owl:ObjectProperty ; rdfs:range schema:Event ;\n"
            f'    rdfs:label "lien {i}"@fr , "link {i}"@en ;\n'
            f'    rdfs:comment "Un lien. Pas de domaine."@fr , "A link. No domain."@en ;\n'
            f"    rdfs:isDefinedBy <https://w3id.org/mixity-bench/ext> .\n"
        )
    return HEADER + "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="size of the data file")
    parser.add_argument("--terms", type=int, default=50, help="classes (and properties) added")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mixity-bench-lint-") as work:
        folder = Path(work) / "extension"
        folder.mkdir()
        (folder / "ontology.ttl").write_text(terms(args.terms), encoding="utf-8")
        write(folder / "data.nt", args.triples, seed=0)
        size = len(read([folder]).graph)
        print(f"## mixity lint on a {size:,}-triple extension ({args.runs} runs, median)\n")
        parse, _ = median_time(lambda: read([folder]), args.runs)
        python, report = median_time(lambda: lint([folder], profile=False), args.runs)
        print("| measure | median | × parse |")
        print("| --- | ---: | ---: |")
        print(f"| parse the files (baseline) | {parse:.2f} s | 1.0 |")
        print(f"| lint --no-profile | {python:.2f} s | {python / parse:.1f} |")
        try:
            classpath()
            lint([folder])  # the profile checker is compiled once, outside the timing
            full, report = median_time(lambda: lint([folder]), args.runs)
            print(f"| lint (OWL 2 DL profile by the OWL API) | {full:.2f} s | {full / parse:.1f} |")
        except ProfileUnavailable as why:
            print(f"| lint (OWL 2 DL profile) | not run: {why} | |")
        counts = report.counts()
        print(f"\nFindings: {counts} (target: each lint < 5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

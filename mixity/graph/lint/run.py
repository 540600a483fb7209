"""`lint`: read the files, run every check, return the report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import Graph

from mixity.graph.io.files import FORMATS, decode, expand_paths, read_bytes
from mixity.graph.io.loader import parse_text, read_file, read_triples, without_gc
from mixity.graph.io.parse import file_base, parse_rdf
from mixity.graph.lint.base import check_base
from mixity.graph.lint.context import Context
from mixity.graph.lint.findings import Finding, LintReport
from mixity.graph.lint.header import check_header
from mixity.graph.lint.positions import Positions, Source
from mixity.graph.lint.structure import (
    check_cycles,
    check_deprecated,
    check_hierarchy,
    check_literals,
    check_namespaces,
    check_naming,
    check_properties,
)
from mixity.graph.lint.terms import (
    check_declarations,
    check_duplicate_labels,
    check_labels,
    check_terms,
)

#: How the bundled ontology is named in findings.
ONTOLOGY_FILE = "mixity/ontology/mixity.ttl"

#: The checks that read the graphs only, in the order their findings are listed.
CHECKS: tuple[Callable[[Context], None], ...] = (
    check_header,
    check_terms,
    check_labels,
    check_duplicate_labels,
    check_declarations,
    check_cycles,
    check_hierarchy,
    check_properties,
    check_literals,
    check_naming,
    check_namespaces,
    check_deprecated,
    check_base,
)


def bundled_ontology() -> tuple[Graph, Source]:
    """The bundled ontology as a graph, and its text for positions."""
    text = files("mixity").joinpath("ontology", "mixity.ttl").read_text(encoding="utf-8")
    graph = parse_text(text, "turtle", ONTOLOGY_FILE, "file:///")
    return graph, Source(ONTOLOGY_FILE, text, "turtle")


class Read(NamedTuple):
    """The files lint reads: one graph, their texts, and their triples as Oxigraph's terms."""

    graph: Graph
    sources: list[Source]
    triples: list[ox.Triple]


def read(paths: Iterable[str | Path]) -> Read:
    """The files (folders read recursively) as one graph, their texts and their triples."""
    parts: list[tuple[int, Graph]] = []
    sources: list[Source] = []
    triples: list[ox.Triple] = []
    for path in expand_paths(paths):
        fmt = FORMATS[path.suffix.lower()]
        text = decode(path, read_bytes(path))
        graph, parsed = read_file(path)
        parts.append((len(parsed), graph))  # the length of a SimpleMemory graph is counted
        triples += parsed
        sources.append(Source(str(path), text, fmt, file_base(path)))
    if not parts:
        return Read(Graph(), sources, triples)
    # The others are added to the largest (a header file beside a large data file).
    graph = max(parts, key=lambda part: part[0])[1]
    for _, part in parts:
        if part is not graph:
            graph += part
        for prefix, namespace in part.namespaces():
            graph.bind(prefix, namespace, override=False)
    return Read(graph, sources, triples)


def lint(
    files: Iterable[str | Path] = (),
    *,
    reasoner: bool = False,
    profile: bool = True,
) -> LintReport:
    """Lint the bundled ontology, or, with `files`, what they add to it or change in it.

    With files, only what the files do is reported (the bundled ontology's own findings are
    not). `profile` runs the OWL API's OWL 2 DL profile checker (Java), `reasoner` HermiT
    (owlready2 and Java). Raises a `MixityError` for a missing or unparsable file.
    """
    from mixity.graph.lint.profile import ProfileRun, check_profile

    paths = list(files)
    with ExitStack() as stack:
        run = None
        if profile:
            # Started first: the JVM loads the OWL API and checks the bundled graph (the base
            # of an extension) while the files are read and checked here.
            base = read_triples().triples if paths else None
            run = stack.enter_context(ProfileRun(base))
        with without_gc():  # graphs of terms and tuples, with no cycle: 20% faster
            ontology, ontology_source = bundled_ontology()
            if paths:
                graph, sources, triples = read(paths)
                ctx = Context(ontology, graph, Positions(sources), relative=True)
            else:
                ctx = Context(Graph(), ontology, Positions([ontology_source]), relative=False)
                sources = [ontology_source]
                triples = []
                if run is not None:
                    text = ontology_source.text.encode()
                    triples = parse_rdf(text, "turtle", ONTOLOGY_FILE, "file:///").triples
            for check in CHECKS:
                check(ctx)
        if run is not None:
            check_profile(ctx, run, triples)
    if reasoner:
        from mixity.graph.lint.reasoner import check_reasoner

        check_reasoner(ctx)
    return LintReport(_unique(ctx.findings), [s.name for s in sources], ctx.relative)


def _unique(findings: list[Finding]) -> list[Finding]:
    """Sorted by place, each finding once."""
    return sorted(dict.fromkeys(findings), key=Finding.sort_key)

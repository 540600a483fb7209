"""Consistency and satisfiable classes, by HermiT (a complete OWL 2 DL reasoner) through
owlready2 and the machine's Java: the optional extra `mixity[reasoner]`.

HermiT reasons over the bundled ontology and data, the pinned published vocabularies and the
linted files together, so that an extension which makes existing data contradictory is seen.
Any failure (owlready2 or Java missing, a crash) is an error finding, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from mixity.graph.lint.context import Context
from mixity.graph.lint.vocab import pinned

#: The datatypes of the OWL 2 datatype map (HermiT refuses the others, e.g. xsd:date).
_XSD_NAMES = """decimal integer nonNegativeInteger nonPositiveInteger positiveInteger
    negativeInteger long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double
    float string normalizedString token language Name NCName NMTOKEN boolean hexBinary
    base64Binary anyURI dateTime dateTimeStamp"""
OWL2_DATATYPES = {
    *(XSD[name] for name in _XSD_NAMES.split()),
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    RDF.langString,
    RDFS.Literal,
    OWL.real,
    OWL.rational,
}
INSTALL = "pip install 'mixity[reasoner]' and a Java runtime (Debian: default-jre-headless)"


def reasoning_graph(ctx: Context) -> Graph:
    """Bundled ontology and data, pinned vocabularies and the linted graph, ready for HermiT:
    no owl:imports (nothing is fetched), literals outside the OWL 2 datatype map as strings."""
    from mixity.graph.io.loader import load

    graph = Graph(bind_namespaces="none")
    graph += load().graph
    graph += pinned()
    graph += ctx.graph
    graph.remove((None, OWL.imports, None))
    odd = [
        (s, p, o)
        for s, p, o in graph
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES
    ]
    for s, p, o in odd:
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o))))
    return graph


def check_reasoner(ctx: Context) -> None:
    """Report an inconsistency, or every unsatisfiable class, or why HermiT could not run."""
    try:
        import owlready2
    except ImportError:
        _failed(ctx, "owlready2 is not installed")
        return
    if shutil.which(owlready2.JAVA_EXE) is None and shutil.which("java") is None:
        _failed(ctx, "no Java (the `java` command is not on PATH)")
        return
    try:
        unsatisfiable = _run(owlready2, reasoning_graph(ctx))
    except owlready2.OwlReadyInconsistentOntologyError:
        ctx.report(
            "mixity:inconsistent",
            "error",
            None,
            "HermiT finds the ontology inconsistent with the bundled data and the published "
            "vocabularies: some resource must be a member of two disjoint classes, or of "
            "owl:Nothing",
            "look for new domains, ranges, superclasses or disjointness (the other findings, "
            "`mixity diff --extension`) and remove the axiom that causes it",
        )
        return
    except Exception as exc:  # a reasoner crash is a finding, whatever it raises
        _failed(ctx, f"{type(exc).__name__}: {_first_line(str(exc))}")
        return
    for iri in unsatisfiable:
        term = URIRef(iri)
        ctx.report(
            "mixity:unsatisfiable",
            "error",
            term,
            f"class {ctx.short(term)} is unsatisfiable: nothing can be a member of it (it is "
            "under two disjoint classes, or its restrictions contradict each other)",
            f"remove the superclass or disjointness that contradicts the others of "
            f"{ctx.short(term)}",
        )


def _run(owlready2: Any, graph: Graph) -> list[str]:
    """HermiT over `graph`; the IRIs of the unsatisfiable classes (sorted)."""
    with tempfile.TemporaryDirectory(prefix="mixity-reasoner-") as work:
        path = Path(work) / "all.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load()
            # owlready2 talks on stdout and stderr; the library never prints
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
                ontology,
            ):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            classes = sorted(
                c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing
            )
        finally:
            world.close()
    return [iri for iri in classes if iri != str(OWL.Nothing)]


def _failed(ctx: Context, why: str) -> None:
    ctx.report(
        "mixity:reasoner-failed",
        "error",
        None,
        f"the reasoner (HermiT) could not run: {why}",
        INSTALL,
    )


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    exceptions = [line for line in lines if "Exception" in line or "Error" in line]
    return (exceptions or lines or ["no message"])[0][:300]

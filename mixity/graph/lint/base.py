"""What an extension does to the base: axioms about the bundled ontology's terms (they change
the meaning of every existing use) and statements about reused vocabularies' terms that the
published definitions (the pinned copies) do not make."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from mixity.graph.lint.context import DECLARATIONS, Context, is_class, is_property
from mixity.graph.lint.findings import Finding, Level
from mixity.graph.lint.vocab import pinned, pinned_name

SCHEMA_INVERSE = Namespace("https://schema.org/")["inverseOf"]

#: Predicates of axioms about their subject, with the check and level when the subject is a
#: base term.
AXIOMS: dict[URIRef, tuple[str, Level]] = {
    RDFS.domain: ("mixity:base-domain", "error"),
    RDFS.range: ("mixity:base-range", "error"),
    RDFS.subClassOf: ("mixity:base-superclass", "error"),
    RDFS.subPropertyOf: ("mixity:base-property-axiom", "error"),
    OWL.inverseOf: ("mixity:base-property-axiom", "error"),
    OWL.propertyChainAxiom: ("mixity:base-property-axiom", "error"),
    OWL.propertyDisjointWith: ("mixity:base-property-axiom", "error"),
    OWL.hasKey: ("mixity:base-superclass", "error"),
    OWL.equivalentClass: ("mixity:base-equivalence", "error"),
    OWL.equivalentProperty: ("mixity:base-equivalence", "error"),
    OWL.disjointWith: ("mixity:base-disjointness", "error"),
    OWL.disjointUnionOf: ("mixity:base-superclass", "error"),
}
#: What each check does to the data that uses the base term.
EFFECT = {
    "mixity:base-domain": "every resource that uses it becomes a member of the new domain",
    "mixity:base-range": "every value of it becomes a member of the new range",
    "mixity:base-superclass": "every member of the base class becomes a member of the new class",
    "mixity:base-property-axiom": "every existing statement with it gains new consequences",
    "mixity:base-equivalence": "the base term and the other become one, with all that follows",
    "mixity:base-disjointness": "resources of both classes become contradictions",
    "mixity:base-kind": "the base term changes kind (class, object or datatype property)",
}
_CHARACTERISTICS = {k for k, kind in DECLARATIONS.items() if kind != "class"} - {
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}
_PRECISE = ("object property", "datatype property", "annotation property")
_KIND_OF: dict[Node, str] = {
    OWL.Class: "class",
    RDFS.Class: "class",
    OWL.ObjectProperty: "object",
    OWL.DatatypeProperty: "datatype",
    OWL.AnnotationProperty: "annotation",
    RDF.Property: "property",
}


def base_findings(base: Graph, extension: Graph) -> list[Finding]:
    """What `extension` asserts about the terms of `base` (new domains, ranges, superclasses,
    equivalences, disjointness, property axioms) and about reused vocabularies' terms that
    their published definitions do not state. Findings carry no file or line."""
    ctx = Context(base=base, graph=extension, relative=True)
    check_base(ctx)
    return ctx.findings


def check_base(ctx: Context) -> None:
    """Report every axiom of the linted graph about a base or pinned term."""
    vocabularies = pinned()
    pinned_terms = {s for s in vocabularies.subjects() if isinstance(s, URIRef)}
    for s, p, o in _axioms(ctx.added):
        if s in pinned_terms:
            if not _agrees(vocabularies, s, p, o):
                _report_redefinition(ctx, vocabularies, s, p, o)
        elif s in ctx.base_terms:
            _report_base(ctx, s, p, o)
        elif o in ctx.base_terms and p in (OWL.equivalentClass, OWL.equivalentProperty):
            _report(ctx, "mixity:base-equivalence", "error", o, s, p, o)
        elif o in ctx.base_terms and p == OWL.disjointWith:
            _report(ctx, "mixity:base-disjointness", "warning", o, s, p, o)


def _axioms(graph: Graph) -> Iterable[tuple[URIRef, URIRef, Node]]:
    for p in AXIOMS:
        for s, o in graph.subject_objects(p):
            if isinstance(s, URIRef):
                yield s, p, o
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and o in DECLARATIONS:
            yield s, RDF.type, o


def _report_base(ctx: Context, s: URIRef, p: URIRef, o: Node) -> None:
    if p == RDF.type:
        if o in _CHARACTERISTICS:
            _report(ctx, "mixity:base-property-axiom", "error", s, s, p, o)
        elif _changes_kind(DECLARATIONS[o], ctx.base_terms[s]):
            _report(ctx, "mixity:base-kind", "error", s, s, p, o)
        return
    check, level = AXIOMS[p]
    if p == OWL.disjointWith and o not in ctx.base_terms:
        level = "warning"
    _report(ctx, check, level, s, s, p, o)


def _changes_kind(new: str, kinds: set[str]) -> bool:
    """Whether declaring a term `new` (a kind of `DECLARATIONS`) changes what it is."""
    if new == "class":
        return not is_class(kinds)
    if not is_property(kinds):
        return True
    precise = {k for k in kinds if k in _PRECISE}
    return new in _PRECISE and bool(precise) and new not in precise


def _report(
    ctx: Context, check: str, level: Level, base_term: Node, s: Node, p: Node, o: Node
) -> None:
    statement = f"{ctx.short(s)} {ctx.short(p)} {ctx.short(o)}"
    ctx.report(
        check,
        level,
        base_term,
        f"{statement} changes mixity's {ctx.short(base_term)}: {EFFECT[check]}",
        f"say it of a term of your own (e.g. a sub-property or subclass of "
        f"{ctx.short(base_term)}), not of the base term",
        (s, p, o),
    )


def _closure(graph: Graph, start: Node, prop: URIRef) -> set[Node]:
    """`start` and everything above it along `prop` (reflexive, transitive)."""
    seen, todo = {start}, [start]
    while todo:
        for above in graph.objects(todo.pop(), prop):
            if above not in seen:
                seen.add(above)
                todo.append(above)
    return seen


def _agrees(vocab: Graph, s: URIRef, p: URIRef, o: Node) -> bool:
    """Whether the published vocabulary states (or entails) `s p o`."""
    if p == RDF.type:
        return _same_kind(vocab, s, o)
    if p == RDFS.subClassOf:
        return o in _closure(vocab, s, RDFS.subClassOf) or o in (OWL.Thing, RDFS.Resource)
    if p == RDFS.subPropertyOf:
        return o in _closure(vocab, s, RDFS.subPropertyOf)
    if p in (RDFS.domain, RDFS.range):
        return any(o in _closure(vocab, d, RDFS.subClassOf) for d in vocab.objects(s, p))
    if p == OWL.inverseOf:
        return any(
            (a, q, b) in vocab for q in (OWL.inverseOf, SCHEMA_INVERSE) for a, b in ((s, o), (o, s))
        )
    if p in (OWL.disjointWith, OWL.equivalentClass, OWL.equivalentProperty):
        return (s, p, o) in vocab or (o, p, s) in vocab
    return (s, p, o) in vocab


def _same_kind(vocab: Graph, s: URIRef, declared: Node) -> bool:
    stated = set(vocab.objects(s, RDF.type))
    if declared in stated or (
        declared in (OWL.Class, RDFS.Class) and stated & {OWL.Class, RDFS.Class}
    ):
        return True
    if declared in _CHARACTERISTICS:
        return False
    kind = _KIND_OF.get(declared)
    kinds = {_KIND_OF.get(t) for t in stated}
    # schema.org declares rdf:Property only: any kind of property agrees with it
    return kind in ("object", "datatype", "annotation", "property") and "property" in kinds


def _report_redefinition(ctx: Context, vocab: Graph, s: URIRef, p: URIRef, o: Node) -> None:
    name = pinned_name(s) or "the published vocabulary"
    stated = sorted(vocab.objects(s, p), key=str)
    said = (
        f" (it states {', '.join(f'{ctx.short(p)} {ctx.short(v)}' for v in stated)})"
        if stated
        else ""
    )
    ctx.report(
        "mixity:redefinition",
        "error",
        s,
        f"{ctx.short(s)} {ctx.short(p)} {ctx.short(o)} disagrees with {name}, which does not "
        f"state it{said}",
        f"remove it: state of {ctx.short(s)} only what {name} states, and put your own "
        "axioms on terms of your own",
        (s, p, o),
    )

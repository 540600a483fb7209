"""Structure: the class hierarchy (OOPS! P04, P06; ROBOT missing_superclass), properties'
domains and ranges (OOPS! P11, P19), naming (OOPS! P22), namespaces (OOPS! P40), property
kinds, and deprecated terms (ROBOT deprecated_class_reference, deprecated_property_reference)."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from mixity.graph.io.write import one_line
from mixity.graph.lint.context import Context, is_class, is_property, predicate_index
from mixity.graph.lint.vocab import is_mixity, local_name, pinned, published

_UPPER_CAMEL = re.compile(r"[A-Z][A-Za-z0-9]*")
_LOWER_CAMEL = re.compile(r"[a-z][A-Za-z0-9]*")
#: What an rdfs:comment says when a property has no domain (range) on purpose.
_WHY_NOT = {
    RDFS.domain: ("no domain", "pas de domaine", "sans domaine", "aucun domaine"),
    RDFS.range: ("no range", "pas de portée", "sans portée", "pas de codomaine", "aucune portée"),
}
_TOP = (OWL.Thing, RDFS.Resource)


def check_cycles(ctx: Context) -> None:
    """No cycle of rdfs:subClassOf (OOPS! P06): it makes all its classes equivalent."""
    edges: dict[Node, set[Node]] = {}
    for s, o in ctx.merged.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            edges.setdefault(s, set()).add(o)
    for component in _cycles(edges):
        members = sorted(component, key=str)
        added = [
            (s, o)
            for s in members
            for o in sorted(edges.get(s, ()), key=str)
            if o in component and (s, RDFS.subClassOf, o) in ctx.added
        ]
        if not added:
            continue
        s, o = added[0]
        ring = " ⊑ ".join(ctx.short(m) for m in [*members, members[0]])
        ctx.report(
            "oops:P06",
            "error",
            s,
            f"cycle of rdfs:subClassOf: {ring} (the classes become equivalent)",
            "remove one rdfs:subClassOf of the cycle; say owl:equivalentClass if equivalence "
            "is meant",
            (s, RDFS.subClassOf, o),
        )


def _cycles(edges: dict[Node, set[Node]]) -> list[set[Node]]:
    """The strongly connected components with a cycle (Tarjan's algorithm, iterative)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    found: list[set[Node]] = []
    for root in list(edges):
        if root in index:
            continue
        work: list[tuple[Node, list[Node]]] = [(root, sorted(edges.get(root, ()), key=str))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges.get(nxt, ()), key=str)))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.append(component)
    return found


def check_hierarchy(ctx: Context) -> None:
    """Every new class of the extension's own namespace sits under a base or reused class
    (ROBOT missing_superclass, mixity:detached-class), or is at least connected (OOPS! P04)."""
    graph = ctx.merged
    own = {t for t, k in ctx.new_terms.items() if ctx.owns(t) and is_class(k)}
    used_in_axioms = {o for p in (RDFS.domain, RDFS.range) for o in graph.objects(None, p)}
    for term in sorted(own):
        supers = {o for o in graph.objects(term, RDFS.subClassOf) if isinstance(o, URIRef)}
        supers |= {o for o in graph.objects(term, OWL.equivalentClass) if isinstance(o, URIRef)}
        name = ctx.short(term)
        if not supers - set(_TOP):
            connected = (
                graph.value(None, RDFS.subClassOf, term) is not None
                or term in used_in_axioms
                or graph.value(term, RDFS.subClassOf) is not None
            )
            check = "robot:missing_superclass" if connected else "oops:P04"
            why = "no superclass" if connected else "no superclass, no subclass, and no property"
            ctx.report(
                check,
                "warning",
                term,
                f"class {name} has {why}: nothing places it in the debate's model",
                f"add rdfs:subClassOf a mixity or reused class (e.g. mix:Lever, skos:Concept, "
                f"schema:Event) to {name}",
            )
        elif not _reaches_outside(graph, term, own):
            ctx.report(
                "mixity:detached-class",
                "warning",
                term,
                f"class {name} is not under any mixity or reused class (its superclasses are "
                "all new classes)",
                "put the top of your hierarchy under a mixity or reused class",
            )


def _reaches_outside(graph: Graph, term: URIRef, own: set[URIRef]) -> bool:
    """Whether a superclass of `term`, however far up, is not one of `own`."""
    seen: set[Node] = {term}
    todo: list[Node] = [term]
    while todo:
        for sup in graph.objects(todo.pop(), RDFS.subClassOf):
            if not isinstance(sup, URIRef) or sup in seen or sup in _TOP:
                continue
            if sup not in own:
                return True
            seen.add(sup)
            todo.append(sup)
    return False


def check_properties(ctx: Context) -> None:
    """New object properties have a domain and a range or say why not (OOPS! P11, P04), at
    most one of each (OOPS! P19), and no property is both object and datatype."""
    graph = ctx.merged
    for term, kinds in sorted(ctx.new_terms.items()):
        name = ctx.short(term)
        domains = sorted(set(graph.objects(term, RDFS.domain)), key=str)
        ranges = sorted(set(graph.objects(term, RDFS.range)), key=str)
        for prop, values in ((RDFS.domain, domains), (RDFS.range, ranges)):
            if len(values) > 1:
                shown = " and ".join(ctx.short(v) for v in values)
                ctx.report(
                    "oops:P19",
                    "error",
                    term,
                    f"{name} has {len(values)} {ctx.short(prop)}s, {shown}: a value must be all "
                    "of them at once (their intersection)",
                    f"keep one {ctx.short(prop)}; for 'either', use a common superclass or an "
                    "owl:unionOf",
                    (term, prop, values[-1]),
                )
        if "object property" in kinds and "datatype property" in kinds:
            ctx.report(
                "mixity:object-and-datatype-property",
                "error",
                term,
                f"{name} is declared both owl:ObjectProperty and owl:DatatypeProperty",
                "keep one: object property for links to resources, datatype for literals",
                (term, RDF.type, OWL.DatatypeProperty),
            )
        if ctx.owns(term) and "object property" in kinds:
            _check_domain_range(ctx, term, domains, ranges)


def _check_domain_range(
    ctx: Context, term: URIRef, domains: list[Node], ranges: list[Node]
) -> None:
    graph = ctx.merged
    name = ctx.short(term)
    comments = " ".join(str(c).lower() for c in graph.objects(term, RDFS.comment))
    related = any(graph.objects(term, p) for p in (RDFS.subPropertyOf, OWL.inverseOf))
    related = related or graph.value(None, RDFS.subPropertyOf, term) is not None
    if not domains and not ranges and not related and not comments:
        ctx.report(
            "oops:P04",
            "warning",
            term,
            f"object property {name} has no domain, no range and no super-property",
            f"add rdfs:range (and rdfs:domain where the subject is always of one class) to {name}",
        )
        return
    for prop, values in ((RDFS.domain, domains), (RDFS.range, ranges)):
        if values or _inherited(ctx, term, prop):
            continue
        if not any(words in comments for words in _WHY_NOT[prop]):
            what = ctx.short(prop)
            ctx.report(
                "oops:P11",
                "warning",
                term,
                f"object property {name} has no {what}, and its rdfs:comment does not say why",
                f"add {what}, or say in rdfs:comment why it has none (e.g. "
                f"'No {local_name(str(prop))}: …')",
            )


def _inherited(ctx: Context, term: URIRef, prop: URIRef) -> bool:
    """Whether a super-property (in the graphs or the published vocabularies) has a domain
    (or range): RDFS gives it to its sub-properties."""
    graphs = (ctx.merged, pinned())
    seen: set[Node] = {term}
    todo: list[Node] = [term]
    while todo:
        current = todo.pop()
        for graph in graphs:
            if current != term and graph.value(current, prop) is not None:
                return True
            for above in graph.objects(current, RDFS.subPropertyOf):
                if above not in seen:
                    seen.add(above)
                    todo.append(above)
    return False


def check_naming(ctx: Context) -> None:
    """Classes in UpperCamelCase, properties in lowerCamelCase (OOPS! P22)."""
    for term, kinds in sorted(ctx.new_terms.items()):
        if not ctx.owns(term):
            continue
        name = local_name(str(term))
        if is_class(kinds) and not _UPPER_CAMEL.fullmatch(name):
            style, example = "UpperCamelCase", name[:1].upper() + _camel(name[1:])
        elif is_property(kinds) and not is_class(kinds) and not _LOWER_CAMEL.fullmatch(name):
            style, example = "lowerCamelCase", name[:1].lower() + _camel(name[1:])
        else:
            continue
        ctx.report(
            "oops:P22",
            "warning",
            term,
            f"{ctx.short(term)}: {'class' if is_class(kinds) else 'property'} names are "
            f"{style} in mixity and its extensions",
            f"rename it {example!r} (and every use)",
        )


def _camel(text: str) -> str:
    parts = re.split(r"[-_\s.]+", text)
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def check_namespaces(ctx: Context) -> None:
    """No term minted in a namespace the linted graph does not own (OOPS! P40): a new `mix:`
    term, or a `schema:`, `skos:`… term that the published vocabulary does not define."""
    classes, properties = ctx.usage
    candidates = {t: None for t in ctx.new_terms} | {
        t: s for t, s in {**classes, **properties}.items()
    }
    for term, statement in sorted(candidates.items(), key=lambda x: str(x[0])):
        if term in ctx.base_terms or ctx.owns(term):
            continue
        iri = str(term)
        if ctx.relative and is_mixity(iri):
            ctx.report(
                "oops:P40",
                "error",
                term,
                f"{ctx.short(term)} is not a term of mixity's ontology: an extension cannot "
                "add terms to mixity's namespace",
                "mint it in your own namespace (your vann:preferredNamespaceUri), or use the "
                "mixity term you meant",
                statement,
            )
        elif (known := published(iri)) is not None and not known[1]:
            ctx.report(
                "oops:P40",
                "warning",
                term,
                f"{ctx.short(term)} is not a term of {known[0]} (as rdflib's copy lists it): "
                "a misspelling, or a term minted in a namespace you do not own",
                "check the spelling against the published vocabulary, or mint the term in "
                "your own namespace",
                statement,
            )


def check_deprecated(ctx: Context) -> None:
    """No use of a deprecated term (ROBOT deprecated_class_reference and
    deprecated_property_reference)."""
    deprecated = {
        s
        for s in ctx.merged.subjects(OWL.deprecated, None)
        if isinstance(s, URIRef) and ctx.merged.value(s, OWL.deprecated) == Literal(True)
    }
    for term in sorted(deprecated):
        kinds = ctx.terms.get(term, set())
        uses = [t for t in ctx.added.triples((None, term, None))]
        uses += [(s, p, term) for s, p in ctx.added.subject_predicates(term) if s != term]
        if not uses:
            continue
        check = (
            "robot:deprecated_property_reference"
            if is_property(kinds) or uses[0][1] == term
            else "robot:deprecated_class_reference"
        )
        replaced = ctx.merged.value(term, URIRef("http://purl.org/dc/terms/isReplacedBy"))
        replaced = replaced or ctx.merged.value(
            term, URIRef("http://purl.obolibrary.org/obo/IAO_0100001")
        )
        fix = (
            f"use {ctx.short(replaced)} instead"
            if replaced is not None
            else "use the term that replaces it"
        )
        ctx.report(
            check,
            "warning",
            term,
            f"{ctx.short(term)} is deprecated (owl:deprecated true) but used {len(uses)} "
            f"time{'s' if len(uses) != 1 else ''}",
            fix,
            uses[0],
        )


#: A value of each common datatype, for the fix of an ill-typed literal.
_EXAMPLES = {
    "integer": "12",
    "decimal": "1.5",
    "double": "1.5E3",
    "boolean": "true",
    "date": "2019-11-06",
    "dateTime": "2019-11-06T09:30:00",
    "gYear": "2019",
}


def check_literals(ctx: Context) -> None:
    """Every typed literal in its datatype's lexical space: "abc"^^xsd:integer is no integer
    (the OWL 2 DL profile's LexicalNotInLexicalSpace, checked here without Java)."""
    index = predicate_index(ctx.graph)
    pairs = (
        [(p, o) for p, objects in index.items() for o in objects]
        if index is not None
        else list(ctx.graph.predicate_objects())
    )
    for p, o in pairs:
        if not (isinstance(o, Literal) and o.ill_typed and o.datatype is not None):
            continue
        datatype = ctx.short(o.datatype)
        example = _EXAMPLES.get(local_name(str(o.datatype)))
        shown = one_line(str(o))
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        for subject in sorted(ctx.graph.subjects(p, o), key=str):
            if (subject, p, o) in ctx.base:
                continue
            ctx.report(
                "mixity:ill-typed-literal",
                "error",
                subject if isinstance(subject, URIRef) else None,
                f'{ctx.short(p)} "{shown}"^^{datatype}: "{shown}" is not a valid {datatype}',
                f'write it as {datatype} defines it (e.g. "{example}"^^{datatype}), or give it '
                "another datatype"
                if example
                else f"write it as {datatype} defines it, or give it another datatype",
                (subject, p, o),
            )

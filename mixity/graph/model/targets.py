"""The same shapes, arranged so that pySHACL evaluates fewer of them.

`mixsh:DescribedLinkShape` targets the subjects of 30 properties and has one property shape
per property (each value must be described). For every focus node, pySHACL evaluates all 30
property shapes, though a node has values for one or two of them: 1 s of the 3 s it spends
on the bundled graph. Giving each property shape the subjects of its own path as targets, and
the node shape none, asks exactly the same (a property shape whose constraints only look at
each value finds nothing at a node without values) and is evaluated only where it applies.

`split_targets` makes that change on a copy of the shapes graph, for every node shape of that
form (in the bundled shapes: that one, `MeasuresShape`, `EvidenceLinkShape`, `ConcernsShape`):
no constraint of its own, `sh:targetSubjectsOf` exactly the paths of its property shapes, and
property shapes used by no other shape, each with a plain-IRI path and only constraints that
cannot fail at a node without values (none like `sh:minCount`); the node shape itself used by
no other shape.
The report names the same focus nodes, values, paths, property shapes and messages.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

#: What a node shape may say to be split: targets, its property shapes, and annotations.
_NODE_SHAPE = frozenset((RDF.type, RDFS.label, RDFS.comment, SH.targetSubjectsOf, SH.property))
#: What its property shapes may say: annotations, and constraints that no node without values
#: can fail.
_PROPERTY_SHAPE = frozenset(
    (
        RDF.type, RDFS.label, RDFS.comment, SH.path, SH.message, SH.severity, SH.name,
        SH.description, SH.order, SH.group, SH["class"], SH.datatype, SH.nodeKind, SH.node,
        SH.pattern, SH.flags, SH["in"], SH["or"], SH["and"], SH["not"], SH.xone, SH.maxCount,
        SH.minLength, SH.maxLength, SH.languageIn,
    )
)  # fmt: skip


def split_targets(shapes: Graph) -> Graph:
    """`shapes`, or a copy with each node shape of the form above split (see the docstring)."""
    splits = [
        shape for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) if _splits(shapes, shape)
    ]
    if not splits:
        return shapes
    result = Graph(bind_namespaces="none")
    result += shapes
    for prefix, namespace in shapes.namespaces():  # pySHACL's own messages use them
        result.bind(prefix, namespace)
    for shape in splits:
        for prop in list(shapes.objects(shape, SH.property)):
            result.remove((shape, SH.property, prop))
            path = shapes.value(prop, SH.path)
            assert path is not None  # `_splits` checked it
            result.add((prop, SH.targetSubjectsOf, path))
        result.remove((shape, SH.targetSubjectsOf, None))
    return result


def _splits(shapes: Graph, shape: object) -> bool:
    if not isinstance(shape, URIRef):
        return False
    if any(p not in _NODE_SHAPE for p in shapes.predicates(shape, None)):
        return False
    if (None, None, shape) in shapes:  # used by another shape (sh:node, sh:or…): kept whole
        return False
    properties = list(shapes.objects(shape, SH.property))
    paths = [shapes.value(prop, SH.path) for prop in properties]
    if not properties or not all(isinstance(path, URIRef) for path in paths):
        return False
    if set(paths) != set(shapes.objects(shape, SH.targetSubjectsOf)):
        return False
    for prop in properties:
        if list(shapes.subjects(None, prop)) != [shape]:  # used by this node shape alone
            return False
        if any(p not in _PROPERTY_SHAPE for p in shapes.predicates(prop, None)):
            return False
    return True

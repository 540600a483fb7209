"""A SPARQL 1.1 Update that turns OLD into NEW: the diff as a patch any triple store can apply.

Ground triples go in `DELETE DATA` and `INSERT DATA`. A removed blank-node component cannot be
named in `DELETE DATA` (a blank node there would be a new one), so each is deleted by a pattern
whose blank nodes are variables, `DELETE { … } WHERE { … }`, constrained to match only a
component isomorphic to it:

- every variable is a blank node (`isBlank`);
- a variable has no triple the component does not give it (`FILTER NOT EXISTS`, both ways), so
  the pattern cannot match a larger structure that contains it;
- variables that could stand for one node are distinct, so it cannot match a smaller one.

Such a pattern matches every copy of the component, so when OLD holds more copies than NEW, the
copies NEW keeps are inserted again. Added components go in `INSERT DATA`, where a labelled
blank node is a new node. Deletions come first, so no pattern can match what the patch adds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from mixity.graph.diff.compare import GraphDiff
from mixity.graph.diff.components import Component, Triple, term_key
from mixity.graph.diff.naming import blank_names
from mixity.graph.diff.syntax import TermWriter


def sparql_patch(diff: GraphDiff, prefixes: Mapping[str, str]) -> str:
    """The SPARQL Update that turns `diff.old` into a graph isomorphic to `diff.new`."""
    writer = TermWriter(prefixes)
    names = blank_names(diff)
    operations: list[str] = []
    if diff.removed_ground:
        rows = (writer.triple(t, {}) for t in _sorted(diff.removed_ground))
        operations.append(_block("DELETE DATA", rows))
    seen: set[str] = set()
    for component in diff.removed_components:
        if component.key not in seen:  # one pattern deletes every copy
            seen.add(component.key)
            operations.append(_delete_component(component, writer, names.removed))
    inserted: list[str] = [writer.triple(t, {}) for t in _sorted(diff.added_ground)]
    for component in [*diff.added_components, *diff.kept_copies]:
        blanks = {b: f"_:{names.added[b]}" for b in component.bnodes}
        inserted += sorted(writer.triple(t, blanks) for t in component.triples)
    if inserted or not operations:  # an update of a prologue alone is not one rdflib reads
        operations.append(_block("INSERT DATA", inserted))
    header = (
        f"# {len(diff.removed_triples)} triples removed, {len(diff.added_triples)} added\n"
        if diff
        else "# no difference: this patch changes nothing\n"
    )
    return writer.prologue() + header + " ;\n".join(operations) + "\n"


def _delete_component(component: Component, writer: TermWriter, names: Mapping[BNode, str]) -> str:
    """`DELETE { pattern } WHERE { pattern + constraints }` for one blank-node component; a
    blank node `_:o1` of the other formats is the variable `?o1` here."""
    ordered = sorted(component.bnodes, key=lambda b: (len(names[b]), names[b]))  # o2 before o10
    variables = {b: f"?{names[b]}" for b in ordered}
    pattern = sorted(writer.triple(t, variables) for t in component.triples)
    constraints = [f"FILTER(isBlank({v}))" for v in variables.values()]
    outgoing: defaultdict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    incoming: defaultdict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in component.triples:
        if isinstance(s, BNode):
            outgoing[s].append((p, o))
        if isinstance(o, BNode):
            incoming[o].append((p, s))
    for node, var in variables.items():
        for pairs, shape in (
            (outgoing[node], f"{var} ?xp ?xv"),
            (incoming[node], f"?xv ?xp {var}"),
        ):
            allowed = " || ".join(
                sorted(
                    f"(sameTerm(?xp, {writer.iri(str(p))}) && "
                    f"sameTerm(?xv, {writer.term(v, variables)}))"
                    for p, v in pairs
                )
            )
            only = f" FILTER(!({allowed}))" if allowed else ""
            constraints.append(f"FILTER NOT EXISTS {{ {shape} .{only} }}")
    constraints += _distinct(variables, outgoing, incoming)
    body = "\n".join(f"  {line}" for line in pattern)
    where = "\n".join(f"  {line}" for line in [*pattern, *constraints])
    return f"DELETE {{\n{body}\n}} WHERE {{\n{where}\n}}"


def _distinct(
    variables: Mapping[BNode, str],
    outgoing: Mapping[BNode, list[tuple[Node, Node]]],
    incoming: Mapping[BNode, list[tuple[Node, Node]]],
) -> list[str]:
    """`FILTER(?a != ?b)` for the variables one node could match at once.

    Two variables bound to one node give it the ground values and the properties of both, so
    only variables with the same ground values and properties need telling apart.
    """

    def signature(node: BNode) -> tuple[frozenset[tuple[object, ...]], ...]:
        return tuple(
            frozenset(
                (str(p), *(("B",) if isinstance(v, BNode) else term_key(v))) for p, v in pairs
            )
            for pairs in (outgoing.get(node, []), incoming.get(node, []))
        )

    groups: defaultdict[tuple[frozenset[tuple[object, ...]], ...], list[str]] = defaultdict(list)
    for node, var in variables.items():
        groups[signature(node)].append(var)
    return [
        f"FILTER({a} != {b})"
        for same in groups.values()
        for i, a in enumerate(same)
        for b in same[i + 1 :]
    ]


def _sorted(triples: Iterable[Triple]) -> list[Triple]:
    return sorted(triples, key=lambda t: (str(t[0]), str(t[1]), _show(t[2])))


def _show(node: Node) -> str:
    return repr(term_key(node)) if isinstance(node, Literal | URIRef) else str(node)


def _block(keyword: str, rows: Iterable[str]) -> str:
    body = "".join(f"  {row}\n" for row in rows)
    return f"{keyword} {{\n{body}}}"

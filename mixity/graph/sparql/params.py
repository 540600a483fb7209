"""Parameters of a query: values bound as RDF terms (never pasted into the text), and the
resources a saved query's parameters name, found by the one resolver (`NameIndex`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from mixity.errors import AmbiguousName, InvalidParameter, MixityError, UnknownName
from mixity.graph.model.resolve import NameIndex, as_iri, compact
from mixity.graph.model.vocabulary import NAME_PROPERTIES, XSD
from mixity.graph.sparql.backends import Backend
from mixity.graph.sparql.catalogue import Param, SavedQuery
from mixity.graph.sparql.formats import Term
from mixity.graph.sparql.lexer import position

if TYPE_CHECKING:
    from mixity.graph.sparql.hints import PatternUse, QueryWarning

#: Names in this order give a resource its display name in messages (French first).
_NAME_RANK = {iri: rank for rank, iri in enumerate(NAME_PROPERTIES)}
_LANG_RANK = {"fr": 0, "en": 1}


def bind_params(
    backend: Backend, params: Mapping[str, str], saved: SavedQuery | None = None
) -> dict[str, Term]:
    """RDF terms for `params` (see `QueryEngine.bind_params`)."""
    if saved is None:
        return {name: _guess(value, backend.prefixes) for name, value in params.items()}
    declared = {p.name: p for p in saved.params}
    for name in params:
        if name not in declared:
            import difflib  # the error path only

            close = difflib.get_close_matches(name, list(declared), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            takes = ", ".join(declared) or "no parameters"
            raise InvalidParameter(
                "params",
                f"saved query {saved.name} has no parameter {name!r}{hint}; it takes: {takes}",
            )
    bound: dict[str, Term] = {}
    for param in saved.params:
        value = params.get(param.name, param.default)
        if value is None:
            if param.required:
                example = f" ({param.help})" if param.help else ""
                raise InvalidParameter(
                    "params", f"saved query {saved.name} needs {param.name}=VALUE{example}"
                )
            continue
        bound[param.name] = _typed(backend, param, value)
    return bound


def name_index(backend: Backend) -> NameIndex:
    """The one resolver over the names of the graph `backend` holds."""
    values = " ".join(f"<{iri}>" for iri in NAME_PROPERTIES)
    text = (
        f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?l "
        "FILTER(isIRI(?s) && isLiteral(?l)) }"
    )
    found: list[tuple[int, int, str, str]] = []
    for subject, prop, name in backend.run(text, {}, None, "names").rows:
        if isinstance(subject, ox.NamedNode) and isinstance(name, ox.Literal):
            rank = _NAME_RANK.get(prop.value, 0) if isinstance(prop, ox.NamedNode) else 0
            lang = _LANG_RANK.get(name.language or "", 2)
            found.append((rank, lang, name.value, subject.value))
    # The first name a resource gets is the one messages show: skos:prefLabel, in French.
    found.sort()

    def known(iri: str) -> bool:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        ask = "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }"
        return bool(backend.run(ask, {"x": node}, None, "lookup").boolean)

    return NameIndex(((iri, name) for _, _, name, iri in found), backend.prefixes, known)


def query_hints(
    backend: Backend,
    text: str,
    params: Mapping[str, str],
    bindings: Mapping[str, Term],
    origin: str,
) -> tuple[QueryWarning, ...]:
    """Warnings about a query's own text (see `mixity.graph.sparql.hints`): terms the graph
    does not hold, and parameters bound as strings that name resources. None for a graph
    that cannot be looked into cheaply (an endpoint)."""
    if not backend.lookups:
        return ()
    from mixity.graph.sparql.hints import unknown_terms  # a query's own text only

    found = unknown_terms(text, backend.prefixes, backend.holds, backend.terms_in, origin)
    strings = {
        name: term.value
        for name, term in bindings.items()
        if name in params
        and isinstance(term, ox.Literal)
        and term.language is None
        and term.datatype.value == XSD + "string"
    }
    if strings:
        found += _label_hints(backend, text, strings, origin)
    return tuple(found)


def _label_hints(
    backend: Backend, text: str, strings: Mapping[str, str], origin: str
) -> list[QueryWarning]:
    """A parameter bound as a string that a triple pattern uses, that no triple holds, and
    that names a resource which that pattern would match: its author surely meant it."""
    from mixity.graph.sparql.hints import QueryWarning, pattern_variables

    used = pattern_variables(text, backend.prefixes)
    index: NameIndex | None = None
    found: list[QueryWarning] = []
    for name, value in strings.items():
        if name not in used:
            continue
        ask = backend.run("ASK { ?s ?p ?v }", {"v": ox.Literal(value)}, None, "lookup")
        if ask.boolean:
            continue
        index = index or name_index(backend)
        try:
            named = [index.resolve(value, parameter=name, among=_fitting(backend, used[name]))]
        except AmbiguousName as exc:
            named = exc.candidates
        except MixityError:  # names nothing: not a label either
            continue
        if len(named) == 1:
            shown, named = index.display(named[0]), [compact(named[0], index.prefixes)]
            what = f"it names {shown}: pass {name}={named[0]}"
        else:
            shown = "; ".join(named[:3]) + ("; …" if len(named) > 3 else "")
            what = f"it names {len(named)} resources ({shown}): pass {name}=prefix:name"
        line, column = position(text, used[name].start)
        message = (
            f'?{name} is bound to the string "{value}", which no triple holds; {what} '
            "(or an IRI in <…>) to bind the resource"
        )
        found.append(QueryWarning(message, line, column, origin, None, tuple(named)))
    return found


def _fitting(backend: Backend, use: PatternUse) -> set[str] | None:
    """The resources that can stand where a pattern uses a variable (None: any)."""
    if use.object_of is not None:
        text, prop = "SELECT DISTINCT ?x WHERE { ?s ?p ?x FILTER(isIRI(?x)) }", use.object_of
    elif use.subject_of is not None:
        text, prop = "SELECT DISTINCT ?x WHERE { ?x ?p ?o FILTER(isIRI(?x)) }", use.subject_of
    else:
        return None
    rows = backend.run(text, {"p": ox.NamedNode(prop)}, None, "lookup").rows
    return {row[0].value for row in rows if isinstance(row[0], ox.NamedNode)}


def _guess(value: str, prefixes: Mapping[str, str]) -> Term:
    iri = _as_iri(value, prefixes)
    if iri is not None:
        return iri
    if re.fullmatch(r"[+-]?\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if re.fullmatch(r"[+-]?\d*\.\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    return ox.Literal(value)


def _as_iri(value: str, prefixes: Mapping[str, str]) -> ox.NamedNode | None:
    """The IRI `value` spells (`<…>`, `https://…`, `urn:…`, `prefix:name`), or None."""
    iri = as_iri(value, prefixes)
    if iri is None or iri.startswith("_:"):
        return None
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise InvalidParameter("params", f"{value!r} is not a valid IRI") from None


def _typed(backend: Backend, param: Param, value: str) -> Term:
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise InvalidParameter("params", f"{param.name} takes an integer, not {value!r}")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "integer"))
    if param.kind == "string":
        return ox.Literal(value)
    if param.kind == "iri":
        iri = _as_iri(value, backend.prefixes)
        if iri is None:
            raise InvalidParameter(
                "params", f"{param.name} takes an IRI (<…> or prefix:name), not {value!r}"
            )
        return iri
    return ox.NamedNode(_resolve(backend, param, value))


def _resolve(backend: Backend, param: Param, value: str) -> str:
    """The resource a `resource` parameter names, among the instances of its class."""
    if not value.strip():
        raise InvalidParameter(
            "params", f"{param.name} is empty; give a label, prefix:name or an IRI"
        )
    among = _members(backend, param.cls) if param.cls else None
    try:
        return name_index(backend).resolve(value, parameter=param.name, among=among)
    except UnknownName as exc:  # named after the parameter: "unknown actor 'x'"
        raise UnknownName(param.name, exc.name, exc.suggestions) from None
    except AmbiguousName as exc:
        raise AmbiguousName(param.name, exc.name, exc.candidates) from None


def _members(backend: Backend, cls: str) -> set[str]:
    """The IRIs of the instances of `cls` (a prefixed name), subclasses included."""
    iri = as_iri(cls, backend.prefixes)
    if iri is None:
        raise MixityError(f"saved query parameter class {cls!r} is not a known prefixed name")
    text = "SELECT DISTINCT ?s WHERE { ?s rdf:type/rdfs:subClassOf* ?cls FILTER(isIRI(?s)) }"
    rows = backend.run(text, {"cls": ox.NamedNode(iri)}, None, "lookup").rows
    return {row[0].value for row in rows if isinstance(row[0], ox.NamedNode)}

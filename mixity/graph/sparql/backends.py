"""What answers a query: the engine interface, the Oxigraph engine, and what both share.

`Backend` is what `QueryEngine` talks to; `Oxigraph` is the default one (in memory, or a store
on disk opened read-only), `mixity.graph.sparql.memory.Rdflib` the reference one. `answer` runs
a query and adds labels: the whole of a query's work, in this process or in the child process
of a timeout (`mixity.graph.sparql.timeout`). No rdflib here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from mixity.errors import QueryError
from mixity.graph.model.vocabulary import PREF_LABEL
from mixity.graph.sparql.formats import Row, Term
from mixity.graph.sparql.functions import OXIGRAPH_FUNCTIONS
from mixity.graph.sparql.lexer import project
from mixity.graph.sparql.results import QueryResult

T = TypeVar("T")


class Backend:
    """What both engines offer: run a query, apply an update.

    `base` is the IRI the relative IRIs of the text resolve against (a BASE in the text wins).
    """

    prefixes: dict[str, str]
    read_only = False
    #: Whether `holds` and `terms_in` answer here, cheaply (not for an endpoint).
    lookups = False

    def run(
        self,
        text: str,
        bindings: Mapping[str, Term],
        limit: int | None,
        origin: str,
        base: str | None = None,
    ) -> QueryResult:
        raise NotImplementedError

    def update(self, text: str, origin: str, base: str | None = None) -> int:
        raise NotImplementedError

    def holds(self, iri: str) -> bool:
        """Whether the graph has `iri` as a subject, predicate or object (if `lookups`)."""
        raise NotImplementedError

    def terms_in(self, namespace: str) -> set[str]:
        """The IRIs of the graph that start with `namespace` (a scan: for a missing term only)."""
        raise NotImplementedError


class Oxigraph(Backend):
    """A pyoxigraph store: the default engine, in memory or opened from a store folder.

    `folder` is the store's folder when it was opened from disk (read-only).
    """

    lookups = True

    def __init__(
        self,
        store: ox.Store,
        prefixes: dict[str, str],
        *,
        read_only: bool = False,
        folder: Path | None = None,
    ) -> None:
        self.store = store
        self.prefixes = prefixes
        self.read_only = read_only
        self.folder = folder

    def run(
        self,
        text: str,
        bindings: Mapping[str, Term],
        limit: int | None,
        origin: str,
        base: str | None = None,
    ) -> QueryResult:
        substitutions: dict[ox.Variable, Any] = {ox.Variable(k): v for k, v in bindings.items()}
        # Oxigraph substitutes only projected variables: project the bound ones, drop them after.
        projected, hidden = project(text, list(bindings))
        try:
            answer = self.store.query(
                projected,
                prefixes=self.prefixes,
                substitutions=substitutions or None,
                base_iri=base,
                custom_functions=OXIGRAPH_FUNCTIONS,
            )
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ask", boolean=bool(answer), prefixes=self.prefixes)
            if isinstance(answer, ox.QuerySolutions):
                names = [v.value for v in answer.variables]
                keep = [i for i, name in enumerate(names) if name not in hidden]
                variables = tuple(names[i] for i in keep)
                if len(keep) == len(names):
                    found: Iterable[Row] = map(tuple, answer)
                else:
                    found = (tuple(s[i] for i in keep) for s in answer)
                rows, truncated = take(found, limit)
                return QueryResult(
                    "select", variables, tuple(rows), prefixes=self.prefixes, truncated=truncated
                )
            triples, truncated = take(iter(answer), limit)
            return QueryResult(
                "graph", triples=tuple(triples), prefixes=self.prefixes, truncated=truncated
            )
        except SyntaxError as exc:
            raise diagnose_error(text, self.prefixes, str(exc), origin, base) from None
        except (OSError, ValueError, RuntimeError) as exc:
            if unknown := _UNKNOWN_FUNCTION.match(str(exc)):
                from mixity.graph.sparql.hints import unknown_function

                raise unknown_function(text, self.prefixes, unknown.group(1), origin) from None
            raise QueryError(f"query failed: {one_line(exc)}", origin=origin) from None

    def holds(self, iri: str) -> bool:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return True  # the engine will say what is wrong with it
        patterns = ((node, None, None), (None, node, None), (None, None, node))
        return any(next(self.store.quads_for_pattern(*p), None) is not None for p in patterns)

    def terms_in(self, namespace: str) -> set[str]:
        # the namespace is written as an N-Triples literal (escaped), never pasted raw
        found = self.store.query(
            "SELECT DISTINCT ?t { { ?t ?p ?o } UNION { ?s ?t ?o } UNION { ?s ?p ?t } "
            f"FILTER(isIRI(?t) && STRSTARTS(STR(?t), {ox.Literal(namespace)})) }}",
            use_default_graph_as_union=True,
        )
        assert isinstance(found, ox.QuerySolutions)
        return {row[0].value for row in found if isinstance(row[0], ox.NamedNode)}

    def update(self, text: str, origin: str, base: str | None = None) -> int:
        before = len(self.store)
        try:
            self.store.update(text, prefixes=self.prefixes, base_iri=base)
        except SyntaxError as exc:
            raise diagnose_error(text, self.prefixes, str(exc), origin, base) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"update failed: {one_line(exc)}", origin=origin) from None
        return len(self.store) - before


def answer(
    backend: Backend,
    text: str,
    bindings: Mapping[str, Term],
    limit: int | None,
    origin: str,
    labels: str | None,
    base: str | None = None,
) -> QueryResult:
    """Run a query on `backend`, with a label column per IRI column if `labels` names a language.

    Relative IRIs of `text` resolve against `base`.
    """
    result = backend.run(text, bindings, limit, origin, base)
    if labels is not None and result.kind == "select":
        result = result.with_labels(labels_of(backend, _iris(result), labels))
    return result


def labels_of(backend: Backend, iris: Iterable[str], lang: str = "fr") -> dict[str, str]:
    """IRI -> label in `lang` (skos:prefLabel before rdfs:label; else the other language)."""
    wanted = sorted({iri for iri in iris if _PLAIN_IRI.fullmatch(iri)})
    found: dict[str, dict[tuple[int, int], str]] = {}
    for start in range(0, len(wanted), 400):
        chunk = " ".join(f"<{iri}>" for iri in wanted[start : start + 400])
        # The IRIs come from the graph and are checked above: no user text reaches the query.
        text = (
            f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {chunk} }} "
            "VALUES ?p { skos:prefLabel rdfs:label } ?s ?p ?l FILTER(isLiteral(?l)) }"
        )
        for subject, prop, label in backend.run(text, {}, None, "labels").rows:
            if not (isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal)):
                continue
            tag = label.language or ""
            rank_lang = 0 if tag == lang else (1 if tag else 2)
            rank_prop = 0 if isinstance(prop, ox.NamedNode) and prop.value == PREF_LABEL else 1
            found.setdefault(subject.value, {}).setdefault((rank_lang, rank_prop), label.value)
    return {iri: ranked[min(ranked)] for iri, ranked in found.items()}


_PLAIN_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")
_UNKNOWN_FUNCTION = re.compile(r"The custom function <([^>]*)> is not supported")


def _iris(result: QueryResult) -> set[str]:
    return {term.value for row in result.rows for term in row if isinstance(term, ox.NamedNode)}


def diagnose_error(
    text: str, prefixes: Mapping[str, str], message: str, origin: str, base: str | None = None
) -> QueryError:
    """The QueryError explaining why an engine refused `text` (see `sparql.diagnose`)."""
    from mixity.graph.sparql.diagnose import diagnose  # the error path only

    return diagnose(text, prefixes, message, origin, base)


def check_static_error(
    text: str, prefixes: Mapping[str, str], origin: str, base: str | None = None
) -> QueryError | None:
    """The first mistake found without a parser, or None (see `mixity.graph.sparql.diagnose`)."""
    from mixity.graph.sparql.diagnose import check_static

    return check_static(text, prefixes, origin, base)


def take(items: Iterable[T], limit: int | None) -> tuple[list[T], bool]:
    """At most `limit` items, and whether there were more."""
    if limit is None:
        return list(items), False
    taken = list(itertools.islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An engine's message on one printable line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"

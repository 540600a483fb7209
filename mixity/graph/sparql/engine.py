"""Run SPARQL queries on the debate graph: engines, parameters, errors, saved queries.

The default engine is an in-memory Oxigraph store (`mixity.graph.store`): the bundled Turtle is
parsed natively and RDFS entailment is materialised with SPARQL Update, so a query never
imports rdflib and answers in a few tens of milliseconds. `store="memory"` runs the same
query on rdflib's engine (the reference); a persistent store built by `mixity load` is opened
read-only with `store_dir=`. Every prefix of `mixity.namespaces.PREFIXES` and of the loaded
files is predeclared, parameters are bound as RDF terms (never pasted into the text), and every
failure is a `QueryError` with the line and column in the user's own text.

Example (a notebook shows `result` as a table)::

    from mixity.graph.sparql.engine import run_query
    result = run_query("SELECT ?q ?label WHERE { ?q a ibis:Issue ; rdfs:label ?label }")
    result.rows          # tuples of pyoxigraph terms
    result.to("csv")     # or table, tsv, json, xml, md
"""

from __future__ import annotations

import difflib
import itertools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from mixity.errors import (
    MixityError,
    QueryError,
    QueryTimeout,
    SourceNotFound,
    UnknownName,
    UpdateRefused,
)
from mixity.graph.model.resolve import compact
from mixity.graph.sparql.catalogue import Param, SavedQuery, saved_queries, saved_query
from mixity.graph.sparql.formats import Row, Term
from mixity.graph.sparql.lexer import (
    UPDATE_FORMS,
    check_safe,
    error_at,
    project,
    query_form,
    tokenize,
)
from mixity.graph.sparql.results import QueryResult
from mixity.namespaces import PREFIXES

__all__ = [
    "INFER_MODES",
    "STORES",
    "Param",
    "QueryEngine",
    "QueryResult",
    "SavedQuery",
    "check_query",
    "declared_prefixes",
    "query_form",
    "run_query",
    "saved_queries",
    "saved_query",
]

STORES: tuple[str, ...] = ("oxigraph", "memory")
INFER_MODES: tuple[str, ...] = ("rdfs", "none", "owlrl")

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Engines


def _declared_prefixes(data: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in re.finditer(
        r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([A-Za-z][\w.-]*):[ \t]*<([^>\s]*)>", data, re.M | re.I
    ):
        found.setdefault(match.group(1), match.group(2))
    return found


def _merge_prefixes(*sources: Mapping[str, str]) -> dict[str, str]:
    """PREFIXES first (the public contract), then each file's own, first one wins."""
    merged = dict(PREFIXES)
    for source in sources:
        for name, iri in source.items():
            merged.setdefault(name, iri)
    return merged


class Backend:
    """What both engines offer: run a query, apply an update."""

    prefixes: dict[str, str]
    read_only = False

    def run(
        self, text: str, bindings: Mapping[str, Term], limit: int | None, origin: str
    ) -> QueryResult:
        raise NotImplementedError

    def update(self, text: str, origin: str) -> int:
        raise NotImplementedError


class Oxigraph(Backend):
    """A pyoxigraph store: the default engine, in memory or opened from a store folder."""

    def __init__(
        self, store: ox.Store, prefixes: dict[str, str], *, read_only: bool = False
    ) -> None:
        self.store = store
        self.prefixes = prefixes
        self.read_only = read_only

    def run(
        self, text: str, bindings: Mapping[str, Term], limit: int | None, origin: str
    ) -> QueryResult:
        substitutions: dict[ox.Variable, Any] = {ox.Variable(k): v for k, v in bindings.items()}
        # Oxigraph substitutes only projected variables: project the bound ones, drop them after.
        projected, hidden = project(text, list(bindings))
        try:
            answer = self.store.query(
                projected, prefixes=self.prefixes, substitutions=substitutions or None
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
            raise diagnose_error(text, self.prefixes, str(exc), origin) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {one_line(exc)}", origin=origin) from None

    def update(self, text: str, origin: str) -> int:
        before = len(self.store)
        try:
            self.store.update(text, prefixes=self.prefixes)
        except SyntaxError as exc:
            raise diagnose_error(text, self.prefixes, str(exc), origin) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"update failed: {one_line(exc)}", origin=origin) from None
        return len(self.store) - before


def diagnose_error(text: str, prefixes: Mapping[str, str], message: str, origin: str) -> QueryError:
    """The QueryError explaining why an engine refused `text` (see `sparql.diagnose`)."""
    from mixity.graph.sparql.diagnose import diagnose  # the error path only

    return diagnose(text, prefixes, message, origin)


def check_static_error(text: str, prefixes: Mapping[str, str], origin: str) -> QueryError | None:
    """The first mistake found without a parser, or None (see `mixity.graph.sparql.diagnose`)."""
    from mixity.graph.sparql.diagnose import check_static

    return check_static(text, prefixes, origin)


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


class _Abandoned(BaseException):
    """Raised inside a query thread that ran out of time (stops rdflib's pure-Python engine)."""


def _with_timeout(work: Callable[[], T], timeout: float | None) -> T:
    """Run `work` in a daemon thread and give up on it after `timeout` seconds.

    Oxigraph evaluates without the GIL, so the caller gets control back on time; the native
    evaluation is abandoned (a CLI process then exits). rdflib's pure-Python engine is stopped
    with an asynchronous exception.
    """
    if timeout is None:
        return work()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except _Abandoned:
            # Nothing is kept: the engine's objects in the traceback must be freed on this
            # thread (pyoxigraph's are unsendable and complain on stderr when freed elsewhere).
            return
        except BaseException as exc:  # carried to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="mixity-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        _interrupt(thread)
        raise QueryTimeout(
            f"timed out after {timeout:g} s (--timeout): narrow the query (LIMIT, more specific "
            "patterns) or allow more time"
        )
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


def _interrupt(thread: threading.Thread) -> None:
    import ctypes

    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(_Abandoned)
        )


# ---------------------------------------------------------------------------------------------
# The engine a user talks to


class QueryEngine:
    """A loaded graph that answers SPARQL queries (keep one to run many queries).

    Args:
        paths: extension files or folders loaded with the bundled graph.
        bundled: load the bundled ontology and data.
        infer: "rdfs" (default), "none" or "owlrl" (OWL 2 RL with owlrl; slow).
        store: "oxigraph" (default, fast) or "memory" (rdflib's engine, the reference).
        store_dir: a persistent store built by `mixity load` (opened read-only; `paths`,
            `bundled` and `infer` were fixed when it was built).
    """

    def __init__(
        self,
        paths: Iterable[str | Path] = (),
        *,
        bundled: bool = True,
        infer: str | None = None,
        store: str = "oxigraph",
        store_dir: str | Path | None = None,
    ) -> None:
        if store not in STORES:
            raise MixityError(f"unknown store {store!r}; use one of {', '.join(STORES)}")
        if infer is not None and infer not in INFER_MODES:
            raise MixityError(f"unknown inference {infer!r}; use one of {', '.join(INFER_MODES)}")
        paths = list(paths)
        self.backend: Backend
        if store_dir is not None:
            self.backend = self._open(Path(store_dir), paths, infer, store)
        elif infer == "owlrl" or store == "memory":
            from mixity.graph.sparql.memory import rdflib_backend

            self.backend = rdflib_backend(paths, bundled, infer or "rdfs", store)
        else:
            self.backend = self._oxigraph(paths, bundled, infer or "rdfs")

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefixes predeclared in queries and used to shorten IRIs."""
        return self.backend.prefixes

    @staticmethod
    def _oxigraph(paths: list[str | Path], bundled: bool, infer: str) -> Backend:
        from mixity.graph.store.entailment import materialize_rdfs_store
        from mixity.graph.store.oxigraph import load_sources

        store = ox.Store()
        sources = load_sources(store, paths, bundled=bundled)
        if infer == "rdfs":
            materialize_rdfs_store(store)
        return Oxigraph(store, _merge_prefixes(*(s.prefixes for s in sources)))

    @staticmethod
    def _open(folder: Path, paths: list[str | Path], infer: str | None, store: str) -> Backend:
        from mixity.graph.store.oxigraph import open_store, store_info

        if paths:
            raise MixityError(
                "-g cannot be combined with --store-dir: "
                "add files with `mixity load … --store-dir DIR`"
            )
        if store != "oxigraph":
            raise MixityError(
                "--store-dir opens an Oxigraph store; it cannot be combined with --store memory"
            )
        meta = store_info(folder)
        built = str(meta.get("infer", "rdfs"))
        if infer == "owlrl":
            raise MixityError(
                f"{folder}: --infer owlrl needs the in-memory graph (a store holds RDFS at most); "
                "drop --store-dir and pass the files with -g"
            )
        if infer is not None and infer != built:
            raise MixityError(
                f"{folder}: the store was built with --infer {built}; rebuild it with "
                f"`mixity load … --infer {infer} --store-dir {folder}`"
            )
        prefixes = declared_prefixes(store_dir=folder)
        return Oxigraph(open_store(folder), prefixes, read_only=True)

    def query(
        self,
        query: str | SavedQuery,
        *,
        params: Mapping[str, str] | None = None,
        timeout: float | None = None,
        limit: int | None = None,
        allow_update: bool = False,
        labels: str | None = None,
        origin: str = "query",
    ) -> QueryResult:
        """Run a query (text or saved) and return its result.

        `params` bind variables (see `bind_params`); `labels` ("fr" or "en") adds a
        `<var>_label` column after each IRI column; `limit` keeps the first rows;
        `timeout` stops the query after that many seconds (`QueryTimeout`).
        """
        if isinstance(query, SavedQuery):
            text, saved = query.text, query
            origin = f"{query.name}.rq" if origin == "query" else origin
        else:
            text, saved = query, None
        if limit is not None and limit < 0:
            raise MixityError("--limit must be 0 or more")
        if timeout is not None and not 0 < timeout <= threading.TIMEOUT_MAX:
            # NaN and inf would reach threading's lock as a ValueError or an OverflowError.
            raise MixityError(
                f"--timeout must be more than 0 and at most {threading.TIMEOUT_MAX:.0f} seconds"
            )
        form = query_form(text)
        check_safe(text, form, origin)
        if form in UPDATE_FORMS:
            return self._update(text, form or "", allow_update, origin)
        if saved is None and params:
            used = {t.text[1:] for t in tokenize(text) if t.kind == "var"}
            for name in params:
                if name not in used:
                    raise MixityError(f"--param {name}: the query has no variable ?{name}")
        bindings = self.bind_params(params or {}, saved)
        backend = self.backend

        def work() -> QueryResult:
            result = backend.run(text, bindings, limit, origin)
            if labels is not None:
                result = result.with_labels(self.labels(_iris(result), labels))
            return result

        return _with_timeout(work, timeout)

    def _update(self, text: str, form: str, allow_update: bool, origin: str) -> QueryResult:
        _refuse_update(text, form, allow_update, self.backend.read_only, origin)
        added = self.backend.update(text, origin)
        return QueryResult("update", added=added, prefixes=self.prefixes)

    # -- parameters -----------------------------------------------------------------------

    def bind_params(
        self, params: Mapping[str, str], saved: SavedQuery | None = None
    ) -> dict[str, Term]:
        """RDF terms for `params`, ready to be bound (never pasted into the query text).

        For a saved query, each value is read as its declared type; a `resource` is matched
        on its IRI, prefixed name, slug or label (accents and case ignored). Otherwise a
        value in <…>, a prefixed name or an http(s) IRI becomes an IRI, an integer or decimal
        a number, anything else a plain string.
        """
        if saved is None:
            return {name: self._guess(value) for name, value in params.items()}
        declared = {p.name: p for p in saved.params}
        for name in params:
            if name not in declared:
                close = difflib.get_close_matches(name, list(declared), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                takes = ", ".join(declared) or "no parameters"
                raise MixityError(
                    f"saved query {saved.name} has no parameter {name!r}{hint}; it takes: {takes}"
                )
        bound: dict[str, Term] = {}
        for param in saved.params:
            value = params.get(param.name, param.default)
            if value is None:
                if param.required:
                    example = f" ({param.help})" if param.help else ""
                    raise MixityError(
                        f"saved query {saved.name} needs --param {param.name}=VALUE{example}"
                    )
                continue
            bound[param.name] = self._typed(param, value)
        return bound

    def _guess(self, value: str) -> Term:
        iri = self._as_iri(value)
        if iri is not None:
            return iri
        if re.fullmatch(r"[+-]?\d+", value):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "integer"))
        if re.fullmatch(r"[+-]?\d*\.\d+", value):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "decimal"))
        return ox.Literal(value)

    def _as_iri(self, value: str) -> ox.NamedNode | None:
        text = value.strip()
        try:
            if text.startswith("<") and text.endswith(">"):
                return ox.NamedNode(text[1:-1])
            if re.match(r"^https?://\S+$", text):
                return ox.NamedNode(text)
            found = re.fullmatch(r"([A-Za-z][\w.-]*):([\w.\-/%]*)", text)
            if found and found.group(1) in self.prefixes:
                return ox.NamedNode(self.prefixes[found.group(1)] + found.group(2))
        except ValueError:
            raise MixityError(f"{value!r} is not a valid IRI") from None
        return None

    def _typed(self, param: Param, value: str) -> Term:
        if param.kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise MixityError(f"--param {param.name} takes an integer, not {value!r}")
            return ox.Literal(value.strip(), datatype=ox.NamedNode(_XSD + "integer"))
        if param.kind == "string":
            return ox.Literal(value)
        iri = self._as_iri(value)
        if param.kind == "iri":
            if iri is None:
                raise MixityError(
                    f"--param {param.name} takes an IRI (<…> or prefix:name), not {value!r}"
                )
            return iri
        return iri if iri is not None else self.resolve(value, param.cls, param.name)

    def resolve(self, value: str, cls: str | None = None, what: str = "resource") -> ox.NamedNode:
        """The resource whose label, slug or IRI matches `value` (accents and case ignored)."""
        candidates = self._labelled(cls)
        wanted = normalize(value)
        if not wanted:
            raise MixityError(f"--param {what} is empty")
        tiers: list[list[str]] = [[], [], []]
        for iri, names in candidates.items():
            if wanted in names:
                tiers[0].append(iri)
            elif any(f" {wanted} " in f" {n} " for n in names):
                tiers[1].append(iri)
            elif any(wanted in n for n in names):
                tiers[2].append(iri)
        for tier in tiers:
            if len(tier) == 1:
                return ox.NamedNode(tier[0])
            if len(tier) > 1:
                shown = ", ".join(
                    f"{compact(iri, self.prefixes)} ({self._display(iri, candidates)})"
                    for iri in sorted(tier)[:8]
                )
                more = f" and {len(tier) - 8} more" if len(tier) > 8 else ""
                raise MixityError(
                    f"--param {what}={value!r} matches {len(tier)} resources: {shown}{more}; "
                    "give a longer label or the IRI"
                )
        every = {n: iri for iri, names in candidates.items() for n in names}
        close = difflib.get_close_matches(wanted, list(every), n=3, cutoff=0.6)
        raise UnknownName(what, value, [self._display(every[c], candidates) for c in close] or None)

    def _display(self, iri: str, candidates: Mapping[str, set[str]]) -> str:
        return self.labels([iri], "fr").get(iri) or next(iter(candidates.get(iri, {iri})))

    def _labelled(self, cls: str | None) -> dict[str, set[str]]:
        """IRI -> normalised labels and slug, for every resource (of `cls`) with a label."""
        pattern = "?s rdfs:label|skos:prefLabel|skos:altLabel|schema:name ?l ."
        bindings: dict[str, Term] = {}
        if cls is not None:
            node = self._as_iri(cls)
            if node is None:
                raise MixityError(
                    f"saved query parameter class {cls!r} is not a known prefixed name"
                )
            pattern += " ?s rdf:type/rdfs:subClassOf* ?cls ."
            bindings["cls"] = node
        text = f"SELECT DISTINCT ?s ?l WHERE {{ {pattern} FILTER(isIRI(?s)) }}"
        found: dict[str, set[str]] = {}
        for subject, label in self.backend.run(text, bindings, None, "lookup").rows:
            if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
                names = found.setdefault(subject.value, {normalize(_slug(subject.value))})
                names.add(normalize(label.value))
        return found

    # -- labels ---------------------------------------------------------------------------

    def labels(self, iris: Iterable[str], lang: str = "fr") -> dict[str, str]:
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
            for subject, prop, label in self.backend.run(text, {}, None, "labels").rows:
                if not (isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal)):
                    continue
                tag = label.language or ""
                rank_lang = 0 if tag == lang else (1 if tag else 2)
                rank_prop = (
                    0 if isinstance(prop, ox.NamedNode) and prop.value == _SKOS + "prefLabel" else 1
                )
                found.setdefault(subject.value, {}).setdefault((rank_lang, rank_prop), label.value)
        return {iri: ranked[min(ranked)] for iri, ranked in found.items()}


_PLAIN_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")


def _iris(result: QueryResult) -> set[str]:
    return {term.value for row in result.rows for term in row if isinstance(term, ox.NamedNode)}


def _slug(iri: str) -> str:
    tail = iri.rstrip("/#")
    for sep in ("#", "/"):
        tail = tail.rsplit(sep, 1)[-1]
    return tail.replace("-", " ").replace("_", " ")


def normalize(text: str) -> str:
    """Lower case, no accents, one space between words: how parameters are matched."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    bare = bare.replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def _refuse_update(text: str, form: str, allow_update: bool, read_only: bool, origin: str) -> None:
    offset = next(t.start for t in tokenize(text) if t.text.upper() == form)
    if not allow_update:
        raise error_at(
            f"{form} is a SPARQL update and mixity query only reads the graph; pass "
            "--allow-update to apply it to the in-memory graph (no file is ever changed)",
            text,
            offset,
            origin,
            UpdateRefused,
        )
    if read_only:
        raise error_at(
            "a --store-dir store is opened read-only; updates apply only to an in-memory graph "
            "(drop --store-dir)",
            text,
            offset,
            origin,
            UpdateRefused,
        )


def check_query(
    text: str,
    prefixes: Mapping[str, str],
    *,
    allow_update: bool = False,
    read_only: bool = False,
    origin: str = "query",
) -> str | None:
    """Refuse a query that cannot run before any data is loaded; return its form.

    A typo then fails in milliseconds even when the graph takes seconds to load, and both
    engines report the same errors (Oxigraph's parser is the stricter, standard one).
    """
    form = query_form(text)
    check_safe(text, form, origin)
    if form in UPDATE_FORMS:
        _refuse_update(text, form or "", allow_update, read_only, origin)
    try:
        if form in UPDATE_FORMS:
            ox.Store().update(text, prefixes=dict(prefixes))
        else:
            ox.Store().query(text, prefixes=dict(prefixes))
    except SyntaxError as exc:
        raise diagnose_error(text, prefixes, str(exc), origin) from None
    except (OSError, ValueError, RuntimeError):
        pass  # not a syntax problem: the engine will say what it is
    return form


def declared_prefixes(
    paths: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
    store_dir: str | Path | None = None,
) -> dict[str, str]:
    """The prefixes a query may use undeclared: PREFIXES, then those the files declare.

    Reads only the top of each Turtle / TriG file (where prefixes are declared); missing
    files are left for the loader to report.
    """
    if store_dir is not None:
        from mixity.graph.store.oxigraph import store_info

        meta = store_info(store_dir)
        stored = meta.get("prefixes")
        return _merge_prefixes(
            stored if isinstance(stored, dict) else {},
            file_prefixes([], bool(meta.get("bundled", True))),
        )
    found: list[dict[str, str]] = [file_prefixes([], bundled)]
    for raw in paths:
        path = Path(raw)
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        for candidate in candidates:
            if (
                candidate.suffix.lower() in (".ttl", ".turtle", ".trig", ".n3")
                and candidate.is_file()
            ):
                try:
                    with candidate.open("rb") as handle:
                        head = handle.read(65536).decode("utf-8", "replace")
                except OSError:
                    continue
                found.append(_declared_prefixes(head))
    return _merge_prefixes(*found)


def file_prefixes(paths: Iterable[str | Path], bundled: bool) -> dict[str, str]:
    """PREFIXES plus the prefixes the bundled and given Turtle / TriG files declare."""
    declared: list[dict[str, str]] = []
    if bundled:
        root = files("mixity")
        for folder in ("ontology", "data"):
            for entry in sorted(root.joinpath(folder).iterdir(), key=lambda t: t.name):
                if entry.name.endswith(".ttl") and entry.name != "shapes.ttl":
                    declared.append(_declared_prefixes(entry.read_text(encoding="utf-8")))
    paths = list(paths)
    if paths:
        from mixity.graph.io.files import expand_paths

        for path in expand_paths(paths):
            if path.suffix.lower() in (".ttl", ".turtle", ".trig", ".n3"):
                try:
                    declared.append(
                        _declared_prefixes(path.read_text(encoding="utf-8", errors="replace"))
                    )
                except OSError as exc:
                    raise SourceNotFound(path, exc.strerror or "cannot be read") from None
    return _merge_prefixes(*declared)


def run_query(
    query: str | SavedQuery,
    *,
    paths: Iterable[str | Path] = (),
    bundled: bool = True,
    infer: str | None = None,
    store: str = "oxigraph",
    store_dir: str | Path | None = None,
    params: Mapping[str, str] | None = None,
    timeout: float | None = None,
    limit: int | None = None,
    allow_update: bool = False,
    labels: str | None = None,
) -> QueryResult:
    """Load the graph and run one query on it (see `QueryEngine` to run several)."""
    engine = QueryEngine(paths, bundled=bundled, infer=infer, store=store, store_dir=store_dir)
    return engine.query(
        query, params=params, timeout=timeout, limit=limit, allow_update=allow_update, labels=labels
    )

"""Run SPARQL queries on the debate graph: engines, parameters, errors, saved queries.

The default engine is an in-memory Oxigraph store (`mixity.graph.store`): the bundled Turtle is
parsed natively and RDFS entailment is materialised with SPARQL Update, so a query never
imports rdflib and answers in a few tens of milliseconds. `store="memory"` runs the same
query on rdflib's engine (the reference); a persistent store built by `mixity load` is opened
read-only with `store_dir=`. Every prefix of `mixity.namespaces.PREFIXES` and of the loaded
files is predeclared, parameters are bound as RDF terms (never pasted into the text), and every
failure is a `QueryError` with the line and column in the user's own text. A query given a
`timeout` runs in a child process that is killed at the deadline (`sparql.timeout`).

Relative IRIs in a query (`<a>`, `IRI("a")`) resolve against its base IRI: a BASE declared in
the query, else the `base` given (`mixity query -f FILE` gives the file's URI, `--base` any
IRI), else `DEFAULT_BASE`. Both engines get the same base, so they agree.

Example (a notebook shows `result` as a table)::

    from mixity.graph.sparql.engine import run_query
    result = run_query("SELECT ?q ?label WHERE { ?q a ibis:Issue ; rdfs:label ?label }")
    result.rows          # tuples of pyoxigraph terms
    result.to("csv")     # or table, tsv, json, xml, md
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from mixity.errors import InvalidParameter, SourceNotFound, UpdateRefused
from mixity.graph.io.files import package_root
from mixity.graph.model.resolve import NameIndex
from mixity.graph.sparql.backends import Backend, Oxigraph, answer, diagnose_error, labels_of
from mixity.graph.sparql.catalogue import Param, SavedQuery, saved_queries, saved_query
from mixity.graph.sparql.formats import Term
from mixity.graph.sparql.lexer import UPDATE_FORMS, check_safe, error_at, query_form, tokenize
from mixity.graph.sparql.params import bind_params, name_index, query_hints
from mixity.graph.sparql.results import QueryResult
from mixity.namespaces import PREFIXES

__all__ = [
    "DEFAULT_BASE",
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
#: The base IRI of a query given as text (not a file) that declares no BASE: an IRI of
#: mixity's own namespace that names nothing in the graph, the same on every machine.
DEFAULT_BASE = "https://w3id.org/mixity/query/"


def check_base(base: str | None) -> str:
    """`base` (or `DEFAULT_BASE` if None) if it is an absolute IRI, else `InvalidParameter`."""
    if base is None:
        return DEFAULT_BASE
    try:
        return ox.NamedNode(base).value
    except ValueError as exc:
        why = str(exc)
        raise InvalidParameter(
            "base", f"{base!r} is not an absolute IRI ({why[:1].lower()}{why[1:]})"
        ) from None


# ---------------------------------------------------------------------------------------------
# Prefixes


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
            raise InvalidParameter(
                "store", f"unknown engine {store!r}; use one of {', '.join(STORES)}"
            )
        if infer is not None and infer not in INFER_MODES:
            raise InvalidParameter(
                "infer", f"unknown inference {infer!r}; use one of {', '.join(INFER_MODES)}"
            )
        paths = list(paths)
        self.backend: Backend
        if store_dir is not None:
            self.backend = self._open(Path(store_dir), paths, bundled, infer, store)
        elif infer == "owlrl" or store == "memory":
            from mixity.graph.sparql.memory import rdflib_backend

            prefixes = file_prefixes(paths, bundled)
            self.backend = rdflib_backend(paths, bundled, infer or "rdfs", store, prefixes)
        else:
            self.backend = self._oxigraph(paths, bundled, infer or "rdfs")

    @classmethod
    def from_store(cls, store: ox.Store, prefixes: Mapping[str, str] = {}) -> QueryEngine:
        """An engine over an Oxigraph store already loaded (and closed under RDFS if wanted).

        `prefixes` are predeclared in queries after those of `mixity.namespaces`.
        """
        engine = cls.__new__(cls)
        engine.backend = Oxigraph(store, _merge_prefixes(prefixes))
        return engine

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefixes predeclared in queries and used to shorten IRIs."""
        return self.backend.prefixes

    @staticmethod
    def _oxigraph(paths: list[str | Path], bundled: bool, infer: str) -> Backend:
        from mixity.graph.store.cache import bundled_store

        # The bundled graph, closed, comes from the start-up cache; closing it again with the
        # -g files gives the closure of the whole (RDFS entailment is monotone, idempotent).
        store, found = bundled_store(infer) if bundled else (ox.Store(), {})
        declared = [found]
        if paths:
            from mixity.graph.store.entailment import materialize_rdfs_store
            from mixity.graph.store.oxigraph import load_sources

            declared += [s.prefixes for s in load_sources(store, paths, bundled=False)]
            if infer == "rdfs":
                materialize_rdfs_store(store)
        return Oxigraph(store, _merge_prefixes(*declared))

    @staticmethod
    def _open(
        folder: Path, paths: list[str | Path], bundled: bool, infer: str | None, store: str
    ) -> Backend:
        from mixity.graph.store.oxigraph import open_store, store_info

        if paths:
            raise InvalidParameter(
                "paths",
                "cannot be combined with {store_dir}: a store holds the files it was built "
                "with; build it again with these files added",
                others=("store_dir",),
            )
        if store != "oxigraph":
            raise InvalidParameter(
                "store",
                f"{store!r} cannot be combined with {{store_dir}}, which opens an Oxigraph store",
                others=("store_dir",),
            )
        meta = store_info(folder)
        built = str(meta.get("infer", "rdfs"))
        if infer == "owlrl":
            raise InvalidParameter(
                "infer",
                f"owlrl needs the graph in memory ({folder} holds RDFS at most); "
                "drop {store_dir} and pass the files with {paths}",
                others=("store_dir", "paths"),
            )
        if infer is not None and infer != built:
            raise InvalidParameter(
                "infer",
                f"{folder} was built with {built!r}, not {infer!r}; drop {{infer}}, "
                f"or build the store again with {infer!r}",
                others=("infer",),
            )
        if not bundled and meta.get("bundled", True):
            raise InvalidParameter(
                "bundled",
                f"cannot be False with {{store_dir}}: {folder} holds the bundled graph",
                others=("store_dir",),
            )
        prefixes = declared_prefixes(store_dir=folder)
        return Oxigraph(open_store(folder), prefixes, read_only=True, folder=folder)

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
        base: str | None = None,
        strict: bool = False,
    ) -> QueryResult:
        """Run a query (text or saved) and return its result.

        `params` bind variables (see `bind_params`); `labels` ("fr" or "en") adds a
        `<var>Label` column after each IRI column; `limit` keeps the first rows;
        `timeout` stops the query after that many seconds (`QueryTimeout`): it then runs in a
        child process, killed at the deadline (`mixity.graph.sparql.timeout`). An update
        (with `allow_update`) always runs here, in this process, without a timeout.
        `base` is the IRI relative IRIs resolve against (default `DEFAULT_BASE`).

        A query's own text (not a saved query) is checked first (`QueryResult.warnings`): a
        term of a known vocabulary that the graph does not hold (`mix:Actor`), a parameter
        bound as a string that names a resource; `strict` makes them a `QueryError`.
        """
        if isinstance(query, SavedQuery):
            text, saved = query.text, query
            origin = f"{query.name}.rq" if origin == "query" else origin
        else:
            text, saved = query, None
        if limit is not None and limit < 0:
            raise InvalidParameter("limit", "must be 0 or more")
        if timeout is not None:
            from mixity.graph.sparql.timeout import check_timeout  # only with a timeout

            check_timeout(timeout)
        base = check_base(base)
        form = query_form(text)
        check_safe(text, form, origin)
        if form in UPDATE_FORMS:
            return self._update(text, form or "", allow_update, origin, base)
        if saved is None and params:
            used = {t.text[1:] for t in tokenize(text) if t.kind == "var"}
            for name in params:
                if name not in used:
                    raise InvalidParameter("params", f"{name}: the query has no variable ?{name}")
        bindings = self.bind_params(params or {}, saved)
        own = saved is None  # a saved query's terms are the catalogue's, checked by its tests
        found = query_hints(self.backend, text, params or {}, bindings, origin) if own else ()
        if strict and found:
            from mixity.graph.sparql.hints import as_error

            raise as_error(text, found)
        if timeout is None:
            result = answer(self.backend, text, bindings, limit, origin, labels, base)
        else:
            from mixity.graph.sparql.timeout import run_timed

            result = run_timed(self.backend, text, bindings, limit, origin, labels, timeout, base)
        return result.replace(warnings=found) if found else result

    def _update(
        self, text: str, form: str, allow_update: bool, origin: str, base: str
    ) -> QueryResult:
        _refuse_update(text, form, allow_update, self.backend.read_only, origin, {})
        added = self.backend.update(text, origin, base)
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
        return bind_params(self.backend, params, saved)

    def name_index(self) -> NameIndex:
        """The one resolver (`NameIndex`) over this graph's names: labels, alternative
        labels, schema:name, dcterms:title, and the last segment of each IRI."""
        return name_index(self.backend)

    # -- labels ---------------------------------------------------------------------------

    def labels(self, iris: Iterable[str], lang: str = "fr") -> dict[str, str]:
        """IRI -> label in `lang` (skos:prefLabel before rdfs:label; else the other language)."""
        return labels_of(self.backend, iris, lang)


def _refuse_update(
    text: str,
    form: str,
    allow_update: bool,
    read_only: bool,
    origin: str,
    names: Mapping[str, str],
) -> None:
    offset = next(t.start for t in tokenize(text) if t.text.upper() == form)
    if not allow_update:
        allow = names.get("allow_update", "allow_update=True")
        raise error_at(
            f"{form} is a SPARQL update and queries only read the graph; pass {allow} to "
            "apply it to the graph in memory (no file is ever changed)",
            text,
            offset,
            origin,
            UpdateRefused,
        )
    if read_only:
        store_dir = names.get("store_dir", "store_dir")
        raise error_at(
            f"a store opened with {store_dir} is read-only; updates apply only to a graph in "
            f"memory (drop {store_dir})",
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
    names: Mapping[str, str] | None = None,
    base: str | None = None,
) -> str | None:
    """Refuse a query that cannot run before any data is loaded; return its form.

    A typo then fails in milliseconds even when the graph takes seconds to load, and both
    engines report the same errors (Oxigraph's parser is the stricter, standard one).
    `names` spells parameters in messages the caller's way (the CLI's options); `base` is the
    query's base IRI (default `DEFAULT_BASE`).
    """
    base = check_base(base)
    form = query_form(text)
    check_safe(text, form, origin, names)
    if form in UPDATE_FORMS:
        _refuse_update(text, form or "", allow_update, read_only, origin, names or {})
    try:
        if form in UPDATE_FORMS:
            ox.Store().update(text, prefixes=dict(prefixes), base_iri=base)
        else:
            ox.Store().query(text, prefixes=dict(prefixes), base_iri=base)
    except SyntaxError as exc:
        raise diagnose_error(text, prefixes, str(exc), origin, base) from None
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
        from mixity.graph.store.cache import cached_prefixes

        cached = cached_prefixes()
        declared += [] if cached is None else [cached]
    if bundled and not declared:
        root = package_root()
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
    base: str | None = None,
    strict: bool = False,
) -> QueryResult:
    """Load the graph and run one query on it (see `QueryEngine` to run several)."""
    engine = QueryEngine(paths, bundled=bundled, infer=infer, store=store, store_dir=store_dir)
    return engine.query(
        query,
        params=params,
        timeout=timeout,
        limit=limit,
        allow_update=allow_update,
        labels=labels,
        base=base,
        strict=strict,
    )

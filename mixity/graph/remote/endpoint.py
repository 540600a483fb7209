"""Queries sent to any SPARQL 1.1 endpoint (`--endpoint URL`), answers read as `QueryResult`.

The query goes through the SPARQL 1.1 Protocol (an HTTP POST of `query=…`), the answer is read
with pyoxigraph's own parsers (SPARQL results in JSON, XML or TSV; N-Triples or Turtle for
CONSTRUCT and DESCRIBE), so the rows are the same pyoxigraph terms as a local run and every
output format works unchanged.

What a local run predeclares is declared for the server: the prefixes a query uses without
declaring them are prepended on its first line (so the server's line numbers stay the user's).

Parameters (`--param`) are substituted into the text as RDF terms: see
`mixity.graph.remote.substitution`.

Servers differ; tolerated here: Virtuoso's ASK answered as a one-row table, its old
`typed-literal` JSON, its blank node labels (`nodeID://b1`, relabelled), its `X-SPARQL-MaxRows`
header when it cut an answer (the result is then marked truncated and says so).

Resource parameters of saved queries (`--param actor=bailleurs`) are resolved by asking the
endpoint for the labels, as the local engine asks its store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from mixity.errors import MixityError, QueryError, QueryTimeout
from mixity.graph.remote.http import (
    Credentials,
    RemoteError,
    body_excerpt,
    check_url,
    client,
    failure,
    origin,
    refusal,
)
from mixity.graph.remote.substitution import substitute, with_prefixes
from mixity.graph.sparql.backends import Backend, one_line, take
from mixity.graph.sparql.catalogue import SavedQuery
from mixity.graph.sparql.engine import QueryEngine, check_query, declared_prefixes
from mixity.graph.sparql.formats import Row, Term
from mixity.graph.sparql.lexer import UPDATE_FORMS, error_at, query_form, tokenize
from mixity.graph.sparql.results import Kind, QueryResult

__all__ = [
    "RemoteEndpoint",
    "RemoteEngine",
    "RemoteResult",
    "run_remote",
    "substitute",
]

SELECT_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.8"
)
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/n-quads;q=0.5"
#: Media types read for CONSTRUCT / DESCRIBE. Not JSON-LD (its contexts may be remote), not
#: RDF/XML (pyoxigraph expands nested DTD entities: a hostile server could send "billion laughs").
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples before it had its own media type
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


class RemoteResult(QueryResult):
    """A `QueryResult` from an endpoint; `server_limit` is set when the server cut the answer."""

    __slots__ = ("endpoint", "server_limit")
    _FIELDS: ClassVar[tuple[str, ...]] = (*QueryResult._FIELDS, "endpoint", "server_limit")
    endpoint: str
    server_limit: int | None

    def __init__(
        self,
        kind: Kind,
        *args: Any,
        endpoint: str = "",
        server_limit: int | None = None,
        **more: Any,
    ) -> None:
        super().__init__(kind, *args, **more)
        object.__setattr__(self, "endpoint", endpoint)
        object.__setattr__(self, "server_limit", server_limit)

    def summary(self) -> str:
        """As `QueryResult.summary`, plus a warning when the server itself cut the answer."""
        text = super().summary()
        if self.server_limit is not None:
            text += (
                f"; warning: {origin(self.endpoint)} cut the answer at {self.server_limit:,} "
                "rows (X-SPARQL-MaxRows): add LIMIT/OFFSET or raise the server's limit"
            )
        return text


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint: sends query text, returns a `RemoteResult`.

    Parameters already in the URL (`?default-graph-uri=…`) are sent with every query.
    """

    def __init__(
        self,
        url: str,
        *,
        credentials: Credentials | None = None,
        timeout: float | None = None,
    ) -> None:
        check_url(url, "--endpoint")
        parts = urlsplit(url)
        self.url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        self.fixed = parse_qsl(parts.query, keep_blank_values=True)
        self.timeout = timeout
        self._client = client(url, timeout, credentials)

    def close(self) -> None:
        """Close the connections kept alive."""
        self._client.close()

    def __enter__(self) -> RemoteEndpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(
        self,
        text: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        limit: int | None = None,
        origin_name: str = "query",
    ) -> RemoteResult:
        """Send `text` (a complete query: prefixes declared) and read the answer."""
        form = query_form(text)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        # A form body, not a GET: long queries and non-ASCII text pass every server's limits.
        body = urlencode([*self.fixed, ("query", text)]).encode("ascii")
        headers = {
            "Accept": GRAPH_ACCEPT if graph else SELECT_ACCEPT,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        try:
            response = self._client.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException:
            raise QueryTimeout(
                f"{origin(self.url)} gave no answer within {self.timeout or 300:g} s (--timeout)",
                origin=origin_name,
            ) from None
        except httpx.HTTPError as exc:
            raise failure(exc, self.url, timeout=self.timeout) from None
        if response.status_code >= 400:
            raise refusal(response, origin(self.url) + urlsplit(self.url).path)
        return self._read(response, form, prefixes or {}, limit)

    def _read(
        self,
        response: httpx.Response,
        form: str | None,
        prefixes: Mapping[str, str],
        limit: int | None,
    ) -> RemoteResult:
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        body = response.content
        cut = _server_limit(response)
        made = _Maker(dict(prefixes), self.url, cut)
        try:
            if form in ("CONSTRUCT", "DESCRIBE") and media in GRAPH_TYPES:
                parsed = ox.parse(body, GRAPH_TYPES[media], base_iri=self.url)
                found = (q.triple if isinstance(q, ox.Quad) else q for q in parsed)
                triples, truncated = take(found, limit)
                return made.graph(tuple(triples), truncated)
            if form not in ("CONSTRUCT", "DESCRIBE") and media in RESULT_TYPES:
                kind = RESULT_TYPES[media]
                try:
                    return made.solutions(ox.parse_query_results(body, kind), form, limit)
                except SyntaxError as exc:  # raised while reading the rows: parsing streams
                    if kind != ox.QueryResultsFormat.JSON or "bnode" not in str(exc).lower():
                        raise
                    answer = ox.parse_query_results(_plain_blank_nodes(body), kind)
                    return made.solutions(answer, form, limit)
        except SyntaxError as exc:
            raise _unreadable(self.url, media, body, str(exc)) from None
        raise RemoteError(
            f"{origin(self.url)}{urlsplit(self.url).path} did not answer with SPARQL results "
            f"(Content-Type {media or 'missing'}: {body_excerpt(response, 120)}); "
            "is this the server's SPARQL query address?"
        )


@dataclass(frozen=True)
class _Maker:
    """Builds the `RemoteResult` of one answer."""

    prefixes: dict[str, str]
    endpoint: str
    cut: int | None

    def _result(self, kind: Kind, **fields: Any) -> RemoteResult:
        return RemoteResult(
            kind, prefixes=self.prefixes, endpoint=self.endpoint, server_limit=self.cut, **fields
        )

    def graph(self, triples: tuple[ox.Triple, ...], truncated: bool) -> RemoteResult:
        return self._result("graph", triples=triples, truncated=truncated or self.cut is not None)

    def solutions(
        self, answer: ox.QuerySolutions | ox.QueryBoolean, form: str | None, limit: int | None
    ) -> RemoteResult:
        if isinstance(answer, ox.QueryBoolean):
            return self._result("ask", boolean=bool(answer))
        variables = tuple(v.value for v in answer.variables)
        rows: list[Row] = [tuple(solution[v] for v in variables) for solution in answer]
        if form == "ASK":
            # Virtuoso answers ASK as a one-row table (__ASK_RETVAL = 1 or 0).
            first = rows[0][0] if rows and rows[0] else None
            value = isinstance(first, ox.Literal) and first.value.strip().lower() in ("1", "true")
            return self._result("ask", boolean=value)
        kept, truncated = take(rows, limit)
        return self._result(
            "select",
            variables=variables,
            rows=tuple(kept),
            truncated=truncated or self.cut is not None,
        )


def _plain_blank_nodes(body: bytes) -> bytes:
    """JSON results with blank node labels pyoxigraph accepts (Virtuoso's are `nodeID://b1`)."""
    try:
        data = json.loads(body)
        labels: dict[str, str] = {}
        for binding in data["results"]["bindings"]:
            for term in binding.values():
                if isinstance(term, dict) and term.get("type") == "bnode":
                    value = str(term.get("value", ""))
                    term["value"] = labels.setdefault(value, f"b{len(labels)}")
    except (ValueError, KeyError, TypeError, AttributeError):
        return body  # not the JSON results shape: let the parser say what is wrong
    return json.dumps(data).encode("utf-8")


def _server_limit(response: httpx.Response) -> int | None:
    """Virtuoso's ResultSetMaxRows, announced in `X-SPARQL-MaxRows` when it cut the answer."""
    value = response.headers.get("x-sparql-maxrows")
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return 0


def _unreadable(url: str, media: str, body: bytes, reason: str) -> MixityError:
    tail = body[-300:].decode("utf-8", "replace").lower()
    if "cancel" in tail or "timeout" in tail or "timed out" in tail:
        # Oxigraph sends 200 and then cuts the body when its --timeout-s stops the query.
        return QueryTimeout(
            f"{origin(url)} stopped the query part-way (its time limit?): the answer is incomplete"
        )
    why = one_line(SyntaxError(reason))
    what = media or "SPARQL results"
    return RemoteError(f"{origin(url)}: the answer is not valid {what} ({why})")


# ---------------------------------------------------------------------------------------------
# The engine: the local engine's parameters, labels and checks, over an endpoint


class RemoteBackend(Backend):
    """`Backend` of a `QueryEngine` whose store is an endpoint."""

    read_only = True

    def __init__(self, endpoint: RemoteEndpoint, prefixes: dict[str, str]) -> None:
        self.endpoint = endpoint
        self.prefixes = prefixes

    def run(
        self,
        text: str,
        bindings: Mapping[str, Term],
        limit: int | None,
        origin: str,
        base: str | None = None,
    ) -> QueryResult:
        sent = with_prefixes(substitute(text, bindings, origin), self.prefixes)
        if base is not None and _relative_iris(text):
            # The local base, so that <a> means what it means locally (a BASE in the text wins).
            sent = f"BASE <{base}> {sent}"
        return self.endpoint.query(sent, prefixes=self.prefixes, limit=limit, origin_name=origin)

    def update(self, text: str, origin: str, base: str | None = None) -> int:
        raise error_at("--endpoint only reads: updates are not sent", text, 0, origin, QueryError)


def _relative_iris(text: str) -> bool:
    """True when `text` writes a relative IRI (`<a>`) and declares no BASE of its own."""
    tokens = tokenize(text)
    if any(t.kind == "word" and t.text.upper() == "BASE" for t in tokens):
        return False
    return any(t.kind == "iri" and not _ABSOLUTE.match(t.text[1:-1]) for t in tokens)


_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class RemoteEngine(QueryEngine):
    """A `QueryEngine` that asks an endpoint instead of a local store."""

    def __init__(self, endpoint: RemoteEndpoint, prefixes: dict[str, str]) -> None:
        self.backend = RemoteBackend(endpoint, prefixes)


def run_remote(
    url: str,
    query: str | SavedQuery,
    *,
    params: Mapping[str, str] | None = None,
    prefixes: Mapping[str, str] | None = None,
    timeout: float | None = None,
    limit: int | None = None,
    auth: Credentials | None = None,
    labels: str | None = None,
    paths: tuple[str | Path, ...] = (),
    origin: str = "query",
    base: str | None = None,
) -> QueryResult:
    """Run a query (text or saved) on the SPARQL endpoint at `url`.

    Args:
        prefixes: predeclared prefixes; by default those of a local run (`declared_prefixes`,
            with the prefixes of the `paths` files).
        params: bound as in a local run (saved queries' resources are looked up remotely).
        timeout: seconds to wait for the server (connection, and each read).
        auth: `Credentials` (user and password, or a bearer token).
        labels: "fr" or "en" to add label columns, asked from the endpoint.
        base: the IRI relative IRIs resolve against, as locally (sent as BASE when the query
            writes a relative IRI and declares no BASE).

    Raises `QueryError` for a mistake in the query (before anything is sent), `QueryTimeout`,
    and `RemoteError` for HTTP errors, refused connections and answers that are not SPARQL.
    """
    if isinstance(query, SavedQuery):
        text = query.text
        origin = f"{query.name}.rq" if origin == "query" else origin
    else:
        text = query
    known = dict(prefixes) if prefixes is not None else declared_prefixes(paths)
    form = query_form(text)
    if form in UPDATE_FORMS:
        offset = next((t.start for t in tokenize(text) if t.text.upper() == form), 0)
        raise error_at(
            f"{form} is a SPARQL update; mixity only reads from an endpoint "
            "(use `mixity push` to change a store)",
            text,
            offset,
            origin,
            QueryError,
        )
    # A typo is reported here, with line and column, before anything is sent.
    check_query(text, known, origin=origin)
    with RemoteEndpoint(url, credentials=auth, timeout=timeout) as endpoint:
        engine = RemoteEngine(endpoint, known)
        return engine.query(
            query, params=params, limit=limit, labels=labels, origin=origin, base=base
        )

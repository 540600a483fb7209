"""Upload a graph into any triple store through the Graph Store HTTP Protocol (`mixity push`).

The triples go as N-Triples, in chunks (`POST ?graph=…`), into a *staging graph* with a fresh
IRI; only when every chunk was accepted is one SPARQL Update sent to the store's update
endpoint: `MOVE GRAPH <staging> TO <target>` to replace, `ADD … ; DROP …` to add. A failure
part-way (a refused chunk, a lost connection) leaves the target graph as it was, and the
error says how much had been sent. Whether the swap itself is atomic is up to the store:
Oxigraph runs an update request in one transaction; Virtuoso is not known to (its uploads are
not atomic either), and the report says so.

A store without an update endpoint (or where the caller cannot update) gets everything in one
request instead (`PUT` to replace, `POST` to add): atomic only if the store applies one request
atomically (Oxigraph does, Virtuoso does not), which the report says plainly. Oxigraph itself
gets one request too, up to `ONE_REQUEST_MAX` triples unless chunks are asked for: a request is
atomic there, and staging would copy the graph once more (measured: a MOVE of 100 k triples
took longer than their upload, a MOVE of 1 M ran past 300 s).

Blank nodes are scoped to one request by the protocol, so the triples that share blank nodes
(an OWL restriction, an annotation selector…) always travel in the same chunk.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from mixity.errors import MixityError
from mixity.graph.remote.http import (
    Credentials,
    RemoteError,
    check_url,
    client,
    failure,
    refusal,
)

#: Triples per request to a store that does not apply a request atomically: ~14 MB.
DEFAULT_CHUNK = 100_000
#: Up to this many triples, Oxigraph gets one request (atomic there): staging plus MOVE copies
#: the graph once more, which took longer than the upload itself (1 M triples: a MOVE ran past
#: 300 s on disk, one PUT ~50 s and 1.9 GiB of server memory; measured).
ONE_REQUEST_MAX = 2_000_000
N_TRIPLES = "application/n-triples"

#: Called after each chunk with (triples sent, triples in all).
Progress = Callable[[int, int], None]


class PushError(RemoteError):
    """An upload that failed part-way; says how much was sent and what became of the target."""

    def __init__(self, message: str, *, sent: int, total: int) -> None:
        super().__init__(message)
        self.sent = sent
        self.total = total


@dataclass(frozen=True)
class PushReport:
    """What `push` did."""

    store_url: str
    graph: str | None
    triples: int
    chunks: int
    bytes_sent: int
    seconds: float
    replace: bool
    #: "staged" (staging graph + one update) or "direct" (one request, no update endpoint).
    method: str
    #: True when the store is known to apply the final step atomically, False when known not
    #: to, None when unknown.
    atomic: bool | None
    server: str
    note: str

    @property
    def triples_per_second(self) -> float:
        """Throughput of the whole push."""
        return self.triples / self.seconds if self.seconds else 0.0


def graph_to_push(
    paths: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
    infer: str = "rdfs",
    store_dir: str | Path | None = None,
) -> ox.Store:
    """The triples to push: a store built by `mixity load`, or the bundled graph + `paths`
    in memory with their RDFS entailments (so saved queries answer remotely as locally)."""
    if store_dir is not None:
        from mixity.graph.store.oxigraph import open_store

        return open_store(store_dir)
    from mixity.graph.store.oxigraph import memory_store

    return memory_store(paths, bundled=bundled, infer=infer)


def update_address(store_url: str) -> str | None:
    """The SPARQL Update address that usually goes with a Graph Store address.

    Oxigraph `/store` → `/update`; Fuseki `/DATASET/data` → `/DATASET/update`; Virtuoso
    `/sparql-graph-crud-auth` → `/sparql-auth` (and `/sparql-graph-crud` → `/sparql`);
    GraphDB and RDF4J `/repositories/ID/rdf-graphs/service` → `/repositories/ID/statements`.
    """
    parts = urlsplit(store_url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last in ("store", "data"):
        new = head + "/update"
    elif last == "sparql-graph-crud-auth":
        new = head + "/sparql-auth"
    elif last == "sparql-graph-crud":
        new = head + "/sparql"
    elif path.endswith("/rdf-graphs/service"):
        new = path[: -len("/rdf-graphs/service")] + "/statements"
    else:
        return None
    return urlunsplit((parts.scheme, parts.netloc, new, "", ""))


def triple_chunks(store: ox.Store, size: int = DEFAULT_CHUNK) -> Iterator[list[ox.Triple]]:
    """The triples of the default graph of `store`, about `size` at a time; triples that share
    blank nodes are never split across chunks (a chunk may then be larger than `size`)."""
    chunk: list[ox.Triple] = []
    linked: list[ox.Triple] = []
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        triple = quad.triple
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            linked.append(triple)
            continue
        chunk.append(triple)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    for group in _blank_node_groups(linked):
        chunk.extend(group)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _blank_node_groups(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """Triples grouped by connected blank nodes (union-find over the blank nodes)."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def key(triple: ox.Triple) -> str:
        ends = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if len(ends) == 2:
            parent[find(ends[0])] = find(ends[1])
        return ends[0]

    keys = [key(t) for t in triples]
    groups: dict[str, list[ox.Triple]] = {}
    for triple, node in zip(triples, keys, strict=True):
        groups.setdefault(find(node), []).append(triple)
    return list(groups.values())


def push(
    store: ox.Store,
    store_url: str,
    *,
    graph: str | None = None,
    replace: bool = False,
    credentials: Credentials | None = None,
    update_url: str | None = None,
    chunk_size: int | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> PushReport:
    """Upload the default graph of `store` into `graph` (None: the store's default graph).

    `update_url` is the store's SPARQL Update address (default: guessed from `store_url`,
    see `update_address`); without a usable one the upload is one direct request.
    `chunk_size` (triples per request) defaults to one request on Oxigraph up to
    `ONE_REQUEST_MAX` triples, else `DEFAULT_CHUNK`.
    Raises `PushError` (how much was sent, the target unchanged) or `RemoteError`.
    """
    check_url(store_url, "STORE-URL")
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise MixityError(f"--named-graph {graph!r} is not an absolute IRI") from None
    if chunk_size is not None and chunk_size < 1:
        raise MixityError("--chunk must be at least 1")
    total = len(store)
    if total == 0:
        raise MixityError("nothing to push: the graph is empty")
    started = time.perf_counter()
    with client(store_url, timeout, credentials) as http:
        upload = _Upload(http, store_url, graph, total, timeout, progress)
        upload.preflight()
        one_request = ONE_REQUEST_MAX if chunk_size is None else chunk_size
        if total <= one_request and upload.atomic_requests():
            # One request is atomic there: staging would only add a copy of the graph.
            return upload.direct(store, replace, started, None)
        chunk_size = chunk_size or DEFAULT_CHUNK
        updates = update_url or update_address(store_url)
        if updates is not None:
            check_url(updates, "--update-url")
            if upload.can_update(updates, explicit=update_url is not None):
                return upload.staged(store, updates, replace, chunk_size, started)
        why = f"no update endpoint answered at {updates}" if updates else "no update endpoint"
        return upload.direct(store, replace, started, why)


class _Upload:
    """One push: the client, the target, and the counters a failure reports."""

    def __init__(
        self,
        http: httpx.Client,
        store_url: str,
        graph: str | None,
        total: int,
        timeout: float | None,
        progress: Progress | None,
    ) -> None:
        self.http = http
        self.store_url = store_url
        self.graph = graph
        self.total = total
        self.timeout = timeout
        self.progress = progress
        self.sent = self.chunks = self.bytes_sent = 0
        self.server = ""
        self.staging = f"urn:x-mixity:staging:{uuid.uuid4().hex}"

    @property
    def target(self) -> str:
        return f"<{self.graph}>" if self.graph else "the default graph"

    def _send(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        try:
            response = self.http.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise failure(exc, url, timeout=self.timeout) from None
        self.server = self.server or response.headers.get("server", "")
        return response

    def preflight(self) -> None:
        """Reach the store (and learn its authentication scheme) before building anything."""
        response = self._send("GET", self.store_url, params={"graph": self.staging})
        if response.status_code in (401, 403):
            raise refusal(response, self.store_url)

    def can_update(self, updates: str, *, explicit: bool) -> bool:
        """True when `updates` takes SPARQL Update from us (tried with a no-op)."""
        response = self._update(updates, f"DROP SILENT GRAPH <{self.staging}>", quiet=True)
        if response is not None and response.status_code < 300:
            return True
        if explicit:
            assert response is not None
            raise refusal(response, f"--update-url {updates}")
        return False

    def _update(self, updates: str, text: str, *, quiet: bool = False) -> httpx.Response | None:
        try:
            return self._send("POST", updates, data={"update": text})
        except RemoteError:
            if quiet:
                return None
            raise

    def staged(
        self, store: ox.Store, updates: str, replace: bool, size: int, started: float
    ) -> PushReport:
        """Chunks into the staging graph, then one MOVE (replace) or ADD + DROP (add)."""
        for chunk in triple_chunks(store, size):
            body = _ntriples(chunk)
            try:
                response = self._send(
                    "POST",
                    self.store_url,
                    params={"graph": self.staging},
                    content=body,
                    headers={"Content-Type": N_TRIPLES},
                )
            except RemoteError as exc:
                raise self._failed(str(exc), updates) from None
            if response.status_code >= 300:
                raise self._failed(str(refusal(response, self.store_url)), updates)
            self._count(len(chunk), len(body))
        destination = f"<{self.graph}>" if self.graph else "DEFAULT"
        swap = (
            f"MOVE GRAPH <{self.staging}> TO {destination}"
            if replace
            else f"ADD GRAPH <{self.staging}> TO {destination} ; DROP SILENT GRAPH <{self.staging}>"
        )
        try:
            swapped = self._update(updates, swap)
        except RemoteError as exc:
            raise PushError(
                f"every triple was uploaded to the staging graph <{self.staging}>, but the "
                f"final step got no answer ({exc}): check {self.target}, and drop the staging "
                "graph if it remains",
                sent=self.sent,
                total=self.total,
            ) from None
        if swapped is not None and swapped.status_code >= 300:
            raise PushError(
                f"every triple was uploaded to the staging graph <{self.staging}>, but the "
                f"final step failed: {refusal(swapped, updates)}; {self.target} is as it was "
                "if the store applies an update atomically",
                sent=self.sent,
                total=self.total,
            )
        atomic = True if self.atomic_requests() else None
        note = (
            "staged, then swapped in one SPARQL Update (atomic on Oxigraph)"
            if atomic
            else f"staged, then swapped in one SPARQL Update; {self._who()} is not known to "
            "apply it atomically"
        )
        return self._report(replace, "staged", atomic, note, started)

    def atomic_requests(self) -> bool:
        """True when the store is known to apply each request atomically (Oxigraph)."""
        return self.server.lower().startswith("oxigraph")

    def direct(self, store: ox.Store, replace: bool, started: float, why: str | None) -> PushReport:
        """Everything in one request: PUT replaces, POST adds. `why`: why not staged (None:
        the store applies a request atomically)."""
        body = _ntriples(
            q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        )
        params = {"graph": self.graph} if self.graph else {"default": ""}
        response = self._send(
            "PUT" if replace else "POST",
            self.store_url,
            params=params,
            content=body,
            headers={"Content-Type": N_TRIPLES},
        )
        if response.status_code >= 300:
            raise PushError(
                f"the store refused the upload: {refusal(response, self.store_url)}; "
                f"{self.target} is as it was if the store applies a request atomically",
                sent=0,
                total=self.total,
            )
        self._count(self.total, len(body))
        verb = "PUT" if replace else "POST"
        if self.atomic_requests():
            note = f"one {verb} request, atomic on {self._who()}" + (f" ({why})" if why else "")
            return self._report(replace, "direct", True, note, started)
        atomic = False if self.server.lower().startswith("virtuoso") else None
        note = (
            f"one {verb} request ({why}): atomic only if the store applies a request "
            f"atomically ({self._who()} is not known to)"
        )
        return self._report(replace, "direct", atomic, note, started)

    def _count(self, triples: int, size: int) -> None:
        self.sent += triples
        self.chunks += 1
        self.bytes_sent += size
        if self.progress is not None:
            self.progress(self.sent, self.total)

    def _who(self) -> str:
        return self.server.split("/")[0] if self.server else "this store"

    def _failed(self, reason: str, updates: str) -> PushError:
        """The error of a failed upload; the staging graph is dropped if the store is up."""
        dropped = False
        try:
            response = self._update(updates, f"DROP SILENT GRAPH <{self.staging}>", quiet=True)
            dropped = response is not None and response.status_code < 300
        except RemoteError:
            pass
        left = (
            ""
            if dropped
            else f"; the staging graph <{self.staging}> may hold part of the upload: "
            f"DROP GRAPH <{self.staging}> when the store is back"
        )
        return PushError(
            f"push failed after {self.sent:,} of {self.total:,} triples "
            f"({self.chunks} chunks, {self.bytes_sent:,} bytes sent): {reason}; "
            f"{self.target} was not changed{left}",
            sent=self.sent,
            total=self.total,
        )

    def _report(
        self, replace: bool, method: str, atomic: bool | None, note: str, started: float
    ) -> PushReport:
        return PushReport(
            store_url=self.store_url,
            graph=self.graph,
            triples=self.sent,
            chunks=self.chunks,
            bytes_sent=self.bytes_sent,
            seconds=time.perf_counter() - started,
            replace=replace,
            method=method,
            atomic=atomic,
            server=self.server,
            note=note,
        )


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert body is not None  # no output file: the bytes are returned
    return body

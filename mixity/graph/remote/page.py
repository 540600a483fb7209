"""mixity's offline query page, beside the Oxigraph server started by `mixity serve`.

The server's own page (YASGUI) asks prefix.cc for prefixes when it loads, so it is not
offline. This one is one HTML file (`page.html`) with no remote asset (its Content Security
Policy forbids them), served on its own port; it forwards its queries to the server's `/query`
address only (never anywhere else), with mixity's prefixes predeclared.
"""

from __future__ import annotations

import contextlib
import errno
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from mixity.graph.remote.http import RemoteError

_PAGE_MAX_BODY = 1_000_000


class PortInUse(RemoteError):
    """The address asked for is taken by another program."""


def http_host(host: str) -> str:
    """`host` as it goes in a URL (IPv6 in brackets); a wildcard address as loopback."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"[{host}]" if ":" in host else host


def bind_address(host: str, port: int) -> str:
    """host:port as servers take it ([::1]:port for IPv6)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class QueryPage:
    """mixity's offline query page, forwarding its queries to one SPARQL endpoint."""

    def __init__(
        self,
        endpoint: str,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        prefixes: dict[str, str] | None = None,
        saved: list[dict[str, str]] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.prefixes = dict(prefixes or {})
        self.html = _page_html(self.prefixes, saved or [])
        self._client = httpx.Client(timeout=None, trust_env=False)
        handler = type("_Handler", (_PageHandler,), {"page": self})
        try:
            self.httpd = _server_class(host)((host, port or 0), handler)
        except OSError as exc:
            self._client.close()
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"{bind_address(host, port or 0)} is already in use") from None
            raise RemoteError(f"cannot serve the query page on {host}:{port} ({exc})") from None
        self.httpd.daemon_threads = True
        self.host = host
        self.port: int = self.httpd.server_address[1]
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="mixity-query-page", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """The page's address."""
        return f"http://{http_host(self.host)}:{self.port}/"

    def close(self) -> None:
        """Stop serving the page."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self._client.close()

    def forward(self, body: bytes, accept: str) -> httpx.Response:
        """Send the page's query to the endpoint, mixity's prefixes declared."""
        from mixity.graph.remote.substitution import with_prefixes

        fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        sent = [(k, with_prefixes(v, self.prefixes) if k == "query" else v) for k, v in fields]
        return self._client.post(
            self.endpoint,
            content=urlencode(sent).encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )


def _server_class(host: str) -> type[ThreadingHTTPServer]:
    if ":" not in host:
        return ThreadingHTTPServer
    return type("_Server6", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})


def _page_html(prefixes: dict[str, str], saved: list[dict[str, str]]) -> str:
    template = files("mixity.graph.remote").joinpath("page.html").read_text(encoding="utf-8")
    config = json.dumps({"prefixes": prefixes, "saved": saved}, ensure_ascii=False)
    # Inside <script>, "</" and "<!--" must not appear: escape every "<".
    return template.replace("{{CONFIG}}", config.replace("<", "\\u003c"))


_SECURITY = {
    # Nothing but this page itself: no remote script, style, font, image or connection.
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class _PageHandler(BaseHTTPRequestHandler):
    page: QueryPage
    server_version = "mixity"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """The library prints nothing."""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            self._send(200, "text/html; charset=utf-8", self.page.html.encode("utf-8"))
        elif path == "/sparql":
            self._forward(urlsplit(self.path).query.encode("ascii", "replace"))
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/sparql":
            self._send(404, "text/plain; charset=utf-8", b"not found\n")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > _PAGE_MAX_BODY:
            self._send(413, "text/plain; charset=utf-8", b"query too long\n")
            return
        self._forward(self.rfile.read(length))

    def _forward(self, body: bytes) -> None:
        accept = self.headers.get("Accept") or "application/sparql-results+json"
        try:
            answer = self.page.forward(body, accept)
        except httpx.HTTPError as exc:
            self._send(502, "text/plain; charset=utf-8", f"endpoint: {exc}\n".encode())
            return
        kind = answer.headers.get("content-type", "application/octet-stream")
        self._send(answer.status_code, kind, answer.content)

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in _SECURITY.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

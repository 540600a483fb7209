"""HTTP for the remote commands: credentials, clients, and failures as one-line messages.

httpx does the protocol work (keep-alive, Basic and Digest authentication, timeouts). What is
here is policy: a password or token is never part of a message, a repr or a log line; a failure
becomes a `RemoteError` that names the server and what went wrong, never a traceback.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from mixity.errors import MixityError, printable

#: Long enough for a large upload or a slow query on a busy server; `--timeout` overrides it.
DEFAULT_TIMEOUT = 300.0
USER_AGENT = "mixity (https://w3id.org/mixity)"


class RemoteError(MixityError):
    """A server could not be reached, refused a request or sent an answer mixity cannot read."""


@dataclass(frozen=True)
class Credentials:
    """A user and password (Basic or Digest, as the server asks) or a bearer token.

    The secrets are left out of `repr` so that they never reach a log or a traceback.
    """

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, value: str) -> Credentials:
        """`user:password` as given to `--auth`."""
        user, sep, password = value.partition(":")
        if not sep or not user:
            raise MixityError("--auth takes USER:PASSWORD")
        return cls(user=user, password=password)

    @classmethod
    def from_env(cls, variable: str) -> Credentials:
        """A bearer token read from the environment variable `variable`."""
        token = os.environ.get(variable, "")
        if not token.strip():
            raise MixityError(f"the environment variable {variable} is not set or is empty")
        return cls(token=token.strip())

    def auth(self) -> httpx.Auth | None:
        """The httpx authentication for these credentials."""
        if self.token is not None:
            return _BearerAuth(self.token)
        if self.user is not None:
            return _PasswordAuth(self.user, self.password or "")
        return None


class _BearerAuth(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def __repr__(self) -> str:
        return "_BearerAuth(…)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class _PasswordAuth(httpx.Auth):
    """Basic or Digest, whichever the server's first 401 asks for (Virtuoso wants Digest,
    Fuseki and GraphDB Basic); the scheme is then remembered, so later requests (and their
    bodies) are sent once, already authenticated."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def __repr__(self) -> str:
        return "_PasswordAuth(…)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = {
            header.split(" ", 1)[0].lower()
            for header in response.headers.get_list("www-authenticate")
        }
        if "digest" in offered:
            self._scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)  # the unauthenticated request: already sent and answered with this 401
            try:
                retry = flow.send(response)
                while True:
                    answer = yield retry
                    retry = flow.send(answer)
            except StopIteration:
                return
        if "basic" in offered or not offered:
            self._scheme = "basic"
            yield next(self._basic.auth_flow(request))


def client(
    url: str, timeout: float | None = None, credentials: Credentials | None = None
) -> httpx.Client:
    """An httpx client for requests to `url`; `timeout` applies to connecting, each read and
    each write. Proxy settings from the environment apply, except to loopback addresses."""
    return httpx.Client(
        auth=credentials.auth() if credentials else None,
        timeout=httpx.Timeout(timeout or DEFAULT_TIMEOUT),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        trust_env=not is_loopback(url),
    )


def check_url(url: str, what: str) -> str:
    """`url` if it is an absolute http(s) URL; else a `RemoteError` saying so."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RemoteError(f"{what} must be an http:// or https:// URL, not {printable(url)!r}")
    if parts.username or parts.password:
        raise RemoteError(
            f"{what}: put credentials in --auth or --token-env, not in the URL "
            "(a URL is printed in messages)"
        )
    return url


def is_loopback(url: str) -> bool:
    """True for localhost and 127.0.0.0/8 or ::1 addresses."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin(url: str) -> str:
    """scheme://host:port of `url`, for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def failure(exc: httpx.HTTPError, url: str, *, timeout: float | None = None) -> RemoteError:
    """The message for a request that got no HTTP answer (refused, timed out, cut)."""
    where = origin(url)
    text = " ".join(str(exc).split())
    if isinstance(exc, httpx.TimeoutException):
        seconds = f" within {timeout:g} s" if timeout else ""
        return RemoteError(f"{where}: no answer{seconds} (timed out; see --timeout)")
    if isinstance(exc, httpx.ConnectError):
        if "refused" in text.lower():
            return RemoteError(f"{where}: connection refused (is the server running?)")
        if re.search(r"name or service|nodename|getaddrinfo|resolve", text, re.I):
            return RemoteError(f"{where}: unknown host ({text})")
        return RemoteError(f"{where}: cannot connect ({text or type(exc).__name__})")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return RemoteError(f"{where}: the connection was lost ({text or type(exc).__name__})")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return RemoteError(f"{printable(url)}: not an http(s) URL")
    return RemoteError(f"{where}: {text or type(exc).__name__}")


def refusal(response: httpx.Response, what: str) -> RemoteError:
    """The message for an HTTP error status: the status, then the server's own words."""
    status = f"{response.status_code} {response.reason_phrase}".strip()
    sent_credentials = "authorization" in response.request.headers
    hint = {
        401: "; the credentials were refused"
        if sent_credentials
        else "; the server wants credentials: --auth USER:PASSWORD or --token-env VAR",
        403: "; the server refuses this (read-only, or these credentials lack the right)",
        404: "; is this the right address?",
        405: "; this address does not take this kind of request",
    }.get(response.status_code, "")
    detail = body_excerpt(response)
    said = f": {detail}" if detail else ""
    return RemoteError(f"{what} answered {status}{said}{hint}")


def body_excerpt(response: httpx.Response, limit: int = 200) -> str:
    """The start of a response body as one printable line (HTML tags dropped)."""
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError, httpx.ResponseNotRead):
        return ""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"<[^>]{0,500}>", " ", text)
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

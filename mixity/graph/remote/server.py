"""The Oxigraph server over a mixity store (`mixity serve`), and mixity's offline query page.

mixity writes no SPARQL server: it builds (or reuses) a store with pyoxigraph and runs the
Oxigraph server of the same version (PyPI `oxigraph`) on it, read-only:
`oxigraph serve-read-only --location DIR --bind HOST:PORT`. The server answers the SPARQL 1.1
Protocol at `/query` (and `/sparql`); updates and Graph Store writes get 403.

The server's own page (YASGUI) asks prefix.cc for prefixes on load, so it is not offline:
`mixity.graph.remote.page.QueryPage` is mixity's own, started beside it.

Processes: the server is started in its own session (Ctrl-C reaches mixity, which stops it),
asked to die with the thread that started it (Linux `PR_SET_PDEATHSIG`, so even a killed mixity
leaves no orphan), stopped with SIGTERM (Oxigraph has no handler: it ends at once, the store
stays consistent and is reusable right after), and reaped.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from mixity.errors import MixityError
from mixity.graph.remote.http import RemoteError, is_loopback
from mixity.graph.remote.page import PortInUse, QueryPage, bind_address, http_host

#: Oxigraph's own default port.
DEFAULT_PORT = 7878

__all__ = [
    "DEFAULT_PORT",
    "PortInUse",
    "QueryPage",
    "RunningServer",
    "ServedStore",
    "Serving",
    "exposed",
    "free_port",
    "oxigraph_binary",
    "pid_alive",
    "port_is_free",
    "prepare_store",
    "start_server",
    "start_serving",
]


# ---------------------------------------------------------------------------------------------
# The binary


def oxigraph_binary() -> Path:
    """The `oxigraph` program of this environment (PyPI `oxigraph`), at pyoxigraph's version."""
    import pyoxigraph

    name = "oxigraph.exe" if sys.platform == "win32" else "oxigraph"
    candidates = [Path(sysconfig.get_path("scripts")) / name, Path(sys.executable).parent / name]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        which = shutil.which("oxigraph")
        found = Path(which) if which else None
    wanted = pyoxigraph.__version__
    if found is None:
        raise MixityError(
            f"the Oxigraph server is not installed: pip install oxigraph=={wanted} "
            "(it is a dependency of mixity)"
        )
    version = oxigraph_version(found)
    # The store format is shared within a minor version (0.5.x); across, it may not be.
    if version.split(".")[:2] != wanted.split(".")[:2]:
        raise MixityError(
            f"{found} is Oxigraph {version} but mixity builds stores with pyoxigraph {wanted}: "
            f"pip install oxigraph=={wanted}"
        )
    return found


def oxigraph_version(binary: Path) -> str:
    """The version `oxigraph --version` reports."""
    try:
        done = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise MixityError(f"{binary}: cannot run the Oxigraph server ({exc})") from None
    return done.stdout.strip().rsplit(" ", 1)[-1]


# ---------------------------------------------------------------------------------------------
# Ports


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port (and this process may bind it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the system says is free on `host` now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def exposed(host: str) -> bool:
    """True when binding `host` may make the server reachable from other machines."""
    return not is_loopback(f"http://{http_host(host)}") or host in ("0.0.0.0", "::", "")


# ---------------------------------------------------------------------------------------------
# The server process


@dataclass
class RunningServer:
    """An Oxigraph server process started by `start_server`."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    location: Path
    read_only: bool
    log: IO[bytes]

    @property
    def url(self) -> str:
        """http://host:port (a wildcard bind address shown as loopback)."""
        return f"http://{http_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        """The SPARQL 1.1 update endpoint (403 on a read-only server)."""
        return self.url + "/update"

    @property
    def store_url(self) -> str:
        """The Graph Store HTTP Protocol endpoint."""
        return self.url + "/store"

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def running(self) -> bool:
        """True while the server process is alive."""
        return self.process.poll() is None

    def output(self) -> str:
        """What the server wrote to its stderr and stdout."""
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self, grace: float = 5.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `grace` seconds) and reap it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to SIGTERM the child when its parent thread ends."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved here, not in the child
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def hook() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)

    return hook


def start_server(
    location: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    read_only: bool = True,
    union_default_graph: bool = False,
    timeout: int | None = None,
    wait: float = 60.0,
) -> RunningServer:
    """Start the Oxigraph server on the database folder `location` and wait until it answers.

    `port=None` takes a free port. `timeout` (whole seconds) stops each query on the server.
    `read_only=False` runs `oxigraph serve` (writable; the location is then locked).
    Raises `PortInUse` when the port is taken, `RemoteError` when the server stops at start.
    """
    binary = oxigraph_binary()
    chosen = free_port(host) if port is None else port
    command = [str(binary), "serve-read-only" if read_only else "serve"]
    command += ["--location", str(location), "--bind", bind_address(host, chosen)]
    if union_default_graph:
        command.append("--union-default-graph")
    if timeout is not None:
        command += ["--timeout-s", str(int(timeout))]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server; closed by stop)
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            # The hook only calls prctl (resolved beforehand): safe in a forked child.
            preexec_fn=_die_with_parent(),
        )
    except OSError as exc:
        log.close()
        raise RemoteError(f"{binary}: cannot start the Oxigraph server ({exc})") from None
    server = RunningServer(process, host, chosen, Path(location), read_only, log)
    try:
        _wait_until_ready(server, wait)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: RunningServer, wait: float) -> None:
    """Poll the server with ASK {} until it answers 200, it exits, or `wait` seconds pass."""
    deadline = time.monotonic() + wait
    with httpx.Client(timeout=2.0, trust_env=False) as probe:
        while True:
            if not server.running():
                raise _start_failure(server)
            try:
                answer = probe.get(server.query_url, params={"query": "ASK {}"})
                if answer.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RemoteError(f"the Oxigraph server did not answer within {wait:g} s")
            time.sleep(0.02)


def _start_failure(server: RunningServer) -> RemoteError:
    output = server.output()
    # The server's own message is its "Error: …" line; a Rust backtrace may follow.
    said = next(
        (
            line[len("Error:") :].strip()
            for line in output.splitlines()
            if line.startswith("Error:")
        ),
        " ".join(output.split())[-300:] or "no message",
    )
    if "address already in use" in said.lower():
        return PortInUse(f"{bind_address(server.host, server.port)} is already in use")
    if "lock" in said.lower():
        return RemoteError(
            f"{server.location}: the store is in use by another program that writes to it ({said})"
        )
    return RemoteError(f"the Oxigraph server stopped at start: {said}")


# ---------------------------------------------------------------------------------------------
# The store to serve


@dataclass
class ServedStore:
    """A store folder ready for the server: built for this run, or reused as it is."""

    folder: Path
    built: bool
    meta: dict[str, Any] = field(default_factory=dict)
    #: The temporary folder to remove on `release` (a store built for this run only).
    scratch: Path | None = None
    _lock: IO[bytes] | None = None

    @property
    def database(self) -> Path:
        """The Oxigraph database folder inside the store."""
        from mixity.graph.store.oxigraph import DATABASE_DIR

        return self.folder / DATABASE_DIR

    def release(self) -> None:
        """Drop the shared lock, and remove the store if it was built for this run only."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def prepare_store(
    paths: tuple[str | Path, ...] = (),
    *,
    store_dir: str | Path | None = None,
    bundled: bool = True,
    infer: str | None = None,
    rebuild: bool = False,
    progress: Callable[[str, int, float], None] | None = None,
) -> ServedStore:
    """The store to serve: an existing `store_dir` as it is, or one built with `build_store`.

    A store is built when there is no `store_dir` (in a temporary folder, removed by
    `release`), when `store_dir` does not exist yet or is empty, or when `rebuild` is true
    (files or options were given); `progress` is `build_store`'s. A store folder being served
    by another `mixity serve` is never rebuilt under it (each serve holds a shared lock on the
    store's metadata file).
    """
    import fcntl

    from mixity.graph.store.oxigraph import META_FILE, build_store, store_info

    scratch = Path(tempfile.mkdtemp(prefix="mixity-serve-")) if store_dir is None else None
    folder = scratch / "store" if scratch is not None else Path(store_dir or ".")
    build = scratch is not None or rebuild or not folder.exists() or _empty_folder(folder)
    try:
        if not build and infer is not None:
            built_with = str(store_info(folder).get("infer", "rdfs"))
            if built_with != infer:
                raise MixityError(
                    f"{folder} was built with --infer {built_with}; drop --infer, or pass "
                    "the files with -g to build it again"
                )
        if build:
            if (folder / META_FILE).is_file():
                _refuse_if_served(folder / META_FILE)
            build_store(paths, folder, bundled=bundled, infer=infer or "rdfs", progress=progress)
        meta = store_info(folder)
        lock = (folder / META_FILE).open("rb")
        fcntl.flock(lock, fcntl.LOCK_SH)
    except BaseException:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    return ServedStore(folder, build, meta, scratch, lock)


def _empty_folder(folder: Path) -> bool:
    return folder.is_dir() and next(folder.iterdir(), None) is None


def _refuse_if_served(meta_file: Path) -> None:
    import fcntl

    with meta_file.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise MixityError(
                    f"{meta_file.parent} is being served by another `mixity serve`: stop it "
                    "first, serve it as it is (no -g), or choose another --store-dir"
                ) from None
            raise
        fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------------------------
# Serving: store + server + page, stopped together


@dataclass
class Serving:
    """What `mixity serve` runs: the store, the Oxigraph server on it, and the query page."""

    store: ServedStore
    server: RunningServer
    page: QueryPage | None

    def stop(self) -> None:
        """Stop the page and the server, then release (or remove) the store."""
        if self.page is not None:
            self.page.close()
        self.server.stop()
        self.store.release()


def start_serving(
    store: ServedStore,
    *,
    host: str = "127.0.0.1",
    port: int | None = DEFAULT_PORT,
    page_port: int | None = None,
    timeout: int | None = None,
    prefixes: dict[str, str] | None = None,
    saved: list[dict[str, str]] | None = None,
) -> Serving:
    """Start the server and the query page over `store`; `Serving.stop` stops everything.

    `port` None takes a free port. `page_port` None takes the port after the server's when
    it is free, else any free port. On failure nothing is left running (the store is kept:
    release it, or retry on another port).
    """
    server = start_server(store.database, host=host, port=port, timeout=timeout)
    try:
        wanted = page_port
        if wanted is None and server.port < 65535 and port_is_free(host, server.port + 1):
            wanted = server.port + 1
        page = QueryPage(server.query_url, host=host, port=wanted, prefixes=prefixes, saved=saved)
    except BaseException:
        server.stop()
        raise
    return Serving(store, server, page)


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

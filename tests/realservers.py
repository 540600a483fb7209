"""Real SPARQL servers for the tests and the benchmark: Oxigraph (PyPI) and Virtuoso (Debian).

Each is started on free loopback ports in a temporary folder, waited for, and stopped (SIGTERM,
then reaped). Nothing here is mocked: these are the servers users run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from mixity.graph.remote.server import RunningServer, free_port, start_server
from mixity.graph.sparql.catalogue import SavedQuery

VIRTUOSO = "/usr/bin/virtuoso-t"
#: Where Debian's package puts the server's web root (the SPARQL pages live under it).
VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"
VIRTUOSO_USER = ("dba", "dba")
VIRTUOSO_WHY = (
    f"{VIRTUOSO} is missing: install Debian's virtuoso-opensource "
    "(scripts/test does: apt-get install virtuoso-opensource)"
)


#: Values for saved queries' required parameters: by query where the answer should not be
#: empty, else by the parameter's type.
EXAMPLES_BY_QUERY = {"evidence-for": {"resource": "mixité sociale"}}
EXAMPLES_BY_KIND = {
    "resource": "bailleurs",
    "iri": "https://w3id.org/mixity/id/actor/bailleurs",
    "string": "fr",
    "integer": "1",
}


def example_params(saved: SavedQuery) -> dict[str, str]:
    """A value for each required parameter of `saved` (a saved query added later included)."""
    given = EXAMPLES_BY_QUERY.get(saved.name, {})
    return {
        p.name: given.get(p.name, EXAMPLES_BY_KIND[p.kind])
        for p in saved.params
        if p.required or p.name in given
    }


@contextmanager
def oxigraph(location: Path | None = None, *, read_only: bool = False) -> Iterator[RunningServer]:
    """A writable (`oxigraph serve`) Oxigraph server on a free loopback port."""
    folder = Path(tempfile.mkdtemp(prefix="mixity-test-oxigraph-"))
    server = start_server(location or folder / "db", read_only=read_only, port=None)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Virtuoso:
    """A Virtuoso server started by `virtuoso()`."""

    process: subprocess.Popen[bytes]
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sparql(self) -> str:
        """The public (anonymous, read) SPARQL endpoint."""
        return self.url + "/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store endpoint with (Digest) authentication."""
        return self.url + "/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text("utf-8", "replace") if path.exists() else ""


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


@contextmanager
def virtuoso(*, max_rows: int = 100_000, buffers: int = 170_000) -> Iterator[Virtuoso]:
    """A fresh Virtuoso database on free loopback ports; fails (never skips) when absent."""
    if not Path(VIRTUOSO).exists():
        raise RuntimeError(VIRTUOSO_WHY)
    folder = Path(tempfile.mkdtemp(prefix="mixity-test-virtuoso-"))
    http_port = free_port()
    ini = VIRTUOSO_INI.format(
        folder=folder,
        sql_port=free_port(),
        http_port=http_port,
        vsp=VIRTUOSO_VSP,
        max_rows=max_rows,
        buffers=buffers,
        dirty=buffers * 3 // 4,
    )
    (folder / "virtuoso.ini").write_text(ini, "utf-8")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Virtuoso(process, http_port, folder)
    try:
        _wait_for(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(server: Virtuoso, wait: float = 60.0) -> None:
    deadline = time.monotonic() + wait
    with httpx.Client(timeout=5.0, trust_env=False) as probe:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"Virtuoso stopped at start:\n{server.log()[-2000:]}")
            try:
                if probe.get(server.sparql, params={"query": "ASK {}"}).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"Virtuoso did not answer within {wait:g} s:\n{server.log()[-2000:]}")


def pid_alive(pid: int) -> bool:
    """True while a process with this id exists (and is not a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        # A zombie has exited; only its parent has not collected it yet.
        return stat.read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    return True

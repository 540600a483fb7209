"""Timeouts that stop the work: a timed query runs in a child process, killed at its deadline.

Neither engine can be interrupted from outside: Oxigraph evaluates in native code and pyoxigraph
(0.5) offers no cancellation, and rdflib's evaluator could only be stopped by injecting an
exception into its thread. A thread that was given up on would keep a core busy until its
query ended, perhaps never; a process is killed (SIGKILL) and reaped, so the work stops.

- A graph in memory (both engines): `os.fork()`. The child inherits the loaded graph
  copy-on-write (nothing is reloaded or sent), runs the query, writes its answer to a pipe and
  leaves with `os._exit`, so it never runs the parent's atexit handlers nor flushes its buffers.
- A store on disk (`store_dir`, RocksDB): a fresh interpreter reopens it read-only, in
  milliseconds. A process holding RocksDB open is never forked: like LevelDB, it is not
  fork-safe (the child could inherit a lock held by one of its background threads).

What crosses between the processes is `marshal` data of plain tuples, strings and numbers
(terms as tagged tuples): no pickle, nothing executed on reading. A `MixityError` raised in the
child (a `QueryError` with its position…) is raised again in the parent, same class, same
attributes. Without a timeout, queries run in the caller's process and none of this happens.
"""

from __future__ import annotations

import contextlib
import marshal
import math
import os
import select
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

import pyoxigraph as ox

from mixity import errors
from mixity.errors import InvalidParameter, MixityError, QueryError, QueryTimeout
from mixity.graph.sparql.backends import Backend, Oxigraph, answer
from mixity.graph.sparql.formats import Row, Term
from mixity.graph.sparql.results import QueryResult

#: The longest timeout, in seconds (what `threading` and `select` can wait for).
MAX_TIMEOUT: float = threading.TIMEOUT_MAX

#: Python 3.12+ warns on fork() in a process with threads (see `_fork`).
_FORK_WARNING = r".*use of fork\(\) may lead to deadlocks"
_HEADER = 8
_WAIT_MS = 3_600_000  # poll() wakes up at least hourly on a very long timeout
_DIRECTIONS = {"ltr": ox.BaseDirection.LTR, "rtl": ox.BaseDirection.RTL}
_SERVE = "import sys; sys.path.append({root!r}); from {module} import serve; serve()"


def check_timeout(timeout: float | None) -> None:
    """Refuse a timeout that is not a number of seconds (0, negative, NaN, infinite)."""
    # NaN fails every comparison, so it is refused here too.
    if timeout is not None and not 0 < timeout <= MAX_TIMEOUT:
        raise InvalidParameter(
            "timeout", f"must be more than 0 and at most {MAX_TIMEOUT:.0f} seconds"
        )


def run_timed(
    backend: Backend,
    text: str,
    bindings: Mapping[str, Term],
    limit: int | None,
    origin: str,
    labels: str | None,
    timeout: float,
    base: str | None = None,
) -> QueryResult:
    """`backends.answer(…)` in a child process, killed after `timeout` seconds (`QueryTimeout`)."""
    check_timeout(timeout)
    if isinstance(backend, Oxigraph) and backend.folder is not None:
        request = (
            str(backend.folder),
            backend.prefixes,
            text,
            {name: _term_out(term) for name, term in bindings.items()},
            limit,
            origin,
            labels,
            base,
        )
        return _in_fresh_process(request, timeout, backend.prefixes, origin)
    if not hasattr(os, "fork"):
        raise InvalidParameter(
            "timeout",
            "needs os.fork() for a graph in memory; on this system, query a store on disk "
            "({store_dir}) to use a timeout",
            others=("store_dir",),
        )
    return _in_forked_child(
        lambda: answer(backend, text, bindings, limit, origin, labels, base),
        timeout,
        backend.prefixes,
        origin,
    )


def _timed_out(timeout: float, origin: str) -> QueryTimeout:
    return QueryTimeout(
        f"timed out after {timeout:g} s: narrow the query (LIMIT, more specific patterns) "
        "or allow more time",
        origin=origin,
    )


def _no_process(exc: OSError, origin: str) -> QueryError:
    reason = exc.strerror or str(exc)
    return QueryError(f"cannot start the process of a timed query ({reason})", origin=origin)


# ---------------------------------------------------------------------------------------------
# A graph in memory: a forked child


def _in_forked_child(
    work: Callable[[], QueryResult], timeout: float, prefixes: dict[str, str], origin: str
) -> QueryResult:
    deadline = time.monotonic() + timeout
    read_end, write_end = os.pipe()
    try:
        pid = _fork()
    except BaseException as exc:
        os.close(read_end)
        os.close(write_end)
        if isinstance(exc, OSError):  # no memory or too many processes
            raise _no_process(exc, origin) from None
        raise
    if pid == 0:
        _child(work, origin, read_end, write_end)
    os.close(write_end)
    reply: bytes | None = None
    try:
        reply = _receive(read_end, deadline)
    finally:
        os.close(read_end)
        # Killed whatever happened (its answer is in, the deadline passed, or the caller was
        # interrupted), then reaped: no child outlives the call.
        status = _kill_and_reap(pid)
    if reply is None:
        raise _timed_out(timeout, origin)
    if not reply:
        raise QueryError(f"query failed: its process ended {_how(status)}", origin=origin)
    return _decode_reply(reply, prefixes, origin)


def _fork() -> int:
    # Buffered output would otherwise be written twice, once by each process.
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    # Python 3.12+ warns when a process with threads forks (a notebook's kernel has some,
    # RocksDB leaves some): the child could inherit a lock another thread held. This child
    # only reads the graph that the forking thread owns and writes to its own pipe; it never
    # calls into RocksDB (a store on disk is reopened by a fresh process instead, see
    # `run_timed`), and a child stuck anyway is killed at the deadline like any other.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_FORK_WARNING, category=DeprecationWarning)
        return os.fork()


def _child(work: Callable[[], QueryResult], origin: str, read_end: int, write_end: int) -> NoReturn:
    """The forked child: answer, write, and leave without running any of the parent's code."""
    code = 70
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child at once
        os.close(read_end)
        data = _reply(work, origin)
        view = memoryview(len(data).to_bytes(_HEADER, "big") + data)
        while view:
            view = view[os.write(write_end, view) :]
        code = 0
    finally:
        os._exit(code)


def _receive(fd: int, deadline: float) -> bytes | None:
    """The child's reply; b"" if it ended without one; None if the deadline passed first."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    buffer = bytearray()
    needed: int | None = None
    while needed is None or len(buffer) < needed:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        if not poller.poll(min(math.ceil(left * 1000), _WAIT_MS)):
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b""
        buffer += chunk
        if needed is None and len(buffer) >= _HEADER:
            needed = _HEADER + int.from_bytes(buffer[:_HEADER], "big")
    return bytes(buffer[_HEADER:needed])


def _kill_and_reap(pid: int) -> int | None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped already (SIGCHLD ignored by the application)
        return None


def _how(status: int | None) -> str:
    if status is not None and os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return f"without an answer (signal {name}; out of memory?)"
    if status is not None and os.WIFEXITED(status):
        return f"without an answer (exit code {os.WEXITSTATUS(status)})"
    return "without an answer"


# ---------------------------------------------------------------------------------------------
# A store on disk: a fresh process


def _in_fresh_process(
    request: tuple[Any, ...], timeout: float, prefixes: dict[str, str], origin: str
) -> QueryResult:
    import subprocess  # only here: not on the start-up path of every query

    root = str(Path(__file__).resolve().parents[3])
    code = _SERVE.format(root=root, module=__name__)
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise _no_process(exc, origin) from None
    deadline = time.monotonic() + timeout
    data: bytes | None = marshal.dumps(request)
    try:
        while True:
            # Waited for in slices: select() refuses a timeout of years.
            left = min(deadline - time.monotonic(), _WAIT_MS / 1000)
            try:
                out, err = process.communicate(data, timeout=max(left, 0))
                break
            except subprocess.TimeoutExpired:
                data = None  # sent already; communicate() carries on with what it has read
                if time.monotonic() >= deadline:
                    raise _timed_out(timeout, origin) from None
    finally:
        if process.returncode is None:
            process.kill()
            process.communicate()  # reaps it and closes the pipes
    if not out:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise QueryError(
            f"query failed: its process ended without an answer ({last[0] or process.returncode})",
            origin=origin,
        )
    return _decode_reply(out, prefixes, origin)


def serve() -> None:
    """The fresh process of a timed query on a store on disk: request on stdin, reply on stdout."""
    request = marshal.loads(sys.stdin.buffer.read())
    folder, prefixes, text, bindings, limit, origin, labels, base = request

    def work() -> QueryResult:
        from mixity.graph.store.oxigraph import open_store

        backend = Oxigraph(open_store(folder), prefixes, read_only=True, folder=Path(folder))
        decoder = _Decoder()
        bound = {name: decoder.bound(value) for name, value in bindings.items()}
        return answer(backend, text, bound, limit, origin, labels, base)

    sys.stdout.buffer.write(_reply(work, origin))
    sys.stdout.buffer.flush()


# ---------------------------------------------------------------------------------------------
# What crosses: marshal data of tuples


def _reply(work: Callable[[], QueryResult], origin: str) -> bytes:
    """The outcome of `work` as marshal data: ("ok", result), ("error", …) or ("bug", text)."""
    try:
        return marshal.dumps(("ok", _result_out(work())))
    except MixityError as exc:
        return marshal.dumps(("error", *_error_out(exc)))
    except MemoryError:
        return marshal.dumps(
            ("error", *_error_out(QueryError("query failed: out of memory", origin=origin)))
        )
    except Exception:
        import traceback

        return marshal.dumps(("bug", traceback.format_exc()))


def _decode_reply(data: bytes, prefixes: dict[str, str], origin: str) -> QueryResult:
    try:
        reply = marshal.loads(data)
        tag = reply[0]
    except (EOFError, ValueError, TypeError, IndexError):
        raise QueryError(
            "query failed: its process sent an unreadable answer", origin=origin
        ) from None
    if tag == "error":
        raise _error_in(*reply[1:])
    if tag == "bug":
        raise RuntimeError(f"the query's process failed:\n{reply[1]}")
    return _result_in(reply[1], prefixes)


def _result_out(result: QueryResult) -> tuple[Any, ...]:
    if result.kind == "select":
        rows = tuple(tuple(map(_term_out, row)) for row in result.rows)
        return ("select", result.variables, rows, result.truncated)
    if result.kind == "ask":
        return ("ask", bool(result.boolean))
    if result.kind == "graph":
        return ("graph", tuple(map(_term_out, result.triples)), result.truncated)
    raise ValueError(f"a {result.kind} result never comes from a child process")


def _result_in(data: tuple[Any, ...], prefixes: dict[str, str]) -> QueryResult:
    decoder = _Decoder()
    if data[0] == "select":
        rows: tuple[Row, ...] = tuple(tuple(map(decoder.term, row)) for row in data[2])
        return QueryResult("select", tuple(data[1]), rows, prefixes=prefixes, truncated=data[3])
    if data[0] == "ask":
        return QueryResult("ask", boolean=data[1], prefixes=prefixes)
    triples = tuple(decoder.triple(t) for t in data[1])
    return QueryResult("graph", triples=triples, prefixes=prefixes, truncated=data[2])


def _term_out(term: Term | None) -> Any:
    """A term as a tagged tuple of strings (None, unbound, stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return (0, term.value)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.Literal):
        direction = None if term.direction is None else str(term.direction)
        return (2, term.value, term.datatype.value, term.language, direction)
    return (3, _term_out(term.subject), _term_out(term.predicate), _term_out(term.object))


class _Decoder:
    """Terms back from tagged tuples; a term that recurs is built once."""

    def __init__(self) -> None:
        self._seen: dict[Any, Term] = {}

    def term(self, data: Any) -> Term | None:
        if data is None:
            return None
        found = self._seen.get(data)
        if found is None:
            found = self._seen[data] = self._build(data)
        return found

    def bound(self, data: Any) -> Term:
        found = self.term(data)
        assert found is not None
        return found

    def triple(self, data: Any) -> ox.Triple:
        found = self.term(data)
        assert isinstance(found, ox.Triple)
        return found

    def _build(self, data: tuple[Any, ...]) -> Term:
        tag = data[0]
        if tag == 0:
            return ox.NamedNode(data[1])
        if tag == 1:
            return ox.BlankNode(data[1])
        if tag == 2:
            _, value, datatype, language, direction = data
            if language:
                return ox.Literal(value, language=language, direction=_DIRECTIONS.get(direction))
            return ox.Literal(value, datatype=ox.NamedNode(datatype))
        subject, predicate, obj = (self.term(part) for part in data[1:])
        return ox.Triple(subject, predicate, obj)  # type: ignore[arg-type]


def _error_out(exc: MixityError) -> tuple[str, str, str, dict[str, Any]]:
    """A mixity error as (module, class name, message, the attributes marshal can carry)."""
    attributes: dict[str, Any] = {}
    for name, value in vars(exc).items():
        try:
            marshal.dumps(value)
        except ValueError:
            continue
        attributes[name] = value
    return type(exc).__module__, type(exc).__qualname__, exc.message, attributes


def _error_in(module: str, name: str, message: str, attributes: dict[str, Any]) -> MixityError:
    """The same error again: its class from `mixity.errors`, its attributes, its message."""
    cls: type[MixityError] = MixityError
    found = getattr(errors, name, None) if module == errors.__name__ else None
    if isinstance(found, type) and issubclass(found, MixityError):
        cls = found
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(attributes)
    error.message = message
    return error

"""Write output files atomically, and show data on a terminal inertly."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from mixity.errors import OutputError

#: What a terminal must not receive from data: C0/C1 controls (ANSI escapes, 8-bit CSI) and the
#: bidirectional overrides that make a line read differently from its bytes.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """Text from the data as one inert line: controls and bidi overrides become spaces."""
    if "\n" in text or "\r" in text:
        return " ".join(_UNSAFE.sub(" ", text).split())
    return _UNSAFE.sub(" ", text)


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place."""
    atomic_write_many({Path(path): data})


def atomic_write_many(outputs: Mapping[Path, str | bytes]) -> None:
    """Write several files all or nothing: every temporary file first, then the renames."""
    staged: list[tuple[Path, str]] = []
    devices: dict[Path, bytes] = {}
    try:
        for target, data in outputs.items():
            payload = data.encode("utf-8") if isinstance(data, str) else data
            folder = target.parent if str(target.parent) else Path(".")
            if not folder.is_dir():
                raise OutputError(f"{target}: folder {folder} does not exist")
            if target.is_dir():
                raise OutputError(f"{target}: is a folder")
            if target.exists() and not target.is_file():
                # /dev/null, /dev/stdout, a pipe: written in place, since a rename would
                # replace the device itself (as root, /dev/null would become a plain file).
                devices[target] = payload
                continue
            real = target.resolve()  # a symlink stays a symlink: its file is replaced
            try:
                import tempfile  # costs ~10 ms of start-up: only when a file is written

                fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
            except OSError as exc:
                raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
            staged.append((real, tmp))
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, _mode_for(real))
            except OSError as exc:
                raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
        for real, tmp in staged:
            os.replace(tmp, real)
    except OSError as exc:
        raise OutputError(f"{exc.filename or 'output'}: cannot write ({exc.strerror})") from None
    finally:
        for _, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
    for target, payload in devices.items():
        try:
            with open(target, "wb") as handle:
                handle.write(payload)
        except OSError as exc:
            raise OutputError(f"{target}: cannot write ({exc.strerror})") from None


def _mode_for(target: Path) -> int:
    """The mode the written file gets: the replaced file's own, else what `open` would give.

    `mkstemp` creates files 0600; a file the user made 0600 (or 0664) keeps its mode.
    """
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def refuse_inputs(target: str | Path | None, inputs: Iterable[str | Path | None]) -> None:
    """Refuse an output that is an input, or an RDF file in an input folder (new or not: the
    next run would read it as RDF): an input is never overwritten."""
    if target is None:
        return
    from mixity.graph.io.files import FORMATS

    out = Path(target).resolve()
    for raw in inputs:
        if raw is None:
            continue
        path = Path(raw)
        if path.is_dir():
            clash = out.suffix.lower() in FORMATS and out.is_relative_to(path.resolve())
        else:
            clash = out.is_file() and path.exists() and os.path.samefile(path, out)
        if clash:
            raise OutputError(
                f"{target}: is an input of this command ({raw}); mixity never overwrites "
                "its inputs: choose another output file"
            )

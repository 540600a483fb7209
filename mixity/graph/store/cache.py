"""The start-up cache: the bundled graph, parsed and RDFS-closed once, reloaded in milliseconds.

Every `mixity query` used to parse the bundled Turtle and materialise its RDFS closure,
although both change only with the package. The result is kept as one N-Triples file in the
user's cache folder, which Oxigraph loads without re-validating IRIs (the payload is
checksummed and was written from a validated store): about a third of the work of parsing
the Turtle and computing the closure again. A persistent Oxigraph store opened read-only was
measured slower to open (RocksDB) and could not take `-g` files or `--allow-update`; the
in-memory store loaded from the file can.

Where: ``$MIXITY_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/mixity``, else
``~/.cache/mixity``. ``MIXITY_CACHE_DIR=off`` (or ``0``, ``no``, ``false``, ``none``)
disables the cache: the graph is then built in memory on every run.

What is in an entry (``graph-<version>-<location>.nt``, one per installed copy of mixity)::

    # mixity-cache 1 <CRC-32 of everything after this line>
    # key <SHA-256 of the cache format, the mixity and pyoxigraph versions, the RDFS rules,
          and the name and SHA-256 of each bundled file>
    # files <the same versions, and each bundled file's size, mtime and inode>
    # checked <when `files` was taken, ns>
    # asserted <bytes of asserted triples at the start of the payload>
    # prefix <name> <iri>     (one line per prefix the bundled files declare)
    # end
    <asserted triples, N-Triples><the triples RDFS entailment adds, N-Triples>

``--infer none`` loads the asserted part, ``--infer rdfs`` the whole payload. An entry is used
only if its checksum verifies and its key is the key of the installed files. As Python does for
its own bytecode, the files' sizes and times stand for their contents: when `files` matches
and no file changed within 2 s of `checked`, the key is not recomputed (hashing needs
OpenSSL, a few milliseconds of start-up); otherwise the files are hashed, and the entry is
rebuilt if the key differs. An entry is written to a temporary file in the same folder and
renamed into place; a corrupt one is ignored and rebuilt; a folder that cannot be written
leaves the graph in memory. Adding `-g` files to the cached closure and closing again gives
the closure of the whole, as RDFS entailment is monotone and idempotent.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from mixity import __version__

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

#: Bumped when the layout of an entry changes.
CACHE_FORMAT = 1
#: Values of MIXITY_CACHE_DIR that turn the cache off.
DISABLED = ("off", "0", "no", "false", "none")

_MAGIC = f"# mixity-cache {CACHE_FORMAT} ".encode("ascii")
_NT = ox.RdfFormat.N_TRIPLES
#: A file changed this close to the time its signature was taken is hashed, not trusted.
_RACY_NS = 2_000_000_000
#: Other entries written longer ago than this are removed when a new one is written.
_STALE_SECONDS = 7 * 24 * 3600

Bundled = list[tuple[str, "Traversable"]]


def cache_dir() -> Path | None:
    """The folder of cache entries, or None when the cache is disabled (see the docstring)."""
    value = os.environ.get("MIXITY_CACHE_DIR", "").strip()
    if value:
        return None if value.lower() in DISABLED else Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec says relative values are to be ignored
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder: nowhere to cache
            return None
    return Path(base) / "mixity"


def bundled_store(infer: str = "rdfs") -> tuple[ox.Store, dict[str, str]]:
    """An in-memory store of the bundled graph (RDFS-closed unless `infer` is "none").

    Returns the store and the prefixes the bundled files declare. Loaded from the cache when
    a valid entry exists; otherwise built from the bundled files and written to the cache if
    the folder can be written (left out silently if not).
    """
    folder = cache_dir()
    if folder is None:  # as before the cache: nothing serialised
        store, prefixes = parse_bundled()
        if infer == "rdfs":
            from mixity.graph.store.entailment import materialize_rdfs_store

            materialize_rdfs_store(store)
        return store, prefixes
    files = _bundled_files()
    path = entry_path(folder, files)
    entry, renewed = valid_entry(path, files)
    loaded = None if entry is None else entry.store(infer)
    if entry is not None and loaded is not None:
        if renewed:  # the files were hashed: record their signature for next time
            write_entry(path, entry)
        return loaded, entry.prefixes
    # Signed before the files are read: a file changed meanwhile no longer matches the
    # signature, and is hashed again next time.
    checked = time.time_ns()
    files_signature, _ = signature(files)
    key = cache_key((name, item.read_bytes()) for name, item in files)
    store, built = build_entry(infer)
    built.key, built.files, built.checked = key, files_signature, checked
    write_entry(path, built)
    return store, built.prefixes


def cached_prefixes() -> dict[str, str] | None:
    """The prefixes the bundled files declare, from a valid cache entry, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    files = _bundled_files()
    entry, _ = valid_entry(entry_path(folder, files), files)
    return None if entry is None else entry.prefixes


def _bundled_files() -> Bundled:
    from mixity.graph.io.files import bundled_files

    return bundled_files()


def entry_path(folder: Path, files: Bundled) -> Path:
    """The entry for this copy of mixity: two checkouts of one version do not share one."""
    where = zlib.crc32("\n".join(str(entry) for _, entry in files).encode("utf-8"))
    version = re.sub(r"[^\w.+-]", "_", __version__)
    return folder / f"graph-{version}-{where:08x}.nt"


def cache_key(files: Iterable[tuple[str, bytes]], version: str = __version__) -> str:
    """The key of the entry for these bundled files (name, bytes) under mixity `version`."""
    import hashlib  # only when the files' signature changed (hashlib loads OpenSSL)

    from mixity.graph.store.entailment import RDFS_UPDATES

    digest = hashlib.sha256()
    for part in (f"mixity-cache {CACHE_FORMAT}", version, ox.__version__, *RDFS_UPDATES):
        digest.update(part.encode("utf-8") + b"\0")
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def signature(files: Bundled, version: str = __version__) -> tuple[str, int]:
    """What stands for the files' contents (versions, sizes, times, inodes), and the latest
    time one of them changed (ns); ("", 0) when a file is not on disk (a zip: always hashed).
    """
    from mixity.graph.store.entailment import RDFS_UPDATES

    rules = zlib.crc32("\0".join(RDFS_UPDATES).encode("utf-8"))
    parts = [f"{CACHE_FORMAT}|{version}|{ox.__version__}|{rules:08x}"]
    latest = 0
    for name, entry in files:
        if not isinstance(entry, os.PathLike):
            return "", 0
        try:
            found = os.stat(entry)
        except OSError:
            return "", 0
        parts.append(f"{name}:{found.st_size}:{found.st_mtime_ns}:{found.st_ino}")
        latest = max(latest, found.st_mtime_ns, found.st_ctime_ns)
    return ";".join(parts), latest


def valid_entry(path: Path, files: Bundled) -> tuple[Entry | None, bool]:
    """The entry at `path` if it is intact and its key is that of `files`, else None; and
    whether its signature was renewed (the files were hashed): it is then worth writing.
    """
    checked = time.time_ns()
    files_signature, latest = signature(files)
    entry = read_entry(path)
    if entry is None:
        return None, False
    if files_signature and entry.files == files_signature and latest < entry.checked - _RACY_NS:
        return entry, False
    if entry.key != cache_key((name, item.read_bytes()) for name, item in files):
        return None, False
    if not files_signature:  # not on disk: hashed every time, nothing to record
        return entry, False
    entry.files, entry.checked = files_signature, checked
    return entry, True


class Entry:
    """The bundled graph as N-Triples, asserted triples first, with its key and prefixes."""

    def __init__(
        self,
        payload: bytes,
        asserted: int,
        prefixes: dict[str, str],
        *,
        key: str,
        files: str = "",
        checked: int = 0,
    ) -> None:
        self.payload = payload
        self.asserted = asserted  # bytes of `payload` that hold the asserted triples
        self.prefixes = prefixes
        self.key = key
        self.files = files
        self.checked = checked

    def store(self, infer: str) -> ox.Store | None:
        """A new store of the entry's triples for `infer`, or None if they do not parse."""
        store = ox.Store()
        data = self.payload[: self.asserted] if infer == "none" else self.payload
        try:
            # Lenient: Oxigraph wrote these bytes and their checksum was verified;
            # re-validating every IRI would double the load time.
            store.load(data, _NT, lenient=True)
        except (SyntaxError, ValueError, OSError):
            return None
        return store

    def to_bytes(self) -> bytes:
        """The entry as written to disk, checksum line first."""
        head = [
            f"# key {self.key}",
            f"# files {self.files}",
            f"# checked {self.checked}",
            f"# asserted {self.asserted}",
            *(f"# prefix {name} {iri}" for name, iri in self.prefixes.items()),
            "# end",
            "",
        ]
        body = "\n".join(head).encode("utf-8") + self.payload
        return _MAGIC + f"{zlib.crc32(body):08x}".encode("ascii") + b"\n" + body

    @classmethod
    def from_bytes(cls, data: bytes) -> Entry | None:
        """The entry in `data`, or None if its checksum or its header is wrong."""
        first, _, body = data.partition(b"\n")
        if first != _MAGIC + f"{zlib.crc32(body):08x}".encode("ascii"):
            return None
        fields: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        offset = 0
        try:
            while True:
                end = body.index(b"\n", offset)
                line = body[offset:end].decode("utf-8")
                offset = end + 1
                if line == "# end":
                    break
                name, _, value = line.removeprefix("# ").partition(" ")
                if name == "prefix":
                    prefix, _, iri = value.partition(" ")
                    prefixes[prefix] = iri
                else:
                    fields[name] = value
            payload = body[offset:]
            asserted = int(fields["asserted"])
            if not 0 <= asserted <= len(payload):
                return None
            return cls(
                payload,
                asserted,
                prefixes,
                key=fields["key"],
                files=fields["files"],
                checked=int(fields["checked"]),
            )
        except (ValueError, KeyError, UnicodeDecodeError):
            return None


def read_entry(path: Path) -> Entry | None:
    """The intact entry at `path`, or None (missing, unreadable or corrupt)."""
    try:
        found = os.stat(path)
        seen = (os.fspath(path), found.st_size, found.st_mtime_ns, found.st_ino)
        if seen in _READ:
            return _READ[seen]
        data = path.read_bytes()
    except OSError:
        return None
    _READ.clear()
    _READ[seen] = Entry.from_bytes(data)
    return _READ[seen]


#: The last entry read, by path and file status: `mixity query` asks for the prefixes before
#: it asks for the store, and reading and checking the entry twice would cost 2 ms more.
_READ: dict[tuple[str, int, int, int], Entry | None] = {}


def build_entry(infer: str) -> tuple[ox.Store, Entry]:
    """Build the bundled graph from its Turtle files: the store for `infer`, and an entry
    (with no key: the caller sets `key`, `files` and `checked`)."""
    from mixity.graph.store.entailment import materialize_rdfs_store

    store, prefixes = parse_bundled()
    asserted = _dump(store)
    plain: ox.Store | None = None
    if infer == "none":
        # Loaded from the dump, as a later run loads it from the cache: same blank nodes.
        plain = ox.Store()
        plain.load(asserted, _NT)
    materialize_rdfs_store(store)
    known = set(asserted.splitlines(keepends=True))
    inferred = b"".join(t for t in _dump(store).splitlines(keepends=True) if t not in known)
    entry = Entry(asserted + inferred, len(asserted), prefixes, key="")
    return (store if plain is None else plain), entry


def parse_bundled() -> tuple[ox.Store, dict[str, str]]:
    """A new store of the bundled Turtle files, and the prefixes they declare (first wins)."""
    from mixity.graph.store.oxigraph import load_sources

    store = ox.Store()
    prefixes: dict[str, str] = {}
    for source in load_sources(store, [], bundled=True):
        for name, iri in source.prefixes.items():
            prefixes.setdefault(name, iri)
    return store, prefixes


def _dump(store: ox.Store) -> bytes:
    return store.dump(format=_NT, from_graph=ox.DefaultGraph()) or b""


def write_entry(path: Path, entry: Entry) -> bool:
    """Write `entry` at `path` atomically; False (and nothing left behind) if it cannot be."""
    import tempfile

    temp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=path.parent)
        # No fsync: an entry cut short by a crash fails its checksum and is rebuilt.
        with os.fdopen(handle, "wb") as out:
            out.write(entry.to_bytes())
        os.replace(temp, path)
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return False
    _prune(path)
    return True


def _prune(keep: Path) -> None:
    """Remove the other entries (and temporary files) written more than a week ago."""
    cutoff = time.time() - _STALE_SECONDS
    try:
        for path in keep.parent.iterdir():
            old = path != keep and path.name.startswith(("graph-", ".graph-"))
            if old and path.stat().st_mtime < cutoff:
                path.unlink()
    except OSError:
        pass

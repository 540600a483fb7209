"""Rewrite renamed mixity IRIs in the given files (or the files of the given folders).

    python scripts/rename_iris.py [--mapping scripts/iri-renames.tsv] [--check] PATH...

The mapping is a tab-separated file of `old IRI<TAB>new IRI` lines (`#` starts a comment);
CHANGELOG.md lists the renames of each version. Only exact strings are replaced:

- the full old IRI, when the next character cannot continue an IRI (so that `…/atelier-1` is
  not rewritten inside `…/atelier-10`);
- in Python files, the part after `https://w3id.org/mixity/id/` as a whole quoted string
  (`ID + "workshop/atelier-1"`), the way tests build IRIs from the namespace.

Prefixed names in Turtle (`workshop:atelier-1`) are not touched: declare the prefix with the new
namespace instead. Each file is read, rewritten and replaced at once; `--check` only lists the
files that would change and exits 1 if there are any. Text files only (UTF-8).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

ID = "https://w3id.org/mixity/id/"
SUFFIXES = frozenset(
    (".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".rq", ".csv", ".tsv", ".json", ".py")
)
SUFFIXES |= {".md", ".txt", ".html", ".js"}
#: Characters that may continue an IRI (after them, a longer IRI, not this one).
_CONTINUES = r"[^\s<>\"'{}|\\^`,;)\]]"


def read_mapping(path: Path) -> dict[str, str]:
    """`old IRI -> new IRI` from a tab-separated file."""
    mapping: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not all(p.startswith(ID) for p in parts):
            raise SystemExit(f"{path}:{number}: expected 'old IRI<TAB>new IRI'")
        mapping[parts[0]] = parts[1]
    return mapping


def rewrite(text: str, mapping: dict[str, str], *, python: bool = False) -> str:
    """`text` with every old IRI of `mapping` replaced by its new IRI (exact strings only)."""
    if not mapping:
        return text
    olds = sorted(mapping, key=len, reverse=True)  # the longest first: no prefix of another
    full = re.compile("(" + "|".join(re.escape(o) for o in olds) + f")(?!{_CONTINUES})")
    text = full.sub(lambda m: mapping[m.group(1)], text)
    if python:
        relative = {old[len(ID) :]: new[len(ID) :] for old, new in mapping.items()}
        quoted = re.compile(
            "([\"'])("
            + "|".join(re.escape(r) for r in sorted(relative, key=len, reverse=True))
            + r")\1"
        )
        text = quoted.sub(lambda m: m.group(1) + relative[m.group(2)] + m.group(1), text)
    return text


def files_under(paths: list[Path]) -> list[Path]:
    """The files named, and the text files of the folders named (hidden entries skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
                found += [
                    Path(root) / n
                    for n in sorted(names)
                    if not n.startswith(".") and Path(n).suffix in SUFFIXES
                ]
        elif path.is_file():
            found.append(path)
        else:
            raise SystemExit(f"{path}: no such file or directory")
    return found


def _replace(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path` and move it over `path` (one step)."""
    mode = path.stat().st_mode
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.chmod(name, mode & 0o7777)
    os.replace(name, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--mapping", type=Path, default=Path(__file__).with_name("iri-renames.tsv"))
    parser.add_argument("--check", action="store_true", help="list what would change, exit 1")
    args = parser.parse_args(argv)
    mapping = read_mapping(args.mapping)
    changed = []
    for path in files_under(args.paths):
        if path.resolve() == args.mapping.resolve():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text, mapping, python=path.suffix == ".py")
        if new != text:
            changed.append(path)
            if not args.check:
                _replace(path, new)
    for path in changed:
        print(path)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The catalogue of saved queries: `mixity/queries/NAME.rq`, each with a fr/en header.

A header is a block of comment lines at the top of the file::

    # title@en: Levers and the actors they involve
    # title@fr: Leviers et acteurs impliqués
    # description@en: …
    # param top (resource mix:Notion, default mixite-sociale): the notion to start from
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from mixity.errors import MixityError, UnknownName
from mixity.graph.io.files import package_root
from mixity.graph.sparql.lexer import query_form


# Records as named tuples, not dataclasses: each dataclass costs `mixity query` 1.5 ms to create.
class Param(NamedTuple):
    """A parameter of a saved query, declared in its header."""

    name: str
    #: resource (label or IRI, resolved in the graph), iri, string or integer
    kind: str = "resource"
    #: for resources: the class a match must belong to (prefixed name)
    cls: str | None = None
    default: str | None = None
    required: bool = False
    help: str = ""


class SavedQuery(NamedTuple):
    """A named, documented query shipped in `mixity/queries/NAME.rq`."""

    name: str
    text: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    params: tuple[Param, ...] = ()

    def title(self, lang: str = "en") -> str:
        """The title in `lang`, else in the other language."""
        return _pick(self.titles, lang) or self.name

    def description(self, lang: str = "en") -> str:
        """The description in `lang`, else in the other language."""
        return _pick(self.descriptions, lang)

    @property
    def form(self) -> str | None:
        """SELECT, CONSTRUCT, DESCRIBE or ASK."""
        return query_form(self.text)


def _pick(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or texts.get("fr") or ""


_HEADER = re.compile(r"^#\s*(title|description)@(\w+)\s*:\s*(.*)$")
_PARAM = re.compile(r"^#\s*param\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:\s*(.*)$")


def parse_saved(name: str, text: str) -> SavedQuery:
    """Read the header comment block of a `.rq` file (its form: docs/reference/saved-queries.md)."""
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    params: list[Param] = []
    last: tuple[dict[str, str], str] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if header := _HEADER.match(line):
            target = titles if header.group(1) == "title" else descriptions
            target[header.group(2)] = header.group(3).strip()
            last = (target, header.group(2))
        elif param := _PARAM.match(line):
            params.append(_parse_param(name, param.group(1), param.group(2), param.group(3)))
            last = None
        elif last is not None and line[1:].strip():
            # A continuation line of a description.
            target, lang = last
            target[lang] += " " + line[1:].strip()
        else:
            last = None
    return SavedQuery(name, text, titles, descriptions, tuple(params))


def _parse_param(query: str, name: str, spec: str, help_text: str) -> Param:
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    kind_words = (parts[0] if parts else "resource").split()
    kind = kind_words[0]
    if kind not in ("resource", "iri", "string", "integer"):
        raise MixityError(f"saved query {query}: parameter {name} has unknown type {kind!r}")
    cls = kind_words[1] if len(kind_words) > 1 else None
    default = None
    required = False
    for part in parts[1:]:
        if part == "required":
            required = True
        elif part.startswith("default "):
            default = part[len("default ") :].strip()
    return Param(name, kind, cls, default, required, help_text.strip())


def saved_queries() -> list[SavedQuery]:
    """Every saved query shipped in the package, sorted by name."""
    folder = package_root().joinpath("queries")
    found = [
        parse_saved(entry.name[: -len(".rq")], entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    ]
    return sorted(found, key=lambda q: q.name)


def saved_query(name: str) -> SavedQuery:
    """The saved query called `name`, or `UnknownName` with the closest names."""
    entry = package_root().joinpath("queries", f"{name}.rq")
    if re.fullmatch(r"[A-Za-z0-9][\w-]*", name) and entry.is_file():
        return parse_saved(name, entry.read_text(encoding="utf-8"))
    import difflib  # the error path only

    names = [q.name for q in saved_queries()]
    close = difflib.get_close_matches(name.lower(), names, n=3, cutoff=0.5)
    close += [n for n in names if name.lower() in n and n not in close][: 3 - len(close)]
    raise UnknownName("saved query", name, close or None)

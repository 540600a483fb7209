"""The one resolver: the resource a user means by a label, a `prefix:name` or an IRI.

Every command that takes a resource (`render --focus`, `path`, `analyze --focus`,
`export --focus`, a saved query's `--param`) and the library's functions resolve it here, and the
page's search folds text the same way (`fold`, mirrored in `templates/render.js` and checked
against this one in the browser tests).

A name is tried as an IRI (`<…>`, `http…`, `urn:…`, or `prefix:name` with any prefix of
`mixity.namespaces` or of the loaded files), then as a label or the IRI's last segment, ignoring
case, accents and punctuation, in either language: first a whole label, then whole words of a
label ("Atelier n°1" finds « Atelier n°1 : Immeubles mixtes… »), then any part of one. A
name that fits several resources lists them (`AmbiguousName`); one that fits none lists the
closest (`UnknownName`).

No rdflib here: the query path resolves parameters with it. `NameIndex` is built from
(resource, name) pairs, by `mixity.graph.model.labels.name_index` for an rdflib graph, and by
the query engine from a SPARQL answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping

from mixity.errors import AmbiguousName, InvalidParameter, UnknownName
from mixity.namespaces import PREFIXES

_PUNCTUATION = re.compile(r"[^\w]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae", "ß": "ss"})
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:([^\s<>\"{}|^`\\]*)")


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, one space between words: how names are matched.

    « Œuvre d'art » and "oeuvre  d’art" both fold to "oeuvre d art".
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    # every non-spacing mark goes (accents, and vowel signs of combining class 0), as on the page
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").casefold()
    return " ".join(_PUNCTUATION.sub(" ", bare.translate(_LIGATURES)).split())


def local_name(iri: str) -> str:
    """The part of an IRI after its last '#' or '/'."""
    tail = iri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[1]
    return tail or iri


def safe_local(local: str) -> bool:
    """True for a local part of a prefixed name that every SPARQL and Turtle parser reads back
    unescaped: a letter, digit or `_` first, then also `.`, `-` or `·`, not ending with a `.`.

    Written out rather than as a regular expression: its character ranges cost 3 ms to
    compile, a tenth of what `mixity query` adds to Python's own start-up.
    """
    if not local:
        return False
    first, last = local[0], local[-1]
    if not (
        (first.isascii() and (first.isalnum() or first == "_"))
        or "\u00c0" <= first <= "\u02ff"
        or "\u0370" <= first <= "\u1fff"
    ):
        return False
    if len(local) == 1:
        return True
    return (last.isalnum() or last in "_-") and all(
        ch.isalnum() or ch in "_.-\u00b7" or "\u00c0" <= ch <= "\u1fff" for ch in local[1:-1]
    )


def compact(iri: str, prefixes: Mapping[str, str] | None = None) -> str:
    """`prefix:local` with the longest matching namespace (mixity's by default), else `<iri>`."""
    best_prefix, best = "", ""
    for prefix, base in (PREFIXES if prefixes is None else prefixes).items():
        if base and iri.startswith(base) and len(base) > len(best):
            best_prefix, best = prefix, base
    if best:
        rest = iri[len(best) :]
        if rest == "" or safe_local(rest):
            return f"{best_prefix}:{rest}"
    return f"<{iri}>"


def as_iri(text: str, prefixes: Mapping[str, str]) -> str | None:
    """The IRI `text` spells (`<…>`, an absolute IRI, `prefix:name`, `_:id`), or None."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">") and len(text) > 2:
        return text[1:-1]
    if re.match(r"^(https?|urn|file|ftp|mailto|tag):\S+$", text) or text.startswith("_:"):
        return text
    found = _PREFIXED.fullmatch(text)
    if found and (found.group(1) or "") in prefixes:
        return prefixes[found.group(1) or ""] + found.group(2)
    return None


class NameIndex:
    """Resources by their folded names; `resolve` finds the one a user means.

    Args:
        names: (resource, name) pairs: labels in any language, alternative labels, titles.
            Each resource is also known by the last segment of its IRI.
        prefixes: prefix -> namespace, for `prefix:name` (mixity's own are always known).
        known: whether an IRI that has no name is in the graph all the same.
    """

    def __init__(
        self,
        names: Iterable[tuple[str, str]],
        prefixes: Mapping[str, str] | None = None,
        known: Callable[[str], bool] | None = None,
    ) -> None:
        self.prefixes = {**PREFIXES, **(prefixes or {})}
        self._known = known
        self._by_name: defaultdict[str, set[str]] = defaultdict(set)
        self.shown: dict[str, str] = {}
        for resource, name in names:
            key = fold(name)
            if key:
                self._by_name[key].add(resource)
                self.shown.setdefault(resource, name)
        for resource in list(self.shown):
            slug = fold(local_name(resource))
            if slug:
                self._by_name[slug].add(resource)

    def __contains__(self, resource: str) -> bool:
        return resource in self.shown or (self._known is not None and self._known(resource))

    def display(self, resource: str) -> str:
        """« label » prefix:name, to list a resource in a message."""
        short = compact(resource, self.prefixes)
        name = self.shown.get(resource)
        return f"« {name} » {short}" if name else short

    def resolve(
        self,
        text: str,
        *,
        parameter: str = "resource",
        prefer: Collection[str] = (),
        among: Collection[str] | None = None,
    ) -> str:
        """The resource `text` names.

        Args:
            parameter: the parameter's name, for messages (`focus`, `source`…).
            prefer: when a name fits several resources, these win (e.g. those in a view).
            among: only these resources may be found (e.g. instances of a class).
        """
        wanted = text.strip()
        if not wanted:
            raise InvalidParameter(parameter, "is empty; give a label, prefix:name or an IRI")
        iri = as_iri(wanted, self.prefixes)
        if iri is not None and iri in self and (among is None or iri in among):
            return iri
        key = fold(wanted)
        pool = None if among is None else set(among)
        # A whole name, then the first words of one, then whole words, then any part of one.
        tiers: list[set[str]] = [set(), set(), set(), set()]
        for name, resources in self._by_name.items():
            if pool is not None:
                resources = resources & pool
            if not resources or not key:
                continue
            if name == key:
                tiers[0] |= resources
            elif f"{name} ".startswith(f"{key} "):
                tiers[1] |= resources
            elif f" {key} " in f" {name} ":
                tiers[2] |= resources
            elif key in name:
                tiers[3] |= resources
        for found in tiers:
            found = (found & set(prefer)) or found
            if len(found) == 1:
                return next(iter(found))
            if found:
                listed = [self.display(r) for r in sorted(found, key=self._order)]
                raise AmbiguousName("resource", wanted, listed)
        raise UnknownName("resource", wanted, self._suggest(key, pool))

    def _order(self, resource: str) -> tuple[str, str]:
        return (fold(self.shown.get(resource, "")), resource)

    def _suggest(self, key: str, pool: set[str] | None) -> list[str]:
        names = [n for n, rs in self._by_name.items() if pool is None or rs & pool]
        import difflib  # the error path only

        close = difflib.get_close_matches(key, names, n=5, cutoff=0.6) if key else []
        suggestions: list[str] = []
        for name in close:
            for resource in sorted(self._by_name[name] & (pool or self._by_name[name])):
                shown = self.display(resource)
                if shown not in suggestions:
                    suggestions.append(shown)
        return suggestions[:5]

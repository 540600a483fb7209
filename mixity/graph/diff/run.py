"""`compare`: load two graphs as `mixity diff OLD NEW` names them, diff them, and write the
result in one of `FORMATS`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mixity.errors import UnsupportedFormat
from mixity.graph.diff.compare import BUNDLED, GraphDiff, diff_triples, load_side
from mixity.graph.io.loader import without_gc
from mixity.graph.io.parse import ParsedFile
from mixity.namespaces import PREFIXES

#: The output formats of a diff.
FORMATS = ("text", "turtle", "json", "sparql")


@dataclass
class Comparison:
    """Two graphs as read, what they are called in the output, and their diff."""

    old: ParsedFile
    new: ParsedFile
    old_name: str
    new_name: str
    diff: GraphDiff

    def prefixes(self) -> dict[str, str]:
        """mixity's prefixes, then those the files declare (for prefixed names in output)."""
        found = dict(PREFIXES)
        taken = set(found.values())
        for loaded in (self.old, self.new):
            for prefix, namespace in loaded.prefixes.items():
                if prefix and prefix not in found and namespace not in taken:
                    found[prefix] = namespace
                    taken.add(namespace)
        return found

    def render(self, fmt: str, *, lang: str = "fr") -> str:
        """The diff as text, turtle (TriG: removed and added graphs), json or sparql."""
        from mixity.graph.diff.patch import sparql_patch
        from mixity.graph.diff.show import Side, to_json, to_text, to_trig

        old, new = Side(self.old_name, self.diff.old_size), Side(self.new_name, self.diff.new_size)
        if fmt == "text":
            return to_text(self.diff, old, new, self.prefixes(), lang)
        if fmt == "json":
            return to_json(self.diff, old, new, self.prefixes(), lang)
        if fmt == "turtle":
            return to_trig(self.diff, self.prefixes())
        if fmt == "sparql":
            return sparql_patch(self.diff, self.prefixes())
        raise UnsupportedFormat(f"unknown diff format {fmt!r}; use one of {', '.join(FORMATS)}")


def compare(old: str | Path, new: str | Path) -> Comparison:
    """Load OLD and NEW (each `BUNDLED`, an RDF file or a folder) and diff them."""
    with without_gc():
        old_graph, new_graph = load_side(old), load_side(new)
        diff = diff_triples(old_graph.triples, new_graph.triples)
    return Comparison(old_graph, new_graph, _name(old), _name(new), diff)


def _name(spec: str | Path) -> str:
    return "the bundled graph" if str(spec) == BUNDLED else str(spec)

"""The README stays true: its opening commands and its tour of the graph."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF

from mixity.graph.io.loader import LoadedGraph
from mixity.namespaces import PREFIXES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    assert "mixity validate" in blocks[0]
    assert blocks[1].strip() == "scripts/test"
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nscripts/test\n" in ci


def test_tour_counts_match_the_bundled_graph(bundled: LoadedGraph) -> None:
    tour = README.split("<!-- tour:start -->")[1].split("<!-- tour:end -->")[0]
    rows = re.findall(r"^\| `(\w+):(\w+)` \| (\d+) \|", tour, flags=re.M)
    assert len(rows) >= 10
    for prefix, name, count in rows:
        cls = URIRef(PREFIXES[prefix] + name)
        actual = len(set(bundled.graph.subjects(RDF.type, cls)))
        assert actual == int(count), f"README says {count} {prefix}:{name}, the graph has {actual}"

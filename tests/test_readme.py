"""The README stays true and short: its opening commands, its links and picture, the tour of the
graph it points to (now in the tutorial), and the changelog's shape. Its five-command tour is run
with every runnable example of the documentation (tests/test_docs_site.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from rdflib import URIRef
from rdflib.namespace import RDF

from mixity.graph.io.loader import LoadedGraph
from mixity.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOUR = ROOT / "docs" / "tutorial" / "query.md"
#: Markdown links and images: [text](target) and ![alt](target).
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    assert "mixity validate" in blocks[0]
    assert blocks[1].strip() == "scripts/test"
    assert README.index("```sh") < README.index("**mixity** is")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nscripts/test\n" in ci


def test_readme_is_two_screens_at_most() -> None:
    assert len(README.splitlines()) <= 200


def test_readme_links_resolve() -> None:
    targets = LINK.findall(README)
    local = [t for t in targets if not urlsplit(t).scheme]
    assert len(local) >= 20, targets
    for target in local:
        path = ROOT / unquote(urlsplit(target).path)
        assert path.exists(), f"README links to {target}, which does not exist"
    for wanted in ("CONTRIBUTING.md", "CHANGELOG.md"):
        assert wanted in local
    for section in ("tutorial", "how-to", "reference", "explanation"):
        assert any(t.startswith(f"docs/{section}/") for t in local), section


def test_readme_shows_a_small_picture_of_a_rendered_view() -> None:
    images = re.findall(r"!\[[^\]]+\]\(([^)\s]+\.png)\)", README)
    assert images, "no picture"
    picture = ROOT / images[0]
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) < 200 * 1024, f"{picture} is {len(data)} bytes"


def test_tour_counts_match_the_bundled_graph(bundled: LoadedGraph) -> None:
    text = TOUR.read_text(encoding="utf-8")
    tour = text.split("<!-- tour:start -->")[1].split("<!-- tour:end -->")[0]
    rows = re.findall(r"^\| `(\w+):(\w+)` \| (\d+) \|", tour, flags=re.M)
    assert len(rows) >= 10
    for prefix, name, count in rows:
        cls = URIRef(PREFIXES[prefix] + name)
        actual = len(set(bundled.graph.subjects(RDF.type, cls)))
        assert actual == int(count), f"{TOUR} says {count} {prefix}:{name}, the graph: {actual}"


def test_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (.+)$", text, flags=re.M)
    assert versions[0] == "[Unreleased]"
    for heading in versions[1:]:
        assert re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", heading), heading
    for kind in re.findall(r"^### (.+)$", text, flags=re.M):
        assert kind in ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"), kind
    assert "Keep a Changelog" in text

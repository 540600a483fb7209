"""The one resolver and the one text normaliser (`mixity.graph.model.resolve`)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from mixity.errors import AmbiguousName, InvalidParameter, UnknownName
from mixity.graph.io.loader import LoadedGraph, load
from mixity.graph.model.labels import name_index
from mixity.graph.model.resolve import NameIndex, as_iri, compact, fold, safe_local
from mixity.namespaces import ID, MIX


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Mixité sociale", "mixite sociale"),
        ("  MIXITÉ   sociale ", "mixite sociale"),
        (unicodedata.normalize("NFD", "Mixité"), "mixite"),
        ("« Œuvre »", "oeuvre"),
        ("œuvre", "oeuvre"),
        ("Ægir", "aegir"),
        ("Straße", "strasse"),
        ("mixité d’usage", "mixite d usage"),
        ("mixité d'usage", "mixite d usage"),
        ("Atelier n°1 : Immeubles mixtes", "atelier n 1 immeubles mixtes"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_as_iri_reads_every_way_of_writing_an_iri() -> None:
    prefixes = {"notion": ID + "notion/", "ex": "https://example.org/x/"}
    assert as_iri("notion:mixite", prefixes) == ID + "notion/mixite"
    assert as_iri("ex:a-b", prefixes) == "https://example.org/x/a-b"
    assert as_iri(f"<{ID}notion/mixite>", prefixes) == ID + "notion/mixite"
    assert as_iri(f"{ID}notion/mixite", prefixes) == ID + "notion/mixite"
    assert as_iri("urn:x:y", prefixes) == "urn:x:y"
    assert as_iri("unknown:thing", prefixes) is None
    assert as_iri("Atelier n°1 : Immeubles", prefixes) is None


def test_compact_uses_the_longest_namespace() -> None:
    prefixes = {"id": ID, "notion": ID + "notion/"}
    assert compact(ID + "notion/mixite", prefixes) == "notion:mixite"
    assert compact("https://elsewhere.org/x y", prefixes) == "<https://elsewhere.org/x y>"


INDEX = NameIndex(
    [
        ("urn:a", "Atelier n°1 : Immeubles mixtes"),
        ("urn:a", "Workshop 1: Mixed buildings"),
        ("urn:s", "Synthèse de l'atelier n°1"),
        ("urn:m", "Mixité sociale"),
        ("urn:u", "Mixité d'usage"),
        ("urn:r", "Mixité résidentielle"),
    ],
    {"x": "urn:"},
)


def test_safe_local_agrees_with_the_grammar_on_every_character() -> None:
    # PN_LOCAL as every SPARQL and Turtle parser reads it unescaped, as a regular expression
    grammar = re.compile(
        r"[A-Za-z0-9_\u00C0-\u02FF\u0370-\u1FFF](?:[\w.\-\u00B7\u00C0-\u1FFF]*[\w\-])?"
    )
    for code in range(0x10000):
        ch = chr(code)
        for local in (ch, f"a{ch}", f"{ch}a", f"a{ch}a", f"a.{ch}"):
            assert safe_local(local) == bool(grammar.fullmatch(local)), (hex(code), local)
    assert not safe_local("")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mixité sociale", "urn:m"),  # a whole label
        ("MIXITE SOCIALE", "urn:m"),
        ("mixite d’usage", "urn:u"),
        ("Atelier n°1", "urn:a"),  # the first words of a label win over words inside one
        ("workshop 1", "urn:a"),  # either language
        ("residentielle", "urn:r"),  # a whole word
        ("x:s", "urn:s"),  # prefix:name
        ("<urn:s>", "urn:s"),
        ("urn:u", "urn:u"),
    ],
)
def test_names_resolve(text: str, found: str) -> None:
    assert INDEX.resolve(text) == found


def test_an_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(AmbiguousName) as caught:
        INDEX.resolve("mixité")
    message = str(caught.value)
    assert "names 3 resources" in message
    for label in ("Mixité sociale", "Mixité d'usage", "Mixité résidentielle"):
        assert label in message


def test_prefer_and_among_settle_an_ambiguity() -> None:
    assert INDEX.resolve("mixité", prefer={"urn:u"}) == "urn:u"
    assert INDEX.resolve("mixité", among={"urn:r", "urn:a"}) == "urn:r"


def test_an_unknown_name_suggests_close_ones() -> None:
    with pytest.raises(UnknownName) as caught:
        INDEX.resolve("mixite socilae")
    assert caught.value.suggestions and "Mixité sociale" in caught.value.suggestions[0]


def test_an_empty_name_is_refused_with_the_parameter_name() -> None:
    with pytest.raises(InvalidParameter) as caught:
        INDEX.resolve("  ", parameter="focus")
    assert str(caught.value).startswith("focus:")


@pytest.fixture(scope="module")
def bundled() -> LoadedGraph:
    return load()


@pytest.mark.parametrize(
    "text",
    [
        "Mixité sociale",
        "mixite sociale",
        "notion:mixite-sociale",
        f"{ID}notion/mixite-sociale",
        f"<{ID}notion/mixite-sociale>",
        "social mixity",
    ],
)
def test_the_bundled_graph_resolves_a_notion_every_way(bundled: LoadedGraph, text: str) -> None:
    assert name_index(bundled.graph).resolve(text) == ID + "notion/mixite-sociale"


def test_the_data_prefixes_of_the_bundled_files_are_known(bundled: LoadedGraph) -> None:
    index = name_index(bundled.graph)
    assert index.resolve("notion:mixite") == ID + "notion/mixite"
    assert index.resolve("person:christine-lelevrier") == ID + "person/christine-lelevrier"
    workshop = ID + "meeting/rencontre-gusp-2019-11-06/workshop/atelier-1"
    assert index.resolve("Atelier n°1") == workshop
    assert index.resolve("mix:Lever") == MIX + "Lever"


def test_an_extension_prefix_is_known(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "ext.ttl").write_text(
        "@prefix ex: <https://example.org/debats/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ex:seminaire-2021-10-12 rdfs:label "Séminaire du 12 octobre 2021"@fr .\n',
        encoding="utf-8",
    )
    index = name_index(load([folder / "ext.ttl"]).graph)
    expected = "https://example.org/debats/seminaire-2021-10-12"
    assert index.resolve("ex:seminaire-2021-10-12") == expected
    assert index.resolve("seminaire du 12 octobre") == expected

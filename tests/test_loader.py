"""The safe loader: every file a user can hand to mixity loads or fails with a positioned error."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from mixity.errors import (
    MixityError,
    ParseError,
    SourceNotFound,
    TurtleSyntaxError,
    UnsafeInput,
    UnsupportedFormat,
)
from mixity.graph.io.loader import LoadedGraph, load, parse_file

EX = "urn:x:"


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_bundled_graph_loads_with_provenance(bundled: LoadedGraph) -> None:
    assert len(bundled.graph) > 500
    names = [f.path for f in bundled.files]
    assert "mixity/ontology/mixity.ttl" in names
    assert all(f.bundled and f.triples > 0 for f in bundled.files)
    assert sum(f.triples for f in bundled.files) >= len(bundled.graph)
    meeting = next(
        iter(bundled.graph.subjects(None, URIRef("https://w3id.org/mixity/ontology#Meeting")))
    )
    assert bundled.origin(meeting) is not None
    assert bundled.origin(meeting).startswith("mixity/data/")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.ttl", f'<{EX}a> <{EX}b> "Mixité sociale"@fr .\n'),
        ("a.nt", f'<{EX}a> <{EX}b> "Mixité sociale"@fr .\n'),
        ("a.trig", f'<{EX}g> {{ <{EX}a> <{EX}b> "Mixité sociale"@fr . }}\n'),
        ("a.nq", f'<{EX}a> <{EX}b> "Mixité sociale"@fr <{EX}g> .\n'),
        (
            "a.jsonld",
            json.dumps(
                {"@id": f"{EX}a", f"{EX}b": {"@value": "Mixité sociale", "@language": "fr"}}
            ),
        ),
        (
            "a.rdf",
            '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            f' xmlns:x="{EX}"><rdf:Description rdf:about="{EX}a">'
            '<x:b xml:lang="fr">Mixité sociale</x:b></rdf:Description></rdf:RDF>\n',
        ),
    ],
)
def test_every_format_loads_by_extension(tmp_path: Path, name: str, text: str) -> None:
    loaded = load([write(tmp_path / name, text)], bundled=False)
    assert (
        URIRef(f"{EX}a"),
        URIRef(f"{EX}b"),
        Literal("Mixité sociale", lang="fr"),
    ) in loaded.graph
    assert loaded.files[0].path.endswith(name)


def test_folder_is_read_recursively_skipping_hidden(tmp_path: Path) -> None:
    write(tmp_path / "one.ttl", f"<{EX}a> <{EX}b> <{EX}c> .\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "two.nt", f"<{EX}d> <{EX}b> <{EX}c> .\n")
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / ".hidden" / "bad.ttl", "this is not turtle")
    write(tmp_path / "notes.txt", "ignored")
    loaded = load([tmp_path], bundled=False)
    assert len(loaded.graph) == 2
    assert [Path(f.path).name for f in loaded.files] == ["one.ttl", "two.nt"]


def expect(error: type[MixityError], path: Path, fragment: str) -> MixityError:
    before = path.read_bytes() if path.is_file() else None
    started = time.monotonic()
    with pytest.raises(error) as caught:
        load([path], bundled=False)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert fragment in message, message
    assert "\n" not in message
    if before is not None:
        assert path.read_bytes() == before
    return caught.value


def test_turtle_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "ext.ttl", "@prefix ex: <urn:x:> .\n\nex:a ex:b ex:c .\nex:d ex:e\n")
    error = expect(TurtleSyntaxError, path, "ext.ttl:4:10: unexpected end of file")
    assert isinstance(error, ParseError)
    assert (error.line, error.column) == (4, 10)


def test_ntriples_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.nt", f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> nope .\n")
    expect(TurtleSyntaxError, path, "x.nt:2:")


def test_rdfxml_error_has_position(tmp_path: Path) -> None:
    path = write(tmp_path / "x.rdf", '<?xml version="1.0"?>\n<rdf:RDF>\n  <oops\n</rdf:RDF>\n')
    expect(ParseError, path, "x.rdf:")


def test_entity_bomb_is_refused_fast(tmp_path: Path) -> None:
    levels = "\n".join(
        f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    )
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY l0 "ha">\n'
        f"{levels}\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="urn:x:">'
        '<rdf:Description rdf:about="urn:x:a"><x:b>&l9;</x:b></rdf:Description></rdf:RDF>\n'
    )
    expect(UnsafeInput, write(tmp_path / "bomb.rdf", bomb), "bomb.rdf:4:1: entity 'l1'")


def test_external_entity_is_refused(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    expect(UnsafeInput, write(tmp_path / "ext.rdf", text), "external entity 'x'")


def test_plain_namespace_entities_still_load(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x "urn:x:">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="urn:x:">'
        '<rdf:Description rdf:about="&x;a"><x:b>c</x:b></rdf:Description></rdf:RDF>\n'
    )
    loaded = load([write(tmp_path / "protege.owl", text)], bundled=False)
    assert (URIRef("urn:x:a"), URIRef("urn:x:b"), Literal("c")) in loaded.graph


def test_remote_jsonld_context_is_refused(tmp_path: Path) -> None:
    doc = {"@context": ["https://schema.org/"], "@id": "urn:x:a", "name": "x"}
    expect(UnsafeInput, write(tmp_path / "r.jsonld", json.dumps(doc)), "https://schema.org/")


def test_invalid_json_has_position(tmp_path: Path) -> None:
    expect(
        ParseError, write(tmp_path / "r.jsonld", '{\n  "@id": ,\n}'), "r.jsonld:2:10: invalid JSON"
    )


def test_deep_nesting_is_read_or_refused_never_a_crash(tmp_path: Path) -> None:
    # Oxigraph's Turtle parser keeps no native stack: 20,000 levels load, and the same file
    # with an object missing is a positioned syntax error.
    deep = "@prefix ex: <urn:x:> .\nex:a ex:b " + "[ ex:c " * 20000 + "ex:d" + " ]" * 20000 + " .\n"
    assert len(load([write(tmp_path / "deep.ttl", deep)], bundled=False).graph) == 20001
    broken = "@prefix ex: <urn:x:> .\nex:a ex:b " + "[ ex:c " * 20000 + "]" * 20000 + " .\n"
    expect(TurtleSyntaxError, write(tmp_path / "broken.ttl", broken), "broken.ttl:2:140011: ")
    # Oxigraph's RDF/XML parser is quadratic in depth: deep elements are refused first.
    xml = (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:x="urn:x:"><rdf:Description rdf:about="urn:x:a">'
        + "<x:b><rdf:Description>" * 5000
        + "</rdf:Description></x:b>" * 5000
        + "</rdf:Description></rdf:RDF>\n"
    )
    expect(ParseError, write(tmp_path / "deep.rdf", xml), "nesting too deep")


def test_invalid_utf8_points_at_the_byte(tmp_path: Path) -> None:
    path = write(
        tmp_path / "latin1.ttl",
        '@prefix ex: <urn:x:> .\nex:a ex:b "Mixit\xe9" .\n'.encode("latin-1"),
    )
    expect(ParseError, path, "latin1.ttl:2:17: invalid UTF-8 byte 0xe9")


def test_binary_and_json_named_ttl(tmp_path: Path) -> None:
    expect(ParseError, write(tmp_path / "bin.ttl", b"\x89PNG\r\n\x1a\n\x00\x00"), "binary file")
    expect(TurtleSyntaxError, write(tmp_path / "data.ttl", '{"a": [1, 2]}\n'), "data.ttl:1:")
    expect(TurtleSyntaxError, write(tmp_path / "nul.ttl", b"<urn:x:a> \x00 .\n"), "nul.ttl:1:11: ")


def test_raw_control_characters_inside_a_literal_are_legal(tmp_path: Path) -> None:
    # The grammars allow any character but the quote, backslash and line ends in a literal.
    for name in ("c.ttl", "c.nt"):
        path = write(tmp_path / name, f'<{EX}a> <{EX}b> "nul\x00 bell\x07 esc\x1b" .\n')
        loaded = load([path], bundled=False)
        assert Literal("nul\x00 bell\x07 esc\x1b") in set(loaded.graph.objects())


def test_a_file_is_valid_for_every_command_or_for_none(tmp_path: Path) -> None:
    """The issue's example: the loader refuses what the query store refuses, in its words."""
    from mixity.graph.store.oxigraph import memory_store

    cases = {
        "subject.ttl": '"hello" <urn:x:p> <urn:x:o> .\n',
        "iri.ttl": "<urn:x:a> <urn:x:b> <http://e/a b> .\n",
        "end.ttl": "@prefix ex: <urn:x:> .\nex:a ex:b\n",
        "dot.nt": "<urn:x:a> <urn:x:b> <urn:x:c>\n",
        "graph.trig": "<urn:x:g> { <urn:x:a> <urn:x:b> }\n",
        "lang.nq": '<urn:x:a> <urn:x:b> "x"@1 .\n',
        "xml.rdf": '<?xml version="1.0"?>\n<rdf:RDF>\n  <oops\n</rdf:RDF>\n',
        "json.jsonld": '{"@id": "urn:x:a", "urn:x:b": }',
    }
    for name, text in cases.items():
        path = write(tmp_path / name, text)
        with pytest.raises(ParseError) as by_loader:
            load([path], bundled=False)
        with pytest.raises(ParseError) as by_store:
            memory_store([path], bundled=False, infer="none")
        assert str(by_loader.value) == str(by_store.value)
        assert by_loader.value.line is not None, str(by_loader.value)
    message = str(expect(TurtleSyntaxError, tmp_path / "subject.ttl", "subject.ttl:1:1: "))
    assert '"hello" is not a valid subject' in message


def test_prefixes_of_every_syntax_reach_the_graph(tmp_path: Path) -> None:
    files = [
        write(tmp_path / "a.ttl", f"@prefix ta: <{EX}ta/> .\nta:a ta:b ta:c .\n"),
        write(tmp_path / "b.trig", f"PREFIX tr: <{EX}tr/>\ntr:g {{ tr:a tr:b tr:c }}\n"),
        write(
            tmp_path / "c.jsonld",
            json.dumps({"@context": {"js": f"{EX}js/"}, "@id": "js:a", "js:b": "c"}),
        ),
        write(
            tmp_path / "d.rdf",
            '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            f' xmlns:xm="{EX}xm/"><rdf:Description rdf:about="{EX}a"><xm:b>c</xm:b>'
            "</rdf:Description></rdf:RDF>\n",
        ),
    ]
    bound = dict(load(files, bundled=False).graph.namespaces())
    for prefix in ("ta", "tr", "js", "xm"):
        assert str(bound[prefix]) == f"{EX}{prefix}/", prefix


def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path) -> None:
    one = write(tmp_path / "one.ttl", f"_:b1 <{EX}p> <{EX}o1> .\n")
    two = write(tmp_path / "two.ttl", f"_:b1 <{EX}p> <{EX}o2> .\n")
    assert len(set(load([one, two], bundled=False).graph.subjects())) == 2


def test_relative_iris_resolve_against_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "rel.ttl", "<a> <b> <#c> .\n")
    loaded = load([path], bundled=False)
    base = path.resolve().as_uri()
    assert (URIRef(base[: base.rfind("/") + 1] + "a"), None, URIRef(base + "#c")) in loaded.graph
    again = parse_file(path, base_iri="https://example.org/x/")
    assert (URIRef("https://example.org/x/a"), None, None) in again


def test_missing_paths_and_wrong_kinds(tmp_path: Path) -> None:
    expect(SourceNotFound, tmp_path / "missing.ttl", "missing.ttl: no such file or directory")
    (tmp_path / "empty").mkdir()
    expect(SourceNotFound, tmp_path / "empty", "folder holds no RDF file")
    expect(
        UnsupportedFormat, write(tmp_path / "notes.txt", "hello"), "unknown RDF extension '.txt'"
    )


def test_ill_typed_literal_loads_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path / "t.ttl",
        '<urn:x:a> <urn:x:n> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    )
    loaded = load([path], bundled=False)
    assert len(loaded.graph) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out

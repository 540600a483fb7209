"""Argdown: `mixity export --format argdown`, read by the real Argdown toolchain.

`@argdown/cli` 1.7.5 (installed by scripts/test with npm into .cache/argdown) parses every
export and writes its model as JSON (`argdown json`); the tests compare that model with the
graph: section titles and nesting, statement titles, texts and data, support and attack
relations. Argdown accepts some malformed input silently, so the model is compared, not the
absence of errors. Without the tool the tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import IN_CI
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from mixity.cli import main
from mixity.graph.exchange.argdown import export_argdown
from mixity.graph.io.loader import LoadedGraph, load
from mixity.graph.model.labels import label

ROOT = Path(__file__).parents[1]
MINI = Path(__file__).parent / "exchange" / "mini.ttl"
EX = "https://example.org/mini/"
IBIS = "https://vocab.methodandstructure.com/ibis#"
MIX = "https://w3id.org/mixity/ontology#"


@pytest.fixture(scope="module")
def argdown() -> Path:
    """The Argdown CLI that scripts/test installs (or MIXITY_ARGDOWN)."""
    found = Path(
        os.environ.get("MIXITY_ARGDOWN", ROOT / ".cache/argdown/node_modules/.bin/argdown")
    )
    if not found.is_file() or shutil.which("node") is None:
        message = f"the Argdown CLI is not installed ({found}): run scripts/test"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def parse(argdown: Path, data: bytes, tmp_path: Path) -> dict[str, Any]:
    """The Argdown model of a document, as `argdown json` writes it."""
    source = tmp_path / "debate.argdown"
    source.write_bytes(data)
    out = tmp_path / "json"
    done = subprocess.run(
        [str(argdown), "json", str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    model: dict[str, Any] = json.loads((out / "debate.json").read_text(encoding="utf-8"))
    return model


def flat(text: str) -> str:
    return " ".join(text.split())


def mini() -> Graph:
    graph = load([MINI], bundled=False).graph
    finding, lever = URIRef(EX + "f-decret"), URIRef(EX + "l-reunir")
    graph.add((finding, URIRef(IBIS + "opposes"), lever))
    graph.add((URIRef(EX + "f-absent"), URIRef(IBIS + "supports"), lever))
    # a label and a text full of Argdown's own syntax
    odd = URIRef(EX + "l-odd")
    graph.add((odd, RDF.type, URIRef(MIX + "Lever")))
    graph.add((odd, RDFS.label, Literal("Réunir [vite] les #acteurs <tous> {a: 1}", lang="fr")))
    graph.add(
        (
            odd,
            DCTERMS.description,
            Literal("+ d'abord *tous* les\nacteurs @[x] _ici_ \\ ~fin~", lang="fr"),
        )
    )
    graph.add((odd, URIRef(IBIS + "responds-to"), URIRef(EX + "q-acteurs")))
    return graph


def test_argdown_reads_the_mini_debate(argdown: Path, tmp_path: Path) -> None:
    graph = mini()
    model = parse(argdown, export_argdown(graph).data, tmp_path)
    top = model["sections"]
    assert [s["title"] for s in top] == ["Rencontre", "Leviers sans question", "Constats"]
    assert top[0]["data"] == {"iri": EX + "rencontre", "type": "Meeting"}
    questions = top[0]["children"]
    assert [q["title"] for q in questions] == [
        "Immeubles mixtes : quelles réalités de vie ?",
        "Qui réunir ?",
    ]
    assert questions[0]["data"]["iri"] == EX + "q-realites"
    assert questions[0]["data"]["ibis"] == "Issue"
    assert questions[0]["data"]["quotes"] == [
        {
            "text": "Immeubles mixtes\u00a0: quelles réalités de vie ?",
            "source": EX + "atelier",
            "sourceTitle": "Compte rendu d'atelier",
        }
    ]
    statements = model["statements"]
    odd_title = "Réunir (vite) les #acteurs <tous> {a: 1}"
    assert set(statements) == {
        "Réunir les acteurs",
        "Un levier sans question",
        "La mixité ne se décrète pas",
        "Un constat d'un texte absent",
        odd_title,
    }
    lever = statements["Réunir les acteurs"]
    defined = [m for m in lever["members"] if m.get("text")]
    assert (
        len(defined) == 1
        and defined[0]["text"].strip() == "Il faut réunir les acteurs de la copropriété."
    )
    assert lever["data"] == {
        "ibis": "Position",
        "iri": EX + "l-reunir",
        "actorTypes": ["habitants"],
        "quotes": [
            {
                "text": "réunir les acteurs",
                "source": EX + "atelier",
                "sourceTitle": "Compte rendu d'atelier",
            },
            {
                "text": "réunir les acteurs",
                "source": EX + "atelier",
                "sourceTitle": "Compte rendu d'atelier",
            },
        ],
    }
    # defined in the section of its first question, referred to in the other
    by_id = {s["id"]: s["title"] for s in questions}
    # (its other members are the relations of the findings, in their section)
    assert sorted(by_id[m["section"]] for m in lever["members"] if m["section"] in by_id) == [
        "Immeubles mixtes : quelles réalités de vie ?",
        "Qui réunir ?",
    ]
    odd = statements[odd_title]
    (text,) = [m["text"] for m in odd["members"] if m.get("text")]
    assert text.strip() == flat("+ d'abord *tous* les\nacteurs @[x] _ici_ \\ ~fin~")
    assert odd["data"]["iri"] == EX + "l-odd"
    relations = {(r["from"], r["relationType"], r["to"]) for r in model["relations"]}
    assert relations == {
        ("La mixité ne se décrète pas", "attack", "Réunir les acteurs"),
        ("Un constat d'un texte absent", "support", "Réunir les acteurs"),
    }
    assert statements["La mixité ne se décrète pas"]["data"]["ibis"] == "Argument"


def test_argdown_reads_the_bundled_debate(
    argdown: Path, bundled: LoadedGraph, tmp_path: Path
) -> None:
    graph = bundled.graph
    exported = export_argdown(graph, lang="en")
    model = parse(argdown, exported.data, tmp_path)
    workshops = {str(w) for w in graph.subjects(RDF.type, URIRef(MIX + "Workshop"))}
    (meeting,) = model["sections"][:1]
    assert meeting["data"]["type"] == "Meeting"
    seen = {c["data"]["iri"] for c in meeting["children"] if c["data"].get("type") == "Workshop"}
    assert seen == workshops
    levers = {str(r) for r in graph.subjects(RDF.type, URIRef(MIX + "Lever"))}
    findings = {str(r) for r in graph.subjects(RDF.type, URIRef(MIX + "Finding"))}
    iris = {s["data"]["iri"] for s in model["statements"].values()}
    assert iris == levers | findings
    assert len(model["statements"]) == exported.statements
    for statement in model["statements"].values():
        resource = URIRef(statement["data"]["iri"])
        involved = sorted(
            label(graph, a, "en") for a in graph.objects(resource, URIRef(MIX + "involves"))
        )
        assert statement["data"]["actorTypes"] == involved


def test_export_cli(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "debate.argdown"
    result = runner.invoke(main, ["export", "--no-bundled", "-g", str(MINI), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == export_argdown(load([MINI], bundled=False).graph).data
    assert result.stderr.strip().endswith("(5 sections, 4 statements, 0 relations)")

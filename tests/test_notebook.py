"""examples/tour.ipynb runs from top to bottom in a real Jupyter kernel (nbclient + ipykernel)
on the project's Python, offline, and shows what it says: the triple count, the levers with
their actor types, the counts per actor type, the measures and the page in an iframe."""

from __future__ import annotations

import json
import sys
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from mixity.graph.io.loader import LoadedGraph

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "tour.ipynb"
MIX = "https://w3id.org/mixity/ontology#"


def _english(graph: Any, node: URIRef, prop: URIRef) -> str:
    return next(
        str(v) for v in graph.objects(node, prop) if isinstance(v, Literal) and v.language == "en"
    )


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The notebook, run in a kernel whose spec names this interpreter (the venv's Python)."""
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "data" / "kernels" / "mixity-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "mixity (tests)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel reports the interpreter it runs on, after the tour's own cells
    notebook.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.executable)"))
    with pytest.MonkeyPatch.context() as patch:
        for name, folder in (
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
        ):
            patch.setenv(name, str(home / folder))
        patch.setenv("JUPYTER_PATH", str(home / "data"))
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")
        client = nbclient.NotebookClient(
            notebook,
            timeout=300,
            kernel_name="mixity-test",
            resources={"metadata": {"path": str(ROOT / "examples")}},
        )
        client.execute()
    return notebook


def _outputs(cell: Any) -> str:
    """Every text and HTML output of a cell, as one string."""
    found = []
    for output in cell.outputs:
        if output.output_type == "stream":
            found.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            found.append(output.data.get("text/html", "") or output.data.get("text/plain", ""))
        elif output.output_type == "error":
            pytest.fail(f"{output.ename}: {output.evalue}")
    return "\n".join(found)


def test_the_notebook_is_saved_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) >= 5
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_every_cell_runs_and_shows_something(executed: Any) -> None:
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.outputs for cell in code), [c.source[:40] for c in code if not c.outputs]
    assert _outputs(code[-1]).strip() == sys.executable


def test_the_tour_shows_the_graph_it_loads(executed: Any, bundled: LoadedGraph) -> None:
    cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    load, levers, per_actor, measures, page = (_outputs(cell) for cell in cells[:5])
    assert f"{len(bundled.graph)} triples from {len(bundled.files)} files" in load
    graph = bundled.graph
    lever = URIRef("https://w3id.org/mixity/id/lever/reunir-acteurs-copropriete")
    assert f"<td>{escape(_english(graph, lever, RDFS.label))}</td>" in levers
    # the counts per actor type are the graph's
    counts = Counter(
        _english(graph, actor, SKOS.prefLabel)
        for each in graph.subjects(RDF.type, URIRef(MIX + "Lever"))
        for actor in graph.objects(each, URIRef(MIX + "involves"))
        if isinstance(actor, URIRef)
    )
    for actor, count in counts.most_common(3):
        assert f"<tr><td>{escape(actor)}</td><td>{count}</td></tr>" in per_actor
    assert "betweenness" in measures and "<table>" in measures
    assert page.count("<iframe srcdoc=") == 1 and "sandbox=" in page
    assert "mixity" in page and len(page) > 10_000

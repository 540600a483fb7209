"""`mixity render --size-by`: node sizes follow the measures `mixity analyze` writes back."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, URIRef

from mixity.cli import main
from mixity.namespaces import MIX
from tests.test_render import page_data


def test_size_by_pagerank_follows_the_measures(runner: CliRunner, tmp_path: Path) -> None:
    measures = tmp_path / "measures.ttl"
    result = runner.invoke(main, ["analyze", "--format", "turtle", "-o", str(measures)])
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "pr.html"
    result = runner.invoke(
        main, ["render", "-g", str(measures), "--size-by", "pagerank", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    data = page_data(out.read_text(encoding="utf-8"))
    ranks = Graph().parse(measures)
    pagerank = {
        str(s): float(o.toPython())  # type: ignore[union-attr]
        for s, o in ranks.subject_objects(URIRef(MIX + "pagerank"))
    }
    iris = [d["iri"] for d in data["details"]]
    sized = [
        (pagerank[iri], node["size"])
        for iri, node in zip(iris, data["nodes"], strict=True)
        if iri in pagerank
    ]
    assert len(sized) > 20
    # Sizes are a monotonic function of PageRank: sorting by one sorts the other.
    by_rank = [size for _, size in sorted(sized)]
    assert by_rank == sorted(by_rank)
    assert by_rank[0] < by_rank[-1]


def test_size_by_without_measures_says_how(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    result = runner.invoke(main, ["render", "--size-by", "pagerank", "-o", str(out)])
    assert result.exit_code == 1
    assert "mixity analyze --format turtle" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()

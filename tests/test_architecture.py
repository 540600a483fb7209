"""The package's shape: no import cycle, a light query path, modules and functions of a
readable size (or a reason written next to them), package data where the code looks for it."""

from __future__ import annotations

import ast
import importlib.resources
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mixity"

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
#: A function or module longer than the limit says why in a comment containing this.
REASON = "long because"

HEAVY = ("rdflib", "networkx", "pyvis", "pyshacl", "owlrl", "oxrdflib")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The mixity modules `name` imports, at the top or inside functions (both can cycle)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from mixity.graph.io import loader` imports the module mixity.graph.io.loader
            targets = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
            targets = targets or [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> nx.DiGraph:
    found = modules()
    known = set(found)
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, path in found.items():
        for target in imports_of(name, path, known):
            # a package's __init__ is imported with each of its modules: not an edge of design
            if not name.startswith(target + "."):
                graph.add_edge(name, target)
    return graph


def test_the_import_graph_sees_real_imports() -> None:
    graph = import_graph()
    assert graph.has_edge("mixity.graph.sparql.engine", "mixity.graph.sparql.lexer")
    assert graph.has_edge("mixity.graph.model.labels", "mixity.graph.model.resolve")
    assert graph.number_of_edges() > 40


def test_no_import_cycle() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize(
    "module",
    [
        "mixity.graph.sparql.engine",
        "mixity.graph.sparql.catalogue",
        "mixity.graph.sparql.results",
        "mixity.graph.sparql.formats",
        "mixity.graph.sparql.diagnose",
        "mixity.graph.store.oxigraph",
        "mixity.graph.model.resolve",
        "mixity.graph.model.vocabulary",
        "mixity.graph.io.rdf",
        "mixity.graph.io.table",
        "mixity.cli.commands.query",
    ],
)
def test_the_query_path_never_imports_heavy_libraries(module: str) -> None:
    probe = (
        f"import json, sys, {module}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", f"{module} imports {done.stdout.strip()}"


def test_the_query_path_imports_nothing_heavy_statically() -> None:
    """No module the query path reaches, even through a lazy import, pulls a heavy library."""
    graph = import_graph()
    reached = nx.descendants(graph, "mixity.cli.commands.query") | {"mixity.cli.commands.query"}
    # the rdflib engine (`--store memory`, `--infer owlrl`) is the one deliberate exception
    reached -= nx.descendants(graph, "mixity.graph.sparql.memory") | {"mixity.graph.sparql.memory"}
    offenders = {}
    for name in sorted(reached):
        tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            heavy = [n for n in names if n.split(".")[0] in HEAVY]
            if heavy:
                offenders[name] = heavy
    assert offenders == {}


def long_functions(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = node.lineno  # click options above a command are declarations, not its body
            assert node.end_lineno is not None
            length = node.end_lineno - start + 1
            around = "\n".join(lines[max(0, start - 4) : node.end_lineno])
            if length > MAX_FUNCTION_LINES and REASON not in around:
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                found.append(f"{shown}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_functions_are_short_or_say_why() -> None:
    found = [f for path in modules().values() for f in long_functions(path)]
    assert found == []


def test_modules_are_short_or_say_why() -> None:
    found = []
    for path in modules().values():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES and REASON not in text[:3000]:
            found.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert found == []


def test_the_size_checks_can_fail(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES + 5))
    sample = tmp_path / "sample.py"
    sample.write_text(f"def big() -> None:\n{body}\n", encoding="utf-8")
    found = long_functions(sample)
    assert len(found) == 1 and "big" in found[0]
    sample.write_text(f"# {REASON} it is a test\ndef big() -> None:\n{body}\n", encoding="utf-8")
    assert long_functions(sample) == []


def test_every_package_data_folder_is_where_the_code_reads_it() -> None:
    root = importlib.resources.files("mixity")
    assert root.joinpath("ontology", "mixity.ttl").is_file()
    assert root.joinpath("ontology", "shapes.ttl").is_file()
    assert any(e.name.endswith(".ttl") for e in root.joinpath("data").iterdir())
    assert any(e.name.endswith(".rq") for e in root.joinpath("queries").iterdir())
    page = importlib.resources.files("mixity.graph.page").joinpath("templates")
    for name in ("render.html", "render.js", "render.css"):
        assert page.joinpath(name).is_file(), name

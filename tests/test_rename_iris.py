"""scripts/rename_iris.py: exact IRI strings only, files replaced whole."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "scripts" / "rename_iris.py"
ID = "https://w3id.org/mixity/id/"
OLD = ID + "workshop/atelier-1"
NEW = ID + "meeting/rencontre-gusp-2019-11-06/workshop/atelier-1"


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("rename_iris", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rewrites_exact_iris_only() -> None:
    rewrite = _module().rewrite
    mapping = {OLD: NEW}
    text = f'<{OLD}> <{OLD}0> {OLD}-bis "{OLD}",{OLD}\n'
    assert rewrite(text, mapping) == f'<{NEW}> <{OLD}0> {OLD}-bis "{NEW}",{NEW}\n'
    python = 'URIRef(ID + "workshop/atelier-1") + "workshop/atelier-10"'
    assert rewrite(python, mapping, python=True) == (
        'URIRef(ID + "meeting/rencontre-gusp-2019-11-06/workshop/atelier-1") + '
        '"workshop/atelier-10"'
    )
    assert rewrite("workshop:atelier-1", mapping) == "workshop:atelier-1"  # prefixed names stay


def test_the_command_rewrites_files_and_checks(tmp_path: Path) -> None:
    mapping = tmp_path / "map.tsv"
    mapping.write_text(f"# comment\n{OLD}\t{NEW}\n", encoding="utf-8")
    data = tmp_path / "golden.csv"
    data.write_text(f"iri\n{OLD}\n", encoding="utf-8")
    untouched = tmp_path / "other.ttl"
    untouched.write_text("<urn:x> <urn:y> <urn:z> .\n", encoding="utf-8")
    run = [sys.executable, str(SCRIPT), "--mapping", str(mapping)]
    check = subprocess.run([*run, "--check", str(tmp_path)], capture_output=True, text=True)
    assert check.returncode == 1 and check.stdout.strip() == str(data)
    assert data.read_text(encoding="utf-8") == f"iri\n{OLD}\n"  # --check writes nothing
    done = subprocess.run([*run, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0
    assert data.read_text(encoding="utf-8") == f"iri\n{NEW}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["golden.csv", "map.tsv", "other.ttl"]
    again = subprocess.run([*run, "--check", str(tmp_path)], capture_output=True, text=True)
    assert (again.returncode, again.stdout) == (0, "")


def test_the_bundled_data_uses_no_renamed_iri() -> None:
    root = Path(__file__).parent.parent
    check = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", str(root / "mixity"), str(root / "examples")],
        capture_output=True,
        text=True,
    )
    assert (check.returncode, check.stdout) == (0, "")

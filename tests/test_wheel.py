"""The built wheel ships every Turtle and query file, and works outside the source tree."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("mixity-*.whl")
    return built


def package_files(folder: str) -> set[str]:
    return {
        f"mixity/{folder}/{p.name}"
        for p in (ROOT / "mixity" / folder).iterdir()
        if p.suffix in (".ttl", ".rq", ".html", ".js", ".css")
    }


@pytest.mark.slow
def test_wheel_contains_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = package_files("ontology") | package_files("data")
    assert "mixity/ontology/mixity.ttl" in expected
    assert "mixity/ontology/shapes.ttl" in expected
    if (ROOT / "mixity" / "queries").is_dir():
        expected |= package_files("queries")
    assert expected <= names, sorted(expected - names)


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Install the wheel alone (offline), and borrow the dependencies from the test venv
    # through a .pth line: the test venv's editable mixity is not visible that way.
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    deps = sysconfig.get_paths()["purelib"]
    Path(target, "deps.pth").write_text(deps + "\n", encoding="utf-8")
    probe = subprocess.run(
        [str(python), "-c", "import mixity; print(mixity.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert probe.stdout.startswith(target), probe.stdout
    result = subprocess.run(
        [str(python), "-m", "mixity", "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms" in result.stdout

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


def package_data() -> set[str]:
    """Every file of the package that is not Python: Turtle, queries, the page's template."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "mixity").rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }


@pytest.mark.slow
def test_wheel_contains_every_package_data_folder(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = package_data()
    folders = {name.rsplit("/", 1)[0] for name in expected}
    assert {
        "mixity/ontology",
        "mixity/data",
        "mixity/queries",
        "mixity/graph/page/templates",
        "mixity/templates/docs",
        "mixity/templates/init",
        "mixity/templates/init/sources",
    } <= folders
    assert expected <= names, sorted(expected - names)


@pytest.mark.slow
def test_wheel_installs_with_pip_and_its_console_script_runs(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # pip installs the wheel alone, offline; the dependencies are borrowed from the test venv
    # through a .pth line (the test venv's editable mixity is not visible that way).
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(target, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    mixity = env_dir / "bin" / "mixity"
    assert mixity.is_file(), "pip did not install the console script"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(mixity), *args], capture_output=True, text=True, cwd=tmp_path, timeout=300
        )

    probe = subprocess.run(
        [str(python), "-c", "import mixity; print(mixity.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert probe.stdout.startswith(target), probe.stdout
    levers = run("query", "levers", "--format", "csv")
    assert levers.returncode == 0, levers.stderr
    assert len(levers.stdout.splitlines()) > 5 and "bailleurs" in levers.stdout.lower()
    page = tmp_path / "view.html"
    drawn = run("render", "-o", str(page))
    assert drawn.returncode == 0, drawn.stderr
    html = page.read_text(encoding="utf-8")
    assert "vis.Network" in html or "new vis" in html
    assert "Rencontre" in html or "mixité" in html
    checked = run("validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "conforms" in checked.stdout

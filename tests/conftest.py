"""Shared fixtures: the bundled graph (loaded once) and a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mixity.graph.io.loader import LoadedGraph, load

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: Debian's Chromium, driven by playwright: the browser of every page test (never a download).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium for one test module; a test opens (and closes) its own pages.

    Missing Chromium skips the test on a developer's machine and fails it in CI.
    """
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The start-up cache of the session (also for the processes tests start), not the home's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MIXITY_CACHE_DIR", str(tmp_path_factory.mktemp("mixity-cache")))
        yield


@pytest.fixture(scope="session")
def bundled() -> LoadedGraph:
    """The bundled ontology + data, loaded once per test session (do not mutate)."""
    return load()


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that keeps stdout and stderr apart."""
    return CliRunner()


@pytest.fixture
def sources_dir() -> Path | None:
    """The folder of source texts, from MIXITY_SOURCES; required in CI."""
    folder = os.environ.get("MIXITY_SOURCES")
    if not folder:
        if IN_CI:
            pytest.fail("MIXITY_SOURCES must point at the source texts in CI")
        return None
    path = Path(folder)
    if not path.is_dir():
        pytest.fail(f"MIXITY_SOURCES={folder} is not a folder")
    return path

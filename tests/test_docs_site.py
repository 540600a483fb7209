"""The documentation site: built offline with every warning an error, every internal link and
anchor resolving, no remote asset, every runnable example run on the bundled graph, and pages
opened in Debian's Chromium with every request that is not a file blocked.

A runnable example is a ```console block (CONTRIBUTING.md, "Runnable examples"): `$ ` lines are
commands run by bash in one temporary folder per page (holding a copy of `examples/`), in order;
a trailing `# exit N` gives the expected exit code (default 0); the lines under a command must
each match a whole line of its output, white space runs counting as one space and `…` standing
for any text.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: Markdown files whose ```console blocks are run: the pages of the site and the README's tour.
RUNNABLE_SOURCES = sorted(
    [p for p in DOCS.rglob("*.md") if "_build" not in p.parts] + [ROOT / "README.md"]
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
#: The build of scripts/docs: warnings are errors, all reported, every reference resolved.
SPHINX = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-b", "html"]
#: A proxy nobody listens on: anything the build or an example tries to fetch fails at once.
OFFLINE = {
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "no_proxy": "",
}


def _missing(what: str) -> None:
    """Skip when something the tests need is missing, except in CI, where that is a failure."""
    message = f"{what} is missing (scripts/test installs it)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


# ---------------------------------------------------------------------------------------------
# The build, once for the module


@dataclass
class Built:
    """A build of the site: where it went, and what Sphinx said."""

    out: Path
    returncode: int
    log: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    for module in ("sphinx", "myst_parser", "sphinx_click"):
        try:
            __import__(module)
        except ImportError:
            _missing(f"the Python package {module}")
    out = tmp_path_factory.mktemp("site") / "html"
    doctrees = out.parent / "doctrees"
    done = subprocess.run(
        [*SPHINX, "-d", str(doctrees), str(DOCS), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, **OFFLINE},
        timeout=900,
    )
    return Built(out, done.returncode, done.stdout + done.stderr)


def test_the_site_builds_with_warnings_as_errors(site: Built) -> None:
    assert site.returncode == 0, site.log
    for page in ("index", "tutorial/query", "how-to/large-graphs", "reference/cli"):
        assert (site.out / f"{page}.html").is_file(), page
    assert (site.out / "ontology" / "index.html").is_file(), "mixity docs wrote no ontology/"


def test_the_generated_reference_is_there(site: Built) -> None:
    cli = (site.out / "reference" / "cli.html").read_text(encoding="utf-8")
    for command in ("query", "render", "validate", "export", "serve", "push"):
        assert f'id="mixity-{command}"' in cli, command
    catalogue = (site.out / "reference" / "saved-queries.html").read_text(encoding="utf-8")
    assert 'id="saved-levers-for-actor"' in catalogue
    assert "Les leviers d’un type d’acteur" in catalogue or "Les leviers d'un type" in catalogue
    vocabulary = (site.out / "reference" / "vocabulary.html").read_text(encoding="utf-8")
    assert "spdx:checksumValue" in vocabulary
    shapes = (site.out / "reference" / "shape-rules.html").read_text(encoding="utf-8")
    assert "mixsh:LabelledShape" in shapes
    exits = (site.out / "reference" / "exit-codes.html").read_text(encoding="utf-8")
    assert "InvalidParameter" in exits
    assert 'href="../ontology/index.html"' in vocabulary


# ---------------------------------------------------------------------------------------------
# Links and assets of the built HTML


class _Page(HTMLParser):
    """The ids, links and assets of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "a" and "name" in found:
            self.ids.add(found["name"])
        if "href" in found:
            self.links.append(found["href"])
            if tag == "link" and found.get("rel", "") != "canonical":
                self.assets.append(found["href"])
        if "src" in found:
            self.links.append(found["src"])
            self.assets.append(found["src"])


def _pages(out: Path) -> dict[Path, _Page]:
    pages = {}
    for path in sorted(out.rglob("*.html")):
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path] = parser
    return pages


def _remote(url: str) -> bool:
    return url.startswith("//") or urlsplit(url).scheme in ("http", "https", "ftp", "ws", "wss")


def test_every_internal_link_resolves(site: Built) -> None:
    assert site.returncode == 0, site.log
    pages = _pages(site.out)
    assert len(pages) > 20
    broken = []
    checked = 0
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # external (http, mailto, data…): not the site's to keep
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site.out)}: {link}"
            checked += 1
            if not target.is_file():
                broken.append(f"{where} (no file {target})")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in pages[target].ids
            ):
                broken.append(f"{where} (no id {parts.fragment!r} there)")
    assert checked > 500
    assert not broken, "\n".join(broken)


def test_no_page_loads_a_remote_asset(site: Built) -> None:
    assert site.returncode == 0, site.log
    remote = [
        f"{path.relative_to(site.out)}: {asset}"
        for path, page in _pages(site.out).items()
        for asset in page.assets
        if _remote(asset)
    ]
    for css in sorted(site.out.rglob("*.css")):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if _remote(url):
                remote.append(f"{css.relative_to(site.out)}: {url}")
        remote += [
            f"{css.relative_to(site.out)}: @import {url}"
            for url in re.findall(r"@import\s+['\"]([^'\"]+)", css.read_text(encoding="utf-8"))
            if _remote(url)
        ]
    assert not remote, "\n".join(remote)


# ---------------------------------------------------------------------------------------------
# Runnable examples


class Command(NamedTuple):
    """One `$ ` line of a ```console block, what it must print and how it must exit."""

    line: int
    text: str
    exit_code: int
    expected: tuple[str, ...]


_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^`\s]*)")
_EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")


def runnable(path: Path) -> list[Command]:
    """The commands of the ```console blocks of a Markdown file, in order (fences nested in a
    longer fence, as in CONTRIBUTING.md's example, are text, not blocks)."""
    commands: list[Command] = []
    fence: tuple[str, int] | None = None
    indent = block_start = 0
    pending: list[tuple[int, str]] = []
    running = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _FENCE.match(raw)
        if fence is None:
            if match:
                fence = (match.group(2)[0], len(match.group(2)))
                indent = len(match.group(1))
                running = match.group(3) == "console"
                block_start = number
            continue
        marker = match.group(2) if match else ""
        if marker and raw.strip() == marker and marker[0] == fence[0] and len(marker) >= fence[1]:
            if running and not any(c.line > block_start for c in commands):
                raise AssertionError(f"{path}:{block_start}: a console block with no `$ `")
            fence = None
            continue
        if not running:
            continue
        line = raw[indent:] if raw[:indent].isspace() or not raw[:indent] else raw.strip()
        if line.startswith("$ "):
            text = line[2:]
            pending = [(number, text)]
            commands.append(Command(number, text, _exit_code(text), ()))
        elif pending and _incomplete("\n".join(part for _, part in pending)):
            pending.append((number, line))
            text = "\n".join(part for _, part in pending)
            commands[-1] = commands[-1]._replace(text=text, exit_code=_exit_code(text))
        elif line.strip():
            if not commands or commands[-1].line < block_start:
                raise AssertionError(f"{path}:{number}: output before any `$ ` command")
            commands[-1] = commands[-1]._replace(expected=(*commands[-1].expected, line))
    return commands


def _incomplete(text: str) -> bool:
    """Whether a command goes on on the next line: a trailing `\\` or an open quotation."""
    if text.endswith("\\"):
        return True
    try:
        shlex.split(text, comments=True)
    except ValueError:
        return True
    return False


def _exit_code(text: str) -> int:
    found = _EXIT.search(text)
    return int(found.group(1)) if found else 0


def _shown(text: str) -> str:
    return " ".join(text.split())


def _pattern(expected: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in _shown(expected).split("…")))


PAGES = {str(p.relative_to(ROOT)): runnable(p) for p in RUNNABLE_SOURCES}
RUN_PAGES = sorted(name for name, commands in PAGES.items() if commands)


def test_runnable_examples_are_found() -> None:
    total = sum(len(c) for c in PAGES.values())
    assert total >= 40, PAGES
    for page in ("README.md", "docs/tutorial/query.md", "docs/tutorial/extend.md"):
        assert PAGES[page], f"{page} has no runnable example"
    assert any(c.exit_code == 1 for c in PAGES["docs/tutorial/query.md"])


def test_the_parser_reads_the_convention(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n$ mixity query levrs  # exit 1\nmixity: error: …\n$ echo a \\\n  b\na b\n"
        "$ echo 'c\n  d'\nd\n"
        "```\n\n````markdown\n```console\n$ not run\n```\n````\n\n```sh\nmixity info\n```\n",
        encoding="utf-8",
    )
    assert runnable(page) == [
        Command(2, "mixity query levrs  # exit 1", 1, ("mixity: error: …",)),
        Command(4, "echo a \\\n  b", 0, ("a b",)),
        Command(7, "echo 'c\n  d'", 0, ("d",)),
    ]
    assert _pattern("Wrote x.html (… nodes, … KiB)").fullmatch("Wrote x.html (21 nodes, 750 KiB)")
    assert not _pattern("2 rows").fullmatch("12 rows")


@pytest.fixture(scope="module")
def mixity_on_path() -> dict[str, str]:
    """The environment of the examples: this Python's `mixity` first on PATH, offline."""
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "mixity").exists():
        _missing(f"{bin_dir / 'mixity'} (pip install -e .)")
    if shutil.which("bash") is None:
        _missing("bash")
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, **OFFLINE, "PATH": path, "PYTHONUTF8": "1", "LC_ALL": "C.UTF-8"}


@pytest.mark.parametrize("page", RUN_PAGES)
def test_runnable_examples_run(page: str, tmp_path: Path, mixity_on_path: dict[str, str]) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    for command in PAGES[page]:
        done = subprocess.run(
            ["bash", "-c", command.text],
            cwd=tmp_path,
            env=mixity_on_path,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=300,
        )
        output = done.stdout + done.stderr
        where = f"{page}:{command.line}: $ {command.text}\n--- output ---\n{output}"
        assert done.returncode == command.exit_code, f"exit code {done.returncode}; {where}"
        assert "Traceback" not in output, where
        lines = [_shown(line) for line in output.splitlines()]
        for expected in command.expected:
            pattern = _pattern(expected)
            assert any(pattern.fullmatch(line) for line in lines), f"missing {expected!r}; {where}"


# ---------------------------------------------------------------------------------------------
# The built site in Chromium, offline


@dataclass
class Opened:
    """A page opened from a file, with what it tried to fetch and what it logged."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_page(browser: Any, path: Path) -> Opened:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    opened = Opened(page)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            opened.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return opened


@pytest.mark.browser
@pytest.mark.parametrize("page", ["index.html", "tutorial/query.html", "reference/cli.html"])
def test_pages_open_offline_without_errors(browser: Any, site: Built, page: str) -> None:
    assert site.returncode == 0, site.log
    opened = open_page(browser, site.out / page)
    try:
        assert "mixity" in opened.page.title()
        broken_images = opened.page.evaluate(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.src)"
        )
        assert broken_images == []
        assert opened.page.evaluate("() => document.styleSheets.length") >= 1
        assert opened.blocked == [], opened.blocked
        assert opened.errors == [], opened.errors
    finally:
        opened.page.context.close()

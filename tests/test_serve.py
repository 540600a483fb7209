"""`mixity serve` as users run it: a subprocess, a real client (SPARQLWrapper), a real browser.

The server is the real Oxigraph server; signals are real signals; "no process left behind" is
checked on the server's pid that serve prints.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from realservers import pid_alive
from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper

from mixity.cli import main
from mixity.errors import QueryTimeout
from mixity.graph.remote.endpoint import run_remote
from mixity.graph.sparql.catalogue import saved_query
from mixity.graph.sparql.engine import QueryEngine
from mixity.graph.store.oxigraph import build_store

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
MIX = "PREFIX mix: <https://w3id.org/mixity/ontology#> "
EXTENSION = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/q/served> a mix:Question ; rdfs:label "A served question"@en .
"""


@dataclass
class Serve:
    """A `mixity serve` process and what it printed."""

    process: subprocess.Popen[str]
    endpoint: str = ""
    page: str = ""
    pid: int = 0
    lines: list[str] = field(default_factory=list)

    def stop(self, signum: int = signal.SIGINT, wait: float = 30.0) -> tuple[int, str]:
        """Send `signum`, wait for the exit; return the exit code and stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            _, err = self.process.communicate(timeout=wait)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return self.process.returncode, err


def serve(*args: str, wait: float = 90.0) -> Serve:
    """Start `mixity serve ARGS` and read the addresses it prints (or wait for its exit)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mixity", "serve", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = Serve(process)
    announced = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            started.lines.append(line)
            key, _, value = line.strip().partition(": ")
            if key == "SPARQL endpoint":
                started.endpoint = value
            elif key == "query page":
                started.page = value
            elif key == "server pid":
                started.pid = int(value)
                announced.set()
        announced.set()  # end of output: serve has exited

    threading.Thread(target=read, daemon=True).start()
    announced.wait(wait)
    return started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wrapper(endpoint: str, query: str, fmt: str) -> Any:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query().convert()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    extension = tmp_path_factory.mktemp("ext") / "served.ttl"
    extension.write_text(EXTENSION, "utf-8")
    running = serve("-g", str(extension), "--port", str(free_port()))
    assert running.pid, running.stop()[1]
    yield running
    code, err = running.stop(signal.SIGTERM)
    assert code == 0, err


def test_sparqlwrapper_gets_json_xml_and_csv(served: Serve) -> None:
    query = MIX + "SELECT ?l WHERE { ?l a mix:Lever } ORDER BY ?l"
    as_json = wrapper(served.endpoint, query, JSON)
    levers = [b["l"]["value"] for b in as_json["results"]["bindings"]]
    local = QueryEngine().query("SELECT ?l WHERE { ?l a mix:Lever } ORDER BY ?l")
    assert levers == [row[0].value for row in local.rows if row[0] is not None]
    assert levers and all(v.startswith("https://w3id.org/mixity/id/lever/") for v in levers)
    as_xml = wrapper(served.endpoint, query, XML)
    assert [n.firstChild.data for n in as_xml.getElementsByTagName("uri")] == levers
    as_csv = wrapper(served.endpoint, query, CSV)
    assert as_csv.decode("utf-8").split("\r\n")[1:-1] == levers


def test_the_extension_is_served_with_rdfs_entailment(served: Serve) -> None:
    query = (
        "PREFIX ibis: <https://vocab.methodandstructure.com/ibis#> "
        "ASK { <https://example.org/q/served> a ibis:Issue }"
    )
    assert wrapper(served.endpoint, query, JSON) == {"head": {}, "boolean": True}
    asked = run_remote(served.endpoint, "ASK { <https://example.org/q/served> a ibis:Issue }")
    assert asked.boolean is True


def test_an_insert_is_refused(served: Serve) -> None:
    endpoint = served.endpoint
    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint.replace("/query", "/update"))
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }")
    with pytest.raises(Exception, match="403"):
        client.query()
    count = MIX + "ASK { <https://example.org/a> ?p ?o }"
    assert wrapper(endpoint, count, JSON)["boolean"] is False


@pytest.mark.browser
def test_the_query_page_works_offline(served: Serve) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            mixity_page = _open(browser, served.page, "levers")
            oxigraph_page = _open(browser, served.endpoint.removesuffix("query"), None)
        finally:
            browser.close()
    assert mixity_page["blocked"] == [] and mixity_page["errors"] == []
    expected = len(QueryEngine().query(saved_query("levers"), params={"lang": "fr"}))
    assert mixity_page["rows"] == expected and "lignes / rows" in mixity_page["status"]
    # Why mixity serves its own page: Oxigraph's asks prefix.cc for prefixes when it loads.
    assert any("prefix.cc" in url for url in oxigraph_page["blocked"])


def _open(browser: Any, url: str, saved: str | None) -> dict[str, Any]:
    """Open `url` with every request to another origin blocked (and recorded)."""
    page = browser.new_page()
    origin = re.match(r"https?://[^/]+", url)
    assert origin is not None
    seen: dict[str, Any] = {"blocked": [], "errors": []}

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(origin.group(0)):
            request_route.continue_()
        else:
            seen["blocked"].append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(url)
    if saved is None:
        page.wait_for_timeout(1500)  # let the page make its start-up requests
        return seen
    page.select_option("#saved", saved)
    page.click("#run")
    page.wait_for_selector("#result table tbody tr")
    seen["rows"] = page.locator("#result table tbody tr").count()
    seen["status"] = page.inner_text("#status")
    return seen


def test_sigint_stops_the_server_and_leaves_nothing_behind() -> None:
    """Even with a runaway query running, SIGINT stops everything; nothing is left behind."""
    running = serve("--host", "0.0.0.0", "--port", str(free_port()), "--timeout", "1")
    assert running.pid, running.stop()[1]
    assert running.endpoint.startswith("http://127.0.0.1:")
    assert pid_alive(running.pid)
    server_args = Path(f"/proc/{running.pid}/cmdline").read_bytes().split(b"\0")
    assert server_args[-3:-1] == [b"--timeout-s", b"1"]
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryTimeout):
        run_remote(running.endpoint, runaway, timeout=2)
    code, err = running.stop(signal.SIGINT)
    assert code == 0, err
    assert "warning: listening on 0.0.0.0: the endpoint is reachable by other machines" in err
    assert err.rstrip().endswith("mixity: server stopped")
    assert not pid_alive(running.pid)
    scratch = re.search(r"from (\S+)/store\b", err)
    assert scratch is not None and not Path(scratch.group(1)).exists()


def test_two_serves_on_one_store_dir(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    build_store([], store_dir)
    first = serve("--store-dir", str(store_dir), "--port", str(free_port()))
    second = serve("--store-dir", str(store_dir), "--port", str(free_port()))
    try:
        assert first.pid and second.pid, first.stop()[1] + second.stop()[1]
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        counts = [wrapper(s.endpoint, count, JSON) for s in (first, second)]
        assert counts[0] == counts[1]
        extension = tmp_path / "ext.ttl"
        extension.write_text(EXTENSION, "utf-8")
        rebuild = serve("--store-dir", str(store_dir), "-g", str(extension))
        code, err = rebuild.stop()
        assert (rebuild.pid, code) == (0, 1), err
        assert "is being served by another `mixity serve`: stop it first" in err
    finally:
        results = [first.stop(signal.SIGTERM), second.stop(signal.SIGTERM)]
    assert [code for code, _ in results] == [0, 0], results
    assert (store_dir / "mixity-store.json").is_file()  # a user's store is never removed


def test_the_default_port_taken_means_a_free_port() -> None:
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("127.0.0.1", 7878))
        holder.listen()
    except OSError:
        pass  # something else already holds 7878: the same situation
    try:
        running = serve()
        assert running.pid, running.stop()[1]
        assert not running.endpoint.startswith("http://127.0.0.1:7878/")
        code, err = running.stop(signal.SIGTERM)
        assert code == 0
        assert "port 7878 is taken; using a free port" in err
        if holder.getsockname()[1] == 7878:
            taken = serve("--port", "7878")
            code, err = taken.stop()
            assert (taken.pid, code) == (0, 1), err
            assert err.endswith("mixity: error: 127.0.0.1:7878 is already in use\n")
    finally:
        holder.close()


def test_help_teaches_with_examples() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "--store-dir" in result.stdout
    assert CliRunner().invoke(main, ["serve", "--port", "0"]).exit_code == 2

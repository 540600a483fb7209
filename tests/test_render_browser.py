"""The rendered page in a real headless Chromium (Debian's), driven by Playwright.

Every request other than the page's own file is blocked and recorded: the page must work
offline. One browser serves the whole module; every test opens its own page and waits for the
page's own ready signal (`<body data-ready="true">`, set once the network is drawn).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mixity.graph.io.loader import LoadedGraph, load
from mixity.graph.model.edges import declared_inverses, one_way
from mixity.graph.model.resolve import fold
from mixity.graph.model.views import select
from mixity.graph.page.render import render_html

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"


@dataclass
class Opened:
    """A page opened from a file, with what it tried to fetch and what it logged."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, code: str, arg: Any = None) -> Any:
        return self.page.evaluate(code, arg)

    def drawn(self) -> None:
        """Wait until vis-network has drawn the current state once more."""
        self.js(
            "() => new Promise(done => {"
            " window.mixity.network.once('afterDrawing', () => done(true));"
            " window.mixity.network.redraw(); })"
        )


def open_page(
    browser: Any, path: Path, *, bypass_csp: bool = False, viewport: dict[str, int] | None = None
) -> Opened:
    size = viewport or {"width": 1400, "height": 900}
    context = browser.new_context(viewport=size, bypass_csp=bypass_csp)
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

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
    return opened


@pytest.fixture
def opened(browser: Any) -> Iterator[list[Opened]]:
    """The pages a test opens, closed after it."""
    pages: list[Opened] = []
    yield pages
    for each in pages:
        each.page.context.close()


@pytest.fixture(scope="module")
def overview_file(bundled: LoadedGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("render") / "overview.html"
    path.write_text(render_html(bundled), encoding="utf-8")
    return path


@pytest.fixture
def overview(browser: Any, overview_file: Path, opened: list[Opened]) -> Opened:
    """A fresh overview page for each test."""
    opened.append(open_page(browser, overview_file))
    return opened[-1]


def node_id(opened: Opened, label: str) -> int:
    found: int = opened.js(
        "(label) => window.mixity.data.nodes.find(n => n.title.split('\\n')[0] === label).id", label
    )
    return found


def centre(opened: Opened, node: int) -> None:
    """Put a node in the middle of the view, zoomed in, and wait until it is drawn there."""
    opened.js(
        "(id) => window.mixity.network.moveTo("
        "{position: window.mixity.network.getPositions([id])[id], scale: 1.5})",
        node,
    )
    opened.drawn()


def node_point(opened: Opened, node: int) -> tuple[float, float]:
    """Where a node is on the screen."""
    x, y = opened.js(
        """(id) => {
          const net = window.mixity.network;
          const p = net.canvasToDOM(net.getPositions([id])[id]);
          const box = document.getElementById('network').getBoundingClientRect();
          return [box.left + p.x, box.top + p.y];
        }""",
        node,
    )
    return x, y


def test_loads_offline_without_console_errors(overview: Opened) -> None:
    assert overview.blocked == []
    assert overview.errors == []
    assert overview.js("window.mixity.ready") is True
    assert overview.js("typeof vis.Network") == "function"
    title = overview.page.locator("#title").text_content()
    assert title and "overview" in title
    assert "mixity" in (overview.page.locator("#footer").text_content() or "")


def test_drawn_nodes_and_edges_equal_the_graphs(overview: Opened, bundled: LoadedGraph) -> None:
    shown = one_way(select(bundled.graph, "overview"), declared_inverses(bundled.graph))
    assert overview.js("window.mixity.network.body.nodeIndices.length") == len(shown.nodes)
    assert overview.js("window.mixity.network.body.edgeIndices.length") == len(shown.edges)
    assert overview.js("window.mixity.nodes.length") == len(shown.nodes)
    positions = overview.js("Object.keys(window.mixity.network.getPositions()).length")
    assert positions == len(shown.nodes)
    assert overview.page.locator("#classes li").count() == overview.js(
        "window.mixity.data.classes.length"
    )


def test_search_selects_the_node_ignoring_accents_and_case(overview: Opened) -> None:
    target = node_id(overview, "Christine Lelévrier")
    search = overview.page.locator("#search")
    search.type("christine LELEVRIER")
    assert (
        overview.page.locator("#results li").first.text_content().startswith("Christine Lelévrier")
    )
    search.press("Enter")
    assert overview.js("window.mixity.selected") == target
    assert overview.js("window.mixity.network.getSelectedNodes()") == [target]
    assert overview.page.locator("#panel h3").text_content() == "Christine Lelévrier"


def test_search_finds_a_node_by_prefixed_name_or_label(overview: Opened) -> None:
    target = node_id(overview, "mixité")
    search = overview.page.locator("#search")
    for typed in ("notion:mixite", "id:notion/mixite", "NOTION:MIXITÉ", "mixity", "mixité"):
        search.fill("")
        search.type(typed)
        first = overview.page.locator("#results li").first
        assert first.get_attribute("data-id") == str(target), typed
    search.press("Enter")
    assert overview.js("window.mixity.selected") == target


#: Strings whose folding is easy to get wrong: ligatures, sharp s, apostrophes, guillemets,
#: doubled spaces, decomposed accents, compatibility forms, Greek final sigma, dotted I.
TRICKY = [
    "« Œuvre »",
    "Straße",
    "STRASSE",
    "ẞ",
    "d’usage",
    "d'usage",
    "MIXITÉ  sociale",
    "mixite\u0301 sociale",
    "e\u0301te\u0301",
    "Cœur  æsthétique",
    "ﬁnancement",
    "Atelier n°1 : Immeubles mixtes",
    "l’État-providence — « vivre ensemble »",
    "①②③ Ⅻ ½",
    "ΣΟΦΟΣ σοφος",
    "İstanbul",
    "Ǆemal",
    "snake_case x\u00a0y\tz\n",
    "ＦＵＬＬＷＩＤＴＨ",
    "Ꭰꭰ ᏸ",
    "ᲀᲈ",
    "",
    "   ",
    "!?;:",
]


def test_the_pages_fold_is_pythons(
    browser: Any, bundled: LoadedGraph, tmp_path: Path, opened: list[Opened]
) -> None:
    small = tmp_path / "actors.html"
    small.write_text(render_html(bundled, view="actors"), encoding="utf-8")
    opened.append(open_page(browser, small))
    page = opened[-1]
    assert page.js("(xs) => xs.map(window.mixity.fold)", TRICKY) == [fold(t) for t in TRICKY]

    # Every character of the Basic Multilingual Plane, between two letters.
    chars = [
        chr(code)
        for code in range(0x20, 0x10000)
        if unicodedata.category(chr(code)) not in ("Cn", "Co", "Cs")
    ]
    texts = [f"a{ch}b" for ch in chars]  # no line break among them: one string crosses faster
    folded = page.js("(s) => s.split('\\n').map(window.mixity.fold).join('\\n')", "\n".join(texts))
    folded = folded.split("\n")
    expected = [fold(t) for t in texts]
    assert [(t, e, f) for t, e, f in zip(texts, expected, folded, strict=True) if e != f] == []


def test_unticking_a_class_hides_its_nodes(overview: Opened) -> None:
    classes = overview.js("window.mixity.data.classes")
    lever = next(c for c in classes if c["iri"].endswith("#Lever"))
    ids = overview.js(
        "(key) => window.mixity.data.nodes.filter(n => n.group === key).map(n => n.id)",
        lever["key"],
    )
    assert len(ids) == lever["count"] > 0
    total = overview.js("window.mixity.network.body.nodeIndices.length")
    box = overview.page.locator(f'#classes input[data-class="{lever["key"]}"]')
    box.uncheck()
    hidden = overview.js(
        "(ids) => ids.every(id => window.mixity.network.body.nodes[id].options.hidden === true)",
        ids,
    )
    assert hidden
    visible = overview.js(
        "Object.values(window.mixity.network.body.nodes).filter(n => !n.options.hidden).length"
    )
    assert visible == total - len(ids)
    box.check()
    assert overview.js(
        "(ids) => ids.every(id => !window.mixity.network.body.nodes[id].options.hidden)", ids
    )


def test_clicking_a_node_shows_its_quote_in_the_panel(overview: Opened) -> None:
    target = node_id(overview, "Christine Lelévrier")
    quote = overview.js(f"window.mixity.data.details[{target}].quotes[0].text")
    assert quote
    centre(overview, target)
    overview.page.mouse.click(*node_point(overview, target))
    assert overview.js("window.mixity.selected") == target
    panel = overview.page.locator("#panel")
    assert quote in (panel.locator("blockquote").first.text_content() or "")
    assert "Vivre et gérer la mixité sociale" in (panel.text_content() or "")
    # Its neighbourhood is highlighted: the others are dimmed.
    dimmed = overview.js(
        "window.mixity.nodes.get().filter(n => n.opacity !== undefined && n.opacity < 1).length"
    )
    around = overview.js(f"window.mixity.network.getConnectedNodes({target}).length")
    assert dimmed == overview.js("window.mixity.nodes.length") - around - 1


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    ext = folder / "hostile.ttl"
    ext.write_text(
        "@prefix mix: <https://w3id.org/mixity/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        f'<https://example.org/x> a mix:Question ; rdfs:label "{HOSTILE}"@fr ,'
        ' "<script>alert(2)</script>"@en ;\n'
        '    skos:definition "<iframe src=javascript:alert(3)></iframe>"@fr ;\n'
        "    schema:url <javascript:alert(4)> ;\n"
        "    mix:raisedAt <https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06> ;\n"
        "    mix:evidence [ a oa:SpecificResource ; oa:hasSource <https://example.org/doc> ;\n"
        '        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "<svg onload=alert(5)>" ] ] .\n'
        "<https://example.org/doc> a mix:SourceDocument ;\n"
        '    rdfs:label "<b onmouseover=alert(7)>doc</b>"@fr ;\n'
        "    schema:url <javascript:alert(6)> .\n",
        encoding="utf-8",
    )
    page = folder / f"{HOSTILE.replace('/', '_')}.html"
    page.write_text(render_html(load([ext]), title=HOSTILE), encoding="utf-8")
    return page


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "no-csp"])
def test_hostile_labels_run_no_script(
    browser: Any, hostile_file: Path, opened: list[Opened], bypass_csp: bool
) -> None:
    # Without the page's Content-Security-Policy too: safety comes from textContent first.
    opened.append(open_page(browser, hostile_file, bypass_csp=bypass_csp))
    page = opened[-1]
    target = node_id(page, HOSTILE)
    # Hovering the node shows its tooltip: the label as text.
    centre(page, target)
    page.page.mouse.move(*node_point(page, target))
    tooltip = page.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert (tooltip.text_content() or "").startswith(HOSTILE)
    search = page.page.locator("#search")
    search.type("<img src=x")
    assert page.page.locator("#results li").first.text_content().startswith(HOSTILE)
    search.press("Enter")
    assert page.js("window.mixity.selected") == target
    panel = page.page.locator("#panel")
    assert page.page.locator("#panel h3").text_content() == HOSTILE
    assert "<svg onload=alert(5)>" in (panel.text_content() or "")
    assert page.page.locator("#title").text_content() == HOSTILE
    assert page.dialogs == []
    injected = page.js(
        "document.querySelectorAll('img, iframe, svg:not(.swatch), script:not([id]):not([type])')"
        ".length"
    )
    assert injected == 2  # vis-network's and mixity's own scripts, nothing else
    links = page.js("Array.from(document.querySelectorAll('a')).map(a => a.href)")
    assert not [href for href in links if not href.startswith(("http://", "https://"))]
    assert page.blocked == []
    assert page.errors == []


# --- Readable at the default window size --------------------------------------------------------

#: The window the pictures must be readable in without zooming.
WINDOW = {"width": 1280, "height": 720}
#: The bound: at most 1% of the labels drawn may overlap another label (none, below 100
#: labels), no label may leave the picture, and a label's letters, fitted to the window, are
#: at least this many pixels high.
MAX_OVERLAPPING_SHARE = 0.01
MIN_LABEL_PX = 10

#: Every drawn node label's box on the screen (vis-network's measured label sizes), the
#: overlapping pairs, and the size of the letters at the fitted zoom.
LABEL_BOXES = """() => {
  const net = window.mixity.network;
  const frame = document.getElementById('network').getBoundingClientRect();
  const boxes = [];
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id];
    const size = node.labelModule.size;
    if (node.options.hidden || !node.options.label || !size.width) { continue; }
    const a = net.canvasToDOM({x: size.left, y: size.top});
    const b = net.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
    boxes.push({id, left: a.x, top: a.y, right: b.x, bottom: b.y});
  }
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const p = boxes[i], q = boxes[j];
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) {
        pairs.push([p.id, q.id]);
      }
    }
  }
  const outside = boxes.filter(b => b.left < 0 || b.top < 0 || b.right > frame.width
    || b.bottom > frame.height).length;
  return {labels: boxes.length, nodes: net.body.nodeIndices.length, pairs, outside,
          px: window.mixity.data.options.nodes.font.size * net.getScale()};
}"""


@pytest.mark.parametrize(
    ("view", "lang"),
    [
        ("evidence", "fr"),
        ("evidence", "en"),
        ("debate", "fr"),
        ("debate", "en"),
        ("overview", "fr"),
        ("concepts", "fr"),
        ("actors", "en"),
    ],
)
def test_labels_are_readable_without_zooming(
    browser: Any,
    bundled: LoadedGraph,
    tmp_path: Path,
    opened: list[Opened],
    view: str,
    lang: str,
) -> None:
    path = tmp_path / f"{view}-{lang}.html"
    path.write_text(render_html(bundled, view=view, lang=lang), encoding="utf-8")
    opened.append(open_page(browser, path, viewport=WINDOW))
    found = opened[-1].js(LABEL_BOXES)
    assert found["labels"] == found["nodes"] > 0  # every node labelled, every label measured
    overlapping = {node for pair in found["pairs"] for node in pair}
    assert len(overlapping) <= MAX_OVERLAPPING_SHARE * found["labels"], found["pairs"]
    assert found["outside"] == 0
    assert found["px"] >= MIN_LABEL_PX, found
    # Relation names are left out at the fitted zoom (they would cross the labels) …
    threshold = opened[-1].js(
        "window.mixity.network.edgesHandler.options.scaling.label.drawThreshold"
    )
    edge_px = opened[-1].js(
        "window.mixity.data.options.edges.font.size * window.mixity.network.getScale()"
    )
    assert edge_px < threshold - 1


def test_relation_names_show_around_the_selected_node(overview: Opened) -> None:
    threshold = "window.mixity.network.edgesHandler.options.scaling.label.drawThreshold"
    assert overview.js(threshold) > 1
    target = node_id(overview, "Christine Lelévrier")
    search = overview.page.locator("#search")
    search.type("christine lelevrier")
    search.press("Enter")
    assert overview.js("window.mixity.selected") == target
    assert overview.js(threshold) == 0  # every label drawn: the dimmed ones transparent
    hidden = overview.js(
        "window.mixity.edges.get().filter(e => e.font && e.font.color === 'rgba(0,0,0,0)')"
        ".map(e => e.id)"
    )
    around = overview.js(f"window.mixity.network.getConnectedEdges({target})")
    assert hidden and not set(hidden) & set(around)
    overview.js("document.activeElement.blur()")
    overview.page.keyboard.press("Escape")
    assert overview.js("window.mixity.selected") is None
    assert overview.js(threshold) > 1


HIGHLIGHT = """() => {
  const net = window.mixity.network;
  return {
    selected: window.mixity.selected,
    chosen: net.getSelectedNodes().length + net.getSelectedEdges().length,
    hovered: Object.values(net.body.nodes).filter(n => n.hover).length
      + Object.values(net.body.edges).filter(e => e.hover).length,
    dimmed: window.mixity.nodes.get().filter(n => n.opacity !== undefined && n.opacity < 1).length,
    panel: !document.getElementById('panel').hidden,
  };
}"""


def test_none_and_all_clear_the_highlight(overview: Opened) -> None:
    target = node_id(overview, "Christine Lelévrier")
    centre(overview, target)
    overview.page.mouse.click(*node_point(overview, target))
    before = overview.js(HIGHLIGHT)
    assert before["selected"] == target and before["panel"] and before["dimmed"] > 0
    assert before["hovered"] > 0  # the pointer is on the node: vis-network draws it hovered
    overview.page.locator("#show-none").click()
    overview.page.locator("#show-all").click()
    after = overview.js(HIGHLIGHT)
    assert after == {"selected": None, "chosen": 0, "hovered": 0, "dimmed": 0, "panel": False}
    # « tout » alone keeps a selection, and its highlight, with the panel that shows it.
    overview.page.mouse.click(*node_point(overview, target))
    overview.page.locator("#show-all").click()
    kept = overview.js(HIGHLIGHT)
    assert kept["selected"] == target and kept["panel"] and kept["dimmed"] > 0
    assert kept["hovered"] == 0  # the pointer left the picture for the legend

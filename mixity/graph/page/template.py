"""The HTML of the page: mixity's template with vis-network, mixity's script and style, and the
page's data inlined, under a Content-Security-Policy that lets only those two scripts run.

vis-network comes from pyvis's package, whichever version folder it ships it in; pyvis's own
template is not used (it links Bootstrap and vis-network from CDNs).
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import importlib.util
import json
import re
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from mixity.errors import MixityError

VIS_JS = "vis-network.min.js"
VIS_CSS = "vis-network.css"
_REINSTALL = "reinstall it: pip install --force-reinstall 'pyvis>=0.3.2'"


def vis_network(root: Traversable | None = None) -> tuple[str, str]:
    """vis-network's JS and CSS: the newest version found under `root` (default: pyvis's
    package), in any folder. Raises `MixityError` saying how to fix it when there is none."""
    if root is None:
        return _pyvis_vis_network()
    folder = _newest_vis_folder(root)
    if folder is None:
        raise MixityError(
            f"{_pyvis_version()} does not ship vis-network ({VIS_JS} and {VIS_CSS} in one "
            f"folder under {root}); {_REINSTALL}"
        )
    try:
        js = folder.joinpath(VIS_JS).read_text(encoding="utf-8")
        css = folder.joinpath(VIS_CSS).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MixityError(f"vis-network in {folder} cannot be read ({exc}); {_REINSTALL}") from None
    return js, css


@lru_cache(maxsize=1)
def _pyvis_vis_network() -> tuple[str, str]:
    spec = importlib.util.find_spec("pyvis")
    if spec is None:
        raise MixityError(f"pyvis is not installed: the page needs its vis-network; {_REINSTALL}")
    # The package's files without running its __init__ (which imports IPython and networkx).
    return vis_network(files(importlib.util.module_from_spec(spec)))


def _pyvis_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"pyvis {version('pyvis')}"
    except PackageNotFoundError:
        return "pyvis"


def _newest_vis_folder(root: Traversable) -> Traversable | None:
    """The folder holding both vis-network files with the highest version in its name."""
    found: list[tuple[tuple[int, ...], str, Traversable]] = []
    todo: list[tuple[str, Traversable]] = [("", root)]
    while todo:
        path, folder = todo.pop()
        names = {entry.name: entry for entry in folder.iterdir()}
        if VIS_JS in names and VIS_CSS in names:
            version = tuple(int(n) for n in re.findall(r"\d+", folder.name))
            found.append((version, path, folder))
        todo += [(f"{path}/{name}", e) for name, e in sorted(names.items()) if e.is_dir()]
    if not found:
        return None
    # Newest version first; between copies of one version, the shortest path, then by name.
    found.sort(key=lambda item: (tuple(-n for n in item[0]), len(item[1]), item[1]))
    return found[0][2]


@lru_cache(maxsize=1)
def _own_files() -> tuple[str, str, str]:
    folder = files("mixity.graph.page").joinpath("templates")
    return (
        folder.joinpath("render.html").read_text(encoding="utf-8"),
        folder.joinpath("render.css").read_text(encoding="utf-8"),
        folder.joinpath("render.js").read_text(encoding="utf-8"),
    )


def script_json(data: object) -> str:
    """JSON safe inside a `<script>` element: no `</script>`, `<!--` can appear in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _inline_script(code: str) -> str:
    # A script's text ends at the first "</script" whatever its JS means: break that sequence.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.I)


def _sha256(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def page_html(title: str, lang: str, data: dict[str, Any]) -> str:
    """The whole page: mixity's template filled with the title, the scripts and the data."""
    page, css, app = _own_files()
    vis_js, vis_css = vis_network()
    vis_js = _inline_script(vis_js)
    app = _inline_script(app)
    # Only these two scripts may run (hashes): an inline handler such as onerror="…" that
    # slipped into the page would be refused by the browser, and nothing may be fetched.
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(vis_js)} {_sha256(app)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    values = {
        "LANG": html_lib.escape(lang, quote=True),
        "TITLE": html_lib.escape(title, quote=False),
        "CSP": html_lib.escape(csp, quote=False).replace('"', "&quot;"),
        "VIS_CSS": vis_css.replace("</", "<\\/"),
        "CSS": css,
        "VIS_JS": vis_js,
        "APP_JS": app,
        "DATA": script_json(data),
    }
    # One pass: inserted text is never scanned for markers again.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], page)

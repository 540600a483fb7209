"""Sphinx configuration of mixity's documentation (built offline: `scripts/docs`)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from mixity import __version__

project = "mixity"
author = "mixity contributors"
copyright = "mixity contributors, MIT licence"
release = version = __version__
language = "en"

extensions = ["myst_parser", "sphinx_click", "mixity_reference"]
myst_enable_extensions = ["colon_fence", "deflist"]
# Links to a heading of another page ([text](page.md#heading)) are checked like pages are.
myst_heading_anchors = 4
source_suffix = {".md": "markdown"}
# README.md says how the site is built; it is not a page of the site.
exclude_patterns = ["_build", "README.md"]
root_doc = "index"

# The default theme ships with Sphinx and loads nothing from the network.
html_theme = "alabaster"
html_title = f"mixity {__version__}"
html_theme_options = {
    "description": "the debate on mixité sociale as a knowledge graph",
    "fixed_sidebar": False,
    "show_relbars": True,
}
html_sidebars = {"**": ["about.html", "navigation.html", "relations.html", "searchbox.html"]}
html_static_path: list[str] = []
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
# Every warning is an error in the tests (sphinx-build -W); broken references are warnings.
nitpicky = True
# Code blocks are highlighted, never run through a lexer that may guess wrong: a block with no
# language is plain text.
highlight_language = "text"

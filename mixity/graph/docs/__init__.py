"""`mixity docs`: bilingual HTML documentation of the ontology, its extensions and its concept
schemes, as one offline folder.

`build_docs` reads a loaded graph and returns the pages (`DocsSite`); `write_docs` writes them
as a folder, all or nothing. Nothing here prints or imports click.
"""

from __future__ import annotations

from mixity.graph.docs.site import (
    MARKER,
    DocsSite,
    build_docs,
    check_output,
    previous_output,
    write_docs,
)

__all__ = ["MARKER", "DocsSite", "build_docs", "check_output", "previous_output", "write_docs"]

"""The typed library behind the mixity CLI: load, validate, query, describe the debate graph.

Names are imported on first use, so that `mixity.graph.query` (the fast, rdflib-free query
path) does not pay for rdflib when its package is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mixity.files import bundled_files
    from mixity.graph.loader import LoadedFile, LoadedGraph, load, parse_file
    from mixity.graph.query import QueryResult, SavedQuery, run_query, saved_queries

__all__ = [
    "LoadedFile",
    "LoadedGraph",
    "QueryResult",
    "SavedQuery",
    "bundled_files",
    "load",
    "parse_file",
    "run_query",
    "saved_queries",
]

_HOMES = {
    "LoadedFile": "loader",
    "LoadedGraph": "loader",
    "bundled_files": "files",
    "load": "loader",
    "parse_file": "loader",
    "QueryResult": "query",
    "SavedQuery": "query",
    "run_query": "query",
    "saved_queries": "query",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mixity.graph' has no attribute {name!r}")
    module = "mixity.files" if home == "files" else f"mixity.graph.{home}"
    return getattr(importlib.import_module(module), name)

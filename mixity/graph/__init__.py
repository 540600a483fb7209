"""The typed library behind the mixity CLI: load, check, query, draw and measure the debate graph.

The package is grouped by what each part does:

- `mixity.graph.io`: finding and reading RDF files (the safe loader), atomic writes, writers;
- `mixity.graph.sparql`: the query path (lexer, diagnosis, catalogue, engines, results, formats),
  which never imports rdflib, networkx or pyvis;
- `mixity.graph.store`: Oxigraph stores, RDFS entailment and the start-up cache;
- `mixity.graph.model`: the vocabulary as the code uses it, labels, the one resolver, views,
  `info` and `validate`;
- `mixity.graph.network`: the networkx projection, analytics, paths and exports;
- `mixity.graph.page`: the interactive HTML page.

Names are imported on first use, so that `import mixity.graph` costs nothing and the query path
does not pay for rdflib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mixity.graph.io.files import bundled_files
    from mixity.graph.io.loader import LoadedFile, LoadedGraph, load, parse_file
    from mixity.graph.model.info import GraphInfo, describe
    from mixity.graph.model.validate import ValidationReport, validate
    from mixity.graph.model.views import VIEWS, view_graph, view_nodes
    from mixity.graph.network.analyze import Analysis, analyze
    from mixity.graph.network.export import Exported, export
    from mixity.graph.network.paths import Path, find_paths
    from mixity.graph.page.render import Rendered, render, render_html
    from mixity.graph.sparql.catalogue import SavedQuery, saved_queries, saved_query
    from mixity.graph.sparql.engine import QueryEngine, run_query
    from mixity.graph.sparql.results import QueryResult
    from mixity.graph.store.oxigraph import BuiltStore, build_store, open_store

_HOMES = {
    "bundled_files": "io.files",
    "LoadedFile": "io.loader",
    "LoadedGraph": "io.loader",
    "load": "io.loader",
    "parse_file": "io.loader",
    "GraphInfo": "model.info",
    "describe": "model.info",
    "ValidationReport": "model.validate",
    "validate": "model.validate",
    "VIEWS": "model.views",
    "view_graph": "model.views",
    "view_nodes": "model.views",
    "Analysis": "network.analyze",
    "analyze": "network.analyze",
    "Exported": "network.export",
    "export": "network.export",
    "Path": "network.paths",
    "find_paths": "network.paths",
    "Rendered": "page.render",
    "render": "page.render",
    "render_html": "page.render",
    "SavedQuery": "sparql.catalogue",
    "saved_queries": "sparql.catalogue",
    "saved_query": "sparql.catalogue",
    "QueryEngine": "sparql.engine",
    "run_query": "sparql.engine",
    "QueryResult": "sparql.results",
    "BuiltStore": "store.oxigraph",
    "build_store": "store.oxigraph",
    "open_store": "store.oxigraph",
}

__all__ = [
    "VIEWS",
    "Analysis",
    "BuiltStore",
    "Exported",
    "GraphInfo",
    "LoadedFile",
    "LoadedGraph",
    "Path",
    "QueryEngine",
    "QueryResult",
    "Rendered",
    "SavedQuery",
    "ValidationReport",
    "analyze",
    "build_store",
    "bundled_files",
    "describe",
    "export",
    "find_paths",
    "load",
    "open_store",
    "parse_file",
    "render",
    "render_html",
    "run_query",
    "saved_queries",
    "saved_query",
    "validate",
    "view_graph",
    "view_nodes",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mixity.graph' has no attribute {name!r}")
    return getattr(importlib.import_module(f"mixity.graph.{home}"), name)

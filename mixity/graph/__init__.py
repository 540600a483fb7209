"""The typed library behind the mixity CLI: load, validate, describe the debate graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mixity.graph.loader import LoadedFile, LoadedGraph, bundled_files, load, parse_file

__all__ = ["LoadedFile", "LoadedGraph", "bundled_files", "load", "parse_file"]


def __getattr__(name: str) -> Any:
    # Importing a submodule (mixity.graph.store, the `mixity query` path) runs this package
    # first: rdflib (~130 ms) is imported only when the loader is actually used.
    if name in __all__:
        from mixity.graph import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'mixity.graph' has no attribute {name!r}")

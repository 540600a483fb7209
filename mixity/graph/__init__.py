"""The typed library behind the mixity CLI: load, validate, describe the debate graph."""

from __future__ import annotations

from mixity.graph.loader import LoadedFile, LoadedGraph, bundled_files, load, parse_file

__all__ = ["LoadedFile", "LoadedGraph", "bundled_files", "load", "parse_file"]

"""mixity: a knowledge graph of the French debate on mixité sociale, and tools to use it.

>>> import mixity
>>> g = mixity.load()            # the bundled ontology and debate graph
>>> g = mixity.load(["my.ttl"])  # plus a researcher's extension
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from mixity.graph.io.loader import LoadedGraph, load

__all__ = ["LoadedGraph", "__version__", "load"]


def __getattr__(name: str) -> Any:
    # Keep `import mixity` cheap: rdflib is imported on first use of the library.
    if name in ("load", "LoadedGraph"):
        from mixity.graph.io import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'mixity' has no attribute {name!r}")

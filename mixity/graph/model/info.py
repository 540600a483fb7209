"""What a loaded graph holds: files, counts per class, concept schemes, sources."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from mixity import __version__
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.io.table import pad, width
from mixity.graph.io.write import one_line
from mixity.graph.model.labels import compact, label
from mixity.graph.model.vocabulary import SOURCE_DOCUMENT


@dataclass
class GraphInfo:
    """A summary of a loaded graph."""

    version: str
    triples: int
    files: list[dict[str, object]] = field(default_factory=list)
    classes: dict[str, int] = field(default_factory=dict)
    schemes: dict[str, int] = field(default_factory=dict)
    sources: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> str:
        """The summary as JSON."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    def to_text(self) -> str:
        """The summary as aligned text."""
        out = [f"mixity {self.version}: {self.triples} triples", "", "Files:"]
        # File names and titles come from the user: shown inertly (no terminal escapes).
        paths = [one_line(str(f["path"])) for f in self.files]
        cells = max((width(p) for p in paths), default=0)
        out += [
            f"  {pad(p, cells)}  {f['triples']:>6} triples"
            for p, f in zip(paths, self.files, strict=True)
        ]
        out += ["", "Instances per class:"]
        names = [one_line(n) for n in self.classes]
        cells = max((width(n) for n in names), default=0)
        out += [
            f"  {pad(n, cells)}  {count:>5}"
            for n, count in zip(names, self.classes.values(), strict=True)
        ]
        out += ["", "Concept schemes:"]
        out += [f"  {one_line(name)}  ({count} concepts)" for name, count in self.schemes.items()]
        out += ["", "Source documents:"]
        out += [f"  {one_line(str(s['title']))}  {one_line(str(s['iri']))}" for s in self.sources]
        return "\n".join(out) + "\n"


def describe(loaded: LoadedGraph, lang: str = "fr") -> GraphInfo:
    """Summarise what was loaded and what the graph holds."""
    graph = loaded.graph
    counts = Counter(
        compact(str(t)) for t in graph.objects(None, RDF.type) if isinstance(t, URIRef)
    )
    schemes = {
        f"{label(graph, scheme, lang)} ({compact(str(scheme))})": len(
            set(graph.subjects(SKOS.inScheme, scheme))
        )
        for scheme in sorted(set(graph.subjects(RDF.type, SKOS.ConceptScheme)), key=str)
    }
    sources = [
        {
            "iri": compact(str(doc)),
            "title": str(graph.value(doc, DCTERMS.title) or label(graph, doc, lang)),
        }
        for doc in sorted(set(graph.subjects(RDF.type, URIRef(SOURCE_DOCUMENT))), key=str)
    ]
    return GraphInfo(
        version=__version__,
        triples=len(graph),
        files=[
            {"path": f.path, "format": f.format, "triples": f.triples, "bundled": f.bundled}
            for f in loaded.files
        ],
        classes=dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        schemes=schemes,
        sources=sources,
    )

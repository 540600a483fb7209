"""Build the documentation of a loaded graph and write it as one folder."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import URIRef

from mixity import __version__
from mixity.errors import InvalidParameter, OutputError
from mixity.graph.docs.catalogue import Usage, collect_headers, collect_terms
from mixity.graph.docs.html import INDEX, SECTIONS, Frame, Writer, footer
from mixity.graph.docs.schemes import collect_schemes
from mixity.graph.docs.text import Anchors, Bilingual, name_of, same, text_of
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.io.outfolder import check_target, entries, write_folder
from mixity.graph.model import vocabulary as vocab
from mixity.namespaces import ONTOLOGY_IRI, PREFIXES

#: The file that marks a folder as written by `mixity docs` and lists its files.
MARKER = ".mixity-docs.json"


@dataclass
class DocsSite:
    """The documentation's pages (file name -> HTML) and what they document."""

    pages: dict[str, str] = field(default_factory=dict)
    classes: int = 0
    properties: int = 0
    schemes: int = 0
    extension_terms: int = 0
    #: IRI -> (page, element id) of every documented term and concept
    anchors: dict[str, tuple[str, str]] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        """Every file of the folder: the pages and the marker that lists them."""
        manifest = {"generator": f"mixity docs {__version__}", "files": sorted(self.pages)}
        return {**self.pages, MARKER: json.dumps(manifest, indent=2) + "\n"}


def _when() -> str:
    # SOURCE_DATE_EPOCH makes the pages reproducible byte for byte (reproducible builds).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def build_docs(loaded: LoadedGraph, *, lang: str = "fr") -> DocsSite:
    """The bilingual documentation of every class, property and concept scheme of `loaded`;
    `lang` is the language the pages open in (the other is one click away)."""
    if lang not in ("fr", "en"):
        raise InvalidParameter("lang", f"{lang!r}: must be 'fr' or 'en'")
    graph = loaded.graph
    prefixes = dict(PREFIXES)
    for prefix, namespace in graph.namespaces():
        if prefix:
            prefixes.setdefault(prefix, str(namespace))
    anchors = Anchors(prefixes)
    for section in SECTIONS:
        anchors.reserve(section)
    usage = Usage(graph)
    terms = collect_terms(loaded, anchors, usage, lang)
    schemes = collect_schemes(loaded, anchors, usage, lang)
    headers = collect_headers(loaded, anchors)
    writer = Writer(graph, anchors, Frame(lang, footer(__version__, len(loaded.files), _when())))
    for iri in [t.iri for t in terms] + [h.iri for h in headers]:
        writer.place(iri, INDEX)
    for scheme in schemes:
        writer.place(scheme.iri, scheme.page)
        for concept in scheme.walk():
            writer.place(concept.iri, scheme.page)
    title = _title(loaded)
    pages = {INDEX: writer.index(headers, terms, schemes, title)}
    for scheme in schemes:
        pages[scheme.page] = writer.scheme(scheme, schemes, title)
    return DocsSite(
        pages=pages,
        classes=sum(t.is_class for t in terms),
        properties=sum(not t.is_class for t in terms),
        schemes=len(schemes),
        extension_terms=sum(t.extension for t in terms),
        anchors=dict(writer.where),
    )


def _title(loaded: LoadedGraph) -> Bilingual:
    """The title of the pages: mixity's ontology's, else the first ontology's, else mixity."""
    graph = loaded.graph
    found = sorted(
        graph.subjects(URIRef(vocab.RDF_TYPE), URIRef(vocab.OWL + "Ontology")),
        key=lambda n: (str(n) != ONTOLOGY_IRI, str(n)),
    )
    for node in found:
        return text_of(graph, node, (vocab.DCTERMS + "title", *vocab.LABEL_PROPERTIES)) or (
            name_of(graph, node)
        )
    return same("mixity")


def previous_output(folder: Path) -> bool:
    """Whether `folder` holds only what an earlier `mixity docs` wrote (its marker says)."""
    if not (folder / MARKER).is_file():
        return False
    return set(entries(folder)) <= _written_before(folder) | {MARKER}


def check_output(folder: Path, *, force: bool = False) -> bool:
    """Whether `folder` may take the documentation, as `write_docs` decides: True when it is
    new, empty or an earlier output (replaced whole), False when `force` lets the files be
    written into it; an `OutputError` otherwise."""
    real = check_target(folder)
    present = entries(real)
    if not present or previous_output(real):
        return True
    if not force:
        shown = ", ".join(present[:3]) + (", …" if len(present) > 3 else "")
        raise OutputError(
            f"{folder}: folder is not empty and was not written by mixity docs (it holds "
            f"{shown}): choose another folder with -o, or add --force to write the "
            "documentation's files into it (other files are left alone)"
        )
    return False


def write_docs(site: DocsSite, folder: Path, *, force: bool = False) -> None:
    """Write the documentation as the folder `folder`, all or nothing.

    A new or empty folder, or one that an earlier `mixity docs` wrote, is replaced whole; any
    other folder is refused, unless `force`: then the documentation's files are written into
    it and its other files are left alone.
    """
    real = check_target(folder)
    if check_output(folder, force=force):
        write_folder(real, site.files(), replace=bool(entries(real)))
        return
    from mixity.graph.io.write import atomic_write_many

    stale = _written_before(real) - set(site.files())
    atomic_write_many({real / name: data for name, data in site.files().items()})
    for name in sorted(stale):  # pages of an earlier run that this one no longer has
        (real / name).unlink(missing_ok=True)


def _written_before(folder: Path) -> set[str]:
    """The pages an earlier `mixity docs` wrote into `folder`, as its marker lists them."""
    try:
        manifest = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        names = {str(n) for n in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    # only plain page names: a marker is data, never a way to delete another file
    return {n for n in names if n.endswith(".html") and "/" not in n and not n.startswith(".")}

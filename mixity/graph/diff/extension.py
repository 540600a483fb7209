"""What an extension does to the bundled ontology and data (`mixity diff --extension`).

Three questions, each answered against the bundled graph alone and against the bundled graph
with the extension:

1. what the extension asserts about mixity's own terms and reused vocabularies' terms: lint's
   base checks (`mixity.graph.lint.base_findings`), placed at the extension's file and line;
2. which bundled resources no longer conform: the findings of `mixity validate` on the
   extended graph that the bundled graph alone does not have, about bundled resources;
3. which bundled resources change their classes under RDFS entailment
   (`mixity.graph.store.entailment`): a new domain, range or superclass reaches every
   existing use of the term.

Questions 2 and 3 are answered on the bundled graph plus the part of the extension that can
reach it (`mixity.graph.diff.reach`), so that a large extension's own data costs no time.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sized
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import IdentifiedNode, Node

from mixity.graph.diff.reach import reaching
from mixity.graph.io.loader import LoadedFile, LoadedGraph, load, new_graph
from mixity.graph.io.parse import ParsedFile
from mixity.graph.io.write import one_line
from mixity.graph.lint import Finding as LintFinding
from mixity.graph.model.findings import Finding as ShapeFinding
from mixity.graph.model.labels import compact, label
from mixity.namespaces import PREFIXES

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class ClassChange:
    """A bundled resource whose classes (asserted or RDFS-inferred) the extension changes."""

    resource: str
    name: str
    label: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass
class ExtensionReport:
    """The answers of `extension_report` (see the module docstring)."""

    files: list[str]
    base_findings: list[LintFinding] = field(default_factory=list)
    #: findings of `validate` on bundled resources that appear with the extension
    new_findings: list[ShapeFinding] = field(default_factory=list)
    class_changes: list[ClassChange] = field(default_factory=list)

    @property
    def new_violations(self) -> list[ShapeFinding]:
        """The new findings that make a bundled resource not conform."""
        return [f for f in self.new_findings if f.severity == "Violation"]

    def breaks(self) -> bool:
        """True when the extension changes the base: a base finding (error or warning), a
        bundled resource that no longer conforms, or one whose classes change."""
        return (
            any(f.level in ("error", "warning") for f in self.base_findings)
            or bool(self.new_violations)
            or bool(self.class_changes)
        )

    def summary(self) -> str:
        """One line of counts."""
        levels = Counter(f.level for f in self.base_findings)
        shown = ", ".join(f"{n} {level}" for level, n in sorted(levels.items()))
        return (
            f"{len(self.base_findings)} base finding{_s(self.base_findings)}"
            + (f" ({shown})" if shown else "")
            + f", {len(self.new_violations)} bundled resource violation"
            + f"{_s(self.new_violations)}, {len(self.class_changes)} bundled resource"
            + f"{_s(self.class_changes)} with changed classes."
        )

    def to_text(self) -> str:
        """Three sections (only those with something to say), then the summary."""
        lines: list[str] = []
        if self.base_findings:
            lines.append("What the extension asserts about the base's terms (lint):")
            for f in self.base_findings:
                where = f"{f.file}:{f.line}" if f.file and f.line else f.file or "-"
                lines.append(f"  {where}: {f.level} [{f.check}] {one_line(f.message)}")
                lines.append(f"      fix: {one_line(f.fix)}")
            lines.append("")
        if self.new_findings:
            lines.append("Bundled resources with new findings under the extension (validate):")
            groups: defaultdict[tuple[str, str], list[ShapeFinding]] = defaultdict(list)
            for finding in self.new_findings:
                groups[(finding.focus, finding.label)].append(finding)
            for (focus, name), items in groups.items():
                lines.append(one_line(f"  {focus}  « {name} »"))
                lines += ["    " + one_line(item.to_line()) for item in items]
            lines.append("")
        if self.class_changes:
            lines.append("Bundled resources whose classes change (RDFS entailment):")
            for change in self.class_changes:
                shown = f"  « {change.label} »" if change.label != change.name else ""
                lines.append(one_line(f"  {change.name}{shown}"))
                lines += [f"    + {c}" for c in change.added]
                lines += [f"    - {c}" for c in change.removed]
            lines.append("")
        if not self.breaks():
            lines.append(
                "Nothing breaks: the extension changes none of mixity's terms, every bundled "
                "resource conforms as before and keeps its classes."
            )
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """{files, breaks, base_findings, new_findings, class_changes} as JSON."""
        data = {
            "files": self.files,
            "breaks": self.breaks(),
            "base_findings": [asdict(f) for f in self.base_findings],
            "new_findings": [asdict(f) for f in self.new_findings],
            "class_changes": [asdict(c) for c in self.class_changes],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def extension_report(paths: Iterable[str | Path], *, lang: str = "fr") -> ExtensionReport:
    """What the extension in `paths` (files or folders) does to the bundled graph."""
    from mixity.graph.io.loader import read_parts, without_gc
    from mixity.graph.lint import base_findings
    from mixity.graph.model.validate import validate

    with without_gc():
        base = load()
        # Oxigraph's triples: only the part that matters becomes an rdflib graph
        parts = list(read_parts(paths, bundled=False))
        triples = [t for _, part in parts for t in part.triples]
        kept = reaching(base.graph, triples)
        extension = _loaded(parts, [*kept, *_axioms(triples)])
    report = ExtensionReport(files=[f.path for f, _ in parts])
    report.base_findings = _placed(base_findings(base.graph, extension.graph), extension)
    if not kept:  # nothing reaches the bundled graph: its shapes and classes are unchanged
        return report
    with without_gc():
        extended = _extended(base, _loaded(parts, kept))
    after = validate(extended, lang=lang)
    report.new_findings = _new_findings(_baseline(lang), after.findings, base, extended)
    prefixes = dict(PREFIXES)
    for prefix, namespace in extended.graph.namespaces():
        if prefix:
            prefixes.setdefault(prefix, str(namespace))
    report.class_changes = class_changes(base.graph, extended.graph, lang=lang, prefixes=prefixes)
    return report


@cache
def _baseline(lang: str) -> frozenset[tuple[str | None, ...]]:
    """The findings of `validate` on the bundled graph alone.

    They change only with the package: they are kept in the user's cache folder
    (`mixity.graph.store.cache.cache_dir`), under a key made of the bundled files, the shapes,
    mixity's code and where it is installed, `lang`, and the versions of pySHACL and rdflib
    (a development checkout keeps one version number while its code changes). Computing them
    takes about 2 s.
    """
    from mixity.graph.model.validate import validate
    from mixity.graph.store.cache import cache_dir

    path = _baseline_path(lang)
    if path is not None:
        try:
            return frozenset(tuple(key) for key in json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            pass  # not there yet, or unreadable: computed again
    found = frozenset(_key(f) for f in validate(load(), lang=lang).findings)
    folder = cache_dir()
    if path is not None and folder is not None:
        from mixity.errors import MixityError
        from mixity.graph.io.write import atomic_write

        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write(path, json.dumps(sorted(found, key=str), ensure_ascii=False))
        except (OSError, MixityError):
            pass  # a folder that cannot be written: computed each time
    return found


def _baseline_path(lang: str) -> Path | None:
    """Where `_baseline` keeps its findings, or None when the cache is off."""
    import hashlib
    from importlib.metadata import version

    from mixity import __version__
    from mixity.graph.io.files import bundled_files, package_root
    from mixity.graph.store.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    root = package_root()
    digest = hashlib.sha256()
    for part in (__version__, str(root), version("pyshacl"), version("rdflib"), lang):
        digest.update(part.encode("utf-8") + b"\0")
    files = [*bundled_files(), ("shapes.ttl", root / "ontology" / "shapes.ttl")]
    if isinstance(root, Path):  # a folder: its code (a zip is one version's, not changed)
        files += sorted((str(f.relative_to(root)), f) for f in root.rglob("*.py"))
    for name, entry in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(entry.read_bytes()).digest())
    return folder / f"validation-{digest.hexdigest()[:32]}.json"


def _key(finding: ShapeFinding) -> tuple[str | None, ...]:
    """What tells two findings apart, wherever they are placed."""
    return (finding.focus, finding.severity, finding.shape, finding.path, finding.value,
            finding.message)  # fmt: skip


def _axioms(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The statements lint's base checks read (`mixity.graph.lint.base`): axioms and
    declarations, whatever their subject."""
    from mixity.graph.lint.base import AXIOMS
    from mixity.graph.lint.context import DECLARATIONS

    axioms = {str(p) for p in AXIOMS}
    declarations = {str(t) for t in DECLARATIONS}
    return [
        t
        for t in triples
        if t.predicate.value in axioms
        or (
            t.predicate.value == _RDF_TYPE
            and type(t.object) is ox.NamedNode
            and t.object.value in declarations
        )
    ]


def _loaded(parts: list[tuple[LoadedFile, ParsedFile]], triples: list[ox.Triple]) -> LoadedGraph:
    """Some of the triples of `parts` as a loaded graph: the files, their prefixes, and the
    first file that states something about each subject, as `load` records them."""
    from mixity.graph.io.terms import rdflib_triples, to_rdflib

    graph = new_graph()
    graph.addN((s, p, o, graph) for s, p, o in rdflib_triples(triples))
    subjects = {t.subject for t in triples}
    origins: dict[IdentifiedNode, str] = {}
    bound = {prefix for prefix, _ in graph.namespaces()}
    for file, part in parts:
        for prefix, namespace in part.prefixes.items():
            if prefix and prefix not in bound:
                graph.bind(prefix, namespace, override=False)
                bound.add(prefix)
        for t in part.triples:
            if t.subject in subjects:
                subjects.discard(t.subject)  # the first file that states something about it
                origins[to_rdflib(t.subject)] = file.path
    return LoadedGraph(graph=graph, files=[file for file, _ in parts], origins=origins)


def _extended(base: LoadedGraph, extension: LoadedGraph) -> LoadedGraph:
    """The base and (the part that reaches it of) the extension as one loaded graph, as
    `load(paths)` makes it, with the base's blank nodes kept (the same nodes)."""
    graph = new_graph()
    for part in (base, extension):
        graph.addN((s, p, o, graph) for s, p, o in part.graph)
        bound = {prefix for prefix, _ in graph.namespaces()}
        for prefix, namespace in part.graph.namespaces():
            if prefix and prefix not in bound:
                graph.bind(prefix, namespace, override=False)
    origins = dict(extension.origins)
    origins.update(base.origins)  # the bundled file describes a bundled resource first
    return LoadedGraph(graph=graph, files=[*base.files, *extension.files], origins=origins)


def _placed(findings: list[LintFinding], extension: LoadedGraph) -> list[LintFinding]:
    """Lint's findings with the extension's file and line of their subject."""
    from dataclasses import replace

    from mixity.graph.model.locate import Locator

    locator = Locator(extension)
    placed = []
    for finding in findings:
        if finding.file is None and finding.subject is not None:
            file, line = locator.where(URIRef(finding.subject))
            finding = replace(finding, file=file, line=line)
        placed.append(finding)
    return sorted(placed, key=lambda f: f.sort_key())


def _new_findings(
    known: frozenset[tuple[str | None, ...]],
    after: list[ShapeFinding],
    base: LoadedGraph,
    extended: LoadedGraph,
) -> list[ShapeFinding]:
    """The findings of `after` not `known` before, about bundled resources."""
    from mixity.graph.model.findings import show

    bundled = {show(n) for n in base.graph.subjects() if isinstance(n, URIRef)}
    bundled_files = {f.path for f in extended.files if f.bundled}
    found = [
        f
        for f in after
        if _key(f) not in known
        and (f.focus in bundled or (f.focus == "[blank node]" and f.origin in bundled_files))
    ]
    return sorted(found, key=lambda f: (f.focus, f.severity != "Violation", f.message))


def class_changes(
    base: Graph, extended: Graph, *, lang: str = "fr", prefixes: Mapping[str, str] | None = None
) -> list[ClassChange]:
    """The resources of `base` whose classes differ between the RDFS closures of `base` and
    `extended` (blank nodes are shown through the resource that points to them; names are
    shortened with `prefixes`, mixity's by default)."""
    before, after = _classes(base), _classes(extended)
    nodes = {n for t in base for n in (t[0], t[2]) if not isinstance(n, Literal)}
    changes = []
    for node in nodes:
        old, new = before.get(node, set()), after.get(node, set())
        if old == new:
            continue
        name, shown = _name(base, node, lang, prefixes)
        changes.append(
            ClassChange(
                resource=f"_:{node}" if isinstance(node, BNode) else str(node),
                name=name,
                label=shown,
                added=tuple(sorted(compact(c, prefixes) for c in new - old)),
                removed=tuple(sorted(compact(c, prefixes) for c in old - new)),
            )
        )
    return sorted(changes, key=lambda c: (c.name.startswith("["), c.name))


def _classes(graph: Graph) -> dict[Node, set[str]]:
    """Every resource's classes in the RDFS closure of `graph`, computed by Oxigraph."""
    from mixity.graph.io.terms import to_rdflib, triples_from_rdflib
    from mixity.graph.store.entailment import materialize_rdfs_store

    store = ox.Store()
    store.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in triples_from_rdflib(graph)
    )
    materialize_rdfs_store(store)
    found: defaultdict[Node, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), None):
        if isinstance(quad.object, ox.NamedNode):
            found[to_rdflib(quad.subject)].add(quad.object.value)
    return found


def _name(
    graph: Graph, node: Node, lang: str, prefixes: Mapping[str, str] | None
) -> tuple[str, str]:
    """(name, label) of a resource; a blank node is named by the IRI that points to it."""
    if isinstance(node, URIRef):
        return compact(str(node), prefixes), label(graph, node, lang)
    parent = next(
        ((s, p) for s, p in graph.subject_predicates(node) if isinstance(s, URIRef)), None
    )
    if parent is None:
        return "[blank node]", "[blank node]"
    s, p = parent
    shown = f"{compact(str(s), prefixes)} {compact(str(p), prefixes)}"
    return f"[blank node of {shown}]", label(graph, s, lang)


def _s(items: Sized) -> str:
    return "" if len(items) == 1 else "s"

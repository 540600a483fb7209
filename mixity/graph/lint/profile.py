"""The OWL 2 DL profile, checked by the OWL API (Debian's `libowlapi-java`) with the machine's
Java: a small class (`java/ProfileCheck.java`, compiled once into the user's cache folder) runs
the OWL API's `OWL2DLProfile` over the base and over base + extension, and the violations the
base alone does not have are reported. Without Java or the OWL API, one info finding says so."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from mixity.graph.lint.context import Context
from mixity.graph.lint.vocab import LANGUAGE, published

#: The jars the OWL API needs from the Java libraries folder (Debian's /usr/share/java, or
#: $MIXITY_JAVA_LIBRARIES where the OWL API is installed elsewhere).
OWLAPI_JAR = "owlapi-distribution.jar"
DEPENDENCIES = (
    "guava.jar",
    "caffeine.jar",
    "commons-rdf-api.jar",
    "commons-io.jar",
    "commons-codec.jar",
    "jsr305.jar",
    "slf4j-api.jar",
    "slf4j-nop.jar",
    "atinject-jsr330-api.jar",
    "hppcrt.jar",
    "xz.jar",
)
#: Seconds the profile checker may take (the JVM starts in about one).
TIMEOUT = 300
#: A short run: the first JIT tier only and one GC thread. Measured on the benchmark's files:
#: 1.1-1.3 s and 1.6 s of CPU instead of 1.9 s and 3.0 s, leaving the other core to Python.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
_IRI = re.compile(r"<([^<>\s]+)>")
_BLANK = re.compile(r"_:[A-Za-z0-9_]+")
#: "DataPropertyAssertion(<p> <s> …)", "AnnotationAssertion(<p> <s> …)" in the OWL API's messages.
_ASSERTION = re.compile(
    r"(?:Object|Data)?(?:Property|Annotation)Assertion\(<(?P<property>[^<>\s]+)> "
    r"<(?P<subject>[^<>\s]+)>"
)
_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')
#: Debian ships each jar twice: unversioned, and as a link with the version in its name.
_VERSIONED = re.compile(r"-\d+(\.\d+)+\.jar$")
INSTALL = (
    "install Java with its compiler and the OWL API "
    "(Debian: apt-get install default-jdk-headless libowlapi-java)"
)


@dataclass(frozen=True)
class Violation:
    """One OWL 2 DL profile violation: the OWL API's class name and its message."""

    kind: str
    message: str

    def key(self) -> tuple[str, str]:
        """What it is about, the same across runs and axioms: its kind, and its message before
        the axiom it quotes, with literal values and blank node labels left out."""
        head = self.message.split(" [", 1)[0]
        return self.kind, _BLANK.sub("_:b", _LITERAL.sub('"…"', head))


class ProfileUnavailable(Exception):
    """Java or the OWL API is missing: the profile cannot be checked."""


def classpath() -> str:
    """The OWL API and its dependencies, or `ProfileUnavailable` saying what is missing."""
    if shutil.which("java") is None:
        raise ProfileUnavailable("no Java (the `java` command is not on PATH)")
    libraries = Path(os.environ.get("MIXITY_JAVA_LIBRARIES") or "/usr/share/java")
    owlapi = libraries / OWLAPI_JAR
    if not owlapi.is_file():
        raise ProfileUnavailable(f"no OWL API ({owlapi} is missing)")
    jars = [owlapi] + [libraries / name for name in DEPENDENCIES]
    jars += sorted(p for p in libraries.glob("rdf4j-*.jar") if not _VERSIONED.search(p.name))
    return os.pathsep.join(str(jar) for jar in jars if jar.is_file())


def compiled(cp: str) -> Path:
    """The folder holding ProfileCheck.class, compiled on first use into the cache folder (or,
    where that cannot be written, the temporary folder)."""
    from mixity.graph.store.cache import cache_dir

    source = files("mixity.graph.lint").joinpath("java", "ProfileCheck.java").read_bytes()
    digest = hashlib.sha256(source + cp.encode()).hexdigest()[:16]
    roots = [cache_dir(), Path(tempfile.gettempdir()) / "mixity-lint"]
    for root in [r for r in roots if r is not None]:
        try:
            return _compiled_in(root / f"owlapi-profile-{digest}", source, cp)
        except OSError:
            continue  # a read-only cache folder, or a file where it should be
    raise ProfileUnavailable("no folder to build the profile checker in (cache and temporary)")


def _compiled_in(folder: Path, source: bytes, cp: str) -> Path:
    root = folder.parent
    if (folder / "ProfileCheck.class").is_file():
        return folder
    javac = shutil.which("javac")
    if javac is None:
        raise ProfileUnavailable("no Java compiler (javac) to build the profile checker once")
    root.mkdir(parents=True, exist_ok=True)
    # Built in a temporary folder renamed into place: two runs at once never see half a class.
    with tempfile.TemporaryDirectory(dir=root) as work:
        (Path(work) / "ProfileCheck.java").write_bytes(source)
        result = subprocess.run(
            [javac, "-nowarn", "-cp", cp, "-d", work, str(Path(work) / "ProfileCheck.java")],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise ProfileUnavailable(f"javac failed: {_last_line(result.stderr)}")
        try:
            os.rename(work, folder)
        except OSError:
            if not (folder / "ProfileCheck.class").is_file():
                raise
        os.makedirs(work, exist_ok=True)  # TemporaryDirectory removes it
    return folder


class ProfileRun:
    """One run of the OWL API's profile checker, relative to a base, started before the graph
    it checks is read.

    The JVM takes about a second to load the OWL API: started with the base (the bundled
    ontology and data), it checks it while mixity reads the extension, and is given base +
    extension by `violations` (`ProfileCheck … -` reads more paths on standard input). Use it
    as a context manager: the process is stopped and its files removed on the way out.
    """

    def __init__(self, base: Sequence[ox.Triple] | None = None) -> None:
        self.base = base
        self.work: Path | None = None
        self.written = 0
        self.process: subprocess.Popen[str] | None = None
        self.error: Exception | None = None
        try:
            self.work = Path(tempfile.mkdtemp(prefix="mixity-profile-"))
            cp = classpath()
            folder = compiled(cp)
            first = [] if base is None else [self._write(base)]
            command = [
                "java",
                *JVM_OPTIONS,
                "-cp",
                os.pathsep.join([str(folder), cp]),
                "ProfileCheck",
            ]
            self.process = subprocess.Popen(
                [*command, *first, "-"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        except (ProfileUnavailable, OSError, ValueError, subprocess.SubprocessError) as exc:
            self.error = exc

    def __enter__(self) -> ProfileRun:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)

    def violations(self, linted: Sequence[ox.Triple]) -> tuple[list[Violation], list[Violation]]:
        """The violations of the base alone, and of base + `linted` (of `linted` alone when
        there is no base). Raises `ProfileUnavailable`, or another error if the run failed."""
        if self.error is not None:
            raise self.error
        assert self.process is not None
        path = self._write(linted if self.base is None else [*self.base, *linted])
        try:
            out, err = self.process.communicate(path + "\n", TIMEOUT)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"the OWL API took more than {TIMEOUT} s") from None
        if self.process.returncode != 0:
            raise RuntimeError(_last_line(err) or f"exit code {self.process.returncode}")
        found: list[list[Violation]] = []
        for line in out.splitlines():
            fields = line.split("\t")
            if fields[0] == "file":
                found.append([])
            elif fields[0] == "violation" and len(fields) == 3 and found:
                found[-1].append(Violation(fields[1], fields[2]))
        if len(found) != self.written:
            raise RuntimeError("the profile checker's output is incomplete")
        return (found[0] if self.base is not None else []), found[-1]

    def _write(self, triples: Iterable[ox.Triple]) -> str:
        """The triples the profile depends on (`essential`), as an N-Triples file."""
        assert self.work is not None  # set before anything is written
        path = self.work / f"graph-{self.written}.nt"
        ox.serialize(essential(triples), str(path), ox.RdfFormat.N_TRIPLES)
        self.written += 1
        return str(path)


_TYPE = ox.NamedNode(str(RDF.type))
_IMPORTS = ox.NamedNode(str(OWL.imports))
_PLAIN = {ox.NamedNode(str(XSD.string)), ox.NamedNode(str(RDF.langString))}
#: Annotation properties of the RDFS and OWL vocabularies: assertions, not axioms.
_ANNOTATIONS = {
    str(p)
    for p in (
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.deprecated,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    )
}


def essential(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """What decides whether a graph is in OWL 2 DL, without owl:imports (nothing is fetched).

    Every axiom, declaration and OWL structure (the statements in the RDF, RDFS and OWL
    vocabularies, and declarations with `rdf:type`) is kept. Of the data's assertions, whose
    violations depend only on their shape (the property, the class of a type, the kind of
    subject and object, a literal's datatype and language) and on the declarations, one of each
    shape is kept, and every ill-typed literal: the OWL API then reads a 100 k-triple
    extension in seconds instead of half a minute, and finds the same kinds of violations.
    Read on Oxigraph's terms (hashed and compared in Rust): a pass over rdflib's took a second.
    """
    shapes: set[tuple[object, ...]] = set()
    found: dict[ox.Triple, None] = {}
    structural: dict[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, bool] = {}
    ill_typed: dict[ox.Literal, bool] = {}
    literal, blank = ox.Literal, ox.BlankNode
    for triple in triples:
        p, o = triple.predicate, triple.object
        typed = p == _TYPE
        kept = structural.get(o if typed else p)
        if kept is None:
            kept = structural[o if typed else p] = (
                isinstance(o, ox.NamedNode) and o.value.startswith(LANGUAGE)
                if typed
                else p.value.startswith(LANGUAGE) and p.value not in _ANNOTATIONS
            )
        if p == _IMPORTS:
            continue
        if not kept:
            subject = type(triple.subject) is blank
            if typed:
                shape: tuple[object, ...] = (p, subject, o)
            elif type(o) is literal:
                shape = (p, subject, "literal", o.datatype, bool(o.language))
            else:
                shape = (p, subject, type(o) is blank)
            if shape in shapes and not (type(o) is literal and _ill_typed(o, ill_typed)):
                continue
            shapes.add(shape)
        found[triple] = None
    return list(found)


def _ill_typed(value: ox.Literal, memo: dict[ox.Literal, bool]) -> bool:
    """Whether a literal's text is not in its datatype's lexical space (rdflib's verdict)."""
    if value.datatype in _PLAIN:
        return False
    known = memo.get(value)
    if known is None:
        from mixity.graph.io.terms import to_rdflib

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            known = memo[value] = bool(to_rdflib(value).ill_typed)
    return known


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    exceptions = [line for line in lines if "Exception" in line or "Error" in line]
    return (exceptions or lines or [""])[0][:300]


def check_profile(ctx: Context, run: ProfileRun, linted: Sequence[ox.Triple]) -> None:
    """Report the OWL 2 DL violations of `run`'s base + `linted` (the triples of `ctx.graph`)
    that the base alone has not, one finding per kind of violation and term (with the number
    of axioms).

    The base is the bundled ontology and data when an extension is linted, so that an
    extension is not blamed for a usage the bundled data shares (e.g. xsd:date values).
    """
    try:
        base, found = run.violations(linted)
    except ProfileUnavailable as why:
        ctx.report(
            "mixity:profile-unavailable",
            "info",
            None,
            f"OWL 2 DL profile not checked: {why}",
            INSTALL,
        )
        return
    except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as exc:
        ctx.report(
            "mixity:profile-failed",
            "error",
            None,
            f"the OWL API could not check the OWL 2 DL profile: {exc}",
            "fix what the message names; run with --format json for the details",
        )
        return
    before = {v.key() for v in base}
    groups: dict[tuple[str, str], list[Violation]] = {}
    for violation in found:
        if _checked_in_python(violation):
            continue
        if violation.key() not in before:
            groups.setdefault(violation.key(), []).append(violation)
    for group in groups.values():
        subject = _subject(ctx, group[0].message)
        # one axiom is quoted in full; for several, what they share
        message = group[0].message
        if len(group) > 1:
            message = f"{message.split(' [', 1)[0]} (in several axioms)"
        ctx.report(
            f"owl2dl:{group[0].kind}",
            "error",
            subject,
            f"not OWL 2 DL: {_shorten(ctx, message)}",
            _fix(ctx, group[0].kind, subject),
            _assertion(group[0].message),
        )


def _fix(ctx: Context, kind: str, subject: URIRef | None) -> str:
    """The fix of a kind of violation; for an undeclared term of a vocabulary that does not
    define it (`schema:startDat`), a misspelling, not a term to declare."""
    if kind.startswith("UseOfUndeclared") and subject is not None:
        known = published(str(subject))
        if known is not None and not known[1]:
            return (
                f"check the spelling: {known[0]} defines no {ctx.short(subject)} "
                "(and terms of your own go in your own namespace)"
            )
    return _FIXES.get(kind, _FIX).format(term=ctx.short(subject))


def _subject(ctx: Context, message: str) -> URIRef | None:
    """The first IRI of a message that the linted graph names and the base does not
    describe (else the first IRI the linted graph names, else the first IRI)."""
    iris = [URIRef(m) for m in _IRI.findall(message)]
    named = [i for i in iris if _names(ctx.graph, i)]
    for iri in named:
        if (iri, None, None) not in ctx.base:
            return iri
    found = named or iris
    return found[0] if found else None


def _assertion(message: str) -> tuple[URIRef, URIRef, None] | None:
    """The statement of the property assertion a message quotes, to place the finding there."""
    match = _ASSERTION.search(message)
    if match is None:
        return None
    return URIRef(match.group("subject")), URIRef(match.group("property")), None


def _names(graph: Graph, iri: URIRef) -> bool:
    return any(
        pattern in graph for pattern in ((iri, None, None), (None, iri, None), (None, None, iri))
    )


def _shorten(ctx: Context, message: str, limit: int = 240) -> str:
    """The OWL API's message with prefixed names, on one line of at most `limit` characters."""
    text = _IRI.sub(lambda m: ctx.short(URIRef(m.group(1))), message)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: The literal an OWL API message quotes: "a b"^^xsd:language, "x"^^<http://…>.
_QUOTED_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"\^\^(?:xsd:(\w+)|<([^<>\s]+)>)')


def _checked_in_python(violation: Violation) -> bool:
    """An ill-typed literal that `mixity:ill-typed-literal` reports (rdflib knows its datatype);
    the OWL API's verdict is kept for the datatypes rdflib does not check (xsd:language…)."""
    if violation.kind != "LexicalNotInLexicalSpace":
        return False
    match = _QUOTED_LITERAL.search(violation.message)
    if match is None:
        return False
    lexical, xsd_name, iri = match.groups()
    datatype = XSD[xsd_name] if xsd_name else URIRef(iri)
    text = re.sub(r"\\(.)", r"\1", lexical)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return bool(Literal(text, datatype=datatype).ill_typed)


_FIX = "rewrite the axiom within OWL 2 DL (see the OWL 2 Structural Specification)"
_FIXES = {
    "UseOfUndeclaredAnnotationProperty": "declare it: {term} a owl:AnnotationProperty (or "
    "owl:ObjectProperty, owl:DatatypeProperty)",
    "UseOfUndeclaredObjectProperty": "declare it: {term} a owl:ObjectProperty",
    "UseOfUndeclaredDataProperty": "declare it: {term} a owl:DatatypeProperty",
    "UseOfUndeclaredClass": "declare it: {term} a owl:Class",
    "UseOfUndeclaredDatatype": "declare it ({term} a rdfs:Datatype) or use an XSD datatype",
    "IllegalPunning": "use one IRI for one kind of term (a class, or a property, not both)",
    "UseOfReservedVocabularyForClassIRI": "do not declare terms in the rdf:, rdfs:, owl: or "
    "xsd: namespaces",
}

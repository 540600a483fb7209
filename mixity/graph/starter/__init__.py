"""`mixity init`: a starter extension folder that passes `lint` and `validate --sources` as
written: an ontology header, one class and one property, one resource resting on a quote of a
short text in `sources/`, and a README with the next commands.

The files come from the templates shipped in `mixity/templates/init/` (read through
`importlib.resources`), filled with `string.Template`; the Turtle is parsed back and every quote
is looked up in its text before anything is written, so that a broken template or option is an
error, never a folder that fails its first check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template

from mixity.errors import InvalidParameter, MixityError, OutputError
from mixity.graph.io.outfolder import check_target, entries, write_folder
from mixity.graph.model.quotes import SourceText, find, sha256, slug, turtle_string
from mixity.namespaces import MIX, ONTOLOGY_IRI, PREFIXES

TURTLE_FILE = "extension.ttl"
SOURCE_FILE = "exemple.txt"
VERSION = "0.1.0"
#: The quotes of the example, verbatim passages of sources/exemple.txt.
QUOTES = {
    "garden_quote": "un jardin partagé au pied des immeubles",
    "ties_quote": "pour favoriser le lien social entre voisins",
}
#: Prefixes the Turtle file declares itself: an extension's prefix must be another one.
RESERVED = frozenset(
    ("mix", "owl", "rdfs", "xsd", "dcterms", "vann", "skos", "schema", "oa", "spdx")
)
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@dataclass(frozen=True)
class Starter:
    """What `write_starter` wrote (or `starter_files` would write)."""

    folder: Path
    files: dict[str, bytes]
    prefix: str
    namespace: str
    ontology: str
    data: str


def _template(*parts: str) -> bytes:
    return files("mixity").joinpath("templates", "init", *parts).read_bytes()


def default_namespace(folder: Path) -> str:
    """The namespace of a folder's terms when none is given: a persistent one (w3id.org) named
    after the folder, to register there (or to replace with --namespace)."""
    name = slug(folder.resolve().name, words=8)
    if name in ("mixity", "passage"):  # mixity's own namespace, or a name with no letters
        name = f"{name}-extension" if name == "mixity" else "mixity-extension"
    return f"https://w3id.org/{name}/ontology#"


def check_namespace(namespace: str) -> str:
    """`namespace` if an extension may mint terms in it, else an `InvalidParameter`."""
    if not re.match(r"^https?://[^/]+/", namespace) or _BAD_IRI.search(namespace):
        raise InvalidParameter(
            "namespace", f"{namespace!r}: must be an absolute http(s) IRI without spaces"
        )
    if "/" not in namespace.split("://", 1)[1].rstrip("#/"):
        raise InvalidParameter(
            "namespace",
            f"{namespace!r}: needs a path after the host (e.g. https://example.org/my-ext/ontology#)",
        )
    if not namespace.endswith(("#", "/")):
        raise InvalidParameter("namespace", f"{namespace!r}: must end with '#' or '/'")
    owned = {MIX, ONTOLOGY_IRI, "https://w3id.org/mixity/", *PREFIXES.values()}
    if any(namespace.startswith(base) or base.startswith(namespace) for base in owned):
        raise InvalidParameter(
            "namespace",
            f"{namespace!r}: belongs to mixity or to a vocabulary it reuses; an extension "
            "mints its terms in a namespace of its own",
        )
    return namespace


def check_prefix(prefix: str) -> str:
    """`prefix` if it is a Turtle prefix that the file does not use for something else."""
    if not _PREFIX.fullmatch(prefix):
        raise InvalidParameter(
            "prefix",
            f"{prefix!r}: must be a letter followed by letters, digits, '_' or '-' (e.g. ex)",
        )
    if prefix in RESERVED or prefix == "notion":
        raise InvalidParameter("prefix", f"{prefix!r}: is mixity's or a reused vocabulary's")
    return prefix


def starter_files(
    folder: Path,
    *,
    date: str,
    prefix: str = "ex",
    namespace: str | None = None,
    title: str | None = None,
    creator: str = "mixity user",
) -> Starter:
    """The files of a starter folder for `folder` (nothing is written).

    Args:
        date: the ontology's dcterms:modified (YYYY-MM-DD).
        namespace: where the extension's terms are minted (ends with '#' or '/'); by default
            https://w3id.org/FOLDER-NAME/ontology#.
        title: the ontology's title (both languages); by default one naming the folder.
    """
    prefix = check_prefix(prefix)
    namespace = check_namespace(namespace or default_namespace(folder))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise InvalidParameter("date", f"{date!r}: must be YYYY-MM-DD")
    if not creator.strip():
        raise InvalidParameter("creator", "must not be empty")
    if title is not None and not title.strip():
        raise InvalidParameter("title", "must not be empty")
    # one line each, as lint's robot:label_whitespace wants a title and a name to be
    creator = " ".join(creator.split())
    title = None if title is None else " ".join(title.split())
    ontology = namespace.rstrip("#/")
    data = ontology.rsplit("/", 1)[0] + "/id/"
    name = folder.resolve().name or "extension"
    text = _template("sources", SOURCE_FILE)
    values = {
        "prefix": prefix,
        "data_prefix": f"{prefix}-data",
        "namespace": namespace,
        "ontology": ontology,
        "data": data,
        "version": VERSION,
        "date": date,
        "title_fr_literal": turtle_string(title or f"Extension de mixity : {name}"),
        "title_en_literal": turtle_string(title or f"mixity extension: {name}"),
        "title_en": " ".join((title or f"mixity extension: {name}").split()),
        "creator_literal": turtle_string(creator),
        "checksum": sha256(text),
        "source_file": SOURCE_FILE,
        "source_stem": Path(SOURCE_FILE).stem,
        "turtle_file": TURTLE_FILE,
        **{key: turtle_string(quote) for key, quote in QUOTES.items()},
    }
    turtle = Template(_template("extension.ttl.tmpl").decode("utf-8")).substitute(values)
    readme = Template(_template("README.md.tmpl").decode("utf-8")).substitute(values)
    _check(turtle, text)
    written = {
        TURTLE_FILE: turtle.encode("utf-8"),
        "README.md": readme.encode("utf-8"),
        f"sources/{SOURCE_FILE}": text,
    }
    return Starter(folder, written, prefix, namespace, ontology, data)


def _check(turtle: str, text: bytes) -> None:
    """The Turtle parses and every quote is once, verbatim, in the text (else a bug)."""
    from mixity.graph.io.loader import parse_text

    parse_text(turtle, "turtle", TURTLE_FILE)
    source = SourceText(Path(SOURCE_FILE), text.decode("utf-8"), sha256(text))
    for quote in QUOTES.values():
        matches, total = find(source, quote)
        if total != 1 or not matches[0].verbatim:
            raise MixityError(f"{SOURCE_FILE}: the template's quote {quote!r} is not in it once")


def write_starter(
    folder: Path,
    *,
    date: str,
    prefix: str = "ex",
    namespace: str | None = None,
    title: str | None = None,
    creator: str = "mixity user",
) -> Starter:
    """Write a starter folder at `folder` (new or empty), all or nothing; options as
    `starter_files` takes them."""
    real = check_target(folder)
    present = entries(real)
    if present:
        raise OutputError(
            f"{folder}: folder is not empty (it holds {', '.join(present[:3])}"
            f"{', …' if len(present) > 3 else ''}); mixity init writes a new or empty folder"
        )
    starter = starter_files(
        folder, date=date, prefix=prefix, namespace=namespace, title=title, creator=creator
    )
    write_folder(real, {name: data for name, data in starter.files.items()})
    return starter

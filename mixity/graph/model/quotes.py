"""Quotes against the texts they are taken from: find, check and cite a passage.

A source document records the SHA-256 of its text (`spdx:checksum`), so anyone holding the
text can check every quote of the graph, and the text is found by its checksum, whatever the
file is called.

How a quote is compared with its text (docs/explanation/provenance.md, "Quotes"):

- both are read as Unicode NFC;
- a run of white space (spaces, tabs, line breaks, non-breaking and narrow non-breaking
  spaces) matches any other run of white space, but never no space at all;
- the apostrophes ' (U+0027), ’ (U+2019) and ʼ (U+02BC) match one another;
- every other character must be the same: a changed word, letter, accent, case, quotation
  mark or ellipsis (… against ...) is a mismatch.

A quote that matches only thanks to these rules is reported as a warning with the verbatim
text of the source, so that the bundled data stays verbatim; a quote that matches nowhere, or
in several places that its `oa:prefix`/`oa:suffix` do not tell apart, is an error.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mixity.errors import MixityError, SourceNotFound

if TYPE_CHECKING:
    from rdflib import Graph

#: The characters a quote's apostrophe may stand for.
APOSTROPHES = frozenset("'\u2019\u02bc")
#: How many characters of context `cite` gives before and after a passage.
CONTEXT = 32

SPDX = "http://spdx.org/rdf/terms#"
SHA256 = SPDX + "checksumAlgorithm_sha256"


def sha256(data: bytes) -> str:
    """The SHA-256 of `data` as lowercase hex (what `spdx:checksumValue` records)."""
    return hashlib.sha256(data).hexdigest()


def _fold(text: str) -> tuple[str, list[int]]:
    """`text` with white space runs as one space and apostrophes as ', and, for each folded
    character, the index in `text` where it starts (plus one final entry: `len(text)`)."""
    out: list[str] = []
    starts: list[int] = []
    in_space = False
    for index, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                starts.append(index)
            in_space = True
            continue
        in_space = False
        out.append("'" if ch in APOSTROPHES else ch)
        starts.append(index)
    starts.append(len(text))
    return "".join(out), starts


def fold(text: str) -> str:
    """`text` as quotes are compared: NFC, white space runs as one space, apostrophes as '."""
    return _fold(unicodedata.normalize("NFC", text))[0]


@dataclass(frozen=True)
class SourceText:
    """The text of a source document as read from a file."""

    path: Path
    text: str
    checksum: str

    def __post_init__(self) -> None:
        folded, starts = _fold(self.text)
        object.__setattr__(self, "_folded", folded)
        object.__setattr__(self, "_starts", starts)

    @property
    def folded(self) -> str:
        """The text as quotes are compared with it."""
        return self._folded  # type: ignore[attr-defined,no-any-return]

    def span(self, folded_start: int, folded_end: int) -> tuple[int, int]:
        """The (start, end) in the text of a span of the folded text."""
        starts: list[int] = self._starts  # type: ignore[attr-defined]
        end = starts[folded_end - 1] + 1 if folded_end > folded_start else starts[folded_start]
        # a folded space stands for a whole run of white space
        while (
            folded_end > folded_start
            and end < len(self.text)
            and self.text[end - 1].isspace()
            and self.text[end].isspace()
        ):
            end += 1
        return starts[folded_start], end

    def line(self, index: int) -> int:
        """The 1-based line of a character index of the text."""
        return self.text.count("\n", 0, index) + 1


def read_source(path: Path) -> SourceText:
    """Read a source text (UTF-8); its checksum is that of the file's bytes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceNotFound(path) from None
    except IsADirectoryError:
        raise SourceNotFound(path, "is a directory, not a text file") from None
    except OSError as exc:
        raise SourceNotFound(path, exc.strerror or "cannot be read") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MixityError(
            f"{path}: not UTF-8 text (byte {exc.start}: {data[exc.start]:#04x})"
        ) from None
    return SourceText(path, unicodedata.normalize("NFC", text), sha256(data))


def read_sources(folder: Path) -> dict[str, SourceText]:
    """Every UTF-8 text file of `folder` (not recursive, hidden files skipped), by checksum."""
    if not folder.is_dir():
        raise SourceNotFound(folder, "is not a folder" if folder.exists() else "no such folder")
    found: dict[str, SourceText] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            source = read_source(path)
        except MixityError:
            continue  # not a text: it cannot be a source of quotes
        found.setdefault(source.checksum, source)
    return found


@dataclass(frozen=True)
class Match:
    """One place of the text where a quote is found."""

    start: int
    end: int
    #: the quote and its prefix/suffix are character for character those of the text
    verbatim: bool


@dataclass(frozen=True)
class QuoteCheck:
    """The outcome of checking one quote: `problem` is None when it is found once."""

    matches: tuple[Match, ...]
    problem: str | None = None
    #: "Violation" or "Warning" when there is a problem
    severity: str | None = None


def find(
    source: SourceText, exact: str, prefix: str | None = None, suffix: str | None = None
) -> tuple[list[Match], int]:
    """The places of `exact` that `prefix`/`suffix` allow, and how many places `exact` alone
    has (overlapping ones counted)."""
    needle = fold(exact)
    text = source.folded
    before, after = fold(prefix or ""), fold(suffix or "")
    matches: list[Match] = []
    total = 0
    at = text.find(needle) if needle else -1
    while at >= 0:
        total += 1
        end = at + len(needle)
        if text.startswith(after, end) and text[:at].endswith(before):
            start, stop = source.span(at, end)
            verbatim = source.text[start:stop] == unicodedata.normalize("NFC", exact)
            if verbatim and prefix:
                verbatim = source.text[:start].endswith(unicodedata.normalize("NFC", prefix))
            if verbatim and suffix:
                verbatim = source.text.startswith(unicodedata.normalize("NFC", suffix), stop)
            matches.append(Match(start, stop, verbatim))
        at = text.find(needle, at + 1)
    return matches, total


def closest(source: SourceText, passage: str) -> tuple[str, int]:
    """The passage of the text most like `passage`, and its line.

    Windows of as many words (or one fewer or more, if clearly better) are ranked by the
    words they share (`difflib` on word lists), then the best few by their characters, so
    that a misspelt word still counts and a changed word is shown beside its neighbours.
    """
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", source.text)]
    wanted = fold(passage).split()
    if not words or not wanted:
        return "", 1
    folded_words = [fold(source.text[a:b]) for a, b in words]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    chars = difflib.SequenceMatcher(autojunk=False)
    chars.set_seq2(" ".join(wanted))
    best = (-1.0, 0, 1)
    for size, handicap in ((len(wanted), 0.0), (len(wanted) - 1, 0.1), (len(wanted) + 1, 0.1)):
        if size < 1:
            continue
        ranked: list[tuple[float, int, int]] = []
        for first in range(0, max(1, len(words) - size + 1)):
            matcher.set_seq1(folded_words[first : first + size])
            ranked.append((matcher.ratio(), first, min(first + size, len(words))))
        ranked.sort(key=lambda r: -r[0])
        for _, first, last in ranked[:8]:
            chars.set_seq1(" ".join(folded_words[first:last]))
            if (score := chars.ratio() - handicap) > best[0]:
                best = (score, first, last)
    _, first, last = best
    # a lone mark (the ? of « mixité ? ») is not where a passage starts
    while last - first > 1 and not any(ch.isalnum() for ch in folded_words[first]):
        first += 1
    start, end = words[first][0], words[last - 1][1]
    return source.text[start:end], source.line(start)


def _show(text: str, limit: int = 160) -> str:
    """One line: line breaks and tabs become spaces; other characters (a non-breaking space)
    stay as they are in the source."""
    flat = re.sub(r"[\n\r\t\v\f]+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def check(
    source: SourceText,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
    position: tuple[int, int] | None = None,
) -> QuoteCheck:
    """Check one quote (and its prefix, suffix and position, if given) against `source`."""
    name = source.path.name
    matches, total = find(source, exact, prefix, suffix)
    if total == 0:
        passage, line = closest(source, exact)
        return QuoteCheck(
            (),
            f"quote not found in {name}; closest passage ({name}:{line}): «{_show(passage)}»",
            "Violation",
        )
    if not matches:
        which = " and ".join(
            part for part, value in (("oa:prefix", prefix), ("oa:suffix", suffix)) if value
        )
        places = sorted({source.line(m.start) for m in find(source, exact)[0]})
        return QuoteCheck(
            (),
            f"the quote is in {name} (line {', '.join(map(str, places))}) but its {which} "
            "does not surround it there",
            "Violation",
        )
    if position is not None:
        start, end = position
        if not 0 <= start < end <= len(source.text):
            return QuoteCheck(
                tuple(matches),
                f"oa:start {start} / oa:end {end} lie outside {name} "
                f"({len(source.text)} characters)",
                "Violation",
            )
        placed = [m for m in matches if m.start == start and m.end == end]
        if not placed:
            at = ", ".join(f"{m.start}–{m.end}" for m in matches)
            return QuoteCheck(
                tuple(matches),
                f"oa:start {start} / oa:end {end} do not select the quote in {name} "
                f"(it is at {at})",
                "Violation",
            )
        matches = placed
    if len(matches) > 1:
        lines = ", ".join(str(source.line(m.start)) for m in matches)
        return QuoteCheck(
            tuple(matches),
            f"the quote matches {len(matches)} places of {name} (lines {lines}): add an "
            "oa:prefix or oa:suffix (or a position) that tells them apart",
            "Violation",
        )
    match = matches[0]
    if not match.verbatim:
        return QuoteCheck(
            (match,),
            f"the quote matches {name}:{source.line(match.start)} only once white space and "
            f"apostrophes are normalised; the verbatim text is "
            f"«{source.text[match.start : match.end]}»",
            "Warning",
        )
    return QuoteCheck((match,))


@dataclass(frozen=True)
class Citation:
    """A passage of a source, located and with the context that makes it unique."""

    source: SourceText
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    @property
    def line(self) -> int:
        """The line the passage starts on."""
        return self.source.line(self.start)


class PassageNotFound(MixityError):
    """A passage that is not in a source text (or is in it several times)."""


def cite(source: SourceText, passage: str, occurrence: int | None = None) -> Citation:
    """Locate `passage` in `source` and give the verbatim quote with its prefix and suffix.

    Raises `PassageNotFound` (with the closest passage) when it is not there, or when it is
    there several times and `occurrence` (1-based) does not say which.
    """
    if not fold(passage).strip():
        raise PassageNotFound("the passage is empty")
    matches, _ = find(source, passage.strip())
    name = source.path.name
    if not matches:
        near, line = closest(source, passage)
        raise PassageNotFound(
            f"passage not found in {name}; closest passage ({name}:{line}): «{_show(near)}»"
        )
    if occurrence is None and len(matches) > 1:
        lines = ", ".join(str(source.line(m.start)) for m in matches)
        raise PassageNotFound(
            f"the passage is in {name} {len(matches)} times (lines {lines}): "
            "say which with --occurrence N"
        )
    if occurrence is not None and not 1 <= occurrence <= len(matches):
        raise PassageNotFound(
            f"the passage is in {name} {len(matches)} time{'s' if len(matches) > 1 else ''}: "
            f"there is no occurrence {occurrence}"
        )
    match = matches[(occurrence or 1) - 1]
    text = source.text
    # the shortest context of up to CONTEXT characters that makes the quote unique
    exact = text[match.start : match.end]
    for size in (8, 16, CONTEXT, 2 * CONTEXT):
        prefix = text[max(0, match.start - size) : match.start]
        suffix = text[match.end : match.end + size]
        # whole words only: drop a word cut in two at the far end of the context
        if match.start - size > 0 and (cut := re.search(r"\s", prefix)):
            prefix = prefix[cut.start() :]
        if match.end + size < len(text) and (cuts := list(re.finditer(r"\s", suffix))):
            suffix = suffix[: cuts[-1].end()]
        enough = (prefix.strip() or match.start - size <= 0) and (
            suffix.strip() or match.end + size >= len(text)
        )
        if enough and len(find(source, exact, prefix, suffix)[0]) == 1:
            break
    return Citation(source, exact, prefix, suffix, match.start, match.end)


def source_for(graph: Graph, checksum: str) -> str | None:
    """The IRI of the source document of `graph` whose SHA-256 is `checksum`, if any."""
    from rdflib import Namespace, URIRef

    spdx = Namespace(SPDX)
    for node in graph.subjects(spdx.checksumValue, None):
        value = graph.value(node, spdx.checksumValue)
        if str(value).strip().lower() == checksum and graph.value(node, spdx.algorithm) == URIRef(
            SHA256
        ):
            for doc in graph.subjects(spdx.checksum, node):
                if isinstance(doc, URIRef):
                    return str(doc)
    return None


def slug(text: str, words: int = 5) -> str:
    """A lowercase, hyphenated, accent-free slug of the first `words` words of `text`."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    parts = re.findall(r"[a-z0-9]+", plain)
    return "-".join(parts[:words]) or "passage"


def turtle_string(text: str) -> str:
    """`text` as a Turtle string literal; invisible and space-like characters (non-breaking
    spaces…) are written as \\u escapes so that a reader sees them."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif (ch.isspace() and ch != " ") or not ch.isprintable():
            out.append(f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class UnknownSource(MixityError):
    """A text that no loaded source document records the checksum of."""


def evidence_turtle(
    citation: Citation,
    source_iri: str | None,
    *,
    evidence_iri: str | None = None,
    declare_checksum: bool = False,
) -> str:
    """The Turtle of an `oa:SpecificResource` quoting `citation` (a text quote selector and a
    position selector, alternatives for the same passage), ready to paste."""
    text = citation.source
    if source_iri is None:
        raise UnknownSource(
            f"{text.path}: no loaded mix:SourceDocument records this text's SHA-256 "
            f"({text.checksum}) as its spdx:checksum: add it to the document (see "
            '"Quotes" in docs/explanation/provenance.md) or name the document with --source IRI'
        )
    node = evidence_iri or f"{source_iri.rstrip('/')}/evidence/{slug(citation.exact)}"
    lines = [
        f"# {text.path.name}:{citation.line}, characters {citation.start}–{citation.end} "
        f"(SHA-256 {text.checksum})",
        "@prefix oa: <http://www.w3.org/ns/oa#> .",
    ]
    if declare_checksum:
        lines.append(f"@prefix spdx: <{SPDX}> .")
    lines += [
        "",
        f"<{node}> a oa:SpecificResource ;",
        f"    oa:hasSource <{source_iri}> ;",
        "    oa:hasSelector [ a oa:TextQuoteSelector ;",
        f"            oa:exact {turtle_string(citation.exact)}"
        + (f" ;\n            oa:prefix {turtle_string(citation.prefix)}" if citation.prefix else "")
        + (f" ;\n            oa:suffix {turtle_string(citation.suffix)}" if citation.suffix else "")
        + " ] ,",
        f"        [ a oa:TextPositionSelector ; oa:start {citation.start} ; "
        f"oa:end {citation.end} ] .",
    ]
    if declare_checksum:
        lines += [
            "",
            f"<{source_iri}> spdx:checksum [ a spdx:Checksum ;",
            "        spdx:algorithm spdx:checksumAlgorithm_sha256 ;",
            f'        spdx:checksumValue "{text.checksum}" ] .',
        ]
    return "\n".join(lines) + "\n"

"""The one plain-text table writer: columns aligned in terminal cells, not characters.

Wide East Asian characters take two cells, combining accents and format characters none, so
that « Mixité sociale » written with a combining accent lines up with "Mixité" written with a
precomposed one. Used by `mixity query`'s table, `analyze`'s report and the CLI's listings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """The number of terminal cells `text` takes."""
    if text.isascii():
        return len(text)
    return sum(_CELLS[ch] if ch in _CELLS else _cells(ch) for ch in text)


#: Cells of the characters met so far: a table repeats the same few letters many times.
_CELLS: dict[str, int] = {}


def _cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        cells = 0
    else:
        cells = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    _CELLS[ch] = cells
    return cells


def pad(text: str, cells: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `cells` terminal cells."""
    fill = " " * max(cells - width(text), 0)
    return fill + text if right else text + fill


def is_number(text: str) -> bool:
    """True for a cell that reads as a number (right-aligned)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[bool] | None = None,
    indent: str = "",
) -> str:
    """Rows aligned under headers and a rule, numbers right-aligned; one string, lines ending
    in newlines, no trailing spaces.

    `numeric` says which columns are right-aligned; by default those whose every cell reads as
    a number.
    """
    if numeric is None:
        numeric = [bool(rows) and all(is_number(r[i]) for r in rows) for i in range(len(headers))]
    widths = [width(h) for h in headers]
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], width(text))

    def line(values: Sequence[str]) -> str:
        cells = (pad(v, w, right=n) for v, w, n in zip(values, widths, numeric, strict=True))
        return (indent + "  ".join(cells)).rstrip()

    out = [line(headers), (indent + "  ".join("-" * w for w in widths)).rstrip()]
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n"

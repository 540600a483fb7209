"""Text forms of query results: terminal table, Markdown, the W3C result formats, RDF syntaxes.

Terms are pyoxigraph terms (`NamedNode`, `BlankNode`, `Literal`, `Triple`), whichever engine
answered, so that both engines print byte-identical output. Nothing here imports rdflib.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyoxigraph as ox

from mixity.graph.io.table import table
from mixity.graph.io.write import one_line
from mixity.graph.model.resolve import compact

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = tuple[Term | None, ...]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NUMERIC = {
    XSD + "integer",
    XSD + "decimal",
    XSD + "double",
    XSD + "float",
    XSD + "int",
    XSD + "long",
    XSD + "short",
    XSD + "nonNegativeInteger",
    XSD + "positiveInteger",
}

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "trig")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------------------------------------
# Terms


def nt_escape(text: str) -> str:
    """A string escaped for a double-quoted N-Triples / Turtle / SPARQL literal."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", out)


def nt_term(term: Term, prefixes: dict[str, str] | None = None) -> str:
    """A term in N-Triples syntax, or Turtle syntax with prefixed names when given prefixes."""
    if isinstance(term, ox.NamedNode):
        return compact(term.value, prefixes) if prefixes is not None else f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        body = f'"{nt_escape(term.value)}"'
        if term.language:
            return f"{body}@{term.language}"
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return body
        if (
            prefixes is not None
            and datatype == XSD + "integer"
            and re.fullmatch(r"[+-]?\d+", term.value)
        ):
            return term.value
        return f"{body}^^{nt_term(term.datatype, prefixes)}"
    parts = (term.subject, term.predicate, term.object)
    return "<< " + " ".join(nt_term(part, prefixes) for part in parts) + " >>"


def plain(term: Term | None, prefixes: dict[str, str]) -> str:
    """A term as a reader wants it in a table: compact IRI, bare literal text, one line."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return one_line(term.value)
    return nt_term(term, prefixes)


def is_numeric(term: Term | None) -> bool:
    """True for a literal of a numeric XSD datatype."""
    return isinstance(term, ox.Literal) and term.datatype.value in _NUMERIC


# ---------------------------------------------------------------------------------------------
# SELECT / ASK


def to_table(variables: Sequence[str], rows: Sequence[Row], prefixes: dict[str, str]) -> str:
    """An aligned plain-text table, numbers right-aligned, IRIs compacted."""
    cells = [[plain(term, prefixes) for term in row] for row in rows]
    numeric = [
        bool(rows) and all(row[i] is None or is_numeric(row[i]) for row in rows)
        for i in range(len(variables))
    ]
    return table(variables, cells, numeric=numeric)


def to_markdown(variables: Sequence[str], rows: Sequence[Row], prefixes: dict[str, str]) -> str:
    """A GitHub-flavoured Markdown table."""

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|") or " "

    out = ["| " + " | ".join(cell(v) for v in variables) + " |"]
    out.append("| " + " | ".join("---" for _ in variables) + " |")
    for row in rows:
        out.append("| " + " | ".join(cell(plain(term, prefixes)) for term in row) + " |")
    return "\n".join(out) + "\n"


def to_csv(variables: Sequence[str], rows: Sequence[Row]) -> str:
    """SPARQL 1.1 Query Results CSV: IRIs and literals as bare text, CRLF line ends."""
    import csv  # csv, io and json only for their formats: start-up time (PERF-NOTES)
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(term) for term in row])
    return buffer.getvalue()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return nt_term(term)
    return term.value


def to_tsv(variables: Sequence[str], rows: Sequence[Row]) -> str:
    """SPARQL 1.1 Query Results TSV: `?var` headers, terms in N-Triples syntax."""
    out = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        out.append("\t".join("" if term is None else nt_term(term) for term in row))
    return "\n".join(out) + "\n"


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def to_json(variables: Sequence[str], rows: Sequence[Row]) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    import json

    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def ask_json(value: bool) -> str:
    """SPARQL 1.1 Query Results JSON for an ASK query."""
    import json

    return json.dumps({"head": {}, "boolean": value}) + "\n"


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def _xml_text(text: str) -> str:
    # XML 1.0 cannot carry most control characters, even escaped.
    text = _XML_INVALID.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value in double quotes (xml.sax.saxutils would import urllib)."""
    escaped = _xml_text(text).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def to_xml(variables: Sequence[str], rows: Sequence[Row]) -> str:
    """SPARQL Query Results XML."""
    out = [_XML_HEAD, "  <head>\n"]
    out += [f"    <variable name={quoteattr(v)}/>\n" for v in variables]
    out.append("  </head>\n  <results>\n")
    for row in rows:
        out.append("    <result>\n")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                out.append(f"      <binding name={quoteattr(name)}>{_xml_term(term)}</binding>\n")
        out.append("    </result>\n")
    out.append("  </results>\n</sparql>\n")
    return "".join(out)


def ask_xml(value: bool) -> str:
    """SPARQL Query Results XML for an ASK query."""
    return f"{_XML_HEAD}  <head/>\n  <boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n"


# ---------------------------------------------------------------------------------------------
# CONSTRUCT / DESCRIBE


def serialize(triples: Sequence[ox.Triple], fmt: str, prefixes: dict[str, str]) -> str:
    """CONSTRUCT / DESCRIBE triples as turtle, nt, jsonld or trig (see `mixity.graph.io.rdf`)."""
    from mixity.graph.io.rdf import serialize as write_rdf  # only graph results pay for it

    return write_rdf(triples, fmt, prefixes).decode("utf-8")

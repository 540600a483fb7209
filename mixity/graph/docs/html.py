"""The HTML of the documentation: `index.html` for the ontologies and their terms, one page per
concept scheme, in mixity's template under a Content-Security-Policy that lets only the page's
own script run and fetches nothing.

Every text of the graph goes through `html.escape`; every label is written in both languages
(`Bilingual`), and the page's script only shows one of them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from mixity.graph.docs.catalogue import Example, Header, Term, shorten, source_title, value_text
from mixity.graph.docs.schemes import Concept, Scheme
from mixity.graph.docs.text import Anchors, Bilingual, name_of, same
from mixity.graph.docs.words import (
    FACTS,
    UI,
    class_usage,
    concept_count,
    concept_usage,
    made_by,
    property_usage,
)
from mixity.graph.model.resolve import local_name

INDEX = "index.html"
#: The index's section ids, kept out of the terms' anchors.
SECTIONS = (
    "section-ontology",
    "section-classes",
    "section-schemes",
    *(f"section-{kind}" for kind in ("object", "datatype", "annotation", "other")),
)


def esc(text: str) -> str:
    """Text as HTML content or a double-quoted attribute value."""
    return html.escape(text, quote=True)


def bi(text: Bilingual, tag: str = "span", cls: str = "") -> str:
    """Both languages of a text, each element marked with its slot and its real language."""
    klass = f' class="{cls}"' if cls else ""
    return "".join(
        f'<{tag}{klass} data-l="{slot}" lang="{esc(part.lang)}">{esc(part.text)}</{tag}>'
        for slot, part in (("fr", text.fr), ("en", text.en))
    )


def ui(key: str, tag: str = "span", cls: str = "") -> str:
    """A word of the interface in both languages."""
    return bi(UI[key], tag, cls)


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    folder = files("mixity").joinpath("templates", "docs")
    return (
        folder.joinpath("page.html").read_text(encoding="utf-8"),
        folder.joinpath("docs.css").read_text(encoding="utf-8"),
        folder.joinpath("docs.js").read_text(encoding="utf-8"),
    )


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    # Only the page's own script may run, nothing may be fetched; links still open pages.
    return (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )


@dataclass
class Frame:
    """What every page has around its content."""

    lang: str
    footer: str


def page(frame: Frame, title: Bilingual, subtitle: str, toc: str, main: str) -> str:
    """A whole page: the template filled in one pass (inserted text is never scanned again)."""
    template, css, script = _assets()
    script = re.sub(r"</(script)", r"<\\/\1", script, flags=re.I)
    values = {
        "LANG": esc(frame.lang),
        "TITLE": esc(title.slot(frame.lang).text),
        "TITLE_FR": esc(title.fr.text),
        "TITLE_EN": esc(title.en.text),
        "CSP": html.escape(_csp(script), quote=False).replace('"', "&quot;"),
        "CSS": css,
        "HEADING": bi(title),
        "SUBTITLE": subtitle,
        "TOC": toc,
        "MAIN": main,
        "FOOTER": frame.footer,
        "JS": script,
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], template)


class Writer:
    """Writes the pages of one documentation: knows where every documented IRI is."""

    def __init__(self, graph: Graph, anchors: Anchors, frame: Frame) -> None:
        self.graph = graph
        self.anchors = anchors
        self.frame = frame
        #: IRI -> (page, element id) of everything that has a section or a tree entry
        self.where: dict[str, tuple[str, str]] = {}
        self.current = INDEX
        self._names: dict[Node, Bilingual] = {}

    def name(self, node: Node) -> Bilingual:
        """`name_of`, once per resource (a class is named in many sections)."""
        found = self._names.get(node)
        if found is None:
            found = self._names[node] = name_of(self.graph, node)
        return found

    def place(self, iri: str, page_name: str) -> None:
        """Record that `iri` is documented on `page_name` (the first place wins)."""
        self.where.setdefault(iri, (page_name, self.anchors.id(iri)))

    def href(self, page_name: str, anchor: str = "") -> str:
        """An `<a>`'s href and data attributes for a place, from the current page."""
        if page_name == self.current:
            return f'href="#{esc(anchor)}"'
        target = f"{page_name}#{anchor}" if anchor else page_name
        data = f' data-id="{esc(anchor)}"' if anchor else ""
        return f'href="{esc(target)}" data-page="{esc(page_name)}"{data}'

    def link(self, iri: str) -> str:
        """A link to a documented term or concept, else its prefixed name."""
        compact = self.anchors.compact(iri)
        if iri in self.where:
            page_name, anchor = self.where[iri]
            name = bi(self.name(URIRef(iri)))
            return f'<a {self.href(page_name, anchor)} title="{esc(compact)}">{name}</a>'
        return f"<code>{esc(compact)}</code>"

    def resource(self, node: Node | None) -> str:
        """A resource of the data: a link if documented, else its label and prefixed name."""
        if node is None:
            return ""
        if isinstance(node, Literal):
            lang = f' lang="{esc(node.language)}"' if node.language else ""
            return f"<q{lang}>{esc(value_text(node))}</q>"
        if isinstance(node, BNode):
            return f'<span class="blank">[{ui("blank")}]</span>'
        if str(node) in self.where:
            return self.link(str(node))
        name = self.name(node)
        compact = self.anchors.compact(str(node))
        if name.fr.text == local_name(str(node)) and name.en.text == name.fr.text:
            return f"<code>{esc(compact)}</code>"
        return f"{bi(name)} <code>{esc(compact)}</code>"

    def links(self, iris: list[str]) -> str:
        return '<span class="refs">' + "".join(self.link(i) for i in iris) + "</span>"

    def quote(self, found: tuple[str, Node | None] | None) -> str:
        """A quote and its source as a blockquote."""
        if found is None:
            return ""
        text, source = found
        cite = ""
        if source is not None:
            cite = f"<footer>— {bi(source_title(self.graph, source))}</footer>"
        return f"<blockquote><p>« {esc(shorten(text))} »</p>{cite}</blockquote>"

    # -- the index --------------------------------------------------------------------------

    def term(self, term: Term) -> str:
        """The section of one class or property."""
        rows: list[tuple[str, str]] = []
        if term.is_class:
            pairs = [
                ("subclass_of", term.parents),
                ("subclasses", term.children),
                ("domain_of", term.domain_of),
                ("range_of", term.range_of),
            ]
            usage = class_usage(term.uses, term.uses_more)
        else:
            pairs = [
                ("subproperty_of", term.parents),
                ("subproperties", term.children),
                ("domain", term.domains),
                ("range", term.ranges),
                ("inverse", term.inverses),
            ]
            usage = property_usage(term.uses, term.uses_more)
        rows += [(key, self.links(iris)) for key, iris in pairs if iris]
        rows.append(
            (
                "usage",
                f'<span class="usage" data-uses="{term.uses}" data-uses-more="{term.uses_more}">'
                f"{bi(usage)}</span>",
            )
        )
        if term.example is not None:
            rows.append(("example", self.example(term, term.example)))
        if term.origin:
            rows.append(("declared_in", f"<code>{esc(term.origin)}</code>"))
        compact = self.anchors.compact(term.iri)
        badge = f' <span class="badge">{ui("extension")}</span>' if term.extension else ""
        kind = "class" if term.is_class else "property"
        if term.definition is not None:
            definition = bi(term.definition, "p")
        else:
            definition = ui("no_definition", "p", "missing")
        facts = "".join(f"<dt>{ui(key)}</dt><dd>{value}</dd>" for key, value in rows)
        ext = " extension" if term.extension else ""
        return (
            f'<section class="term{ext}" id="{esc(self.anchors.id(term.iri))}" '
            f'data-iri="{esc(term.iri)}" data-kind="{term.kind}">'
            f'<h3 class="term-title">{bi(term.label)}</h3>'
            f'<p class="term-meta"><code class="curie">{esc(compact)}</code>'
            f'<span class="kind">{ui(kind)}</span>{badge}</p>'
            f'<p class="iri"><code>{esc(term.iri)}</code></p>'
            f'<div class="definition">{definition}</div>'
            f'<dl class="facts">{facts}</dl></section>'
        )

    def example(self, term: Term, example: Example) -> str:
        """One use of a term in the data, with its quote."""
        statement = self.resource(example.subject)
        if not term.is_class:
            statement += (
                f' <code class="arrow">{esc(self.anchors.compact(term.iri))}</code> '
                f"{self.resource(example.value)}"
            )
        found = (example.quote, example.source) if example.quote is not None else None
        quote = self.quote(found) or ui("no_quote", "p", "missing")
        return f'<div class="example"><p class="statement">{statement}</p>{quote}</div>'

    def header(self, header: Header) -> str:
        """The block of one `owl:Ontology`."""
        rows = []
        for prop, value in header.facts:
            name = FACTS.get(local_name(prop), same(local_name(prop)))
            shown = (
                self.link(value)
                if value in self.where
                else f"<code>{esc(value)}</code>"
                if value.startswith(("http://", "https://"))
                else esc(value)
            )
            rows.append(f"<dt>{bi(name)}</dt><dd>{shown}</dd>")
        if header.imports:
            rows.append(f"<dt>{ui('imports')}</dt><dd>{self.links(header.imports)}</dd>")
        if header.origin:
            rows.append(f"<dt>{ui('declared_in')}</dt><dd><code>{esc(header.origin)}</code></dd>")
        description = bi(header.description, "p") if header.description else ""
        ext = " extension" if header.extension else ""
        badge = f' <span class="badge">{ui("extension")}</span>' if header.extension else ""
        return (
            f'<div class="header-block{ext}" id="{esc(self.anchors.id(header.iri))}">'
            f'<h3 class="header-title">{bi(header.title)}{badge}</h3>'
            f'<p class="iri"><code>{esc(header.iri)}</code></p>'
            f'<div class="definition">{description}</div>'
            f'<dl class="facts">{"".join(rows)}</dl></div>'
        )

    def index(
        self, headers: list[Header], terms: list[Term], schemes: list[Scheme], title: Bilingual
    ) -> str:
        """`index.html`: the ontologies, every class and property, the list of schemes."""
        self.current = INDEX
        groups: list[tuple[str, list[Term]]] = [("classes", [t for t in terms if t.is_class])]
        groups += [
            (kind, [t for t in terms if t.kind == kind])
            for kind in ("object", "datatype", "annotation", "other")
        ]
        groups = [(key, members) for key, members in groups if members]
        toc = [f"<h2>{ui('contents')}</h2><ul>"]
        toc.append(f'<li><a href="#section-ontology">{ui("ontologies")}</a></li>')
        main = [f'<section id="section-ontology"><h2>{ui("ontologies")}</h2>']
        main += [self.header(h) for h in headers] + ["</section>"]
        for key, members in groups:
            toc.append(f'<li><a href="#section-{key}">{ui(key)}</a><ul>')
            for term in members:
                ext = ' class="extension"' if term.extension else ""
                toc.append(f"<li{ext}>{self.link(term.iri)}</li>")
            toc.append("</ul></li>")
            main.append(f'<section id="section-{key}"><h2>{ui(key)}</h2>')
            main += [self.term(t) for t in members] + ["</section>"]
        toc.append(f'<li><a href="#section-schemes">{ui("schemes")}</a><ul>')
        main.append(f'<section id="section-schemes"><h2>{ui("schemes")}</h2><ul class="schemes">')
        for scheme in schemes:
            target = self.href(scheme.page)
            toc.append(f"<li><a {target}>{bi(scheme.label)}</a></li>")
            ext = f' <span class="badge">{ui("extension")}</span>' if scheme.extension else ""
            main.append(
                f"<li><a {target}>{bi(scheme.label)}</a> — {bi(concept_count(scheme.size))}"
                f"{ext}</li>"
            )
        if not schemes:
            main.append(f"<li>{ui('none_yet')}</li>")
        toc.append("</ul></li></ul>")
        main.append("</ul></section>")
        return page(self.frame, title, ui("subtitle"), "".join(toc), "".join(main))

    # -- the scheme pages ----------------------------------------------------------------------

    def concept(self, concept: Concept) -> str:
        """The opening of one concept's tree entry (its children and the closing follow)."""
        body = bi(concept.definition, "p") if concept.definition else ""
        body += f'<p class="usage" data-uses="{concept.uses}">{bi(concept_usage(concept.uses))}</p>'
        if concept.also_under:
            body += f"<p>{ui('also_under')} {self.links(concept.also_under)}</p>"
        body += self.quote(concept.quote)
        top = f' <span class="badge top">{ui("top")}</span>' if concept.top else ""
        leaf = "" if concept.children else " leaf"
        return (
            f'<li class="concept{leaf}" id="{esc(self.anchors.id(concept.iri))}" '
            f'data-iri="{esc(concept.iri)}"><details open><summary>'
            f'<span class="concept-title">{bi(concept.label)}</span> '
            f"<code>{esc(self.anchors.compact(concept.iri))}</code>{top}</summary>"
            f'<div class="concept-body">{body}</div>'
        )

    def tree(self, roots: list[Concept]) -> str:
        """A scheme's concepts as nested lists, written without recursion (trees may be deep)."""
        out = ['<ul class="tree">']
        stack: list[tuple[Concept, bool]] = [(c, False) for c in reversed(roots)]
        while stack:
            node, closing = stack.pop()
            if closing:
                out.append("</ul></details></li>" if node.children else "</details></li>")
                continue
            out.append(self.concept(node))
            if node.children:
                out.append("<ul>")
            stack.append((node, True))
            stack += [(c, False) for c in reversed(node.children)]
        out.append("</ul>")
        return "".join(out)

    def scheme(self, scheme: Scheme, schemes: list[Scheme], title: Bilingual) -> str:
        """The page of one concept scheme: its tree, browsable."""
        self.current = scheme.page
        toc = [f"<h2>{ui('contents')}</h2><ul><li><a {self.href(INDEX)}>{bi(title)}</a></li>"]
        toc.append(f"<li><a {self.href(INDEX, 'section-schemes')}>{ui('schemes')}</a><ul>")
        for other in schemes:
            toc.append(f"<li><a {self.href(other.page)}>{bi(other.label)}</a></li>")
        toc.append("</ul></li></ul>")
        definition = bi(scheme.definition, "p") if scheme.definition else ""
        main = (
            f'<div class="scheme-head" id="{esc(self.anchors.id(scheme.iri))}">'
            f'<p class="iri"><code>{esc(scheme.iri)}</code></p>'
            f'<div class="definition">{definition}</div>'
            f'<p class="size" data-size="{scheme.size}">{bi(concept_count(scheme.size))}</p>'
            '<div class="tools">'
            f'<button type="button" class="button" data-tree="open">{ui("expand")}</button>'
            f'<button type="button" class="button" data-tree="close">{ui("collapse")}</button>'
            f"</div></div>{self.tree(scheme.roots)}"
        )
        subtitle = f"<a {self.href(INDEX)}>{ui('back')}</a>"
        return page(self.frame, scheme.label, subtitle, "".join(toc), main)


def footer(version: str, files: int, when: str) -> str:
    """The footer of every page."""
    return f"<p>{bi(made_by(version, files, when))}</p>"

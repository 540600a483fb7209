"""Terms: declared (OOPS! P34/P35), labelled once per language in French and English and
defined in both (ROBOT missing_label, multiple_labels, duplicate_label, label_whitespace,
missing_definition; OOPS! P08, P32; SKOS S14), and attributed (`rdfs:isDefinedBy`)."""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from mixity.graph.lint.context import Context, Statement, is_class, is_property
from mixity.graph.lint.vocab import LANGUAGE

LANGUAGES = ("fr", "en")
LABELS = (RDFS.label, SKOS.prefLabel)
DEFINITIONS = (
    RDFS.comment,
    SKOS.definition,
    DCTERMS.description,
    URIRef("http://purl.obolibrary.org/obo/IAO_0000115"),
)
_SPACES = re.compile(r"\s+")


def language(literal: Node) -> str | None:
    """The primary language subtag of a literal (`fr` for `fr-FR`), or None."""
    lang = getattr(literal, "language", None)
    return lang.split("-")[0].lower() if lang else None


def check_terms(ctx: Context) -> None:
    """Every new term labelled and defined in French and English, and attributed."""
    graph = ctx.merged
    for term, kinds in sorted(ctx.new_terms.items()):
        kind = sorted(kinds)[0]
        name = ctx.short(term)
        labels = {language(o) for p in LABELS for o in graph.objects(term, p)}
        comments = {language(o) for p in DEFINITIONS for o in graph.objects(term, p)}
        if not labels and not comments:
            ctx.report(
                "oops:P08",
                "error",
                term,
                f"{kind} {name} has no annotation: no label, no definition",
                'add rdfs:label "…"@fr , "…"@en and rdfs:comment "…"@fr , "…"@en',
            )
            continue
        if missing := [lang for lang in LANGUAGES if lang not in labels]:
            ctx.report(
                "robot:missing_label",
                "error",
                term,
                f"{kind} {name} has no label in {_languages(missing)}",
                " and ".join(f'add rdfs:label "…"@{lang}' for lang in missing),
            )
        if missing := [lang for lang in LANGUAGES if lang not in comments]:
            ctx.report(
                "robot:missing_definition",
                "warning",
                term,
                f"{kind} {name} has no definition (rdfs:comment) in {_languages(missing)}",
                " and ".join(f'add rdfs:comment "…"@{lang}' for lang in missing),
            )
        if graph.value(term, RDFS.isDefinedBy) is None:
            ctx.report(
                "mixity:is-defined-by",
                "warning",
                term,
                f"{kind} {name} does not say which ontology defines it (rdfs:isDefinedBy)",
                "add rdfs:isDefinedBy <your ontology IRI>",
            )


def _languages(codes: list[str]) -> str:
    names = {"fr": "French", "en": "English"}
    return " or ".join(names.get(code, code) for code in codes)


def check_labels(ctx: Context) -> None:
    """One rdfs:label and one skos:prefLabel per language, without stray whitespace."""
    for prop, check in ((RDFS.label, "robot:multiple_labels"), (SKOS.prefLabel, "skos:S14")):
        subjects = {s for s in ctx.added.subjects(prop, None) if isinstance(s, URIRef)}
        if check == "robot:multiple_labels":
            subjects &= set(ctx.terms)  # ROBOT's rule is about terms, SKOS's about any resource
        for subject in sorted(subjects):
            by_language: dict[str | None, set[Node]] = defaultdict(set)
            for value in ctx.merged.objects(subject, prop):
                by_language[language(value)].add(value)
            for lang, values in sorted(by_language.items(), key=lambda x: x[0] or ""):
                if len(values) > 1:
                    shown = " , ".join(sorted(f'"{v}"' for v in values))
                    ordered = sorted(values, key=str)
                    added = next(
                        (v for v in ordered if (subject, prop, v) in ctx.added), ordered[0]
                    )
                    ctx.report(
                        check,
                        "error",
                        subject,
                        f"{ctx.short(subject)} has {len(values)} {ctx.short(prop)} in "
                        f"language {lang or '(none)'}: {shown}",
                        f"keep one {ctx.short(prop)} per language; put the others in skos:altLabel",
                        (subject, prop, added),
                    )
    for predicate in LABELS:
        for labelled, value in ctx.added.subject_objects(predicate):
            text = str(value)
            if not isinstance(value, Literal) or not isinstance(labelled, URIRef):
                continue
            if text != text.strip() or "  " in text or "\n" in text or "\t" in text:
                ctx.report(
                    "robot:label_whitespace",
                    "warning",
                    labelled,
                    f"the label {text!r} of {ctx.short(labelled)} has leading, trailing, "
                    "repeated or line-breaking whitespace",
                    f"write it as {_SPACES.sub(' ', text).strip()!r}",
                    (labelled, predicate, value),
                )


def check_duplicate_labels(ctx: Context) -> None:
    """No two classes (or two properties) share a label in a language (ROBOT duplicate_label);
    no two classes whose labels differ only in case or spacing (OOPS! P32)."""
    for group, test in (("class", is_class), ("property", is_property)):
        exact: dict[tuple[str | None, str], set[URIRef]] = defaultdict(set)
        loose: dict[tuple[str | None, str], set[URIRef]] = defaultdict(set)
        for term, kinds in ctx.terms.items():
            if not test(kinds):
                continue
            for value in ctx.merged.objects(term, RDFS.label):
                exact[(language(value), str(value))].add(term)
                if group == "class":
                    loose[(language(value), _SPACES.sub(" ", str(value)).strip().casefold())].add(
                        term
                    )
        for (lang, text), terms in sorted(exact.items(), key=lambda x: (x[0][0] or "", x[0][1])):
            _report_duplicates(ctx, "robot:duplicate_label", "error", group, terms, lang, text)
        for (lang, text), terms in sorted(loose.items(), key=lambda x: (x[0][0] or "", x[0][1])):
            labels = {str(v) for t in terms for v in ctx.merged.objects(t, RDFS.label)}
            if len(terms) > 1 and not any(len(exact[(lang, label)]) > 1 for label in labels):
                _report_duplicates(ctx, "oops:P32", "warning", group, terms, lang, text)


def _report_duplicates(
    ctx: Context,
    check: str,
    level: str,
    group: str,
    terms: set[URIRef],
    lang: str | None,
    text: str,
) -> None:
    new = sorted(t for t in terms if t in ctx.new_terms)
    if len(terms) < 2 or not new:
        return
    for term in new:
        others = ", ".join(ctx.short(t) for t in sorted(terms) if t != term)
        ctx.report(
            check,
            "error" if level == "error" else "warning",
            term,
            f'{group} {ctx.short(term)} has the label "{text}"@{lang or ""} of {others}',
            "give it a label that tells it apart (a reader sees only labels)",
            (term, RDFS.label, None),
        )


def check_declarations(ctx: Context) -> None:
    """Every class and property the linted graph uses is declared (OOPS! P34, P35)."""
    classes, properties = ctx.usage
    _report_undeclared(ctx, classes, "oops:P34", "class", "owl:Class")
    _report_undeclared(
        ctx,
        properties,
        "oops:P35",
        "property",
        "owl:ObjectProperty, owl:DatatypeProperty or owl:AnnotationProperty",
    )


def _report_undeclared(
    ctx: Context,
    used: dict[URIRef, Statement],
    check: str,
    kind: str,
    declaration: str,
) -> None:
    for term, statement in sorted(used.items()):
        if term in ctx.terms or str(term).startswith(LANGUAGE):
            continue
        ctx.report(
            check,
            "warning",
            term,
            f"{kind} {ctx.short(term)} is used (by {ctx.short(statement[1])}) but never declared",
            f"declare it: {ctx.short(term)} a {declaration} ; with labels and a definition",
            statement,
        )

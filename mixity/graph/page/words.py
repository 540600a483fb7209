"""The page's own words, in the two languages of the model."""

from __future__ import annotations

from mixity.graph.model import vocabulary as vocab
from mixity.graph.model.views import VIEWS
from mixity.namespaces import MIX

UI: dict[str, dict[str, str]] = {
    "fr": {
        "search": "Rechercher un libellé…",
        "legend": "Légende",
        "all": "tout",
        "none": "rien",
        "fit": "Tout voir",
        "hint": "Cliquez sur un nœud pour voir ses libellés, ses types, "
        "sa définition et les citations sur lesquelles il repose.",
        "types": "Types",
        "definition": "Définition",
        "quotes": "Citations",
        "relations": "Relations",
        "attributes": "Attributs",
        "iri": "IRI",
        "file": "Fichier",
        "nodes": "nœuds",
        "edges": "liens",
        "view": "vue",
        "files": "fichiers",
        "query": "requête",
        "generated": "généré le",
        "no_match": "Aucun résultat",
        "close": "Fermer",
        "source": "Source",
        "focus": "centre",
        "depth": "profondeur",
        "layout": "disposition",
        "blank": "nœud anonyme",
        "untyped": "sans type",
        "overview": "toutes les ressources ; les citations sont des attributs des faits",
        "debate": "rencontre, ateliers, interventions, intervenants, questions, leviers, constats",
        "concepts": "notions, types d'acteurs et domaines de politique, avec leurs schémas",
        "actors": "les leviers et les types d'acteurs qu'ils mobilisent",
        "evidence": "les faits, les citations sur lesquelles ils reposent et leurs sources",
        "ibis": "une carte IBIS en rangs : rencontre → ateliers → questions → leviers → types "
        "d'acteurs",
        "pro": "pour",
        "con": "contre",
    },
    "en": {
        "search": "Search a label…",
        "legend": "Legend",
        "all": "all",
        "none": "none",
        "fit": "Fit",
        "hint": "Click a node to see its labels, types, definition and the quotes it rests on.",
        "types": "Types",
        "definition": "Definition",
        "quotes": "Quotes",
        "relations": "Relations",
        "attributes": "Attributes",
        "iri": "IRI",
        "file": "File",
        "nodes": "nodes",
        "edges": "edges",
        "view": "view",
        "files": "files",
        "query": "query",
        "generated": "generated",
        "no_match": "No match",
        "close": "Close",
        "source": "Source",
        "focus": "focus",
        "depth": "depth",
        "layout": "layout",
        "blank": "blank node",
        "untyped": "untyped",
        "pro": "pro",
        "con": "con",
        **{name: spec.description for name, spec in VIEWS.items()},
    },
}


#: What the page calls the classes whose labels are the jargon of the vocabularies they come
#: from (Web Annotation, SKOS): the legend, the tooltips and the panel say these instead.
CLASS_WORDS: dict[str, dict[str, str]] = {
    vocab.SPECIFIC_RESOURCE: {"fr": "citation", "en": "quote"},
    vocab.TEXT_QUOTE_SELECTOR: {"fr": "texte cité", "en": "quoted text"},
    vocab.SKOS + "ConceptScheme": {"fr": "liste de termes", "en": "term list"},
    vocab.SKOS + "Concept": {"fr": "terme", "en": "term"},
    MIX + "Resource": {"fr": "support de la rencontre", "en": "meeting material"},
    vocab.OWL + "Class": {"fr": "classe", "en": "class"},
    vocab.RDFS + "Class": {"fr": "classe", "en": "class"},
    vocab.OWL + "ObjectProperty": {"fr": "propriété", "en": "property"},
    vocab.OWL + "DatatypeProperty": {"fr": "propriété", "en": "property"},
    vocab.RDF + "Property": {"fr": "propriété", "en": "property"},
}


def default_title(view: str, focus: str | None, lang: str) -> str:
    """The page's title when none is given: the view, and its focus."""
    head = f"mixity — vue {view}" if lang == "fr" else f"mixity — {view} view"
    return f"{head} — {focus}" if focus is not None else head

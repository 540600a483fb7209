"""The page's own words, in the two languages of the model."""

from __future__ import annotations

from mixity.graph.model.views import VIEWS

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
        **{name: spec.description for name, spec in VIEWS.items()},
    },
}


def default_title(view: str, focus: str | None, lang: str) -> str:
    """The page's title when none is given: the view, and its focus."""
    head = f"mixity — vue {view}" if lang == "fr" else f"mixity — {view} view"
    return f"{head} — {focus}" if focus is not None else head

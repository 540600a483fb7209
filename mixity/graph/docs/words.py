"""The words of the documentation's pages, in French and in English."""

from __future__ import annotations

from mixity.graph.docs.text import Bilingual, words

UI: dict[str, Bilingual] = {
    "subtitle": words(
        "Documentation de l'ontologie, de ses extensions et de ses schémas de concepts",
        "Documentation of the ontology, its extensions and its concept schemes",
    ),
    "contents": words("Sommaire", "Contents"),
    "ontologies": words("Ontologies", "Ontologies"),
    "classes": words("Classes", "Classes"),
    "object": words("Propriétés d'objet", "Object properties"),
    "datatype": words("Propriétés de données", "Datatype properties"),
    "annotation": words("Propriétés d'annotation", "Annotation properties"),
    "other": words("Autres propriétés", "Other properties"),
    "schemes": words("Schémas de concepts", "Concept schemes"),
    "class": words("classe", "class"),
    "property": words("propriété", "property"),
    "extension": words("extension", "extension"),
    "subclass_of": words("Sous-classe de", "Subclass of"),
    "subclasses": words("Sous-classes", "Subclasses"),
    "subproperty_of": words("Sous-propriété de", "Subproperty of"),
    "subproperties": words("Sous-propriétés", "Subproperties"),
    "domain": words("Domaine", "Domain"),
    "range": words("Portée", "Range"),
    "inverse": words("Inverse", "Inverse"),
    "domain_of": words("Domaine de", "Domain of"),
    "range_of": words("Portée de", "Range of"),
    "usage": words("Dans le graphe", "In the graph"),
    "example": words("Exemple", "Example"),
    "no_quote": words("(sans citation)", "(no quote)"),
    "declared_in": words("Déclaré dans", "Declared in"),
    "no_definition": words("Pas de définition.", "No definition."),
    "blank": words("nœud anonyme", "blank node"),
    "imports": words("Importe", "Imports"),
    "top": words("concept de tête", "top concept"),
    "also_under": words("Aussi sous :", "Also under:"),
    "expand": words("Tout déplier", "Expand all"),
    "collapse": words("Tout replier", "Collapse all"),
    "back": words("Retour à l'ontologie", "Back to the ontology"),
    "none_yet": words("Aucun pour l'instant.", "None yet."),
}

#: Names of the ontology header's facts.
FACTS: dict[str, Bilingual] = {
    "versionIRI": words("IRI de version", "Version IRI"),
    "versionInfo": words("Version", "Version"),
    "creator": words("Auteur", "Creator"),
    "license": words("Licence", "License"),
    "created": words("Créée le", "Created"),
    "modified": words("Modifiée le", "Modified"),
    "preferredNamespacePrefix": words("Préfixe", "Prefix"),
    "preferredNamespaceUri": words("Espace de noms", "Namespace"),
}


def _s(n: int, plural: str = "s") -> str:
    return plural if n != 1 else ""


def class_usage(direct: int, total: int) -> Bilingual:
    """How many resources of the graph have the class (and with its subclasses)."""
    fr = f"{direct} ressource{_s(direct)} de ce type"
    en = f"{direct} resource{_s(direct)} of this type"
    if total != direct:
        fr += f", {total} avec les sous-classes"
        en += f", {total} with its subclasses"
    return words(fr + ".", en + ".")


def property_usage(subjects: int, statements: int) -> Bilingual:
    """How many resources state the property, in how many statements."""
    return words(
        f"Employée par {subjects} ressource{_s(subjects)} ({statements} énoncé{_s(statements)}).",
        f"Used by {subjects} resource{_s(subjects)} ({statements} statement{_s(statements)}).",
    )


def concept_usage(count: int) -> Bilingual:
    """How many resources refer to a concept."""
    return words(
        f"Cité par {count} ressource{_s(count)}.", f"Referred to by {count} resource{_s(count)}."
    )


def concept_count(count: int) -> Bilingual:
    """The size of a scheme."""
    return words(f"{count} concept{_s(count)}", f"{count} concept{_s(count)}")


def made_by(version: str, files: int, when: str) -> Bilingual:
    """The footer's line."""
    return words(
        f"Produit par mixity {version} à partir de {files} fichier{_s(files)}, le {when}.",
        f"Made by mixity {version} from {files} file{_s(files)}, on {when}.",
    )

"""What the code needs to know of the vocabulary: which classes are schema, which properties
are links to web addresses, which carry evidence, which give names.

The one place that says it: the page, the views, the projection, analytics and exports all read
these sets, so that the picture and the exports agree on what an edge is. Plain IRI strings
(no rdflib), so that the query path may use them too.
"""

from __future__ import annotations

from mixity.namespaces import MIX, PREFIXES

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
DCTERMS = PREFIXES["dcterms"]
OA = PREFIXES["oa"]
IBIS = PREFIXES["ibis"]
SH = PREFIXES["sh"]
XSD = PREFIXES["xsd"]

RDF_TYPE = RDF + "type"
SUBCLASS_OF = RDFS + "subClassOf"
SUBPROPERTY_OF = RDFS + "subPropertyOf"

#: Types whose instances are the schema (TBox): classes, properties, the ontology, shapes.
SCHEMA_TYPES = frozenset(
    (
        OWL + "Ontology", OWL + "Class", RDFS + "Class", RDF + "Property", RDFS + "Datatype",
        OWL + "Restriction", OWL + "ObjectProperty", OWL + "DatatypeProperty",
        OWL + "AnnotationProperty", OWL + "TransitiveProperty", OWL + "SymmetricProperty",
        OWL + "FunctionalProperty", OWL + "InverseFunctionalProperty", OWL + "OntologyProperty",
        OWL + "AllDisjointClasses", SH + "NodeShape", SH + "PropertyShape", SH + "Shape",
        # statement-level provenance (owl:Axiom annotations): about statements, not the debate
        OWL + "Axiom",
    )
)  # fmt: skip
#: Properties whose subject and object both belong to the schema.
SCHEMA_PROPERTIES = frozenset(
    (
        SUBCLASS_OF, SUBPROPERTY_OF, RDFS + "domain", RDFS + "range", OWL + "inverseOf",
        OWL + "equivalentClass", OWL + "equivalentProperty", OWL + "disjointWith",
    )
)  # fmt: skip
#: Any IRI in these namespaces is vocabulary, not debate.
SCHEMA_NAMESPACES = (RDF, RDFS, OWL, XSD, SH, "http://purl.org/dc/dcmitype/")
#: Types that say nothing about what a resource is in the debate.
NEUTRAL_TYPES = frozenset((OWL + "NamedIndividual", OWL + "Thing", RDFS + "Resource"))

#: Properties whose IRI values are web addresses, not resources: attributes, never edges.
LINK_PROPERTIES = frozenset(
    (
        SCHEMA + "url",
        SCHEMA + "sameAs",
        RDFS + "seeAlso",
        RDFS + "isDefinedBy",
        "http://xmlns.com/foaf/0.1/homepage",
    )
)

EVIDENCE = MIX + "evidence"
HAS_SOURCE = OA + "hasSource"
HAS_SELECTOR = OA + "hasSelector"
EXACT = OA + "exact"
SPECIFIC_RESOURCE = OA + "SpecificResource"
TEXT_QUOTE_SELECTOR = OA + "TextQuoteSelector"
SOURCE_DOCUMENT = MIX + "SourceDocument"
#: Properties that lead from a fact to its quote and the quote's source.
EVIDENCE_PROPERTIES = frozenset((EVIDENCE, HAS_SELECTOR, HAS_SOURCE))
#: Types of the evidence: quotes, their selectors, the source documents.
EVIDENCE_TYPES = frozenset((SPECIFIC_RESOURCE, TEXT_QUOTE_SELECTOR, SOURCE_DOCUMENT))

PREF_LABEL = SKOS + "prefLabel"
LABEL = RDFS + "label"
#: A resource's label, in this order of preference (docs/explanation/model.md).
LABEL_PROPERTIES = (PREF_LABEL, LABEL)
#: Every property a user may name a resource by (the resolver's index).
NAME_PROPERTIES = (PREF_LABEL, LABEL, SKOS + "altLabel", SCHEMA + "name", DCTERMS + "title")
#: A resource's definition, in this order of preference.
DEFINITION_PROPERTIES = (SKOS + "definition", RDFS + "comment", DCTERMS + "description")

LEVER = MIX + "Lever"
QUESTION = MIX + "Question"
ACTOR_TYPE = MIX + "ActorType"
INVOLVES = MIX + "involves"
RESPONDS_TO = IBIS + "responds-to"

INVERSE_OF = OWL + "inverseOf"
#: Pairs of properties that say one link both ways, the way it is drawn and counted first:
#: (A broader B) and (B narrower A) are one link, read "A has broader B". Pairs a loaded file
#: declares with owl:inverseOf are added to these (`model.views.inverse_properties`).
INVERSE_PAIRS = (
    (SKOS + "broader", SKOS + "narrower"),
    (SCHEMA + "subEvent", SCHEMA + "superEvent"),
    (SKOS + "hasTopConcept", SKOS + "topConceptOf"),
)
#: Membership of a concept in its scheme: structure, not content. Paths and measures leave
#: these out by default (every notion is one step from its scheme).
SCHEME_PROPERTIES = frozenset((SKOS + "inScheme", SKOS + "hasTopConcept", SKOS + "topConceptOf"))

"""A synthetic, debate-shaped graph of any size, for benchmarks (N-Triples, deterministic).

The graph looks like the bundled one, scaled up: meetings with workshops and talks, speakers
and organisers, questions raised at workshops, levers proposed there that involve actor types
and respond to questions, notions in `skos:broader` hierarchies, and for each fact the quoted
evidence behind it (`oa:SpecificResource` + `oa:TextQuoteSelector`). Labels are in French and
English. It uses the real mix:, schema:, skos:, ibis:, oa: terms, so the bundled ontology's
axioms apply (a `mix:Question` is an `ibis:Issue`, a `mix:Workshop` a `schema:Event`…).

    from bench.synth import write
    write(Path("/tmp/g-100k.nt"), 100_000, seed=0)

    python bench/synth.py 1000000 -o /tmp/g-1m.nt [--seed 0]

The file holds exactly `triples` distinct triples; the same size and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

ID = "https://w3id.org/mixity/id/"
MIX = "https://w3id.org/mixity/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"
IBIS = "https://vocab.methodandstructure.com/ibis#"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

# (French, English) words the labels are made of: the debate's own vocabulary.
TOPICS = [
    ("mixité sociale", "social mixity"),
    ("copropriété", "co-ownership"),
    ("logement social", "social housing"),
    ("parcours résidentiel", "housing pathway"),
    ("lien social", "social bond"),
    ("qualité de vie", "quality of life"),
    ("tranquillité publique", "public tranquillity"),
    ("gestion urbaine de proximité", "local urban management"),
    ("attribution des logements", "housing allocation"),
    ("espaces publics", "public spaces"),
    ("école", "school"),
    ("vie associative", "community life"),
    ("rénovation urbaine", "urban renewal"),
    ("peuplement", "settlement patterns"),
    ("statut d'occupation", "tenure status"),
]
ASPECTS = [
    ("définir", "defining"),
    ("mesurer", "measuring"),
    ("réunir les acteurs de", "bringing together the actors of"),
    ("financer", "funding"),
    ("accompagner", "supporting"),
    ("évaluer", "evaluating"),
    ("coordonner", "coordinating"),
    ("animer", "animating"),
]
ACTORS = [
    ("habitants", "residents"),
    ("bailleurs", "social landlords"),
    ("syndics", "property managers"),
    ("associations de locataires", "tenants' associations"),
    ("police municipale", "municipal police"),
    ("mairie", "town hall"),
    ("Métropole", "Metropolis"),
    ("unions de quartier", "neighbourhood unions"),
    ("éducateurs", "youth workers"),
    ("centres sociaux", "social centres"),
]
GIVEN = ["Amélie", "Benoît", "Chloé", "Damien", "Élise", "François", "Hélène", "Inès", "Jérôme"]
FAMILY = ["Arnaud", "Bérard", "Chevalier", "Dufour", "Étienne", "Fabre", "Giraud", "Lefèvre"]
CITIES = ["Grenoble", "Échirolles", "Pont-de-Claix", "Saint-Martin-d'Hères", "Fontaine"]


def _iri(kind: str, slug: str) -> str:
    return f"<{ID}{kind}/{slug}>"


def _lit(text: str, lang: str) -> str:
    return f'"{text}"@{lang}'


def _term(namespace: str, name: str) -> str:
    return f"<{namespace}{name}>"


def _pool_size(triples: int, per: int, floor: int) -> int:
    return max(floor, triples // per)


class _Synth:
    """Emits triples as N-Triples lines, in an order where every object is declared first."""

    def __init__(self, triples: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.evidence = 0
        self.sources = [_iri("source", f"synth-{i}") for i in range(_pool_size(triples, 5_000, 5))]
        self.places = [_iri("place", f"synth-{i}") for i in range(_pool_size(triples, 20_000, 5))]
        self.orgs = [
            _iri("organization", f"synth-{i}") for i in range(_pool_size(triples, 10_000, 5))
        ]
        self.notions = [_iri("notion", f"synth-{i}") for i in range(_pool_size(triples, 400, 30))]
        self.actors = [_iri("actor", f"synth-{i}") for i in range(_pool_size(triples, 4_000, 12))]

    def lines(self) -> Iterator[str]:
        yield from self._schemes()
        yield from self._pools()
        meeting = 0
        while True:
            yield from self._meeting(meeting)
            meeting += 1

    def _t(self, s: str, p: str, o: str) -> str:
        return f"{s} {p} {o} .\n"

    def _labels(self, s: str, fr: str, en: str) -> Iterator[str]:
        yield self._t(s, RDFS_LABEL, _lit(fr, "fr"))
        yield self._t(s, RDFS_LABEL, _lit(en, "en"))

    def _evidenced(self, s: str, quote: str) -> Iterator[str]:
        """`s mix:evidence ev`, ev an oa:SpecificResource quoting `quote` in a source."""
        self.evidence += 1
        ev = _iri("evidence", f"synth-{self.evidence}")
        selector = f"_:sel{self.evidence}"
        yield self._t(s, _term(MIX, "evidence"), ev)
        yield self._t(ev, RDF_TYPE, _term(OA, "SpecificResource"))
        yield self._t(ev, _term(OA, "hasSource"), self.rng.choice(self.sources))
        yield self._t(ev, _term(OA, "hasSelector"), selector)
        yield self._t(selector, RDF_TYPE, _term(OA, "TextQuoteSelector"))
        yield self._t(selector, _term(OA, "exact"), f'"« {quote} »"')

    def _schemes(self) -> Iterator[str]:
        for slug, fr, en in (
            ("synth-notions", "Notions de la mixité", "Notions of mixity"),
            ("synth-actors", "Types d'acteurs", "Actor types"),
        ):
            scheme = _iri("scheme", slug)
            yield self._t(scheme, RDF_TYPE, _term(SKOS, "ConceptScheme"))
            yield from self._labels(scheme, fr, en)

    def _pools(self) -> Iterator[str]:
        for i, source in enumerate(self.sources):
            yield self._t(source, RDF_TYPE, _term(MIX, "SourceDocument"))
            yield from self._labels(source, f"Compte rendu n° {i}", f"Report no. {i}")
            yield self._t(source, _term(SCHEMA, "url"), f"<https://example.org/sources/{i}>")
        for i, place in enumerate(self.places):
            city = CITIES[i % len(CITIES)]
            yield self._t(place, RDF_TYPE, _term(SCHEMA, "Place"))
            yield from self._labels(place, f"{city} (quartier {i})", f"{city} (district {i})")
        for i, org in enumerate(self.orgs):
            topic_fr, topic_en = TOPICS[i % len(TOPICS)]
            yield self._t(org, RDF_TYPE, _term(SCHEMA, "Organization"))
            yield from self._labels(
                org, f"Association {topic_fr} n° {i}", f"{topic_en} association no. {i}"
            )
        yield from self._concepts(self.notions, "Notion", "synth-notions", TOPICS, roots=3)
        yield from self._concepts(self.actors, "ActorType", "synth-actors", ACTORS, roots=4)

    def _concepts(
        self,
        concepts: list[str],
        cls: str,
        scheme_slug: str,
        words: list[tuple[str, str]],
        roots: int,
    ) -> Iterator[str]:
        """A SKOS hierarchy: the first `roots` are top concepts, then a ternary tree below."""
        scheme = _iri("scheme", scheme_slug)
        label_p = _term(SKOS, "prefLabel")
        for i, concept in enumerate(concepts):
            fr, en = words[i % len(words)]
            fr, en = (fr, en) if i < len(words) else (f"{fr} ({i})", f"{en} ({i})")
            yield self._t(concept, RDF_TYPE, _term(MIX, cls))
            yield from self._labels(concept, fr, en)
            yield self._t(concept, label_p, _lit(fr, "fr"))
            yield self._t(concept, label_p, _lit(en, "en"))
            yield self._t(concept, _term(SKOS, "inScheme"), scheme)
            if i < roots:
                yield self._t(concept, _term(SKOS, "topConceptOf"), scheme)
            else:
                yield self._t(concept, _term(SKOS, "broader"), concepts[(i - roots) // 3])
            if i % 4 == 0:
                yield self._t(
                    concept,
                    _term(SKOS, "definition"),
                    _lit(f"Ce que les participants entendent par « {fr} ».", "fr"),
                )

    def _meeting(self, m: int) -> Iterator[str]:
        rng = self.rng
        meeting = _iri("meeting", f"synth-{m}")
        year, month, day = 2015 + m % 10, 1 + m % 12, 1 + m % 28
        topic_fr, topic_en = TOPICS[m % len(TOPICS)]
        yield self._t(meeting, RDF_TYPE, _term(MIX, "Meeting"))
        yield from self._labels(
            meeting, f"Rencontre n° {m} : {topic_fr}", f"Meeting no. {m}: {topic_en}"
        )
        yield self._t(
            meeting, _term(SCHEMA, "startDate"), f'"{year}-{month:02d}-{day:02d}"^^<{XSD_DATE}>'
        )
        yield self._t(meeting, _term(SCHEMA, "location"), rng.choice(self.places))
        yield self._t(meeting, _term(SCHEMA, "organizer"), rng.choice(self.orgs))
        yield self._t(meeting, _term(MIX, "concerns"), rng.choice(self.notions))
        yield from self._evidenced(meeting, f"La rencontre porte sur {topic_fr}")
        questions: list[str] = []
        for w in range(3):
            workshop = _iri("workshop", f"synth-{m}-{w}")
            aspect_fr, aspect_en = ASPECTS[(m + w) % len(ASPECTS)]
            yield self._t(workshop, RDF_TYPE, _term(MIX, "Workshop"))
            yield from self._labels(
                workshop,
                f"Atelier {m}.{w} : {aspect_fr} {topic_fr}",
                f"Workshop {m}.{w}: {aspect_en} {topic_en}",
            )
            yield self._t(workshop, _term(SCHEMA, "superEvent"), meeting)
            yield self._t(meeting, _term(SCHEMA, "subEvent"), workshop)
            yield from self._evidenced(workshop, f"Atelier : {aspect_fr} {topic_fr}")
            for q in range(3):
                question = _iri("question", f"synth-{m}-{w}-{q}")
                t_fr, t_en = rng.choice(TOPICS)
                a_fr, a_en = rng.choice(ASPECTS)
                questions.append(question)
                yield self._t(question, RDF_TYPE, _term(MIX, "Question"))
                yield from self._labels(
                    question,
                    f"Comment {a_fr} {t_fr} ? (question {m}.{w}.{q})",
                    f"How to go about {a_en} {t_en}? (question {m}.{w}.{q})",
                )
                yield self._t(question, _term(MIX, "raisedAt"), workshop)
                yield self._t(question, _term(MIX, "concerns"), rng.choice(self.notions))
                yield from self._evidenced(question, f"Comment {a_fr} {t_fr} ?")
            for lv in range(3):
                lever = _iri("lever", f"synth-{m}-{w}-{lv}")
                a_fr, a_en = rng.choice(ASPECTS)
                t_fr, t_en = rng.choice(TOPICS)
                yield self._t(lever, RDF_TYPE, _term(MIX, "Lever"))
                yield from self._labels(
                    lever,
                    f"{a_fr.capitalize()} {t_fr} (levier {m}.{w}.{lv})",
                    f"{a_en.capitalize()} {t_en} (lever {m}.{w}.{lv})",
                )
                yield self._t(lever, _term(MIX, "proposedAt"), workshop)
                for actor in rng.sample(self.actors, rng.randint(1, 3)):
                    yield self._t(lever, _term(MIX, "involves"), actor)
                yield self._t(lever, _term(MIX, "concerns"), rng.choice(self.notions))
                yield self._t(lever, _term(IBIS, "responds-to"), rng.choice(questions))
                yield from self._evidenced(lever, f"Il faut {a_fr} {t_fr}")
        for k in range(3):
            talk = _iri("talk", f"synth-{m}-{k}")
            person = _iri("person", f"synth-{m}-{k}")
            name = f"{GIVEN[(m + k) % len(GIVEN)]} {FAMILY[(m * 3 + k) % len(FAMILY)]} {m}-{k}"
            yield self._t(person, RDF_TYPE, _term(SCHEMA, "Person"))
            yield self._t(person, _term(SCHEMA, "name"), f'"{name}"')
            yield from self._labels(person, name, name)
            yield self._t(person, _term(SCHEMA, "affiliation"), rng.choice(self.orgs))
            yield self._t(talk, RDF_TYPE, _term(MIX, "Talk"))
            yield from self._labels(talk, f"Intervention de {name}", f"Talk by {name}")
            yield self._t(talk, _term(SCHEMA, "superEvent"), meeting)
            yield self._t(talk, _term(SCHEMA, "performer"), person)
            yield from self._evidenced(talk, f"{name} présente son expérience")


def write(path: Path, triples: int, seed: int = 0) -> Path:
    """Write a debate-shaped N-Triples file of exactly `triples` triples; return its path."""
    if triples < 0:
        raise ValueError("triples must be >= 0")
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(islice(_Synth(triples, seed).lines(), triples))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", type=int, help="number of triples, e.g. 1000000")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .nt file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    write(args.output, args.triples, args.seed)
    print(
        f"{args.output}: {args.triples} triples in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

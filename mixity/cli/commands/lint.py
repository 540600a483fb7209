"""`mixity lint`: ontology-quality checks on the bundled ontology or on extensions."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.cli.options import report_errors


@click.command("lint")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-g",
    "--graph",
    "graphs",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="An extension file or folder to lint (repeatable; the same as FILES).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Exit with 1 when a finding is at this level or more serious.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: file:line: level [check] reason, then the fix; json: one object per finding.",
)
@click.option(
    "--reasoner",
    is_flag=True,
    help="Also run HermiT (needs mixity[reasoner] and Java): consistency with the bundled "
    "data and the published vocabularies, and no unsatisfiable class.",
)
@click.option(
    "--no-profile",
    is_flag=True,
    help="Skip the OWL 2 DL profile check (the OWL API, run with Java).",
)
@report_errors
def cli(
    files: tuple[Path, ...],
    graphs: tuple[Path, ...],
    fail_on: str,
    fmt: str,
    reasoner: bool,
    no_profile: bool,
) -> None:
    """Check the quality of the ontology, or of what extensions add to it.

    Without FILES, lints the bundled ontology (it passes with no error and no
    warning). With FILES, lints what they add to the bundled ontology or change
    in it: only their own findings are shown, each at its file and line, with a
    check id, a level, the reason and the fix.

    \b
    What is checked (ids of ROBOT, OOPS!, FOOPS!, SKOS where they exist):
      header     one owl:Ontology with title, description, licence, creator,
                 date, owl:versionIRI (not the ontology IRI), owl:versionInfo,
                 vann prefix and namespace, a persistent IRI, owl:imports of
                 mixity (robot:missing_ontology_*, foops:OM1/OM2/VER1/PURL1)
      terms      declared (oops:P34/P35), labelled once per language in fr and
                 en (robot:missing_label, multiple_labels, duplicate_label,
                 label_whitespace; oops:P08, P32; skos:S14), defined in fr and
                 en (robot:missing_definition), rdfs:isDefinedBy
      structure  no subclass cycle (oops:P06), classes under a mixity or reused
                 class (robot:missing_superclass, oops:P04), domains and ranges
                 (oops:P11, P19), naming (oops:P22), no terms in namespaces you
                 do not own (oops:P40), no deprecated terms
      the base   new domain, range or superclass of a mixity term, equivalence
                 or disjointness with one (mixity:base-*), statements about
                 reused terms that their published vocabulary does not make
                 (mixity:redefinition, against pinned copies)
      OWL 2 DL   the OWL API's profile checker (owl2dl:*), when Java and
                 Debian's libowlapi-java are installed (else an info note)
      reasoner   with --reasoner: consistency and satisfiable classes (HermiT)

    \b
    Levels: error (breaks the model or the data), warning (a quality problem
    to fix), info (a note, e.g. a check that could not run).

    \b
    Examples:
      mixity lint
      mixity lint my-extension.ttl
      mixity lint extensions/ --fail-on warning --format json
      mixity lint my-extension.ttl --reasoner

    Exit code 0 when no finding is at the --fail-on level or above, 1 when one
    is (or a file is missing or broken: file:line:column), 2 for a usage error.
    """
    from mixity.graph.lint import lint

    report = lint([*files, *graphs], reasoner=reasoner, profile=not no_profile)
    output = report.to_json() if fmt == "json" else report.to_text()
    click.echo(output, nl=False)
    click.echo(report.summary(), err=True)
    if report.fails(fail_on):
        raise SystemExit(1)

"""The exchange formats on the command line: `mixity export --format qdpx|qdc|aif|argdown`
and `mixity import FILE.qdpx|FILE.json` (the library: `mixity.graph.exchange`)."""

from __future__ import annotations

from pathlib import Path

import click

from mixity.graph.io.write import one_line

#: The exchange formats and the extension each is written with.
EXCHANGE = {"qdpx": ".qdpx", "qdc": ".qdc", "aif": ".json", "argdown": ".argdown"}
#: The extensions of -o that name an exchange format without --format (.json stays JSON-LD).
SUFFIXES = {".qdpx": "qdpx", ".qdc": "qdc", ".argdown": "argdown", ".ad": "argdown"}


def plural(count: int, noun: str) -> str:
    """`1 source`, `2 sources`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def exchange_format(fmt: str | None, output: Path | None) -> str | None:
    """The exchange format `--format` or the extension of -o names, or None for another format."""
    if fmt is not None:
        return fmt if fmt in EXCHANGE else None
    if output is not None:
        return SUFFIXES.get(output.suffix.lower())
    return None


def export_exchange(
    fmt: str,
    output: Path | None,
    *,
    sources: Path | None,
    graphs: tuple[Path, ...],
    no_bundled: bool,
    lang: str,
    view: str | None,
    focus: str | None,
) -> None:
    """Write the loaded graph as `fmt` to `output` (stdout if None); messages on stderr."""
    from mixity.graph.io.loader import load
    from mixity.graph.io.write import atomic_write, refuse_inputs

    if view is not None or focus is not None:
        raise click.UsageError(f"--view and --focus do not apply to --format {fmt}")
    if fmt == "qdpx":
        if sources is None:
            raise click.UsageError("qdpx holds the source texts: give --sources DIR")
        if output is None:
            raise click.UsageError("qdpx is a zip archive: give -o FILE.qdpx")
    elif sources is not None:
        raise click.UsageError(f"--sources applies to --format qdpx, not {fmt}")
    refuse_inputs(output, graphs)
    loaded = load(graphs, bundled=not no_bundled)
    if fmt in ("qdpx", "qdc"):
        from mixity.graph.exchange import qdpx

        if fmt == "qdpx":
            assert sources is not None
            exported = qdpx.export_project(loaded.graph, sources, lang=lang)
            summary = (
                f"{exported.codes} codes, {plural(exported.sources, 'source')}, "
                f"{plural(exported.selections, 'selection')}, {exported.coded} coded"
            )
        else:
            exported = qdpx.export_codebook(loaded.graph, lang=lang)
            summary = f"{exported.codes} codes"
        data, warnings = exported.data, exported.warnings
    elif fmt == "aif":
        from mixity.graph.exchange.aif import export_aif

        aif = export_aif(loaded.graph, lang=lang)
        data, warnings = aif.data, aif.warnings
        summary = f"{aif.nodes} nodes, {aif.edges} edges"
    else:
        from mixity.graph.exchange.argdown import export_argdown

        document = export_argdown(loaded.graph, lang=lang)
        data, warnings = document.data, []
        summary = (
            f"{plural(document.sections, 'section')}, {plural(document.statements, 'statement')}, "
            f"{plural(document.relations, 'relation')}"
        )
    for warning in warnings:
        click.echo(f"mixity: warning: {one_line(warning)}", err=True)
    if output is None:
        click.echo(data, nl=False)
        click.echo(f"Exported {summary} as {fmt}", err=True)
        return
    atomic_write(output, data)
    click.echo(f"Wrote {output} ({summary})", err=True)


def import_file(file: Path, output: Path | None, *, as_class: str | None, lang: str) -> None:
    """Import a `.qdpx` project or an AIF `.json` map; write the Turtle and its texts."""
    from mixity.graph.io.write import refuse_inputs

    suffix = file.suffix.lower()
    if suffix not in (".qdpx", ".json"):
        raise click.UsageError(
            f"{file}: give a REFI-QDA project (.qdpx) or an AIF argument map (.json)"
        )
    class_iri = None
    if as_class is not None:
        from mixity.graph.model.resolve import as_iri
        from mixity.namespaces import PREFIXES

        class_iri = as_iri(as_class, PREFIXES)
        if class_iri is None or class_iri.startswith("_:"):
            raise click.BadParameter(
                f"{as_class!r} is not prefix:name (with a prefix of mixity) nor an IRI",
                param_hint="--as",
            )
        if suffix != ".qdpx":
            raise click.UsageError("--as applies to a .qdpx project")
    refuse_inputs(output, [file])
    from mixity.graph.exchange.build import texts_folder

    if suffix == ".qdpx":
        from mixity.graph.exchange.qdpx_import import import_project

        imported = import_project(file, lang=lang, as_class=class_iri)
        summary = f"{imported.resources} codes, {imported.quotes} quotes"
    else:
        from mixity.graph.exchange.aif import import_aif

        imported = import_aif(file, lang=lang)
        summary = f"{imported.resources} statements and arguments, {imported.quotes} quotes"
    for warning in imported.warnings:
        click.echo(f"mixity: warning: {one_line(warning)}", err=True)
    if output is None:
        click.echo(imported.turtle, nl=False)
        if imported.texts:
            texts = plural(len(imported.texts), "source text")
            verb = "is" if len(imported.texts) == 1 else "are"
            click.echo(f"mixity: the {texts} of the Turtle {verb} written only with -o", err=True)
        click.echo(f"Imported {summary}", err=True)
        return
    written = write_with_texts(output, imported.turtle, imported.texts, texts_folder(output))
    click.echo(f"Wrote {', '.join(map(str, written))} ({summary})", err=True)


def write_with_texts(
    output: Path, turtle: bytes, texts: dict[str, bytes], folder: Path
) -> list[Path]:
    """Write the Turtle and the texts in `folder`, all or nothing (a folder made for them is
    removed again when the writing fails)."""
    from mixity.errors import OutputError
    from mixity.graph.io.write import atomic_write_many

    outputs: dict[Path, str | bytes] = {output: turtle}
    made = False
    if texts:
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder}: is not a folder (the source texts go there)")
        if not folder.exists() and output.parent.is_dir():
            try:
                folder.mkdir()
            except OSError as exc:
                raise OutputError(f"{folder}: cannot create ({exc.strerror})") from None
            made = True
        outputs.update({folder / name: data for name, data in texts.items()})
    try:
        atomic_write_many(outputs)
    except BaseException:
        if made:
            folder.rmdir()
        raise
    return [output, folder] if texts else [output]

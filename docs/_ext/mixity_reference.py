"""Generated reference pages, so that they cannot drift from the code.

A page holds a marker line such as `<!-- mixity:catalogue -->`; while Sphinx reads the page, the
marker is replaced by Markdown generated from the package: the commands and their exit codes
from the click group, the prefixes from the bundled files, the catalogue of saved questions from
the `.rq` headers, the vocabulary and the shape rules from `mixity.graph.model.reference`, the
views from `mixity.graph.model.views`, the error classes from `mixity.errors`, the public names
of `mixity.graph`. A marker with no generator stops the build. After the build, `mixity docs`
writes the ontology's own bilingual pages into `ontology/` (`_ontology_pages`, the one place
that knows its API).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

_MARKER = re.compile(r"^<!-- mixity:([a-z-]+) -->$", re.M)


def commands() -> str:
    """Every command of the `mixity` group with the first line of its help."""
    import click

    from mixity.cli import main

    context = click.Context(main, info_name="mixity")
    lines = ["| command | what it does |", "| --- | --- |"]
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        if command is None or command.hidden:
            continue
        usage = " ".join(command.collect_usage_pieces(context)).replace("[OPTIONS]", "").strip()
        summary = command.get_short_help_str(limit=200)
        lines.append(f"| [`mixity {name}`](#mixity-{name}) {_cell(usage)} | {_cell(summary)} |")
    return "\n".join(lines) + "\n"


def prefixes() -> str:
    """The prefixes every query may use undeclared: the vocabularies', then the data's own."""
    from mixity.graph.sparql.engine import declared_prefixes
    from mixity.namespaces import PREFIXES

    lines = ["| prefix | namespace | from |", "| --- | --- | --- |"]
    for prefix, namespace in sorted(
        declared_prefixes().items(), key=lambda item: (item[0] not in PREFIXES, item[0])
    ):
        origin = "the model" if prefix in PREFIXES else "the bundled data files"
        lines.append(f"| `{prefix}:` | `{namespace}` | {origin} |")
    return "\n".join(lines) + "\n"


def exit_codes() -> str:
    """What each command's exit codes mean, as its `--help` says it."""
    import click

    from mixity.cli import main

    context = click.Context(main, info_name="mixity")
    lines = ["| command | exit codes, from its `--help` |", "| --- | --- |"]
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        if command is None or command.hidden:
            continue
        said = "the codes of every command (above)"
        for paragraph in (command.help or "").split("\n\n"):
            if found := _EXIT.search(paragraph):
                said = " ".join(paragraph[found.start() :].split())
                break
        lines.append(f"| [`mixity {name}`](cli.md#mixity-{name}) | {_cell(said)} |")
    return "\n".join(lines) + "\n"


_EXIT = re.compile(r"exit codes?\b", re.I)


def vocabulary() -> str:
    """Every namespace, class and property the bundled data uses, with its meaning in mixity."""
    from mixity.graph.model.reference import vocabulary_markdown

    return vocabulary_markdown()


def shape_rules() -> str:
    """Every rule of `shapes.ttl` in plain words: one table per node shape."""
    from mixity.graph.model.reference import shape_rules_markdown

    return shape_rules_markdown()


def catalogue() -> str:
    """Every saved question: its titles and descriptions in French and English, its parameters."""
    from mixity.graph.sparql.catalogue import saved_queries

    lines = ["| name | question (fr) | question (en) | parameters |", "| --- | --- | --- | --- |"]
    for query in saved_queries():
        params = ", ".join(f"`{p.name}`" for p in query.params) or "—"
        lines.append(
            f"| [`{query.name}`](#saved-{query.name}) | {_cell(query.titles.get('fr', ''))} "
            f"| {_cell(query.titles.get('en', ''))} | {params} |"
        )
    for query in saved_queries():
        lines += ["", f"(saved-{query.name})=", f"### `{query.name}`", ""]
        for lang, name in (("fr", "Français"), ("en", "English")):
            title, description = query.titles.get(lang, ""), query.descriptions.get(lang, "")
            if title or description:
                lines.append(f"- **{name}**: {_sentence(title)} {description}".rstrip())
        form = query.form or "SELECT"
        lines += ["", f"A {form} query.", "", "```sh", f"mixity query {query.name}", "```"]
        if query.params:
            lines += ["", "| parameter | kind | default | meaning |", "| --- | --- | --- | --- |"]
            for p in query.params:
                kind = p.kind + (f" (`{p.cls}`)" if p.cls else "")
                default = "required" if p.required else (f"`{p.default}`" if p.default else "—")
                lines.append(f"| `{p.name}` | {kind} | {default} | {_cell(p.help)} |")
    return "\n".join(lines) + "\n"


def views() -> str:
    """The named views of `mixity render`, `analyze --view` and `export --view`."""
    from mixity.graph.model.views import VIEWS

    lines = ["| view | what it shows | layout `auto` means |", "| --- | --- | --- |"]
    for spec in VIEWS.values():
        lines.append(f"| `{spec.name}` | {_cell(spec.description)} | {spec.layout} |")
    return "\n".join(lines) + "\n"


def errors() -> str:
    """Every error class of `mixity.errors`, its parent, its exit code and when it is raised."""
    import mixity.errors as module

    lines = ["| error | is a | exit code | raised when |", "| --- | --- | ---: | --- |"]
    for name, cls in vars(module).items():
        if not (isinstance(cls, type) and issubclass(cls, module.MixityError)):
            continue
        parent = cls.__mro__[1].__name__ if cls is not module.MixityError else "`Exception`"
        parent = parent if parent.startswith("`") else f"`{parent}`"
        lines.append(f"| `{name}` | {parent} | {cls.exit_code} | {_cell(_summary(cls))} |")
    return "\n".join(lines) + "\n"


def api() -> str:
    """The public names of `mixity.graph`, each with its signature and the first sentence of its
    docstring."""
    import mixity.graph as graph

    lines = ["| name | what it is |", "| --- | --- |"]
    for name in sorted(graph.__all__, key=str.lower):
        obj = getattr(graph, name)
        home = getattr(obj, "__module__", "") if callable(obj) else ""
        if inspect.isfunction(obj):
            shown = f"`{name}{_signature(obj)}`"
        elif inspect.isclass(obj):
            shown = f"class `{name}`"
        else:
            shown = f"`{name}`"
            home = ""
        where = f" (`{home}`)" if home else ""
        text = _summary(obj) if home else _constant(name)
        lines.append(f"| {shown} | {_cell(text)}{where} |")
    return "\n".join(lines) + "\n"


def _constant(name: str) -> str:
    if name == "VIEWS":
        return "the named views (`mixity.graph.model.views`), name → `ViewSpec`"
    return "a constant"


def _signature(func: Callable[..., Any]) -> str:
    """The parameters' names, `=…` for those with a default: the types are in the code."""
    parameters: list[str] = []
    starred = False
    for param in inspect.signature(func).parameters.values():
        if param.kind is param.KEYWORD_ONLY and not starred:
            parameters.append("*")
            starred = True
        if param.kind is param.VAR_POSITIONAL:
            parameters.append("*" + param.name)
            starred = True
        elif param.kind is param.VAR_KEYWORD:
            parameters.append("**" + param.name)
        else:
            default = "" if param.default is param.empty else "=…"
            parameters.append(param.name + default)
    return "(" + ", ".join(parameters) + ")"


def _summary(obj: object) -> str:
    """The first paragraph of a docstring, on one line."""
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _sentence(title: str) -> str:
    return title if not title or title[-1] in ".?!…" else title + "."


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


GENERATORS: dict[str, Callable[[], str]] = {
    "commands": commands,
    "catalogue": catalogue,
    "prefixes": prefixes,
    "exit-codes": exit_codes,
    "vocabulary": vocabulary,
    "shape-rules": shape_rules,
    "views": views,
    "errors": errors,
    "api": api,
}


def _fill(app: Sphinx, docname: str, source: list[str]) -> None:
    def generated(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in GENERATORS:
            raise ValueError(f"{docname}: no generator for <!-- mixity:{name} -->")
        return GENERATORS[name]()

    source[0] = _MARKER.sub(generated, source[0])


def _label_click_sections(app: Sphinx, doctree: nodes.document) -> None:
    """Make the sections sphinx-click writes (`mixity-query`…) targets of Markdown links
    (`[…](cli.md#mixity-query)`), as MyST's own headings are: std labels of their ids."""
    env = app.env
    std = env.domains.standard_domain
    own = {target for _, target, _ in env.metadata[env.docname].get("myst_slugs", {}).values()}
    for section in doctree.findall(nodes.section):
        title = section[0].astext() if section.children else ""
        for target in section["ids"]:
            if target.startswith("mixity") and target not in own and target not in std.labels:
                std.labels[target] = (env.docname, target, title)
                std.anonlabels[target] = (env.docname, target)


def _ontology_pages(app: Sphinx, exception: Exception | None) -> None:
    """Write the pages of `mixity docs` (the ontology, the concept schemes) into `ontology/`."""
    if exception is not None or app.builder.format != "html":
        return
    from mixity.graph.docs import build_docs, write_docs
    from mixity.graph.io.loader import load

    write_docs(build_docs(load(), lang="en"), Path(app.outdir) / "ontology")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", _fill)
    app.connect("doctree-read", _label_click_sections)
    app.connect("build-finished", _ontology_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

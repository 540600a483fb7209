"""The `mixity` command line: one click group, one module per command under `commands/`.

Commands are found by module name and imported only when run, so `mixity query` never pays
for the imports of `mixity render` (pyvis) or `mixity validate` (pySHACL).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from mixity import __version__
from mixity.cli import commands

EPILOG = """\b
Exit codes: 0 success (or the graph conforms), 1 a finding or an error
in the input (the message says file:line:column), 2 a usage error.
Results go to stdout, messages and progress to stderr."""


class LazyGroup(click.Group):
    """A group whose commands are the modules of `mixity.cli.commands`, imported on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        import pkgutil  # listing is for --help; running a command imports it by name

        names = [
            m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")
        ]
        return sorted(name.rstrip("_") for name in names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for module_name in (cmd_name, cmd_name + "_"):
            try:
                module = importlib.import_module(f"mixity.cli.commands.{module_name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"mixity.cli.commands.{module_name}":
                    raise
                continue
            command: Any = module.cli
            return command  # type: ignore[no-any-return]
        return None


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.version_option(__version__, "-V", "--version", prog_name="mixity")
def main() -> None:
    """Query, check and draw the knowledge graph of the debate on mixité sociale.

    The bundled graph models the debate day « Vivre et gérer la mixité sociale »
    (6 November 2019, Pont-de-Claix): notions, questions, speakers, workshops,
    levers, actors, and the quote behind every fact. Add your own Turtle with
    -g FILE on any command.

    \b
    Examples:
      mixity info
      mixity validate -g my-extension.ttl
      mixity query levers --lang en
    """

"""Atomic writes keep what the user set on a file; errors name what the caller knows."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click
import pytest

from mixity.cli.options import OPTION_NAMES, MixityClickError
from mixity.errors import InvalidParameter
from mixity.graph.io.write import atomic_write


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("wanted", [0o600, 0o640, 0o664])
def test_replacing_a_file_keeps_its_mode(tmp_path: Path, wanted: int) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(wanted)
    atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert mode(target) == wanted


def test_a_new_file_gets_the_mode_open_would_give(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.ttl", "x\n")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.ttl") == 0o640


def test_library_errors_name_parameters_and_the_cli_names_options() -> None:
    error = InvalidParameter(
        "paths", "cannot be combined with {store_dir}; build the store with them", ("store_dir",)
    )
    assert str(error) == "paths: cannot be combined with store_dir; build the store with them"
    shown = MixityClickError(error).format_message()
    assert shown == "-g: cannot be combined with --store-dir; build the store with them"
    assert "--" not in str(InvalidParameter("limit", "must be 0 or more"))
    assert MixityClickError(InvalidParameter("limit", "must be 0 or more")).format_message() == (
        "--limit: must be 0 or more"
    )


def test_every_option_name_is_a_real_option_of_some_command() -> None:
    from mixity.cli import main

    ctx = click.Context(main)
    spelled: set[str] = set()
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        for param in command.params:
            spelled.update(getattr(param, "opts", []))
            if isinstance(param, click.Argument) and param.metavar:
                spelled.add(param.metavar)
    missing = {k: v for k, v in OPTION_NAMES.items() if v not in spelled}
    assert missing == {}

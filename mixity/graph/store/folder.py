"""The folder of a persistent store: refused if it holds anything else, replaced all at once.

A store is built in a new folder beside its target and renamed into place, so a failed or
interrupted build leaves the target as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mixity.errors import InvalidParameter, MixityError


def check_target(target: Path, marker: str) -> None:
    """Refuse a target that is a file, or a non-empty folder without the store's `marker` file."""
    if target.is_symlink():
        raise MixityError(f"{target}: is a symbolic link; give the folder it points to")
    if target.exists() and not target.is_dir():
        raise InvalidParameter(
            "store_dir", f"{target} exists and is not a folder; choose a new or empty folder"
        )
    if target.is_dir() and not (target / marker).is_file() and any(_entries(target)):
        raise MixityError(
            f"{target}: folder is not empty and is not a mixity store; "
            "choose a new or empty folder (nothing was written)"
        )


def work_folder(target: Path) -> Path:
    """A new folder beside `target` to build in, as readable as any new folder."""
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=parent))
        # mkdtemp makes the folder private (0700); a store is as readable as any new folder.
        mask = os.umask(0)
        os.umask(mask)
        work.chmod(0o777 & ~mask)
    except OSError as exc:
        raise MixityError(f"{target}: cannot create the store ({exc.strerror})") from None
    return work


def swap(work: Path, target: Path) -> None:
    """Put the built store in place of `target` (missing, empty, or an older store)."""
    old: Path | None = None
    if target.is_dir():
        if any(target.iterdir()):
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=work.parent))
            os.replace(target, old / "store")
        else:
            target.rmdir()
    try:
        os.replace(work, target)
    except BaseException:
        # Interrupted or refused between the two renames: put the old store back.
        if old is not None and not target.exists():
            os.replace(old / "store", target)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _entries(folder: Path) -> Iterator[Path]:
    try:
        yield from folder.iterdir()
    except OSError as exc:
        raise MixityError(f"{folder}: cannot be read ({exc.strerror})") from None

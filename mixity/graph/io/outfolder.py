"""Write a folder of files all or nothing: every file goes into a temporary folder beside the
target, which is then renamed into place, so that a failure leaves nothing behind and a reader
never sees half a folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from mixity.errors import OutputError


def entries(folder: Path) -> list[str]:
    """The names in a folder (hidden ones too), sorted; [] when it does not exist."""
    try:
        return sorted(p.name for p in folder.iterdir())
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise OutputError(f"{folder}: is a file, not a folder") from None
    except OSError as exc:
        raise OutputError(f"{folder}: cannot be read ({exc.strerror})") from None


def check_target(target: Path) -> Path:
    """The folder to write (a symlink's target), once its parent is known to exist."""
    real = target.resolve() if target.is_symlink() else target
    parent = real.parent if str(real.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{target}: folder {parent} does not exist")
    if real.exists() and not real.is_dir():
        raise OutputError(f"{target}: is a file, not a folder")
    return real


def write_folder(target: Path, files: Mapping[str, str | bytes], *, replace: bool = False) -> None:
    """Write `files` (relative POSIX paths -> content) as the folder `target`.

    The folder must not exist or be empty; with `replace`, an existing folder is replaced
    whole (the caller has checked that it holds only what it wrote before).
    """
    real = check_target(target)
    present = entries(real)
    if present and not replace:
        raise OutputError(f"{target}: folder is not empty")
    import tempfile  # only when a folder is written

    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
    backup: Path | None = None
    try:
        _fill(staging, files)
        os.chmod(staging, _folder_mode())
        if present:
            backup = staging.with_name(staging.name + ".old")
            os.rename(real, backup)
            try:
                os.rename(staging, real)
            except OSError:
                os.rename(backup, real)
                backup = None
                raise
        else:
            # rename() replaces an empty folder in one step
            os.rename(staging, real)
    except OSError as exc:
        raise OutputError(f"{exc.filename or target}: cannot write ({exc.strerror})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)


def _fill(folder: Path, files: Mapping[str, str | bytes]) -> None:
    for name, data in files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise OutputError(f"{name}: not a path inside the folder")
        path = folder.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        with open(path, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())


def _folder_mode() -> int:
    """The mode `mkdir` would give (mkdtemp makes folders 0700)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask

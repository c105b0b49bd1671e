"""Writes that are whole or absent: a temporary file in the target's folder, renamed into place.

A writer killed midway leaves the old file (or no file) and a temporary one
beside it, never a truncated target.  Without ``overwrite`` an existing target
is refused, also when it appears while the file is being written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


class WriteError(OSError):
    """A write refused or failed; the message is one line naming the path."""


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _check_target(path: Path, overwrite: bool) -> None:
    if path.is_dir():
        raise WriteError(f"{path}: is a directory")
    if path.exists() and not overwrite:
        raise WriteError(f"{path} exists (use --force to replace it)")
    if not path.parent.is_dir():
        raise WriteError(f"{path.parent}: no such directory")


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", overwrite: bool = False,
                encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on a clean exit it becomes ``path``, else it is removed."""
    path = Path(path)
    _check_target(path, overwrite)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the target appeared meanwhile: never clobbered
            except FileExistsError:
                raise WriteError(f"{path} exists (use --force to replace it)") from None
            os.unlink(tmp)
        _fsync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_bytes(path: str | os.PathLike, data: bytes, overwrite: bool = False) -> None:
    with atomic_open(path, "wb", overwrite) as fh:
        fh.write(data)


def write_text(path: str | os.PathLike, text: str, overwrite: bool = False) -> None:
    with atomic_open(path, "w", overwrite) as fh:
        fh.write(text)


def new_dir_beside(target: Path) -> Path:
    """An empty temporary folder beside ``target``, for building a directory that replaces it whole."""
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))


def replace_dir(built: Path, target: Path, overwrite: bool) -> None:
    """Move the complete folder ``built`` to ``target``; an old ``target`` goes only after ``built`` is in place
    (refused without ``overwrite`` unless it is empty)."""
    old = None
    if target.exists():
        if not target.is_dir():
            raise WriteError(f"{target} exists and is not a directory")
        if any(target.iterdir()):
            if not overwrite:
                raise WriteError(f"{target} exists and is not empty (use --force to replace it)")
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
        else:
            os.rmdir(target)
    try:
        os.rename(built, target)
    except BaseException:
        if old is not None and not target.exists():
            os.rename(old, target)  # put the old one back
        raise
    _fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

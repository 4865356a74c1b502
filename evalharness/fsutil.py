"""Output files: a reader never sees a half-written report, and special files survive.

Rules (see docs/reliability.md):

* a regular file (or a new path) is written to a temporary file beside it and
  renamed over it atomically; on any error or caught signal the temporary file
  is removed and the old content stays;
* a symlink is followed: the file it points to is replaced, the link stays;
* a character device or a FIFO (``/dev/stdout``, ``/dev/null``, a named pipe)
  is written through, never replaced by a regular file;
* a directory, a parent that is a file, or a folder we may not write to is an
  :class:`~evalharness.errors.OutputError` naming the path (exit 3).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from evalharness.errors import OutputError


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` (see the module rules).

    Raises:
        OutputError: the path cannot be written.
    """
    atomic_write_chunks(path, [data])


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text to ``path`` (see the module rules)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_chunks(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> None:
    """Stream ``chunks`` to ``path`` (see the module rules); memory stays at one chunk.

    Raises:
        OutputError: the path cannot be written.
    """
    target, write_through = output_target(path)
    try:
        if write_through:
            _write_through(target, chunks)
        else:
            _replace_atomically(target, chunks)
    except OSError as exc:
        raise OutputError(_reason(exc), str(path)) from None


def output_target(path: str | os.PathLike[str]) -> tuple[Path, bool]:
    """Where output for ``path`` goes, and whether it is written through (device, FIFO).

    Symlinks are resolved; a missing parent folder is created.

    Raises:
        OutputError: ``path`` is a directory, or its parent cannot be a directory.
    """
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(_reason(exc), str(path)) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError("is a directory, not a file", str(path))
    if mode is not None and not stat.S_ISREG(mode):
        return real, True
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError("cannot create the folder: a file stands in the way", str(path)) from None
    except OSError as exc:
        raise OutputError(_reason(exc), str(path)) from None
    return real, False


def _write_through(target: Path, chunks: Iterable[bytes]) -> None:
    with open(target, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)


def _replace_atomically(target: Path, chunks: Iterable[bytes]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates 0600; a report should get the usual 0666 minus umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "cannot write here: permission denied"
    if exc.errno == errno.ENOSPC:
        return "cannot write: no space left on the device"
    return f"cannot write: {exc.strerror or exc}"

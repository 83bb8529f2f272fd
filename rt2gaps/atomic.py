"""Files that land whole or not at all: written beside the target, then renamed over it.

Every writer (workbook, charts, briefs, the raw download cache) goes through here, so a crash, a
full disk or an error half-way never leaves a truncated file where a good one was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PUBLIC_FILE = 0o644  # like any file a user writes: reports are meant to be shared


@contextmanager
def replaced_on_success(path: Path, mode: int = PUBLIC_FILE) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over ``path`` if the block succeeds, deleted otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, mode)  # mkstemp creates it private
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise naming(exc, path) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def naming(error: OSError, path: Path) -> OSError:
    """``error`` naming ``path`` when it names no file: a full disk fails a write() with no file name."""
    if error.filename is not None or error.errno is None:
        return error
    return OSError(error.errno, error.strerror or str(error), str(path))  # the errno's own subclass


def write_bytes_atomically(path: Path, content: bytes, mode: int = PUBLIC_FILE) -> Path:
    """Write ``content`` to ``path`` whole or not at all."""
    with replaced_on_success(path, mode) as temporary:
        temporary.write_bytes(content)
    return Path(path)

"""Writing files so that a crash or Ctrl-C leaves either the old file or the new one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable


def write_text_atomic(path: str, text: str) -> None:
    write_chunks_atomic(path, (text,))


def write_chunks_atomic(path: str, chunks: Iterable[str]) -> None:
    """Like :func:`write_text_atomic`, for text made piece by piece (a feed of
    100,000 listings need not be one string in memory)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path), dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise

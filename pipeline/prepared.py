"""Where mtqa keeps what it prepares once per machine: ``$MTQA_CACHE_DIR`` (default ~/.cache/mtqa).

Prepared tables (word lists as tries, lexicons as JSON, converted models) are data derived from
installed packages; each lives in its own folder below this one, keyed so that a new version of the
package it came from gets a new file.  Files are written to a temporary name in the same folder
and renamed into place, so a reader never sees half a file and concurrent runs never clash.
When the folder cannot be written (a read-only home), callers build the table in memory instead.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_home() -> Path:
    """The root of mtqa's per-machine cache: ``$MTQA_CACHE_DIR``, else ~/.cache/mtqa."""
    return Path(os.environ.get("MTQA_CACHE_DIR") or Path.home() / ".cache" / "mtqa")


def write_atomically(path: Path, write: Callable[[str], None]) -> bool:
    """Have ``write(temporary_name)`` write a file, then rename it to ``path``; False (and nothing
    left behind) when the folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return False
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)

"""Writing files so that no reader ever sees half of one: a temporary file beside the destination, renamed
into place only when complete (a rename within one folder is atomic)."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


def temp_file(folder: Path, name: str = "") -> Path:
    """An empty temporary file ``.<name>.XXXX.part`` in ``folder`` (created if needed), to be renamed later."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    os.close(fd)
    return Path(tmp)


@contextmanager
def atomic_write(dest: Path, mode: str = "wb", **open_args) -> Iterator[IO]:
    """Open a temporary file beside ``dest``; on success it is synced and renamed over ``dest`` (mode 644),
    on failure removed."""
    dest = Path(dest)
    tmp = temp_file(dest.parent, dest.name)
    try:
        with open(tmp, mode, **open_args) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

"""Writing files so that no reader ever sees half of one: a temporary file beside the destination, renamed
into place only when complete (a rename within one folder is atomic)."""

from __future__ import annotations

import hashlib
import json
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


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes (read in 1 MB blocks): the one digest every check in the project uses."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(files: list[Path], root: Path, extra: str = "") -> str:
    """sha256 over each file's path (relative to ``root`` when inside it) and its bytes, plus ``extra``: what decides whether
    something made from these files must be made again (the build stamp, the notebook and page stamps)."""
    digest = hashlib.sha256(extra.encode() + b"\0")
    for path in map(Path, files):
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


CODE_SUFFIXES = (".py", ".csv")  # the package's code and its tables of layouts and rules


def code_files(folder: Path, leave_out: Path | None = None) -> list[Path]:
    """The code under ``folder`` (a file or a folder) that decides what the project makes: its .py and .csv files,
    no caches and no stray files (an editor's backup would make a committed stamp impossible to reproduce); files
    under ``leave_out`` are left out."""
    folder = Path(folder)
    found = [folder] if folder.is_file() else folder.rglob("*")
    return sorted(p for p in found if p.suffix in CODE_SUFFIXES and p.is_file() and "__pycache__" not in p.parts
                  and not (leave_out is not None and Path(leave_out) in p.parents))


class Stamp:
    """What something was made from and what it wrote: ``{"inputs": <digest or dict>, "outputs": {file: sha256}}``,
    the one freshness record of the project (the processed tables, the notebooks' runs and the site's pages each keep
    one). The thing is current while its inputs are the same and every output still has its recorded bytes.

    ``key`` names one entry of a file that holds several (the notebooks share one file); a stamp beside committed
    outputs is committed with them, so a fresh clone knows at once that nothing needs making again."""

    def __init__(self, path: Path, key: str | None = None):
        self.path, self.key = Path(path), key

    def _file(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def read(self) -> dict:
        data = self._file()
        entry = data.get(self.key, {}) if self.key is not None else data
        return entry if isinstance(entry, dict) else {}

    def write(self, entry: dict) -> None:
        """Record ``entry`` (the other entries of a shared file are kept): one writer at a time."""
        data = {**self._file(), self.key: entry} if self.key is not None else entry
        with atomic_write(self.path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=2, sort_keys=True) + "\n")

    def current(self, inputs, folder: Path) -> bool:
        """True when the stamp records exactly these inputs and every output under ``folder`` is unchanged."""
        entry = self.read()
        outputs = entry.get("outputs")
        if entry.get("inputs") != inputs or not isinstance(outputs, dict):
            return False
        try:
            return all(sha256_file(inside(folder, name)) == sha for name, sha in outputs.items())
        except (OSError, UnsafePath):
            return False


COMMIT = ".commit"  # in a folder: the files of one change being put in place; present means "finish this first"
STAGING = ".staging"  # in a folder: the names a writer is staging (<name>.new); only these are ever cleared


def commit_files(folder: Path, files: dict[str, str]) -> None:
    """Replace several files in ``folder`` as one change: readers see all old or all new files, never a mix.

    The names about to be staged are recorded first (.staging); each file is written complete beside its
    destination (<name>.new); a commit record listing them is written atomically; then the files are renamed into
    place and the records removed. Killed before the commit record exists, the old files stand and the next writer
    removes the staged files the .staging record names (and no other file); killed after, the next reader or writer
    finishes the renames (finish_commit)."""
    folder = Path(folder)
    with locked(folder):
        finish_commit(folder, clear_staged=True)
        with atomic_write(folder / STAGING, "w", encoding="utf-8") as handle:
            handle.write("\n".join(files) + "\n")
        for name, text in files.items():
            with atomic_write(folder / f"{name}.new", "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        with atomic_write(folder / COMMIT, "w", encoding="utf-8") as handle:
            handle.write("\n".join(files) + "\n")
        finish_commit(folder)


def _names(record: Path) -> list[str]:
    """The plain file names a record lists (a name with a path in it is ignored)."""
    return [n for n in record.read_text(encoding="utf-8").split("\n") if n and "/" not in n and n not in (".", "..")]


def finish_commit(folder: Path, clear_staged: bool = False) -> None:
    """Complete a change left unfinished (rename its staged files into place). A writer holding the lock also
    clears the staged files of a change that never reached its commit record (``clear_staged``): only the
    <name>.new files its .staging record names; other files in the folder, whoever wrote them, are left alone."""
    folder = Path(folder)
    record, staging = folder / COMMIT, folder / STAGING
    if record.is_file():
        for name in _names(record):
            if (folder / f"{name}.new").is_file():
                os.replace(folder / f"{name}.new", folder / name)
        record.unlink(missing_ok=True)
        staging.unlink(missing_ok=True)
    if clear_staged and staging.is_file():
        for name in _names(staging):
            (folder / f"{name}.new").unlink(missing_ok=True)
        staging.unlink(missing_ok=True)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One writer at a time in ``folder`` (an operating-system lock on .<folder>.lock beside it, released when the
    process ends, so the folder itself holds only its files; ``filelock`` works on POSIX and Windows)."""
    from filelock import FileLock

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder.parent / f".{folder.name}.lock"):
        yield


class UnsafePath(ValueError):
    """A path that would read or write outside its root (data/raw or a mirror folder), or through a symlink."""


def inside(root: Path, rel: str) -> Path:
    """root/rel, refused unless it stays inside root with no symbolic link on the way (the file itself included)."""
    parts = Path(rel).parts
    if not parts or Path(rel).is_absolute() or ".." in parts:
        raise UnsafePath(f"{rel!r} is refused: not a path inside {root}")
    path = Path(root)
    for part in parts:
        path = path / part
        if path.is_symlink():
            raise UnsafePath(f"{path} is a symbolic link; refusing to read or write through it")
    if not path.resolve().is_relative_to(Path(root).resolve()):
        raise UnsafePath(f"{rel!r} resolves outside {root}; refused")
    return path


def manifest_entries(manifest: Path) -> list[dict]:
    """The entries of a raw-file manifest (datapackage.json) for readers that need only its paths and hashes; a
    manifest of any other shape (not JSON, not a mapping, 'resources' not a list of entries with text 'path' and
    'hash') is a ValueError on one line naming the file and the remedy. Archive reads and checks it in full."""
    where = Path(manifest).as_posix()
    remedy = "restore it with `git checkout -- data/raw/datapackage.json`"
    try:
        data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{where}: unreadable manifest ({exc}); {remedy}") from None
    entries = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("hash"), str) for e in entries):
        raise ValueError(f"{where}: damaged manifest (expected a mapping whose 'resources' is a list of entries, each "
                         f"with a text path and hash); {remedy}")
    return entries

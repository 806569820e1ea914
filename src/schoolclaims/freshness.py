"""Is data/processed current? The build records what it was made from (every raw file's sha256, a digest of the
code that reads and transforms them), which raw files it read and what it wrote (each table's sha256) in
data/processed/build-inputs.json, a :class:`files.Stamp` committed with the tables. When it still matches, and the raw
files the build would read now hold those bytes, a rebuild would write the same bytes, so it is skipped: also in a
fresh clone, whose committed tables are current as soon as its raw files (archived or in a mirror) are there. Light
on imports on purpose: the check runs before pandas is loaded.

The raw bytes are checked, not trusted: each file is found where the build would read it (the archived copy first,
else a mirror's copy of the same official file) and its sha256 compared with the manifest's. Hashing every raw file
on each run would cost time, so sha256s are cached in .cache/raw-sha256.json by (path, size, mtime_ns, ctime_ns,
inode): a file is hashed again when any of those changes (an edit, a copy, a restore from git)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import paths
from .files import Stamp, atomic_write, code_files, finish_commit, fingerprint, sha256_file

STAMP = "build-inputs.json"
BUILD_CODE = ("sources", "transform", "tables", "build.py", "entities.py", "years.py")  # what decides the tables
EXTRACT_CODE = ("sources", "entities.py", "years.py")  # what decides an extracted frame


def code_digest(parts: tuple[str, ...]) -> str:
    """sha256 over the package files (.py and layout .csv) under the named parts of src/schoolclaims."""
    package = Path(__file__).parent
    return fingerprint([path for part in parts for path in code_files(package / part)], package)


HASH_CACHE = "raw-sha256.json"  # in paths.CACHE: file -> [size, mtime_ns, ctime_ns, inode, sha256]


FETCH_ONLY = ("retrieved_at", "etag", "last_modified")  # manifest fields that say when and how a file was fetched;
# every other field (source, vintage, origin, extra such as a release date or what a file supersedes) may change a table


def build_inputs(manifest: Path | None = None) -> dict:
    """What a build reads: the manifest's files by path and sha256, a digest of the rest of each manifest entry, and
    the code digest. A manifest that cannot be read as one gives inputs no stamp matches (the build then stops on it
    with a one-line error)."""
    try:
        data = json.loads(Path(manifest or paths.MANIFEST).read_text(encoding="utf-8"))
        raw = {entry["path"]: entry["hash"].removeprefix("sha256:") for entry in data["resources"]}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
            raise TypeError("path and hash must be text")
        described = sorted(({k: v for k, v in entry.items() if k not in FETCH_ONLY} for entry in data["resources"]),
                           key=lambda entry: entry["path"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return {"code": code_digest(BUILD_CODE), "raw_files": None, "damaged_manifest": str(exc)}
    entries = hashlib.sha256(json.dumps(described, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return {"code": code_digest(BUILD_CODE), "raw_files": dict(sorted(raw.items())), "manifest_entries": entries}


def stamp_text(inputs: dict, tables: dict[str, str], read: list[str]) -> str:
    """The stamp for tables about to be written (file name -> CSV text) from the raw files ``read`` (manifest
    paths), so it lands in the same commit as they do."""
    written = {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in sorted(tables.items())}
    return json.dumps({"inputs": inputs, "outputs": written, "read": sorted(read)}, indent=2, sort_keys=True) + "\n"


def up_to_date(out_dir: Path, inputs: dict, archive_root: Path | None = None, mirrors=None) -> bool:
    """True when out_dir holds tables written from exactly these inputs, unchanged since, and every raw file the
    build read is still reachable (archived under ``archive_root`` or in a mirror) with the bytes the manifest
    records."""
    finish_commit(Path(out_dir))
    stamp = Stamp(Path(out_dir) / STAMP)
    return (inputs.get("raw_files") is not None and stamp.current(inputs, out_dir)
            and raw_bytes_unchanged(stamp.read().get("read"), archive_root, mirrors))


def raw_bytes_unchanged(read, archive_root: Path | None = None, mirrors=None) -> bool:
    """True when each raw file in ``read`` (manifest paths) is where the build would read it now (the archived copy,
    else a mirror's), not behind a symbolic link, and has the sha256 the manifest records (cached by path, size,
    mtime_ns, ctime_ns and inode; hashed again when one changes)."""
    from .acquire.archive import Archive, ArchiveError

    if not isinstance(read, list):
        return False
    try:
        archive = Archive(archive_root)
        found = {rel: archive.find(archive.get(rel), mirrors) for rel in read}
    except (ArchiveError, OSError, ValueError, TypeError):
        return False  # a damaged manifest or mirror list, a file no longer listed: let the build say what is wrong
    cache_path = paths.CACHE / HASH_CACHE
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
        cache = cache if isinstance(cache, dict) else {}
    except (OSError, ValueError):
        cache = {}
    changed, ok = False, True
    for rel, path in found.items():
        if path is None or path.is_symlink():
            return False  # nowhere to read it, or behind a link the build would refuse
        where, st = str(path.absolute()), path.stat()
        key = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]  # ctime too: coarse clocks, rewrites in place
        known = cache.get(where)
        if not (isinstance(known, list) and known[:4] == key):
            known = key + [sha256_file(path)]
            cache[where], changed = known, True
        if known[4] != archive.get(rel).sha256:
            ok = False
            break
    if changed:
        try:
            with atomic_write(cache_path, "w", encoding="utf-8") as handle:
                json.dump(cache, handle)
        except OSError:
            pass  # a cache that cannot be written only costs time next run
    return ok

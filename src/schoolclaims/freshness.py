"""Is data/processed current? The build records what it was made from (every raw file's sha256, a digest of the
code that reads and transforms them) and what it wrote (each table's sha256) in data/processed/build-inputs.json.
When both still match, and the raw files the build read still hold those bytes, a rebuild would write the same
bytes, so it is skipped. Light on imports on purpose: the check runs before pandas is loaded.

The raw bytes are checked, not trusted: the build records where it read each file (the archived copy or a mirror's,
in .cache/build-read.json, machine-specific so not in the committed stamp), and the check hashes those files again.
Hashing every raw file on each run would cost seconds, so sha256s are cached in .cache/raw-sha256.json by (path,
size, mtime_ns, inode): a file is hashed again when any of those changes (an edit, a copy, a restore from git)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import paths
from .files import UnsafePath, atomic_write, finish_commit, fingerprint, inside, sha256_file

STAMP = "build-inputs.json"
BUILD_CODE = ("sources", "transform", "tables", "build.py", "entities.py", "years.py")  # what decides the tables
EXTRACT_CODE = ("sources", "entities.py", "years.py")  # what decides an extracted frame


def code_digest(parts: tuple[str, ...]) -> str:
    """sha256 over the package files (.py and layout .csv) under the named parts of src/schoolclaims."""
    package = Path(__file__).parent
    files = [path for part in parts
             for path in ([package / part] if (package / part).is_file() else sorted((package / part).rglob("*")))
             if path.suffix in (".py", ".csv")]
    return fingerprint(files, package)


READ_RECORDS = "build-read"  # in paths.CACHE, one per output folder: where the last build read each raw file
HASH_CACHE = "raw-sha256.json"  # in paths.CACHE: file -> [size, mtime_ns, inode, sha256]


def build_inputs(manifest: Path | None = None) -> dict:
    """What a build reads: the manifest's files by path and sha256, and the code digest. A manifest that cannot be
    read as one gives inputs no stamp matches (the build then stops on it with a one-line error)."""
    try:
        data = json.loads(Path(manifest or paths.MANIFEST).read_text(encoding="utf-8"))
        raw = {entry["path"]: entry["hash"].removeprefix("sha256:") for entry in data["resources"]}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
            raise TypeError("path and hash must be text")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return {"code": code_digest(BUILD_CODE), "raw_files": None, "damaged_manifest": str(exc)}
    return {"code": code_digest(BUILD_CODE), "raw_files": dict(sorted(raw.items()))}


def stamp_text(inputs: dict, tables: dict[str, str]) -> str:
    """The stamp for tables about to be written (file name -> CSV text), so it lands in the same commit as they do."""
    written = {name.removesuffix(".csv"): hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in sorted(tables.items())}
    return json.dumps({"inputs": inputs, "tables": written}, indent=2) + "\n"


def up_to_date(out_dir: Path, inputs: dict) -> bool:
    """True when out_dir holds tables written from exactly these inputs, unchanged since, and the raw files the
    last build read still hold the bytes the manifest records."""
    finish_commit(Path(out_dir))
    try:
        stamp = json.loads((Path(out_dir) / STAMP).read_text(encoding="utf-8"))
        return (inputs.get("raw_files") is not None and stamp["inputs"] == inputs
                and all(sha256_file(Path(out_dir) / f"{name}.csv") == sha for name, sha in stamp["tables"].items())
                and raw_bytes_unchanged(out_dir, inputs["raw_files"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _read_record(out_dir: Path) -> Path:
    key = hashlib.sha256(str(Path(out_dir).absolute()).encode()).hexdigest()[:16]
    return paths.CACHE / READ_RECORDS / f"{key}.json"


def _folders(mirrors) -> list[str]:
    return [str(Path(m).absolute()) for m in mirrors]


def record_reads(out_dir: Path, root: Path, read: dict[str, Path], mirrors: list[Path]) -> None:
    """After a build into ``out_dir``: the archive root, the mirror folders it was given and where each raw file was
    read (manifest path -> file: the archived copy or a mirror's), for :func:`raw_bytes_unchanged`."""
    with atomic_write(_read_record(out_dir), "w", encoding="utf-8") as handle:
        json.dump({"root": str(Path(root).absolute()), "mirrors": _folders(mirrors),
                   "files": {rel: str(Path(p).absolute()) for rel, p in sorted(read.items())}}, handle, indent=1)


def raw_bytes_unchanged(out_dir: Path, raw_files: dict[str, str]) -> bool:
    """True when the mirror folders are those the last build into ``out_dir`` was given, every raw file it read is
    where it read it (an archived copy now present where a mirror's was read means another file would be read),
    not behind a symbolic link, and still
    has the sha256 the manifest records (cached by path, size, mtime_ns and inode; hashed again when one changes)."""
    try:
        record = json.loads(_read_record(out_dir).read_text(encoding="utf-8"))
        root, read = Path(record["root"]), record["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return False  # no record of what the last build read (a fresh clone, a removed .cache): build
    if record.get("mirrors") != _folders(paths.mirror_dirs()):
        return False  # other mirror folders now (SCHOOLCLAIMS_MIRROR): the next build may read other copies
    if not isinstance(read, dict):
        return False
    cache_path = paths.CACHE / HASH_CACHE
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
        cache = cache if isinstance(cache, dict) else {}
    except (OSError, ValueError):
        cache = {}
    changed, ok = False, True
    for rel, where in read.items():
        if rel not in raw_files or not isinstance(where, str):
            return False
        try:
            local = inside(root, rel)  # the archived copy comes first, as Archive.locate reads it
        except UnsafePath:
            return False
        path = local if local.is_file() else Path(where)
        if str(path.absolute()) != where or path.is_symlink():
            return False  # read elsewhere last time: the next build reads another file
        st = path.stat()
        key = [st.st_size, st.st_mtime_ns, st.st_ino]
        known = cache.get(where)
        if not (isinstance(known, list) and known[:3] == key):
            known = key + [sha256_file(path)]
            cache[where], changed = known, True
        if known[3] != raw_files[rel]:
            ok = False
            break
    if changed:
        try:
            with atomic_write(cache_path, "w", encoding="utf-8") as handle:
                json.dump(cache, handle)
        except OSError:
            pass  # a cache that cannot be written only costs time next run
    return ok

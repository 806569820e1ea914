"""The raw snapshot store: bytes as published, under data/raw/<source>/<vintage>/<file>,
described by a manifest (data/raw/datapackage.json, a Frictionless data package).

Rules kept here:
- writes are atomic (temporary file in the same folder, then rename): no half-written file;
- a good snapshot is never overwritten by different bytes unless the caller asks (``replace=True``),
  and then the old bytes are kept under data/raw/_superseded/;
- every read goes through :meth:`Archive.locate`, which checks the sha256 first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from .. import paths, urls
from ..files import UnsafePath, atomic_write, inside, locked, sha256_file, temp_file
from . import mirror as mirror_mod

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")  # a source id, vintage or file name: no path, no '..'
JOURNAL = ".journal.json"  # a store under way: lets the next writer finish it after a kill
STALE_SECONDS = 600  # a temporary file untouched this long belongs to a copy or download that was killed

ORIGINS = ("official", "mirror", "internet-archive", "manual-import", "package")


class ArchiveError(Exception):
    """Base class for problems with archived raw files."""


class ChecksumError(ArchiveError):
    """A file's bytes differ from its manifest entry; the message ends with the remedy that fits the file."""

    def __init__(self, path: Path, expected: str, actual: str, remedy: str):
        super().__init__(f"{paths.relative(path)}: sha256 is {actual}, the manifest expects {expected}; "
                         f"the file was changed or damaged. {remedy}")
        self.path, self.expected, self.actual = path, expected, actual


def checked_name(value: str, what: str) -> str:
    if not NAME.fullmatch(value or "") or ".." in value:
        raise UnsafePath(f"{what} {value!r} is refused: use letters, digits, '.', '_' or '-' (no path, no '..', "
                         "not empty)")
    return value


class MissingRawFile(ArchiveError):
    pass


class DuplicateFile(ArchiveError):
    """Two archived files claim one place: one source and vintage, or one ledger name."""


class SnapshotConflict(ArchiveError):
    pass


@dataclass
class Resource:
    """One archived file. Field names follow Frictionless where it has one (path, hash, bytes, mediatype)."""

    path: str  # relative to data/raw
    source_id: str
    vintage: str
    url: str  # the official address ("" when there is none, e.g. a hand-made ledger)
    sha256: str
    bytes: int
    mediatype: str
    origin: str
    origin_detail: str = ""
    retrieved_at: str = ""
    etag: str = ""
    last_modified: str = ""
    extra: dict = field(default_factory=dict)
    schema: dict = field(default_factory=dict)  # a Frictionless table schema, for tables made by hand (ledgers)

    def __post_init__(self):
        if self.origin not in ORIGINS:
            raise ValueError(f"{self.path}: origin {self.origin!r} is not one of {ORIGINS}")

    def origin_summary(self) -> str:
        """Where the bytes came from, in words: for a mirror copy the third-party repository and commit it names."""
        if self.origin == "mirror":
            found = re.search(r"the mirror took it from ([^@\s]+)@([0-9a-f]+)", self.origin_detail)
            if found:
                caveat = self.origin_detail[found.end():].lstrip(")").lstrip("; ")  # e.g. how the copy differs
                return (f"mirror copy of the official file, taken by the third-party repository {found.group(1)} at "
                        f"commit {found.group(2)} ({self.origin_detail.split(' (the mirror', 1)[0]})"
                        + (f"; {caveat}" if caveat else ""))
        if self.origin == "internet-archive" and self.extra.get("capture_timestamp"):
            return f"Internet Archive capture {self.extra['capture_timestamp']} (digest {self.extra.get('capture_digest', '')})"
        return f"{self.origin}: {self.origin_detail}" if self.origin_detail else self.origin

    @property
    def name(self) -> str:
        return re.sub(r"[^a-z0-9._-]+", "-", self.path.lower()).strip("-")

    def to_json(self) -> dict:
        data = asdict(self)
        sha = data.pop("sha256")
        data = {"name": self.name, "hash": f"sha256:{sha}", **data}
        for optional in ("extra", "schema"):
            if not data[optional]:
                data.pop(optional)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Resource":
        """A manifest entry, its shape checked: a mapping with a text path inside data/raw, 'sha256:<64 hex>',
        the known fields only, and an http(s) address (or none)."""
        if not isinstance(data, dict):
            raise ArchiveError(f"manifest entry {str(data)[:60]!r} is a {type(data).__name__}, not a mapping of fields")
        data = dict(data)
        data.pop("name", None)
        rel = data.get("path")
        if not isinstance(rel, str) or not rel or Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise UnsafePath(f"manifest entry path {rel!r} is not a path inside data/raw; refused")
        digest = data.pop("hash", None)
        if not isinstance(digest, str) or not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
            raise ArchiveError(f"manifest entry {rel}: hash is {digest!r}; it must be 'sha256:' and 64 hex digits")
        known = {f.name for f in fields(cls)} - {"sha256"}
        unknown = sorted(set(data) - known)
        missing = sorted({"source_id", "vintage", "url", "bytes", "mediatype", "origin"} - set(data))
        if unknown or missing:
            raise ArchiveError(f"manifest entry {rel}: " + "; ".join(
                ([f"unknown field(s) {unknown}"] if unknown else []) + ([f"missing field(s) {missing}"] if missing else [])))
        texts = [k for k in ("source_id", "vintage", "url", "mediatype", "origin", "origin_detail", "retrieved_at",
                             "etag", "last_modified") if k in data and not isinstance(data[k], str)]
        if texts or not isinstance(data["bytes"], int) or isinstance(data["bytes"], bool) or any(
                not isinstance(data.get(k, {}), dict) for k in ("extra", "schema")):
            raise ArchiveError(f"manifest entry {rel}: a field has the wrong type (text fields {texts or 'fine'}, "
                               f"bytes {data['bytes']!r} must be a whole number, extra and schema mappings)")
        urls.check(data["url"], f"manifest entry {rel}: url")
        return cls(sha256=digest.split(":", 1)[1], **data)


def tracked_by_git(path: Path) -> bool:
    """True when git tracks ``path`` in the repository (False when it is ignored, untracked or git is missing)."""
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(paths.ROOT), "ls-files", "--error-unmatch", "--", str(path)],
                              capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Archive:
    """The manifest plus the files it describes."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root or paths.RAW)
        self.manifest_path = self.root / "datapackage.json"
        self._read_manifest()

    def _read_manifest(self) -> None:
        self.resources: dict[str, Resource] = {}
        if self.manifest_path.exists():
            where = paths.relative(self.manifest_path)
            remedy = "restore it with `git checkout -- data/raw/datapackage.json`"
            try:
                data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            except (ValueError, OSError) as exc:
                raise ArchiveError(f"{where}: unreadable manifest ({exc}); {remedy}") from None
            entries = data.get("resources") if isinstance(data, dict) else None
            if not isinstance(entries, list):
                found = type(data).__name__ if not isinstance(data, dict) else f"'resources' is {type(entries).__name__}"
                raise ArchiveError(f"{where}: damaged manifest (expected a mapping with a 'resources' list; found "
                                   f"{found}); {remedy}")
            for entry in entries:
                try:
                    resource = Resource.from_json(entry)
                except (ValueError, TypeError, ArchiveError) as exc:
                    raise ArchiveError(f"{where}: damaged manifest: {exc}; {remedy}") from None
                if resource.path in self.resources:
                    raise ArchiveError(f"{where}: damaged manifest: two entries for {resource.path}; {remedy}")
                self.resources[resource.path] = resource

    # -- the manifest -------------------------------------------------------------------------------
    def save(self) -> None:
        data = {
            "name": "schoolclaims-raw",
            "title": "Raw snapshots archived by schoolclaims (bytes as published)",
            "profile": "data-package",
            "resources": [self.resources[key].to_json() for key in sorted(self.resources)],
        }
        text = json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
        with atomic_write(self.manifest_path) as handle:
            handle.write(text.encode("utf-8"))

    def for_source(self, source_id: str) -> list[Resource]:
        return sorted((r for r in self.resources.values() if r.source_id == source_id), key=lambda r: r.path)

    def get(self, rel_path: str) -> Resource:
        try:
            return self.resources[rel_path]
        except KeyError:
            raise MissingRawFile(f"data/raw/{rel_path} is not in the manifest") from None

    # -- reading ------------------------------------------------------------------------------------
    def locate(self, resource: Resource, mirrors: list | None = None) -> Path:
        """Path to verified bytes: the archived copy, else a mirror copy of the same official file."""
        local = inside(self.root, resource.path)
        if local.is_file():
            remedy = self.remedy(local, resource)
            return self._verified(local, resource, remedy)
        entry = self._mirror_entry(resource, mirrors)
        if entry is not None:
            return self._verified(entry.path, resource, f"The mirror's copy is damaged: restore the mirror folder {entry.mirror}.")
        where = f"its official address {resource.url}" if resource.url else "no official address"
        raise MissingRawFile(
            f"data/raw/{resource.path} (sha256 {resource.sha256[:12]}…) is not archived here and no mirror "
            f"has it ({where}). Run `schoolclaims fetch {resource.source_id}` online, set SCHOOLCLAIMS_MIRROR "
            "to a mirror folder, or add it with `schoolclaims import`."
        )

    def find(self, resource: Resource, mirrors: list | None = None) -> Path | None:
        """Where :meth:`locate` would read the file (not yet verified), or None when nowhere."""
        local = inside(self.root, resource.path)
        if local.is_file():
            return local
        entry = self._mirror_entry(resource, mirrors)
        return entry.path if entry is not None else None

    @cached_property
    def mirrors(self) -> list:
        """The mirrors SCHOOLCLAIMS_MIRROR names, each one's file list read once for this archive (the life of one
        operation: a build, a check, a verify), not once per file looked for."""
        return mirror_mod.configured_mirrors()

    def _mirror_entry(self, resource: Resource, mirrors: list | None):
        mirrors = self.mirrors if mirrors is None else mirrors
        return ((mirror_mod.find(resource.url, mirrors) if resource.url else None)
                or mirror_mod.find_by_sha256(resource.sha256, mirrors))

    @staticmethod
    def remedy(local: Path, resource: Resource) -> str:
        """What to do about a damaged archived file: restore it from git only when git tracks it; else fetch it
        again (a file from the publisher, a mirror or the Internet Archive) or import it again (by hand)."""
        if tracked_by_git(paths.ROOT / "data" / "raw" / resource.path):  # the path the remedy names
            return (f"It is committed: restore it with `git checkout -- data/raw/{resource.path}`, or import the "
                    "original again with `schoolclaims import ... --replace`.")
        if resource.origin == "manual-import":
            return ("It is not tracked by git: import the original again with `schoolclaims import FILE --source "
                    f"{resource.source_id} --vintage {resource.vintage} --replace ...`.")
        return f"Delete it and run `schoolclaims fetch {resource.source_id}` to archive it again."

    def available(self, resource: Resource, mirrors: list | None = None) -> bool:
        try:
            self.locate(resource, mirrors)
            return True
        except MissingRawFile:
            return False

    @staticmethod
    def _verified(path: Path, resource: Resource, remedy: str) -> Path:
        actual = sha256_file(path)
        if actual != resource.sha256:
            raise ChecksumError(path, resource.sha256, actual, remedy)
        return path

    # -- writing ------------------------------------------------------------------------------------
    def store(self, tmp_file: Path, resource: Resource, replace: bool = False) -> Resource:
        """Move a fully downloaded and checked temporary file into place and record it.

        If a different good snapshot already sits at the same path, it is kept and SnapshotConflict is
        raised, unless ``replace`` is set (then the old bytes move to data/raw/_superseded/).
        """
        try:
            with locked(self.root):
                self.recover()  # finish a store a kill interrupted, and take in what other writers recorded
                return self._store(Path(tmp_file), resource, replace)
        finally:
            Path(tmp_file).unlink(missing_ok=True)  # moved into place, or refused: never left behind

    def _store(self, tmp_file: Path, resource: Resource, replace: bool) -> Resource:
        dest = inside(self.root, resource.path)
        resource.sha256 = sha256_file(tmp_file)
        resource.bytes = tmp_file.stat().st_size
        old = self.resources.get(resource.path)
        journal = {"resource": resource.to_json(), "superseded": ""}
        if dest.is_file():
            current = sha256_file(dest)
            if current != resource.sha256 and not replace:
                Path(tmp_file).unlink(missing_ok=True)
                raise SnapshotConflict(
                    f"data/raw/{resource.path}: the new bytes (sha256 {resource.sha256[:12]}…) differ from the "
                    f"archived snapshot (sha256 {current[:12]}…); the archived snapshot is kept. Archive the new "
                    "bytes under another vintage, or pass --replace to supersede it."
                )
            if current != resource.sha256:
                keep = self.root / "_superseded" / current / dest.name
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(dest, keep)  # the old bytes stay in place until the new ones replace them
                journal["superseded"] = keep.relative_to(self.root).as_posix()
        elif old is not None and old.sha256 != resource.sha256 and not replace:
            Path(tmp_file).unlink(missing_ok=True)
            raise SnapshotConflict(
                f"data/raw/{resource.path}: the manifest records sha256 {old.sha256[:12]}… but the new bytes are "
                f"{resource.sha256[:12]}…; pass --replace to record the new snapshot."
            )
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp_file, 0o644)
        # file and manifest change together: the journal names the change first, so a kill between the file's
        # rename and the manifest's write is finished by the next writer (recover), never left half done
        with atomic_write(self.root / JOURNAL, "w", encoding="utf-8") as handle:
            json.dump(journal, handle)
        os.replace(tmp_file, dest)
        self.resources[resource.path] = resource
        self.save()
        (self.root / JOURNAL).unlink()
        return resource

    def recover(self) -> str:
        """Finish a store that a kill interrupted (call with the lock held): if the new bytes reached their place,
        record them; if not, the old file and entry stand. Reloads the manifest, so changes other writers recorded
        are kept. Returns what was done ('' when nothing was pending)."""
        self._read_manifest()
        for stale in self.root.rglob(".*.part") if self.root.is_dir() else []:  # left by a killed copy or download
            if time.time() - stale.stat().st_mtime > STALE_SECONDS:
                stale.unlink(missing_ok=True)
        journal_path = self.root / JOURNAL
        if not journal_path.is_file():
            return ""
        try:
            resource = Resource.from_json(json.loads(journal_path.read_text(encoding="utf-8"))["resource"])
        except (ValueError, KeyError, TypeError):  # the journal itself was cut short: the change never started
            journal_path.unlink()
            return "an unfinished journal was discarded (the change it began had not started)"
        dest = inside(self.root, resource.path)
        done = ""
        if dest.is_file() and sha256_file(dest) == resource.sha256:
            self.resources[resource.path] = resource
            self.save()
            done = f"data/raw/{resource.path}: an interrupted store was completed (manifest now records its new bytes)"
        journal_path.unlink()
        return done

    def import_file(
        self,
        src: Path,
        source_id: str,
        vintage: str,
        origin: str,
        origin_detail: str,
        url: str = "",
        filename: str | None = None,
        mediatype: str | None = None,
        replace: bool = False,
        supersedes: str = "",
    ) -> Resource:
        """Add a file obtained by hand (or from a mirror or package) with its stated origin. ``supersedes`` names
        an archived file of the same source that this one corrects (the build then reads only the new one)."""
        from ..sources._io import check_complete
        from .http import sniff  # local import: http imports requests, which import_file doesn't need

        src = Path(src)
        urls.check(url, "--url", remedy="give the page's own address")  # it becomes a link on the sources page
        if not src.is_file():
            raise FileNotFoundError(f"{src}: no such file")
        if not origin_detail.strip():
            raise ValueError("say where the file came from (origin detail): who published it, where, when")
        from .. import sources  # the registry: an import names a registered source

        if source_id not in sources.file_ids():
            raise UnsafePath(f"source {source_id!r} is not a registered source id; known: {sorted(sources.file_ids())}")
        name = checked_name(filename or src.name, "file name")
        rel = f"{source_id}/{checked_name(vintage, 'vintage')}/{name}"
        module = sources.module_for(source_id)
        schema = module.table_schema(src) if hasattr(module, "table_schema") else {}  # a ledger: its layout, checked
        tmp = temp_file(inside(self.root, rel).parent, name)
        try:
            shutil.copyfile(src, tmp)
            with open(tmp, "rb") as handle:
                kind = sniff(handle.read(4096))
            check_complete(tmp, f"{src}", "import a complete copy", Path(name).suffix)
        except BaseException:
            tmp.unlink(missing_ok=True)  # a full disk or an interrupted copy leaves nothing behind
            raise
        extra = {}
        if supersedes:
            old = self.resources.get(supersedes.removeprefix("data/raw/"))
            if old is None or old.source_id != source_id or old.path == rel:
                tmp.unlink(missing_ok=True)
                raise UnsafePath(f"--supersedes {supersedes!r}: not another archived file of source {source_id}")
            extra["supersedes"] = old.path
        resource = Resource(
            path=rel, source_id=source_id, vintage=vintage, url=url, sha256="", bytes=0,
            mediatype=mediatype or MEDIATYPES.get(kind, "application/octet-stream"),
            origin=origin, origin_detail=origin_detail, retrieved_at=utc_now(), extra=extra, schema=schema,
        )
        return self.store(Path(tmp), resource, replace=replace)


MEDIATYPES = {
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "pdf": "application/pdf",
    "html": "text/html",
    "json": "application/json",
    "text": "text/csv",
    "dbf": "application/x-dbf",
    "exe": "application/vnd.microsoft.portable-executable",
}


def current(resources: list[Resource]) -> list[Resource]:
    """The files no newer file supersedes (an import with --supersedes names the file it corrects)."""
    superseded = {r.extra.get("supersedes") for r in resources if r.extra.get("supersedes")}
    return [r for r in resources if r.path not in superseded]


def one_file_each(resources: list[Resource]) -> None:
    """Refuse two files for one source and vintage (for sources that publish one a vintage), and two files of one
    name in a many-file source (a corrected ledger must name the file it supersedes)."""
    from .. import sources  # the registry says which sources publish several files a vintage

    seen: dict[tuple, str] = {}
    for r in resources:
        many = sources.module_for(r.source_id).SOURCE.files_per_vintage == "many"  # ledgers, pages, a year's PDFs
        key = (r.source_id, Path(r.path).name) if many else (r.source_id, r.vintage)
        if key in seen:
            what = f"two files named {key[1]}" if many else f"two files for vintage {r.vintage}"
            raise DuplicateFile(f"{r.source_id}: {what} (data/raw/{seen[key]} and data/raw/{r.path}); keep one, or "
                                "import the newer with `schoolclaims import ... --supersedes data/raw/<older path>`")
        seen[key] = r.path

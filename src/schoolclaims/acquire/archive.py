"""The raw snapshot store: bytes as published, under data/raw/<source>/<vintage>/<file>,
described by a manifest (data/raw/datapackage.json, a Frictionless data package).

Rules kept here:
- writes are atomic (temporary file in the same folder, then rename): no half-written file;
- a good snapshot is never overwritten by different bytes unless the caller asks (``replace=True``),
  and then the old bytes are kept under data/raw/_superseded/;
- every read goes through :meth:`Archive.locate`, which checks the sha256 first.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import paths
from ..files import atomic_write, temp_file
from . import mirror as mirror_mod

ORIGINS = ("official", "mirror", "internet-archive", "manual-import", "package")


class ArchiveError(Exception):
    """Base class for problems with archived raw files."""


class ChecksumError(ArchiveError):
    """A file's bytes differ from its manifest entry; the message ends with the remedy that fits the file."""

    def __init__(self, path: Path, expected: str, actual: str, remedy: str):
        super().__init__(f"{paths.relative(path)}: sha256 is {actual}, the manifest expects {expected}; "
                         f"the file was changed or damaged. {remedy}")
        self.path, self.expected, self.actual = path, expected, actual


class MissingRawFile(ArchiveError):
    pass


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

    def __post_init__(self):
        if self.origin not in ORIGINS:
            raise ValueError(f"{self.path}: origin {self.origin!r} is not one of {ORIGINS}")

    def origin_summary(self) -> str:
        """Where the bytes came from, in words: for a mirror copy the third-party repository and commit it names."""
        if self.origin == "mirror":
            found = re.search(r"the mirror took it from ([^@\s]+)@([0-9a-f]+)", self.origin_detail)
            if found:
                return (f"mirror copy of the official file, taken by the third-party repository {found.group(1)} at "
                        f"commit {found.group(2)} ({self.origin_detail.split(' (the mirror', 1)[0]})")
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
        if not data["extra"]:
            data.pop("extra")
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Resource":
        data = dict(data)
        data.pop("name", None)
        digest = data.pop("hash")
        if not digest.startswith("sha256:"):
            raise ArchiveError(f"manifest entry {data.get('path')}: hash must be 'sha256:<hex>'")
        return cls(sha256=digest.split(":", 1)[1], **data)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Archive:
    """The manifest plus the files it describes."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root or paths.RAW)
        self.manifest_path = self.root / "datapackage.json"
        self.resources: dict[str, Resource] = {}
        if self.manifest_path.exists():
            try:
                data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
                for entry in data.get("resources", []):
                    resource = Resource.from_json(entry)
                    self.resources[resource.path] = resource
            except (ValueError, TypeError, KeyError) as exc:
                raise ArchiveError(f"{paths.relative(self.manifest_path)}: unreadable manifest ({exc})") from exc

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
        local = self.root / resource.path
        if local.is_file():
            if resource.origin in ("manual-import", "package"):  # small inputs committed with the project
                remedy = (f"It is committed: restore it with `git checkout -- data/raw/{resource.path}`, or import "
                          "the original again with `schoolclaims import ... --replace`.")
            else:
                remedy = f"Delete it and run `schoolclaims fetch {resource.source_id}` to archive it again."
            return self._verified(local, resource, remedy)
        entry = (mirror_mod.find(resource.url, mirrors) if resource.url else None) or mirror_mod.find_by_sha256(resource.sha256, mirrors)
        if entry is not None:
            return self._verified(entry.path, resource, f"The mirror's copy is damaged: restore the mirror folder {entry.mirror}.")
        where = f"its official address {resource.url}" if resource.url else "no official address"
        raise MissingRawFile(
            f"data/raw/{resource.path} (sha256 {resource.sha256[:12]}…) is not archived here and no mirror "
            f"has it ({where}). Run `schoolclaims fetch {resource.source_id}` online, set SCHOOLCLAIMS_MIRROR "
            "to a mirror folder, or add it with `schoolclaims import`."
        )

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
        dest = self.root / resource.path
        resource.sha256 = sha256_file(tmp_file)
        resource.bytes = tmp_file.stat().st_size
        old = self.resources.get(resource.path)
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
                shutil.move(str(dest), keep)
        elif old is not None and old.sha256 != resource.sha256 and not replace:
            Path(tmp_file).unlink(missing_ok=True)
            raise SnapshotConflict(
                f"data/raw/{resource.path}: the manifest records sha256 {old.sha256[:12]}… but the new bytes are "
                f"{resource.sha256[:12]}…; pass --replace to record the new snapshot."
            )
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp_file, 0o644)
        os.replace(tmp_file, dest)
        self.resources[resource.path] = resource
        self.save()
        return resource

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
    ) -> Resource:
        """Add a file obtained by hand (or from a mirror or package) with its stated origin."""
        from .http import sniff  # local import: http imports requests, which import_file doesn't need

        src = Path(src)
        if not src.is_file():
            raise FileNotFoundError(f"{src}: no such file")
        if not origin_detail.strip():
            raise ValueError("say where the file came from (origin detail): who published it, where, when")
        name = filename or src.name
        rel = f"{source_id}/{vintage}/{name}"
        tmp = temp_file((self.root / rel).parent, name)
        shutil.copyfile(src, tmp)
        with open(tmp, "rb") as handle:
            kind = sniff(handle.read(4096))
        resource = Resource(
            path=rel, source_id=source_id, vintage=vintage, url=url, sha256="", bytes=0,
            mediatype=mediatype or MEDIATYPES.get(kind, "application/octet-stream"),
            origin=origin, origin_detail=origin_detail, retrieved_at=utc_now(),
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

"""Mirrors: folders of official files plus a MANIFEST.csv mapping official addresses to files.

The manifest needs at least the columns ``path`` and ``official_url``; ``sha256`` is used when present.
An ``official_url`` cell may carry a remark after the address ("https://... (pattern; not verified)"):
the first http(s) token is the address.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..files import UnsafePath, inside

_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class MirrorEntry:
    mirror: Path
    path: Path
    url: str
    sha256: str | None
    note: str = ""  # where the mirror got it, when its manifest says (third_party_repo@commit)


def normalize_url(url: str) -> str:
    """Compare addresses without scheme differences, fragments or a trailing slash.

    A fragment names a member inside a zip (``SAGDP.zip#SAGDP1__ALL_AREAS_1997_2019.csv``); mirrors map
    the zip's address to the member they hold.
    """
    return url.strip().split("#", 1)[0].replace("http://", "https://", 1).rstrip("/")


class Mirror:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        manifest = self.folder / "MANIFEST.csv"
        if not manifest.is_file():
            raise FileNotFoundError(f"mirror {self.folder}: no MANIFEST.csv")
        self.entries: dict[str, MirrorEntry] = {}
        with manifest.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if not {"path", "official_url"} <= set(reader.fieldnames or []):
                raise ValueError(f"{manifest}: needs columns 'path' and 'official_url'")
            self.by_sha256: dict[str, MirrorEntry] = {}
            for line, row in enumerate(reader, start=2):
                match = _URL.search(row["official_url"] or "")
                url = normalize_url(match.group(0)) if match else ""
                try:
                    path = inside(self.folder, row["path"] or "")
                except UnsafePath as exc:
                    raise UnsafePath(f"{manifest} line {line}: path {row['path']!r} is refused ({exc}); a mirror "
                                     "lists only files inside its own folder") from None
                entry = MirrorEntry(
                    mirror=self.folder,
                    path=path,
                    url=url,
                    sha256=(row.get("sha256") or "").strip().lower() or None,
                    note="@".join(v for v in (row.get("third_party_repo"), row.get("commit")) if v),
                )
                if url:
                    self.entries[url] = entry
                if entry.sha256:  # files the mirror lists without an official address are found by content
                    self.by_sha256[entry.sha256] = entry

    def lookup(self, url: str) -> MirrorEntry | None:
        return self.entries.get(normalize_url(url))


def configured_mirrors() -> list[Mirror]:
    """The mirrors named by SCHOOLCLAIMS_MIRROR; a named folder that does not exist is an error."""
    mirrors = []
    for folder in paths.mirror_dirs():
        if not folder.is_dir():
            raise FileNotFoundError(f"SCHOOLCLAIMS_MIRROR names {folder}, which is not a folder")
        mirrors.append(Mirror(folder))
    return mirrors


def find_by_sha256(sha256: str, mirrors: list[Mirror] | None = None) -> MirrorEntry | None:
    """A mirror file recorded with these exact bytes (for files a mirror lists without an official address)."""
    for mirror in configured_mirrors() if mirrors is None else mirrors:
        entry = mirror.by_sha256.get(sha256)
        if entry is not None and entry.path.is_file():
            return entry
    return None


def find(url: str, mirrors: list[Mirror] | None = None) -> MirrorEntry | None:
    for mirror in configured_mirrors() if mirrors is None else mirrors:
        entry = mirror.lookup(url)
        if entry is not None and entry.path.is_file():
            return entry
    return None

"""What a source module declares: the files it archives (RawFileSpec) and how it is named (Source)."""

from __future__ import annotations

from dataclasses import dataclass
import re
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class RawFileSpec:
    """A file the project archives: where the publisher serves it and where it goes in data/raw."""

    source_id: str
    vintage: str
    filename: str
    url: str
    expect: str  # what the bytes must look like: see schoolclaims.fetch.ACCEPTS
    landing: str = ""  # page to discover the current address from, when the publisher has one
    allowed_redirect_hosts: tuple[str, ...] = ()
    archived_only: bool = False  # the address is dead: fetch the latest good Internet Archive capture
    produce: Callable[[Path], str] | None = None  # made here from a package (writes the file, returns its note)
    listed_on: str = ""  # one of several files a landing page lists for this vintage: the page that listed it

    def for_listed(self, address: str) -> "RawFileSpec":
        """The spec of one of several files the landing page lists for this vintage: its own address and file
        name, no further discovery."""
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", unquote(Path(urlsplit(address).path).name)).strip("-.") or self.filename
        return RawFileSpec(self.source_id, self.vintage, name, address, self.expect, "", self.allowed_redirect_hosts,
                           listed_on=self.landing)

    @property
    def rel_path(self) -> str:
        return f"{self.source_id}/{self.vintage}/{self.filename}"

    def path_for(self, kind: str, address: str = "") -> str:
        """Where bytes of the sniffed ``kind`` go.

        A file found at another address than the spec's (discovered on a landing page, or the zip that holds
        the spec's ``#member``) keeps that address's own file name. A workbook keeps the suffix its bytes have
        (a mirror may hold a CSV conversion of an official .xls, or the publisher may switch xls/xlsx).
        """
        name = self.filename
        if address and address != self.url:
            name = re.sub(r"[^A-Za-z0-9._-]+", "-", unquote(Path(urlsplit(address).path).name)).strip("-.") or name
        stem, suffix = Path(name).stem, Path(name).suffix.lower()
        if suffix in (".xls", ".xlsx"):
            if kind == "text":
                name = f"{stem}.csv"
            elif kind in ("xls", "xlsx"):
                name = f"{stem}.{kind}"
        return f"{self.source_id}/{self.vintage}/{name}"


@dataclass(frozen=True)
class Source:
    """How a source module names itself to the rest of the project (fetch, build, charts, README)."""

    title: str                  # the README's name for it
    labels: dict[str, str]      # file source id -> how chart source lines name it; 'a+b' names combined rows
    what: str                   # what it holds
    definition: str             # what its numbers mean
    archived: str               # where the bytes come from here
    required: bool = True       # False: live-only files; the tables that need them say so when absent
    files_per_vintage: str = "one"  # "many": several documents a vintage (ledgers, pages, a year's PDFs)
    live_only: tuple[str, ...] = ()  # of a required source, the file ids the build does without (live-only files)

    @property
    def ids(self) -> tuple[str, ...]:
        """The source ids of its files in the manifest."""
        return tuple(k for k in self.labels if "+" not in k)



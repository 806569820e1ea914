"""The pages the claims are quoted from, archived like any raw file so that every quote traces to a copy.

Two kinds of copy, both under data/raw/claim_pages/ with their sha256 in the manifest:
- the plain-text copies the project's researchers saved of each page (vintage ``seeds-2026-11``), imported by hand
  and committed (a few kilobytes of text), so that a clean clone carries every quoted page;
- online, the Internet Archive capture of each address (vintage ``internet-archive``), found through the CDX API
  and stored with its capture timestamp and digest (``schoolclaims fetch claim_pages``).

The pages are the addresses the claim files give (``appeared: - url:``), read from claims/*.yaml, so a new claim's page
is listed by writing the claim file alone, and the list is data, outside the code whose digest decides whether
extracted files must be read again. A test checks that every quote stands in its archived copy.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

import yaml

from .. import paths
from ._spec import RawFileSpec, Source

SOURCE_ID = "claim_pages"
SOURCE = Source(
    title="Claim source pages",
    labels={SOURCE_ID: "the page the claim is quoted from (archived copy)"},
    what="the pages the claims are quoted from: Alliance Educators United, Our Alliance Community, UTLA",
    definition="the text as published; a claim's quote must stand in its archived copy",
    archived="committed plain-text copies; online, Internet Archive captures",
    files_per_vintage="many",
)


def pages(claims: Path | None = None) -> list[dict[str, str]]:
    """Every address a claim file says its claim appeared at, once, in order, with the first title given for it.
    The files are read as plain YAML: the claims package checks them (sources never import it)."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(Path(claims or paths.claims_dir()).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for appearance in data.get("appeared") or []:
            if isinstance(appearance, dict) and appearance.get("url"):
                found.setdefault(str(appearance["url"]), {"url": str(appearance["url"]),
                                                          "title": str(appearance.get("title") or "")})
    return sorted(found.values(), key=lambda page: page["url"])


def _file_name(url: str) -> str:
    parts = urlsplit(url)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{parts.netloc}{parts.path}").strip("-.")
    return name if name.endswith((".html", ".htm")) else name + ".html"


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(SOURCE_ID, "internet-archive", _file_name(page["url"]), page["url"], "html", archived_only=True)
            for page in pages()]


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    return {}  # read by the claims (their quotes), not by a table; the build verifies the checksum

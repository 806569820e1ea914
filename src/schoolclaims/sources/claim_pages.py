"""The pages the claims are quoted from, archived like any raw file so that every quote traces to a copy.

Two kinds of copy, both under data/raw/claim_pages/ with their sha256 in the manifest:
- the plain-text copies the project's researchers saved of each page (vintage ``seeds-2026-11``), imported by hand
  and committed (a few kilobytes of text), so that a clean clone carries every quoted page;
- online, the Internet Archive capture of each address (vintage ``internet-archive``), found through the CDX API
  and stored with its capture timestamp and digest (``schoolclaims fetch claim_pages``).

The pages are listed, with the saved copy of each where there is one, in layouts/claim_pages.csv; the address of a
claim file that the list does not name (a claim file added alone) is listed from the file itself, so that
``schoolclaims fetch claim_pages`` captures it too. A test checks that every claim's address is listed and that every
quote stands in its archived copy.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from .. import paths
from ._io import layout_rows
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


def pages() -> list[dict[str, str]]:
    """The listed pages, then each claim file's address the list does not name (title, claimant and date from the
    file; no saved copy). A file that is not valid YAML is left to the claim loader, which reports it."""
    import yaml

    listed = layout_rows(SOURCE_ID)
    known = {page["url"] for page in listed}
    added = []
    for path in sorted(paths.claims_dir().glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        for appearance in (data.get("appeared") or []) if isinstance(data, dict) else []:
            url = appearance.get("url") if isinstance(appearance, dict) else None
            if url and url not in known:
                known.add(url)
                added.append({"url": url, "seed_file": "", "title": str(appearance.get("title", "")),
                              "claimant": str(data.get("claimant", "")), "approx_date": str(appearance.get("date", ""))})
    return listed + added


def _file_name(url: str) -> str:
    parts = urlsplit(url)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{parts.netloc}{parts.path}").strip("-.")
    return name if name.endswith((".html", ".htm")) else name + ".html"


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(SOURCE_ID, "internet-archive", _file_name(page["url"]), page["url"], "html", archived_only=True)
            for page in pages()]


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    return {}  # read by the claims (their quotes), not by a table; the build verifies the checksum

"""Internet Archive (Wayback Machine): find captures of a dead address and fetch the captured bytes.

CDX API: https://web.archive.org/cdx/search/cdx?url=<url>&output=json returns a JSON array whose first
row names the fields (urlkey, timestamp, original, mimetype, statuscode, digest, length). The raw bytes
of a capture are at https://web.archive.org/web/<timestamp>id_/<original> (``id_`` = as captured, no
Wayback banner). The capture's timestamp and digest are recorded as provenance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

WAYBACK = "https://web.archive.org"  # tests point this at a local server


class CaptureLookupError(RuntimeError):
    """The archive's answer could not be read (an error page, not JSON, missing fields)."""


@dataclass(frozen=True)
class Capture:
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: str

    @property
    def raw_url(self) -> str:
        return f"{WAYBACK}/web/{self.timestamp}id_/{self.original}"

    def describe(self) -> str:
        return (f"Internet Archive capture {self.timestamp} of {self.original} (digest {self.digest}, "
                f"{self.mimetype}, HTTP {self.statuscode}), bytes from {self.raw_url}")


def cdx_query(url: str) -> str:
    return f"{WAYBACK}/cdx/search/cdx?url={quote(url, safe='')}&output=json"


def parse_cdx(text: str, url: str) -> list[Capture]:
    """The captures listed in a CDX JSON answer (an empty answer means no capture)."""
    if not text.strip():
        return []
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaptureLookupError(f"the Internet Archive's CDX answer for {url} is not JSON ({text[:80]!r}…)") from exc
    if not rows:
        return []
    fields = rows[0]
    needed = ["timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    if not isinstance(fields, list) or not set(needed) <= set(fields):
        raise CaptureLookupError(f"the CDX answer for {url} lacks the fields {needed}; its first row is {fields!r}")
    return [Capture(**{f: str(row[fields.index(f)]) for f in needed}) for row in rows[1:]]


def best_capture(captures: list[Capture], mimetype: str = "application/pdf") -> Capture | None:
    """The latest capture that returned 200 with the expected media type; None when there is none."""
    good = [c for c in captures if c.statuscode == "200" and c.mimetype == mimetype]
    return max(good, key=lambda c: c.timestamp) if good else None


def find_capture(session, url: str, mimetype: str = "application/pdf") -> tuple[Capture | None, list[Capture]]:
    """Ask the CDX API (through the polite session) for captures of ``url``; the best one and all of them."""
    captures = parse_cdx(session.get_text(cdx_query(url), expect="json"), url)
    return best_capture(captures, mimetype), captures

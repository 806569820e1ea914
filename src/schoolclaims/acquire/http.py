"""The only module that talks to the network.

PoliteSession: an honest User-Agent, robots.txt honoured, one request at a time per host with a delay,
timeouts, retries with backoff on 429/5xx (Retry-After honoured), conditional requests (ETag /
Last-Modified), a size limit, content sniffing, progress on long downloads, and downloads written to a
temporary file that only :meth:`schoolclaims.archive.Archive.store` moves into place.
"""

from __future__ import annotations

import email.utils
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego

from .. import __version__, paths
from ..files import temp_file

USER_AGENT = f"schoolclaims/{__version__} (+{paths.PROJECT_URL}; fact-checking research, polite crawler)"
DEFAULT_MAX_BYTES = 300 * 1024 * 1024


class FetchError(Exception):
    """A download failed; the message names the address and what went wrong."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


class HTTPStatusError(FetchError):
    def __init__(self, url: str, status: int, reason: str):
        super().__init__(url, reason)
        self.status = status


class RobotsDisallowed(FetchError):
    pass


class TooLarge(FetchError):
    pass


class Truncated(FetchError):
    pass


class UnexpectedContent(FetchError):
    pass


class RedirectRefused(FetchError):
    pass


def sniff(head: bytes) -> str:
    """What the first bytes of a body look like: xls, xlsx, zip, pdf, html, json or text (else 'binary')."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx" if b"[Content_Types].xml" in head or b"xl/" in head else "zip"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"MZ"):  # a Windows program: CDE's self-extracting zips (j90YYZZ.exe)
        return "exe"
    if (len(head) >= 32 and head[0] in (0x03, 0x30, 0x83, 0x8B, 0xF5) and 0 < head[2] <= 12 and 0 < head[3] <= 31
            and int.from_bytes(head[8:10], "little") >= 65):
        return "dbf"  # dBase table: version byte, last-update month and day, header length
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in text[:1024]:
        return "html"
    if text.startswith((b"{", b"[")):
        return "json"
    if b"\x00" in head:
        return "binary"
    return "text"


# What a caller may expect, and the sniffed kinds that satisfy it.
ACCEPTS = {
    "xls": {"xls"},
    "xlsx": {"xlsx", "zip"},
    "excel": {"xls", "xlsx", "zip"},
    "zip": {"zip", "xlsx"},
    "pdf": {"pdf"},
    "dbf": {"dbf", "text", "xls", "xlsx"},  # a SARC table: DBF, or the tab-delimited text or workbook posted beside it
    "exe": {"exe", "zip"},  # a self-extracting zip (or the plain zip it holds)
    "csv": {"text"},
    "text": {"text"},
    "json": {"json", "text"},  # an empty answer sniffs as text
    "html": {"html", "text"},
    "any": {"xls", "xlsx", "zip", "pdf", "html", "json", "text", "binary", "dbf", "exe"},
}


def check_kind(url: str, head: bytes, expect: str) -> str:
    kind = sniff(head)
    if kind not in ACCEPTS[expect]:
        hint = " (an HTML page where data was expected: an error or landing page, not the file)" if kind == "html" else ""
        raise UnexpectedContent(url, f"expected {expect} content, got {kind}{hint}")
    return kind


def check_complete_archive(url: str, path: Path, kind: str) -> None:
    """A zip-based file must open as a zip with no corrupt member (catches truncation without Content-Length)."""
    if kind in ("zip", "xlsx", "exe"):
        try:
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()
        except zipfile.BadZipFile as exc:
            raise Truncated(url, f"the zip container is incomplete or corrupt ({exc})") from exc
        if bad:
            raise Truncated(url, f"zip member {bad} is corrupt")


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    tmp_path: Path | None  # None when not modified
    kind: str = ""
    mediatype: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class PoliteSession:
    def __init__(
        self,
        user_agent: str = USER_AGENT,
        delay: float = 2.0,
        timeout: tuple[float, float] = (10.0, 60.0),
        retries: int = 4,
        backoff: float = 2.0,
        max_retry_wait: float = 300.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allowed_redirect_hosts: set[str] | frozenset[str] = frozenset(),
        progress: bool | None = None,
        sleep=time.sleep,
    ):
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.user_agent = user_agent
        self.delay, self.timeout, self.retries = delay, timeout, retries
        self.backoff, self.max_retry_wait, self.max_bytes = backoff, max_retry_wait, max_bytes
        self.allowed_redirect_hosts = set(allowed_redirect_hosts)
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.sleep = sleep
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Protego | None] = {}

    # -- politeness ---------------------------------------------------------------------------------
    def _wait_turn(self, netloc: str) -> None:
        last = self._last_request.get(netloc)
        if last is not None:
            remaining = self.delay - (time.monotonic() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._last_request[netloc] = time.monotonic()

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            self._wait_turn(parts.netloc)
            try:
                response = self.session.get(base + "/robots.txt", timeout=self.timeout)
            except requests.RequestException:
                self._robots[base] = None  # unreachable robots.txt: treat as no rules
            else:
                if response.status_code >= 500:
                    raise FetchError(url, f"robots.txt answered {response.status_code}; not fetching until it can be read")
                self._robots[base] = Protego.parse(response.text) if response.status_code == 200 else None
        rules = self._robots[base]
        return rules is None or rules.can_fetch(url, self.user_agent)

    # -- requests -----------------------------------------------------------------------------------
    def _request(self, url: str, headers: dict) -> requests.Response:
        """GET with retries on connection errors, timeouts, 429 and 5xx; redirects followed by hand."""
        original_host = urlsplit(url).netloc
        current = url
        for _hop in range(6):
            response = self._get_with_retries(current, headers)
            if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
                target = urljoin(current, response.headers.get("Location", ""))
                host = urlsplit(target).netloc
                response.close()
                if host != original_host and host not in self.allowed_redirect_hosts:
                    raise RedirectRefused(url, f"redirected to another host ({target}); not followed")
                if not self.allowed_by_robots(target):
                    raise RobotsDisallowed(target, "robots.txt disallows this address for our user agent")
                current = target
                continue
            return response
        raise FetchError(url, "too many redirects")

    def _get_with_retries(self, url: str, headers: dict) -> requests.Response:
        netloc = urlsplit(url).netloc
        last_problem = ""
        for attempt in range(self.retries + 1):
            self._wait_turn(netloc)
            try:
                response = self.session.get(
                    url, headers=headers, timeout=self.timeout, stream=True, allow_redirects=False
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                wait = self.backoff * (2**attempt)
            else:
                if response.status_code == 429 or response.status_code >= 500:
                    last_problem = f"HTTP {response.status_code}"
                    retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
                    response.close()
                    if retry_after is not None and retry_after > self.max_retry_wait:
                        raise HTTPStatusError(
                            url, response.status_code,
                            f"HTTP {response.status_code}; server asks to wait {retry_after:.0f}s, more than the "
                            f"{self.max_retry_wait:.0f}s limit: try again later",
                        )
                    wait = retry_after if retry_after is not None else self.backoff * (2**attempt)
                else:
                    return response
            if attempt < self.retries:
                self.sleep(wait)
        raise FetchError(url, f"gave up after {self.retries + 1} attempts ({last_problem})")

    def download(self, url: str, expect: str = "any", etag: str = "", last_modified: str = "",
                 folder: Path | None = None) -> FetchResult:
        """Download ``url`` into a temporary file in ``folder`` (beside where it will be archived; else the
        system temp folder), returned only after all checks pass."""
        if not self.allowed_by_robots(url):
            raise RobotsDisallowed(url, "robots.txt disallows this address for our user agent")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self._request(url, headers)
        with response:
            if response.status_code == 304:
                return FetchResult(url, response.url, 304, None)
            if response.status_code != 200:
                raise HTTPStatusError(url, response.status_code, f"HTTP {response.status_code} {response.reason}")
            declared = response.headers.get("Content-Length")
            declared_size = int(declared) if declared and declared.isdigit() else None
            if declared_size is not None and declared_size > self.max_bytes:
                raise TooLarge(url, f"{declared_size} bytes declared, over the {self.max_bytes}-byte limit")
            tmp_path = temp_file(Path(folder or tempfile.gettempdir()), "download")
            try:
                kind = self._stream(url, response, tmp_path, declared_size, expect)
                check_complete_archive(url, tmp_path, kind)
            except BaseException:
                tmp_path.unlink(missing_ok=True)
                raise
            return FetchResult(
                url=url, final_url=response.url, status=200, tmp_path=tmp_path, kind=kind,
                mediatype=response.headers.get("Content-Type", "").split(";")[0].strip(),
                etag=response.headers.get("ETag", ""), last_modified=response.headers.get("Last-Modified", ""),
            )

    def _stream(self, url, response, tmp_path: Path, declared_size, expect) -> str:
        received, kind = 0, ""
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=declared_size, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1], file=sys.stderr)
        try:
            with open(tmp_path, "wb") as handle:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    if not kind:
                        kind = check_kind(url, chunk[:4096], expect)
                    received += len(chunk)
                    if received > self.max_bytes:
                        raise TooLarge(url, f"body passed the {self.max_bytes}-byte limit; download stopped")
                    handle.write(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
            raise Truncated(url, f"connection ended early after {received} bytes ({exc.__class__.__name__})") from exc
        finally:
            if bar is not None:
                bar.close()
        if declared_size is not None and received != declared_size:
            raise Truncated(url, f"received {received} of {declared_size} declared bytes")
        if received == 0:
            raise UnexpectedContent(url, "empty body")
        return kind

    def get_text(self, url: str, expect: str = "html") -> str:
        """A small page (a landing page to discover links from, an API answer), with the same politeness."""
        result = self.download(url, expect=expect)
        try:
            return result.tmp_path.read_text(encoding="utf-8", errors="replace")
        finally:
            result.tmp_path.unlink(missing_ok=True)

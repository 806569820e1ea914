"""The only module that talks to the network.

PoliteSession: an honest User-Agent, robots.txt honoured, one request at a time per host with a delay,
timeouts, retries with backoff on 429/5xx (Retry-After honoured), conditional requests (ETag /
Last-Modified), a size limit, content sniffing, progress on long downloads, and downloads written to a
temporary file that only :meth:`schoolclaims.archive.Archive.store` moves into place.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

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


def check_complete(url: str, path: Path, kind: str) -> None:
    """The downloaded bytes whole, as the build will check them (sources._io.check_complete: every zip member's CRC
    and size, a dBase table as long as its header says, a delimited text not cut inside its last row)."""
    from ..sources._io import IncompleteFile, LayoutError
    from ..sources._io import check_complete as check_file
    from ..sources._io import check_dbf, check_text, check_zip

    try:
        if kind in ("zip", "xlsx", "exe"):
            check_zip(path, url)
        elif kind == "dbf":
            check_dbf(path, url)
        elif kind == "text":
            check_text(path, url)
        else:
            check_file(path, url)
    except (IncompleteFile, LayoutError) as exc:
        raise Truncated(url, str(exc).removeprefix(f"{url}: ")) from None


class PoliteRetry(Retry):
    """urllib3's retry policy (429 and 5xx, connection errors and timeouts, backoff, Retry-After honoured), waiting
    through the session's own sleep (tests record it) and refusing a Retry-After longer than the session allows."""

    sleep_with = staticmethod(time.sleep)
    max_wait = 300.0

    def new(self, **kw):
        retry = super().new(**kw)
        retry.sleep_with, retry.max_wait = self.sleep_with, self.max_wait
        return retry

    def get_backoff_time(self) -> float:
        errors = len(self.history)
        return self.backoff_factor * (2 ** (errors - 1)) if errors else 0.0

    def sleep(self, response=None) -> None:
        retry_after = self.get_retry_after(response) if response is not None else None
        stated = (response.headers.get("Retry-After") or "").strip() if response is not None else ""
        if stated.isdigit():  # urllib3 caps what it reports; the limit is judged on what the server asked for
            retry_after = float(stated)
        if retry_after is not None:
            if retry_after > self.max_wait:
                raise HTTPStatusError(self.history[-1].url if self.history else "", response.status,
                                      f"HTTP {response.status}; server asks to wait {retry_after:.0f}s, more than "
                                      f"the {self.max_wait:.0f}s limit: try again later")
            self.sleep_with(retry_after)
        else:
            self.sleep_with(self.get_backoff_time())


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
    length_vouched: bool = True  # False when no Content-Length said how long the body is (chunked, close-delimited)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _cut(response: requests.Response) -> None:
    """Shut the connection under a response from another thread, so that a read blocked on it returns now."""
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    if sock is None:  # the connection handed its socket to the response it is reading (http.client's file)
        reader = getattr(getattr(getattr(response.raw, "_fp", None), "fp", None), "raw", None)
        sock = getattr(reader, "_sock", None)
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    response.close()


ROBOTS_MAX_BYTES = 512 * 1024  # as major crawlers do, rules past the first 512 KiB (decoded) are ignored


def _bounded_text(response: requests.Response, limit: int) -> str:
    """At most ``limit`` decoded bytes of a body, read in chunks (a compressed bomb is never inflated whole)."""
    data = bytearray()
    for chunk in response.iter_content(chunk_size=1 << 14):
        data.extend(chunk[: limit - len(data)])
        if len(data) >= limit:
            break
    return data.decode("utf-8", errors="replace")


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
        deadline: float = 1800.0,
    ):
        self.session = requests.Session()
        retry = PoliteRetry(total=retries, connect=retries, read=retries, status=retries, other=0, redirect=0,
                            backoff_factor=backoff, status_forcelist=[429, *range(500, 600)], allowed_methods=["GET"],
                            respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False)
        retry.sleep_with, retry.max_wait = sleep, max_retry_wait
        for scheme in ("http://", "https://"):
            self.session.mount(scheme, HTTPAdapter(max_retries=retry))
        self.deadline = deadline  # seconds one download may take in all (a server that drips bytes is cut off)
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
                response = self.session.get(base + "/robots.txt", timeout=self.timeout, stream=True)
            except requests.RequestException:
                self._robots[base] = None  # unreachable robots.txt: treat as no rules
            else:
                with response:
                    if response.status_code >= 500:
                        raise FetchError(url, f"robots.txt answered {response.status_code}; not fetching until it can be read")
                    text = _bounded_text(response, ROBOTS_MAX_BYTES) if response.status_code == 200 else None
                self._robots[base] = Protego.parse(text) if text is not None else None
        rules = self._robots[base]
        return rules is None or rules.can_fetch(url, self.user_agent)

    # -- requests -----------------------------------------------------------------------------------
    def _request(self, url: str, headers: dict) -> requests.Response:
        """GET with retries on connection errors, timeouts, 429 and 5xx; redirects followed by hand."""
        original_host = urlsplit(url).netloc
        current, seen = url, {url}
        for _hop in range(6):
            response = self._get_with_retries(current, headers)
            if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("Location", "").strip()
                response.close()
                if not location:
                    raise FetchError(url, f"HTTP {response.status_code} redirect without a Location header")
                target = urljoin(current, location)
                if target in seen:
                    raise FetchError(url, f"redirect loop (back to {target})")
                seen.add(target)
                host = urlsplit(target).netloc
                if host != original_host and host not in self.allowed_redirect_hosts:
                    raise RedirectRefused(url, f"redirected to another host ({target}); not followed")
                if not self.allowed_by_robots(target):
                    raise RobotsDisallowed(target, "robots.txt disallows this address for our user agent")
                current = target
                continue
            return response
        raise FetchError(url, "too many redirects")

    def _get_with_retries(self, url: str, headers: dict) -> requests.Response:
        """One GET through urllib3's retry policy (mounted on the session); the polite spacing per host first."""
        self._wait_turn(urlsplit(url).netloc)
        try:
            response = self.session.get(url, headers=headers, timeout=self.timeout, stream=True, allow_redirects=False)
        except requests.exceptions.RetryError as exc:
            raise FetchError(url, f"gave up after {self.retries + 1} attempts ({exc})") from exc
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise FetchError(url, f"gave up after {self.retries + 1} attempts ({type(exc).__name__}: {exc})") from exc
        if response.status_code == 429 or response.status_code >= 500:
            response.close()
            raise FetchError(url, f"gave up after {self.retries + 1} attempts (HTTP {response.status_code})")
        return response

    def download(self, url: str, expect: str = "any", etag: str = "", last_modified: str = "",
                 folder: Path | None = None) -> FetchResult:
        """Download ``url`` into a temporary file in ``folder`` (beside where it will be archived; else the
        system temp folder), returned only after all checks pass."""
        if not self.allowed_by_robots(url):
            raise RobotsDisallowed(url, "robots.txt disallows this address for our user agent")
        started = time.monotonic()
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
            # the deadline holds even while a read blocks: a watchdog closes the connection when it passes
            expired = threading.Event()

            def expire() -> None:
                expired.set()
                _cut(response)

            watchdog = threading.Timer(max(0.0, self.deadline - (time.monotonic() - started)), expire)
            watchdog.daemon = True
            watchdog.start()
            try:
                kind = self._stream(url, response, tmp_path, declared_size, expect)
                if expired.is_set():
                    raise FetchError(url, "deadline")
                check_complete(url, tmp_path, kind)
            except BaseException as exc:
                tmp_path.unlink(missing_ok=True)
                if expired.is_set():
                    raise FetchError(url, f"the download took longer than {self.deadline:.0f}s in all; stopped") from exc
                raise
            finally:
                watchdog.cancel()
            return FetchResult(
                url=url, final_url=response.url, status=200, tmp_path=tmp_path, kind=kind,
                mediatype=response.headers.get("Content-Type", "").split(";")[0].strip(),
                etag=response.headers.get("ETag", ""), last_modified=response.headers.get("Last-Modified", ""),
                length_vouched=declared_size is not None,
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
        on_wire = response.raw.tell() if hasattr(response.raw, "tell") else received  # before any gzip decoding
        if declared_size is not None and on_wire != declared_size:
            raise Truncated(url, f"received {on_wire} of {declared_size} declared bytes")
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

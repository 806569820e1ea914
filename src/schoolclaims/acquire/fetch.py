"""Bring raw files into the archive: from a mirror when one has them, else from the publisher.

This is the `schoolclaims fetch` command's engine. Mirrors are consulted before the network, so an
offline machine with a mirror (CI, a laptop with ../shared) archives the same bytes without a request.
"""

from __future__ import annotations

import shutil
from typing import Callable

from .. import sources
from ..files import inside, temp_file
from ..sources._io import check_complete
from ..sources import RawFileSpec
from . import mirror as mirror_mod
from . import wayback
from .archive import MEDIATYPES, Archive, ArchiveError, Resource, sha256_file, utc_now
from .http import FetchError, PoliteSession, Truncated, sniff


def discovered_urls(spec: RawFileSpec, session: PoliteSession, pages: dict) -> list[str]:
    """The addresses the publisher's landing page lists for this file (a source's ``discover`` may give several
    for one vintage); the spec's own address otherwise."""
    if not spec.landing or not hasattr(module := sources.module_for(spec.source_id), "discover"):
        return [spec.url]
    if spec.landing not in pages:
        try:
            pages[spec.landing] = module.discover(session.get_text(spec.landing), spec.landing)
        except FetchError:
            pages[spec.landing] = {}  # landing page unreachable: fall back to the pattern
    found = pages[spec.landing]
    value = found.get(f"{spec.source_id}:{spec.vintage}") or found.get(spec.vintage) or spec.url
    return list(value) if isinstance(value, (list, tuple)) else [value]


def discovered_url(spec: RawFileSpec, session: PoliteSession, pages: dict) -> str:
    """The (first) address the landing page lists for this file; the spec's pattern otherwise."""
    return discovered_urls(spec, session, pages)[0]


def fetch_files(
    specs: list[RawFileSpec],
    archive: Archive | None = None,
    session: PoliteSession | None = None,
    mirrors: list | None = None,
    offline: bool = False,
    refresh: bool = False,
    replace: bool = False,
    log: Callable[[str], None] = print,
) -> list[str]:
    """Archive every spec; return the problems (one line each). Never leaves a partial file behind."""
    archive = archive or Archive()
    mirrors = mirror_mod.configured_mirrors() if mirrors is None else mirrors
    problems = []
    pages: dict[str, dict[str, str]] = {}
    for spec in specs:
        existing = _archived(archive, spec)
        listed = _listed(archive, spec)
        try:
            if listed and not refresh and all(archive.available(r, mirrors) for r in listed):
                for resource in listed:
                    archive.locate(resource)  # verifies the checksum
                    log(f"ok        data/raw/{resource.path} (archived, listed on {spec.landing}; checksum verified)")
                continue
            if existing is not None and not refresh and archive.available(existing, mirrors):
                archive.locate(existing)  # verifies the checksum
                log(f"ok        data/raw/{existing.path} (archived, checksum verified)")
                continue
            entry = mirror_mod.find(spec.url, mirrors)
            if entry is not None:
                stored = _from_mirror(spec, entry, archive, replace)
                log(f"mirror    data/raw/{stored.path} <- {entry.path.name}")
                continue
            if spec.produce is not None:
                stored = _from_package(spec, archive, replace)
                log(f"package   data/raw/{stored.path} <- {stored.origin_detail}")
                continue
            if offline:
                problems.append(f"data/raw/{spec.rel_path}: not archived, not in a mirror, and --offline was given ({spec.url})")
                log(f"missing   {problems[-1]}")
                continue
            session = session or PoliteSession()
            if spec.archived_only:
                log(_from_internet_archive(spec, archive, session, replace, problems))
                continue
            addresses = [a.split("#", 1)[0] for a in discovered_urls(spec, session, pages)]
            if len(addresses) > 1:  # several files listed for this vintage: each archived under its own name
                children = [spec.for_listed(a) for a in dict.fromkeys(addresses)]
                problems += fetch_files(children, archive, session, mirrors, offline, refresh, replace, log)
                continue
            address = addresses[0]
            folder = inside(archive.root, spec.rel_path).parent  # no write through a symbolic link, not even a folder
            result = session.download(
                address, expect=spec.expect, folder=folder,
                etag=existing.etag if existing and refresh else "",
                last_modified=existing.last_modified if existing and refresh else "",
            )
            if result.not_modified:
                log(f"unchanged data/raw/{spec.rel_path} (304 Not Modified)")
                continue
            extra = {"listed_on": spec.listed_on} if spec.listed_on else {}
            if result.kind == "text" and not result.length_vouched:
                extra["completeness"] = confirm_by_second_download(session, address, spec.expect, folder, result)
            rel = spec.path_for(result.kind, address)
            archive.store(result.tmp_path, Resource(
                path=rel, source_id=spec.source_id, vintage=spec.vintage, url=spec.url, sha256="", bytes=0,
                mediatype=result.mediatype or MEDIATYPES.get(result.kind, "application/octet-stream"),
                origin="official", origin_detail=f"downloaded from {result.final_url}",
                retrieved_at=utc_now(), etag=result.etag, last_modified=result.last_modified, extra=extra,
            ), replace=replace)
            log(f"fetched   data/raw/{rel}")
        except (FetchError, ArchiveError, OSError, ValueError, wayback.CaptureLookupError) as exc:
            problems.append(str(exc))
            log(f"FAILED    {exc}")
    return problems


def confirm_by_second_download(session: PoliteSession, address: str, expect: str, folder, first) -> str:
    """A text body whose length no Content-Length vouched for (chunked or ended by closing the connection) may be
    cut at a line end, where nothing in the bytes shows it. It is downloaded a second time and kept only when both
    copies are identical; returns the note recorded with the file. Refused (nothing kept) when they differ."""
    second = session.download(address, expect=expect, folder=folder)
    try:
        if sha256_file(second.tmp_path) != sha256_file(first.tmp_path):
            first.tmp_path.unlink(missing_ok=True)
            raise Truncated(address, "the server sent no Content-Length and two downloads differ (one was cut short "
                                     "or the file changed between them); nothing archived: fetch again later")
    finally:
        second.tmp_path.unlink(missing_ok=True)
    return "no Content-Length: downloaded twice, both copies identical (the length itself is not vouched for)"


def _from_internet_archive(spec: RawFileSpec, archive: Archive, session: PoliteSession, replace: bool,
                           problems: list[str]) -> str:
    """Store the latest good capture of a dead address, with the capture's timestamp and digest."""
    mimetype = {"pdf": "application/pdf", "html": "text/html"}.get(spec.expect, "")
    capture, seen = wayback.find_capture(session, spec.url, mimetype)
    if capture is None:
        problems.append(f"data/raw/{spec.rel_path}: the Internet Archive has no usable capture of {spec.url} "
                        f"({len(seen)} capture(s), none HTTP 200 {mimetype}); import a copy with `schoolclaims import FILE "
                        f"--source {spec.source_id} --vintage VINTAGE --origin-detail ...`")
        return f"missing   {problems[-1]}"
    result = session.download(capture.raw_url, expect=spec.expect, folder=inside(archive.root, spec.rel_path).parent)
    archive.store(result.tmp_path, Resource(
        path=spec.rel_path, source_id=spec.source_id, vintage=spec.vintage, url=spec.url, sha256="", bytes=0,
        mediatype=result.mediatype or MEDIATYPES.get(result.kind, "application/octet-stream"), origin="internet-archive",
        origin_detail=capture.describe(), retrieved_at=utc_now(),
        extra={"capture_timestamp": capture.timestamp, "capture_digest": capture.digest, "capture_url": capture.raw_url},
    ), replace=replace)
    return f"archived  data/raw/{spec.rel_path} <- {capture.describe()}"


def _archived(archive: Archive, spec: RawFileSpec) -> Resource | None:
    """The manifest entry for this spec: by path, else by source, vintage and address (the suffix may differ)."""
    if spec.rel_path in archive.resources:
        return archive.resources[spec.rel_path]
    return next((r for r in archive.resources.values()
                 if (r.source_id, r.vintage, r.url) == (spec.source_id, spec.vintage, spec.url)), None)


def _listed(archive: Archive, spec: RawFileSpec) -> list[Resource]:
    """The files archived from this spec's landing page for its vintage when the page listed several."""
    if not spec.landing:
        return []
    return [r for r in archive.resources.values()
            if (r.source_id, r.vintage) == (spec.source_id, spec.vintage) and r.extra.get("listed_on") == spec.landing]


def _from_mirror(spec: RawFileSpec, entry, archive: Archive, replace: bool) -> Resource:
    tmp = temp_file(inside(archive.root, spec.rel_path).parent, "mirror")
    try:
        shutil.copyfile(entry.path, tmp)
        digest = sha256_file(tmp)
        if entry.sha256 and digest != entry.sha256:
            raise ArchiveError(f"mirror file {entry.path}: sha256 {digest} differs from its mirror manifest ({entry.sha256})")
        check_complete(tmp, f"mirror file {entry.path}", f"restore the mirror folder {entry.mirror}", entry.path.suffix)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with open(tmp, "rb") as handle:
        kind = sniff(handle.read(4096))
    return archive.store(tmp, Resource(
        path=spec.path_for(kind), source_id=spec.source_id, vintage=spec.vintage, url=spec.url, sha256="", bytes=0,
        mediatype=MEDIATYPES.get(kind, "application/octet-stream"), origin="mirror",
        origin_detail=f"mirror file {entry.path.relative_to(entry.mirror).as_posix()}"
        + (f" (the mirror took it from {entry.note})" if entry.note else ""),
        retrieved_at=utc_now(),
    ), replace=replace)


def _from_package(spec: RawFileSpec, archive: Archive, replace: bool) -> Resource:
    """A file made here from a pinned package's data (the spec's ``produce`` writes it and says how)."""
    tmp = temp_file(inside(archive.root, spec.rel_path).parent, "package")
    note = spec.produce(tmp)
    return archive.store(tmp, Resource(
        path=spec.rel_path, source_id=spec.source_id, vintage=spec.vintage, url=spec.url, sha256="", bytes=0,
        mediatype="text/csv", origin="package", origin_detail=note, retrieved_at=utc_now(),
    ), replace=replace)

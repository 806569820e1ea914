"""Bring raw files into the archive: from a mirror when one has them, else from the publisher.

This is the `schoolclaims fetch` command's engine. Mirrors are consulted before the network, so an
offline machine with a mirror (CI, a laptop with ../shared) archives the same bytes without a request.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Callable

from . import mirror as mirror_mod
from .archive import MEDIATYPES, Archive, ArchiveError, Resource, sha256_file, utc_now
from .fetch import FetchError, PoliteSession, sniff
from .sources import (RawFileSpec, alliance_salary, bea_regional, bls_cpi, cde_census_enrollment, cde_class_level,
                      cde_current_expense, cde_directory, cde_frpm, cde_j90, census_f33, internet_archive, lausd_salary)

SOURCE_MODULES = {
    "cde_current_expense": cde_current_expense,
    "census_f33": census_f33,
    "bea_regional": bea_regional,
    "bls_cpi": bls_cpi,
    "cde_directory": cde_directory,
    "cde_frpm": cde_frpm,
    "cde_census_enrollment": cde_census_enrollment,
    "cde_class_level": cde_class_level,
    "cde_j90": cde_j90,
    "lausd_salary": lausd_salary,
    "alliance_salary": alliance_salary,
}


def all_specs(source_ids: list[str] | None = None) -> list[RawFileSpec]:
    """Specs of the named sources: a module name (bea_regional) or a file's source id (bea_sagdp1)."""
    every = [(key, spec) for key, module in SOURCE_MODULES.items() for spec in module.specs()]
    if not source_ids:
        return [spec for _key, spec in every]
    known = {key for key, _ in every} | {spec.source_id for _, spec in every}
    unknown = [s for s in source_ids if s not in known]
    if unknown:
        raise ValueError(f"unknown source(s) {unknown}; known: {sorted(known)}")
    return [spec for key, spec in every if key in source_ids or spec.source_id in source_ids]


def discovered_url(spec: RawFileSpec, session: PoliteSession, pages: dict) -> str:
    """The address the publisher's landing page links for this vintage; the spec's pattern otherwise."""
    module = next((m for m in SOURCE_MODULES.values() if spec.source_id in {s.source_id for s in m.specs()}), None)
    if not spec.landing or not hasattr(module, "discover"):
        return spec.url
    if spec.landing not in pages:
        try:
            pages[spec.landing] = module.discover(session.get_text(spec.landing), spec.landing)
        except FetchError:
            pages[spec.landing] = {}  # landing page unreachable: fall back to the pattern
    return pages[spec.landing].get(spec.vintage, spec.url)


def fetch(
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
        try:
            if existing is not None and not refresh and archive.available(existing, mirrors):
                archive.locate(existing)  # verifies the checksum
                log(f"ok        data/raw/{existing.path} (archived, checksum verified)")
                continue
            entry = mirror_mod.find(spec.url, mirrors)
            if entry is not None:
                stored = _from_mirror(spec, entry, archive, replace)
                log(f"mirror    data/raw/{stored.path} <- {entry.path.name}")
                continue
            if spec.source_id == bls_cpi.SOURCE_ID:
                _from_cpi_package(spec, archive, replace)
                log(f"package   data/raw/{spec.rel_path} <- cpi=={bls_cpi.package_version()}")
                continue
            if offline:
                problems.append(f"data/raw/{spec.rel_path}: not archived, not in a mirror, and --offline was given ({spec.url})")
                log(f"missing   {problems[-1]}")
                continue
            session = session or PoliteSession()
            if spec.archived_only:
                log(_from_internet_archive(spec, archive, session, replace, problems))
                continue
            address = discovered_url(spec, session, pages)
            result = session.download(
                address.split("#", 1)[0], expect=spec.expect,
                etag=existing.etag if existing and refresh else "",
                last_modified=existing.last_modified if existing and refresh else "",
            )
            if result.not_modified:
                log(f"unchanged data/raw/{spec.rel_path} (304 Not Modified)")
                continue
            rel = spec.path_for(result.kind) if "#" not in spec.url else f"{spec.source_id}/{spec.vintage}/{Path(spec.url.split('#')[0]).name}"
            archive.store(result.tmp_path, Resource(
                path=rel, source_id=spec.source_id, vintage=spec.vintage, url=spec.url, sha256="", bytes=0,
                mediatype=result.mediatype or MEDIATYPES.get(result.kind, "application/octet-stream"),
                origin="official", origin_detail=f"downloaded from {result.final_url}",
                retrieved_at=utc_now(), etag=result.etag, last_modified=result.last_modified,
            ), replace=replace)
            log(f"fetched   data/raw/{rel}")
        except (FetchError, ArchiveError, OSError, internet_archive.CaptureLookupError) as exc:
            problems.append(str(exc))
            log(f"FAILED    {exc}")
    return problems


def _from_internet_archive(spec: RawFileSpec, archive: Archive, session: PoliteSession, replace: bool,
                           problems: list[str]) -> str:
    """Store the latest good capture of a dead address, with the capture's timestamp and digest."""
    mimetype = {"pdf": "application/pdf"}.get(spec.expect, "")
    capture, seen = internet_archive.find_capture(session, spec.url, mimetype)
    if capture is None:
        problems.append(f"data/raw/{spec.rel_path}: the Internet Archive has no usable capture of {spec.url} "
                        f"({len(seen)} capture(s), none HTTP 200 {mimetype}); import a copy with `schoolclaims import` "
                        "or transcribe it (source pay_transcription)")
        return f"missing   {problems[-1]}"
    result = session.download(capture.raw_url, expect=spec.expect)
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


def _copy_to_temp(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(prefix=".mirror-", suffix=".part", dir=dest_dir, delete=False)
    handle.close()
    shutil.copyfile(src, handle.name)
    return Path(handle.name)


def _from_mirror(spec: RawFileSpec, entry, archive: Archive, replace: bool) -> Resource:
    tmp = _copy_to_temp(entry.path, (archive.root / spec.rel_path).parent)
    digest = sha256_file(tmp)
    if entry.sha256 and digest != entry.sha256:
        tmp.unlink(missing_ok=True)
        raise ArchiveError(f"mirror file {entry.path}: sha256 {digest} differs from its mirror manifest ({entry.sha256})")
    with open(tmp, "rb") as handle:
        kind = sniff(handle.read(4096))
    return archive.store(tmp, Resource(
        path=spec.path_for(kind), source_id=spec.source_id, vintage=spec.vintage, url=spec.url, sha256="", bytes=0,
        mediatype=MEDIATYPES.get(kind, "application/octet-stream"), origin="mirror",
        origin_detail=f"mirror file {entry.path.relative_to(entry.mirror).as_posix()}"
        + (f" (the mirror took it from {entry.note})" if entry.note else ""),
        retrieved_at=utc_now(),
    ), replace=replace)


def _from_cpi_package(spec: RawFileSpec, archive: Archive, replace: bool) -> Resource:
    dest_dir = (archive.root / spec.rel_path).parent
    dest_dir.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(prefix=".cpi-", suffix=".part", dir=dest_dir, delete=False)
    handle.close()
    note = bls_cpi.export_from_package(Path(handle.name))
    return archive.store(Path(handle.name), Resource(
        path=spec.rel_path, source_id=spec.source_id, vintage=spec.vintage, url=spec.url, sha256="", bytes=0,
        mediatype="text/csv", origin="package", origin_detail=note, retrieved_at=utc_now(),
    ), replace=replace)

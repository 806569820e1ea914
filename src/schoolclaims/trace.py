"""`schoolclaims trace`: from a number back to the bytes it came from.

A target is a file (a sha256 prefix of at least 6 hex digits), a processed row (``table:line``, the line of
data/processed/<table>.csv, the header being line 1) or a claim id. For every raw file behind it the trace prints
the official address, the origin (for a mirror copy, the third-party repository and commit), when it was
retrieved, the locator inside the file, and the processed tables and claims that use the file.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from . import sources
from .acquire.archive import Archive, MissingRawFile, Resource
from .tables import SCHEMAS, load


class TraceError(ValueError):
    pass


def _hashes(value) -> list[str]:
    return [h for h in str(value or "").split("+") if re.fullmatch(r"[0-9a-f]{64}", h)]


def table_usage(sha256: str, processed: Path | None = None) -> dict[str, int]:
    """Processed table -> how many of its rows name this file."""
    usage = {}
    for name in SCHEMAS:
        frame = load(name, processed)
        count = int(frame["file_sha256"].astype(str).str.contains(sha256, regex=False).sum()) if len(frame) else 0
        if count:
            usage[name] = count
    return usage


def claim_usage(sha256: str, results) -> dict[str, int]:
    """Claim id -> how many of its evidence rows (or its archived quote) name this file."""
    usage: Counter = Counter()
    for result in results:
        for value in result.evidence["file_sha256"]:
            if sha256 in _hashes(value):
                usage[result.claim.id] += 1
    return dict(usage)


def describe_file(resource: Resource, locator: str = "", results=None, processed: Path | None = None) -> list[str]:
    lines = [f"file  data/raw/{resource.path}",
             f"  sha256     {resource.sha256}",
             f"  source     {'; '.join(sources.labels(resource.source_id))} ({resource.source_id}, vintage {resource.vintage})",
             f"  address    {resource.url or '(none: made or transcribed by hand)'}",
             f"  origin     {resource.origin_summary()}",
             f"  retrieved  {resource.retrieved_at}"]
    if locator:
        lines.append(f"  locator    {locator}")
    tables = table_usage(resource.sha256, processed)
    lines.append("  tables     " + (", ".join(f"data/processed/{t}.csv ({n:,} rows)" for t, n in tables.items()) or "none"))
    if results is not None:
        claims = claim_usage(resource.sha256, results)
        quoted = [r.claim.id for r in results if any(a.archived_copy == f"data/raw/{resource.path}" for a in r.claim.appeared)]
        used = [f"{cid} ({n} evidence row{'s' if n != 1 else ''})" for cid, n in claims.items()]
        used += [f"{cid} (its quote's archived copy)" for cid in quoted]
        lines.append("  claims     " + (", ".join(used) or "none"))
    return lines


def _resource_for(archive: Archive, sha256: str) -> Resource:
    found = [r for r in archive.resources.values() if r.sha256 == sha256]
    if not found:
        raise MissingRawFile(f"no archived file has sha256 {sha256}")
    return found[0]


def trace(target: str, archive: Archive | None = None, processed: Path | None = None) -> str:
    from .claims import evaluate_all, load_claims

    archive = archive or Archive()
    claim_ids = {c.id for c in load_claims()}
    if target in claim_ids:
        [result] = evaluate_all(only=[target], processed=processed)
        return "\n".join(_trace_claim(result, archive, processed))
    if re.fullmatch(r"[0-9a-f]{6,64}", target):
        matches = [r for r in archive.resources.values() if r.sha256.startswith(target)]
        if len(matches) != 1:
            raise TraceError(f"{len(matches)} archived files have a sha256 starting {target}; give more digits"
                             if matches else f"no archived file has a sha256 starting {target}")
        return "\n".join(describe_file(matches[0], results=evaluate_all(processed=processed), processed=processed))
    match = re.fullmatch(r"([a-z0-9_]+):(\d+)", target)
    if match and match.group(1) in SCHEMAS:
        return "\n".join(_trace_row(match.group(1), int(match.group(2)), archive, processed))
    raise TraceError(f"{target!r} is neither a claim id, a sha256 prefix (6+ hex digits) nor table:line "
                     f"(tables: {', '.join(SCHEMAS)})")


def _trace_row(table: str, line: int, archive: Archive, processed: Path | None) -> list[str]:
    from .claims import evaluate_all

    frame = load(table, processed)
    if not 2 <= line <= len(frame) + 1:
        raise TraceError(f"data/processed/{table}.csv has lines 2 to {len(frame) + 1} (line 1 is the header)")
    results = evaluate_all(processed=processed)  # every claim that uses the row's file is named
    row = frame.iloc[line - 2]
    shown = ", ".join(f"{k}={v}" for k, v in row.items() if k not in ("file_sha256", "locator") and not pd.isna(v) and v != "")
    out = [f"row   data/processed/{table}.csv line {line}: {shown}", f"  locator    {row['locator']}"]
    for sha in _hashes(row["file_sha256"]):
        out += describe_file(_resource_for(archive, sha), results=results, processed=processed)
    return out


def _trace_claim(result, archive: Archive, processed: Path | None) -> list[str]:
    c = result.claim
    out = [f"claim {c.id}: \"{c.quote}\" ({c.claimant})", f"  rating     {result.rating}"]
    for appearance in c.appeared:
        out.append(f"  appeared   {appearance.date}, {appearance.url}")
        if appearance.archived_copy:
            out += ["  " + line for line in describe_file(archive.get(appearance.archived_copy.removeprefix("data/raw/")),
                                                           processed=processed)]
        else:
            out.append("             no archived copy yet (`schoolclaims fetch claim_pages` asks the Internet Archive)")
    for number, row in enumerate(result.evidence.itertuples(index=False), start=1):
        out.append(f"  evidence {number}: {row.item} | {row.entity} | {row.year} | {row.value} {row.unit} | {row.confidence}")
        hashes = _hashes(row.file_sha256)
        if row.source_url:
            out.append(f"             cited page {row.source_url}")
        if not hashes:
            out.append(f"             (no file recorded: {row.source_id or 'no source'} {row.locator})".rstrip())
        for sha in hashes:
            resource = _resource_for(archive, sha)
            out.append(f"             data/raw/{resource.path} ({resource.origin_summary()}); {row.locator}")
            out.append(f"             address {resource.url or '(none)'}; sha256 {sha}")
    return out

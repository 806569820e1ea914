"""Build data/processed from the archived raw files: verify -> extract -> transform -> validate -> write.

Deterministic: the same raw bytes give byte-identical CSVs (sorted rows, fixed rounding, no timestamps).
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import defaultdict
from pathlib import Path
from typing import Callable

import pandas as pd
from pandas.api.types import union_categoricals

from . import freshness, paths, sources
from .acquire.archive import Archive, MissingRawFile, Resource, current, one_file_each
from .files import atomic_write
from .sources._io import check_complete
from .tables import write_tables
from .transform import processed_tables


def required_resources(archive: Archive) -> list[Resource]:
    """Every archived file of a registered source that no newer file supersedes; an error when a source the build
    needs has none, or when two files claim the same place (one key, one value: see one_file_each)."""
    missing = [sid for sid in sources.file_ids(required=True) if not archive.for_source(sid)]
    if missing:
        raise MissingRawFile(f"the manifest lists no files for {missing}: run `schoolclaims fetch`")
    resources = current([r for sid in sources.file_ids() for r in archive.for_source(sid)])
    one_file_each(resources)
    return resources


def check_available(archive: Archive, mirrors=None) -> list[str]:
    """The raw files the build cannot reach, each named with its remedy (empty when it can build)."""
    return [str(exc) for _resource, exc in unreachable(archive, mirrors)]


def unreachable(archive: Archive, mirrors=None) -> list[tuple[Resource, MissingRawFile]]:
    """Each raw file the build needs that is neither archived here nor in a mirror, with its error."""
    problems = []
    for resource in required_resources(archive):
        try:
            archive.locate(resource, mirrors)
        except MissingRawFile as exc:
            problems.append((resource, exc))
    return problems


def extract_all(archive: Archive, mirrors=None, log: Callable[[str], None] = print) -> dict[str, pd.DataFrame]:
    """Each archived file, checksum verified and checked whole, read by its source module; frames of one name
    stacked; then each source's check of the files it ships together (``check_together``)."""
    parts: dict[str, list[pd.DataFrame]] = defaultdict(list)
    code = freshness.code_digest(freshness.EXTRACT_CODE)
    modules = {}
    for resource in required_resources(archive):
        path = archive.locate(resource, mirrors)
        modules[resource.source_id] = sources.module_for(resource.source_id)
        for name, frame in _extract_cached(resource, path, code, log).items():
            parts[name].append(frame)
    stacked = {name: stack(frames) for name, frames in parts.items()}
    for module in dict.fromkeys(modules.values()):
        if hasattr(module, "check_together"):
            module.check_together(stacked)
    return defaultdict(pd.DataFrame, stacked)  # a name no archived file gave is an empty frame


def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one under the other. A column categorical in every frame that has it, its categories of one type and
    unordered, stays categorical, its categories sorted (pandas would spell out each row's text when their categories
    differ: a file's sha256 on millions of class records); any other column is stacked as pandas stacks it."""
    for column in dict.fromkeys(c for f in frames for c in f.columns):
        parts = [f[column] for f in frames if column in f]
        if (len(frames) > 1 and all(isinstance(p.dtype, pd.CategoricalDtype) and not p.cat.ordered for p in parts)
                and len({p.cat.categories.dtype for p in parts}) == 1):
            categories = union_categoricals(parts, sort_categories=True).categories
            frames = [f.assign(**{column: f[column].cat.set_categories(categories)}) if column in f else f for f in frames]
    return pd.concat(frames, ignore_index=True)


def remedy_for(resource: Resource) -> str:
    """What to do about an archived file whose recorded bytes are themselves cut short (its sha256 matches the
    manifest, so restoring it from git or a mirror gives the same bytes): archive a complete copy in its place."""
    if resource.origin == "manual-import":
        return (f"import a complete copy with `schoolclaims import FILE --source {resource.source_id} --vintage "
                f"{resource.vintage} --replace ...`")
    return f"fetch it again with `schoolclaims fetch {resource.source_id} --refresh --replace`"


def _extract_cached(resource: Resource, path: Path, code: str, log) -> dict[str, pd.DataFrame]:
    """A file's extracted frames, from the cache when the same bytes were read by the same extract code.

    The cache (paths.CACHE, git-ignored, safe to delete) holds pickles this project wrote itself."""
    described = json.dumps([resource.source_id, resource.vintage, resource.origin_detail, resource.extra], sort_keys=True)
    key = hashlib.sha256(f"{resource.sha256}:{resource.path}:{described}:{code}".encode()).hexdigest()
    cached = paths.EXTRACT_CACHE / f"{key}.pkl"
    if cached.is_file():
        log(f"read {resource.path} (sha256 {resource.sha256[:12]}… verified; extracted earlier)")
        return pickle.loads(cached.read_bytes())
    log(f"read {resource.path} (sha256 {resource.sha256[:12]}… verified)")
    check_complete(path, f"data/raw/{resource.path}", remedy_for(resource))  # a cut or damaged file: no wrong number
    frames = sources.module_for(resource.source_id).extract(resource, path)
    with atomic_write(cached) as handle:
        pickle.dump(frames, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return frames


def build(out_dir: Path | None = None, archive: Archive | None = None, mirrors=None,
          log: Callable[[str], None] = print) -> dict[str, pd.DataFrame]:
    archive = archive or Archive()
    out_dir = Path(out_dir or paths.PROCESSED)
    tables = processed_tables(extract_all(archive, mirrors, log))
    inputs = freshness.build_inputs(archive.manifest_path)
    read = [resource.path for resource in required_resources(archive)]  # every one of them was read
    write_tables(tables, out_dir, extra=lambda texts: {freshness.STAMP: freshness.stamp_text(inputs, texts, read)})
    for name, frame in tables.items():
        log(f"wrote {paths.relative(out_dir / name)}.csv ({len(frame)} rows, validated)")
    return tables

"""Processed tables on disk: written after validation, atomically; read back with their schema's types."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from .. import paths
from ..files import commit_files, finish_commit
from .schemas import SCHEMAS, validate


def load(name: str, processed: Path | None = None) -> pd.DataFrame:
    folder = Path(processed or paths.PROCESSED)
    finish_commit(folder)  # a build interrupted while putting its tables in place is finished first
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{paths.relative(path)} is missing: run `schoolclaims build`")
    stat = path.stat()
    return _read(name, path.resolve(), stat.st_mtime_ns, stat.st_size).copy()


@lru_cache(maxsize=64)
def _read(name: str, path: Path, _mtime_ns: int, _size: int) -> pd.DataFrame:
    """One read per version of a file (the rating methods and their alternatives read the same tables often)."""
    # Types come from the table's schema: text stays text ("" stays ""), an empty number cell is missing.
    # (pandera spells text "str" or "string[python]" depending on the pandas version)
    text = {c for c, spec in SCHEMAS[name].columns.items() if str(spec.dtype).startswith("str")}
    dtypes = {c: str for c in text}
    dtypes.update({c: "Int64" for c, spec in SCHEMAS[name].columns.items() if str(spec.dtype) == "Int64"})
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False,
                       na_values={c: [""] for c in SCHEMAS[name].columns if c not in text})


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path,
                 extra: Callable[[dict[str, str]], dict[str, str]] | None = None) -> None:
    """Validate every table, then put all of them in place as one change (files.commit_files), with the files
    ``extra`` makes from the tables' CSV text (name -> text: the build's stamp). Deterministic: no index, '\\n'."""
    for name, frame in tables.items():
        validate(name, frame)
    texts = {f"{name}.csv": frame.to_csv(index=False, lineterminator="\n") for name, frame in tables.items()}
    commit_files(Path(out_dir), {**texts, **(extra(texts) if extra else {})})

"""`make explore`: the processed tables, the raw-file manifest and every claim's evidence in one SQLite database,
browsed with Datasette on 127.0.0.1.

    schoolclaims explore [--port 8001] [--db PATH] [--build-only]

Provenance is plain SQL, no plugin: a ``raw_files`` table keyed by sha256 (one row per manifest entry), and in every
table whose rows carry ``file_sha256`` a foreign key to it, so Datasette shows each hash as a link to its raw file,
labelled with the file's path (metadata ``label_column``), and each raw file's page lists the rows made from it.
A row made from several files (``a+b``) keeps ``file_sha256`` as written and gets one linked column per file
(``raw_file_1``, ``raw_file_2``). ``claims`` and ``evidence`` (every claim's evidence rows, linked the same way) show
which claims rest on which file. The database is rebuilt from the committed files on every start (a few seconds)
and written atomically.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .. import paths
from ..files import temp_file

DATABASE = paths.CACHE / "explore" / "schoolclaims.db"


def _hashes(value) -> list[str]:
    return [h for h in str(value or "").split("+") if h]


def _records(frame) -> list[dict]:
    """DataFrame rows as SQLite values: missing -> NULL, numpy scalars -> Python."""
    import pandas as pd

    out = []
    for row in frame.to_dict(orient="records"):
        out.append({k: (None if (not isinstance(v, str) and pd.isna(v)) else v.item() if hasattr(v, "item") else v)
                    for k, v in row.items()})
    return out


def _link_files(db, name: str, rows: list[dict], **insert) -> None:
    """Insert rows into ``name`` with file_sha256 (or raw_file_1..n when a row joins several) as foreign keys."""
    width = max((len(_hashes(r.get("file_sha256"))) for r in rows), default=0)
    keys = []
    if width == 1:
        keys = [("file_sha256", "raw_files", "sha256")]
    elif width > 1:
        for row in rows:
            parts = _hashes(row.get("file_sha256"))
            for i in range(width):
                row[f"raw_file_{i + 1}"] = parts[i] if i < len(parts) else None
        keys = [(f"raw_file_{i + 1}", "raw_files", "sha256") for i in range(width)]
    if rows:
        db[name].insert_all(rows, foreign_keys=keys, batch_size=1000, **insert)


def build_database(dest: Path = DATABASE, processed: Path | None = None, manifest: Path | None = None,
                   claims: list[dict] | None = None) -> Path:
    """Write the database to ``dest`` (atomically). ``claims``: claim records (``claims.result_record``);
    evaluated from claims/ when None."""
    import sqlite_utils

    from .. import sources, tables

    processed = Path(processed or paths.PROCESSED)
    resources = json.loads(Path(manifest or paths.MANIFEST).read_text(encoding="utf-8"))["resources"]
    tmp = temp_file(Path(dest).parent, Path(dest).name)
    try:
        db = sqlite_utils.Database(tmp, recreate=True)
        db.execute("PRAGMA synchronous = OFF")  # a scratch file, renamed into place only when complete
        db.execute("PRAGMA journal_mode = MEMORY")
        db["raw_files"].insert_all(({
            "sha256": r["hash"].removeprefix("sha256:"), "path": r["path"], "source_id": r["source_id"],
            "publisher": ("hand-transcribed ledger " + Path(r["path"]).name) if r["source_id"] == "ledgers"
            else "; ".join(sources.labels(r["source_id"])),
            "vintage": r.get("vintage", ""), "url": r.get("url", ""), "origin": r["origin"],
            "origin_detail": r.get("origin_detail", ""), "retrieved_at": r.get("retrieved_at", ""),
            "bytes": r.get("bytes"), "mediatype": r.get("mediatype", "")} for r in resources), pk="sha256")
        for path in sorted(processed.glob("*.csv")):
            frame = tables.load(path.stem, processed) if path.stem in tables.SCHEMAS else _read_csv(path)
            if frame.empty:  # an empty table keeps its columns (the class-level files are not archived yet)
                db[path.stem].create({c: str if frame[c].dtype == object or "str" in str(frame[c].dtype) else float
                                      for c in frame.columns})
            _link_files(db, path.stem, _records(frame))
        if claims is None:
            from ..claims import evaluate_all, result_record

            claims = [result_record(r) for r in evaluate_all(processed=processed)]
        db["claims"].insert_all(({k: r[k] for k in ("id", "question_id", "kind", "claimant", "quote", "rating",
                                                    "conclusion")} for r in claims), pk="id")
        evidence = [{"claim_id": r["id"], **{k: v for k, v in row.items() if k != "file_sha256"},
                     "file_sha256": "+".join(row["file_sha256"])} for r in claims for row in r["evidence"]]
        for row in evidence:  # numbers stay numbers (so they sort as numbers); a value written in words is text
            value = row["value"]
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            row["value"], row["value_text"] = (float(value), None) if number else (None, None if value is None else str(value))
        _link_files(db, "evidence", evidence, columns={"value": float, "value_text": str})
        if evidence:
            db["evidence"].add_foreign_key("claim_id", "claims", "id")
        db.close()
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Path(dest)


def _read_csv(path: Path):
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)


LINKS = "raw_file_N: the N-th raw file of a row made from several files (file_sha256 joins their hashes with '+')"
EVIDENCE_COLUMNS = {
    "claim_id": "The claim this row is evidence for", "item": "What the row shows", "entity": "Who or what it is about",
    "year": "School year or year of the figure", "value": "The figure, as a number (sorts numerically) [see unit]",
    "value_text": "The figure when it is written in words rather than a number", "unit": "Unit of value",
    "matches": "Whether the figure agrees with the claim (empty: context only)",
    "confidence": "How firmly the figure is established", "source_id": "Source id of the raw file(s)",
    "file_sha256": "sha256 of the raw file(s), '+' between several", "locator": "Where in the raw file",
    "source_url": "Address of the page or file", "role": "evidence, or context",
}


def metadata(db_path: Path) -> dict:
    """Datasette metadata: what each table and column is (the data dictionary in tables/schemas.py, units in
    brackets), licence and source, raw files labelled by path, provenance facets."""
    import sqlite_utils

    from ..tables import SCHEMAS

    db = sqlite_utils.Database(db_path)
    described = {
        "raw_files": {"label_column": "path", "facets": ["source_id", "origin"],
                      "description": "Every archived raw file (data/raw/datapackage.json), keyed by sha256. "
                                     "A file's page lists the processed rows and evidence rows made from it.",
                      "columns": {"sha256": "sha256 of the file's bytes", "path": "Path under data/raw/",
                                  "publisher": "Who published it", "url": "Official address, where it has one",
                                  "origin": "How the bytes were obtained (official, mirror, internet-archive, "
                                            "manual-import, package)", "retrieved_at": "When (UTC)"}},
        "claims": {"label_column": "id", "facets": ["rating", "kind"], "description": "Every claim and its rating.",
                   "columns": {"id": "Claim id (claims/<id>.yaml)", "quote": "The claim as published",
                               "rating": "The rating (claims/RATING_SCALE.md)", "conclusion": "Why, in one sentence"}},
        "evidence": {"facets": ["claim_id", "confidence"],
                     "description": "Every claim's evidence rows; file_sha256 links to the raw file.",
                     "columns": EVIDENCE_COLUMNS},
    }
    for name in db.table_names():
        if name in described:
            continue
        columns = {c.name for c in db[name].columns}
        schema = SCHEMAS.get(name)
        described[name] = {
            "description": (f"{schema.description}. " if schema is not None and schema.description else "")
            + f"data/processed/{name}.csv; file_sha256 (or raw_file_N for rows made from several files) links to the "
              "raw file.",
            "columns": {**({c: f"{col.description} [{col.metadata['unit']}]" for c, col in schema.columns.items()}
                           if schema is not None else {}),
                        **{c: LINKS for c in columns if c.startswith("raw_file_")}},
            **({"facets": ["source_id"]} if "source_id" in columns else {})}
    return {"title": "schoolclaims: processed tables, raw files and evidence",
            "description": "Column descriptions and units come from the data dictionary (src/schoolclaims/tables/"
                           "schemas.py; also data/processed/datapackage.json).",
            "license": "The figures keep their publishers' terms (CDE, Census, BEA and BLS data are public); code MIT",
            "license_url": f"{paths.PROJECT_URL}#license",
            "source": "Archived raw files, by sha256 (data/raw/datapackage.json)",
            "source_url": paths.PROJECT_URL, "databases": {Path(db_path).stem: {"tables": described}}}


def datasette_command(db_path: Path, meta_path: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    """Datasette serving the database read-only (immutable) on host:port."""
    return [sys.executable, "-m", "datasette", "serve", "--immutable", str(db_path), "--host", host,
            "--port", str(port), "--metadata", str(meta_path), "--setting", "sql_time_limit_ms", "5000"]


def prepare(db_path: Path = DATABASE, claims: list[dict] | None = None) -> tuple[Path, Path]:
    """Build the database and write its metadata beside it; returns (database, metadata file)."""
    db_path = build_database(db_path, claims=claims)
    meta_path = db_path.with_suffix(".metadata.json")
    meta_path.write_text(json.dumps(metadata(db_path), indent=2) + "\n", encoding="utf-8")
    return db_path, meta_path

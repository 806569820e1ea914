"""data/processed/datapackage.json: the processed tables as a Frictionless data package, made from the table schemas
(every column's type, description and unit, each table's key) so the data dictionary has one source: tables/schemas.py.

Written by `schoolclaims build` (also when the tables were up to date); a test checks that the committed file is the
one the schemas and tables give and that frictionless validates the tables against it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import paths
from ..files import atomic_write
from .schemas import SCHEMAS

NAME = "datapackage.json"
LICENSE = {"path": f"{paths.PROJECT_URL}#license", "title": "The figures keep their publishers' terms (CDE, Census, BEA "
           "and BLS data are public); hand transcriptions and the code that made the tables are MIT-licensed"}


def _type(dtype) -> str:
    text = str(dtype).lower()
    if text.startswith("str"):
        return "string"
    if text.startswith("bool"):
        return "boolean"
    if "int" in text:
        return "integer"
    return "number"


def field(name: str, column) -> dict:
    out = {"name": name, "type": _type(column.dtype), "description": column.description,
           "unit": column.metadata["unit"]}
    if not column.nullable and out["type"] != "string":
        out["constraints"] = {"required": True}
    return out


def table_schema(name: str) -> dict:
    schema = SCHEMAS[name]
    out = {"fields": [field(column_name, column) for column_name, column in schema.columns.items()],
           "missingValues": [""]}
    if schema.unique:
        out["primaryKey"] = list(schema.unique)
    return out


def descriptor(folder: Path) -> dict:
    """The package descriptor for the tables in ``folder`` (each listed with its sha256 and size)."""
    resources = []
    for name, schema in SCHEMAS.items():
        path = Path(folder) / f"{name}.csv"
        if not path.is_file():
            continue
        data = path.read_bytes()
        resources.append({"name": name, "path": f"{name}.csv", "title": name.replace("_", " "),
                          "description": schema.description, "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                          "schema": table_schema(name)})
    return {
        "name": "schoolclaims-processed",
        "title": "schoolclaims: processed tables",
        "description": "The tables the claims are rated on, each row with source_id, file_sha256 and locator naming the "
                       "raw file (data/raw/datapackage.json) and the place in it that the row was read from.",
        "homepage": paths.PROJECT_URL,
        "licenses": [LICENSE],
        "sources": [{"title": "The archived raw files, by sha256 (data/raw/datapackage.json)",
                     "path": f"{paths.PROJECT_URL}/blob/main/data/raw/datapackage.json"}],
        "resources": resources,
    }


def write_datapackage(folder: Path | None = None) -> Path:
    """Write folder/datapackage.json (left untouched when its bytes would be the same)."""
    folder = Path(folder or paths.PROCESSED)
    text = json.dumps(descriptor(folder), indent=2, ensure_ascii=False) + "\n"
    dest = folder / NAME
    if not dest.is_file() or dest.read_text(encoding="utf-8") != text:
        with atomic_write(dest, "w", encoding="utf-8") as handle:
            handle.write(text)
    return dest

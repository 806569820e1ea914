"""Small builders shared by tests."""

from __future__ import annotations

import json

from schoolclaims.acquire.archive import Resource
from schoolclaims.acquire.http import PoliteSession

CDX_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


def resource(source_id: str, vintage: str, path: str = "", origin: str = "official", origin_detail: str = "") -> Resource:
    """A manifest entry for a file a test made (its sha256 is a stand-in of the right shape)."""
    return Resource(path=path or f"{source_id}/{vintage}/file", source_id=source_id, vintage=vintage, url="",
                    sha256="0" * 64, bytes=1, mediatype="application/octet-stream", origin=origin,
                    origin_detail=origin_detail)


def cdx_answer(*rows) -> str:
    """An Internet Archive CDX API answer (JSON rows, the first naming the fields) listing ``rows``."""
    return json.dumps([CDX_FIELDS, *rows])


def quiet_session() -> PoliteSession:
    return PoliteSession(delay=0, retries=0, timeout=(2, 2), progress=False, sleep=lambda s: None)


def write_tables(folder, tables: dict) -> None:
    """Processed tables made of the given rows (a list of dicts per table); columns the rows leave out get an empty
    value of their schema's type, so a test writes only the cells its case is about."""
    import pandas as pd

    from schoolclaims.tables import SCHEMAS

    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = SCHEMAS[name].columns
        frame = pd.DataFrame(rows).reindex(columns=list(columns))
        for column, spec in columns.items():
            if str(spec.dtype).startswith("str"):
                frame[column] = frame[column].astype(object).fillna("")
        frame.to_csv(folder / f"{name}.csv", index=False)

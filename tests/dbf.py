"""A minimal dBase III writer for test fixtures (the readers use dbfread, which only reads)."""

from __future__ import annotations

import struct
from datetime import date
from pathlib import Path


def write_dbf(path: Path, fields: list[tuple[str, str, int, int]], rows: list[tuple], updated: date = date(2016, 11, 10)) -> Path:
    """``fields``: (name, type 'C' or 'N', length, decimals); ``rows``: values in field order (None = blank)."""
    header_length = 32 + 32 * len(fields) + 1
    record_length = 1 + sum(length for _n, _t, length, _d in fields)
    out = bytearray(struct.pack("<BBBBIHH20x", 0x03, updated.year - 1900, updated.month, updated.day, len(rows),
                                header_length, record_length))
    for name, kind, length, decimals in fields:
        out += struct.pack("<11sc4xBB14x", name.encode("ascii"), kind.encode("ascii"), length, decimals)
    out += b"\r"
    for row in rows:
        out += b" "
        for (name, kind, length, decimals), value in zip(fields, row):
            if value is None:
                text = ""
            elif kind == "N":
                text = f"{value:.{decimals}f}".rjust(length)
            else:
                text = str(value).ljust(length)
            data = text.encode("latin-1")
            assert len(data) <= length, (name, value)
            out += data.ljust(length, b" ")
    out += b"\x1a"
    path.write_bytes(bytes(out))
    return path

"""BEA state GDP and state personal income as BEA published them in July 2017 (data to 2016), before its later
revisions: the vintage a reader saw in 2017-18. BEA keeps only its current vintage; this one survives as a third
party's copy (Don Boyd's BEAData R package: data frames ``sgdp.a`` and ``spi.a``, saved from BEA's zip files on
2017-07-15), so its rows are graded as a third-party compilation.

The files are R ``.rda`` archives (an RData stream, bzip2-compressed); each must decompress to its end before it is
read, so a cut copy is refused rather than read short.
"""

from __future__ import annotations

import bz2
import csv
from pathlib import Path

import pandas as pd

from ._io import LayoutError
from ._spec import RawFileSpec, Source

SOURCE = Source(
    title="BEA state GDP and personal income, July 2017 vintage (third-party R copy)",
    labels={"bea_sgdp_2017": "BEA GDP by state, July 2017 vintage (BEAData R copy)",
            "bea_spi_2017": "BEA state personal income, July 2017 vintage (BEAData R copy)",
            "bea_sgdp_2017+bea_spi_2017": "U.S. Bureau of Economic Analysis, July 2017 vintage (BEAData R copy)"},
    what="state GDP, population and per-capita personal income as first published, data to 2016",
    definition="current dollars as BEA published them in July 2017 (revised since); ranks among 50 states",
    archived="mirror (a third party's copy)",
)
VINTAGE = "2017-07-15"
LANDING = "http://www.bea.gov/regional/downloadzip.cfm"
FILES = {  # source_id: (the BEA zip the copy was made from, file name, data frame name, columns it must have)
    "bea_sgdp_2017": ("http://www.bea.gov/regional/zip/gsp/gsp_naics_all.zip", "sgdp.a.rda", "sgdp.a",
                      ["stabbr", "year", "gdp"]),
    "bea_spi_2017": ("http://www.bea.gov/regional/zip/spi.zip", "spi.a.rda", "spi.a", ["stabbr", "year", "pcpi", "pop"]),
}
MAX_UNPACKED = 64 * 1024 * 1024  # these data frames unpack to well under 1 MB; a bigger stream is not this file


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(sid, VINTAGE, name, url, "any", LANDING) for sid, (url, name, _frame, _cols) in FILES.items()]


def _check_complete(path: Path) -> None:
    """The bzip2 stream must end (a cut copy would not) and unpack to an RData header within the bound."""
    decompressor, size = bz2.BZ2Decompressor(), 0
    with open(path, "rb") as handle:
        head = handle.read(3)
        if head != b"BZh":
            raise LayoutError(f"{path.name}: not a bzip2-compressed RData file (starts {head!r})")
        handle.seek(0)
        first = b""
        while chunk := handle.read(1 << 16):
            out = decompressor.decompress(chunk, max_length=MAX_UNPACKED - size + 1)
            first = first or out[:5]
            size += len(out)
            if size > MAX_UNPACKED:
                raise LayoutError(f"{path.name}: unpacks to more than {MAX_UNPACKED:,} bytes; refused")
            if decompressor.eof:
                break
    if not decompressor.eof:
        raise LayoutError(f"{path.name}: the bzip2 stream ends early: the file is cut short; fetch it again")
    if not first.startswith((b"RDX2", b"RDX3")):
        raise LayoutError(f"{path.name}: not an RData file (unpacks to {first!r})")


def states() -> pd.DataFrame:
    with open(Path(__file__).with_name("layouts") / "us_states.csv", newline="", encoding="utf-8") as handle:
        return pd.DataFrame(list(csv.DictReader(handle)))


def read(path: Path, source_id: str) -> pd.DataFrame:
    """The data frame's rows for the 50 states and DC: stabbr, geo_fips, geo_name, year and its value columns,
    with ``row`` (the data frame's row number, 1 = first)."""
    import pyreadr  # only this source needs it

    _check_complete(path)
    _url, _name, frame_name, columns = FILES[source_id]
    try:
        frames = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own types for damaged files
        raise LayoutError(f"{path.name}: not a readable RData file ({type(exc).__name__}: {exc})") from exc
    if frame_name not in frames or not set(columns) <= set(frames[frame_name].columns):
        found = {name: list(f.columns) for name, f in frames.items()}
        raise LayoutError(f"{path.name}: expected data frame {frame_name!r} with columns {columns}; found {found}")
    frame = frames[frame_name].reset_index(drop=True)
    frame = frame.assign(row=frame.index + 1, stabbr=frame["stabbr"].astype(str), year=frame["year"].astype(int))
    codes = states().rename(columns={"abbreviation": "stabbr", "fips": "geo_fips", "name": "geo_name"})
    out = frame.merge(codes, on="stabbr", how="inner")  # the U.S. and regional rows fall away
    if out["stabbr"].nunique() != 51:
        raise LayoutError(f"{path.name}: expected the 50 states and DC; found {out['stabbr'].nunique()}")
    return out[["stabbr", "geo_fips", "geo_name", "year", *columns[2:], "row"]]


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    return {resource.source_id: read(path, resource.source_id).assign(file_sha256=resource.sha256)}

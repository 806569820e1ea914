"""Readers shared by the source modules: worksheets, header checks, numbers, zip members.

They know file formats, not publishers: a source module says which sheet, row and header it expects.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pandas as pd


class LayoutError(ValueError):
    """A file is not laid out as its layout map says: names the file, sheet, row and what was expected."""


def clean(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def read_sheet(path: Path, sheet: str | int) -> pd.DataFrame:
    """A whole worksheet as objects, no header; frame row i is spreadsheet row i + 1."""
    try:
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="calamine")
    except ValueError as exc:  # missing sheet
        raise LayoutError(f"{path.name}: cannot read sheet {sheet!r} ({exc})") from exc
    except Exception as exc:  # calamine raises its own types for corrupt workbooks
        raise LayoutError(f"{path.name}: not a readable workbook ({type(exc).__name__}: {exc})") from exc


def header_columns(frame: pd.DataFrame, where: str, row: int, expected: dict[str, str]) -> dict[str, int]:
    """Find each expected header text in spreadsheet row ``row``; return field -> column index.

    Comparison ignores case and runs of white space (line breaks inside header cells drift by year).
    """
    if row - 1 >= len(frame):
        raise LayoutError(f"{where}: has {len(frame)} rows; the header was expected on row {row}")
    found = [clean(v) for v in frame.iloc[row - 1].tolist()]
    lowered = [v.lower() for v in found]
    columns = {}
    for field, text in expected.items():
        try:
            columns[field] = lowered.index(clean(text).lower())
        except ValueError:
            raise LayoutError(
                f"{where} row {row}: expected a header cell {text!r} (for {field}); found {[v for v in found if v]}"
            ) from None
    return columns


def to_number(value, where: str) -> float:
    """A numeric cell: numbers pass, numeric text with thousands separators is parsed, else an error."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if pd.isna(value):
            raise LayoutError(f"{where}: empty cell where a number was expected")
        return float(value)
    text = clean(value).replace(",", "").replace("$", "")
    try:
        return float(text)
    except ValueError:
        raise LayoutError(f"{where}: expected a number, found {value!r}") from None


MAX_MEMBER_BYTES = 2_000_000_000  # a statewide class-level year is about 150 MB unzipped
MAX_COMPRESSION_RATIO = 200  # text compresses 5-20x; a far higher ratio is a zip bomb


def zip_member(path: Path, pattern: str, max_bytes: int = MAX_MEMBER_BYTES) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    """Open a zip and find the one member whose file name matches ``pattern`` (a regex), safely.

    Nothing is extracted to disk. A member whose name climbs out of the folder ('..', an absolute
    path, a drive letter) or whose declared size is over ``max_bytes`` or implausibly compressed is
    refused, naming the member; so is a zip with no match or with several.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise LayoutError(f"{path.name}: not a readable zip ({exc})") from exc
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            archive.close()
            raise LayoutError(f"{path.name}: member {info.filename!r} points outside the archive; refusing the file")
    members = [i for i in archive.infolist() if re.fullmatch(pattern, Path(i.filename).name, flags=re.IGNORECASE)]
    if len(members) != 1:
        archive.close()
        raise LayoutError(f"{path.name}: expected one member matching {pattern!r}; found {[i.filename for i in archive.infolist()]}")
    info = members[0]
    if info.file_size > max_bytes:
        archive.close()
        raise LayoutError(f"{path.name}: member {info.filename} would unpack to {info.file_size:,} bytes, over the limit of {max_bytes:,}")
    if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
        archive.close()
        raise LayoutError(f"{path.name}: member {info.filename} is compressed {info.file_size / info.compress_size:,.0f} to 1; refusing a likely zip bomb")
    return archive, info


def read_zip_text(path: Path, pattern: str, max_bytes: int = MAX_MEMBER_BYTES, encoding: str = "utf-8-sig") -> str:
    """The text of the one member matching ``pattern`` (see :func:`zip_member`)."""
    archive, info = zip_member(path, pattern, max_bytes)
    with archive:
        data = archive.read(info)
    return data.decode(encoding)


def is_zip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def layout_rows(name: str) -> list[dict[str, str]]:
    """The rows of ``layouts/<name>.csv``: a source's layout drift, as data."""
    with open(Path(__file__).parent / "layouts" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def with_provenance(frame: pd.DataFrame, resource, locator: pd.Series | str, source_id: str | None = None) -> pd.DataFrame:
    """``frame`` with the provenance columns every processed row carries: source id, file sha256, locator."""
    return frame.assign(source_id=source_id or resource.source_id, file_sha256=resource.sha256, locator=locator)


def sheet_row_locator(data: pd.DataFrame) -> pd.Series:
    return "sheet '" + data["sheet"] + "' row " + data["row"].astype(str)


# Census Day school enrollment, as the FRPM files and the Census Day files both give it
ENROLLMENT_COLUMNS = ["school_year", "cds", "district", "school", "charter", "low_grade", "high_grade", "enrollment_k12",
                      "source_id", "file_sha256", "locator"]

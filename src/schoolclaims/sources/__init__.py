"""One module per publisher dataset: what files exist (specs), and how to read one (extract).

Extract functions know one publisher's format and nothing else; they return tidy frames with the
source's own values and a ``locator`` (sheet and row, or line) for every row.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class RawFileSpec:
    """A file the project archives: where the publisher serves it and where it goes in data/raw."""

    source_id: str
    vintage: str
    filename: str
    url: str
    expect: str  # what the bytes must look like: see schoolclaims.fetch.ACCEPTS
    landing: str = ""  # page to discover the current address from, when the publisher has one
    allowed_redirect_hosts: tuple[str, ...] = ()
    archived_only: bool = False  # the address is dead: fetch the latest good Internet Archive capture

    @property
    def rel_path(self) -> str:
        return f"{self.source_id}/{self.vintage}/{self.filename}"

    def path_for(self, kind: str) -> str:
        """Where bytes of the sniffed ``kind`` go: a workbook's name with the suffix its bytes have
        (a mirror may hold a CSV conversion of an official .xls, or the publisher may switch xls/xlsx)."""
        stem, suffix = Path(self.filename).stem, Path(self.filename).suffix.lower()
        if suffix in (".xls", ".xlsx"):
            if kind == "text":
                return f"{self.source_id}/{self.vintage}/{stem}.csv"
            if kind in ("xls", "xlsx") and suffix != f".{kind}":
                return f"{self.source_id}/{self.vintage}/{stem}.{kind}"
        return self.rel_path


_LABELS = {  # interim: moves into each source module with the registry
    "cde_current_expense": "California Department of Education, Current Expense of Education (EDP 365 / ADA)",
    "census_f33": "U.S. Census Bureau, Annual Survey of School System Finances (F-33) summary tables",
    "bea_sagdp1": "BEA SAGDP1", "bea_sainc1": "BEA SAINC1",
    "bea_sagdp1+bea_sainc1": "U.S. Bureau of Economic Analysis, SAGDP1 and SAINC1",
    "bls_cpi": "BLS CPI-U via the cpi package",
    "cde_directory": "California Department of Education, School Directory (June 2018)",
    "cde_frpm": "CDE FRPM files (Census Day K-12 enrollment)",
    "cde_j90_tsal1": "CDE Certificated Salaries & Benefits survey (J-90), TSAL1",
    "cde_j90_tsal2": "TSAL2 (column headings)",
    "cde_class_enrollment": "California Department of Education, ClassEnrollment",
    "cde_courses_taught": "CoursesTaught",
    "cde_assignment_codes": "the assignment code table",
    "cde_class_enrollment+cde_courses_taught+cde_assignment_codes":
        "California Department of Education, ClassEnrollment and CoursesTaught files with the assignment code table",
}


def labels(source_id: str) -> list[str]:
    """How charts and pages name the source(s) of a row: one label for a source id or a declared combination
    ('a+b'), else one per part; an undeclared id stands for itself."""
    if source_id in _LABELS:
        return [_LABELS[source_id]]
    return [_LABELS.get(part, part) for part in source_id.split("+")]


class LayoutError(ValueError):
    """A file is not laid out as its layout map says: names the file, sheet, row and what was expected."""


def _clean(value) -> str:
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
    found = [_clean(v) for v in frame.iloc[row - 1].tolist()]
    lowered = [v.lower() for v in found]
    columns = {}
    for field, text in expected.items():
        try:
            columns[field] = lowered.index(_clean(text).lower())
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
    text = _clean(value).replace(",", "").replace("$", "")
    try:
        return float(text)
    except ValueError:
        raise LayoutError(f"{where}: expected a number, found {value!r}") from None


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


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

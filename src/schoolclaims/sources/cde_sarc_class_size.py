"""CDE's own school-level average class size: the data behind each School Accountability Report Card (SARC).

Each year's "Downloadable SARC Data Files" page (https://www.cde.ca.gov/ta/ac/sa/accessdata{YYZZ}.asp) has a
row per SARC template table with its files; the rows whose table name starts with "Average Class Size" link
``acselm.dbf`` (elementary: by grade) and ``acssec.dbf`` (secondary: English, mathematics, science and social
science), each beside an ``.xls`` copy; later years post tab-delimited ``.txt`` files instead of ``.dbf``.
The files are small (a few MB): an online user gets CDE's school averages for Alliance and LAUSD schools
without the 1.7-million-row class-level files.

Definition (CDE's, not computed here): average class size and the number of classrooms in three size bands
(secondary 1-22, 23-32, 33+; SARC rules leave out classes of 50 or more). Column names are mapped in
layouts/cde_sarc_class_size.csv; they could not be confirmed offline, so a file whose header differs stops
with the expected and found names, and the map is the one place to correct.
"""

from __future__ import annotations

import io
import re
import struct
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd

from ..entities import LAUSD
from ..years import school_year_label
from ._io import LIMITS, LayoutError, check_dbf, clean, is_zip, layout_rows, looks_like_dbf
from ._spec import RawFileSpec, Source

LEVELS = {"cde_sarc_acs_elm": ("elementary", "acselm"), "cde_sarc_acs_sec": ("secondary", "acssec")}
SOURCE = Source(
    title="CDE SARC average class size",
    labels={"cde_sarc_acs_elm": "CDE SARC data files, average class size (elementary)",
            "cde_sarc_acs_sec": "CDE SARC data files, average class size (secondary)"},
    what="CDE's school averages by grade (elementary) and by core subject (secondary), LAUSD-authorized schools, 2012-13 to 2018-19",
    definition="average class size and classrooms in three size bands as CDE computed them for the SARC; classes of 50+ left out",
    archived="live only, not archived; layout map `sources/layouts/cde_sarc_class_size.csv` (not confirmed offline)",
    required=False,
)
LANDING = "https://www.cde.ca.gov/ta/ac/sa/accessdata{yy}{zz}.asp"
YEARS = tuple(range(2012, 2019))
PREFERENCE = (".dbf", ".txt", ".xlsx", ".xls")  # of a row's files, the first kind found is archived


def landing(year: int) -> str:
    return LANDING.format(yy=f"{year % 100:02d}", zz=f"{(year + 1) % 100:02d}")


def specs() -> list[RawFileSpec]:
    # the address is found on the year's page; until then the spec points at the page itself
    return [RawFileSpec(sid, school_year_label(y), f"{stem}.dbf", f"{landing(y)}#{stem}", "dbf", landing(y))
            for y in YEARS for sid, (_level, stem) in LEVELS.items()]


def discover(html: str, base: str) -> dict[str, str]:
    """'<source id>:<vintage>' -> the file of the page's "Average Class Size …" rows (elementary, secondary).

    The vintage is the page's own (accessdata1415.asp: 2014-15). Of a row's links the DBF is taken, else the
    tab-delimited text, else the workbook."""
    from bs4 import BeautifulSoup

    year = re.search(r"accessdata(\d\d)(\d\d)\.asp", base, re.IGNORECASE)
    if not year:
        return {}
    vintage = school_year_label(2000 + int(year.group(1)))
    found: dict[str, str] = {}
    for row in BeautifulSoup(html, "html.parser").find_all("tr"):
        cells = row.find_all(["td", "th"])
        name = clean(cells[0].get_text(" ")) if cells else ""
        if not name.lower().startswith("average class size"):
            continue
        level = "elementary" if "elementary" in name.lower() else "secondary" if "secondary" in name.lower() else ""
        sid = next((s for s, (lvl, _stem) in LEVELS.items() if lvl == level), None)
        links = [a["href"].strip() for a in row.find_all("a", href=True)]
        for suffix in PREFERENCE:
            chosen = next((h for h in links if h.split("?", 1)[0].lower().endswith(suffix)), None)
            if sid and chosen:
                found.setdefault(f"{sid}:{vintage}", urljoin(base, chosen))
                break
    return found


@lru_cache(maxsize=1)
def layouts() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in layout_rows("cde_sarc_class_size"):
        out.setdefault(row["level"], {})[row["field"]] = row["column"]
    return out


def read_table(path: Path) -> pd.DataFrame:
    """The file's records as text, whichever form CDE posted (DBF, tab-delimited text, workbook); ``line`` is
    the record number (DBF), the file line (text) or the spreadsheet row (workbook)."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    if looks_like_dbf(path):
        check_dbf(path)  # bounds and completeness first: dbfread trusts the header (a cut record reads as whole)
        from dbfread import DBF
        from dbfread.exceptions import DBFNotFound, MissingMemoFile

        try:
            table = DBF(str(path), encoding="latin-1", char_decode_errors="strict", load=True, ignore_missing_memofile=True)
        except (DBFNotFound, MissingMemoFile, ValueError, struct.error) as exc:
            raise LayoutError(f"{path.name}: not a readable DBF table ({exc})") from exc
        frame = pd.DataFrame(list(table.records), columns=table.field_names)
        frame = frame.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else
                          (f"{v:g}" if isinstance(v, float) else clean(v)))
        return frame.assign(line=range(1, len(frame) + 1))
    if is_zip(path) or head.startswith(b"\xd0\xcf\x11\xe0"):
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="calamine")
        return frame.assign(line=range(2, len(frame) + 2))
    size = path.stat().st_size
    if size > LIMITS["text_table_bytes"]:  # read whole below: refused before a byte is read
        raise LayoutError(f"{path.name}: {size:,} bytes, over the limit of {LIMITS['text_table_bytes']:,} for a SARC "
                          "table posted as text; refused")
    text = path.read_bytes().decode("latin-1")
    frame = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)
    return frame.assign(line=range(2, len(frame) + 2))


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    level, _stem = LEVELS[resource.source_id]
    return {"sarc_class_size": class_sizes(path, level, resource.vintage).assign(
        source_id=resource.source_id, file_sha256=resource.sha256)}


def class_sizes(path: Path, level: str, school_year: str) -> pd.DataFrame:
    """One row per school × grade (elementary) or subject (secondary): school_year, level, cds, school,
    grade_or_subject, average_class_size, classrooms in the three bands, the bands' labels, locator."""
    frame = read_table(path)
    layout = {f: c for f, c in layouts()[level].items() if f != "bands"}
    header = {c.upper(): c for c in frame.columns}
    missing = [c for c in layout.values() if c.upper() not in header]
    if missing:
        raise LayoutError(f"{path.name}: expected {level} average-class-size columns {missing} "
                          f"(see sources/layouts/cde_sarc_class_size.csv); found {[c for c in frame.columns if c != 'line']}")
    out = pd.DataFrame({field: frame[header[column.upper()]].astype(str).str.strip() for field, column in layout.items()})
    out["line"] = frame["line"].to_numpy()
    out = out[out["cds"] != ""]
    bad = out[~out["cds"].str.fullmatch(r"\d{13,14}")]
    if len(bad):
        raise LayoutError(f"{path.name} record {bad.iloc[0]['line']}: CDS {bad.iloc[0]['cds']!r} is not a 14-digit code")
    out["cds"] = out["cds"].str.zfill(14)
    for field in ("average_class_size", "band_1", "band_2", "band_3"):
        values = pd.to_numeric(out[field].str.replace(",", ""), errors="coerce")
        wrong = out[values.isna() & (out[field] != "")]
        if len(wrong):
            raise LayoutError(f"{path.name} record {wrong.iloc[0]['line']}: {layout[field]} {wrong.iloc[0][field]!r} is not a number")
        out[field] = values
    kind = "DBF record" if path.suffix.lower() == ".dbf" else "line"
    return pd.DataFrame({
        "school_year": school_year, "level": level, "cds": out["cds"], "school": out["school"],
        "grade_or_subject": out["grade_or_subject"], "average_class_size": out["average_class_size"],
        "classrooms_band_1": out["band_1"], "classrooms_band_2": out["band_2"], "classrooms_band_3": out["band_3"],
        "bands": layouts()[level]["bands"].replace("|", ", "), "locator": f"{path.name} {kind} " + out["line"].astype(str),
    }).reset_index(drop=True)


def lausd_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of schools under LAUSD's district code: its own schools and the charters it authorizes (Alliance's)."""
    return frame[frame["cds"].str.startswith(LAUSD.district_code)]

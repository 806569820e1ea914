"""NCES Common Core of Data 2015-16 for every U.S. charter school, as a third party built it: second-hand.

The file is Jaren Haber's (UC Berkeley) post-processing output for "Sorting Schools" (Sociology of Education 94(1),
2021), in the repository comp-strat/sorting-schools-2020: one row per charter school operating in 2015-16 with a
website (5,796 rows, 100 columns). The columns read here come from NCES's CCD Public School Universe Survey 2015-16:
``ncessch`` (NCES school id, stored as an integer without its leading zero), ``state``, ``cmoname`` (the charter
management organization as the third party coded it), ``level``, ``students`` (CCD 2015-16 membership),
``teachersccd`` (CCD 2015-16 full-time-equivalent teachers) and ``geodistrict`` (the NCES id of the school district
the school sits in; LAUSD's is 0622710). Students per FTE teacher is a staffing ratio, not class size.

The official CCD 2015-16 school staff file is ``ccd_sch_059_1516_w_2a_011717.csv`` (sha256
713334e06c7600a852827572fdf41ac3846652bab2e290f34715a835355c9440 of the CSV, as a public repository's large-file
pointer records it), served zipped by NCES at https://nces.ed.gov/ccd/Data/zip/ccd_sch_059_1516_w_2a_011717_csv.zip
(listed on https://nces.ed.gov/ccd/files.asp, 2015-16, School, "Staff"; the address as stored copies of several
projects' download scripts give it, not checked live from here): it holds every school's FTE teachers, the
LAUSD-operated schools' included, and is not archived here; no stored copy of its rows was found.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._io import LayoutError, with_provenance
from ._spec import RawFileSpec, Source

SOURCE_ID = "ccd_charters_1516"
SOURCE = Source(
    title="NCES CCD 2015-16 charter schools, third-party file",
    labels={SOURCE_ID: "NCES Common Core of Data 2015-16 (charter schools; a third party's file, second-hand)"},
    what="every U.S. charter school operating in 2015-16 (with a website): CCD membership, FTE teachers, the charter "
         "management organization, the district it sits in",
    definition="students ÷ FTE teachers = **pupils per teacher** (a staffing ratio, not class size); schools outside "
               "10-35 pupils per teacher are flagged and left out of sums",
    archived="mirror (second-hand: comp-strat/sorting-schools-2020; the official CCD staff file "
             "`ccd_sch_059_1516_w_2a_011717.csv` is not archived)",
)
REPOSITORY = "comp-strat/sorting-schools-2020"
COMMIT = "1580167b739cca8918433c6b80229f0ced60c2f9"
FILE = "charter_schools_data_no_imputations.csv"
URL = f"https://raw.githubusercontent.com/{REPOSITORY}/{COMMIT}/data/{FILE}"
OFFICIAL_STAFF_FILE = ("ccd_sch_059_1516_w_2a_011717.csv",
                       "713334e06c7600a852827572fdf41ac3846652bab2e290f34715a835355c9440",
                       "https://nces.ed.gov/ccd/Data/zip/ccd_sch_059_1516_w_2a_011717_csv.zip")  # member, its sha256, the zip
COLUMNS = {"ncessch": "ncessch", "state": "state", "cmo_name": "cmoname", "level": "level", "students": "students",
           "teacher_fte": "teachersccd", "nces_district": "geodistrict"}


def specs() -> list[RawFileSpec]:
    """The file where the third party serves it (its repository at the commit the mirror took it from)."""
    return [RawFileSpec(SOURCE_ID, "2015-16", FILE, URL, "text")]


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    data = read(path)
    return {"ccd_charters": with_provenance(data, resource, "line " + data["line"].astype(str))}


def read(path: Path) -> pd.DataFrame:
    """One row per charter school: NCES ids as 12- and 7-digit text, students and FTE teachers as numbers (blank:
    missing)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS.values() if c not in frame.columns]
    if missing:
        raise LayoutError(f"{path.name} line 1: expected columns {missing}; found {list(frame.columns)[:12]}…")
    out = pd.DataFrame({name: frame[column].str.strip() for name, column in COLUMNS.items()})
    out["line"] = range(2, len(out) + 2)
    for name, width in (("ncessch", 12), ("nces_district", 7)):
        digits = out[name].str.replace(r"\.0+$", "", regex=True)
        bad = out[~digits.str.fullmatch(r"\d{%d,%d}" % (width - 1, width))]
        if len(bad):
            raise LayoutError(f"{path.name} line {bad.iloc[0]['line']}: {COLUMNS[name]} {bad.iloc[0][name]!r} is not an NCES id")
        out[name] = digits.str.zfill(width)
    for name in ("students", "teacher_fte"):
        values = pd.to_numeric(out[name].replace("", None), errors="coerce")
        bad = out[values.isna() & (out[name] != "")]
        if len(bad):
            raise LayoutError(f"{path.name} line {bad.iloc[0]['line']}: {COLUMNS[name]} {bad.iloc[0][name]!r} is not a number")
        out[name] = values.round(2)  # Stata-exported floats: 44.259998 is 44.26
    if len(out) < 5_000:
        raise LayoutError(f"{path.name}: only {len(out)} charter schools; the file lists 5,796")
    return out

"""CDE Certificated Salaries & Benefits survey (Form J-90): district salary schedules' summary.

TSAL1: one row per district: ADA, number of days, the schedule's BA column, highest step and column,
minimum and maximum schedule salary, teacher FTE, degree stipends, benefits. TSAL2: the schedule's
column headings. Landing: https://www.cde.ca.gov/ds/fd/cs/ (one set of files a year).

Formats by year, as CDE ships them (readmes at https://www3.cde.ca.gov/ds-downloads/fd/cs/readdb{YYZZ}.txt):
up to 2012-13 a self-extracting zip ``j90{YYZZ}.exe`` of quote-and-comma text files (fixdinfo, colmhdgs,
salxstep, beneinfo); 2016-17 a self-extracting zip holding an Access database ``j901617.mdb`` (table ``TSAL117``:
CDS, TS1_Dname, TS1_Type, TS1_ADA, TS1_BACol, TS1_Ndays, TS1_Minsal, TS1_Maxsal, TS1_totfte, …), read with
mdbtools' ``mdb-export`` (Debian package ``mdbtools``); 2020-21 lower-case ``ts1_*`` CSV files. For 2014-15 and
2015-16 the readmes were not readable offline: the reader looks inside the zip and reads the database or the
text files it finds (layouts/cde_j90.csv records what is confirmed).

Limits, stated wherever these figures are used: charter schools (Alliance included) do not file J-90;
the minimum is the lowest cell of the district's schedule, which for LAUSD is its L table (alternative
certification), not a credentialed BA start; amounts are schedule amounts, not what teachers are paid.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
from bs4 import BeautifulSoup

from ..years import school_year_label
from ._io import LIMITS, IncompleteFile, LayoutError, layout_rows, open_member, read_member
from ._spec import RawFileSpec, Source

SOURCE = Source(
    title="CDE J-90 salary survey",
    labels={"cde_j90_tsal1": "CDE Certificated Salaries & Benefits survey (J-90), TSAL1",
            "cde_j90_tsal2": "TSAL2 (column headings)",
            "cde_j90_db": "CDE Certificated Salaries & Benefits survey (J-90), database as published"},
    what="every district's schedule minimum and maximum, days, teacher FTE, degree stipends, column headings, "
         "2020-21; 2014-15 to 2016-17 as published (self-extracting zip: Access database or text files)",
    definition="schedule amounts; the minimum is the lowest column (for LAUSD a non-credentialed column, its L table); "
               "charters do not file J-90",
    archived="2020-21 from the mirror (found by sha256: the mirror lists no official address); 2014-15 to 2016-17 live "
             "only (the Access database needs mdbtools)",
    live_only=("cde_j90_db",),
)
LANDING = "https://www.cde.ca.gov/ds/fd/cs/"
URL_PATTERN = "https://www.cde.ca.gov/ds/fd/cs/documents/tsal{n}{yy}.csv"  # pattern; the landing page decides
YEARS = (2020,)  # archived (mirror); other years: add them here and fetch online
FILES = {"cde_j90_tsal1": 1, "cde_j90_tsal2": 2}
TSAL1 = {"county_code": "county", "district_code": "district", "cds": "cds", "district": "ts1_dname",
         "county": "ts1_county", "ada": "ts1_ada", "ba_column": "ts1_bacol", "days": "ts1_ndays",
         "highest_step": "ts1_hstep", "highest_column": "ts1_hcol", "min_salary": "ts1_minsal",
         "max_salary": "ts1_maxsal", "teacher_fte": "ts1_totfte", "ma_stipend": "ts1_mbonam",
         "doctorate_stipend": "ts1_dbonam", "effective_date": "ts1_effdat"}
NUMBERS = ["ada", "ba_column", "days", "highest_step", "highest_column", "min_salary", "max_salary", "teacher_fte",
           "ma_stipend", "doctorate_stipend"]


DB_SOURCE_ID = "cde_j90_db"
DB_URL = "https://www3.cde.ca.gov/ds-downloads/fd/cs/j90{yyzz}.exe"  # pattern (beside the readdbYYZZ.txt readmes)
DB_YEARS = (2014, 2015, 2016)


def _yyzz(year: int) -> str:
    return f"{year % 100:02d}{(year + 1) % 100:02d}"


def specs() -> list[RawFileSpec]:
    out = [RawFileSpec(sid, school_year_label(y), f"tsal{n}{(y + 1) % 100:02d}.csv",
                       URL_PATTERN.format(n=n, yy=f"{(y + 1) % 100:02d}"), "text", LANDING)
           for y in YEARS for sid, n in FILES.items()]
    out += [RawFileSpec(DB_SOURCE_ID, school_year_label(y), f"j90{_yyzz(y)}.exe", DB_URL.format(yyzz=_yyzz(y)), "exe", LANDING)
            for y in DB_YEARS]
    return out


def discover(html: str, base: str) -> dict[str, str]:
    """'<source id>:<vintage>' -> address of each TSAL file (two a year) and each year's database
    (``j90YYZZ.exe``) linked from the landing page."""
    found = {}
    for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        match = re.search(r"tsal([12])(\d{2})\.\w+$", link["href"], flags=re.IGNORECASE)
        if match:
            end = 2000 + int(match.group(2))
            found[f"cde_j90_tsal{match.group(1)}:{school_year_label(end - 1)}"] = urljoin(base, link["href"])
        match = re.search(r"j90_?(\d{2})(\d{2})\.exe$", link["href"], flags=re.IGNORECASE)
        if match and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
            found[f"{DB_SOURCE_ID}:{school_year_label(2000 + int(match.group(1)))}"] = urljoin(base, link["href"])
    return found


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    if resource.source_id == DB_SOURCE_ID:
        summary, headings = read_database(path, resource.vintage)
        out = {"j90_summary": summary.assign(file_sha256=resource.sha256)}
        if headings is not None:
            out["j90_headings"] = headings.assign(file_sha256=resource.sha256)
        return out
    if resource.source_id == "cde_j90_tsal1":
        return {"j90_summary": district_summary(path, resource.vintage).assign(file_sha256=resource.sha256)}
    return {"j90_headings": column_headings(path, resource.vintage).assign(file_sha256=resource.sha256)}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(path.read_bytes().decode("utf-8-sig", errors="replace")), dtype=str, keep_default_na=False)


def district_summary(path: Path, school_year: str) -> pd.DataFrame:
    """TSAL1: one row per district with the fields above (numbers as floats), and its CSV line."""
    return _summary(_read(path), path.name, school_year)


def _summary(frame: pd.DataFrame, name: str, school_year: str) -> pd.DataFrame:
    path = Path(name)  # names the file (or the database table) in messages
    missing = [c for c in TSAL1.values() if c not in frame.columns]
    if missing:
        raise LayoutError(f"{path.name} line 1: expected TSAL1 columns {missing}; found {list(frame.columns)[:16]}…")
    out = pd.DataFrame({field: frame[column].str.strip() for field, column in TSAL1.items()})
    out["line"] = frame.index + 2
    for column in NUMBERS:
        values = pd.to_numeric(out[column], errors="coerce")
        bad = out[values.isna() & (out[column] != "")]
        if len(bad):
            raise LayoutError(f"{path.name} line {bad.iloc[0]['line']}: {TSAL1[column]} {bad.iloc[0][column]!r} is not a number")
        out[column] = values
    out["cds"] = out["cds"].str.zfill(7)
    out["school_year"] = school_year
    if len(out) < 300:
        raise LayoutError(f"{path.name}: only {len(out)} districts; TSAL1 lists every district that filed (about 800)")
    wrong = out[(out["max_salary"] < out["min_salary"])]
    if len(wrong):
        raise LayoutError(f"{path.name} line {wrong.iloc[0]['line']}: maximum salary below the minimum")
    return out


def column_headings(path: Path, school_year: str) -> pd.DataFrame:
    """TSAL2: cds, column number and the heading text (its pieces joined)."""
    return _headings(_read(path), path, school_year)


def _headings(frame: pd.DataFrame, path: Path, school_year: str) -> pd.DataFrame:
    needed = ["cds", "ts2_col", "ts2_col1", "ts2_col1a", "ts2_col2", "ts2_col3", "ts2_col3a"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise LayoutError(f"{path.name} line 1: expected TSAL2 columns {missing}; found {list(frame.columns)}")
    heading = frame[needed[2:]].apply(lambda r: " ".join(v.strip() for v in r if v.strip()), axis=1)
    return pd.DataFrame({"school_year": school_year, "cds": frame["cds"].str.zfill(7),
                         "column": pd.to_numeric(frame["ts2_col"]).astype(int), "heading": heading, "line": frame.index + 2})


# -- the databases as published: a self-extracting zip of an Access database or of text files ----------------

MDB_EXPORT = "mdb-export"
MAX_DB_BYTES = LIMITS["j90_member_bytes"]
MDB_TIMEOUT = 300  # seconds an mdbtools program may take on one database (the 2016-17 one takes about 1 s)


def formats() -> dict[str, dict[str, str]]:
    """School year -> {format, tsal1, tsal2, confirmed}: layouts/cde_j90.csv."""
    return {row["school_year"]: row for row in layout_rows("cde_j90")}


def read_database(path: Path, school_year: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """TSAL1 (and TSAL2 where the database has it) of a year's ``j90YYZZ.exe``, in the shape of the CSV files:
    lower-case ``ts1_*`` columns. The zip inside the program is read directly; what it holds decides the reader."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise LayoutError(f"{path.name}: not a self-extracting zip ({exc})") from exc
    with archive:
        names = [i.filename for i in archive.infolist()]
        if any(n.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", n) or ".." in n.replace("\\", "/").split("/") for n in names):
            raise LayoutError(f"{path.name}: a member points outside the archive; refusing the file")
        databases = [n for n in names if n.lower().endswith((".mdb", ".accdb"))]
        if databases:
            return _from_access(archive, databases[0], path, school_year)
        texts = {Path(n).stem.lower(): n for n in names if n.lower().endswith(".txt")}
        if "fixdinfo" in texts:
            return _from_text(archive, texts, path, school_year)
    raise LayoutError(f"{path.name}: holds neither an Access database nor the fixdinfo text file; found {names}")


def _table_names(school_year: str) -> tuple[str, str]:
    row = formats().get(school_year, {})
    yy = school_year[5:7]
    return row.get("tsal1") or f"TSAL1{yy}", row.get("tsal2") or f"TSAL2{yy}"


def _from_access(archive: zipfile.ZipFile, member: str, path: Path, school_year: str):
    binary = shutil.which(MDB_EXPORT)
    if binary is None:
        raise LayoutError(f"{path.name} holds the Access database {member}: reading it needs mdbtools' {MDB_EXPORT}, "
                          f"which is not installed (Debian/Ubuntu: apt-get install mdbtools; macOS: brew install mdbtools)")
    info = archive.getinfo(member)
    if info.file_size > MAX_DB_BYTES:
        raise LayoutError(f"{path.name}: {member} would unpack to {info.file_size:,} bytes, over the limit of {MAX_DB_BYTES:,}")
    tsal1, tsal2 = _table_names(school_year)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "j90.mdb"
        with open_member(archive, info, path) as source, open(database, "wb") as target:
            copied = 0
            while block := source.read(1 << 20):
                copied += len(block)
                if copied > MAX_DB_BYTES:  # more than the member declared: zipfile stops at the declared size
                    raise LayoutError(f"{path.name}: {member} unpacks to more than {MAX_DB_BYTES:,} bytes; refused")
                target.write(block)
        tables = _mdb(binary, ["mdb-tables", "-1"], database, path, member)
        available = {t.strip().lower(): t.strip() for t in tables.splitlines() if t.strip()}
        if tsal1.lower() not in available:
            raise LayoutError(f"{path.name} ({member}): no table {tsal1}; the database holds {sorted(available.values())}")
        summary = _summary(_export(binary, database, available[tsal1.lower()], path, member), f"{member} table {tsal1}", school_year)
        headings = None
        if tsal2.lower() in available:
            headings = _headings(_export(binary, database, available[tsal2.lower()], path, member), Path(f"{member} table {tsal2}"), school_year)
    return summary, headings


def _run(program: str, args: list[str], path: Path, member: str) -> str:
    """Run an mdbtools program; its output as text, or an error naming the file and what the program said."""
    try:
        done = subprocess.run([program, *args], capture_output=True, timeout=MDB_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise LayoutError(f"{path.name} ({member}): {Path(program).name} did not finish within {MDB_TIMEOUT} s; the "
                          "database may be damaged: fetch the file again") from None
    except OSError as exc:
        raise LayoutError(f"{path.name} ({member}): cannot run {Path(program).name} ({exc})") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()[:300] or f"exit status {done.returncode}"
        raise LayoutError(f"{path.name} ({member}): {Path(program).name} could not read the database: {said}")
    return done.stdout.decode("latin-1")


def _mdb(binary: str, command: list[str], database: Path, path: Path, member: str) -> str:
    """``mdb-tables -1`` (which sits beside mdb-export) on the database."""
    return _run(str(Path(binary).with_name(command[0])), [*command[1:], str(database)], path, member)


def _export(binary: str, database: Path, table: str, path: Path, member: str) -> pd.DataFrame:
    """A table as mdb-export writes it (CSV, header row), its column names lower-cased as in the later CSV files."""
    text = _run(binary, ["-D", "%Y-%m-%d", str(database), table], path, member)
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).rename(columns=str.lower)


def _from_text(archive: zipfile.ZipFile, texts: dict[str, str], path: Path, school_year: str):
    """The quote-and-comma text files: fixdinfo (TSAL1's fields) and colmhdgs (TSAL2's). They are read by their
    header row; a file without one is refused (its field order is in that year's readme, not mapped here)."""
    def frame(stem: str) -> pd.DataFrame:
        text = read_member(archive, archive.getinfo(texts[stem]), path, MAX_DB_BYTES).decode("latin-1")
        data = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
        data.columns = [c.strip().lower() for c in data.columns]
        if "cds" not in data.columns:
            raise LayoutError(f"{path.name} ({texts[stem]}): no header row naming CDS and the ts1_/ts2_ fields; "
                              f"found {list(data.columns)[:8]} (the field order in readdb{school_year[2:4]}{school_year[5:7]}.txt is not mapped here)")
        return data

    summary = _summary(frame("fixdinfo"), texts["fixdinfo"], school_year)
    headings = _headings(frame("colmhdgs"), Path(texts["colmhdgs"]), school_year) if "colmhdgs" in texts else None
    return summary, headings


def check_together(frames: dict[str, pd.DataFrame]) -> None:
    """TSAL1 and TSAL2 of one year list the same districts (CDE ships them together): a district with a summary row
    but no column headings, or the reverse, means one file was cut short or damaged, so neither is used."""
    summary, headings = frames.get("j90_summary"), frames.get("j90_headings")
    if summary is None or headings is None or not len(summary) or not len(headings):
        return
    for year in sorted(set(summary["school_year"]) & set(headings["school_year"])):
        listed = set(summary.loc[summary["school_year"] == year, "cds"])
        headed = set(headings.loc[headings["school_year"] == year, "cds"])
        if listed != headed:
            only1, only2 = sorted(listed - headed), sorted(headed - listed)
            raise IncompleteFile(
                f"J-90 {year}: TSAL1 and TSAL2 do not list the same districts ({len(only1)} only in TSAL1, e.g. "
                f"{only1[:3]}; {len(only2)} only in TSAL2, e.g. {only2[:3]}): one file is cut short or damaged; "
                "fetch both again (`schoolclaims fetch cde_j90_tsal1 cde_j90_tsal2 --refresh --replace`)")

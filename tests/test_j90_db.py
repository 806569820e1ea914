"""J-90 2014-15 to 2016-17 as CDE ships them: a self-extracting zip holding an Access database (read with
mdbtools) or quote-and-comma text files. mdbtools is stood in for by scripts printing its output for the real
table layout; where the real binary is needed the test skips, saying so."""

from __future__ import annotations

import io
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from schoolclaims.sources import LayoutError, cde_j90, file_ids
from helpers import resource

FIXTURES = Path(__file__).parent / "fixtures" / "j90"


def self_extracting(tmp_path: Path, members: dict[str, bytes], name: str = "j901617.exe") -> Path:
    """A program stub followed by a zip, as CDE's j90YYZZ.exe files are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    path = tmp_path / name
    path.write_bytes(b"MZ" + b"\x90\x00" * 256 + b"This program cannot be run in DOS mode.\r\n" + b"\x00" * 512 + buffer.getvalue())
    return path


PUBLISHED = {"j901617readme.docx": b"PK readme", "2016-17 Summary Report.pdf": b"%PDF-1.4 summary", "j901617.mdb": b"\x00\x01\x00\x00Standard Jet DB\x00"}


@pytest.fixture
def fake_mdbtools(tmp_path, monkeypatch):
    """mdb-tables and mdb-export stand-ins printing the fixture tables (the real ones read the .mdb)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    scripts = {
        "mdb-tables": "#!/bin/sh\nprintf 'MSysObjects\\nTSAL117\\nTSAL217\\nTSAL317\\n'\n",
        "mdb-export": f"#!/bin/sh\n# mdb-export -D FORMAT DATABASE TABLE\ntest -s \"$3\" || exit 1\ncat \"{FIXTURES}/$4.csv\"\n",
    }
    for name, text in scripts.items():
        (folder / name).write_text(text)
        (folder / name).chmod((folder / name).stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return folder


def test_the_database_years_are_specified_as_published():
    specs = [s for s in cde_j90.specs() if s.source_id == "cde_j90_db"]
    assert [(s.vintage, s.filename, s.expect) for s in specs] == [
        ("2014-15", "j901415.exe", "exe"), ("2015-16", "j901516.exe", "exe"), ("2016-17", "j901617.exe", "exe")]
    assert specs[-1].url == "https://www3.cde.ca.gov/ds-downloads/fd/cs/j901617.exe"
    assert "cde_j90_db" not in file_ids(required=True)  # live only: the build does without it


def test_the_landing_page_links_each_year_s_database():
    html = ('<a href="/ds/fd/cs/documents/tsal121.csv">TSAL1</a><a href="https://www3.cde.ca.gov/ds-downloads/fd/cs/j901617.exe">2016-17</a>'
            '<a href="https://www3.cde.ca.gov/ds-downloads/fd/cs/readdb1617.txt">readme</a><a href="/ds/fd/cs/j90_0506.exe">2005-06</a>')
    found = cde_j90.discover(html, "https://www.cde.ca.gov/ds/fd/cs/")
    assert found["cde_j90_db:2016-17"] == "https://www3.cde.ca.gov/ds-downloads/fd/cs/j901617.exe"
    assert found["cde_j90_db:2005-06"].endswith("/j90_0506.exe") and "cde_j90_tsal1:2020-21" in found


def test_the_access_database_is_read_through_mdbtools(tmp_path, fake_mdbtools):
    path = self_extracting(tmp_path, PUBLISHED)
    frames = cde_j90.extract(resource("cde_j90_db", "2016-17"), path)
    summary = frames["j90_summary"]
    assert len(summary) == 320
    lausd = summary[summary["cds"] == "1964733"].iloc[0]
    assert (lausd["district"], lausd["min_salary"], lausd["max_salary"], lausd["days"], lausd["teacher_fte"]) == (
        "Los Angeles Unified", 45000, 87000, 180, 25000)
    assert (lausd["ma_stipend"], lausd["doctorate_stipend"], lausd["school_year"]) == (584, 1168, "2016-17")
    headings = frames["j90_headings"]
    assert headings[headings["cds"] == "1964733"]["heading"].tolist() == ["L Table", "BA"]


def test_without_mdbtools_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on PATH
    with pytest.raises(LayoutError, match=r"j901617\.exe holds the Access database j901617\.mdb: reading it needs mdbtools' mdb-export, "
                                          r"which is not installed \(Debian/Ubuntu: apt-get install mdbtools"):
        cde_j90.read_database(self_extracting(tmp_path, PUBLISHED), "2016-17")


def test_a_database_without_the_year_s_table_names_what_it_holds(tmp_path, fake_mdbtools):
    with pytest.raises(LayoutError, match=r"no table TSAL115; the database holds \['MSysObjects', 'TSAL117', 'TSAL217', 'TSAL317'\]"):
        cde_j90.read_database(self_extracting(tmp_path, {"j901415.mdb": b"db"}, "j901415.exe"), "2014-15")


@pytest.mark.skipif(shutil.which("mdb-export") is None, reason="mdbtools is not installed (mdb-export absent): Debian package mdbtools")
def test_real_mdbtools_refuses_a_file_that_is_no_database(tmp_path):
    with pytest.raises(LayoutError, match=r"j901617\.exe \(j901617\.mdb\): mdb-tables could not read the database"):
        cde_j90.read_database(self_extracting(tmp_path, {"j901617.mdb": b"not an access database" * 100}), "2016-17")


def test_text_files_with_a_header_row_are_read(tmp_path):
    text = (FIXTURES / "TSAL117.csv").read_bytes()
    path = self_extracting(tmp_path, {"fixdinfo.txt": text, "colmhdgs.txt": (FIXTURES / "TSAL217.csv").read_bytes()}, "j901415.exe")
    summary, headings = cde_j90.read_database(path, "2014-15")
    assert len(summary) == 320 and len(headings) == 321


def test_text_files_without_a_header_row_are_refused_with_the_readme_named(tmp_path):
    rows = b"\n".join((FIXTURES / "TSAL117.csv").read_bytes().splitlines()[1:])
    with pytest.raises(LayoutError, match=r"fixdinfo\.txt\): no header row .* readdb1415\.txt is not mapped here"):
        cde_j90.read_database(self_extracting(tmp_path, {"fixdinfo.txt": rows}, "j901415.exe"), "2014-15")


def test_a_zip_with_neither_is_refused(tmp_path):
    with pytest.raises(LayoutError, match=r"holds neither an Access database nor the fixdinfo text file; found \['readme.txt'\]"):
        cde_j90.read_database(self_extracting(tmp_path, {"readme.txt": b"hello"}, "j901516.exe"), "2015-16")


def test_the_self_extracting_zip_is_fetched_as_published(httpserver, tmp_path):
    from schoolclaims.acquire.archive import Archive
    from schoolclaims.acquire.fetch import fetch_files
    from schoolclaims.sources import RawFileSpec
    from helpers import quiet_session

    body = self_extracting(tmp_path, PUBLISHED).read_bytes()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/ds/fd/cs/").respond_with_data('<a href="/ds-downloads/fd/cs/j901617.exe">2016-17</a>', content_type="text/html")
    httpserver.expect_request("/ds-downloads/fd/cs/j901617.exe").respond_with_data(body)
    spec = next(s for s in cde_j90.specs() if s.source_id == "cde_j90_db" and s.vintage == "2016-17")
    local = RawFileSpec(spec.source_id, spec.vintage, spec.filename, "https://www.cde.ca.gov/unreachable.exe", spec.expect,
                        httpserver.url_for("/ds/fd/cs/"))
    archive = Archive(tmp_path / "raw")
    assert fetch_files([local], archive=archive, session=quiet_session(), mirrors=[], log=lambda s: None) == []
    [stored] = Archive(tmp_path / "raw").for_source("cde_j90_db")
    assert stored.path == "cde_j90_db/2016-17/j901617.exe" and (tmp_path / "raw" / stored.path).read_bytes() == body

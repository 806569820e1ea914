"""CDE's SARC average class size: link discovery on a copy of the page's table, DBF extract on small fixtures,
the processed table (LAUSD-authorized schools only; header-only when nothing is archived)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from schoolclaims.sources import LayoutError, cde_sarc_class_size as sarc
from schoolclaims.transform import class_size
from helpers import resource

FIXTURES = Path(__file__).parent / "fixtures" / "sarc"


def test_the_average_class_size_rows_are_found_and_the_dbf_preferred():
    page = (FIXTURES / "accessdata1011.html").read_text()
    found = sarc.discover(page, "https://www.cde.ca.gov/ta/ac/sa/accessdata1011.asp")
    assert found == {"cde_sarc_acs_elm:2010-11": "https://www.cde.ca.gov/ta/ac/sa/documents/acselm.dbf",
                     "cde_sarc_acs_sec:2010-11": "https://www.cde.ca.gov/ta/ac/sa/documents/acssec.dbf"}


def test_a_later_page_without_dbf_gives_the_text_file():
    page = (FIXTURES / "accessdata1011.html").read_text().replace("acssec.dbf", "acssec.txt").replace("acselm.dbf", "acselm.txt")
    found = sarc.discover(page, sarc.landing(2015))
    assert found["cde_sarc_acs_sec:2015-16"].endswith("/documents/acssec.txt")
    assert sarc.discover(page, "https://www.cde.ca.gov/ta/ac/sa/") == {}  # not a year's page


def test_specs_point_at_each_year_s_page():
    specs = sarc.specs()
    assert len(specs) == 2 * 7
    spec = next(s for s in specs if (s.source_id, s.vintage) == ("cde_sarc_acs_sec", "2015-16"))
    assert spec.landing == "https://www.cde.ca.gov/ta/ac/sa/accessdata1516.asp" and spec.filename == "acssec.dbf"


def test_the_committed_fixtures_are_what_the_generator_writes(tmp_path):
    sys.path.insert(0, str(FIXTURES))
    import make_fixtures

    for path in make_fixtures.write(tmp_path):
        assert path.read_bytes() == (FIXTURES / path.name).read_bytes()


def test_secondary_dbf_extract():
    rows = sarc.extract(resource("cde_sarc_acs_sec", "2015-16"), FIXTURES / "acssec.dbf")["sarc_class_size"]
    burton = rows[(rows["cds"] == "19647330108894") & (rows["grade_or_subject"] == "Mathematics")].iloc[0]
    assert (burton["average_class_size"], burton["classrooms_band_1"], burton["classrooms_band_2"], burton["classrooms_band_3"]) == (29.0, 1, 10, 4)
    assert burton["bands"] == "1-22, 23-32, 33+" and burton["locator"] == "acssec.dbf DBF record 2"
    assert burton["school"] == "Alliance Judy Ivie Burton Technology Academy High"
    assert rows["source_id"].unique().tolist() == ["cde_sarc_acs_sec"] and len(rows) == 4


def test_elementary_blank_cells_stay_missing():
    rows = sarc.class_sizes(FIXTURES / "acselm.dbf", "elementary", "2015-16")
    rows = rows[rows["cds"] == "19647330106914"].set_index("grade_or_subject")
    assert rows.loc["K", ["average_class_size", "classrooms_band_1", "classrooms_band_2"]].tolist() == [23.5, 1, 3]
    other = rows.loc["Other"]
    assert pd.isna(other["average_class_size"]) and pd.isna(other["classrooms_band_1"])
    assert set(rows["bands"]) == {"1-20, 21-32, 33+"}


def test_a_different_header_names_expected_and_found(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from dbf import write_dbf

    path = write_dbf(tmp_path / "acssec.dbf", [("CDSCODE", "C", 14, 0), ("AVG_SIZE", "N", 6, 1)], [("19647330108894", 27.0)])
    with pytest.raises(LayoutError, match=r"expected secondary average-class-size columns \['CDS', .*found \['CDSCODE', 'AVG_SIZE'\]"):
        sarc.class_sizes(path, "secondary", "2015-16")


def test_a_text_file_in_the_same_layout_reads_the_same(tmp_path):
    dbf_rows = sarc.class_sizes(FIXTURES / "acssec.dbf", "secondary", "2015-16")
    text = "CDS\tSCHOOL\tSUBJECT\tAVGSIZE\tCLSRM1\tCLSRM2\tCLSRM3\n" + "".join(
        f"{r.cds}\t{r.school}\t{r.grade_or_subject}\t{r.average_class_size}\t{r.classrooms_band_1:g}\t{r.classrooms_band_2:g}\t{r.classrooms_band_3:g}\n"
        for r in dbf_rows.itertuples())
    (tmp_path / "acssec.txt").write_text(text, encoding="latin-1")
    rows = sarc.class_sizes(tmp_path / "acssec.txt", "secondary", "2015-16")
    columns = ["cds", "grade_or_subject", "average_class_size", "classrooms_band_1", "classrooms_band_2", "classrooms_band_3"]
    pd.testing.assert_frame_equal(rows[columns], dbf_rows[columns])
    assert rows["locator"].iloc[0] == "acssec.txt line 2"


def test_a_text_table_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from schoolclaims.sources import _io

    path = tmp_path / "acssec.txt"
    path.write_text("CDS\tSCHOOL\tSUBJECT\tAVGSIZE\n" + "1\tA\tEnglish\t25\n" * 20, encoding="latin-1")
    monkeypatch.setitem(_io.LIMITS, "text_table_bytes", path.stat().st_size - 1)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read before the size was checked"))
    with pytest.raises(LayoutError, match=r"acssec.txt: \d+ bytes, over the limit of \d+ for a SARC table posted as text"):
        sarc.read_table(path)


def test_processed_table_keeps_lausd_authorized_schools_and_is_header_only_when_absent():
    rows = pd.concat([sarc.extract(resource(sid, "2015-16"), FIXTURES / f"{stem}.dbf")["sarc_class_size"]
                      for sid, (_level, stem) in sarc.LEVELS.items()])
    table = class_size.sarc_class_size(rows)
    assert set(table["cds"]) == {"19647330106914", "19647330108894", "19647330106864"}  # Pasadena left out
    from schoolclaims.tables.schemas import validate

    validate("sarc_class_size", table)
    empty = class_size.sarc_class_size(pd.DataFrame())
    assert len(empty) == 0 and list(empty.columns)[:3] == ["school_year", "level", "cds"]


def test_a_dbf_found_on_the_year_s_page_is_fetched(httpserver, tmp_path):
    from schoolclaims.acquire.archive import Archive
    from schoolclaims.acquire.fetch import fetch_files
    from schoolclaims.sources import RawFileSpec
    from helpers import quiet_session

    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    page = (FIXTURES / "accessdata1011.html").read_text()
    httpserver.expect_request("/ta/ac/sa/accessdata1516.asp").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/ta/ac/sa/documents/acssec.dbf").respond_with_data((FIXTURES / "acssec.dbf").read_bytes())
    landing = httpserver.url_for("/ta/ac/sa/accessdata1516.asp")
    spec = next(s for s in sarc.specs() if (s.source_id, s.vintage) == ("cde_sarc_acs_sec", "2015-16"))
    local = RawFileSpec(spec.source_id, spec.vintage, spec.filename, f"{landing}#acssec", spec.expect, landing)
    assert fetch_files([local], archive=Archive(tmp_path), session=quiet_session(), mirrors=[], log=lambda s: None) == []
    [stored] = Archive(tmp_path).for_source("cde_sarc_acs_sec")
    assert stored.path == "cde_sarc_acs_sec/2015-16/acssec.dbf"
    rows = sarc.extract(stored, tmp_path / stored.path)["sarc_class_size"]
    assert len(rows) == 4

"""LAUSD lists several salary-table PDFs a year: every teacher table (T and L, each calendar basis) is found and
archived under its own name by the generic fetch engine, and a second fetch finds them archived."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolclaims.acquire.archive import Archive
from schoolclaims.acquire.fetch import fetch_files
from schoolclaims.sources import RawFileSpec, lausd_salary
from helpers import quiet_session

PAGE = Path(__file__).parent / "fixtures" / "lausd_salary" / "page4045.html"
PDF = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"


def test_every_teacher_table_of_a_year_is_listed_in_page_order():
    found = lausd_salary.discover(PAGE.read_text(), "http://achieve.lausd.net/Page/4045")
    names = {year: [a.rsplit("/", 1)[1] for a in addresses] for year, addresses in found.items()}
    assert names["2016-17"] == [f"{t}%20Table%20{b}%20Basis%202016-17.pdf" for t, b in
                                [("T", "A"), ("T", "B"), ("T", "C"), ("T", "E"), ("L", "C"), ("L", "E")]]
    assert names["2015-16"] == ["T-Table-C-Basis-2015-2016.pdf", "L-Table-C-Basis-2015-2016.pdf"]
    assert names["2014-15"] == ["Teacher%20Salary%20Tables%202014-2015.pdf"]
    assert found["2016-17"][0].startswith("http://achieve.lausd.net/cms/lib/CA01000043/Centricity/Domain/180/")


@pytest.fixture
def listing(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    html = PAGE.read_text()
    httpserver.expect_request("/Page/4045").respond_with_data(html, content_type="text/html")
    for address in sum(lausd_salary.discover(html, httpserver.url_for("/Page/4045")).values(), []):
        path = address.split(httpserver.url_for("/").rstrip("/"), 1)[1]
        httpserver.expect_request(path.replace("%20", " ")).respond_with_data(PDF + path.encode())
    return httpserver


def _specs(server, vintage):
    landing = server.url_for("/Page/4045")
    spec = next(s for s in lausd_salary.specs() if s.vintage == vintage)
    return [RawFileSpec(spec.source_id, spec.vintage, spec.filename, f"{landing}#{vintage}", spec.expect, landing)]


def test_each_listed_pdf_is_archived_under_its_own_name(listing, tmp_path):
    log = []
    assert fetch_files(_specs(listing, "2016-17"), archive=Archive(tmp_path), session=quiet_session(), mirrors=[], log=log.append) == []
    stored = sorted(r.path for r in Archive(tmp_path).for_source("lausd_salary"))
    assert stored == sorted(f"lausd_salary/2016-17/{t}-Table-{b}-Basis-2016-17.pdf" for t, b in
                            [("T", "A"), ("T", "B"), ("T", "C"), ("T", "E"), ("L", "C"), ("L", "E")])
    for resource in Archive(tmp_path).for_source("lausd_salary"):
        assert resource.url.endswith(".pdf") and resource.extra["listed_on"].endswith("/Page/4045")
        assert (tmp_path / resource.path).read_bytes().startswith(PDF)
    # a second fetch: all six are found archived, no download
    requests = len(listing.log)
    log.clear()
    assert fetch_files(_specs(listing, "2016-17"), archive=Archive(tmp_path), session=quiet_session(), mirrors=[], log=log.append) == []
    assert len(listing.log) == requests and sum(line.startswith("ok") for line in log) == 6


def test_offline_the_archived_listed_files_count_as_archived(listing, tmp_path):
    fetch_files(_specs(listing, "2015-16"), archive=Archive(tmp_path), session=quiet_session(), mirrors=[], log=lambda s: None)
    assert fetch_files(_specs(listing, "2015-16"), archive=Archive(tmp_path), mirrors=[], offline=True, log=lambda s: None) == []
    assert len(Archive(tmp_path).for_source("lausd_salary")) == 2

"""Fault tests for the polite fetcher against a local HTTP server: each fault gives a clear error or
recovers, leaves no partial file, and never overwrites a good snapshot."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from werkzeug import Response

from schoolclaims.acquire.fetch import fetch_files
from schoolclaims.acquire.archive import Archive, sha256_file
from schoolclaims.acquire.http import (FetchError, HTTPStatusError, PoliteSession, RedirectRefused, RobotsDisallowed,
                                TooLarge, Truncated, UnexpectedContent, sniff)
from schoolclaims.sources import RawFileSpec

XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"workbook bytes" * 100
HTML = b"<!DOCTYPE html><html><head><title>Page not found</title></head><body>Sorry</body></html>"


def session(**kw) -> PoliteSession:
    waits = []
    defaults = dict(delay=0, retries=2, backoff=0.01, timeout=(2, 2), progress=False, sleep=waits.append)
    defaults.update(kw)
    s = PoliteSession(**defaults)
    s.waits = waits
    return s


@pytest.fixture
def server(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    return httpserver


def spec_for(server, path="/data/file.xls", expect="xls") -> RawFileSpec:
    return RawFileSpec("testsource", "2019-20", "file.xls", server.url_for(path), expect)


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.name != "datapackage.json"]


def test_success_archives_bytes_and_manifest(server, tmp_path):
    server.expect_request("/data/file.xls").respond_with_data(XLS, headers={"ETag": '"v1"'})
    archive = Archive(tmp_path)
    assert fetch_files([spec_for(server)], archive=archive, session=session(), mirrors=[], log=lambda s: None) == []
    resource = Archive(tmp_path).get("testsource/2019-20/file.xls")
    assert (tmp_path / resource.path).read_bytes() == XLS
    assert resource.sha256 == sha256_file(tmp_path / resource.path)
    assert resource.origin == "official" and resource.etag == '"v1"' and resource.bytes == len(XLS)


def test_user_agent_names_the_project(server):
    server.expect_request("/data/file.xls").respond_with_data(XLS)
    s = session()
    s.download(server.url_for("/data/file.xls"), expect="xls").tmp_path.unlink()
    agent = server.log[-1][0].headers["User-Agent"]
    assert agent.startswith("schoolclaims/") and "http" in agent


def test_404_is_a_clear_error_without_retry(server):
    server.expect_request("/data/file.xls").respond_with_data("nope", status=404)
    with pytest.raises(HTTPStatusError) as err:
        session().download(server.url_for("/data/file.xls"), expect="xls")
    assert err.value.status == 404 and "404" in str(err.value) and "/data/file.xls" in str(err.value)
    assert sum(1 for req, _ in server.log if req.path == "/data/file.xls") == 1


def test_500_then_success_recovers(server):
    server.expect_oneshot_request("/data/file.xls").respond_with_data("boom", status=500)
    server.expect_oneshot_request("/data/file.xls").respond_with_data(XLS)
    s = session()
    result = s.download(server.url_for("/data/file.xls"), expect="xls")
    assert result.tmp_path.read_bytes() == XLS
    result.tmp_path.unlink()
    assert len(s.waits) == 1  # one backoff before the retry


def test_429_honours_retry_after(server):
    server.expect_oneshot_request("/data/file.xls").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    server.expect_oneshot_request("/data/file.xls").respond_with_data(XLS)
    s = session()
    s.download(server.url_for("/data/file.xls"), expect="xls").tmp_path.unlink()
    assert 7 in s.waits


def test_retry_after_beyond_limit_gives_up(server):
    server.expect_request("/data/file.xls").respond_with_data("later", status=503, headers={"Retry-After": "86400"})
    with pytest.raises(HTTPStatusError, match="wait 86400s"):
        session(max_retry_wait=60).download(server.url_for("/data/file.xls"), expect="xls")


def test_persistent_5xx_gives_up_after_retries(server):
    server.expect_request("/data/file.xls").respond_with_data("down", status=502)
    with pytest.raises(FetchError, match="gave up after 3 attempts"):
        session(retries=2).download(server.url_for("/data/file.xls"), expect="xls")


def test_timeout_is_retried_then_reported(server):
    def slow(_request):
        time.sleep(0.6)
        return Response(XLS)

    server.expect_request("/data/file.xls").respond_with_handler(slow)
    with pytest.raises(FetchError, match="Timeout"):
        session(timeout=(0.2, 0.2), retries=1).download(server.url_for("/data/file.xls"), expect="xls")


def short_body(keep: int):
    """A handler that declares the full length but sends only ``keep`` bytes (a cut connection)."""
    def handler(_request):
        response = Response(XLS[:keep])
        response.headers["Content-Length"] = str(len(XLS))
        response.automatically_set_content_length = False
        return response
    return handler


def test_truncated_body_is_an_error(server):
    server.expect_request("/data/file.xls").respond_with_handler(short_body(50))
    with pytest.raises(Truncated):
        session(retries=0).download(server.url_for("/data/file.xls"), expect="xls")


def test_html_error_page_instead_of_a_spreadsheet(server):
    server.expect_request("/data/file.xls").respond_with_data(HTML, content_type="text/html")
    with pytest.raises(UnexpectedContent, match="HTML page"):
        session().download(server.url_for("/data/file.xls"), expect="xls")


def test_redirect_to_another_host_is_refused(server):
    server.expect_request("/data/file.xls").respond_with_data("", status=302, headers={"Location": "http://127.0.0.2:9/elsewhere.xls"})
    with pytest.raises(RedirectRefused, match="another host"):
        session().download(server.url_for("/data/file.xls"), expect="xls")


def test_redirect_on_the_same_host_is_followed(server):
    server.expect_request("/old.xls").respond_with_data("", status=301, headers={"Location": "/data/file.xls"})
    server.expect_request("/data/file.xls").respond_with_data(XLS)
    result = session().download(server.url_for("/old.xls"), expect="xls")
    assert result.tmp_path.read_bytes() == XLS
    result.tmp_path.unlink()


def test_oversized_declared_body_is_refused_before_download(server):
    server.expect_request("/data/file.xls").respond_with_data(XLS)
    with pytest.raises(TooLarge, match="declared"):
        session(max_bytes=100).download(server.url_for("/data/file.xls"), expect="xls")


def test_oversized_streamed_body_is_stopped(server):
    def chunked(_request):
        return Response((XLS for _ in range(50)), direct_passthrough=True)  # no Content-Length

    server.expect_request("/data/file.xls").respond_with_handler(chunked)
    with pytest.raises(TooLarge, match="passed"):
        session(max_bytes=5000).download(server.url_for("/data/file.xls"), expect="xls")


def test_robots_txt_is_honoured(server):
    with pytest.raises(RobotsDisallowed):
        session().download(server.url_for("/private/file.xls"), expect="xls")
    assert not any(req.path == "/private/file.xls" for req, _ in server.log)


def test_conditional_request_304_keeps_snapshot(server):
    server.expect_request("/data/file.xls", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    result = session().download(server.url_for("/data/file.xls"), expect="xls", etag='"v1"')
    assert result.not_modified and result.tmp_path is None


def test_requests_to_one_host_are_spaced(server):
    server.expect_request("/data/file.xls").respond_with_data(XLS)
    s = session(delay=5)
    for _ in range(2):
        s.download(server.url_for("/data/file.xls"), expect="xls").tmp_path.unlink()
    assert any(w > 4 for w in s.waits)


@pytest.mark.parametrize("fault", ["404", "html", "truncated", "oversized"])
def test_failures_leave_no_partial_file_and_keep_the_good_snapshot(server, tmp_path, fault):
    server.expect_oneshot_request("/data/file.xls").respond_with_data(XLS)
    archive = Archive(tmp_path)
    spec = spec_for(server)
    assert fetch_files([spec], archive=archive, session=session(), mirrors=[], log=lambda s: None) == []
    good = (tmp_path / spec.rel_path).read_bytes()
    if fault == "404":
        server.expect_oneshot_request("/data/file.xls").respond_with_data("gone", status=404)
    elif fault == "html":
        server.expect_oneshot_request("/data/file.xls").respond_with_data(HTML)
    elif fault == "truncated":
        server.expect_oneshot_request("/data/file.xls").respond_with_handler(short_body(10))
    else:
        server.expect_oneshot_request("/data/file.xls").respond_with_data(XLS * 10)
    problems = fetch_files([spec], archive=Archive(tmp_path), session=session(retries=0, max_bytes=len(XLS) * 2),
                     mirrors=[], refresh=True, log=lambda s: None)
    assert len(problems) == 1
    assert (tmp_path / spec.rel_path).read_bytes() == good
    assert leftovers(tmp_path) == [tmp_path / spec.rel_path]


def test_changed_bytes_do_not_overwrite_unless_replace(server, tmp_path):
    server.expect_oneshot_request("/data/file.xls").respond_with_data(XLS)
    server.expect_oneshot_request("/data/file.xls").respond_with_data(XLS + b"v2")
    server.expect_oneshot_request("/data/file.xls").respond_with_data(XLS + b"v2")
    spec = spec_for(server)
    fetch_files([spec], archive=Archive(tmp_path), session=session(), mirrors=[], log=lambda s: None)
    problems = fetch_files([spec], archive=Archive(tmp_path), session=session(), mirrors=[], refresh=True, log=lambda s: None)
    assert "archived snapshot is kept" in problems[0]
    assert (tmp_path / spec.rel_path).read_bytes() == XLS
    assert fetch_files([spec], archive=Archive(tmp_path), session=session(), mirrors=[], refresh=True, replace=True,
                 log=lambda s: None) == []
    assert (tmp_path / spec.rel_path).read_bytes() == XLS + b"v2"
    assert any(p.read_bytes() == XLS for p in (tmp_path / "_superseded").rglob("file.xls"))


@pytest.mark.parametrize("head,kind", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "xls"), (b"PK\x03\x04....[Content_Types].xml", "xlsx"),
    (b"%PDF-1.7", "pdf"), (b"\xef\xbb\xbf<!DOCTYPE html>", "html"), (b"a,b,c\n1,2,3\n", "text"),
    (b"  <html lang=en>", "html"),
])
def test_sniff(head, kind):
    assert sniff(head) == kind


def test_cde_download_address_is_discovered_from_the_landing_page(server, tmp_path):
    """The CDE fetcher follows the landing page's link for the year, not the guessed pattern."""
    from schoolclaims.acquire.fetch import fetch_files
    from schoolclaims.sources import cde_current_expense as cde

    landing = server.url_for("/ds/fd/ec/")
    page = ('<html><body><a href="documents/currentexpense1920.xlsx">2019-20</a>'
            '<a href="/other/costofed9899.xls">1998-99</a></body></html>')
    server.expect_request("/ds/fd/ec/").respond_with_data(page, content_type="text/html")
    import io, zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    server.expect_request("/ds/fd/ec/documents/currentexpense1920.xlsx").respond_with_data(buffer.getvalue())
    spec = next(s for s in cde.specs() if s.vintage == "2019-20")
    local = RawFileSpec(spec.source_id, spec.vintage, spec.filename, "https://www.cde.ca.gov/unreachable.xlsx", spec.expect, landing)
    problems = fetch_files([local], archive=Archive(tmp_path), session=session(), mirrors=[], log=lambda s: None)
    assert problems == []
    resource = Archive(tmp_path).get(local.rel_path)
    assert resource.origin_detail.endswith("/ds/fd/ec/documents/currentexpense1920.xlsx")
    assert cde.discover(page, "https://www.cde.ca.gov/ds/fd/ec/") == {
        "2019-20": "https://www.cde.ca.gov/ds/fd/ec/documents/currentexpense1920.xlsx",
        "1998-99": "https://www.cde.ca.gov/other/costofed9899.xls"}


def test_zip_truncated_without_content_length_is_caught(server):
    import io, zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("SAGDP1__ALL_AREAS_1997_2019.csv", "x" * 5000)
    data = buffer.getvalue()[:-30]

    def chunked(_request):
        return Response(iter([data]), direct_passthrough=True)

    server.expect_request("/SAGDP.zip").respond_with_handler(chunked)
    with pytest.raises(Truncated, match="zip"):
        session().download(server.url_for("/SAGDP.zip"), expect="zip")


# -- the same faults against the schools, class-size and pay fetchers' own specs ------------------------------
def _zip_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ClassEnrollment14.txt", "AcademicYear\tDistrictCode\n" * 200)
    return buffer.getvalue()


GOOD_BODY = {"excel": XLS, "zip": _zip_bytes(), "text": b"AcademicYear\tAggregateLevel\n2017-18\tS\n" * 50,
             "pdf": b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"}


def _new_specs():
    from schoolclaims.sources import cde_census_enrollment, cde_class_level, cde_directory, cde_frpm, cde_j90, lausd_salary

    return [module.specs()[0] for module in (cde_directory, cde_frpm, cde_census_enrollment, cde_class_level, cde_j90, lausd_salary)]


@pytest.mark.parametrize("spec", _new_specs(), ids=lambda s: s.source_id)
@pytest.mark.parametrize("fault", ["ok", "404", "html", "truncated"])
def test_school_fetchers_archive_good_bytes_and_refuse_bad_ones(server, tmp_path, spec, fault):
    path = "/" + spec.filename
    local = RawFileSpec(spec.source_id, spec.vintage, spec.filename, server.url_for(path), spec.expect)
    body = GOOD_BODY[spec.expect]
    if fault == "ok":
        server.expect_oneshot_request(path).respond_with_data(body)
    elif fault == "404":
        server.expect_oneshot_request(path).respond_with_data("gone", status=404)
    elif fault == "html":
        server.expect_oneshot_request(path).respond_with_data(HTML)
    else:
        server.expect_oneshot_request(path).respond_with_handler(short_body(10))
    problems = fetch_files([local], archive=Archive(tmp_path), session=session(retries=0), mirrors=[], log=lambda s: None)
    if fault == "ok":
        stored = Archive(tmp_path).for_source(local.source_id)[0]  # named by what the bytes are (.xls/.xlsx/.csv)
        assert problems == [] and (tmp_path / stored.path).read_bytes() == body
    else:
        assert len(problems) == 1 and leftovers(tmp_path) == []
        assert {"404": "404", "html": "HTML page", "truncated": "ended"}[fault] in problems[0]


def _landing_fixture(server, page_path: str, links: dict[str, bytes]) -> str:
    """A landing page on the local server linking each path in ``links``, which serve those bytes."""
    anchors = "".join(f'<a href="{path}">{path.rsplit("/", 1)[-1]}</a>' for path in links)
    server.expect_request(page_path).respond_with_data(f"<html><body>{anchors}</body></html>", content_type="text/html")
    for path, body in links.items():
        server.expect_request(path.replace("%20", " ")).respond_with_data(body)
    return server.url_for(page_path)


def test_a_pdf_found_on_a_landing_page_is_archived_under_its_own_name(server, tmp_path):
    """LAUSD's spec points at the salary page (…/Page/4045#2015-16); the PDF it links is stored as itself."""
    from schoolclaims.sources import lausd_salary

    pdf = GOOD_BODY["pdf"]
    landing = _landing_fixture(server, "/Page/4045", {"/cms/lib/Teacher%20Salary%20Tables%202015-2016.pdf": pdf})
    spec = next(s for s in lausd_salary.specs() if s.vintage == "2015-16")
    local = RawFileSpec(spec.source_id, spec.vintage, spec.filename, f"{landing}#2015-16", spec.expect, landing)
    assert fetch_files([local], archive=Archive(tmp_path), session=session(), mirrors=[], log=lambda s: None) == []
    [stored] = Archive(tmp_path).for_source("lausd_salary")
    assert stored.path == "lausd_salary/2015-16/Teacher-Salary-Tables-2015-2016.pdf"
    assert (tmp_path / stored.path).read_bytes() == pdf


def test_each_j90_file_of_a_year_gets_its_own_discovered_address(server, tmp_path):
    """TSAL1 and TSAL2 share a year: discovery keys them by source id, so neither takes the other's file."""
    from schoolclaims.sources import cde_j90

    bodies = {"/ds/fd/cs/documents/tsal121.csv": b"cds,ts1_dname\n" * 40, "/ds/fd/cs/documents/tsal221.csv": b"cds,ts2_col\n" * 40}
    landing = _landing_fixture(server, "/ds/fd/cs/", bodies)
    specs = [RawFileSpec(s.source_id, s.vintage, s.filename, "https://www.cde.ca.gov/unreachable.csv", s.expect, landing)
             for s in cde_j90.specs() if s.source_id != cde_j90.DB_SOURCE_ID]
    assert fetch_files(specs, archive=Archive(tmp_path), session=session(), mirrors=[], log=lambda s: None) == []
    for source_id, path in [("cde_j90_tsal1", "/ds/fd/cs/documents/tsal121.csv"), ("cde_j90_tsal2", "/ds/fd/cs/documents/tsal221.csv")]:
        [stored] = Archive(tmp_path).for_source(source_id)
        assert (tmp_path / stored.path).read_bytes() == bodies[path]


# -- hardening: compressed replies, bombs, drips, redirect faults ------------------------------------------------
def test_a_gzip_reply_that_states_its_length_is_accepted(server):
    """Content-Length counts the bytes on the wire (compressed); the file holds the decoded bytes."""
    import gzip

    body = b"AcademicYear,Total\n" + b"2017-18,1\n" * 5000
    packed = gzip.compress(body)
    server.expect_request("/data/file.csv").respond_with_data(
        packed, headers={"Content-Encoding": "gzip", "Content-Length": str(len(packed))})
    result = session().download(server.url_for("/data/file.csv"), expect="csv")
    assert result.tmp_path.read_bytes() == body
    result.tmp_path.unlink()


def test_a_robots_txt_bomb_is_read_only_up_to_its_limit(httpserver):
    """1 MB of gzip that inflates to 200 MB: only the first 512 KiB are inflated, and the rules in them apply."""
    import gzip
    import resource

    rules = b"User-agent: *\nDisallow: /private/\n"
    bomb = gzip.compress(rules + b"#" * (200 * 1024 * 1024), compresslevel=9)
    httpserver.expect_request("/robots.txt").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    s = session()
    assert not s.allowed_by_robots(httpserver.url_for("/private/x.xls"))
    assert s.allowed_by_robots(httpserver.url_for("/public/x.xls"))
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grew_mb < 100, f"memory grew by {grew_mb:.0f} MB"


def test_a_server_that_drips_bytes_is_cut_off_by_the_deadline(server):
    def drip(_request):
        def chunks():
            yield XLS[:10]
            for _ in range(40):
                time.sleep(0.1)
                yield b"x"
        return Response(chunks(), direct_passthrough=True)

    server.expect_request("/data/file.xls").respond_with_handler(drip)
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 1s in all"):
        session(retries=0, deadline=1.0).download(server.url_for("/data/file.xls"), expect="xls")
    assert time.monotonic() - started < 3


def test_a_redirect_loop_and_a_redirect_without_location_are_clear_errors(server):
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        session(retries=0).download(server.url_for("/a"), expect="xls")
    server.expect_request("/c").respond_with_data("", status=302)
    with pytest.raises(FetchError, match="302 redirect without a Location header"):
        session(retries=0).download(server.url_for("/c"), expect="xls")


@pytest.mark.parametrize("body, complete", [
    (b"cds,district,min_salary\n1964733,LOS ANGELES UNIFIED,46587\n", True),
    (b"cds,district,min_salary\n1964733,LOS ANGELES UNIFIED,46587", True),   # no final line end, but a full row
    (b"cds,district,min_salary\n1964733,LOS ANGELES UNI", False),             # cut inside the row
    (b'cds,heading\n1964733,"BA NON-', False),                                 # cut inside a quoted field
    (b"AcademicYear\tCountyCode\tTOTAL_ENR\n2017-18\t19\t45", True),
    (b"AcademicYear\tCountyCode\tTOTAL_ENR\n2017-18\t19", False),
])
def test_a_text_file_cut_short_without_a_content_length_is_refused(server, body, complete):
    def chunked(_request):
        return Response(iter([body]), direct_passthrough=True)  # no Content-Length: only the content can tell

    server.expect_request("/data/tsal121.csv").respond_with_handler(chunked)
    if complete:
        result = session(retries=0).download(server.url_for("/data/tsal121.csv"), expect="csv")
        assert result.tmp_path.read_bytes() == body
        result.tmp_path.unlink()
    else:
        with pytest.raises(Truncated, match="cut"):
            session(retries=0).download(server.url_for("/data/tsal121.csv"), expect="csv")

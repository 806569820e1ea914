"""Teacher pay: the self-checking grid extractor on PDFs the tests draw, LAUSD table labels, the Internet
Archive client against recorded answers, J-90 on the mirrored files, hand transcriptions, and the whole
path from two schedule PDFs to a rated claim."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from helpers import cdx_answer, quiet_session, resource
from salary_pdfs import schedule_pdf

from schoolclaims import paths
from schoolclaims.acquire.fetch import fetch_files
from schoolclaims.acquire.archive import Archive
from schoolclaims.claims import CANT_VERIFY, evaluate, load_claim
from schoolclaims.acquire import wayback as internet_archive
from schoolclaims.sources import LayoutError, _pdf_grid, alliance_salary, cde_j90, lausd_salary, pay_transcription
from schoolclaims.transform import pay

HEADERS = ["BA", "BA+15", "BA+30", "MA+45"]
ROWS = [(1, [50000, 51000, 52500, 54000]), (2, [51500, 52500, 54000, 55500]), (3, [53000, 54000, 55500, 57000]),
        (4, [None, None, None, 60000])]


def lausd_pdf(tmp_path, rows=ROWS, title=("LOS ANGELES UNIFIED SCHOOL DISTRICT", "TEACHER SALARY TABLE T - C BASIS", "2015-2016, 182 days")):
    return schedule_pdf(tmp_path / "lausd.pdf", list(title), HEADERS, rows)


def test_grid_is_read_with_blank_cells_left_out(tmp_path):
    [grid] = _pdf_grid.extract_pdf(lausd_pdf(tmp_path))
    cells = grid.cells.set_index(["step", "column_label"])["salary"]
    assert cells[(1, "BA")] == 50000 and cells[(3, "BA+30")] == 55500 and cells[(4, "MA+45")] == 60000
    assert (4, "BA") not in cells.index  # blank in the document, absent here (not zero)
    assert len(cells) == 13 and grid.contract_days == 182


def test_a_salary_that_falls_down_a_column_fails_loudly(tmp_path):
    broken = [(1, [50000, 51000, 52500, 54000]), (2, [49000, 52500, 54000, 55500])]
    with pytest.raises(LayoutError, match=r"lausd.pdf page 1 step 2, column 1: the salary falls going down the steps \(49,000\)"):
        _pdf_grid.extract_pdf(lausd_pdf(tmp_path, broken))


def test_a_salary_that_falls_across_a_row_fails_loudly(tmp_path):
    broken = [(1, [50000, 49000, 52500, 54000]), (2, [51000, 52500, 54000, 55500])]
    with pytest.raises(LayoutError, match="step 1, column 2: the salary falls going right across the columns"):
        _pdf_grid.extract_pdf(lausd_pdf(tmp_path, broken))


def test_an_implausible_amount_fails(tmp_path):
    broken = [(1, [5000, 51000, 52500, 54000]), (2, [51000, 52500, 54000, 55500])]
    with pytest.raises(LayoutError, match="step 1, column 1 .*5,000 is not a plausible annual salary"):
        _pdf_grid.extract_pdf(lausd_pdf(tmp_path, broken))


def test_steps_must_be_consecutive(tmp_path):
    broken = [(1, [50000, 51000, 52500, 54000]), (3, [51000, 52500, 54000, 55500])]
    with pytest.raises(LayoutError, match=r"steps are not consecutive: \[1, 3\]"):
        _pdf_grid.extract_pdf(lausd_pdf(tmp_path, broken))


def test_a_pdf_without_a_grid_and_a_damaged_file(tmp_path):
    with pytest.raises(LayoutError, match="no salary grid found"):
        _pdf_grid.extract_pdf(schedule_pdf(tmp_path / "empty.pdf", ["Board minutes"], [], []))
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    with pytest.raises(LayoutError, match="bad.pdf: not a readable PDF"):
        _pdf_grid.extract_pdf(tmp_path / "bad.pdf")


def test_lausd_grids_are_labelled_with_table_and_basis(tmp_path):
    cells = lausd_salary.extract(resource("lausd_salary", "2015-16"), lausd_pdf(tmp_path))["schedule_cells"]
    assert set(cells["schedule"]) == {"table T"} and set(cells["calendar_basis"]) == {"C"}
    assert cells["locator"].iloc[0] == "page 1, step 1, column 1 (BA)"
    with pytest.raises(LayoutError, match="does not name table T or L"):
        lausd_salary.extract(resource("lausd_salary", "2015-16"), lausd_pdf(tmp_path, title=("SALARY SCHEDULE", "2015-2016")))


def test_lausd_teacher_pdfs_are_discovered_by_year():
    html = """<a href="/cms/lib/Salary%20Tables%202015-2016.pdf">Teacher Salary Tables 2015-2016</a>
              <a href="/cms/lib/classified.pdf">Classified 2015-16 schedule</a>
              <a href="/cms/lib/T-2016-17.pdf">Certificated salary tables 2016-17</a>"""
    found = lausd_salary.discover(html, "http://achieve.lausd.net/Page/4045")
    assert found["2015-16"] == ["http://achieve.lausd.net/cms/lib/Salary%20Tables%202015-2016.pdf"]
    assert [a.rsplit("/", 1)[1] for a in found["2016-17"]] == ["T-2016-17.pdf"]


# -- the Internet Archive client ---------------------------------------------------------------------
CITED = alliance_salary.CITED_URL


def test_cdx_answer_picks_the_latest_good_pdf_capture():
    captures = internet_archive.parse_cdx(cdx_answer(
        ["org,laalliance)/x", "20150910000000", CITED, "application/pdf", "200", "AAAA", "5000"],
        ["org,laalliance)/x", "20160301000000", CITED, "application/pdf", "200", "BBBB", "5100"],
        ["org,laalliance)/x", "20170101000000", CITED, "text/html", "404", "CCCC", "300"]), CITED)
    best = internet_archive.best_capture(captures)
    assert (best.timestamp, best.digest) == ("20160301000000", "BBBB")
    assert best.raw_url == f"https://web.archive.org/web/20160301000000id_/{CITED}"


def test_cdx_empty_answer_means_no_capture_and_garbage_is_an_error():
    assert internet_archive.parse_cdx("", CITED) == [] and internet_archive.parse_cdx("[]", CITED) == []
    with pytest.raises(internet_archive.CaptureLookupError, match="is not JSON"):
        internet_archive.parse_cdx("<html>Service Unavailable</html>", CITED)
    with pytest.raises(internet_archive.CaptureLookupError, match="lacks the fields"):
        internet_archive.parse_cdx('[["urlkey", "timestamp"]]', CITED)


def test_archived_only_spec_is_fetched_from_the_capture_with_provenance(wayback, tmp_path):
    pdf = lausd_pdf(tmp_path).read_bytes()
    wayback.expect_request("/cdx/search/cdx").respond_with_data(cdx_answer(
        ["k", "20160301000000", CITED, "application/pdf", "200", "DIGEST1", str(len(pdf))]))
    wayback.expect_request(re.compile(r"^/web/20160301000000id_/.*Teacher.*Salary.*Schedule\.pdf$")).respond_with_data(
        pdf, content_type="application/pdf")
    archive = Archive(tmp_path / "raw")
    assert fetch_files(alliance_salary.specs(), archive=archive, session=quiet_session(), mirrors=[], log=lambda s: None) == []
    [resource] = Archive(tmp_path / "raw").for_source("alliance_salary")
    assert resource.origin == "internet-archive" and resource.url == CITED
    assert resource.extra["capture_timestamp"] == "20160301000000" and resource.extra["capture_digest"] == "DIGEST1"
    assert "Internet Archive capture 20160301000000" in resource.origin_detail


def test_no_capture_is_a_problem_that_says_what_to_do(wayback, tmp_path):
    wayback.expect_request("/cdx/search/cdx").respond_with_data(cdx_answer(
        ["k", "20170101000000", CITED, "text/html", "404", "X", "300"]))
    problems = fetch_files(alliance_salary.specs(), archive=Archive(tmp_path / "raw"), session=quiet_session(), mirrors=[], log=lambda s: None)
    assert len(problems) == 1 and "no usable capture" in problems[0] and "schoolclaims import" in problems[0]
    assert not (tmp_path / "raw" / "alliance_salary").exists()


@pytest.mark.parametrize("answer, status, expected", [("<html>busy</html>", 200, "expected json content, got html"),
                                                      ("{not json", 200, "is not JSON"), ("error", 503, "503")])
def test_archive_errors_are_reported_not_stored(wayback, tmp_path, answer, status, expected):
    wayback.expect_request("/cdx/search/cdx").respond_with_data(answer, status=status)
    problems = fetch_files(alliance_salary.specs(), archive=Archive(tmp_path / "raw"), session=quiet_session(), mirrors=[], log=lambda s: None)
    assert len(problems) == 1 and expected in problems[0]
    assert not (tmp_path / "raw" / "alliance_salary").exists()


# -- J-90 on the mirrored files --------------------------------------------------------------------------
def test_j90_summary_and_headings_on_the_mirror(mirrored):
    archive, mirrors = mirrored
    tsal1 = archive.locate(archive.for_source("cde_j90_tsal1")[0], mirrors)  # found in the mirror by sha256
    tsal2 = archive.locate(archive.for_source("cde_j90_tsal2")[0], mirrors)
    summary = cde_j90.district_summary(tsal1, "2020-21").set_index("cds")
    lausd = summary.loc["1964733"]
    assert (lausd["min_salary"], lausd["max_salary"], lausd["teacher_fte"], lausd["days"]) == (46587, 92389, 27043, 180)
    assert (lausd["ma_stipend"], lausd["doctorate_stipend"], lausd["line"]) == (584, 1168, 224)
    assert (summary["county"] == "Los Angeles").sum() == 71
    headings = cde_j90.column_headings(tsal2, "2020-21")
    lausd_heads = headings[headings["cds"] == "1964733"].set_index("column")["heading"]
    assert lausd_heads[1] == "BA NON-CRED" and lausd_heads[16] == "BA+98+CRED"


def test_j90_every_district_with_its_county_and_the_la_view(mirrored):
    """TSAL1 line 45 (hand-checked): 0761713 LAFAYETTE ELEMENTARY, Contra Costa, ts1_ndays 0 (kept as missing),
    minimum 47,953, maximum 93,587; line 224: LAUSD, Los Angeles, 180 days, 46,587 to 92,389."""
    from schoolclaims.tables import load
    from schoolclaims.transform import pay

    archive, mirrors = mirrored
    summary = cde_j90.district_summary(archive.locate(archive.for_source("cde_j90_tsal1")[0], mirrors), "2020-21")
    headings = cde_j90.column_headings(archive.locate(archive.for_source("cde_j90_tsal2")[0], mirrors), "2020-21")
    table = pay.district_salaries(summary.assign(file_sha256="a" * 64), headings.assign(file_sha256="b" * 64))
    rows = table.set_index("cds")
    assert len(table) == 802 and table["county"].nunique() == 57
    assert pd.isna(rows.loc["0761713", "days"]) and rows.loc["0761713", "county"] == "Contra Costa"
    assert tuple(rows.loc["0761713", ["min_salary", "max_salary"]]) == (47953, 93587)
    assert rows.loc["0761713", "locator"].startswith("TSAL1 line 45;")
    assert tuple(rows.loc["1964733", ["county", "days", "min_salary", "max_salary"]]) == ("Los Angeles", 180, 46587, 92389)
    view = pay.la_county_salaries(table)
    assert len(view) == 71 and "county" not in view
    committed = load("california_district_salaries")
    la = committed[committed["county"] == "Los Angeles"].drop(columns="county").reset_index(drop=True)
    pd.testing.assert_frame_equal(la, load("la_county_salaries"), check_dtype=False)


def test_j90_bad_number_names_the_line(tmp_path, mirrored):
    archive, mirrors = mirrored
    text = archive.locate(archive.for_source("cde_j90_tsal1")[0], mirrors).read_text()
    (tmp_path / "tsal121.csv").write_text(text.replace(",46587,92389,", ",46587,n/a,", 1))
    with pytest.raises(LayoutError, match=r"tsal121.csv line 224: ts1_maxsal 'n/a' is not a number"):
        cde_j90.district_summary(tmp_path / "tsal121.csv", "2020-21")


# -- hand transcriptions ------------------------------------------------------------------------------------
TRANSCRIPTION = ",".join(pay_transcription.COLUMNS) + "\n" + "\n".join(
    f"Alliance College-Ready Public Schools,2015-16,teacher,,190,{step},{col},{req},{amount},p. 1"
    for step, row in [(1, [52000, 53000]), (2, [53000, 54500])] for (col, req), amount in zip([("BA", "BA"), ("BA+30", "BA+30 units")], row)) + "\n"


def test_transcription_is_validated_and_checked(tmp_path):
    (tmp_path / "t.csv").write_text(TRANSCRIPTION)
    cells = pay_transcription.read(tmp_path / "t.csv")
    assert len(cells) == 4 and cells["column_index"].tolist() == [1, 2, 1, 2] and cells["locator"].iloc[0] == "line 2 (page p. 1)"


@pytest.mark.parametrize("old, new, message", [
    (",53000,p. 1", ",53,000,p. 1", "Expected 10 fields in line 3"),  # an unquoted thousands comma adds a field
    (",2,BA,BA,53000", ",two,BA,BA,53000", r"line 4 column step: 'two'"),
    (",1,BA,BA,52000", ",1,BA,BA,520", r"line 2 column annual_salary: 520 fails in_range"),
    ("2015-16,teacher,,190,2,BA+30", "2015-16,teacher,,190,2,BA+30", None),
])
def test_transcription_errors_name_the_cell(tmp_path, old, new, message):
    (tmp_path / "t.csv").write_text(TRANSCRIPTION.replace(old, new, 1))
    if message is None:
        assert len(pay_transcription.read(tmp_path / "t.csv")) == 4
        return
    with pytest.raises(LayoutError, match=message):
        pay_transcription.read(tmp_path / "t.csv")


def test_transcribed_schedule_gets_the_pdf_self_checks(tmp_path):
    (tmp_path / "t.csv").write_text(TRANSCRIPTION.replace(",2,BA,BA,53000", ",2,BA,BA,51000"))
    with pytest.raises(LayoutError, match=r"t.csv \(teacher, 2015-16\) step 2, column 1: the salary falls going down"):
        pay_transcription.read(tmp_path / "t.csv")


# -- comparison points ----------------------------------------------------------------------------------
@pytest.mark.parametrize("label, expected", [("BA", ("BA", 0)), ("BA+30", ("BA", 30)), ("MA+15", ("MA", 15)),
                                             ("BA + 28", ("BA", 28)), ("Doctorate", ("DOCTORATE", 0)), ("Col 3", ("", 0))])
def test_column_units(label, expected):
    assert pay.units(label) == expected


@pytest.mark.parametrize("text, days", [("180 student days + 2 additional teacher work days", 182), ("180 + 2", 182),
                                        ("C basis (NCTQ convention)", None), ("", None)])
def test_contract_days(text, days):
    assert pay.contract_days(text) == days


# -- the whole path: two schedule PDFs -> build -> rated claim ---------------------------------------------
def test_two_schedules_flow_through_build_to_a_rating(mirror_dir, tmp_path):
    from test_build import committed_raw

    from schoolclaims.build import build
    from schoolclaims.acquire.mirror import Mirror

    archive = committed_raw(tmp_path)
    alliance = schedule_pdf(tmp_path / "alliance.pdf", ["Alliance College-Ready Public Schools", "2015-2016 Teacher Salary Schedule, 190 days"],
                            ["BA", "BA+30", "MA+45"], [(step, [54000 + 1500 * step, 56000 + 1500 * step, 58000 + 1500 * step]) for step in range(1, 11)])
    lausd = schedule_pdf(tmp_path / "lausd.pdf", ["TEACHER SALARY TABLE T - C BASIS", "2015-2016, 182 days"],
                         ["BA", "BA+14", "BA+28", "BA+42"], [(step, [50000 + 1000 * step, 51000 + 1000 * step, 52000 + 1000 * step, 53500 + 1000 * step]) for step in range(1, 11)])
    archive.import_file(alliance, source_id="alliance_salary", vintage="2015-16", origin="manual-import", origin_detail="test PDF")
    archive.import_file(lausd, source_id="lausd_salary", vintage="2015-16", origin="manual-import", origin_detail="test PDF")
    out = tmp_path / "processed"
    build(out, archive=archive, mirrors=[Mirror(mirror_dir)], log=lambda s: None)
    result = evaluate(load_claim(paths.CLAIMS / "pay-alliance-vs-lausd.yaml"), processed=out)
    # step 1 BA: 55,500 vs 51,000 (+8.8%); BA+30 at step 5 vs LAUSD's lowest column with 30+ units (BA+42):
    # 63,500 vs 58,500 (+8.5%); step 10: 71,000 vs 63,500 (+11.8%); top: 73,000 vs 63,500 (+15%).
    # Per day (190 vs 182 days): 292 vs 280 (+4.2%), 334 vs 321 (+4.0%), 374 vs 349 (+7.1%), 384 vs 349 (+10.1%)
    assert result.rating == "mostly true", result.conclusion
    assert "4 of 4 comparison points annually and 2 of 4 per contract day" in result.conclusion
    # MA+45 cells have no LAUSD counterpart (its top column is BA+42): 20 of Alliance's 30 cells are compared
    assert "100% of its 20 schedule cells" in result.conclusion
    # every evidence row names both files it compares, in full, and how each was read
    shas = {archive.for_source(s)[0].sha256 for s in ("alliance_salary", "lausd_salary")}
    assert all(set(v.split("+")) == shas for v in result.evidence["file_sha256"])
    assert set(result.evidence["confidence"]) == {
        "Alliance College-Ready Public Schools: employer's document (copy imported by hand, parsed PDF, self-checked); "
        "Los Angeles Unified: official file (copy imported by hand, parsed PDF, self-checked)"}
    before = evaluate(load_claim(paths.CLAIMS / "pay-alliance-vs-lausd.yaml"))  # the committed data: no schedules
    assert before.rating == CANT_VERIFY and any("Internet Archive" in m for m in before.missing)


def test_a_transcribed_schedule_rates_the_90_percent_premise(mirror_dir, tmp_path):
    from test_build import committed_raw

    from schoolclaims.build import build
    from schoolclaims.acquire.mirror import Mirror

    archive = committed_raw(tmp_path)
    rows = [f"Alliance College-Ready Public Schools,2020-21,teacher,,190,{step},{col},,{amount},p. 1"
            for step in range(1, 4) for col, amount in (("BA", 47000 + 1000 * step), ("MA", 48000 + 1000 * step))]
    (tmp_path / "alliance-2020-21.csv").write_text(",".join(pay_transcription.COLUMNS) + "\n" + "\n".join(rows) + "\n")
    archive.import_file(tmp_path / "alliance-2020-21.csv", source_id="pay_transcription", vintage="2020-21",
                        origin="manual-import", origin_detail="test transcription")
    out = tmp_path / "processed"
    build(out, archive=archive, mirrors=[Mirror(mirror_dir)], log=lambda s: None)
    result = evaluate(load_claim(paths.CLAIMS / "pay-90pct-of-la.yaml"), processed=out)
    # first cell 48,000 and top 51,000: every LA County district with a higher minimum and maximum counts
    county = pd.read_csv(out / "la_county_salaries.csv")
    more = (county["min_salary"] > 48000) & (county["max_salary"] > 51000)
    share = county.loc[more, "teacher_fte"].sum() / county["teacher_fte"].sum()
    assert f"{share:.0%} of Los Angeles County district teachers" in result.conclusion
    # LAUSD's minimum (46,587, a non-credentialed column) is below 48,000, so its 27,043 FTE do not count: 39% < 50%
    assert result.rating == "false" and f"{share:.0%}" == "39%"

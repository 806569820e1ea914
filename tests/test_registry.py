"""The source registry is the one list fetch, build, verify, chart labels and the README read."""

from __future__ import annotations

import inspect

import pytest

from schoolclaims import sources
from schoolclaims.acquire.archive import Archive


def test_every_registered_module_declares_what_the_pipeline_reads():
    for name, module in sources.MODULES.items():
        assert isinstance(module.SOURCE, sources.Source), name
        assert list(inspect.signature(module.extract).parameters) == ["resource", "path"], name
        assert all(spec.source_id in module.SOURCE.ids for spec in module.specs()), name


def test_file_source_ids_are_unique_and_cover_the_manifest():
    ids = sources.file_ids()
    assert len(ids) == len(set(ids))
    assert {r.source_id for r in Archive().resources.values()} <= set(ids)
    assert set(sources.file_ids(required=True)) | set(sources.file_ids(required=False)) == set(ids)


def test_fetch_names_are_modules_or_file_ids_and_unknown_ones_are_refused():
    assert {s.source_id for s in sources.specs(["bea_regional"])} == {"bea_sagdp1", "bea_sainc1"}
    assert {s.source_id for s in sources.specs(["bea_sainc1"])} == {"bea_sainc1"}
    with pytest.raises(sources.LayoutError, match="unknown source"):
        sources.specs(["bea"])


def test_labels_name_combined_rows_as_declared_and_unknown_parts_as_themselves():
    assert sources.labels("bea_sagdp1+bea_sainc1") == ["U.S. Bureau of Economic Analysis, SAGDP1 and SAINC1"]
    assert sources.labels("cde_directory+cde_frpm") == [
        "California Department of Education, School Directory (June 2018)", "CDE FRPM files (Census Day K-12 enrollment)"]
    assert sources.labels("somewhere_else") == ["somewhere_else"]


def test_class_level_files_are_known_for_every_year_cde_publishes():
    from schoolclaims.sources import cde_class_level

    years = {spec.vintage for spec in cde_class_level.specs() if spec.source_id == "cde_class_enrollment"}
    assert years == {"2012-13", "2013-14", "2014-15", "2015-16", "2016-17", "2017-18", "2018-19"}


def test_f33_file_names_follow_the_publisher_s_drift():
    from schoolclaims.sources import census_f33

    names = {spec.vintage: spec.url.rsplit("/", 1)[1] for spec in census_f33.specs()}
    assert sorted(names) == [f"FY{y}" for y in range(2013, 2022)]
    assert names["FY2015"] == "elsec15_sttables.xls" and names["FY2016"] == "elsec16_sumtables.xls"
    assert names["FY2020"] == "elsec20_sumtables.xlsx"
    spec = next(s for s in census_f33.specs() if s.vintage == "FY2014")
    assert spec.url == ("https://www2.census.gov/programs-surveys/school-finances/tables/2014/"
                        "secondary-education-finance/elsec14_sttables.xls")
    assert spec.landing == "https://www.census.gov/data/tables/2014/econ/school-finances/secondary-education-finance.html"


def test_f33_discover_reads_a_year_s_landing_page():
    from schoolclaims.sources import census_f33

    html = ('<a href="/programs-surveys/school-finances/tables/2020/secondary-education-finance/elsec20_sumtables.xlsx">'
            'Summary Tables</a> <a href="elsec20.xls">Individual Unit Tables</a>')
    assert census_f33.discover(html, "https://www2.census.gov/x/") == {
        "FY2020": "https://www2.census.gov/programs-surveys/school-finances/tables/2020/secondary-education-finance/elsec20_sumtables.xlsx"}

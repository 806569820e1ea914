"""The data dictionary: a description and unit for every column of every processed table, and from them
data/processed/datapackage.json, which frictionless validates the committed tables against."""

from __future__ import annotations

import json

import frictionless
import pytest

from schoolclaims import paths
from schoolclaims.tables import SCHEMAS
from schoolclaims.tables.datapackage import NAME, descriptor, write_datapackage


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_every_column_has_a_description_and_a_unit(table):
    schema = SCHEMAS[table]
    assert schema.description, f"{table}: describe the table (description= in its DataFrameSchema)"
    undescribed = [c for c, col in schema.columns.items()
                   if not (col.description and (col.metadata or {}).get("unit"))]
    assert not undescribed, f"{table}: give these columns **about(description, unit) in tables/schemas.py: {undescribed}"


def test_the_committed_datapackage_is_the_one_the_schemas_and_tables_give():
    committed = json.loads((paths.PROCESSED / NAME).read_text(encoding="utf-8"))
    assert committed == descriptor(paths.PROCESSED), "regenerate it: `schoolclaims build` (or make regen)"
    assert [r["name"] for r in committed["resources"]] == [n for n in SCHEMAS if (paths.PROCESSED / f"{n}.csv").is_file()]


def test_frictionless_validates_the_processed_tables_against_it():
    report = frictionless.validate(paths.PROCESSED / NAME)
    problems = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors[:3]]
    assert report.valid, "\n".join(problems[:20])


def _small_price_index(folder, index_cell: str) -> None:
    """Two rows in price_index's layout (synthetic values, written for this test)."""
    sha = "a" * 64
    (folder / "price_index.csv").write_text(
        "series_id,series_title,school_year,index,months,source_id,file_sha256,locator\n"
        f"CUUR0000SA0,CPI-U,2015-16,{index_cell},12,bls_cpi,{sha},lines 8-19\n"
        f"CUUR0000SA0,CPI-U,2016-17,241.5,12,bls_cpi,{sha},lines 20-31\n", encoding="utf-8")


def test_a_damaged_table_fails_validation_naming_the_cell(tmp_path):
    _small_price_index(tmp_path, "238.1")
    write_datapackage(tmp_path)
    package = json.loads((tmp_path / NAME).read_text())
    assert [r["name"] for r in package["resources"]] == ["price_index"]
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["index"]["type"] == "number" and fields["index"]["unit"] == "index (1982-84 = 100)"
    assert fields["months"]["type"] == "integer" and package["resources"][0]["schema"]["primaryKey"] == ["series_id", "school_year"]
    assert frictionless.validate(tmp_path / NAME).valid

    _small_price_index(tmp_path, "two hundred")  # text where a number belongs; the file's hash changes too
    report = frictionless.validate(tmp_path / NAME)
    assert not report.valid
    messages = " ".join(error.message for task in report.tasks for error in task.errors)
    assert "two hundred" in messages and "hash" in messages


def test_the_site_tables_page_lists_every_table_and_column_with_its_unit(tmp_path):
    from schoolclaims.report import site

    _small_price_index(tmp_path, "238.1")  # only price_index is "built" in this folder
    page = site.render_tables(site.SiteData(records=[], resources=[], charts={}), processed=tmp_path)
    for name, schema in SCHEMAS.items():
        assert f'<section id="{name}">' in page and f'<a href="#{name}">' in page
        for column in schema.columns:
            assert f'<code class="name">{column}</code>' in page
    section = page[page.index('<section id="price_index">'):]
    section = section[:section.index("</section>")]
    assert '<a href="data/processed/price_index.csv">price_index.csv</a>' in section
    assert "one row per series_id × school_year" in section
    assert "<td>index (1982-84 = 100)</td>" in section and "<td>number</td>" in section
    assert "not built yet" in page[page.index('<section id="state_economy">'):page.index('<section id="largest_school_systems">')]
    assert '<a href="tables.html">Tables</a>' in page  # in the site's navigation

"""BEA's July 2017 vintage (a third party's R copy): read on the real mirrored files, hand-checked cells, and a cut
or foreign file refused."""

from __future__ import annotations

import bz2

import pytest

from schoolclaims.sources import LayoutError, bea_vintage
from schoolclaims.transform.economy import vintage_2017


def _path(mirrored, source_id):
    archive, mirrors = mirrored
    [resource] = archive.for_source(source_id)
    return archive.locate(resource, mirrors)


def test_the_july_2017_vintage_as_first_published(mirrored):
    """Hand-checked against the mirror's manifest notes: California's 2016 GDP $2,602,672 million (the "$2.60 trillion"
    of July 2017 press), per-capita personal income $55,987, 7th of the 50 states; Connecticut $71,033 first."""
    gdp = bea_vintage.read(_path(mirrored, "bea_sgdp_2017"), "bea_sgdp_2017")
    spi = bea_vintage.read(_path(mirrored, "bea_spi_2017"), "bea_spi_2017")
    assert gdp["stabbr"].nunique() == 51 and gdp["year"].max() == 2016
    ca = gdp[(gdp["stabbr"] == "CA") & (gdp["year"] == 2016)].iloc[0]
    assert (ca["geo_fips"], ca["gdp"]) == ("06000", 2602672.0)
    table = vintage_2017(gdp.assign(file_sha256="a" * 64), spi.assign(file_sha256="b" * 64))
    row = table[(table["state"] == "California") & (table["year"] == 2016)].iloc[0]
    assert (row["per_capita_personal_income"], row["per_capita_personal_income_rank"]) == (55987.0, 7)
    assert row["gdp_musd_rank"] == 1 and row["source_grade"] == "third-party compilation"
    ct = table[(table["state"] == "Connecticut") & (table["year"] == 2016)].iloc[0]
    assert (ct["per_capita_personal_income"], ct["per_capita_personal_income_rank"]) == (71033.0, 1)
    assert table.groupby("year").size().eq(51).all()  # DC listed, not ranked
    assert table.loc[table["state"] == "District of Columbia", "gdp_musd_rank"].isna().all()


def test_a_cut_copy_is_refused_not_read_short(mirrored, tmp_path):
    whole = _path(mirrored, "bea_sgdp_2017").read_bytes()
    cut = tmp_path / "sgdp.a.rda"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(LayoutError, match="sgdp.a.rda: the bzip2 stream ends early: the file is cut short"):
        bea_vintage.read(cut, "bea_sgdp_2017")


@pytest.mark.parametrize("content, message", [
    (b"stabbr,year,gdp\nCA,2016,1\n", "not a bzip2-compressed RData file"),
    (bz2.compress(b"not R data at all"), "not an RData file"),
])
def test_a_file_that_is_not_this_format_is_named(tmp_path, content, message):
    path = tmp_path / "sgdp.a.rda"
    path.write_bytes(content)
    with pytest.raises(LayoutError, match=message):
        bea_vintage.read(path, "bea_sgdp_2017")

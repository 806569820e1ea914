"""A state economy table from BEA: GDP, GDP per capita and per-capita personal income, with each
state's rank among the 50 states (DC is listed but not ranked), current dollars, in each archived vintage: BEA's
current files (SAGDP1 and SAINC1, 2020) and the July 2017 vintage a 2017-18 reader saw (a third party's copy).
A claim that repeats a published figure reads the vintage current at its date (claims.methods.funding). Ranks are
computed from the unrounded figures (GDP per person is a quotient: rounding it first can make two states tie)."""

from __future__ import annotations

import pandas as pd

from .grades import with_grades

GDP_LINE = 3  # SAGDP1: Current-dollar GDP (millions of current dollars)
POPULATION_LINE = 2  # SAINC1: Population (persons)
PCPI_LINE = 3  # SAINC1: Per capita personal income (dollars)
DC_FIPS = "11000"


def _states(frame: pd.DataFrame) -> pd.DataFrame:
    fips = frame["geo_fips"]
    return frame[(fips != "00000") & (fips < "57000") & fips.str.endswith("000")]


def _pick(frame: pd.DataFrame, line: int, name: str) -> pd.DataFrame:
    rows = _states(frame[frame["line_code"] == line])
    return rows.rename(columns={"value": name, "line": f"{name}_line"})[["geo_fips", "geo_name", "year", name, f"{name}_line"]]


def _latest(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The rows of the most recently retrieved file of a table (a refreshed download supersedes the older one)."""
    latest = frame[frame["retrieved_at"] == frame["retrieved_at"].max()]
    return latest, latest["file_sha256"].iloc[0]


def state_economy(sagdp: pd.DataFrame, sainc: pd.DataFrame) -> pd.DataFrame:
    """``sagdp`` and ``sainc``: the BEA tables as extracted, with file_sha256 and retrieved_at."""
    (sagdp, sagdp_sha), (sainc, sainc_sha) = _latest(sagdp), _latest(sainc)
    gdp = _pick(sagdp, GDP_LINE, "gdp_musd")
    # names differ between the files (footnote marks such as "Alaska *"): join on FIPS code and year
    pop = _pick(sainc, POPULATION_LINE, "population").drop(columns="geo_name")
    pcpi = _pick(sainc, PCPI_LINE, "per_capita_personal_income").drop(columns="geo_name")
    table = gdp.merge(pop, on=["geo_fips", "year"]).merge(pcpi, on=["geo_fips", "year"])
    table["geo_name"] = table["geo_name"].str.replace(r"\s*\*$", "", regex=True)
    table = _ranked(table)
    table["vintage"] = CURRENT_VINTAGE
    table["confidence"] = "official file"
    table["source_id"] = "bea_sagdp1+bea_sainc1"
    table["file_sha256"] = sagdp_sha + "+" + sainc_sha
    table["locator"] = ("SAGDP1 line " + table["gdp_musd_line"].astype(str) + ", SAINC1 lines "
                        + table["population_line"].astype(str) + " and " + table["per_capita_personal_income_line"].astype(str)
                        + ", column " + table["year"].astype(str))
    table = table.rename(columns={"geo_name": "state"})
    return with_grades(table)[COLUMNS].sort_values(["year", "geo_fips"]).reset_index(drop=True)


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """GDP per person and each state's rank among the 50 (DC listed, not ranked) on each measure, per year."""
    per_person = table["gdp_musd"] * 1_000_000 / table["population"]
    ranked = table["geo_fips"] != DC_FIPS
    table = table.copy()
    for column, values in [("gdp_musd", table["gdp_musd"]), ("gdp_per_capita", per_person),
                           ("per_capita_personal_income", table["per_capita_personal_income"])]:
        # ranked on the unrounded quotient: two states a few cents apart must not tie (Vermont and Utah in 2002)
        table[f"{column}_rank"] = (values.where(ranked).groupby(table["year"])
                                   .rank(ascending=False, method="min").astype("Int64"))
    table["gdp_per_capita"] = per_person.round(2)  # cents, so the table shows why two close states rank apart
    return table


COLUMNS = ["state", "geo_fips", "year", "vintage", "gdp_musd", "gdp_musd_rank", "population", "gdp_per_capita",
           "gdp_per_capita_rank", "per_capita_personal_income", "per_capita_personal_income_rank",
           "confidence", "source_grade", "transcription", "source_id", "file_sha256", "locator"]
CURRENT_VINTAGE = "2020-04"  # SAGDP1 of April 2020 with SAINC1 of March 2020, as the mirror holds them
VINTAGE_2017 = "2017-07-15"  # the date the third party saved BEA's files: the vintage then current


def vintage_2017(sgdp: pd.DataFrame, spi: pd.DataFrame) -> pd.DataFrame:
    """The same table from the July 2017 vintage (sources.bea_vintage): GDP in $ millions, population in thousands
    (to the person) and per-capita personal income, data to 2016. Empty when the copy is not archived."""
    if sgdp.empty or spi.empty:
        return pd.DataFrame(columns=COLUMNS)
    gdp = sgdp.rename(columns={"gdp": "gdp_musd", "row": "gdp_row"})
    income = spi.rename(columns={"pcpi": "per_capita_personal_income", "row": "spi_row", "file_sha256": "spi_sha256"})
    table = gdp.merge(income[["geo_fips", "year", "pop", "per_capita_personal_income", "spi_row", "spi_sha256"]],
                      on=["geo_fips", "year"])
    table = _ranked(table.assign(population=(table["pop"] * 1000).round(0), state=table["geo_name"]))
    return with_grades(table.assign(
        vintage=VINTAGE_2017, source_id="bea_sgdp_2017+bea_spi_2017",
        confidence="third-party copy of BEA's files as published in July 2017 (BEAData R package)",
        file_sha256=table["file_sha256"] + "+" + table["spi_sha256"],
        locator="sgdp.a row " + table["gdp_row"].astype(str) + ", spi.a row " + table["spi_row"].astype(str),
    ))[COLUMNS].sort_values(["year", "geo_fips"]).reset_index(drop=True)


def all_vintages(sagdp, sainc, sgdp_2017, spi_2017) -> pd.DataFrame:
    return pd.concat([vintage_2017(sgdp_2017, spi_2017), state_economy(sagdp, sainc)], ignore_index=True)

"""A state economy table from BEA: GDP, GDP per capita and per-capita personal income, with each
state's rank among the 50 states (DC is listed but not ranked), current dollars. Ranks are computed from the
unrounded figures (GDP per person is a quotient: rounding it first can make two states tie)."""

from __future__ import annotations

import pandas as pd

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
    per_person = table["gdp_musd"] * 1_000_000 / table["population"]
    ranked = table["geo_fips"] != DC_FIPS
    for column, values in [("gdp_musd", table["gdp_musd"]), ("gdp_per_capita", per_person),
                           ("per_capita_personal_income", table["per_capita_personal_income"])]:
        # ranked on the unrounded quotient: two states a few cents apart must not tie (Vermont and Utah in 2002)
        table[f"{column}_rank"] = (values.where(ranked).groupby(table["year"])
                                   .rank(ascending=False, method="min").astype("Int64"))
    table["gdp_per_capita"] = per_person.round(2)  # cents, so the table shows why two close states rank apart
    table["source_id"] = "bea_sagdp1+bea_sainc1"
    table["file_sha256"] = sagdp_sha + "+" + sainc_sha
    table["locator"] = ("SAGDP1 line " + table["gdp_musd_line"].astype(str) + ", SAINC1 lines "
                        + table["population_line"].astype(str) + " and " + table["per_capita_personal_income_line"].astype(str)
                        + ", column " + table["year"].astype(str))
    table = table.rename(columns={"geo_name": "state"})
    columns = ["state", "geo_fips", "year", "gdp_musd", "gdp_musd_rank", "population", "gdp_per_capita",
               "gdp_per_capita_rank", "per_capita_personal_income", "per_capita_personal_income_rank",
               "source_id", "file_sha256", "locator"]
    return table[columns].sort_values(["year", "geo_fips"]).reset_index(drop=True)

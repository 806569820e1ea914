"""The funding notebook's charts and tables, built here so the notebook only narrates and shows them."""

from __future__ import annotations

import pandas as pd

from ..entities import CALIFORNIA, LAUSD
from ..transform.funding import MEASURES
from ..transform.prices import BASE_YEAR
from .style import highlight_colors, label, mark_claim, money, new_chart


def lausd_series(per_pupil: pd.DataFrame, dollars: str) -> pd.DataFrame:
    """LAUSD rows, one vintage per measure and year (the latest listed), for plotting."""
    rows = per_pupil[(per_pupil["entity"] == LAUSD.name) & (per_pupil["dollars"] == dollars)]
    return rows.sort_values(["measure_id", "school_year", "vintage"]).groupby(["measure_id", "school_year"]).tail(1)


def per_pupil_chart(per_pupil: pd.DataFrame, dollars: str, target: float, target_years: list[str]):
    """LAUSD per-pupil lines with the claimed target (a line) and its target school years (a band)."""
    fig, ax = new_chart()
    data = lausd_series(per_pupil, dollars)
    for measure_id, group in data.groupby("measure_id", sort=True):
        # plot at the spring of each school year; years with no figure stay gaps, not drawn-in lines
        series = group.set_index(group["school_year"].str[:4].astype(int) + 1)["value"]
        series = series.reindex(range(series.index.min(), series.index.max() + 1))
        ax.plot(series.index, series.values, marker="o", markersize=3, label=MEASURES[measure_id]["measure"])
    mark_claim(ax, target, ax.get_xlim()[0] + 0.5, target * 0.985,
               f"{money(target)} per pupil (claimed target, {' / '.join(target_years)})", va="top")
    ends = [int(y[:4]) + 1 for y in target_years]
    ax.axvspan(min(ends) - 0.5, max(ends) + 0.5, color="#f4d03f", alpha=0.25, linewidth=0)
    which = "nominal dollars" if dollars == "nominal" else f"{BASE_YEAR} dollars (LA-area CPI-U)"
    label(ax, f"LAUSD money per pupil by measure, {which}", "School year (ending)",
          "Dollars per pupil" if dollars == "nominal" else f"Dollars per pupil ({BASE_YEAR} dollars)", yticks=money)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, 0.93))
    return fig, data


def ada_vs_enrollment(cde: pd.DataFrame, systems: pd.DataFrame) -> pd.DataFrame:
    """LAUSD's attendance (CDE ADA) next to its fall enrollment (Census F-33) for the years both exist."""
    lausd = cde[cde["cds"] == LAUSD.district_code][["school_year", "edp365", "ada", "per_ada"]]
    f33 = systems[systems["school_system"] == LAUSD.name][["school_year", "enrollment", "per_pupil_current_spending"]]
    table = lausd.merge(f33, on="school_year", how="left")
    table["ada_as_share_of_enrollment"] = (table["ada"] / table["enrollment"]).round(3)
    table["ada_change_from_prior_year"] = table["ada"].pct_change().round(3)
    return table.reset_index(drop=True)


def ranking_chart(rankings: pd.DataFrame, state: str, claimed: int):
    data = rankings[(rankings["state"] == state)].copy()
    data["year"] = pd.to_numeric(data["data_year"].str[:4], errors="coerce") + 1
    data["year"] = data["year"].fillna(data["reported_year"].astype(float))
    fig, ax = new_chart()
    markers = "osD^vP*X"
    for i, (publisher, group) in enumerate(data.groupby("publisher", sort=True)):
        ax.plot(group["year"], group["rank"], linestyle="none", marker=markers[i % len(markers)], label=publisher)
    mark_claim(ax, claimed, data["year"].max(), claimed - 0.8, f"claimed: {claimed}th", ha="right")
    ax.invert_yaxis()
    ax.set_ylim(52, 0)
    label(ax, f"{state}'s per-pupil spending rank, by ranking and data year",
          "Data year (school year ending); undated rankings at their report year", "Rank (1 = spends most per pupil)")
    ax.legend(fontsize=7, loc="upper left", ncol=1)
    return fig, data.drop(columns=["year"])


def economy_ranks(economy: pd.DataFrame, state: str, years: list[int]) -> pd.DataFrame:
    rows = economy[(economy["state"] == state) & economy["year"].isin(years)]
    return rows[["state", "year", "gdp_musd", "gdp_musd_rank", "gdp_per_capita", "gdp_per_capita_rank",
                 "per_capita_personal_income", "per_capita_personal_income_rank", "source_id", "file_sha256", "locator"]]


def gdp_per_capita_chart(economy: pd.DataFrame, year: int, highlight: str = CALIFORNIA.name, top: int = 12):
    rows = economy[(economy["year"] == year) & economy["gdp_per_capita_rank"].notna()]
    data = rows.sort_values("gdp_per_capita", ascending=False).head(top)
    fig, ax = new_chart()
    ax.barh(data["state"][::-1], data["gdp_per_capita"][::-1], color=highlight_colors(data["state"], highlight)[::-1])
    label(ax, f"The {top} states with the highest GDP per person, {year}", f"GDP per person, {year} (current dollars)",
          xticks=money)
    return fig, data


# -- alt text, written from the plotted data so it can never drift from the chart ----------------------
def per_pupil_alt(data: pd.DataFrame, dollars: str, target: float) -> str:
    which = "nominal dollars" if dollars == "nominal" else f"{BASE_YEAR} dollars (LA-area CPI-U)"
    parts = []
    for measure_id, group in data.groupby("measure_id", sort=True):
        group = group.sort_values("school_year")
        first, last = group.iloc[0], group.iloc[-1]
        hit = group[group["value"] >= target]
        crossing = (f"first at or above {money(target)} in {hit['school_year'].iloc[0]}" if len(hit)
                    else f"never at {money(target)}")
        parts.append(f"{MEASURES[measure_id]['measure']}: {money(first['value'])} in {first['school_year']} to "
                     f"{money(last['value'])} in {last['school_year']}, {crossing}")
    return (f"Line chart of LAUSD money per pupil by school year in {which}, one line per measure, with a dashed line "
            f"at {money(target)}. " + "; ".join(parts) + ".")


def ranking_alt(data: pd.DataFrame, claimed: int) -> str:
    parts = []
    for publisher, group in data.groupby("publisher", sort=True):
        parts.append(f"{publisher}: {group['rank'].min()} to {group['rank'].max()} ({len(group)} of them)")
    hits = data[data["rank"] == claimed]
    state = data["state"].iloc[0]
    return (f"Scatter chart of {state}'s per-pupil spending rank by data year and publisher, dashed line at {claimed}. "
            + "; ".join(parts) + f". Ranked exactly {claimed}: " + ", ".join(
                f"{r['publisher']} ({r['data_year'] or 'reported ' + str(r['reported_year'])})" for _, r in hits.iterrows()) + ".")


def gdp_alt(data: pd.DataFrame, year: int, highlight: str = CALIFORNIA.name) -> str:
    order = ", ".join(f"{r['state']} {money(r['gdp_per_capita'])}" for _, r in data.iterrows())
    place = data["state"].tolist().index(highlight) + 1 if highlight in data["state"].tolist() else None
    return (f"Horizontal bar chart of the states with the highest GDP per person in {year}, highest first: {order}. "
            + (f"{highlight} is number {place}." if place else f"{highlight} is not among them."))

"""The funding notebook's charts and tables, built here so the notebook only narrates and shows them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..entities import CALIFORNIA, LAUSD
from ..sources import census_f33
from ..transform.funding import MEASURES, first_crossing
from ..transform.grades import preferred
from ..transform.published import published_and_revision
from ..transform.prices import BASE_YEAR
from .style import (ENTITY_COLORS, OFFICIAL, SECOND_HAND, all_files, bar_style, claim_variant, describe_runs,
                    evidence_kinds, export, finding, highlight_colors, end_labels, kind_bar_handles, kind_handles,
                    kind_runs, kind_words, label, mark_break, mark_claim, marker_style, money, new_chart, series_colors,
                    series_handle, short_names, tints, wrap, year_end, year_line)

# From 2014-15 CDE's current expense includes the state's CalSTRS on-behalf pension payments: a series break.
CALSTRS_BREAK = "2014-15"
BREAK_MEASURE = "cde_current_expense_per_ada"
MEASURE_MARKERS = {"cde_current_expense_per_ada": "o", "census_f33_current_spending_per_pupil": "s",
                   "lcff_entitlement_per_funded_ada": "^"}


def lausd_series(per_pupil: pd.DataFrame, dollars: str) -> pd.DataFrame:
    """LAUSD rows, one per measure and year for plotting: the publisher's own figure before a copy, then the latest
    published (transform.grades.preferred)."""
    rows = per_pupil[(per_pupil["entity"] == LAUSD.name) & (per_pupil["dollars"] == dollars)]
    return preferred(rows.assign(published=published_and_revision(rows)[0]), ["measure_id", "school_year"])


BAND_REACH = 0.25  # years either side of a target year's point that its band covers


def per_pupil_chart(per_pupil: pd.DataFrame, dollars: str, target: float, target_years: list[str]):
    """LAUSD per-pupil lines with the claimed target (a line) and its target school years (a band).

    Lines are LAUSD's colour (one tint and marker per measure) on a true year axis: a year with no figure is
    a gap, official figures are filled and joined by solid lines, second-hand ones hollow and dashed, and a
    dotted line marks the 2014-15 break in CDE's series (CalSTRS on-behalf payments included from then).
    """
    fig, ax = new_chart(figsize=(8, 5.6))
    data = lausd_series(per_pupil, dollars)
    kinds = evidence_kinds(data)
    measures = sorted(data["measure_id"].unique())
    colors = dict(zip(measures, tints(ENTITY_COLORS[LAUSD.name], len(measures), lightest=0.45)))
    handles = []
    for measure_id, group in data.groupby("measure_id", sort=True):
        marker = MEASURE_MARKERS.get(measure_id, "D")
        year_line(ax, group["school_year"].map(year_end), group["value"], kinds[group.index], colors[measure_id], marker)
        runs = describe_runs(kind_runs(group["school_year"], kinds[group.index]))
        handles.append(series_handle(colors[measure_id], marker, f"{MEASURES[measure_id]['measure']} ({runs})"))
    ends = [year_end(y) for y in target_years]
    # the target and its band over the target years' points only: a line rising to a later year's point crosses the
    # target's height after the band, not inside it (in the band it would read as met)
    span = (min(ends) - BAND_REACH, max(ends) + BAND_REACH)
    mark_claim(ax, target, span[0], target * 1.01,
               f"{money(target)} per pupil (claimed target, {' / '.join(target_years)})", ha="right", va="bottom", span=span)
    ax.axvspan(*span, color="#f4d03f", alpha=0.25, linewidth=0)
    cde_years = data.loc[data["measure_id"] == BREAK_MEASURE, "school_year"]
    if len(cde_years) and cde_years.min() < CALSTRS_BREAK <= cde_years.max():
        mark_break(ax, year_end(CALSTRS_BREAK) - 0.5, f"{CALSTRS_BREAK}: CDE adds the state's\nCalSTRS on-behalf "
                   "payments\n(series break)", y=0.03)
    low, high = min(data["value"].min(), target), max(data["value"].max(), target)
    ax.set_ylim(low - 0.05 * (high - low), high + 0.5 * (high - low))  # room above the lines for the legend
    which = "nominal dollars" if dollars == "nominal" else f"{BASE_YEAR} dollars"
    first, last = data["school_year"].min(), data["school_year"].max()
    label(ax, f"LAUSD money per pupil, {first} to {last}, {which}", "School year (ending)",
          "Dollars per pupil" if dollars == "nominal" else f"Dollars per pupil ({BASE_YEAR} dollars)", yticks=money,
          subtitle="CDE Current Expense files; a third-party copy of CDE's figures after them; Census F-33 tables;\n"
                   "LCFF entitlements from a third-party copy (ledger figures). Legend: which years are which.")
    ax.legend(handles=handles + kind_handles(kinds), fontsize=7, loc="upper left", frameon=True, framealpha=0.9,
              edgecolor="none")
    return fig, data


def ada_vs_enrollment(cde: pd.DataFrame, systems: pd.DataFrame) -> pd.DataFrame:
    """LAUSD's attendance (CDE ADA) next to its fall enrollment (Census F-33) for the years both exist. Until FY2018
    Census counted the independent charter schools LAUSD authorizes in its enrollment, which the district's ADA leaves
    out (``charters_in_enrollment``); ADA ÷ enrollment is given only where both leave them out."""
    lausd = cde[cde["cds"] == LAUSD.district_code][["school_year", "edp365", "ada", "per_ada"]]
    f33 = systems[systems["school_system"] == LAUSD.name][["school_year", "fiscal_year", "enrollment", "per_pupil_current_spending"]]
    table = lausd.merge(f33, on="school_year", how="left")
    table["charters_in_enrollment"] = table["fiscal_year"].map(
        lambda fy: census_f33.layouts()[int(fy)].california_charters == "in" if pd.notna(fy) else pd.NA)
    table["ada_as_share_of_enrollment"] = (table["ada"] / table["enrollment"]).round(3).where(table["charters_in_enrollment"].eq(False))
    table["ada_change_from_prior_year"] = table["ada"].pct_change().round(3)
    return table.reset_index(drop=True)


DODGE = 0.5  # years between the points of publishers that give one rank for one year: a marker's width on a desktop
DODGE_REACH = 0.4  # years at most from its own year: a point is never set halfway to the next


def side_by_side(years: pd.Series, ranks: pd.Series, publishers: pd.Series) -> pd.Series:
    """How far to move each point along the year axis so that publishers giving the same rank for the same year stand
    side by side, centred on the year in publisher order, instead of one hiding another: :data:`DODGE` apart, closer
    when there are so many that the outer ones would go further than :data:`DODGE_REACH` from their year. Rows of
    one publisher (its own copies of one figure) share a spot."""
    frame = pd.DataFrame({"year": years, "rank": ranks, "publisher": publishers})
    order = frame.groupby(["year", "rank"])["publisher"].transform(
        lambda names: names.map({name: i for i, name in enumerate(sorted(names.unique()))}))
    count = frame.groupby(["year", "rank"])["publisher"].transform("nunique")
    step = np.minimum(DODGE, 2 * DODGE_REACH / (count - 1).clip(lower=1))
    return (order - (count - 1) / 2) * step


def ranking_chart(rankings: pd.DataFrame, state: str, claimed: int):
    """The state's rank by data year, one marker per publisher in the state's colour: filled where the rank
    comes from an official file (Census F-33 tables), hollow where it is quoted second-hand."""
    data = rankings[(rankings["state"] == state)].copy()
    data["year"] = pd.to_numeric(data["data_year"].str[:4], errors="coerce") + 1
    data["year"] = data["year"].fillna(data["reported_year"].astype(float))
    kinds = evidence_kinds(data)
    colors = series_colors(sorted(data["publisher"].unique()))  # publishers told apart by colour and marker
    data["x"] = data["year"] + side_by_side(data["year"], data["rank"], data["publisher"])
    fig, ax = new_chart(figsize=(8, 6.2))  # the legend goes under the panel, where it covers no rank
    markers = "osD^vP*X"
    handles, ends = [], []
    for i, (publisher, group) in enumerate(data.groupby("publisher", sort=True)):
        marker, color = markers[i % len(markers)], colors[publisher]
        for kind in (OFFICIAL, SECOND_HAND):
            rows = group[kinds[group.index] == kind]
            if len(rows):
                ax.plot(rows["x"], rows["rank"], linestyle="none", marker=marker, markersize=6,
                        label=f"_{kind} points", **marker_style(kind, color))
        which = ", ".join(sorted({_first_hand_word(group[kinds[group.index] == OFFICIAL]) if k == OFFICIAL else "second-hand"
                                  for k in kinds[group.index]}))
        handles.append(series_handle(color, marker, f"{publisher} ({which})"))
        last = group.sort_values("year").iloc[-1]
        ends.append((last["x"], last["rank"], short_names(data["publisher"].unique())[publisher], color))
    mark_claim(ax, claimed, data["year"].max(), claimed - 0.8, f"claimed: {claimed}th", ha="right")
    ax.invert_yaxis()
    ax.set_ylim(52, 0)
    official = sorted(data.loc[kinds == OFFICIAL, "publisher"].unique())
    quoted = sorted(data.loc[kinds == SECOND_HAND, "publisher"].unique())
    firsthand = kind_words([OFFICIAL], data[kinds == OFFICIAL])  # 'official files', or 'first-hand sources' with pages
    subtitle = "; ".join(filter(None, [f"{firsthand}: {', '.join(official)}" if official else "",
                                       f"second-hand: {len(quoted)} other rankings as quoted" if quoted else ""]))
    label(ax, f"{state}'s per-pupil spending rank, data years {int(data['year'].min())} to {int(data['year'].max())}",
          "Data year (school year ending); undated rankings at their report year; equal ranks side by side",
          "Rank (1 = spends most per pupil)",
          subtitle=subtitle)
    for handle in handles:
        handle.set_label(wrap(handle.get_label(), 48))
    ax.legend(handles=handles + kind_handles(kinds, lines=False, frame=data), fontsize=7, loc="upper left", ncol=2,
              bbox_to_anchor=(0, -0.26))
    fig.subplots_adjust(bottom=0.4)
    ax.set_xlim(ax.get_xlim()[0], data["year"].max() + 6)  # room for the direct labels
    end_labels(ax, ends)  # each publisher named beside its latest rank
    return fig, data.drop(columns=["year", "x"])


def economy_ranks(economy: pd.DataFrame, state: str, years: list[int]) -> pd.DataFrame:
    """The state's rows for ``years`` in every archived BEA vintage (as first published, and as revised)."""
    rows = economy[(economy["state"] == state) & economy["year"].isin(years)].sort_values(["year", "vintage"])
    return rows[["state", "year", "vintage", "gdp_musd", "gdp_musd_rank", "gdp_per_capita", "gdp_per_capita_rank",
                 "per_capita_personal_income", "per_capita_personal_income_rank", "source_grade", "source_id",
                 "file_sha256", "locator"]]


def latest_vintage(economy: pd.DataFrame) -> pd.DataFrame:
    """Each year's rows in the latest archived BEA vintage that holds it."""
    latest = economy.groupby("year")["vintage"].transform("max")
    return economy[economy["vintage"] == latest]


# -- short tables for the notebook: the columns a reader needs, numbers formatted ---------------------------
def measures_table(measure_ids=None) -> pd.DataFrame:
    """What each per-pupil measure counts and divides by."""
    ids = list(measure_ids) if measure_ids is not None else list(MEASURES)
    return pd.DataFrame([{"measure": MEASURES[m]["measure"], "money counted": MEASURES[m]["numerator"],
                          "divided by": MEASURES[m]["denominator"]} for m in ids])


def crossing_table(per_pupil: pd.DataFrame, entity: str, threshold: float) -> pd.DataFrame:
    """The first school year each measure reaches ``threshold``, nominal and constant ('never' when it did not)."""
    table = first_crossing(per_pupil[per_pupil["entity"] == entity], threshold)
    return pd.DataFrame({
        "measure": table["measure_id"].map(lambda m: MEASURES[m]["measure"]),
        "dollars": table["dollars"].map({"nominal": "nominal", "constant": f"{BASE_YEAR} dollars"}),
        f"first year at or above {money(threshold)}": table["first_year_at_or_above"].replace("", "never"),
        "value then": table["value_then"].map(lambda v: money(v) if pd.notna(v) else ""),
        "years covered": table["years_covered"],
    })


def ada_table(cde: pd.DataFrame, systems: pd.DataFrame, since: str = "2014-15") -> pd.DataFrame:
    """LAUSD's ADA beside its fall enrollment from ``since`` on (the years both are archived and the 2021-22 drop)."""
    table = ada_vs_enrollment(cde, systems)
    table = table[table["school_year"] >= since]
    return pd.DataFrame({
        "school year": table["school_year"],
        "ADA (CDE)": table["ada"].map(lambda v: f"{v:,.0f}"),
        "current expense per ADA": table["per_ada"].map(money),
        "fall enrollment (Census F-33)": table["enrollment"].map(lambda v: f"{v:,.0f}" if pd.notna(v) else ""),
        "independent charters in it": table["charters_in_enrollment"].map({True: "counted", False: "left out"}).fillna(""),
        "ADA ÷ enrollment": [f"{v:.1%}" if pd.notna(v) else "not comparable" if charters is True else ""
                             for v, charters in zip(table["ada_as_share_of_enrollment"], table["charters_in_enrollment"])],
        "ADA change from prior year": table["ada_change_from_prior_year"].map(lambda v: f"{v:+.1%}" if pd.notna(v) else ""),
    }).reset_index(drop=True)


def economy_table(economy: pd.DataFrame, state: str, years: list[int]) -> pd.DataFrame:
    """The state's GDP, GDP per person and per-capita personal income with their ranks among the 50 states."""
    rows = economy_ranks(economy, state, years)
    return pd.DataFrame({
        "year": rows["year"],
        "BEA vintage": rows["vintage"] + rows["source_grade"].map(lambda g: " (third-party copy)" if g == "third-party compilation" else ""),
        "GDP": rows["gdp_musd"].map(lambda v: f"${v / 1e6:,.2f} trillion"),
        "GDP rank": rows["gdp_musd_rank"].astype(int),
        "GDP per person": rows["gdp_per_capita"].map(money),
        "rank per person": rows["gdp_per_capita_rank"].astype(int),
        "personal income per person": rows["per_capita_personal_income"].map(money),
        "rank by income": rows["per_capita_personal_income_rank"].astype(int),
        "source": "BEA SAGDP1, SAINC1 (official files)",
    }).reset_index(drop=True)


def largest_systems_table(systems: pd.DataFrame, top: int = 4) -> pd.DataFrame:
    """The ``top`` school systems by fall enrollment in each archived F-33 year."""
    rows = systems[systems["enrollment_rank"] <= top]
    return pd.DataFrame({
        "school year": rows["school_year"], "rank": rows["enrollment_rank"].astype(int),
        "school system": rows["school_system"], "state": rows["state"],
        "fall enrollment": rows["enrollment"].map(lambda v: f"{v:,.0f}"),
        "source": "Census F-33 Table 18 (official file), " + rows["locator"],
    }).reset_index(drop=True)


def gdp_per_capita_chart(economy: pd.DataFrame, year: int, highlight: str = CALIFORNIA.name, top: int = 12,
                         vintage: str | None = None):
    """The ``top`` states by GDP per person in ``year``, in BEA's ``vintage`` (default: the latest that holds it)."""
    economy = economy[economy["vintage"] == vintage] if vintage else latest_vintage(economy)
    rows = economy[(economy["year"] == year) & economy["gdp_per_capita_rank"].notna()]
    data = rows.sort_values("gdp_per_capita", ascending=False).head(top)
    kinds = evidence_kinds(data)
    fig, ax = new_chart()
    for (state, value, kind), color in zip(zip(data["state"], data["gdp_per_capita"], kinds),
                                          highlight_colors(data["state"], highlight)):
        ax.barh(state, value, **bar_style(kind, color))
    ax.invert_yaxis()  # highest first
    fig.subplots_adjust(left=0.17)  # room for the state names; before the subtitle is fitted to the panel
    shown = data["vintage"].iloc[0] if len(data) else ""
    copy = " (a third party's copy)" if len(data) and data["source_grade"].iloc[0] == "third-party compilation" else ""
    label(ax, f"The {top} states with the highest GDP per person, {year}", f"GDP per person, {year} (current dollars)",
          xticks=money, subtitle=f"BEA GDP ÷ BEA population, {year}, as BEA's files stood in {shown}{copy}; "
                                 f"{highlight} in its own colour")
    ax.set_xlim(0, data["gdp_per_capita"].max() * 1.3 if len(data) else 1)  # room right of the shortest bars for the legend
    ax.legend(handles=kind_bar_handles(kinds), fontsize=7, loc="lower right")
    return fig, data


def gdp_chart_title(result, data: pd.DataFrame, year: int, highlight: str = CALIFORNIA.name) -> str:
    """The title of :func:`gdp_per_capita_chart` for ``year`` beside the rating ``result``: the rating's finding when
    a figure of that year decides it; otherwise what the bars show, said to be later data (or outside the rating)
    when the rating shows that year only as later data (or not at all). A title never states a year its bars do not
    show."""
    from ..claims.model import decides
    from ..claims.wording import ordinal
    from .style import finding

    of_year = result.evidence[result.evidence["year"].astype(str) == str(year)]
    if decides(of_year).any():
        return finding(result)
    # richest_state shows a year it does not decide on only as later data (a later vintage); a year it leaves out has no row
    status = "Later data, not deciding" if len(of_year) else "Not part of the rating"
    if data.empty:
        return f"{status}: no BEA figures for {year} are archived"
    place = data.loc[data["state"] == highlight, "gdp_per_capita_rank"]
    ranked = (f"ranked {ordinal(place.iloc[0])}" if len(place) else
              f"was not among the {len(data)} highest" if len(data) > 1 else "was not the highest")
    return f"{status}: in {year}, as BEA's files stood in {data['vintage'].iloc[0]}, {highlight} {ranked} in GDP per person"


# -- alt text, written from the plotted data so it can never drift from the chart ----------------------
def per_pupil_alt(data: pd.DataFrame, dollars: str, target: float) -> str:
    which = "nominal dollars" if dollars == "nominal" else f"{BASE_YEAR} dollars (LA-area CPI-U)"
    kinds = evidence_kinds(data)
    parts = []
    for measure_id, group in data.groupby("measure_id", sort=True):
        group = group.sort_values("school_year")
        first, last = group.iloc[0], group.iloc[-1]
        hit = group[group["value"] >= target]
        crossing = (f"first at or above {money(target)} in {hit['school_year'].iloc[0]}" if len(hit)
                    else f"never at {money(target)}")
        runs = describe_runs(kind_runs(group["school_year"], kinds[group.index]))
        parts.append(f"{MEASURES[measure_id]['measure']}: {money(first['value'])} in {first['school_year']} to "
                     f"{money(last['value'])} in {last['school_year']}, {crossing} ({runs})")
    cde_years = data.loc[data["measure_id"] == BREAK_MEASURE, "school_year"]
    marked = len(cde_years) and cde_years.min() < CALSTRS_BREAK <= cde_years.max()
    return (f"Line chart of LAUSD money per pupil by school year in {which}, one line per measure, with a dashed line "
            f"at {money(target)}. " + "; ".join(parts) + ". Official figures are filled markers on solid lines, "
            "second-hand figures hollow markers on dashed lines; years with no figure are gaps."
            + (f" A dotted vertical line marks the {CALSTRS_BREAK} break in CDE's series, when the state's CalSTRS "
               "on-behalf pension payments were first included." if marked else ""))


RANKING_CHART = "california_spending_rank"


def export_ranking_charts(rankings: pd.DataFrame, results: dict, primary: str, whatif: str | None = None):
    """The spending-rank chart drawn for the claim ``primary`` (its claimed rank the dashed line, its rating the
    headline), and again for every other claim whose file lists the chart, under ``claim_variant`` names, each with
    its own claimed rank and rating: no claim's page shows another's. Returns the files of ``primary``'s chart."""
    import matplotlib.pyplot as plt

    shown = None
    for claim_id, result in results.items():
        if claim_id != primary and (RANKING_CHART not in result.claim.charts
                                    or result.claim.evaluation.method != "claimed_rank"):  # it draws a claimed rank
            continue
        params = result.claim.evaluation.params
        fig, data = ranking_chart(rankings, params["entity"], params["claimed"])
        name, page = (RANKING_CHART, "funding.html") if claim_id == primary else (
            claim_variant(RANKING_CHART, claim_id), f"claims/{claim_id}.html")
        files = export(fig, name, data, alt_text=ranking_alt(data, params["claimed"]), page=page, whatif=whatif,
                       title=finding(result))
        plt.close(fig)
        shown = files if claim_id == primary else shown
    return shown


def _first_hand_word(rows: pd.DataFrame) -> str:
    """'official file' when the first-hand ``rows`` are all publishers' files, else 'first-hand' (a page among them)."""
    return "official file" if all_files(rows) else "first-hand"


def ranking_alt(data: pd.DataFrame, claimed: int) -> str:
    from ..claims.wording import plural

    kinds = evidence_kinds(data)
    first = _first_hand_word(data[kinds == OFFICIAL])
    filled = "official files" if first == "official file" else "the publishers' own files or pages"
    parts = []
    for publisher, group in data.groupby("publisher", sort=True):
        which = " and ".join(sorted({first if k == OFFICIAL else "second-hand" for k in kinds[group.index]}))
        low, high = group["rank"].min(), group["rank"].max()
        ranks = f"{low}" if low == high else f"{low} to {high}"
        parts.append(f"{publisher}: {ranks} ({plural(len(group), 'rank')}, {which})")
    hits = data[data["rank"] == claimed]
    state = data["state"].iloc[0]
    exactly = (f"Ranked exactly {claimed}: " + ", ".join(
        f"{r['publisher']} ({r['data_year'] or 'reported ' + str(r['reported_year'])})" for _, r in hits.iterrows())
        if len(hits) else f"No ranking puts it exactly {claimed}")
    return (f"Scatter chart of {state}'s per-pupil spending rank by data year and publisher, dashed line at {claimed}; "
            f"filled markers are ranks from {filled}, hollow ones ranks quoted second-hand. "
            + "; ".join(parts) + f". {exactly}.")


def gdp_alt(data: pd.DataFrame, year: int, highlight: str = CALIFORNIA.name) -> str:
    order = ", ".join(f"{r['state']} {money(r['gdp_per_capita'])}" for _, r in data.iterrows())
    place = data["state"].tolist().index(highlight) + 1 if highlight in data["state"].tolist() else None
    vintage = f", BEA's files as they stood in {data['vintage'].iloc[0]}" if len(data) else ""
    return (f"Horizontal bar chart of the states with the highest GDP per person in {year} (BEA files{vintage}), highest first: {order}. "
            + (f"{highlight} is number {place}." if place else f"{highlight} is not among them."))


def missing_table(results) -> pd.DataFrame:
    """What each claim still needs to be settled, one row per missing source (the claims' own results)."""
    rows = [{"claim": r.claim.id, "rating": r.rating, "what would settle it": need} for r in results for need in r.missing]
    return pd.DataFrame(rows, columns=["claim", "rating", "what would settle it"])


# -- California against the U.S. average per pupil; California's world GDP rank by year ----------------------------
def california_vs_us_chart(per_pupil: pd.DataFrame):
    """Census F-33 current spending per pupil (Table 8), California and the United States, nominal, by school year."""
    from ..entities import CALIFORNIA_STATEWIDE, UNITED_STATES

    rows = per_pupil[(per_pupil["measure_id"] == "census_f33_current_spending_per_pupil") & (per_pupil["dollars"] == "nominal")
                     & per_pupil["entity"].isin([CALIFORNIA_STATEWIDE, UNITED_STATES.name])]
    rows = rows.assign(published=published_and_revision(rows)[0])
    data = preferred(rows, ["entity", "school_year"]).sort_values(["entity", "school_year"]).reset_index(drop=True)
    fig, ax = new_chart(figsize=(8, 4.6))
    colors = {CALIFORNIA_STATEWIDE: ENTITY_COLORS[CALIFORNIA.name], UNITED_STATES.name: "#7f7f7f"}
    latest = []
    for entity, group in data.groupby("entity"):
        kinds = evidence_kinds(group)
        year_line(ax, [year_end(y) for y in group["school_year"]], group["value"], kinds, colors[entity],
                  marker="o" if entity == CALIFORNIA_STATEWIDE else "s")
        last = group.iloc[-1]
        latest.append((year_end(last["school_year"]), last["value"], f"{entity.replace(' (statewide)', '')} {last['value']:,.0f}",
                       colors[entity]))
    ends = [year_end(y) for y in data["school_year"]]
    ax.set_xlim(min(ends) - 0.5, max(ends) + 1.8)
    end_labels(ax, latest)  # beside each line's last point; on a phone wrapped, or moved off the other line
    ax.set_xticks(sorted(set(ends)), sorted(set(data["school_year"])))
    ax.yaxis.set_major_formatter(money)
    label(ax, "Current spending per pupil: California and the U.S. average", "School year (Census fiscal year ends June 30)",
          "USD per enrolled pupil, nominal",
          subtitle="Census F-33 summary tables, Table 8 (all funds, current spending ÷ fall enrollment); a year\n"
                   "with no archived workbook is a gap; from FY2019 California's independent charters are out of scope",
          fontsize=11)
    return fig, data


def california_vs_us_alt(data: pd.DataFrame) -> str:
    figures = "; ".join(f"{r.entity} {r.school_year}: ${r.value:,.0f}" for r in data.itertuples())
    return f"Line chart of Census F-33 current spending per pupil, California against the United States average: {figures}."


def world_rank_chart(ledger: pd.DataFrame, state: str = CALIFORNIA.name):
    """California's rank among the world's economies (nominal GDP) by year, as published (press citing the IMF, BEA or
    California's Department of Finance): every figure is second-hand; rank 1 at the top."""
    rows = ledger[(ledger["entity"] == state) & (ledger["measure"] == "world rank of nominal GDP vs countries")]
    rows = rows[rows["school_year_or_year"].str.match(r"^\d{4}$")]
    rows = rows.assign(year=rows["school_year_or_year"].astype(int), published=published_and_revision(rows)[0])
    # one point a year: the first report of that year's ranking (a report with no known date last)
    first = rows.assign(_when=rows["published"].replace("", "9999")).sort_values(["year", "_when", "locator"])
    data = first[~first.duplicated("year")].drop(columns="_when").reset_index(drop=True)
    fig, ax = new_chart(figsize=(8, 4.4))
    kinds = evidence_kinds(data)
    year_line(ax, data["year"], data["value"], kinds, ENTITY_COLORS[CALIFORNIA.name])
    for year, value in zip(data["year"], data["value"]):
        ax.annotate(f"{int(value)}", (year, value), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
    ax.set_ylim(data["value"].max() + 1, 0.5)
    ax.set_yticks(range(1, int(data["value"].max()) + 1))
    ax.legend(handles=kind_handles(kinds), fontsize=8, loc="lower right")
    label(ax, f"{state}'s rank among the world's economies, by year", "Year of the GDP figures", "Rank (1 = largest)",
          subtitle="Nominal GDP against countries, as press reports published it (second-hand);\nthe figure for a year "
                   "appears months later: a claim can only use what was published by then", fontsize=11)
    return fig, data


def world_rank_alt(data: pd.DataFrame) -> str:
    figures = "; ".join(f"{r.year}: {int(r.value)}" for r in data.itertuples())
    return f"Line chart of California's rank among the world's economies by nominal GDP, by year (second-hand figures): {figures}."

"""The pay notebook's charts, built here so the notebook only narrates."""

from __future__ import annotations

import pandas as pd

from ..claims.entities import J90_NAME_WIDTH, district_names
from ..claims.methods.pay import layoff_rows
from ..claims.wording import listing
from ..entities import LAUSD
from .style import (ENTITY_COLORS, NOTE, OFFICIAL, OTHER_COLOR, SECOND_HAND, end_labels, entity_color, evidence_kinds,
                    highlight_colors, kind_handles, kind_words, label, line_style, mark_gap, marker_style, money,
                    new_chart, school_year, series_handle, thousands, tints, top_margin, wrap, year_end, year_ticks)

LAUSD_J90 = LAUSD.name.upper()  # J-90 files write district names in capitals


def la_county_chart(county: pd.DataFrame, directory: pd.DataFrame | None = None):
    """Each Los Angeles County district's schedule range (minimum to maximum), LAUSD in its colour; districts named
    as in the CDE school directory (``california_districts``) where given, since the J-90 cuts long names."""
    data = county.sort_values("max_salary").reset_index(drop=True)
    data["name_shown"] = district_names(data, directory)
    kinds = evidence_kinds(data)
    fig, ax = new_chart(figsize=(8, 9))
    colors = highlight_colors(data["district"], LAUSD_J90)
    for i, (low, high, color, kind) in enumerate(zip(data["min_salary"], data["max_salary"], colors, kinds)):
        ax.plot([low, high], [i, i], color=color, linewidth=2, linestyle=line_style(kind), marker="o", markersize=3,
                label=f"_{kind} range", **marker_style(kind, color))
    ax.set_yticks(range(len(data)), data["name_shown"], fontsize=5)
    for tick, district in zip(ax.get_yticklabels(), data["district"]):
        if district == LAUSD_J90:
            tick.set(color=entity_color(district), fontweight="bold")
    year = ", ".join(sorted(data["school_year"].unique()))
    label(ax, f"LA County districts' teacher salary schedules, {year}",
          "Schedule salary, lowest cell to highest cell (nominal dollars)", xticks=money,
          subtitle=f"CDE J-90 salary survey (TSAL1, TSAL2), {year}, {kind_words(kinds)}:\n"
                   "each district's lowest to highest schedule cell" + _names_from(data, directory))
    handles = [series_handle(entity_color(LAUSD_J90), "o", LAUSD.name),
               series_handle(OTHER_COLOR, "o", "other Los Angeles County districts")]
    ax.legend(handles=handles + kind_handles(kinds), fontsize=7, loc="lower right", frameon=True, framealpha=0.9,
              edgecolor="none")
    fig.subplots_adjust(left=0.28, right=0.97, top=0.92)
    return fig, data


def _names_from(data: pd.DataFrame, directory: pd.DataFrame | None) -> str:
    """'; names as in CDE's school directory (2018-06)' when the directory named any of the districts shown."""
    if directory is None or directory.empty or not data["cds"].isin(directory["district_code"]).any():
        return ""
    vintages = ", ".join(sorted(directory["directory_vintage"].astype(str).unique()))
    return f";\nnames as in CDE's school directory ({vintages}), since the J-90 cuts them at {J90_NAME_WIDTH} characters"


def la_county_alt(data: pd.DataFrame, percentiles: pd.DataFrame) -> str:
    lausd = data[data["district"] == LAUSD_J90].iloc[0]
    return (f"Range chart of {len(data)} Los Angeles County districts' salary schedules ({', '.join(sorted(data['school_year'].unique()))}), "
            f"lowest to highest cell, from the official CDE J-90 files. LAUSD runs from ${lausd['min_salary']:,.0f} (its lowest column: "
            f"{lausd['lowest_column_heading']}) to ${lausd['max_salary']:,.0f}. Teacher-weighted medians: minimum "
            f"${percentiles.loc[0.5, 'min_salary']:,.0f}, maximum ${percentiles.loc[0.5, 'max_salary']:,.0f}.")


def _schedules(rows: pd.DataFrame) -> str:
    """'40 of 42 cells: 2022-23 T table as re-published by third party; 2013-14: …' (largest first)."""
    counts = rows.groupby(["school_year", "schedule"]).size().sort_values(ascending=False, kind="stable")
    parts = [f"{n} of {len(rows)} cells: {year} {schedule}" if n > 1 else f"{year}: {schedule}"
             for (year, schedule), n in counts.items()]
    return "; ".join(parts)


def lausd_steps_chart(table: pd.DataFrame):
    """LAUSD salary by step for every schedule column and year in the salary table (cells only).

    One tint of LAUSD's colour and one marker per year and column, labelled at the line's end; second-hand
    cells (every cell archived today) are hollow and joined by dashed lines. The subtitle says which years
    and documents the cells come from."""
    rows = table[(table["employer"] == LAUSD.name) & (table["kind"] == "cell")].copy()
    kinds = evidence_kinds(rows)
    fig, ax = new_chart(figsize=(8, 5.2))
    groups = list(rows.groupby(["school_year", "schedule", "column_label"], sort=True))
    colors = tints(ENTITY_COLORS[LAUSD.name], len(groups), lightest=0.5)
    markers = "osD^vP*X"
    ends, singles = [], []
    for i, ((year, _schedule, column), group) in enumerate(groups):
        group = group.sort_values("step")
        group_kinds = kinds[group.index]
        kind = OFFICIAL if set(group_kinds) == {OFFICIAL} else SECOND_HAND
        ax.plot(group["step"], group["annual_salary"], color=colors[i], linestyle=line_style(kind), linewidth=1.5,
                marker=markers[i % len(markers)], markersize=4, label=f"_{kind} line", **marker_style(kind, colors[i]))
        last = group.iloc[-1]
        (ends if len(group) > 1 else singles).append(
            (last["step"], last["annual_salary"], f"{year}, {column}" + ("" if len(group) > 1 else f" (step {int(last['step'])} only)"),
             colors[i]))
    ax.set_xlim(rows["step"].min() - 0.5, rows["step"].max() + 3)
    ax.set_xticks(range(int(rows["step"].min()), int(rows["step"].max()) + 1))
    years = rows["school_year"].value_counts().sort_index()
    span = f"mostly {years.idxmax()}" if years.max() > len(rows) / 2 else f"{years.index[0]} to {years.index[-1]}"
    low, high = rows["annual_salary"].min(), rows["annual_salary"].max()
    ax.set_ylim(low - 0.05 * (high - low), high + 0.12 * (high - low))
    label(ax, f"LAUSD teacher salary by step, {span}: {kind_words(kinds)}", "Step",
          "Annual salary (nominal dollars)", yticks=money, subtitle=wrap(_schedules(rows), 110))
    end_labels(ax, ends)
    end_labels(ax, singles)
    ax.legend(handles=kind_handles(kinds), fontsize=7, loc="upper left", frameon=True, framealpha=0.9, edgecolor="none")
    return fig, rows


def lausd_steps_alt(rows: pd.DataFrame) -> str:
    parts = [f"{y} {c}: " + ", ".join(f"step {int(s)} ${v:,.0f}" for s, v in zip(g["step"], g["annual_salary"]))
             for (y, c), g in rows.sort_values("step").groupby(["school_year", "column_label"])]
    return (f"Line chart of LAUSD teacher salary by step, {kind_words(evidence_kinds(rows))} ({_schedules(rows)}). "
            + "; ".join(parts) + ".")


# -- layoffs --------------------------------------------------------------------------------------------
NOTICES = "layoff notices (preliminary, sent by March 15)"
LAYOFFS = "layoffs (authorized, estimated or final)"


def layoff_figure(measure: str) -> str:
    """Whether a reported figure counts notices (most are withdrawn) or layoffs."""
    return NOTICES if "notice" in str(measure).lower() else LAYOFFS


def layoffs_chart(ledger: pd.DataFrame):
    """LAUSD layoff figures by school year on a true year axis (the rows the rating reads: the layoff ledger and
    counts of educators' notices alone): notices and layoffs drawn differently, second-hand figures hollow, and a
    school year with no reported figure marked as such."""
    rows = layoff_rows(ledger)
    ends = rows["school_year_or_year"].map(year_end)
    kinds = evidence_kinds(rows)
    figures = rows["measure"].map(layoff_figure)
    color = ENTITY_COLORS[LAUSD.name]
    fig, ax = new_chart()
    shapes = {NOTICES: "o", LAYOFFS: "D"}
    handles = []
    for figure, marker in shapes.items():
        chosen = figures == figure
        if not chosen.any():
            continue
        for kind in (OFFICIAL, SECOND_HAND):
            points = chosen & (kinds == kind)
            if points.any():
                ax.plot(ends[points], rows.loc[points, "value"], linestyle="none", marker=marker, markersize=6,
                        label=f"_{kind} points", **marker_style(kind, color))
        handles.append(series_handle(color, marker, figure, line=False))
    first, last = int(ends.min()), int(ends.max())
    ledgers = sorted(set(rows["ledger"]))
    year_ticks(ax, first, last)
    ax.set_ylim(-0.04 * rows["value"].max(), 1.35 * rows["value"].max())  # room for the legend above the dots
    for end in sorted(set(range(first, last + 1)) - set(ends)):
        mark_gap(ax, end, "no figure found", y=0.08)
    label(ax, f"LAUSD layoff notices and layoffs, {school_year(first)} to {school_year(last)}",
          "School year the notices were for", "Persons (notices or layoffs, as reported)", yticks=thousands,
          subtitle=f"{kind_words(kinds, rows).capitalize()}: press reports transcribed in the "
                   f"{'ledgers' if len(ledgers) > 1 else 'ledger'} {listing(f'{name}.csv' for name in ledgers)}")
    ax.legend(handles=handles + kind_handles(kinds, lines=False, frame=rows), fontsize=7, loc="upper right", frameon=True,
              framealpha=0.9, edgecolor="none")
    return fig, rows


def layoffs_alt(rows: pd.DataFrame) -> str:
    ends = rows["school_year_or_year"].map(year_end)
    missing = [school_year(e) for e in range(int(ends.min()), int(ends.max()) + 1) if e not in set(ends)]
    parts = [f"{r.school_year_or_year}: {r.value:,.0f} ({r.measure}; {'notices' if layoff_figure(r.measure) == NOTICES else 'layoffs'})"
             for r in rows.itertuples()]
    return (f"Dot chart of LAUSD layoff figures by school year, {kind_words(evidence_kinds(rows), rows)} from press reports; "
            "circles are layoff notices, diamonds layoffs. " + "; ".join(parts) + "."
            + (f" No figure was found for {', '.join(missing)}." if missing else ""))


# -- short tables for the notebook ---------------------------------------------------------------------
def salary_summary(salaries: pd.DataFrame) -> pd.DataFrame:
    """What the salary table holds, one row per employer, year and schedule: how many cells (or add-ons), which
    steps and columns, the range of amounts, and where they come from (the cells themselves are in the chart's CSV)."""
    out = []
    for (employer, year, schedule, kind), group in salaries.groupby(["employer", "school_year", "schedule", "kind"], sort=True):
        steps = group["step"].dropna()
        out.append({
            "employer": employer, "school year": year, "schedule": schedule,
            "what": f"{len(group)} cell{'s' if len(group) > 1 else ''}" if kind == "cell" else "add-on",
            "steps": "" if steps.empty else (f"{int(steps.min())}" if steps.min() == steps.max()
                                             else f"{int(steps.min())} to {int(steps.max())}"),
            "columns": ", ".join(dict.fromkeys(group["column_label"].dropna().astype(str))),
            "amount": money(group["annual_salary"].min()) if group["annual_salary"].nunique() == 1
            else f"{money(group['annual_salary'].min())} to {money(group['annual_salary'].max())}",
            "confidence": "; ".join(sorted(group["confidence"].dropna().unique())),
            "source": "; ".join(sorted(group["source_id"].dropna().unique())),
        })
    return pd.DataFrame(out)


def percentile_table(county: pd.DataFrame, percentiles: pd.DataFrame) -> pd.DataFrame:
    """Teacher-weighted percentiles of the county's schedule minimums and maximums, in dollars."""
    return pd.DataFrame({
        "teacher-weighted percentile": [f"{p:.0%}" for p in percentiles.index],
        "schedule minimum": percentiles["min_salary"].map(money).tolist(),
        "schedule maximum": percentiles["max_salary"].map(money).tolist(),
    })


def lausd_j90_row(county: pd.DataFrame) -> pd.DataFrame:
    """LAUSD's J-90 row: teacher FTE, days, lowest column, minimum and maximum, degree stipends."""
    row = county[county["district"] == LAUSD_J90]
    return pd.DataFrame({
        "school year": row["school_year"], "teacher FTE": row["teacher_fte"].map(lambda v: f"{v:,.0f}"),
        "days": row["days"], "lowest column": row["lowest_column_heading"],
        "minimum": row["min_salary"].map(money), "maximum": row["max_salary"].map(money),
        "MA stipend": row["ma_stipend"].map(money), "doctorate stipend": row["doctorate_stipend"].map(money),
        "source": "CDE J-90 (official file), " + row["locator"],
    }).reset_index(drop=True)


# -- Alliance and LAUSD pay: what the archive holds, by employer and year -----------------------------------------
PAY_YEARS = ["2013-14", "2014-15", "2015-16", "2016-17", "2020-21", "2022-23"]  # the claims' years, and the later ones held
MISSING = {  # employer -> school year -> what is missing, for the years of the claims (2015-16 above all)
    "Alliance College-Ready Public Schools": "no schedule archived: the cited 2015-16 PDF's address is dead; charters "
                                             "do not file J-90",
    "Los Angeles Unified": "salary-table PDFs not archived",
}


def pay_holdings(schedules: pd.DataFrame, district_salaries: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """Every annual figure the archive holds for Alliance or LAUSD teacher pay, one row per figure, with the employer,
    school year, what it measures and its source grade; and one row per employer and year of the claims where no
    figure is held, saying what is missing (value empty)."""
    from ..entities import ALLIANCE

    parts = []
    cells = schedules[(schedules["kind"] == "cell") & schedules["employer"].isin([LAUSD.name, ALLIANCE.name])]
    first = cells[cells["step"].astype("Int64") == 1]
    first = first[first["column_label"].str.contains("BA|bachelor", case=False, regex=True)
                  & ~first["column_label"].str.contains(r"\+", regex=True)]
    parts.append(first.assign(measure="schedule: step 1, BA column (" + first["schedule"] + ")", value=first["annual_salary"]))
    j90 = district_salaries[district_salaries["district"] == LAUSD_J90]
    parts.append(j90.assign(employer=LAUSD.name, measure="J-90: schedule minimum (its L table, not a credentialed BA start)",
                            value=j90["min_salary"], confidence="official file"))
    parts.append(j90.assign(employer=LAUSD.name, measure="J-90: schedule maximum", value=j90["max_salary"],
                            confidence="official file"))
    quoted = ledger[(ledger["ledger"] == "la_pay_comparators") & (ledger["entity"] == LAUSD.name) & ledger["value"].notna()
                    & ledger["school_year_or_year"].str.fullmatch(r"\d{4}-\d{2}")]  # calendar-year figures do not sit on a school year
    parts.append(quoted.assign(employer=LAUSD.name, school_year=quoted["school_year_or_year"], measure=quoted["measure"]))
    held = pd.concat(parts, ignore_index=True)
    columns = ["employer", "school_year", "measure", "value", "confidence", "source_id", "file_sha256", "locator"]
    held = held[columns]
    gaps = [{"employer": employer, "school_year": year, "measure": f"missing: {why}", "value": float("nan"),
             "confidence": "not archived", "source_id": None, "file_sha256": None, "locator": None}
            for employer, why in MISSING.items() for year in PAY_YEARS[:4]
            if not ((held["employer"] == employer) & (held["school_year"] == year)).any()]
    out = pd.concat([held, pd.DataFrame(gaps, columns=columns)], ignore_index=True)
    return out.sort_values(["employer", "school_year", "measure"]).reset_index(drop=True)


def pay_archive_chart(holdings: pd.DataFrame):
    """Alliance and LAUSD teacher pay as far as the archive holds it: one panel per employer, each figure on a school
    year axis (filled: official file; hollow: second-hand), each missing year marked 'not archived'."""
    from ..entities import ALLIANCE

    employers = [LAUSD.name, ALLIANCE.name]
    import textwrap

    fig, axes = new_chart(nrows=2, figsize=(12, 7.2), sharex=True)
    first, last = year_end(PAY_YEARS[0]), year_end(PAY_YEARS[-1])
    top = holdings["value"].max() * 1.15
    for ax, employer in zip(axes, employers):
        rows = holdings[holdings["employer"] == employer]
        color = entity_color(employer)
        figures = rows[rows["value"].notna()]
        kinds = evidence_kinds(figures)
        markers = dict(zip(sorted(figures["measure"].unique()), "osD^vP*X"))
        for (_, row), kind in zip(figures.iterrows(), kinds):
            ax.plot(year_end(row["school_year"]), row["value"], linestyle="none", marker=markers[row["measure"]],
                    markersize=7, **marker_style(kind, color))
            at_end = year_end(row["school_year"]) == last  # labelled on its left, clear of the legend beside the panel
            ax.annotate(f"{row['value']:,.0f}", (year_end(row["school_year"]), row["value"]), textcoords="offset points",
                        xytext=(-6 if at_end else 6, -3), ha="right" if at_end else "left", fontsize=7)
        for year in rows.loc[rows["value"].isna(), "school_year"]:
            ax.text(year_end(year), top * 0.04, "not archived", ha="center", va="bottom", rotation=90, fontsize=7,
                    color="#b22222")  # upright, so that neighbouring years never run together, even on a phone
        ax.set_ylim(0, top)
        ax.yaxis.set_major_formatter(money)
        handles = [series_handle(color, markers[m], m if len(m) <= 80 else m[:79] + "…") for m in markers]
        if handles:
            ax.legend(handles=handles + kind_handles(kinds), fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1),
                      frameon=False)
        missing = rows.loc[rows["value"].isna(), "measure"].str.removeprefix("missing: ").drop_duplicates()
        ax.set_title(textwrap.fill(f"{employer}" + (f": {missing.iloc[0]}" if len(missing) and figures.empty else ""), 95),
                     fontsize=9, loc="left")
    year_ticks(axes[1], first, last)
    axes[0].tick_params(labelbottom=True)  # each panel's years under it: on a phone the lower panel is a screen away
    label(axes[0], "Alliance and LAUSD teacher pay: what the archive holds", None, "USD per year (nominal)",
          subtitle="Each figure with its employer, school year and kind of source; the years of the claims\n"
                   "(2013-14 to 2016-17) with no figure are marked 'not archived'", fontsize=11)
    # the top panel's own title gave way to the chart's: its employer is named inside it
    axes[0].text(0.01, 0.97, employers[0], transform=axes[0].transAxes, fontsize=9, fontweight="bold", ha="left",
                 va="top", label=NOTE)
    fig.subplots_adjust(top=0.86, hspace=0.35, right=0.62)
    top_margin(fig)  # no headline above it
    return fig, holdings


def pay_archive_alt(holdings: pd.DataFrame) -> str:
    held = holdings[holdings["value"].notna()]
    figures = "; ".join(f"{r.employer} {r.school_year}: {r.value:,.0f} ({r.measure}, {r.confidence})" for r in held.itertuples())
    gaps = "; ".join(f"{e}: {', '.join(g['school_year'])}" for e, g in holdings[holdings["value"].isna()].groupby("employer"))
    return (f"Two-panel chart of the teacher pay figures the archive holds for LAUSD and Alliance by school year: {figures}. "
            f"Not archived: {gaps}.")

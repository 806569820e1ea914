"""The class-size notebook's charts and tables: contract caps and terms, and measured class sizes."""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd

from ..entities import ALLIANCE, LAUSD
from .style import (ENTITY_COLORS, OFFICIAL, SECOND_HAND, bar_style, end_labels, entity_color, entity_of, evidence_kinds,
                    kind_bar_handles, kind_handles, kind_words, label, new_chart, school_year, tint, tints, year_end,
                    top_margin, year_line, year_ticks)


def caps_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """Contract class-size terms by school type and grade span: 'average / maximum' in each year, and the total
    reduction since 2018, one row per school type and grade span."""
    rows = ledger[(ledger["ledger"] == "lausd_class_size_caps") & ledger["entity"].str.startswith("LAUSD-UTLA CBA class size:")]
    rows = rows.assign(school_type=rows["entity"].str.replace("LAUSD-UTLA CBA class size: ", "", regex=False),
                       term=rows["measure"].str.replace("class_size_", "").str.replace("_contractual", ""))
    keys = ["school_type", "grade_span_or_subject"]
    terms = rows.pivot_table(index=keys + ["school_year_or_year"], columns="term", values="value", aggfunc="first")
    yearly = terms.dropna(subset=[c for c in ("average", "maximum") if c in terms], how="all")

    def cell(r) -> str:
        return " / ".join(_number(r.get(c)) for c in ("average", "maximum"))

    table = yearly.apply(cell, axis=1).unstack("school_year_or_year").fillna("")
    if "total_reduction_since_2018" in terms:
        reduction = terms["total_reduction_since_2018"].dropna().groupby(level=keys).first()
        table["reduction since 2018"] = reduction.map(_number).reindex(table.index).fillna("")
    table = table.reset_index().rename(columns={"school_type": "school type", "grade_span_or_subject": "grades"})
    table.columns.name = None
    return table


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{value:g}"


def caps_chart(ledger: pd.DataFrame, school_type: str):
    """Contract maximum class size by grade span and year for one school type.

    Lines are LAUSD's colour (a tint and marker per line) on a true school-year axis; grade spans with the same
    maximum every year share one line and one label. Transcribed figures are hollow with dashed lines."""
    rows = ledger[(ledger["ledger"] == "lausd_class_size_caps") & (ledger["measure"] == "class_size_maximum_contractual")
                  & (ledger["entity"] == f"LAUSD-UTLA CBA class size: {school_type}")]
    kinds = evidence_kinds(rows)
    lines: dict[tuple, list[str]] = {}
    for span, group in rows.groupby("grade_span_or_subject", sort=False):
        group = group.sort_values("school_year_or_year")
        key = tuple(zip(group["school_year_or_year"], group["value"], kinds[group.index]))
        lines.setdefault(key, []).append(span)
    fig, ax = new_chart()
    colors = tints(ENTITY_COLORS[LAUSD.name], len(lines), lightest=0.5)
    markers = "osD^vP*X"
    ends = []
    for i, (key, spans) in enumerate(lines.items()):
        years, values, line_kinds = zip(*key)
        year_line(ax, [year_end(y) for y in years], values, line_kinds, colors[i], markers[i % len(markers)], markersize=5)
        ends.append((year_end(years[-1]), values[-1], "grades " + "; ".join(spans), colors[i]))
    first, last = year_end(rows["school_year_or_year"].min()), year_end(rows["school_year_or_year"].max())
    year_ticks(ax, first, last, short=False)
    ax.set_xlim(first - 0.3, last + 1.6)
    low, high = rows["value"].min(), rows["value"].max()
    ax.set_ylim(low - 0.08 * (high - low), high + 0.25 * (high - low))
    pages = sorted({f"{urlparse(u).netloc}{urlparse(u).path}".rstrip("/") for u in rows["source_url"].dropna()})
    label(ax, f"LAUSD-UTLA contract maximums, {school_type} schools, {school_year(first)} to {school_year(last)}",
          ylabel="Contract maximum (students per class)",
          subtitle=f"{kind_words(kinds, rows).capitalize()}: the contract table as transcribed from {', '.join(pages)}"
                   "\n(ledger lausd_class_size_caps.csv); grade spans with equal maximums share a line")
    end_labels(ax, ends, min_gap=0.06)
    ax.legend(handles=kind_handles(kinds, frame=rows), fontsize=7, loc="upper left", frameon=True, framealpha=0.9,
              edgecolor="none")
    return fig, rows.drop(columns=["value_text"])


def caps_alt(data: pd.DataFrame, school_type: str) -> str:
    parts = [f"grades {span}: " + ", ".join(f"{int(v)} in {y}" for y, v in zip(g["school_year_or_year"], g["value"]))
             for span, g in data.sort_values("school_year_or_year").groupby("grade_span_or_subject", sort=False)]
    return (f"Line chart of the contract's maximum class size for {school_type} schools by school year "
            f"({kind_words(evidence_kinds(data), data)}). " + "; ".join(parts) + ".")


def group_colors(groups) -> dict[str, str]:
    """Each comparison group in its entity's colour (Alliance, LAUSD); a second group of the same entity in a
    lighter tint of it."""
    colors, seen = {}, {}
    for group in groups:
        entity = entity_of(group)
        n = seen[entity] = seen.get(entity, -1) + 1
        colors[group] = tint(entity_color(group), 0.45 * min(n, 1) + 0.2 * max(n - 1, 0))
    return colors


def class_size_chart(comparison: pd.DataFrame, school_year: str, rule: str, campus: str, areas: list[str]):
    """Class-weighted and student-weighted mean class size by group and content area, one campus type."""
    rows = comparison[(comparison["school_year"] == school_year) & (comparison["rule"] == rule)
                      & (comparison["campus"] == campus) & comparison["content_area"].isin(areas)]
    groups = sorted(rows["group"].unique())
    colors = group_colors(groups)
    kinds = evidence_kinds(rows)
    fig, axes = new_chart(ncols=2, figsize=(10, 4.8), sharey=True)
    for ax, mean in zip(axes, ("class_weighted_mean", "student_weighted_mean")):
        table = rows.pivot(index="content_area", columns="group", values=mean).reindex(index=areas, columns=groups)
        kind_of = {(r.content_area, r.group): k for r, k in zip(rows.itertuples(), kinds)}
        width = 0.8 / max(len(groups), 1)
        for i, group in enumerate(groups):
            for a, area in enumerate(areas):
                value = table.loc[area, group]
                if pd.notna(value):
                    ax.bar(a + i * width, value, width=width, **bar_style(kind_of.get((area, group), OFFICIAL), colors[group]))
        ax.set_xticks([a + 0.4 - width / 2 for a in range(len(areas))], areas, rotation=20)
        ax.set_title(mean.replace("_", " ").capitalize(), fontsize=11)
    from matplotlib.patches import Patch

    axes[0].set_ylabel("Students per class")
    axes[0].legend(handles=[Patch(facecolor=colors[g], edgecolor=colors[g], label=g) for g in groups]
                   + kind_bar_handles(kinds), fontsize=7, loc="lower left")
    fig.suptitle(f"Class size, {campus} schools, {school_year}: CDE class-level files (ClassEnrollment, CoursesTaught), "
                 f"{kind_words(kinds)}", x=0.01, ha="left", fontweight="bold", fontsize=11)
    return fig, rows.copy()


def contract_terms_before_and_after(ledger: pd.DataFrame) -> pd.DataFrame:
    """The 2014-15 prescribed ratios and the 2019 settlement's caps and reductions, as transcribed."""
    rows = ledger[(ledger["ledger"] == "lausd_class_size_caps")
                  & ~ledger["entity"].str.startswith("LAUSD-UTLA CBA class size:")]
    return pd.DataFrame({
        "what": rows["entity"], "year": rows["school_year_or_year"],
        "term": rows["measure"].str.replace("_", " "), "grades": rows["grade_span_or_subject"],
        "value": rows["value"].map(_number), "unit": rows["unit"], "confidence": rows["confidence"],
        "note": rows["note"].fillna(""),
    }).reset_index(drop=True)


def ratio_summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """NCES pupil-teacher ratios (a staffing ratio, not class size): LAUSD's, and Alliance schools' by grade span
    (how many schools, median, lowest and highest)."""
    rows = ledger[ledger["measure"] == "pupil_teacher_ratio"]
    out = []
    for (is_alliance, span), group in rows.groupby([rows["entity"].map(entity_of) == ALLIANCE.name,
                                                    "grade_span_or_subject"], sort=True):
        values = group["value"]
        out.append({
            "who": "Alliance schools" if is_alliance else "; ".join(group["entity"].unique()),
            "grades": span, "year": "; ".join(group["school_year_or_year"].unique()), "schools or districts": len(group),
            "median": f"{values.median():.1f}", "lowest": f"{values.min():.1f}", "highest": f"{values.max():.1f}",
            "unit": "; ".join(group["unit"].unique()), "confidence": "; ".join(group["confidence"].unique()),
            "source": "; ".join(group["source_id"].str.removeprefix("ledgers/").unique()),
        })
    return pd.DataFrame(out)


def class_size_alt(data: pd.DataFrame, campus: str) -> str:
    parts = [f"{r.group}, {r.content_area}: {r.class_weighted_mean:.1f} class-weighted, {r.student_weighted_mean:.1f} student-weighted "
             f"({int(r.classes)} classes)" for r in data.sort_values(["content_area", "group"]).itertuples()]
    return f"Bar charts of mean class size in {campus} schools by group and content area. " + "; ".join(parts) + "."


# -- pupils per teacher (a staffing ratio, not class size) and state averages of class size --------------------------
STAFFING_CAVEAT = ("pupils per FTE teacher is a staffing ratio, NOT class size: it counts every teacher, those without "
                   "a class of their own too")


def staffing_chart(staffing: pd.DataFrame, top: int = 12):
    """Pupils per FTE teacher, 2015-16, for the charter networks in LAUSD's boundaries (plausible schools summed),
    Alliance in its colour; each bar says how many schools were summed and how many were left out."""
    from ..transform.staffing import PLAUSIBLE, network_ratios

    ratios = network_ratios(staffing)
    ratios = ratios[ratios["in_lausd_boundaries"] & ratios["pupils_per_teacher"].notna()]
    data = ratios.sort_values("students", ascending=False).head(top).sort_values("pupils_per_teacher").reset_index(drop=True)
    fig, ax = new_chart(figsize=(8.5, 0.45 * len(data) + 2.4))
    for y, row in data.iterrows():
        color = entity_color(row["network"]) if entity_of(row["network"]) else "#8c96a0"
        ax.barh(y, row["pupils_per_teacher"], height=0.6, **bar_style(SECOND_HAND, color))  # a third party's copy
        ax.text(row["pupils_per_teacher"], y, f" {row['pupils_per_teacher']:.1f}", va="center", fontsize=7)
    left_out = data["schools"] - data["schools_summed"]
    names = [f"{network}\n({summed} schools" + (f"; {left} left out" if left else "") + ")"  # under its name, so that the
             for network, summed, left in zip(data["network"], data["schools_summed"], left_out)]  # bar's label stays short
    ax.set_yticks(range(len(data)), names, fontsize=7)
    ax.set_xlim(0, data["pupils_per_teacher"].max() * 1.15)
    low, high = PLAUSIBLE
    label(ax, "Pupils per teacher (staffing ratio, not class size), 2015-16", "Pupils per FTE teacher",
          subtitle=f"Charter networks in LAUSD's boundaries, the {top} largest by students;\nNCES CCD 2015-16 via a third "
                   f"party's file (second-hand), each school in\nthe network that file names (the schools page counts "
                   f"CDE's directory);\nschools outside {low:.0f}-{high:.0f} pupils per FTE teacher left out of the sums",
          fontsize=11)
    fig.subplots_adjust(left=0.36, right=0.97, top=0.8)
    top_margin(fig)  # no headline above it
    columns = ["network", "in_lausd_boundaries", "schools", "schools_summed", "students", "teacher_fte", "pupils_per_teacher",
               "left_out"]
    rows = data[columns].assign(definition=STAFFING_CAVEAT, confidence="third-party copy of an official file",
                                source_id="ccd_charters_1516", file_sha256=staffing["file_sha256"].str.split("+").str[0].iloc[0],
                                locator="sums of charter_staffing_2015_16.csv rows (plausible schools)")
    return fig, rows


def staffing_alt(data: pd.DataFrame) -> str:
    figures = "; ".join(f"{r.network} {r.pupils_per_teacher:.1f} ({r.schools_summed} of {r.schools} schools)"
                        for r in data.sort_values("pupils_per_teacher").itertuples())
    return (f"Horizontal bar chart of pupils per FTE teacher in 2015-16 for charter networks in LAUSD's boundaries, a "
            f"staffing ratio and not class size: {figures}.")


def flagged_schools(staffing: pd.DataFrame) -> pd.DataFrame:
    """Alliance's schools in the CCD 2015-16 file with their ratio, and the flagged ones shown with why they are out."""
    rows = staffing[staffing["network"] == ALLIANCE.name]
    return rows.assign(**{"pupils per FTE teacher": rows["pupils_per_teacher"].round(1)})[
        ["school", "cds", "level", "students", "teacher_fte", "pupils per FTE teacher", "flag"]].sort_values("school")


def state_class_size_chart(ledger: pd.DataFrame):
    """NTPS 2020-21 average class size, California against the United States, by school level (middle and high:
    departmentalized teachers; elementary: self-contained classes)."""
    rows = ledger[(ledger["ledger"] == "ntps_class_size_by_state") & (ledger["measure"] == "average_class_size_ntps")]
    keep = ["elementary schools, self-contained classes", "middle schools, departmentalized instruction",
            "secondary/high schools, departmentalized instruction"]
    rows = rows[rows["grade_span_or_subject"].isin(keep)].copy()
    rows["order"] = rows["grade_span_or_subject"].map(keep.index)
    data = rows.sort_values(["order", "entity"]).drop(columns="order").reset_index(drop=True)
    fig, ax = new_chart(figsize=(8, 4.6))
    kinds = evidence_kinds(data)
    for i, span in enumerate(keep):
        for offset, entity in ((-0.2, "California"), (0.2, "United States")):
            row = data[(data["grade_span_or_subject"] == span) & (data["entity"] == entity)]
            if row.empty:
                continue
            color = entity_color(entity) if entity_of(entity) else "#8c96a0"
            ax.bar(i + offset, row["value"].iloc[0], width=0.38, **bar_style(kinds[row.index[0]], color))
            ax.text(i + offset, row["value"].iloc[0] + 0.3, f"{row['value'].iloc[0]:.1f}", ha="center", fontsize=8)
    ax.set_xticks(range(len(keep)), ["elementary\n(self-contained)", "middle\n(departmentalized)", "high\n(departmentalized)"])
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=entity_color("California"), label="California"), Patch(color="#8c96a0", label="United States")]
              + kind_bar_handles(kinds), fontsize=8, loc="upper left")
    ax.set_ylim(0, data["value"].max() * 1.25)
    label(ax, "Average class size, California and the U.S., 2020-21", None, "Students per class (teachers' reports)",
          subtitle="NCES National Teacher and Principal Survey 2020-21 (state table), a survey estimate;\nthe claims were "
                   "made in 2015-2018: context for 'highest in the country', not a figure for those years", fontsize=11)
    return fig, data


def state_class_size_alt(data: pd.DataFrame) -> str:
    figures = "; ".join(f"{r.entity}, {r.grade_span_or_subject}: {r.value:.1f}" for r in data.itertuples())
    return f"Bar chart of NTPS 2020-21 average class size, California against the United States: {figures}."

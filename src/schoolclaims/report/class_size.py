"""The class-size notebook's charts and tables: contract caps and terms, and measured class sizes."""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd

from ..entities import ALLIANCE, LAUSD
from .style import (ENTITY_COLORS, OFFICIAL, bar_style, end_labels, entity_color, entity_of, evidence_kinds,
                    kind_bar_handles, kind_handles, kind_words, label, new_chart, school_year, tint, tints, year_end,
                    year_line, year_ticks)


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
          subtitle=f"{kind_words(kinds).capitalize()}: the contract table as transcribed from {', '.join(pages)}"
                   "\n(ledger lausd_class_size_caps.csv); grade spans with equal maximums share a line")
    end_labels(ax, ends, min_gap=0.06)
    ax.legend(handles=kind_handles(kinds), fontsize=7, loc="upper left", frameon=True, framealpha=0.9, edgecolor="none")
    return fig, rows.drop(columns=["value_text"])


def caps_alt(data: pd.DataFrame, school_type: str) -> str:
    parts = [f"grades {span}: " + ", ".join(f"{int(v)} in {y}" for y, v in zip(g["school_year_or_year"], g["value"]))
             for span, g in data.sort_values("school_year_or_year").groupby("grade_span_or_subject", sort=False)]
    return (f"Line chart of the contract's maximum class size for {school_type} schools by school year "
            f"({kind_words(evidence_kinds(data))}). " + "; ".join(parts) + ".")


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

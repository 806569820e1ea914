"""The class-size notebook's charts and tables: contract caps and terms, and measured class sizes."""

from __future__ import annotations

import pandas as pd

from .style import label, new_chart


def caps_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """Contract class-size terms by school type, grade span and year (averages and maximums)."""
    rows = ledger[(ledger["ledger"] == "lausd_class_size_caps") & ledger["entity"].str.startswith("LAUSD-UTLA CBA class size:")]
    table = rows.assign(school_type=rows["entity"].str.replace("LAUSD-UTLA CBA class size: ", "", regex=False),
                        term=rows["measure"].str.replace("class_size_", "").str.replace("_contractual", ""))
    return table.pivot_table(index=["school_type", "grade_span_or_subject", "term"], columns="school_year_or_year",
                             values="value", aggfunc="first")


def caps_chart(ledger: pd.DataFrame, school_type: str):
    """Contract maximum class size by grade span and year for one school type."""
    rows = ledger[(ledger["ledger"] == "lausd_class_size_caps") & (ledger["measure"] == "class_size_maximum_contractual")
                  & (ledger["entity"] == f"LAUSD-UTLA CBA class size: {school_type}")]
    fig, ax = new_chart()
    for span, group in rows.groupby("grade_span_or_subject", sort=False):
        group = group.sort_values("school_year_or_year")
        ax.plot(group["school_year_or_year"], group["value"], marker="o", label=span)
    label(ax, f"LAUSD-UTLA contract class-size maximums, {school_type} schools", ylabel="Contract maximum (students per class)")
    ax.legend(fontsize=8, title="grades", title_fontsize=8)
    return fig, rows.drop(columns=["value_text"])


def caps_alt(data: pd.DataFrame, school_type: str) -> str:
    parts = [f"grades {span}: " + ", ".join(f"{int(v)} in {y}" for y, v in zip(g["school_year_or_year"], g["value"]))
             for span, g in data.sort_values("school_year_or_year").groupby("grade_span_or_subject", sort=False)]
    return f"Line chart of the contract's maximum class size for {school_type} schools by school year. " + "; ".join(parts) + "."


def class_size_chart(comparison: pd.DataFrame, school_year: str, rule: str, campus: str, areas: list[str]):
    """Class-weighted and student-weighted mean class size by group and content area, one campus type."""
    rows = comparison[(comparison["school_year"] == school_year) & (comparison["rule"] == rule)
                      & (comparison["campus"] == campus) & comparison["content_area"].isin(areas)]
    groups = sorted(rows["group"].unique())
    fig, axes = new_chart(ncols=2, figsize=(10, 4.6), sharey=True)
    for ax, mean in zip(axes, ("class_weighted_mean", "student_weighted_mean")):
        table = rows.pivot(index="content_area", columns="group", values=mean).reindex(index=areas, columns=groups)
        width = 0.8 / max(len(groups), 1)
        for i, group in enumerate(groups):
            ax.bar([a + i * width for a in range(len(areas))], table[group], width=width, label=group)
        ax.set_xticks([a + 0.4 - width / 2 for a in range(len(areas))], areas, rotation=20)
        ax.set_title(mean.replace("_", " ").capitalize(), fontsize=11)
    axes[0].set_ylabel("Students per class")
    axes[0].legend(fontsize=7, loc="lower left")
    fig.suptitle(f"Class size, {campus} schools, {school_year}", x=0.01, ha="left", fontweight="bold")
    return fig, rows.copy()


def contract_terms_before_and_after(ledger: pd.DataFrame) -> pd.DataFrame:
    """The 2014-15 prescribed ratios and the 2019 settlement's caps and reductions, as transcribed."""
    rows = ledger[(ledger["ledger"] == "lausd_class_size_caps")
                  & ~ledger["entity"].str.startswith("LAUSD-UTLA CBA class size:")]
    return rows[["entity", "school_year_or_year", "measure", "grade_span_or_subject", "value", "unit", "confidence",
                 "note", "locator"]].reset_index(drop=True)


def class_size_alt(data: pd.DataFrame, campus: str) -> str:
    parts = [f"{r.group}, {r.content_area}: {r.class_weighted_mean:.1f} class-weighted, {r.student_weighted_mean:.1f} student-weighted "
             f"({int(r.classes)} classes)" for r in data.sort_values(["content_area", "group"]).itertuples()]
    return f"Bar charts of mean class size in {campus} schools by group and content area. " + "; ".join(parts) + "."

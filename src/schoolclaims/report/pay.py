"""The pay notebook's charts, built here so the notebook only narrates."""

from __future__ import annotations

import pandas as pd

from ..entities import LAUSD
from .style import highlight_colors, label, money, new_chart, school_year_ticks, thousands

LAUSD_J90 = LAUSD.name.upper()  # J-90 files write district names in capitals


def la_county_chart(county: pd.DataFrame):
    """Each Los Angeles County district's schedule range (minimum to maximum), LAUSD marked."""
    data = county.sort_values("max_salary").reset_index(drop=True)
    fig, ax = new_chart(figsize=(8, 9))
    colors = highlight_colors(data["district"], LAUSD_J90)
    ax.hlines(range(len(data)), data["min_salary"], data["max_salary"], colors=colors, linewidth=2)
    ax.scatter(data["min_salary"], range(len(data)), color=colors, s=8)
    ax.scatter(data["max_salary"], range(len(data)), color=colors, s=8)
    ax.set_yticks(range(len(data)), [d.title() for d in data["district"]], fontsize=5)
    year = ", ".join(sorted(data["school_year"].unique()))
    label(ax, f"LA County districts' teacher salary schedules, {year}\n(lowest to highest cell; LAUSD in red)",
          "Schedule salary, lowest cell to highest cell (nominal dollars)", xticks=money)
    fig.subplots_adjust(left=0.28, right=0.97, top=0.93)
    return fig, data


def la_county_alt(data: pd.DataFrame, percentiles: pd.DataFrame) -> str:
    lausd = data[data["district"] == LAUSD_J90].iloc[0]
    return (f"Range chart of {len(data)} Los Angeles County districts' salary schedules ({', '.join(sorted(data['school_year'].unique()))}), "
            f"lowest to highest cell. LAUSD runs from ${lausd['min_salary']:,.0f} (its lowest column: {lausd['lowest_column_heading']}) "
            f"to ${lausd['max_salary']:,.0f}. Teacher-weighted medians: minimum ${percentiles.loc[0.5, 'min_salary']:,.0f}, "
            f"maximum ${percentiles.loc[0.5, 'max_salary']:,.0f}.")


def lausd_steps_chart(table: pd.DataFrame):
    """LAUSD salary by step for every schedule column and year in the salary table (cells only)."""
    rows = table[(table["employer"] == LAUSD.name) & (table["kind"] == "cell")].copy()
    fig, ax = new_chart()
    for (year, schedule, column), group in rows.groupby(["school_year", "schedule", "column_label"], sort=True):
        group = group.sort_values("step")
        ax.plot(group["step"], group["annual_salary"], marker="o", markersize=3,
                label=f"{year}, {column} ({group['confidence'].iloc[0]})")
    label(ax, "LAUSD teacher salary by step, cells in the archive", "Step", "Annual salary (nominal dollars)", yticks=money)
    ax.legend(fontsize=6, loc="upper left", ncols=2)
    return fig, rows


def lausd_steps_alt(rows: pd.DataFrame) -> str:
    parts = [f"{y} {c}: " + ", ".join(f"step {int(s)} ${v:,.0f}" for s, v in zip(g["step"], g["annual_salary"]))
             for (y, c), g in rows.sort_values("step").groupby(["school_year", "column_label"])]
    return "Line chart of LAUSD teacher salary by step. " + "; ".join(parts) + "."


def layoffs_chart(ledger: pd.DataFrame):
    """LAUSD layoff figures by school year (every reported figure: notices are many more than final layoffs)."""
    rows = ledger[ledger["ledger"] == "lausd_layoffs"].copy()
    rows["year"] = rows["school_year_or_year"].str[:7]
    fig, ax = new_chart()
    years = sorted(rows["year"].unique())
    position = {y: i for i, y in enumerate(years)}
    ax.scatter(rows["year"].map(position), rows["value"], color="#1b4f72", s=18)
    school_year_ticks(ax, years)
    label(ax, "LAUSD layoff notices and layoffs, as reported by the press", "School year the notices were for",
          "Persons (notices or layoffs, as reported)", yticks=thousands)
    return fig, rows.drop(columns=["year"])


def layoffs_alt(rows: pd.DataFrame) -> str:
    parts = [f"{r.school_year_or_year}: {r.value:,.0f} ({r.measure})" for r in rows.itertuples()]
    return "Dot chart of LAUSD layoff figures by school year. " + "; ".join(parts) + "."

"""The schools notebook's chart: the Alliance network's size by school year against the claim."""

from __future__ import annotations

import pandas as pd

from ..entities import ALLIANCE
from .style import (ENTITY_COLORS, bar_style, evidence_kinds, kind_bar_handles, label, mark_claim, new_chart,
                    school_year, thousands, tints, year_end, year_ticks)


def network_chart(size: pd.DataFrame, claimed_schools: int, claimed_students: int, claim_year: str, over: bool = True):
    """Schools (each counting rule) and Census Day students by school year, with the claim marked.

    Bars are the Alliance colour (a lighter tint for the second counting rule) on a true school-year axis;
    a year whose enrollment file is not archived says so instead of showing a bar."""
    fig, (left, right) = new_chart(ncols=2, figsize=(10, 4.8))
    kinds = evidence_kinds(size)
    color = ENTITY_COLORS[ALLIANCE.name]
    first, last = year_end(size["school_year"].min()), year_end(size["school_year"].max())
    years = [school_year(end) for end in range(first, last + 1)]
    rules = list(dict.fromkeys(size["counting_rule"]))
    for offset, rule, shade in zip((-0.2, 0.2), rules, tints(color, 2, lightest=0.45)):
        group = size[size["counting_rule"] == rule]
        for year, value, kind in zip(group["school_year"], group["schools"], kinds[group.index]):
            left.bar(year_end(year) + offset, value, width=0.4, **bar_style(kind, shade))
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=shade, edgecolor=shade, label=rule) for rule, shade in zip(rules, tints(color, 2, lightest=0.45))]
    claim_end = year_end(claim_year)  # the claim's line spans its own year only; its note starts or ends there
    note_x, note_ha = (claim_end - 0.5, "left") if claim_end - first <= (last - first) / 2 else (claim_end + 0.5, "right")
    # each note above every bar, beside its claim's year: at the claimed height it would sit on the bars, and be moved
    # years away from the line it names
    most = max(size["schools"].max(), claimed_schools)  # a claim above every bar is drawn, and its note above it
    mark_claim(left, claimed_schools, note_x, most * 1.03, f"claimed: {claimed_schools} schools ({claim_year})",
               va="bottom", span=(claim_end - 0.5, claim_end + 0.5), ha=note_ha)
    year_ticks(left, first, last)
    left.set_ylim(0, most * 1.4)
    label(left, f"Alliance schools, {years[0]} to {years[-1]}", "School year", "Schools open on Census Day", fontsize=11,
          subtitle="Two counting rules; CDE School Directory (June 2018),\nFRPM grade spans")
    left.legend(handles=handles + kind_bar_handles(kinds), fontsize=7, loc="upper left", ncols=2)
    students = size.drop_duplicates("school_year").set_index("school_year").reindex(years)["students"]
    student_kinds = evidence_kinds(size.drop_duplicates("school_year")).set_axis(size.drop_duplicates("school_year")["school_year"])
    for year, value in students.items():
        x = year_end(year)
        if pd.notna(value):
            right.bar(x, value, width=0.8, **bar_style(student_kinds[year], color))
        right.text(x, 300, "no file" if pd.isna(value) else f"{int(value):,}", rotation=90, ha="center", va="bottom",
                   fontsize=8, color="white" if pd.notna(value) else "#333333")
    tallest = max(students.max(skipna=True) if students.notna().any() else 0, claimed_students)
    mark_claim(right, claimed_students, note_x, tallest * 1.03, f"claimed: {'over ' if over else ''}{claimed_students:,} ({claim_year})",
               va="bottom", span=(claim_end - 0.5, claim_end + 0.5), ha=note_ha)
    right.set_ylim(0, tallest * 1.15)  # room for the note above the bars
    year_ticks(right, first, last)
    missing = [year for year, value in students.items() if pd.isna(value)]
    label(right, f"Alliance students, {years[0]} to {years[-1]}", "School year", "Census Day K-12 enrollment",
          yticks=thousands, fontsize=11, subtitle="CDE FRPM files, Census Day K-12 enrollment"
          + (f";\n{', '.join(missing)} file not archived" if missing else ""))
    fig.subplots_adjust(wspace=0.3, top=0.83)
    return fig, size.copy()


def network_alt(size: pd.DataFrame, claimed_schools: int, claimed_students: int, claim_year: str, over: bool = True) -> str:
    rows = size.pivot(index="school_year", columns="counting_rule", values="schools")
    students = size.drop_duplicates("school_year").set_index("school_year")["students"]
    parts = [f"{year}: {rows.loc[year, 'per CDS code']} schools by CDS code, {rows.loc[year, '6-12 campus as two']} counting "
             f"6-12 campuses as two, " + ("students not archived" if pd.isna(students[year]) else f"{int(students[year]):,} students")
             for year in rows.index]
    return (f"Two bar charts of the Alliance College-Ready network by school year (official CDE directory and enrollment "
            f"files), against the claim of {claimed_schools} schools and {'over ' if over else 'about '}{claimed_students:,} students "
            f"in {claim_year}. "
            + "; ".join(parts) + ".")


# -- short tables for the notebook ---------------------------------------------------------------------
def size_table(size: pd.DataFrame) -> pd.DataFrame:
    """Schools under each counting rule and Census Day students, one row per school year."""
    schools = size.pivot(index="school_year", columns="counting_rule", values="schools")
    first = size.drop_duplicates("school_year").set_index("school_year")
    return pd.DataFrame({
        "school year": schools.index,
        **{f"schools, {rule}": schools[rule].astype(int).tolist() for rule in dict.fromkeys(size["counting_rule"])},
        "Census Day K-12 students": [f"{int(v):,}" if pd.notna(v) else "no file archived" for v in first.loc[schools.index, "students"]],
        "schools with an enrollment figure": first.loc[schools.index, "schools_with_enrollment"].astype(int).tolist(),
    })


def schools_table(schools: pd.DataFrame, year: str) -> pd.DataFrame:
    """The network's schools open on Census Day of ``year``: school, CDS code, campus, grades, students."""
    rows = schools[(schools["school_year"] == year) & schools["open_on_census_day"].astype(bool)]
    return pd.DataFrame({
        "school": rows["school"], "CDS code": rows["cds"].astype(str), "campus": rows["campus"],
        "grades": rows["low_grade"].astype(str) + "-" + rows["high_grade"].astype(str),
        "counts as": rows["count_campus_split"].map(lambda n: "two schools" if int(n) == 2 else "one school"),
        "Census Day K-12 students": rows["enrollment_k12"].map(lambda v: f"{int(v):,}" if pd.notna(v) else ""),
    }).reset_index(drop=True)


def networks_table(size: pd.DataFrame) -> pd.DataFrame:
    """Every network's schools (per CDS code) and students by school year: 'schools / students' in each cell."""
    rows = size[size["counting_rule"] == "per CDS code"]
    cell = rows["schools"].astype(str) + " / " + rows["students"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}")
    table = rows.assign(cell=cell).pivot(index="network", columns="school_year", values="cell").fillna("")
    return table.reset_index().rename(columns={"network": "network (schools / students)"})

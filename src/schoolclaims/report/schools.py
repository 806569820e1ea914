"""The schools notebook's chart: the Alliance network's size by school year against the claim."""

from __future__ import annotations

import pandas as pd

from .style import label, mark_claim, new_chart, school_year_ticks, thousands


def network_chart(size: pd.DataFrame, claimed_schools: int, claimed_students: int, claim_year: str):
    """Schools (each counting rule) and Census Day students by school year, with the claim marked."""
    fig, (left, right) = new_chart(ncols=2, figsize=(10, 4.6))
    years = sorted(size["school_year"].unique())
    x = range(len(years))
    for offset, (rule, group) in zip((-0.2, 0.2), size.groupby("counting_rule", sort=False)):
        values = group.set_index("school_year").reindex(years)["schools"]
        left.bar([i + offset for i in x], values, width=0.4, label=rule)
    mark_claim(left, claimed_schools, -0.5, claimed_schools + 0.3, f"claimed: {claimed_schools} schools ({claim_year})")
    school_year_ticks(left, years)
    left.set_ylim(0, size["schools"].max() * 1.3)
    label(left, "Alliance schools, two counting rules", "School year", "Schools open on Census Day", fontsize=11)
    left.legend(fontsize=8, loc="upper right", ncols=2)
    students = size.drop_duplicates("school_year").set_index("school_year").reindex(years)["students"]
    right.bar(list(x), students.astype("float64").fillna(0), color="#5d6d7e")
    for i, value in zip(x, students):
        right.text(i, 300, "no file" if pd.isna(value) else f"{int(value):,}", rotation=90, ha="center", va="bottom",
                   fontsize=8, color="white" if pd.notna(value) else "#333333")
    mark_claim(right, claimed_students, -0.5, claimed_students * 1.01, f"claimed: over {claimed_students:,} ({claim_year})",
               va="bottom")
    school_year_ticks(right, years)
    label(right, "Alliance students", "School year", "Census Day K-12 enrollment", yticks=thousands, fontsize=11)
    fig.subplots_adjust(wspace=0.3)
    return fig, size.copy()


def network_alt(size: pd.DataFrame, claimed_schools: int, claimed_students: int, claim_year: str) -> str:
    rows = size.pivot(index="school_year", columns="counting_rule", values="schools")
    students = size.drop_duplicates("school_year").set_index("school_year")["students"]
    parts = [f"{year}: {rows.loc[year, 'per CDS code']} schools by CDS code, {rows.loc[year, '6-12 campus as two']} counting "
             f"6-12 campuses as two, " + ("students not archived" if pd.isna(students[year]) else f"{int(students[year]):,} students")
             for year in rows.index]
    return (f"Two bar charts of the Alliance College-Ready network by school year, against the claim of {claimed_schools} schools "
            f"and over {claimed_students:,} students in {claim_year}. " + "; ".join(parts) + ".")

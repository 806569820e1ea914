"""The schools notebook's chart: the Alliance network's size by school year against the claim."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .style import apply_style


def network_chart(size: pd.DataFrame, claimed_schools: int, claimed_students: int, claim_year: str):
    """Schools (each counting rule) and Census Day students by school year, with the claim marked."""
    apply_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.6))
    years = sorted(size["school_year"].unique())
    x = range(len(years))
    for offset, (rule, group) in zip((-0.2, 0.2), size.groupby("counting_rule", sort=False)):
        values = group.set_index("school_year").reindex(years)["schools"]
        left.bar([i + offset for i in x], values, width=0.4, label=rule)
    left.axhline(claimed_schools, color="#333333", linestyle="--", linewidth=1)
    left.text(-0.5, claimed_schools + 0.3, f"claimed: {claimed_schools} schools ({claim_year})", fontsize=8)
    left.set_xticks(list(x), [y[2:] for y in years])
    left.set_xlabel("School year")
    left.set_ylim(0, size["schools"].max() * 1.3)
    left.set_ylabel("Schools open on Census Day")
    left.set_title("Alliance schools, two counting rules", fontsize=11)
    left.legend(fontsize=8, loc="upper right", ncols=2)
    students = size.drop_duplicates("school_year").set_index("school_year").reindex(years)["students"]
    right.bar(list(x), students.astype("float64").fillna(0), color="#5d6d7e")
    for i, value in zip(x, students):
        right.text(i, 300, "no file" if pd.isna(value) else f"{int(value):,}", rotation=90, ha="center", va="bottom",
                   fontsize=8, color="white" if pd.notna(value) else "#333333")
    right.axhline(claimed_students, color="#333333", linestyle="--", linewidth=1)
    right.text(-0.5, claimed_students * 1.01, f"claimed: over {claimed_students:,} ({claim_year})", fontsize=8, va="bottom")
    right.set_xticks(list(x), [y[2:] for y in years])
    right.set_xlabel("School year")
    right.set_ylabel("Census Day K-12 enrollment")
    right.set_title("Alliance students", fontsize=11)
    right.yaxis.set_major_formatter(lambda v, _p: f"{v:,.0f}")
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

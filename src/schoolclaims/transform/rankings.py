"""State rankings of per-pupil spending, by source and data year, in one table.

Census F-33 ranks come from the archived summary tables (all states, rank 1 = highest, DC included);
the other rankings (Education Week Quality Counts, NEA, NCES, Education Law Center) are ledger rows
for California with their citations and confidence labels.
"""

from __future__ import annotations

import re

import pandas as pd

from ..years import parse_data_year, parse_report_year
from .grades import with_grades
from .published import published_and_revision

COLUMNS = ["ranking", "publisher", "adjustment", "data_year", "reported_year", "published", "state", "rank", "of_n",
           "value", "value_unit", "confidence", "source_id", "file_sha256", "locator", "source_url"]

PUBLISHERS = [  # (pattern on the ledger's measure text, publisher, cost adjustment)
    (r"^QC ", "Education Week, Quality Counts", "cost-adjusted (regional cost index)"),
    (r"^NEA ", "National Education Association, Rankings & Estimates", "none"),
    (r"^Census ", "U.S. Census Bureau, F-33 (as quoted)", "none"),
    (r"^NCES .*adjusted", "NCES", "labor-cost adjusted"),
    (r"^NCES ", "NCES", "none"),
    (r"^ELC ", "Education Law Center", "cost-adjusted"),
    (r"study unnamed", "unnamed study (EdSource FAQ, Mar 2017)", "cost-adjusted (as described)"),
    (r"^CBPC ", "California Budget & Policy Center", "cost-adjusted (state cost of living)"),
]
RANK_LEDGERS = ("funding_state_ranks", "claim_year_figures")  # ledgers whose per-pupil ranks are rankings


def from_f33(ranks: pd.DataFrame) -> pd.DataFrame:
    out = ranks.copy()
    out["ranking"] = "Census F-33 current spending per pupil (Table 11)"
    out["publisher"] = "U.S. Census Bureau, Annual Survey of School System Finances"
    out["adjustment"] = "none"
    out["data_year"] = out["school_year"]
    out["reported_year"] = out["fiscal_year"] + 2  # summary tables appear about two years after the fiscal year
    out["of_n"] = 51
    out["value"] = out["per_pupil_current_spending"].round(2)
    out["value_unit"] = "USD nominal per enrolled pupil"
    out["confidence"] = "official file"
    out["source_url"] = ""
    out["published"] = published_and_revision(out)[0]
    return out[COLUMNS]


def from_ledger(ledger: pd.DataFrame) -> pd.DataFrame:
    rows = ledger[ledger["measure"].str.contains(r"\brank(?:\s*\([^)]*\))?$", case=False)  # a rank, not a figure behind one
                  & ledger["measure"].str.contains(r"per[- ]pupil|per student|per K-12", case=False)
                  & ~ledger["measure"].str.contains(r"taxable|share of gross|^claim", case=False)
                  & ~ledger["confidence"].str.startswith("party statement")].copy()  # a claim is not a ranking
    matched = rows["measure"].map(_publisher)
    rows["publisher"] = matched.map(lambda m: m[0])
    rows["adjustment"] = matched.map(lambda m: m[1])
    rows["ranking"] = rows["measure"]
    rows["data_year"] = rows["school_year_or_year"].map(parse_data_year)
    rows["reported_year"] = [parse_report_year(year) or parse_report_year(note)
                             for year, note in zip(rows["school_year_or_year"], rows["note"])]
    rows["published"] = published_and_revision(rows)[0]
    rows["state"] = rows["entity"]
    rows["rank"] = rows["value"].astype(int)
    rows["of_n"] = rows["unit"].str.extract(r"of (\d+)", expand=False).astype(float)
    rows["value"] = float("nan")
    rows["value_unit"] = ""
    return rows[COLUMNS]


def _publisher(measure: str) -> tuple[str, str]:
    for pattern, publisher, adjustment in PUBLISHERS:
        if re.search(pattern, measure):
            return publisher, adjustment
    return "unstated", "unstated"


def rankings_table(parts: list[pd.DataFrame]) -> pd.DataFrame:
    table = pd.concat(parts, ignore_index=True)
    table["reported_year"] = table["reported_year"].astype("Int64")
    table["of_n"] = table["of_n"].astype("Int64")
    return with_grades(table.sort_values(["state", "ranking", "data_year", "locator"]).reset_index(drop=True))


def state_rankings(f33_ranks: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    return rankings_table([from_f33(f33_ranks), from_ledger(ledger[ledger["ledger"].isin(RANK_LEDGERS)])])

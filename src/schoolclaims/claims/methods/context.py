"""Claims the data can only give context for: demands and anecdotes (not rated), and factual claims no public
source settles (can't verify unless a ledger row with the settling measure appears)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pydantic import ValidationInfo, model_validator

from schoolclaims.tables import load

from ...transform.grades import FIRST_HAND, with_grades
from ..model import CANT_VERIFY, Claim, Result, evidence_frame
from ..wording import listing
from ._registry import Params, Share, method


class LedgerContextParams(Params):
    conclusion: str
    ledgers: list[str] = []
    measures: list[str] = []  # empty: every measure of the ledgers
    settling_measure: str = ""
    claimed: int | float | None = None  # the claimed value of settling_measure
    settles_with: str | None = None  # what would settle a factual claim

    @model_validator(mode="after")
    def _settling(self, info: ValidationInfo) -> LedgerContextParams:
        if self.settling_measure:
            self.require("claimed", when="settling_measure is given")
        if (info.context or {}).get("kind") == "factual":
            self.require("settles_with", when="the claim is factual")
        return self


@method("ledger_context", params=LedgerContextParams)
def ledger_context(claim: Claim, p: LedgerContextParams, processed: Path | None) -> Result:
    """Demands and anecdotes are not rated; factual claims with no public source can only be "can't verify".

    The evidence is every ledger row in ``ledgers`` (optionally only ``measures``), shown as context. For a
    factual claim, a ledger row with ``measure`` equal to ``settling_measure`` would settle it; without
    one the rating is can't verify, naming ``settles_with``.
    """
    ledger = load("ledger_figures", processed)
    rows = ledger[ledger["ledger"].isin(p.ledgers)]
    if p.measures:
        rows = rows[rows["measure"].isin(p.measures)]
    evidence = evidence_frame(rows.assign(item=rows["entity"] + ": " + rows["measure"].str.replace("_", " ")
                                     + rows["grade_span_or_subject"].map(lambda g: f" ({g})" if g else ""),
                                     year=rows["school_year_or_year"], matches="",
                                     value=rows["value"].astype(object).where(rows["value"].notna(), rows["value_text"])))
    if claim.kind in ("demand", "anecdote"):
        return Result(claim, "not rated", p.conclusion, evidence)
    settling = ledger[ledger["measure"] == p.settling_measure] if p.settling_measure else ledger.iloc[0:0]
    if settling.empty:
        return Result(claim, CANT_VERIFY, p.conclusion, evidence, [p.settles_with])
    value = float(settling["value"].iloc[0])
    ok = value >= p.claimed
    return Result(claim, "true" if ok else "false", f"{p.settling_measure}: {value:,.0f} against the claimed {p.claimed:,}.",
                  pd.concat([evidence, evidence_frame(settling.assign(item=settling["measure"], matches=ok))], ignore_index=True))


class CrowdCountParams(Params):
    ledger: str  # the ledger holding the counts
    claimed_measure: str  # the measure of the claimant's own count (shown, never deciding)
    independent_measures: list[str]  # measures of counts by others than the claimant (police, press, park staff)
    precedent_measures: list[str] = []  # counts of earlier events at the same place: context for the usual gap
    claimed: int
    tolerance: Share = 0.25  # an independent count within this share of the claim agrees with it
    settles_with: str


def _count_words(rows: pd.DataFrame) -> str:
    """'4,000 (attendance as reported by press, UTLA rally, Los Angeles)': the number first, a range as the ledger keeps
    it with thousands marked ('8,000-10,000')."""
    def number(row) -> str:
        text = row["value_text"] or f"{row['value']:,.0f}"
        return re.sub(r"\d{4,}", lambda m: f"{int(m.group()):,}", str(text))
    # '(precedent)' is left out: the sentence says the rally is an earlier one (no brackets inside the brackets)
    return listing(f"{number(row)} ({row['measure'].removesuffix(' (precedent)')}, {row['entity']})" for _, row in rows.iterrows())


@method("crowd_count", params=CrowdCountParams)
def crowd_count(claim: Claim, p: CrowdCountParams, processed: Path | None) -> Result:
    """A claimed crowd size against counts by others (claims/RATING_SCALE.md, crowd counts): no independent
    count -> can't verify; a single second-hand count (a press estimate with no stated method) cannot settle a
    crowd alone -> can't verify, with the count and the gap stated; two or more independent counts, or one
    first-hand (police, park authority): their median within ``tolerance`` of the claim -> true, at least half
    of it -> half true, below half -> false."""
    ledger = load("ledger_figures", processed)
    rows = ledger[ledger["ledger"] == p.ledger]
    claimant = rows[rows["measure"] == p.claimed_measure]
    independent = rows[rows["measure"].isin(p.independent_measures) & rows["value"].notna()]
    precedent = rows[rows["measure"].isin(p.precedent_measures)]

    def shown(frame, matches, role=""):
        return frame.assign(item=frame["measure"] + role, year=frame["school_year_or_year"], matches=matches,
                            value=frame["value"].astype(object).where(frame["value"].notna(), frame["value_text"]))
    low, gap = p.claimed * (1 - p.tolerance), None
    agrees = independent["value"] >= low
    evidence = evidence_frame(pd.concat([shown(independent, agrees), shown(claimant, "", " (the claimant's own count)"),
                                         shown(precedent, "", " (an earlier rally at the same place: context)")]))
    before = f" At an earlier rally in the same park: {_count_words(precedent)}." if len(precedent) else ""
    if independent.empty:
        return Result(claim, CANT_VERIFY, f"No count by anyone but the claimant is archived for the claimed {p.claimed:,}.{before}",
                      evidence, [p.settles_with])
    median = float(independent["value"].median())
    gap = median / p.claimed
    counts = _count_words(independent)
    first_hand = with_grades(independent)["source_grade"].isin(FIRST_HAND).any()
    if len(independent) == 1 and not first_hand:
        return Result(claim, CANT_VERIFY,
                      f"The only independent count found, {counts}, is {gap:.0%} of the claimed "
                      f"{p.claimed:,}; a single second-hand estimate with no stated method cannot settle a crowd count, so the "
                      f"claim can be neither confirmed nor refuted on it.{before}", evidence, [p.settles_with])
    rating = "true" if median >= low else "half true" if gap >= 0.5 else "false"
    return Result(claim, rating, f"Independent counts, {counts}, have a median of {median:,.0f}, {gap:.0%} of the claimed "
                                 f"{p.claimed:,}.{before}", evidence)

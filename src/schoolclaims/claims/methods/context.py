"""Claims the data can only give context for: demands and anecdotes (not rated), and factual claims no public
source settles (can't verify unless a ledger row with the settling measure appears)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import ValidationInfo, model_validator

from schoolclaims.tables import load

from ..model import CANT_VERIFY, Claim, Result, evidence_frame
from ._registry import Params, method


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

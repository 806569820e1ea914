"""Claims as data: one YAML file per claim in claims/, validated by a pydantic schema, and evaluated
by library functions over the processed tables. A rating is never typed by hand: each claim names an
evaluation method and its parameters, and the method computes the evidence table and the rating.

model.py holds the schema and what a method returns, methods/ the rating methods (one module per
question, each registered with its name), load.py reads and checks claim files, evaluate.py runs them.
"""

from __future__ import annotations

from .evaluate import evaluate, evaluate_all, format_result, markdown_table, rating_value, result_record
from .load import ClaimFileError, load_claim, load_claims
from .model import (CANT_VERIFY, EVIDENCE, RATINGS, Appearance, Claim, Correction, Evaluation, Result,
                    evidence_frame)

__all__ = ["CANT_VERIFY", "EVIDENCE", "RATINGS", "Appearance", "Claim", "ClaimFileError", "Correction", "Evaluation",
           "Result", "evaluate", "evaluate_all", "evidence_frame", "format_result", "load_claim", "load_claims",
           "markdown_table", "rating_value", "result_record"]

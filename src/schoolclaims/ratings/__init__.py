"""Rating methods, one module per question. A claim file names its method (``evaluation.method``); each
method takes the claim, its parameters and the processed-tables folder, and returns a Result whose
rating is on the claim kind's scale (claims/RATING_SCALE.md)."""

from __future__ import annotations

from . import context, funding, pay, schools

METHODS = {
    "target_threshold": funding.target_threshold,
    "claimed_rank": funding.claimed_rank,
    "richest_state": funding.richest_state,
    "value_near": funding.value_near,
    "network_size": schools.network_size,
    "class_size_smaller": schools.class_size_smaller,
    "district_class_size_rank": schools.district_class_size_rank,
    "ledger_context": context.ledger_context,
    "schedule_comparison": pay.schedule_comparison,
    "share_paid_more": pay.share_paid_more,
    "layoff_record": pay.layoff_record,
}

"""Re-rating a claim with other parameters, for a notebook run as a what-if (papermill ``-p``, or by hand).

A notebook's ``parameters`` cell names its claim and that claim's parameters, each ``None`` meaning "as the claim
file says". ``rerate`` evaluates the claim with the values given; when any differs from the claim file the result is
a what-if, and its ``note`` ("school_year=2016-17") is printed on every output (the rating line, every chart and
its alt text), which are written to a scratch folder, never to report/.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import paths
from ..claims import Result, evaluate, load_claim


@dataclass
class WhatIf:
    result: Result
    note: str | None  # None: the published rating (the claim file's parameters)

    @property
    def params(self) -> dict:
        return dict(self.result.claim.evaluation.params)


def rerate(claim_id: str, **overrides) -> WhatIf:
    """The claim rated with ``overrides`` (None values ignored) in place of its file's parameters."""
    claim = load_claim(paths.CLAIMS / f"{claim_id}.yaml")
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = sorted(set(given) - set(claim.evaluation.params))
    if unknown:
        raise ValueError(f"{claim_id}: no parameter {', '.join(unknown)} (it has {', '.join(claim.evaluation.params)})")
    changed = {k: v for k, v in given.items() if claim.evaluation.params[k] != v}
    if changed:
        evaluation = claim.evaluation.model_copy(update={"params": {**claim.evaluation.params, **changed}})
        claim = claim.model_copy(update={"evaluation": evaluation})
    result = evaluate(claim)
    note = ", ".join(f"{k}={v}" for k, v in changed.items()) or None
    if note:
        result = replace(result, conclusion=f"WHAT-IF ({note}), not the published rating: {result.conclusion}")
    return WhatIf(result, note)


def banner(rated: WhatIf) -> None:
    """In a what-if run, a line saying so above the cell's output; nothing for the published rating."""
    if rated.note:
        from IPython.display import display

        display({"text/markdown": f"**What-if ({rated.note}), not the published rating.**",
                 "text/plain": f"What-if ({rated.note}), not the published rating."}, raw=True)

"""Evaluating claims with their methods, and printing a result with its evidence."""

from __future__ import annotations

from pathlib import Path

from .load import ClaimFileError, load_claims, method_params
from .model import RATINGS, Claim, Result


def evaluate(claim: Claim, processed: Path | None = None) -> Result:
    method, params = method_params(claim)
    result = method.run(claim, params, processed)
    if result.rating not in RATINGS[claim.kind]:
        raise ValueError(f"{claim.id}: method {claim.evaluation.method} gave {result.rating!r}, not on the {claim.kind} scale")
    return result


def evaluate_all(only: list[str] | None = None, folder: Path | None = None, processed: Path | None = None) -> list[Result]:
    claims = load_claims(folder)
    if only:
        unknown = set(only) - {c.id for c in claims}
        if unknown:
            raise ClaimFileError(f"no claim with id {sorted(unknown)}")
        claims = [c for c in claims if c.id in only]
    return [evaluate(c, processed) for c in claims]


def format_result(result: Result, evidence_rows: int = 12) -> str:
    c = result.claim
    lines = [f"{c.id}  [{c.kind}]  rating: {result.rating.upper()}",
             f"  claim: \"{c.quote}\" — {c.claimant}, {c.appeared[0].date} ({c.appeared[0].url})",
             f"  conclusion: {result.conclusion}"]
    for item in result.missing:
        lines.append(f"  missing: {item}")
    if len(result.evidence):
        shown = result.evidence.head(evidence_rows)
        lines.append("  evidence:")
        for _, row in shown.iterrows():
            value = f"{row['value']:,.2f}" if isinstance(row["value"], float) else str(row["value"])
            mark = "·" if isinstance(row["matches"], str) else "✓" if bool(row["matches"]) else "✗"  # · = context
            lines.append(f"    {mark} {row['item']} | {row['entity']} | {row['year']} | {value} {row['unit']} | "
                         f"{row['confidence']} | {row['source_id']} {str(row['file_sha256'])[:12]} {row['locator']}"
                         + (f" | {row['source_url']}" if row["source_url"] else ""))
        if len(result.evidence) > evidence_rows:
            lines.append(f"    … {len(result.evidence) - evidence_rows} more rows (--rows N)")
    return "\n".join(lines)

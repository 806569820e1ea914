"""Claims as data: one YAML file per claim in claims/, validated by a pydantic schema, and evaluated
by library functions over the processed tables. A rating is never typed by hand: each claim names an
evaluation method and its parameters, and the method computes the evidence table and the rating.

The rating scale is published in claims/RATING_SCALE.md and mirrored in RATINGS below (a test keeps
them in agreement).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import paths

CANT_VERIFY = "can't verify with the archived sources"
RATINGS = {
    "factual": ["true", "mostly true", "half true", "mostly false", "false", CANT_VERIFY],
    "target": ["met", "met under some measures", "not met", CANT_VERIFY],
    "demand": ["not rated"],
    "anecdote": ["not rated"],
}


class Appearance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    url: str
    archived_copy: str = ""
    date: str


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: str
    note: str


class Evaluation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("method")
    @classmethod
    def known_method(cls, value: str) -> str:
        from .ratings import METHODS

        if value not in METHODS:
            raise ValueError(f"unknown evaluation method {value!r}; known: {sorted(METHODS)}")
        return value


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)+$")
    question_id: str
    kind: Literal["factual", "target", "demand", "anecdote"]
    claimant: str
    quote: str = Field(min_length=10)
    appeared: list[Appearance] = Field(min_length=1)
    competing_versions: list[str] = Field(default_factory=list)
    question: str
    metrics: list[str] = Field(min_length=1)
    evaluation: Evaluation
    settles_it: str
    caveats: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(min_length=1)


class ClaimFileError(ValueError):
    pass


def load_claim(path: Path) -> Claim:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ClaimFileError(f"{paths.relative(path)}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ClaimFileError(f"{paths.relative(path)}: expected a mapping of fields, found {type(data).__name__}")
    try:
        claim = Claim.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"field {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ClaimFileError(f"{paths.relative(path)}: {problems}") from None
    if claim.id != Path(path).stem:
        raise ClaimFileError(f"{paths.relative(path)}: field id is {claim.id!r}, but the file is named {Path(path).stem!r}")
    return claim


def load_claims(folder: Path | None = None) -> list[Claim]:
    files = sorted(Path(folder or paths.CLAIMS).glob("*.yaml"))
    if not files:
        raise ClaimFileError(f"no claim files in {paths.relative(Path(folder or paths.CLAIMS))}")
    return [load_claim(f) for f in files]


@dataclass
class Result:
    claim: Claim
    rating: str
    conclusion: str
    evidence: pd.DataFrame
    missing: list[str] = field(default_factory=list)


# -- what every rating method returns (the methods are in schoolclaims.ratings) ---------------------
EVIDENCE = ["item", "entity", "year", "value", "unit", "matches", "confidence", "source_id", "file_sha256",
            "locator", "source_url"]


def evidence_frame(frame: pd.DataFrame, rename: dict[str, str] | None = None, **constants) -> pd.DataFrame:
    """The evidence columns: ``rename`` maps a frame column to an evidence column, ``constants`` fill one.

    Provenance (confidence, source_id, file_sha256, locator, source_url) keeps the processed tables' names.
    """
    out = frame.rename(columns=rename or {}).assign(**constants)
    for column in EVIDENCE:
        if column not in out:
            out[column] = ""
    return out[EVIDENCE].reset_index(drop=True)


def evaluate(claim: Claim, processed: Path | None = None) -> Result:
    from .ratings import METHODS

    result = METHODS[claim.evaluation.method](claim, claim.evaluation.params, processed)
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

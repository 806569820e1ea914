"""What a claim is and what evaluating one gives: the claim schema (pydantic), the rating scales, the
Result and the evidence columns every method returns. Nothing here knows the methods.

The rating scale is published in claims/RATING_SCALE.md and mirrored in RATINGS below (a test keeps
them in agreement).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import paths, urls
from ..files import manifest_entries
from ..transform.grades import with_grades
from ..years import parse_report_year

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

    @field_validator("url")
    @classmethod
    def _link_scheme(cls, value: str) -> str:  # it becomes a link on the site: http(s) only
        return urls.check(value, "appeared url")


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: str
    note: str


class Evaluation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: str
    params: dict[str, Any] = Field(default_factory=dict)  # as written; load.py checks them against the method


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
    charts: list[str] = Field(default_factory=list)  # report/charts/<name>.* that show the evidence, main one first


@dataclass
class Result:
    claim: Claim
    rating: str
    conclusion: str
    evidence: pd.DataFrame
    missing: list[str] = field(default_factory=list)
    sensitivity: list[dict] = field(default_factory=list)  # {"alternative": what changes, "rating": the rating then}

    @property
    def depends_on(self) -> list[dict]:
        """The alternatives under which the rating would differ."""
        return [s for s in self.sensitivity if s["rating"] != self.rating]

    def sensitivity_line(self) -> str:
        if not self.sensitivity:
            return "no defensible alternative to test"
        if not self.depends_on:
            return f"holds under every alternative tested ({len(self.sensitivity)})"
        return "depends on: " + "; ".join(f"{s['alternative']} -> {s['rating']}" for s in self.depends_on)


# -- what every rating method returns (the methods are in schoolclaims.claims.methods) --------------
EVIDENCE = ["item", "entity", "year", "published", "value", "unit", "definition", "matches", "confidence", "source_grade",
            "transcription", "source_id", "file_sha256", "locator", "source_url"]


def published_when(frame: pd.DataFrame) -> pd.Series:
    """When each figure was published, where the row says: a ranking's report year, a ledger note's 'published:'
    date, or the report year in a ledger's year text ('data 2013 (QC 2016)'); '' where it is not known."""
    out = pd.Series("", index=frame.index, dtype=object)
    if "reported_year" in frame:
        out = frame["reported_year"].map(lambda y: "" if pd.isna(y) else str(int(y)))
    if "note" in frame:
        noted = frame["note"].fillna("").astype(str).str.extract(r"published: (\d{4}(?:-\d{2}){0,2})", expand=False)
        out = out.where(out != "", noted.fillna(""))
    if "school_year_or_year" in frame:
        reported = frame["school_year_or_year"].map(lambda text: str(year) if (year := parse_report_year(text)) else "")
        out = out.where(out != "", reported)
    if "file_sha256" in frame:  # an official file: its release where the manifest records it, else its vintage
        releases = _file_releases()
        from_files = frame["file_sha256"].map(lambda value: "; ".join(dict.fromkeys(
            releases[h] for h in str(value or "").split("+") if h in releases)))
        out = out.where(out != "", from_files)
    return out


@lru_cache(maxsize=1)
def _file_releases() -> dict[str, str]:
    """sha256 -> when the file's figures were published: the manifest's recorded release, else 'file vintage V'
    (ledgers are left out: their rows carry their own dates)."""
    if not paths.MANIFEST.is_file():
        return {}
    out = {}
    for entry in manifest_entries(paths.MANIFEST):  # a manifest of another shape: one line
        if entry.get("source_id") in ("ledgers", "claim_pages"):
            continue
        extra = entry.get("extra") if isinstance(entry.get("extra"), dict) else {}
        out[entry["hash"].removeprefix("sha256:")] = extra.get("release") or f"vintage {entry.get('vintage', '')}"
    return out


def evidence_frame(frame: pd.DataFrame, rename: dict[str, str] | None = None, **constants) -> pd.DataFrame:
    """The evidence columns: ``rename`` maps a frame column to an evidence column, ``constants`` fill one.

    Provenance (confidence, source_id, file_sha256, locator, source_url) keeps the processed tables' names.
    """
    out = frame.rename(columns=rename or {}).assign(**constants)
    if "published" not in out:
        out["published"] = published_when(out)
    for column in EVIDENCE:
        if column not in out:
            out[column] = ""
    return with_grades(out)[EVIDENCE].reset_index(drop=True)

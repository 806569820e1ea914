"""What a claim is and what evaluating one gives: the claim schema (pydantic), the rating scales, the
Result and the evidence columns every method returns. Nothing here knows the methods.

The rating scale is published in claims/RATING_SCALE.md and mirrored in RATINGS below (a test keeps
them in agreement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import urls
from ..transform.grades import with_grades
from ..transform.published import published_and_revision

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
    rating: str | None = None  # the rating after this entry; a test keeps the latest one equal to the current rating
    counts: str | None = None  # the counts the conclusion states after this entry ("2 of 14"), likewise


class Evaluation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: str
    params: dict[str, Any] = Field(default_factory=dict)  # as written; load.py checks them against the method


class Claimant(BaseModel):
    """Who made the claim, as structured data reads it (optional; without it the ``claimant`` text is used):
    a person or an organization by name only, the role apart."""
    model_config = ConfigDict(extra="forbid")
    type: Literal["Person", "Organization"]
    name: str = Field(min_length=2)
    job_title: str = ""  # a person's role ("LAUSD board member")
    affiliation: str = ""  # the organization a person speaks for or is quoted by
    same_as: list[str] = Field(default_factory=list)  # the claimant's own pages (https://…), where known


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)+$")
    question_id: str
    # the site's topic: the question page (notebooks/<topic>.ipynb) whose claims it joins, or a word of its own (it then
    # gets its own group on the home page); when absent, from the id's first word (topic_from_id)
    topic: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
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
    charts: list[str] = Field(default_factory=list)  # report/charts/<name>.* that show the evidence, main one first;
    # none named: the site draws one from the claim's own deciding figures (report.claim_charts)
    no_chart: str = ""  # why no chart can yet bear on the claim, and what would make one (then none is drawn)
    as_of: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}){0,2}$")  # when the claim was made, if its
    # appearance's date is less precise (default: the end of the period that date names)
    context: str | None = None  # the whole sentence or passage the quote is part of, when it holds other checked claims
    # optional: the claim in at most 75 characters for ClaimReview's claimReviewed (else a whole clause of the quote),
    # and the claimant as a person or an organization
    claim_reviewed: str = Field("", max_length=75)
    claimant_detail: Claimant | None = None


ID_TOPICS = (("funding", "funding"), ("fund", "funding"), ("schools", "schools"), ("class-size", "class_size"),
             ("class", "class_size"), ("pay", "pay"), ("other", "other"))  # first word of an id -> topic


def topic_from_id(*ids: str) -> str:
    """The topic of a claim file that names none: from the first of ``ids`` (question_id, then id) that starts with a
    known word (fund-, schools-, class-, pay-, other-); else 'other'."""
    for value in ids:
        for prefix, topic in ID_TOPICS:
            if value == prefix or (value or "").startswith(prefix + "-"):
                return topic
    return "other"


def stated_counts(conclusion: str) -> str:
    """The counts a conclusion states ("2 of 14; 1 of 2"): a change in them is a correction to log."""
    return "; ".join(re.findall(r"\b\d+ of \d+\b", conclusion))


@dataclass
class Result:
    claim: Claim
    rating: str
    conclusion: str
    evidence: pd.DataFrame
    missing: list[str] = field(default_factory=list)
    sensitivity: list[dict] = field(default_factory=list)  # {"alternative": what changes, "rating": the rating then}
    known_by: str = ""  # for a claim that repeats a published figure: the date the figures were judged as known at

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
EVIDENCE = ["item", "entity", "year", "published", "revision", "value", "unit", "definition", "matches", "confidence", "source_grade",
            "transcription", "source_id", "file_sha256", "locator", "source_url"]


def decides(evidence: pd.DataFrame) -> pd.Series:
    """Which evidence rows decide the rating: those marked true or false (a context row's mark is text, '' or a
    note, never a truth value)."""
    return evidence["matches"].map(lambda m: not isinstance(m, str)).astype(bool)


def evidence_frame(frame: pd.DataFrame, rename: dict[str, str] | None = None, **constants) -> pd.DataFrame:
    """The evidence columns: ``rename`` maps a frame column to an evidence column, ``constants`` fill one.

    Provenance (confidence, source_id, file_sha256, locator, source_url) keeps the processed tables' names.
    """
    out = frame.rename(columns=rename or {}).assign(**constants)
    if "published" not in out or "revision" not in out:
        published, revision = published_and_revision(out)
        out["published"] = out["published"].where(out["published"].fillna("") != "", published) if "published" in out else published
        out["revision"] = out["revision"] if "revision" in out else revision
    for column in EVIDENCE:
        if column not in out:
            out[column] = ""
    return with_grades(out)[EVIDENCE].reset_index(drop=True)

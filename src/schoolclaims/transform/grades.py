"""Who published a figure (source grade) and how it reached the archive (transcription), from the confidence label
and the address a row cites. The rules are data (source_grades.csv), first match wins:

- source grade: the publisher's own file; the publisher's own page or report; a press or other secondary report
  quoting it; a third-party compilation (a copy or cleaning of the publisher's file); a party document (a text a
  party publishes that is itself the record, such as the contract the union posts); a party statement (a claimant's
  or interested party's own page: UTLA, Alliance, a board member);
- transcription: read from the file by this project; exact transcription; derived (computed from transcribed
  figures); partial (the copy was cut or gives a range).

First-hand evidence is the publisher's file or page, or a party document for what it itself sets (contract terms);
everything else is second-hand (claims/RATING_SCALE.md says how
that bears on a rating).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

FIRST_HAND = ("publisher's file", "publisher's page", "party document")


@lru_cache(maxsize=1)
def _rules() -> dict[str, list[tuple[re.Pattern, re.Pattern, str]]]:
    rules: dict[str, list] = {"source_grade": [], "transcription": []}
    with open(Path(__file__).with_name("source_grades.csv"), newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rules[row["column"]].append((re.compile(row["confidence_pattern"], re.I), re.compile(row["address_pattern"], re.I),
                                         row["value"]))
    return rules


def _address(url: str) -> str:
    url = str(url or "")
    if url.startswith("github:"):
        return url
    parts = urlsplit(url)
    return parts.netloc.lower().removeprefix("www.") + parts.path


@lru_cache(maxsize=4096)
def _first(column: str, confidence: str, url: str) -> str:
    address = _address(url)
    return next(value for label, where, value in _rules()[column] if label.search(confidence) and where.search(address))


def classify(confidence: pd.Series, source_url: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(source_grade, transcription) for each row."""
    pairs = list(zip(confidence.fillna("").astype(str), source_url.fillna("").astype(str)))
    grade = pd.Series([_first("source_grade", c, u) for c, u in pairs], index=confidence.index, dtype=object)
    transcription = pd.Series([_first("transcription", c, u) for c, u in pairs], index=confidence.index, dtype=object)
    return grade, transcription


def with_grades(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with source_grade and transcription after its confidence column."""
    url = frame["source_url"] if "source_url" in frame else pd.Series("", index=frame.index)
    grade, transcription = classify(frame["confidence"], url)
    out = frame.drop(columns=["source_grade", "transcription"], errors="ignore")
    position = list(out.columns).index("confidence") + 1
    out.insert(position, "source_grade", grade)
    out.insert(position + 1, "transcription", transcription)
    return out


def grades_of(frame: pd.DataFrame) -> pd.Series:
    """Each row's source grade: its ``source_grade`` where filled, else classified from its confidence and address;
    a row with neither (a table made only from publishers' files, such as state_economy) is the publisher's file."""
    if "confidence" not in frame and "source_grade" not in frame:
        return pd.Series("publisher's file", index=frame.index, dtype=object)
    given = frame["source_grade"].fillna("").astype(str) if "source_grade" in frame else pd.Series("", index=frame.index)
    if (given != "").all():
        return given
    confidence = frame["confidence"] if "confidence" in frame else pd.Series("", index=frame.index)
    url = frame["source_url"] if "source_url" in frame else pd.Series("", index=frame.index)
    return given.where(given != "", classify(confidence, url)[0])


def first_hand(frame: pd.DataFrame) -> pd.Series:
    """True where a row is the publisher's own figure (its file or page, or a party document for its own terms),
    False where it is a copy: the one rule the charts (filled or hollow), alt texts, pages and choices use."""
    return grades_of(frame).isin(FIRST_HAND)


def preferred(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per ``keys``: the publisher's own file first, then its page or document, then a copy; among equals
    the latest published (a revision replaces what it revises). So an official file that arrives later replaces
    the copy that stood in for it."""
    if frame.empty:
        return frame
    grade = grades_of(frame)
    rank = grade.map({"publisher's file": 0}).fillna(grade.isin(FIRST_HAND).map({True: 1, False: 2}))
    published = frame["published"].fillna("").astype(str) if "published" in frame else pd.Series("", index=frame.index)
    ordered = frame.assign(_rank=rank, _published=published).sort_values([*keys, "_rank", "_published"],
                                                                         ascending=[True] * len(keys) + [True, False], kind="stable")
    return ordered[~ordered.duplicated(keys)].drop(columns=["_rank", "_published"])

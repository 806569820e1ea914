"""As known at the time: when a claim was made, when each figure was first published, and which figures a claim
that repeats a published figure may be judged on.

Dates are ISO text at the precision the record supports: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. A claim dated
only by a school year is taken at the year's end (30 June), by a month at its last day, by a year at 31 December,
unless the claim file gives ``as_of``. A figure dated only to a year or month counts as published by the claim's
date only when that whole period ends by then; a period that straddles the claim's date is *ambiguous* and never
decides (the evidence says so).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..years import iso_date_in, period

KNOWN, LATER, AMBIGUOUS, UNDATED = "known", "later", "ambiguous", "undated"


def claim_date(claim) -> date:
    """The date a claim is judged at: its ``as_of`` if given, else the end of the period its first appearance's
    date names (a school year at 30 June, a month at its last day, a year at 31 December)."""
    text = getattr(claim, "as_of", None) or iso_date_in(claim.appeared[0].date)
    bounds = period(text)
    if bounds is None:
        raise ValueError(f"{claim.id}: no date in {claim.appeared[0].date!r}; give the claim an as_of date (YYYY-MM-DD)")
    return bounds[1]


def status(published: str, cutoff: date) -> str:
    """KNOWN when the whole period ``published`` names ends by ``cutoff``; LATER when it starts after; AMBIGUOUS
    when it straddles the cutoff; UNDATED when the publication date is not known."""
    bounds = period(published)
    if bounds is None:
        return UNDATED
    first, last = bounds
    return KNOWN if last <= cutoff else LATER if first > cutoff else AMBIGUOUS


def statuses(published: pd.Series, cutoff: date) -> pd.Series:
    return published.map(lambda text: status(text, cutoff))


NOTES = {
    LATER: "published after the claim: later data, not deciding",
    AMBIGUOUS: "published {published}: not shown to predate the claim ({cutoff}), not deciding",
    UNDATED: "publication date unknown: not deciding",
}


def note(state: str, published: str, cutoff: date) -> str:
    """Why a row does not decide, for the evidence's item text ('' for a row known by the claim's date)."""
    return NOTES.get(state, "").format(published=published, cutoff=cutoff.isoformat())

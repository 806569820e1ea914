"""Who a claim is about, read from the data: the dispute's parties from ``entities``, any other California district
by its CDE name or county-district code (``california_districts``, the June 2018 School Directory), and that
entity's per-pupil money wherever it lives (``per_pupil_funding`` for the parties, the state and the nation;
``cde_current_expense`` and ``f33_district_finances`` for every district)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..entities import CALIFORNIA, CALIFORNIA_STATEWIDE, LAUSD, UNITED_STATES, Entity
from ..tables import load
from ..transform import funding

PARTIES = (LAUSD, Entity(CALIFORNIA_STATEWIDE, spellings=(CALIFORNIA.name, *CALIFORNIA.spellings)), UNITED_STATES)


class UnknownEntity(ValueError):
    def __init__(self, message: str, matches: int = 0):
        super().__init__(message)
        self.matches = matches  # how many districts the name matched: 0 (unknown) or several (ambiguous)


J90_NAME_WIDTH = 30  # the J-90 files' district-name field: longer names are cut ('SULPHUR SPRINGS UNION ELEMENTA')


def district_names(rows: pd.DataFrame, directory: pd.DataFrame | None = None) -> pd.Series:
    """Each J-90 row's district as readers know it: the CDE directory's name for its district code (``cds``), else the
    J-90's own name (capitals) in title case, ending in '…' where it fills the whole field and so may be cut."""
    own = rows["district"].map(lambda name: name.title() + ("…" if len(name) >= J90_NAME_WIDTH else ""))
    if directory is None or directory.empty:
        return own
    named = directory.drop_duplicates("district_code").set_index("district_code")["district"]
    return rows["cds"].map(named).fillna(own)


def district(text: str, processed: Path | None = None) -> Entity:
    """The California district a claim names: its 7-digit county-district code, or its name as the CDE directory
    spells it (case aside). An unknown or ambiguous name is an error that lists what was found."""
    text = str(text).strip()
    for party in PARTIES:
        if party.district_code and text == party.district_code:
            return party
    table = load("california_districts", processed)
    if re.fullmatch(r"\d{7}", text):
        rows = table[table["district_code"] == text]
    else:
        rows = table[table["district"].str.casefold() == text.casefold()]
    if len(rows) != 1:
        found = "; ".join(f"{r.district_code} {r.district} ({r.county})" for r in rows.itertuples()) or "none"
        raise UnknownEntity(f"district {text!r}: expected one district in the CDE School Directory "
                            f"({table['directory_vintage'].iloc[0] if len(table) else 'not built'}); found {found}",
                            matches=len(rows))
    row = rows.iloc[0]
    if row["district_code"] == LAUSD.district_code:
        return LAUSD
    return Entity(row["district"], district_code=row["district_code"], spellings=(row["district"].upper(),))


def entity(text: str, processed: Path | None = None) -> Entity:
    """A party (LAUSD, California, the United States) by any of its names, else a district from the directory."""
    for party in PARTIES:
        if text in (party.name, party.short_name, *party.spellings):
            return party
    return district(text, processed)


def per_pupil_rows(text: str, processed: Path | None = None) -> pd.DataFrame:
    """Every per-pupil figure for the entity a claim names, in the shape of per_pupil_funding, with ``entity`` set to
    its name. The parties' rows are per_pupil_funding's; any other district's are made from the statewide tables."""
    table = load("per_pupil_funding", processed)
    rows = table[table["entity"] == text]
    if len(rows):
        return rows
    try:
        found = entity(text, processed)
    except (UnknownEntity, FileNotFoundError):
        return rows  # nothing archived names it: the method says so (can't verify)
    if found in PARTIES:
        return table[table["entity"] == found.name]
    cde = load("cde_current_expense", processed)
    f33 = load("f33_district_finances", processed)
    return funding.district_per_pupil(found, cde, f33, load("price_index", processed))


def unknown_name(text: str, processed: Path | None, rows: pd.DataFrame) -> str:
    """Why nothing was found for ``text`` when its name is the reason, for a conclusion: ' The name is not one the
    project knows: …' or ' The name is that of more than one district: …' (a misspelling reads as a typo, not as
    missing data); '' when ``rows`` (what was found) is not empty or the name is known."""
    if len(rows):
        return ""
    try:
        entity(text, processed)
    except UnknownEntity as exc:
        return f" The name is {'that of more than one district' if exc.matches > 1 else 'not one the project knows'}: {exc}."
    except FileNotFoundError:
        return ""
    return ""


def entity_name(text: str, processed: Path | None) -> str:
    """How a conclusion names the entity a claim gives by name or code: 'Los Angeles Unified' for '1964733'; the text
    itself when it names nothing the project knows."""
    try:
        return entity(text, processed).name
    except (UnknownEntity, FileNotFoundError):
        return text

"""The entities the claims are about, each defined once: codes, display names and publishers' spellings.

Codes are CDE's County-District-School (CDS) codes: 2 digits of county, 5 of district, 7 of school. A district's
own rows use its 7-digit county-district code (``district_code``); a school's CDS code starts with it.

The dispute's parties (LAUSD, Alliance, the state, the nation) are defined here. Any other California district is
named in a claim by its CDE name or county-district code and found in ``california_districts`` (the CDE School
Directory, June 2018); a charter network is a membership rule kept as data in ``transform/networks.csv``: its
schools' CDS codes (a reviewed list archived as a source) or a name prefix matched literally, optionally within a
county or district code. Membership after the directory's vintage cannot be known from it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Entity:
    name: str                 # how the project names it in tables, charts and conclusions
    short_name: str = ""      # how a sentence names it after the first time ("LAUSD")
    district_code: str = ""   # CDE county + district code (7 digits); empty for the state
    spellings: tuple[str, ...] = ()  # other ways publishers write the name (matched exactly)

    def owns(self, cds: str) -> bool:
        """Whether a CDS code (7-digit district or 14-digit school) belongs to this district."""
        return bool(self.district_code) and str(cds).startswith(self.district_code)


LAUSD = Entity("Los Angeles Unified", short_name="LAUSD", district_code="1964733",
               spellings=("LOS ANGELES UNIFIED", "Los Angeles Unified School District"))
ALLIANCE = Entity("Alliance College-Ready Public Schools",
                  spellings=("Alliance College-Ready Public Schools", "Alliance"))
LAUSD_NCES_ID = "0622710"  # LAUSD's NCES school-district id (the district a school sits in, in NCES's files)
CALIFORNIA = Entity("California", spellings=("CA", "California statewide", "California statewide (all school districts)"))
CALIFORNIA_STATEWIDE = "California (statewide)"  # the state as a row beside districts in per-pupil tables
UNITED_STATES = Entity("United States", short_name="the US", spellings=("US", "U.S."))  # a state table's national row
LA_COUNTY_CODE = "19"  # Los Angeles County: the first two digits of its districts' and schools' CDS codes
LA_COUNTY_NAME = "Los Angeles"  # how CDE's files (J-90 TSAL1) name the county
ALLIANCE_SCHOOL_PREFIX = "Alliance"  # every network school's name in the CDE directory starts with it
DIRECTORY_VINTAGE = "2018-06"  # the CDE School Directory snapshot that district names and network members come from

NETWORK_RULES = Path(__file__).parent / "transform" / "networks.csv"
NETWORK_RULE_KINDS = ("cds list", "name prefix")


@dataclass(frozen=True)
class Network:
    """A charter network as a membership rule (one row of transform/networks.csv)."""
    name: str
    short_name: str
    rule: str    # "cds list": ``value`` is the source id of a reviewed list of CDS codes; "name prefix": matched literally
    value: str
    within: str  # the members' CDS codes start with it (2-digit county or 7-digit district); "" = anywhere in the state
    note: str = ""

    def named_members(self, cds, school, charter):
        """Which directory schools belong by the name-prefix rule: charters whose CDS code starts with ``within`` and
        whose name starts with ``value``, literally (``cds``, ``school``, ``charter``: pandas Series of text)."""
        if self.rule != "name prefix":
            return cds.str.startswith("\0")  # nobody: membership is the reviewed list
        return (charter == "Y") & cds.str.startswith(self.within) & school.str.startswith(self.value)


@lru_cache(maxsize=1)
def networks() -> dict[str, Network]:
    """Every network the data defines, by name (transform/networks.csv)."""
    with NETWORK_RULES.open(encoding="utf-8", newline="") as handle:
        rows = [Network(r["network"], r["short_name"], r["rule"], r["value"], r["within"], r["note"]) for r in csv.DictReader(handle)]
    for row in rows:
        if row.rule not in NETWORK_RULE_KINDS:
            raise ValueError(f"{NETWORK_RULES.name}: network {row.name!r}: rule {row.rule!r}; expected one of {NETWORK_RULE_KINDS}")
    return {row.name: row for row in rows}


def network(text: str) -> Network:
    """The network a claim names (its name or short name, exactly)."""
    for row in networks().values():
        if text in (row.name, row.short_name):
            return row
    raise KeyError(f"no charter network named {text!r} in {NETWORK_RULES.name}; known: {sorted(networks())}")

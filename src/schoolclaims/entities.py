"""The entities the claims are about, each defined once: codes, display names and publishers' spellings.

Codes are CDE's County-District-School (CDS) codes: 2 digits of county, 5 of district, 7 of school. A district's
own rows use its 7-digit county-district code (``district_code``); a school's CDS code starts with it.
"""

from __future__ import annotations

from dataclasses import dataclass


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
CALIFORNIA = Entity("California", spellings=("CA", "California statewide", "California statewide (all school districts)"))
CALIFORNIA_STATEWIDE = "California (statewide)"  # the state as a row beside districts in per-pupil tables
UNITED_STATES = Entity("United States", short_name="the US", spellings=("US", "U.S."))  # a state table's national row
LA_COUNTY_CODE = "19"  # Los Angeles County: the first two digits of its districts' and schools' CDS codes
LA_COUNTY_NAME = "Los Angeles"  # how CDE's files (J-90 TSAL1) name the county
ALLIANCE_SCHOOL_PREFIX = "Alliance"  # every network school's name in the CDE directory starts with it

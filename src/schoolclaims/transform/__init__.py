"""Transforms: comparable units and definitions. They know nothing about HTTP or file formats.

``processed_tables`` turns the extracted frames (named by the source modules' ``extract``) into every
processed table; each table's own function says how.
"""

from __future__ import annotations

import pandas as pd

from ..entities import ALLIANCE
from . import class_size, economy, funding, ledgers, pay, prices, rankings, schools, staffing


def processed_tables(x: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``x``: extract name -> frame (an empty frame where no archived file gave one)."""
    price_index = prices.price_index_table(x["cpi"])
    enrollment = schools.census_day_enrollment(x["enrollment"])
    networks = schools.network_tables({"alliance_network": x["alliance_network"]}, x["directory"], enrollment, x["ledger"])
    member_rows = networks["network_schools"]
    members = set(member_rows.loc[member_rows["network"] == ALLIANCE.name, "cds"])
    districts = pay.district_salaries(x["j90_summary"], x["j90_headings"])
    return {
        "cde_current_expense": funding.current_expense_table(x["cde_current_expense"]),
        "per_pupil_funding": funding.per_pupil_funding(x["cde_current_expense"], x["f33_systems"], x["f33_states"],
                                                       x["ledger"], price_index, x["f33_districts"]),
        "state_rankings": rankings.state_rankings(x["f33_ranks"], x["ledger"]),
        "state_economy": economy.all_vintages(x["bea_sagdp1"], x["bea_sainc1"], x["bea_sgdp_2017"], x["bea_spi_2017"]),
        "largest_school_systems": funding.largest_systems(x["f33_systems"]),
        "f33_district_finances": funding.f33_district_finances(x["f33_districts"]),
        "state_instruction_per_pupil": funding.instruction_per_pupil(x["f33_states"]),
        "price_index": price_index,
        "ledger_figures": ledgers.ledger_figures(x["ledger"]),
        **networks,
        "california_districts": schools.california_districts(x["directory"]),
        "la_county_school_enrollment": schools.county_school_enrollment(enrollment),
        **class_size.tables(x["class_enrollment"], x["courses_taught"], x["assignment_codes"], x["directory"],
                            enrollment, members),
        "sarc_class_size": class_size.sarc_class_size(x["sarc_class_size"]),
        "charter_staffing_2015_16": staffing.charter_staffing(x["ccd_charters"], x["directory"], networks["network_schools"]),
        "salary_schedules": pay.salary_schedules(x["schedule_cells"], x["pay_ledger"], price_index),
        "california_district_salaries": districts,
        "la_county_salaries": pay.la_county_salaries(districts),
    }

"""As known at the time: claim dates, publication dates and the crowd-count rule, on values written here with the
answers worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import write_tables

from schoolclaims import paths
from schoolclaims.claims import CANT_VERIFY, evaluate, load_claim
from schoolclaims.claims.asof import AMBIGUOUS, KNOWN, LATER, UNDATED, claim_date, status
from schoolclaims.years import date_span, iso_date_in, period


@pytest.mark.parametrize("text, iso", [
    ("2017-07-28", "2017-07-28"),
    ("2017-18", "2018-06-30"),  # a school year: its last day
    ("c. 2019-20", "2020-06-30"),
    ("June 2018", "2018-06"),
    ("2015 (c. March 2015, school year 2014-15)", "2015-03"),  # the more precise date the text gives
    ("QC 2016 (Jan 2016; data 2013)", "2016-01"),
    ("Jan. 20, 2017", "2017-01"),
    ("2016-01", "2016-01"),  # a month: 01 is not 2016-17's second year
    ("2018", "2018"),
    ("no date", ""),
])
def test_dates_are_read_at_the_precision_the_text_gives(text, iso):
    assert iso_date_in(text) == iso


def test_a_period_is_its_first_and_last_day():
    assert period("2018") == (date(2018, 1, 1), date(2018, 12, 31))
    assert period("2016-02") == (date(2016, 2, 1), date(2016, 2, 29))
    assert period("2017-07-28") == (date(2017, 7, 28), date(2017, 7, 28))
    assert period("2017-18") is None


@pytest.mark.parametrize("text, span", [
    ("2017-18", (date(2017, 7, 1), date(2018, 6, 30))), ("c. 2019-20", (date(2019, 7, 1), date(2020, 6, 30))),
    ("June 2018", (date(2018, 6, 1), date(2018, 6, 30))), ("2018-06-30", (date(2018, 6, 30), date(2018, 6, 30))),
    ("2015", (date(2015, 1, 1), date(2015, 12, 31))), ("undated", None),
    # a text naming several dates starts at the earliest (a range of contract years; a school year and a month)
    ("2018 to 2025-26", (date(2018, 1, 1), date(2026, 6, 30))), ("2018-19 (Jan 2019)", (date(2018, 7, 1), date(2019, 1, 31)))])
def test_the_span_a_date_names_runs_a_school_year_from_july_to_june(text, span):
    assert date_span(text) == span


@pytest.mark.parametrize("published, state", [
    ("2017-07-28", KNOWN), ("2017-06", KNOWN), ("2016", KNOWN),
    ("2017-07", AMBIGUOUS), ("2017", AMBIGUOUS),  # the month or year holds days after the speech
    ("2017-07-29", LATER), ("2017-08", LATER), ("2018", LATER),
    ("", UNDATED), ("vintage FY2016", UNDATED),
])
def test_a_figure_counts_as_known_only_when_its_whole_period_ends_by_the_claim(published, state):
    assert status(published, date(2017, 7, 28)) == state


def test_a_claim_is_judged_at_the_end_of_the_period_its_date_names_unless_it_says_when():
    def dated(text, as_of=None):
        c = load_claim(paths.CLAIMS / "fund-6th-economy.yaml")
        appeared = [c.appeared[0].model_copy(update={"date": text})]
        return c.model_copy(update={"appeared": appeared, "as_of": as_of})
    assert claim_date(dated("2017-18")) == date(2018, 6, 30)
    assert claim_date(dated("June 2018")) == date(2018, 6, 30)
    assert claim_date(dated("2015")) == date(2015, 12, 31)
    assert claim_date(dated("2017-18", as_of="2017-09-01")) == date(2017, 9, 1)
    with pytest.raises(ValueError, match="as_of"):
        claim_date(dated("undated"))


# -- crowd_count (other-grand-park-12000: more than 12,000 claimed) --------------------------------------------------
def counts(*rows):
    """Ledger rows (measure, value, confidence, source_url) of the claim-year ledger."""
    return {"ledger_figures": [dict(ledger="claim_year_figures", entity="rally", measure=measure, value=value,
                                    school_year_or_year="2018-05-24", confidence=confidence, source_url=url)
                               for measure, value, confidence, url in rows]}


PRESS, POLICE = "attendance as reported by press", "attendance estimated by police"
CLAIMED = ("attendance claimed by UTLA", 12000, "party statement", "https://www.utla.net/news")


def rally(tmp_path, *rows):
    write_tables(tmp_path, counts(CLAIMED, *rows))
    return evaluate(load_claim(paths.CLAIMS / "other-grand-park-12000.yaml"), tmp_path)


def test_no_independent_count_cannot_be_verified(tmp_path):
    result = rally(tmp_path)
    assert (result.rating, result.conclusion) == (
        CANT_VERIFY, "No count by anyone but the claimant is archived for the claimed 12,000.")


def test_a_single_second_hand_count_is_stated_but_cannot_settle_it(tmp_path):
    result = rally(tmp_path, (PRESS, 4000, "second-hand quote", "https://themilitant.com/x"))
    assert result.rating == CANT_VERIFY
    assert result.conclusion.startswith("The only independent count found, 4,000 (attendance as reported by press, rally), "
                                        "is 33% of the claimed 12,000; a single second-hand")


@pytest.mark.parametrize("values, rating, median", [
    ((10000, 11000), "mostly true", "10,500, 88%"),  # 10,500 >= 12,000 x 0.75 = 9,000: true, but both second-hand
    ((6000, 8000), "half true", "7,000, 58%"),  # below 9,000, at least half of 12,000
    ((3000, 4000), "false", "3,500, 29%"),
])
def test_two_independent_counts_rate_by_their_median(tmp_path, values, rating, median):
    result = rally(tmp_path, (PRESS, values[0], "second-hand quote", "https://a.example/x"),
                   (POLICE, values[1], "second-hand quote", "https://b.example/y"))
    assert result.rating == rating
    assert f"have a median of {median} of the claimed 12,000." in result.conclusion


def test_one_first_hand_count_is_enough(tmp_path):
    result = rally(tmp_path, (POLICE, 11000, "official page", "https://www.lapdonline.org/x"))
    assert result.rating == "true"

import pytest

from schoolclaims.claims.wording import dollars, listing, more_means, ordinal, plural, possessive


@pytest.mark.parametrize("number, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                          (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (46, "46th"), (101, "101st"),
                                          (111, "111th")])
def test_ordinal(number, text):
    assert ordinal(number) == text


def test_dollars_listing_possessive_plural():
    assert dollars(17486.2) == "$17,486" and dollars(20000) == "$20,000"
    assert listing([]) == "" and listing(["a"]) == "a" and listing(["a", "b"]) == "a and b" and listing([1, 2, 3]) == "1, 2 and 3"
    assert possessive("Alliance College-Ready Public Schools") == "Alliance College-Ready Public Schools'"
    assert possessive("Los Angeles Unified") == "Los Angeles Unified's"
    assert plural(1, "ranking") == "1 ranking" and plural(3, "ranking") == "3 rankings" and plural(2, "entry", "entries") == "2 entries"


def test_a_margin_of_none_reads_any_amount_more():
    assert more_means(0.0) == "'more' means any amount more" and more_means(0.05) == "'more' means at least 5% more"

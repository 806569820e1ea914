"""A question page lists, among the claims of its topic, the ones its notebook discusses: a claim of the topic that
the notebook never names is not announced as "checked on this page" (it keeps its own page and its home-page card)."""

from __future__ import annotations

from test_site import make_record

from schoolclaims.report import site


def test_the_page_lists_the_claims_its_notebook_names_and_no_other():
    records = [make_record(id="fund-ca-rank-46", question_id="fund-rank"),
               make_record(id="fund-ca-rank-46-speech", question_id="fund-rank"),
               make_record(id="fund-other", question_id="fund-other"),
               make_record(id="pay-elsewhere", question_id="pay-elsewhere")]
    data = site.SiteData(records=records, resources=[], charts={})
    body = "<pre>fund-ca-rank-46-speech  [factual]  rating: HALF TRUE</pre><p>also pay-elsewhere</p>"
    page = site.render_question("funding", "Funding", body, data)
    aside = page[page.index('<aside class="onpage">'):page.index("</aside>")]
    assert 'href="claims/fund-ca-rank-46-speech.html"' in aside
    assert 'href="claims/fund-ca-rank-46.html"' not in aside  # a longer id that contains it does not count
    assert "fund-other" not in aside and "pay-elsewhere" not in aside  # not named; another topic


def test_a_claim_file_names_its_topic_and_a_new_word_makes_a_group_of_its_own():
    from test_site import site_data

    records = [make_record(id="fund-a", question_id="fund-a"),  # no topic: from its id (files written before the key)
               make_record(id="x-housing", question_id="x-housing", topic="housing"),  # a new word: its own group
               make_record(id="x-money", question_id="x-money", topic="funding"),  # the key wins over the id
               make_record(id="y-misc", question_id="y-misc")]  # no known first word: other
    assert [site.topic_of(r) for r in records] == ["funding", "housing", "funding", "other"]
    assert site.topics_in_order(records) == ["funding", "housing", "other"]
    data = site_data(records=records)
    data.questions = [{"name": "funding", "title": "Funding", "short": "Funding"}]
    home = site.render_index(data)
    order = [home.index(f'<section class="topic" id="topic-{t}">') for t in ("funding", "housing", "other")]
    assert order == sorted(order)
    housing = home[order[1]:order[2]]
    assert "<h2>Housing</h2>" in housing and "x-housing" in housing and "question page" not in housing
    assert "x-money" in home[order[0]:order[1]]
    page = site.render_claim(records[2], data)
    assert 'href="../index.html#topic-funding">Funding</a>' in page and 'href="../funding.html"' in page
    body = "<p>x-money and fund-a are discussed here</p>"
    aside = site.render_question("funding", "Funding", body, data)
    aside = aside[aside.index('<aside class="onpage">'):aside.index("</aside>")]
    assert "claims/x-money.html" in aside and "claims/fund-a.html" in aside


def test_a_topic_is_one_lowercase_word():
    import pytest
    from pydantic import ValidationError

    from schoolclaims.claims.model import Claim, topic_from_id

    assert topic_from_id("class-size-x", "pay-y") == "class_size" and topic_from_id("", "pay-y") == "pay"
    base = {"id": "pay-x", "question_id": "pay-x", "kind": "factual", "claimant": "c", "quote": "a quote here",
            "appeared": [{"title": "t", "url": "https://example.org", "date": "2017-01-01"}], "question": "q",
            "metrics": ["m"], "evaluation": {"method": "value_near", "params": {}}, "settles_it": "s",
            "corrections": [{"date": "2026-12-07", "note": "n"}]}
    assert Claim.model_validate({**base, "topic": "pay"}).topic == "pay"
    assert Claim.model_validate(base).topic is None
    with pytest.raises(ValidationError, match="topic"):
        Claim.model_validate({**base, "topic": "Pay and <b>more</b>"})

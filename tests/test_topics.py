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

"""The static site: page builders on small records written here, a whole build that is byte-for-byte repeatable,
notebooks re-run only when their inputs change, and the real site opened in headless Chromium (every page loads
without console errors, no broken link or image, alt text on every chart, one parseable ClaimReview per claim page).
The site is always built into a temporary folder: no test touches report/."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import struct
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from schoolclaims import paths
from schoolclaims.report import execute, site

SHA_A = "a" * 64  # a mirror copy
SHA_B = "b" * 64  # a ledger
SHA_C = "c" * 64  # a file that no claim cites


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (grey), without any image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_record(**changes) -> dict:
    record = {
        "id": "fund-test-claim", "question_id": "funding-test-level", "kind": "factual",
        "claimant": "A Teachers Union", "quote": "Schools get <b>$1</b> per pupil",
        "appeared": [{"title": "Campaign page", "url": "https://example.org/campaign",
                      "archived_copy": "data/raw/ledgers/v1/figures.csv", "date": "June 2018"},
                     {"title": "Flyer", "url": "https://example.org/flyer", "archived_copy": "seeds/flyer.txt",
                      "date": "2017-18"}],
        "competing_versions": ["a rival said $2"], "question": "How much per pupil?", "metrics": ["dollars per pupil"],
        "method": "latest", "rating": "half true", "rating_value": 3, "best_rating": 5, "worst_rating": 1,
        "conclusion": "It depends on the measure; see `per_pupil_funding`.", "missing": ["run `schoolclaims fetch x`"],
        "settles_it": "The district's own figure.", "caveats": ["one caveat"],
        "corrections": [{"date": "2026-02-03", "note": "Fixed a year."}, {"date": "2026-01-02", "note": "First published."}],
        "charts": ["tiny_chart"],
        "sensitivity": [{"alternative": "only 2016", "rating": "false"}, {"alternative": "within one", "rating": "half true"}],
        "sensitivity_line": "depends on: only 2016 -> false",
        "evidence": [{"item": "per pupil spending", "entity": "X", "year": "2017-18", "published": "2019-05", "value": 12345.5,
                      "unit": "dollars",
                      "matches": True, "confidence": "official file", "source_grade": "publisher's file",
                      "transcription": "read from the file by this project", "definition": "spending ÷ pupils",
                      "source_id": "bea_sagdp1+bea_sainc1",
                      "file_sha256": [SHA_A, SHA_B], "locator": "row 3", "source_url": "https://example.org/t",
                      "role": "evidence"},
                     {"item": "context figure", "entity": "Y", "year": "2016-17", "published": "", "value": 7, "unit": "rank",
                      "matches": None, "confidence": "second-hand quote", "source_grade": "press or secondary report",
                      "transcription": "exact transcription", "definition": "", "source_id": "ledgers/figures.csv",
                      "file_sha256": ["d" * 64], "locator": "line 2", "source_url": "", "role": "context"}],
    }
    record.update(changes)
    return record


UNRATED = dict(id="class-test-anecdote", question_id="class-size-test", kind="anecdote", rating="not rated",
               sensitivity=[], sensitivity_line="no defensible alternative to test",
               rating_value=None, best_rating=None, worst_rating=None, charts=[], evidence=[],
               corrections=[{"date": "2026-01-02", "note": "First published."}], quote="Classes are filled to the brim")

RESOURCES = [
    {"name": "a", "hash": f"sha256:{SHA_A}", "path": "bea_sagdp1/1997-2019/SAGDP1.csv", "source_id": "bea_sagdp1",
     "vintage": "1997-2019", "url": "https://apps.bea.gov/regional/zip/SAGDP.zip", "bytes": 10, "mediatype": "text/csv",
     "origin": "mirror", "origin_detail": "mirror file x/SAGDP1.csv (the mirror took it from someone/project_1@5893aaf)",
     "retrieved_at": "2026-11-23T12:48:00Z"},
    {"name": "b", "hash": f"sha256:{SHA_B}", "path": "ledgers/v1/figures.csv", "source_id": "ledgers", "vintage": "v1",
     "url": "", "bytes": 20, "mediatype": "text/csv", "origin": "manual-import",
     "origin_detail": "hand-transcribed ledger", "retrieved_at": "2026-11-23T13:35:51Z"},
    {"name": "c", "hash": f"sha256:{SHA_C}", "path": "bls_cpi/cpi-2.1.0/cpi.csv", "source_id": "bls_cpi",
     "vintage": "cpi-2.1.0", "url": "https://download.bls.gov/pub/time.series/cu/", "bytes": 30,
     "mediatype": "text/csv", "origin": "package", "origin_detail": "exported from the PyPI package cpi==2.1.0",
     "retrieved_at": "2026-11-23T12:00:00Z"},
]


def site_data(records=None, **changes) -> site.SiteData:
    charts = {"tiny_chart": site.Chart("tiny_chart", "Bar chart of spending, highest first.", 4, 3,
                                       [("tiny_chart.png", "PNG"), ("tiny_chart.svg", "SVG"),
                                        ("tiny_chart.csv", "CSV"), ("tiny_chart.alt.txt", "alt text")])}
    data = site.SiteData(records=records or [make_record(), make_record(**UNRATED)], resources=RESOURCES,
                         charts=charts, tables_using={SHA_A: ["state_economy"]}, **changes)
    data.questions = [{"name": "funding", "title": "Funding claims", "short": "Funding"}]
    return data


class Page(HTMLParser):
    """What a test needs from a page: links, images, ids, JSON-LD scripts."""

    def __init__(self, text: str):
        super().__init__()
        self.links, self.images, self.ids, self.jsonld, self._in_ld = [], [], set(), [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("a", "link") and "href" in attrs:
            self.links.append(attrs["href"])
        if tag in ("img", "script") and "src" in attrs:
            self.links.append(attrs["src"])
        if tag == "img":
            self.images.append(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.jsonld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.jsonld[-1] += data


def check_claim_review(review: dict, base_url: str | None = None) -> None:
    """A ClaimReview against Google's structured-data guidelines for fact checks (required: url, claimReviewed,
    reviewRating.alternateName; recommended: author, datePublished, itemReviewed.author with the claimant's name only,
    itemReviewed.firstAppearance/appearance, numeric rating on its scale), and schema.org types. With ``base_url``
    the url must be absolute under it."""
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    for key, kind in {"url": str, "claimReviewed": str, "datePublished": str, "itemReviewed": dict,
                      "reviewRating": dict, "author": dict}.items():
        assert isinstance(review.get(key), kind), f"{key} must be a {kind.__name__}"
    if base_url:
        assert review["url"].startswith(base_url) and review["url"].endswith(".html"), review["url"]
    assert review["claimReviewed"].strip()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    author = item["author"]
    assert author["@type"] in ("Person", "Organization") and author["name"].strip()
    assert not re.search(r"[,()]", author["name"]), f"a name only, the role apart: {author['name']!r}"
    assert all(isinstance(s, str) and s.startswith(("https://", "http://")) for s in author.get("sameAs", []))
    assert item["appearance"] and all(a["@type"] == "CreativeWork" and a["url"].startswith("http")
                                      for a in item["appearance"])
    assert item["firstAppearance"] == item["appearance"][0]
    if "datePublished" in item:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", item["datePublished"])
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and isinstance(rating["alternateName"], str) and rating["alternateName"]
    assert rating["alternateName"] != "not rated"  # a claim that is not rated gets no ClaimReview
    if "ratingValue" in rating:
        assert all(isinstance(rating[k], int) for k in ("ratingValue", "bestRating", "worstRating"))
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    else:
        assert "bestRating" not in rating and "worstRating" not in rating


# -- small pieces ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("question_id,claim_id,topic", [
    ("funding-lausd-size", "fund-2nd-district", "funding"), ("schools-alliance-network-size", "schools-x", "schools"),
    ("class-size-lausd-rank", "class-lausd-highest", "class_size"), ("pay-job-security", "pay-x", "pay"),
    ("other-rally-attendance", "other-x", "other"), ("", "fund-no-question", "funding"),
    ("weather-rain", "weather-rain", "other")])
def test_every_claim_has_one_topic_from_its_question_or_id(question_id, claim_id, topic):
    assert site.topic_of({"question_id": question_id, "id": claim_id}) == topic


@pytest.mark.parametrize("value,best,rating,css", [
    (5, 5, "true", "rating-s4"), (4, 5, "mostly true", "rating-s3"), (3, 5, "half true", "rating-s2"),
    (2, 5, "mostly false", "rating-s1"), (1, 5, "false", "rating-s0"),
    (3, 3, "met", "rating-s4"), (2, 3, "met under some measures", "rating-s2"), (1, 3, "not met", "rating-s0"),
    (None, None, "can't verify with the archived sources", "rating-unknown"), (None, None, "not rated", "rating-unrated")])
def test_ratings_share_one_colour_scale_and_unscored_ones_are_neutral(value, best, rating, css):
    record = {"rating": rating, "rating_value": value, "best_rating": best, "worst_rating": 1 if best else None}
    assert site.rating_class(record) == css


@pytest.mark.parametrize("text,iso", [("2017-07-28", "2017-07-28"), ("June 2018", "2018-06"), ("Aug 2016", "2016-08"),
                                      ("2015 (c. March 2015, school year 2014-15)", "2015"), ("2015", "2015"),
                                      ("2017-18", None), ("c. 2019-20", None), ("2015-16", None), ("spring", None)])
def test_a_claim_date_becomes_a_schema_org_date_only_when_it_states_one(text, iso):
    assert site.iso_date(text) == iso


def test_the_home_page_says_the_years_the_claims_span_from_their_first_appearances():
    records = [{"appeared": [{"date": "c. 2019-20"}, {"date": "2023"}]}, {"appeared": [{"date": "2015 (c. March 2015)"}]},
               {"appeared": [{"date": "2020-08-12"}]}, {"appeared": [{"date": "spring"}]}, {"appeared": []}]
    assert site.claim_years(records) == (2015, 2020)  # a later appearance (2023) is not when the claim was made
    assert site.claim_years([{"appeared": [{"date": "undated"}]}]) is None


@pytest.mark.parametrize("dates,opening", [
    (["June 2018", "2018-06-30"], "In 2018 UTLA,"), (["June 2018", "2015-16"], "Between 2015 and 2018 UTLA,"),
    (["spring", "undated"], "UTLA,")])
def test_the_home_page_opens_with_the_one_year_the_span_or_no_year_the_claims_name(dates, opening):
    records = [make_record(id=f"fund-test-claim-{i}", appeared=[{"title": "Campaign page", "url": "https://example.org/c",
                                                               "archived_copy": "seeds/c.txt", "date": date}])
               for i, date in enumerate(dates)]
    lede = re.search(r'<p class="lede">(.*?)</p>', site.render_index(site_data(records)), re.S).group(1)
    assert " ".join(lede.split()).startswith(opening + " the Alliance College-Ready charter")


def test_a_file_name_may_wrap_only_after_its_separators_and_stays_escaped():
    assert str(site.breakable("funding_state_ranks.csv")) == "funding_<wbr>state_<wbr>ranks.<wbr>csv"
    assert str(site.breakable("a<b>&c-d.txt")) == "a&lt;b&gt;&amp;c-<wbr>d.<wbr>txt"  # a name is text, never markup


def test_claim_review_has_numeric_rating_on_a_scale_and_words_only_off_it():
    scored = site.claim_review(make_record(), "https://example.org/claims/fund-test-claim.html")
    check_claim_review(scored)
    assert scored["reviewRating"].items() >= {"ratingValue": 3, "bestRating": 5, "worstRating": 1,
                                              "alternateName": "half true"}.items()
    assert scored["itemReviewed"]["datePublished"] == "2018-06"
    assert [a["url"] for a in scored["itemReviewed"]["appearance"]] == ["https://example.org/campaign",
                                                                         "https://example.org/flyer"]
    assert (scored["datePublished"], scored["dateModified"]) == ("2026-01-02", "2026-02-03")  # from the log, not today
    assert site.claim_review(make_record(**UNRATED), "x.html") is None  # not rated: no ClaimReview
    cant = site.claim_review(make_record(rating="can't verify with the archived sources", rating_value=None,
                                         best_rating=None, worst_rating=None), "x.html")
    check_claim_review(cant)
    assert "ratingValue" not in cant["reviewRating"]
    assert scored["itemReviewed"]["firstAppearance"] == {"@type": "CreativeWork", "url": "https://example.org/campaign",
                                                         "name": "Campaign page", "datePublished": "2018-06"}
    assert scored["itemReviewed"]["author"] == {"@type": "Organization", "name": "A Teachers Union"}
    school_year = site.claim_review(make_record(appeared=[make_record()["appeared"][1]]), "x.html")
    assert "datePublished" not in school_year["itemReviewed"]  # '2017-18' is not a date: left out, not guessed


def test_claim_page_shows_everything_a_reader_needs_to_trace_the_rating():
    data = site_data()
    html = site.render_claim(make_record(), data)
    page = Page(html)
    assert len(page.jsonld) == 1
    review = json.loads(page.jsonld[0])
    check_claim_review(review)
    assert review["url"] == "fund-test-claim.html"  # relative to the page itself
    assert "Schools get &lt;b&gt;$1&lt;/b&gt; per pupil" in html and "<b>$1</b>" not in html.split("</script>")[1]
    assert "A Teachers Union, June 2018" in html
    assert 'class="badge big rating-s2">half true' in html
    assert "../rating-scale.html#Factual-claims" in page.links
    # the archived copy links to its sources entry by the file's path; one outside the manifest says so
    assert f"../sources.html#sha256-{SHA_B}" in page.links
    assert '<code class="addr">data/raw/ledgers/v1/figures.csv</code>' in html
    assert f"sha256 <code class=\"hash\" title=\"{SHA_B}\">{SHA_B[:12]}…</code>" in html
    assert "captured unknown" in html  # imported by hand: when the page was saved is not recorded
    assert re.search(r'<code class="addr">seeds/flyer.txt</code>\s*\(not in the raw-file manifest\)', html)
    # each evidence row links every raw file it combines; a hash outside the manifest is shown, not linked
    assert f"../sources.html#sha256-{SHA_A}" in page.links
    assert "dd" * 6 + "…</code> (not in the manifest)" in html
    assert "12,345.50" in html and "✓ yes" in html and "context" in html
    # each figure says whose it is (a district, a state, the nation): many rows share one definition
    assert "<strong>X</strong>: per pupil spending" in html and "<strong>Y</strong>: context figure" in html
    named = make_record(evidence=[{**make_record()["evidence"][0], "item": "X: per pupil spending"}])
    assert "<strong>X</strong>:" not in site.render_claim(named, data)  # an item that names its entity: once
    assert "U.S. Bureau of Economic Analysis" in html and "hand-transcribed ledger figures.csv" in html
    # charts: image with its alt text, and the four files to cite
    assert [i["alt"] for i in page.images] == ["Bar chart of spending, highest first."]
    assert [link for link in page.links if link.startswith("../charts/")] == [
        "../charts/tiny_chart.png", "../charts/tiny_chart.png", "../charts/tiny_chart.svg", "../charts/tiny_chart.csv",
        "../charts/tiny_chart.alt.txt"]
    for text in ("a rival said $2", "one caveat", "The district&#39;s own figure.", "<code>schoolclaims fetch x</code>",
                 '<time datetime="2026-01-02">2026-01-02</time>: First published.', "Fixed a year."):
        assert text in html, text
    assert "../funding.html" in page.links
    # what the rating rests on: the rating under each alternative, and who published each figure
    assert "The rating depends on the choices whose rating is in bold below" in html
    assert "<td>only 2016</td><td><strong>false</strong></td>" in html and "<td>within one</td><td>half true (same)</td>" in html
    assert "publisher&#39;s file; read from the file by this project" in html and "spending ÷ pupils" in html
    assert "published 2019-05" in html


def test_a_claim_judged_against_one_edition_says_why_that_edition():
    why = "Quality Counts 2017 was the edition current at the speech."
    text = " ".join(re.sub(r"<[^>]+>", " ", site.render_claim(make_record(basis=why), site_data())).split())
    assert f"Why that edition: {why}" in text
    assert "Why that edition" not in site.render_claim(make_record(), site_data())  # no edition, no line


def test_a_page_lists_the_glossary_terms_its_text_uses_and_only_those():
    html = ('<html><head><script>var F_33 = "J-90";</script></head><body><main id="main"><p>Spending per ADA (CDE) and '
            'a <a title="LCFF">link</a>; ADAMS and per-ADA; <script type="application/ld+json">{"x": "FTE"}</script>'
            '</p></main></body></html>')
    # "per-ADA" counts (ADA is a word there); a script, an attribute and a longer word (ADAMS) do not
    assert [term for term, _meaning in site.terms_used(html)] == ["ADA", "CDE"]
    page = site.with_terms(html)
    assert page.index("Terms on this page") < page.index("</main>")
    assert "<dt>ADA</dt><dd>average daily attendance" in page
    assert site.with_terms("<main><p>no terms here</p></main>") == "<main><p>no terms here</p></main>"
    terms = [term for term, _meaning in site.glossary()]
    assert len(terms) == len(set(terms)) and all(meaning.strip() for _term, meaning in site.glossary())


def test_claim_page_of_an_unrated_claim_without_chart_or_evidence():
    html = site.render_claim(make_record(**UNRATED), site_data())
    assert 'class="badge big rating-unrated">not rated' in html
    assert "No archived figure bears on this claim yet" in html and "No chart for this claim" in html
    assert "../rating-scale.html#Demands-and-anecdotes" in Page(html).links
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "an anecdote claim (its figures gathered by the method" in text  # not "a anecdote", not "rated"
    assert "claim rated by the method" not in text
    assert "There is no defensible alternative choice to test." in text and "The rating no" not in text


def test_a_claim_shows_each_chart_as_drawn_for_it_and_never_one_headlined_with_another_claims_rating(tmp_path, caplog):
    """Three synthetic charts: one drawn for claim A (its rating as headline), the same chart drawn again for claim B,
    one whose headline states no rating, and one headlined with claim A's rating that claim C lists."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def png(name: str, title: str) -> None:
        fig = plt.figure(figsize=(1, 1))
        fig.savefig(tmp_path / f"{name}.png", metadata={"Title": title})
        plt.close(fig)

    verdicts = {"Half true. 2 of 8 rankings match the claimed 46th": {"claim-a", "claim-a-speech"},  # one finding, two claims
                "False. 0 of 7 match the claimed 44th": {"claim-b"}}
    png("rank", "Half true. 2 of 8 rankings match the claimed 46th")
    png("rank--claim-b", "False. 0 of 7 match the claimed 44th")
    png("gdp", "California's rank among the world's economies")  # no rating in its headline
    assert site.own_charts("claim-a", ["rank", "gdp"], tmp_path, verdicts) == ["rank", "gdp"]  # its own
    assert site.own_charts("claim-a-speech", ["rank"], tmp_path, verdicts) == ["rank"]  # the same finding: its own too
    assert site.own_charts("claim-b", ["rank", "gdp"], tmp_path, verdicts) == ["rank--claim-b", "gdp"]  # drawn for it
    outside = tmp_path.parent / "outside.png"  # a name reaching out of the chart folder is never opened, only passed on
    outside.write_bytes(b"not a png")
    assert site.own_charts("claim-c", ["../outside", str(outside.with_suffix(""))], tmp_path, verdicts) == [
        "../outside", str(outside.with_suffix(""))]
    with caplog.at_level("WARNING"):
        assert site.own_charts("claim-c", ["rank", "gdp"], tmp_path, verdicts) == ["gdp"]  # A's rating: left out
    assert "claim claim-c: chart rank is not shown" in caplog.text and "rating of claim claim-a" in caplog.text


def test_the_published_claims_sharing_the_spending_rank_chart_each_show_their_own_rating_on_it():
    """The three claims whose files list california_spending_rank, as their pages show it from the committed charts:
    each its own drawing, whose headline is its own rating."""
    from schoolclaims.claims import evaluate_all
    from schoolclaims.report.style import finding

    committed = paths.ROOT / "report" / "charts"
    results = {r.claim.id: r for r in evaluate_all()}
    verdicts: dict[str, set[str]] = {}
    for result in results.values():
        verdicts.setdefault(finding(result), set()).add(result.claim.id)
    for claim_id, rating in [("fund-ca-rank-46", "Half true."), ("fund-ca-rank-46-speech", "Mostly true."),
                             ("fund-rank-44-of-50", "False.")]:
        shown = [name for name in site.own_charts(claim_id, results[claim_id].claim.charts, committed, verdicts)
                 if name.startswith("california_spending_rank")]
        assert len(shown) == 1, (claim_id, shown)
        title = site.png_text(committed / f"{shown[0]}.png")["Title"]
        assert title == finding(results[claim_id]) and title.startswith(rating), (claim_id, title)
    for claim_id, result in results.items():  # and no published claim loses a chart it lists (two claims may share
        listed = result.claim.charts          # one finding: fund-richest-state and its speech version do)
        assert len(site.own_charts(claim_id, listed, committed, verdicts)) == len(listed), claim_id


@pytest.mark.parametrize("discussed", [True, False])
def test_a_claim_page_sends_the_reader_to_its_question_page_only_when_that_page_discusses_it(discussed):
    data = site_data()
    data.questions = [{"name": "funding", "title": "Funding claims", "short": "Funding",
                       "discusses": {"fund-test-claim"} if discussed else set()}]
    page = site.render_claim(make_record(), data)
    assert ("The full analysis is on the" in page) == discussed
    assert ("does not discuss this claim yet" in page) == (not discussed)
    assert 'href="../funding.html"' in page  # the topic's page is linked either way


def test_a_question_page_discusses_a_claim_that_its_text_names_as_a_whole_word():
    assert site.discusses("<td>fund-test-claim</td>", "fund-test-claim")
    assert not site.discusses("<td>fund-test-claim-2</td>", "fund-test-claim")


def test_a_chart_without_its_files_is_an_error_naming_claim_and_chart():
    with pytest.raises(site.SiteError, match=r"claim fund-test-claim: chart\(s\) \['gone'\]"):
        site.render_claim(make_record(charts=["gone"]), site_data())


def test_home_page_groups_cards_by_topic_with_thumbnail_or_no_chart_note():
    html = site.render_index(site_data())
    page = Page(html)
    assert html.index('id="topic-funding"') < html.index('id="topic-class_size"')
    assert "charts/tiny_chart.png" in page.links and page.images[0]["alt"] == "Bar chart of spending, highest first."
    assert "no chart: nothing archived to plot" in html
    assert {"claims/fund-test-claim.html", "claims/class-test-anecdote.html", "funding.html"} <= set(page.links)
    assert "Checked:</span> How much per pupil?" in html
    for css in ("rating-s4", "rating-s0", "rating-unknown", "rating-unrated"):  # the legend shows the whole scale
        assert f'class="badge {css}"' in html


def test_sources_page_has_an_entry_per_raw_file_with_who_uses_it():
    html = site.render_sources(site_data())
    page = Page(html)
    assert {f"sha256-{SHA_A}", f"sha256-{SHA_B}", f"sha256-{SHA_C}"} <= page.ids
    entry = html[html.index(f'id="sha256-{SHA_A}"'):html.index(f'id="sha256-{SHA_B}"')]
    assert "BEA SAGDP1" in entry and "https://apps.bea.gov/regional/zip/SAGDP.zip" in entry
    assert "repository <code>someone/project_1</code> at commit <code>5893aaf</code>" in entry
    assert "2026-11-23T12:48:00Z" in entry and SHA_A in entry
    assert 'href="data/processed/state_economy.csv"' in entry and 'href="claims/fund-test-claim.html"' in entry
    ledger = html[html.index(f'id="sha256-{SHA_B}"'):html.index(f'id="sha256-{SHA_C}"')]
    assert "hand-transcribed ledger figures.csv" in ledger and "manual-import" in ledger
    unused = html[html.index(f'id="sha256-{SHA_C}"'):]
    assert "package: exported from a package" in unused and "<dd>none</dd>" in unused


# -- a whole build on small inputs -----------------------------------------------------------------------------
def small_inputs(root: Path) -> dict:
    import nbformat

    charts = root / "charts"
    charts.mkdir(parents=True)
    (charts / "tiny_chart.png").write_bytes(png_bytes())
    for suffix, text in ((".svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"), (".csv", "x,y\n1,2\n"),
                         (".alt.txt", "Bar chart of spending, highest first.\n")):
        (charts / f"tiny_chart{suffix}").write_text(text)
    processed = root / "processed"
    processed.mkdir()
    (processed / "state_economy.csv").write_text(f"year,value,source_id,file_sha256,locator\n2017,1,bea,{SHA_A}+{SHA_C},r1\n")
    manifest = root / "datapackage.json"
    manifest.write_text(json.dumps({"resources": RESOURCES}))
    notebooks = root / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Funding claims\n\nText."),
        nbformat.v4.new_code_cell("secret_code_line = 1", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/markdown": "![chart](../report/charts/tiny_chart.png) "
                                                   "[CSV](../report/charts/tiny_chart.csv)"}),
            nbformat.v4.new_output("display_data", data={  # as style.image_bundle writes a chart with a phone layout
                "text/html": '<picture><source media="(max-width: 40rem)" srcset="../report/charts/tiny_chart.phone.png, ../report/charts/tiny_chart.png 2x">'
                             '<img src="../report/charts/tiny_chart.png" alt="Bar chart"></picture>'})])])
    nbformat.write(nb, notebooks / "funding.ipynb")
    scale = root / "RATING_SCALE.md"
    scale.write_text("# Rating scale\n\n## Factual claims\n\n| rating | meaning |\n|---|---|\n| true | yes |\n"
                     "| can't verify with the archived sources | no |\n\n## Targets\n\n## Demands and anecdotes\n")
    return {"charts": charts, "processed": processed, "manifest": manifest, "notebooks": notebooks,
            "rating_scale": scale, "raw": root / "raw", "url_remarks": {}, "base_url": ""}


def test_build_writes_every_page_and_the_same_bytes_twice(tmp_path):
    inputs = small_inputs(tmp_path / "in")
    records = [make_record(), make_record(**UNRATED)]
    warnings = []
    first = site.build_site(tmp_path / "one", records=records, claims_text="text\n", warn=warnings.append, **inputs)
    second = site.build_site(tmp_path / "two", records=records, claims_text="text\n", warn=warnings.append, **inputs)
    assert first == second  # same inputs, same bytes (no clock)
    assert warnings and all("no base address set" in w for w in warnings)  # base_url "" in the test: says so
    for name in ("index.html", "claims/fund-test-claim.html", "claims/class-test-anecdote.html", "funding.html",
                 "rating-scale.html", "sources.html", "downloads.html", "claimreview.json", "claims.txt",
                 "site.css", "charts/tiny_chart.png", "data/processed/state_economy.csv", "data/datapackage.json",
                 "data/claims.json"):
        assert name in first, name
    reviews = json.loads((tmp_path / "one" / "claimreview.json").read_text())
    assert [r["url"] for r in reviews] == ["claims/fund-test-claim.html"]  # the anecdote is not rated: no review
    for review in reviews:
        check_claim_review(review)
    question = (tmp_path / "one" / "funding.html").read_text()
    assert "secret_code_line" not in question  # code hidden
    assert 'src="charts/tiny_chart.png"' in question and 'href="charts/tiny_chart.csv"' in question
    assert 'srcset="charts/tiny_chart.phone.png, charts/tiny_chart.png 2x"' in question  # a phone's chart from report/charts
    assert "../report/" not in question
    scale = (tmp_path / "one" / "rating-scale.html").read_text()
    assert 'class="badge rating-s4">true</span>' in scale and "rating-unknown" in scale
    sources = (tmp_path / "one" / "sources.html").read_text()
    assert sources.count('href="data/processed/state_economy.csv"') == 2  # SHA_A and SHA_C
    downloads = (tmp_path / "one" / "downloads.html").read_text()
    assert "1 rows; every row names its raw file" in downloads
    # an unchanged page is not rewritten (its time stays); a claim that is gone loses its page
    before = (tmp_path / "one" / "index.html").stat().st_mtime_ns
    site.build_site(tmp_path / "one", records=records, claims_text="text\n", **inputs)
    assert (tmp_path / "one" / "index.html").stat().st_mtime_ns == before
    site.build_site(tmp_path / "one", records=records[:1], claims_text="text\n", **inputs)
    assert not (tmp_path / "one" / "claims" / "class-test-anecdote.html").exists()


def test_build_with_base_url_gives_absolute_claim_review_urls(tmp_path):
    inputs = small_inputs(tmp_path / "in")
    site.build_site(tmp_path / "out", records=[make_record()], **inputs | {"base_url": "https://example.org/checks/"})
    review = json.loads((tmp_path / "out" / "claimreview.json").read_text())[0]
    assert review["url"] == "https://example.org/checks/claims/fund-test-claim.html"
    page = Page((tmp_path / "out" / "claims" / "fund-test-claim.html").read_text())
    assert json.loads(page.jsonld[0]) == review


# -- notebooks run only when their inputs changed --------------------------------------------------------------
def test_notebook_runs_once_until_an_input_or_its_chart_changes(tmp_path):
    import nbformat

    nb_path = tmp_path / "tiny.ipynb"
    code = ("import os, pathlib\n"
            "pathlib.Path(os.environ['SCHOOLCLAIMS_CHARTS_DIR'], 'tiny.csv').write_text('a\\n1\\n')\n"
            "print('drew tiny')")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), nb_path)
    charts, stamps = tmp_path / "charts", tmp_path / "stamps"
    assert execute.run_stale([nb_path], charts=charts, stamps=stamps, log=lambda _: None) == [nb_path]
    assert (charts / "tiny.csv").read_text() == "a\n1\n"
    assert "drew tiny" in nb_path.read_text()  # outputs written back in place
    assert [p.name for p in charts.iterdir()] == ["tiny.csv"]  # no scratch folder left
    assert execute.run_stale([nb_path], charts=charts, stamps=stamps) == []  # nothing changed: skipped
    (charts / "tiny.csv").write_text("edited by hand\n")
    assert execute.run_stale([nb_path], charts=charts, stamps=stamps, log=lambda _: None) == [nb_path]


def test_a_failing_notebook_leaves_notebook_and_charts_as_they_were(tmp_path):
    import nbformat

    nb_path = tmp_path / "broken.ipynb"
    code = ("import os, pathlib\n"
            "pathlib.Path(os.environ['SCHOOLCLAIMS_CHARTS_DIR'], 'half.csv').write_text('x')\n"
            "raise ValueError('no data')")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), nb_path)
    before = nb_path.read_bytes()
    with pytest.raises(execute.NotebookError, match=r"broken.ipynb: a cell failed"):
        execute.run_stale([nb_path], charts=tmp_path / "charts", stamps=tmp_path / "stamps", log=lambda _: None)
    assert nb_path.read_bytes() == before
    assert list((tmp_path / "charts").iterdir()) == [] and not (tmp_path / "stamps").exists()


# -- the real site ---------------------------------------------------------------------------------------------
TEST_BASE = "https://checks.example.test/site/"  # a test address (the .test domain is reserved): never published


def build_real_site(folder: Path) -> tuple[Path, float]:
    """The site made from the repository's claims, committed notebooks and charts, in ``folder``/site (notebooks are
    not run: nbval does that), with its stamp in ``folder``/stamps; and the seconds a second run took. Tests read it
    through the ``built_site`` fixture (conftest.py), which builds it once for the run."""
    out, committed, charts = folder / "site", paths.ROOT / "report" / "charts", folder / "charts"
    args = argparse.Namespace(out=str(out), force=True, no_execute=True, base_url=TEST_BASE, jobs=1)
    # a copy of the committed charts (`make test` points SCHOOLCLAIMS_CHARTS_DIR at an empty scratch folder for nbval):
    # the charts the site draws from claims' own figures go there, never into the repository, and must match it
    shutil.rmtree(charts, ignore_errors=True)  # a failed try in the other worker left it: built again, failing with its error
    shutil.copytree(committed, charts)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(execute, "STAMPS", folder / "stamps")
        mp.setattr(paths, "CHARTS", charts)
        assert site.run(args) == 0
        args.force = False
        started = time.perf_counter()
        assert site.run(args) == 0  # nothing changed: checked by content hashes and skipped
        skipped_in = time.perf_counter() - started
    differ = sorted(p.name for p in charts.iterdir() if not (committed / p.name).is_file()
                    or (committed / p.name).read_bytes() != p.read_bytes())
    assert not differ, f"the site drew charts that differ from report/charts (run `make regen`): {differ[:10]}"
    return out, skipped_in


def test_real_site_has_a_page_per_claim_and_one_claim_review_per_rated_claim(built_site):
    out, skipped_in = built_site
    records = json.loads((out / "data" / "claims.json").read_text())
    reviews = json.loads((out / "claimreview.json").read_text())
    rated = [r for r in records if r["rating"] != "not rated"]
    assert len(records) == len(list((out / "claims").glob("*.html"))) > len(rated) == len(reviews) > 0
    for record, review in zip(rated, reviews):
        check_claim_review(review, TEST_BASE)
        page = Page((out / "claims" / f"{record['id']}.html").read_text())
        assert len(page.jsonld) == 1
        assert json.loads(page.jsonld[0]) == review
    for record in records:
        if record["rating"] == "not rated":
            assert Page((out / "claims" / f"{record['id']}.html").read_text()).jsonld == []
    assert skipped_in < 2.0


def test_structured_data_read_as_search_engines_read_it_meets_the_claim_review_guidelines(built_site):
    """extruct reads the JSON-LD of every claim page as a crawler does; each rated claim has one ClaimReview with the
    required and recommended fields, an absolute url that is the page's own address, and a claimReviewed of at most
    75 characters or (until the claim file has a short form) the whole quote, never a cut one."""
    extruct = pytest.importorskip("extruct")
    out, _ = built_site
    records = {r["id"]: r for r in json.loads((out / "data" / "claims.json").read_text())}
    found = 0
    for path in sorted((out / "claims").glob("*.html")):
        record = records[path.stem]
        url = f"{TEST_BASE}claims/{path.name}"
        items = extruct.extract(path.read_text(encoding="utf-8"), base_url=url, syntaxes=["json-ld"])["json-ld"]
        reviews = [i for i in items if i.get("@type") == "ClaimReview"]
        if record["rating"] == "not rated":
            assert reviews == [], f"{path.name}: a claim that is not rated has no ClaimReview"
            continue
        assert len(reviews) == 1, path.name
        review = reviews[0]
        check_claim_review(review, TEST_BASE)
        assert review["url"] == url
        short = review["claimReviewed"]
        assert len(short) <= 75 or (short == " ".join(record["quote"].split()) and not record["claim_reviewed"]), path.name
        assert short in " ".join(record["quote"].split()) or record["claim_reviewed"], path.name  # a clause, not a summary
        assert review["reviewRating"]["alternateName"] == record["rating"]
        found += 1
    assert found == sum(r["rating"] != "not rated" for r in records.values()) > 0


def test_real_site_has_no_broken_relative_link_fragment_or_image(built_site):
    out, _ = built_site
    ids = {p.resolve(): Page(p.read_text(encoding="utf-8")).ids for p in out.rglob("*.html")}
    problems = []
    for html_path in sorted(out.rglob("*.html")):
        page = Page(html_path.read_text(encoding="utf-8"))
        for image in page.images:
            if not (image.get("alt") or "").strip():
                problems.append(f"{html_path.relative_to(out)}: image {image.get('src')} has no alt text")
        for link in page.links:
            parts = urlsplit(link)
            if link.startswith("data:image/png"):  # a chart is a file of the site (link_chart_images), not inlined
                problems.append(f"{html_path.relative_to(out)}: a PNG of {len(link):,} characters inlined")
            if parts.scheme or link.startswith("//"):
                continue  # an outside address (data: icons included)
            target = (html_path.parent / unquote(parts.path)).resolve() if parts.path else html_path.resolve()
            if not target.is_file() or out.resolve() not in target.parents:
                problems.append(f"{html_path.relative_to(out)}: {link} -> no such file in the site")
            elif parts.fragment and target.suffix == ".html" and not (
                    {parts.fragment, unquote(parts.fragment)} & ids[target]):
                problems.append(f"{html_path.relative_to(out)}: {link} -> no element with that id")
    assert not problems, "\n".join(problems[:20])


def test_a_claim_page_links_the_other_versions_of_its_question():
    rival = make_record(id="fund-test-rival", quote="Schools get $2 per pupil", rating="false", rating_value=1)
    data = site_data(records=[make_record(), rival, make_record(**UNRATED)])
    page = Page(site.render_claim(make_record(), data))
    assert "fund-test-rival.html" in page.links and "class-test-anecdote.html" not in page.links
    assert "Other claims on the same question" in site.render_claim(make_record(), data)


# -- ClaimReview to the guidelines: short claim, claimant by name, base address --------------------------------
@pytest.mark.parametrize("quote,own,expected", [
    ("Schools get $1 per pupil", "", "Schools get $1 per pupil"),  # short enough: the quote itself
    ("Schools get $1 per pupil", "Short form", "Short form"),  # the claim file's claim_reviewed wins
    # too long: the first whole sentence that fits and carries a figure
    ("We are dedicated teachers who work very hard every single day for our students in the schools. "
     "Our district spends $11,000 per student each year.", "", "Our district spends $11,000 per student each year."),
    # a clause after a colon counts; a clause too long is never cut: the whole quote stays
    ("FACT: Alliance teachers earn a lot.", "", "FACT: Alliance teachers earn a lot."),
    ("In the 6th largest economy in the world, and in the 2nd largest district in the country, the money is here "
     "for the schools our students deserve.", "",
     "In the 6th largest economy in the world, and in the 2nd largest district in the country, the money is here "
     "for the schools our students deserve."),
])
def test_claim_reviewed_is_the_short_form_or_a_whole_clause_never_a_cut_one(quote, own, expected):
    assert site.short_claim({"quote": quote, "claim_reviewed": own}) == expected


@pytest.mark.parametrize("claimant,detail,entity", [
    ("Erica Huerta, LAUSD social studies teacher, quoted by UTLA", None,
     {"@type": "Person", "name": "Erica Huerta", "jobTitle": "LAUSD social studies teacher"}),
    ("United Teachers Los Angeles (UTLA) president", None, {"@type": "Organization", "name": "United Teachers Los Angeles"}),
    ("Alliance College-Ready Public Schools (management)", None,
     {"@type": "Organization", "name": "Alliance College-Ready Public Schools"}),
    # a comma inside parentheses divides nothing (the README's pattern for a synthetic claimant)
    ("A fictional speaker (SYNTHETIC TEST CLAIM, not a real statement)", None,
     {"@type": "Organization", "name": "A fictional speaker"}),
    ("Jane Roe (spokeswoman, synthetic), board member", None,
     {"@type": "Person", "name": "Jane Roe", "jobTitle": "board member"}),
    ("(UTLA), president", None, {"@type": "Person", "name": "(UTLA)", "jobTitle": "president"}),
    ("anything", {"type": "Person", "name": "Nick Melvoin", "job_title": "LAUSD board member",
                  "affiliation": "Los Angeles Unified School District", "same_as": ["https://example.org/nm"]},
     {"@type": "Person", "name": "Nick Melvoin", "jobTitle": "LAUSD board member",
      "affiliation": {"@type": "Organization", "name": "Los Angeles Unified School District"},
      "sameAs": ["https://example.org/nm"]}),
])
def test_claimant_is_a_person_or_organization_by_name_only(claimant, detail, entity):
    assert site.claimant_entity({"claimant": claimant, "claimant_detail": detail}) == entity


def test_base_address_is_read_from_pyproject_and_the_option_overrides_it(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.schoolclaims]\nbase_url = "https://checks.example.test/site/"\n')
    assert site.configured_base_url(pyproject) == "https://checks.example.test/site/"
    (tmp_path / "bare.toml").write_text('[project]\nname = "x"\n')
    assert site.configured_base_url(tmp_path / "bare.toml") == ""
    assert site.page_url("https://checks.example.test/site", "claims/a.html") == "https://checks.example.test/site/claims/a.html"
    assert site.page_url("", "claims/a.html") == "claims/a.html"
    with pytest.MonkeyPatch.context() as mp:  # `site` without --base-url uses the configured address
        seen = {}
        mp.setattr(paths, "configured_base_url", lambda: "https://checks.example.test/")
        mp.setattr(site, "build_site", lambda out, **kw: seen.update(kw) or {})
        mp.setattr(site, "site_up_to_date", lambda out, inputs: False)
        mp.setattr(site, "_stamp_for", lambda out: argparse.Namespace(write=lambda data: None))
        args = argparse.Namespace(out=str(tmp_path / "o"), force=True, no_execute=True, base_url="", jobs=1)
        assert site.run(args) == 0 and seen["base_url"] == "https://checks.example.test/"
        args.base_url = "https://other.example.test/"
        assert site.run(args) == 0 and seen["base_url"] == "https://other.example.test/"


# -- the quote's source one click away -------------------------------------------------------------------------
PAGE_TEXT = ("Menu\n\nAbout us\n\nWe are teachers. Our schools need more.\n\nIn the 6th largest economy, "
             "the money is “here” for the schools\nour students deserve. Join us.\n\nSign the letter\n\nFooter")


def test_the_quoted_passage_is_found_with_a_paragraph_of_context_each_side():
    passage = site.quoted_passage(PAGE_TEXT, 'the money is "here" for the schools our students deserve')
    assert passage == {"before": "We are teachers. Our schools need more.\n\nIn the 6th largest economy, ",
                       "quoted": "the money is “here” for the schools\nour students deserve",
                       "after": ". Join us.\n\nSign the letter"}
    elided = site.quoted_passage(PAGE_TEXT, "In the 6th largest economy … our students deserve.")
    assert elided["quoted"] == "In the 6th largest economy, the money is “here” for the schools\nour students deserve."
    assert site.quoted_passage(PAGE_TEXT, "the money is not here") is None
    long = site.quoted_passage("word " * 500 + "the claim itself " + "more " * 500, "the claim itself", limit=30)
    assert long["before"].startswith("… ") and len(long["before"]) <= 32 and long["after"].endswith(" …")


@pytest.mark.parametrize("address,href", [
    ("https://example.org/page", "https://example.org/page"), ("github:Kev-Ji/CA-School-Analysis",
                                                                "https://github.com/Kev-Ji/CA-School-Analysis"),
    ("data/pubschls.txt", None), ("javascript:alert(1)", None), ("", None)])
def test_a_cited_address_links_out_or_is_text_never_a_broken_relative_link(address, href):
    assert site.source_href(address) == href


def test_media_type_and_capture_date_say_what_is_known():
    page = {"path": "claim_pages/seeds/001.txt", "mediatype": "text/csv", "origin": "manual-import",
            "retrieved_at": "2026-12-01T13:31:12Z"}
    assert site.media_type(page) == "text/plain" and site.capture_date(page) == "unknown"
    assert site.capture_date({"origin": "internet-archive", "extra": {"capture_timestamp": "20191115000000"}}) == "2019-11-15"
    assert site.capture_date({"origin": "official", "retrieved_at": "2026-11-23T12:00:00Z"}) == "2026-11-23"
    assert site.media_type({"path": "x/file.mdb", "mediatype": ""}) == "application/x-msaccess"


def test_build_publishes_each_quote_in_its_archived_copy_and_the_sources_page_names_its_claims(tmp_path):
    import hashlib

    inputs = small_inputs(tmp_path / "in")
    copy = inputs["raw"] / "claim_pages" / "seeds" / "page.txt"
    copy.parent.mkdir(parents=True)
    copy.write_text(PAGE_TEXT, encoding="utf-8")
    sha = hashlib.sha256(copy.read_bytes()).hexdigest()
    resources = RESOURCES + [{"name": "p", "hash": f"sha256:{sha}", "path": "claim_pages/seeds/page.txt",
                              "source_id": "claim_pages", "vintage": "seeds", "url": "https://example.org/campaign",
                              "bytes": 10, "mediatype": "text/csv", "origin": "manual-import",
                              "origin_detail": "plain-text copy", "retrieved_at": "2026-12-01T13:31:12Z"}]
    inputs["manifest"].write_text(json.dumps({"resources": resources}))
    record = make_record(quote="In the 6th largest economy … our students deserve.", evidence=[],
                         appeared=[{"title": "Campaign page", "url": "https://example.org/campaign",
                                    "archived_copy": "data/raw/claim_pages/seeds/page.txt", "date": "2017-18"}])
    written = site.build_site(tmp_path / "out", records=[record], **inputs | {
        "url_remarks": {"https://apps.bea.gov/regional/zip/SAGDP.zip": "pattern; not verified here"}})
    assert "quotes/fund-test-claim.html" in written
    quote_page = (tmp_path / "out" / "quotes" / "fund-test-claim.html").read_text()
    assert "<mark>In the 6th largest economy, the money is “here” for the schools\nour students deserve.</mark>" in quote_page
    assert "We are teachers." in quote_page and "Sign the letter" in quote_page
    assert sha in quote_page and "https://example.org/campaign" in quote_page and "captured</dt><dd>unknown" in quote_page
    claim_page = Page((tmp_path / "out" / "claims" / "fund-test-claim.html").read_text())
    assert "../quotes/fund-test-claim.html#appearance-1" in claim_page.links
    sources = (tmp_path / "out" / "sources.html").read_text()
    entry = sources[sources.index(f'id="sha256-{sha}"'):]
    assert 'href="claims/fund-test-claim.html"' in entry and "text/plain" in entry and "text/csv" not in entry
    bea = sources[sources.index(f'id="sha256-{SHA_A}"'):sources.index(f'id="sha256-{SHA_B}"')]
    assert "pattern; not verified here" in bea
    copy.write_text(PAGE_TEXT + "changed", encoding="utf-8")  # damaged copy: refused, not quoted
    with pytest.raises(site.SiteError, match="do not match the manifest"):
        site.build_site(tmp_path / "out2", records=[record], **inputs)


def test_about_page_names_the_project_the_scale_and_where_to_report_an_error():
    page = Page(html := site.render_about(site_data()))
    assert "rating-scale.html" in page.links and site.ISSUES_URL in page.links and paths.PROJECT_URL in page.links
    assert "Corrections policy" in html and "about.html" in page.links  # in the site navigation too


# -- charts an organizer can cite alone ------------------------------------------------------------------------
def test_an_exported_chart_carries_its_title_address_and_data_date_on_the_image_and_in_its_files(tmp_path):
    import matplotlib.pyplot as plt
    import pandas as pd

    from schoolclaims.report import style

    def draw():
        fig, ax = style.new_chart()
        ax.plot([2015, 2016], [1, 2])
        ax.set_yticks([1, 2], ["one", "two"], fontsize=5)  # small text the phone layout must enlarge
        style.label(ax, "What is plotted", "year", "value")
        ax.legend(["a series with a long name that has to wrap on a phone"], fontsize=6)
        return fig

    data = pd.DataFrame({"school_year": ["2015-16", "2014-15"], "value": [2, 1], "source_id": ["cde_frpm"] * 2})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "configured_base_url", lambda: "https://checks.example.test/site/")
        fig = draw()
        files = style.export(fig, "tiny", data, alt_text="Line of value by year.", folder=tmp_path, page="funding.html",
                             title="Half true. 1 of 2 figures agree")
    assert files.address == "https://checks.example.test/site/funding.html" and files.data_date == "2014-15 to 2015-16"
    assert files.citation == ("“Half true. 1 of 2 figures agree”. schoolclaims, https://checks.example.test/site/funding.html, "
                              "data 2014-15 to 2015-16.")
    drawn = [t.get_text() for t in fig.texts]
    assert "Half true. 1 of 2 figures agree" in drawn  # the finding is the chart's title
    assert any("schoolclaims · https://checks.example.test/site/funding.html · data 2014-15 to 2015-16" in " ".join(t.split())
               for t in drawn)  # the credit line, as re-wrapped by the phone layout
    chunks = site.png_text(files.png)
    assert chunks["Title"] == "Half true. 1 of 2 figures agree" and chunks["Author"] == "schoolclaims"
    assert chunks["Source"] == files.address and chunks["Comment"] == files.citation and "Date" not in chunks
    svg = files.svg.read_text()
    assert "<dc:title>Half true. 1 of 2 figures agree</dc:title>" in svg and f"<dc:source>{files.address}</dc:source>" in svg
    assert "<dc:date>" not in svg  # no clock: the same inputs give the same bytes
    assert site.png_text(files.phone)["Comment"] == files.citation
    # the phone layout: 3.8 in wide, no text under 7.5 pt, which is at least 9 CSS px when shown ~359 px wide
    width, _ = site.png_size(files.phone)
    assert width == round(style.PHONE_WIDTH * style.STYLE["savefig.dpi"])
    from matplotlib.text import Text
    assert min(t.get_fontsize() for t in fig.findobj(Text) if t.get_text()) >= style.PHONE_MIN_POINTS
    assert style.PHONE_MIN_POINTS / 72 * 359 / style.PHONE_WIDTH >= 9
    again = tmp_path / "again"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "configured_base_url", lambda: "https://checks.example.test/site/")
        second = style.export(draw(), "tiny", data, alt_text="Line of value by year.", folder=again, page="funding.html",
                              title="Half true. 1 of 2 figures agree")
    for first_file, second_file in ((files.png, second.png), (files.svg, second.svg), (files.phone, second.phone)):
        assert first_file.read_bytes() == second_file.read_bytes()
    plt.close("all")


def test_without_a_base_address_a_chart_names_the_repository_never_an_invented_address(tmp_path):
    from schoolclaims.report import style

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "configured_base_url", lambda: "")
        assert style.chart_address("x", "funding.html") == paths.PROJECT_URL
        mp.setattr(paths, "configured_base_url", lambda: "https://checks.example.test/")
        assert style.chart_address("x") == "https://checks.example.test/downloads.html#chart-x"


def test_a_notebook_run_by_hand_never_writes_the_published_charts(tmp_path):
    from schoolclaims.report import style

    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SCHOOLCLAIMS_CHARTS_DIR", raising=False)
        assert style.export_folder() == paths.CACHE / "charts"
        mp.setenv("SCHOOLCLAIMS_CHARTS_DIR", str(tmp_path))  # as `schoolclaims site` runs each notebook
        assert style.export_folder() == tmp_path
        assert style.export_folder("school_year=2016-17") == paths.CACHE / "whatif-charts"  # a what-if, always aside
    assert (paths.ROOT / "report" / "charts").resolve() not in {style.export_folder().resolve()}


def test_a_what_if_re_rates_the_claim_and_says_so():
    from schoolclaims.report import style, whatif

    published = whatif.rerate("schools-alliance-26-11000")
    assert published.note is None and published.params["school_year"] == "2014-15"
    assert not published.result.conclusion.startswith("WHAT-IF")
    same = whatif.rerate("schools-alliance-26-11000", school_year="2014-15", tolerance=None)
    assert same.note is None  # the claim file's own value is not a what-if
    other = whatif.rerate("schools-alliance-26-11000", school_year="2016-17")
    assert other.note == "school_year=2016-17" and other.params["school_year"] == "2016-17"
    assert other.result.conclusion.startswith("WHAT-IF (school_year=2016-17), not the published rating: On Census Day 2016")
    assert style.finding(other.result).startswith(f"{other.result.rating[:1].upper()}{other.result.rating[1:]}. On Census Day 2016")
    with pytest.raises(ValueError, match="no parameter year"):
        whatif.rerate("schools-alliance-26-11000", year="2016-17")


def test_claim_line_spans_only_the_claimed_years_and_publishers_get_their_own_colours():
    import matplotlib.pyplot as plt

    from schoolclaims.report import style

    fig, ax = style.new_chart()
    ax.set_xlim(2000, 2025)
    style.mark_claim(ax, 20000, 2019.5, 20100, "claimed", span=(2019.5, 2021.5))
    [line] = [ln for ln in ax.lines if ln.get_label() == "_claim line"]
    assert list(line.get_xdata()) == [2019.5, 2021.5]
    colors = style.series_colors(["A", "B", "C", "A"])
    assert len(set(colors.values())) == 3
    assert style.short_names(["U.S. Census Bureau, Annual Survey of School System Finances",
                              "U.S. Census Bureau, F-33 (as quoted)", "Education Week, Quality Counts"]) == {
        "U.S. Census Bureau, Annual Survey of School System Finances": "Annual Survey of School…",
        "U.S. Census Bureau, F-33 (as quoted)": "F-33 (as quoted)", "Education Week, Quality Counts": "Education Week"}
    plt.close(fig)


def test_the_site_serves_the_phone_layout_and_the_citation_from_the_png(tmp_path):
    import matplotlib.pyplot as plt

    from schoolclaims.report import style

    fig, ax = style.new_chart()
    ax.plot([1, 2], [1, 2])
    style.export(fig, "tiny_chart", __import__("pandas").DataFrame({"year": [2017], "source_id": ["cde_frpm"]}),
                 alt_text="A line.", folder=tmp_path, title="A finding")
    plt.close(fig)
    charts = site.read_charts(tmp_path)
    assert list(charts) == ["tiny_chart"]  # the phone file is a layout of the chart, not a chart of its own
    chart = charts["tiny_chart"]
    assert chart.phone[0] == "tiny_chart.phone.png" and chart.citation.startswith("“A finding”. schoolclaims, ")
    data = site_data()
    data.charts = charts
    html = site.render_claim(make_record(), data)
    assert '<source media="(max-width: 40rem)" srcset="../charts/tiny_chart.phone.png"' in html
    assert f'<span class="citation">{chart.citation}</span>' in html.replace("&#34;", '"')


def test_a_question_page_links_each_inline_chart_to_its_file_and_leaves_other_images_inline(tmp_path):
    """A notebook shows its charts inline (data: addresses); on the site each is the chart file with the same bytes,
    so a phone does not download the desktop images it never shows. Bytes that match no file stay inline."""
    import base64

    (tmp_path / "a.png").write_bytes(b"\x89PNG synthetic chart a")
    (tmp_path / "a.phone.png").write_bytes(b"\x89PNG synthetic phone layout of a")
    chart, other = (base64.b64encode(b).decode() for b in (b"\x89PNG synthetic chart a", b"\x89PNG another image"))
    body = (f'<picture><source srcset="charts/a.phone.png"><img src="data:image/png;base64,{chart}" alt="A"></picture>'
            f'<img src="data:image/png;base64,{other}" alt="B">')
    assert site.link_chart_images(body, tmp_path) == (
        '<picture><source srcset="charts/a.phone.png"><img src="charts/a.png" loading="lazy" alt="A"></picture>'
        f'<img src="data:image/png;base64,{other}" alt="B">')


def test_a_claim_file_may_give_a_short_claim_and_its_claimant_and_files_without_them_still_load(tmp_path):
    from schoolclaims.claims import ClaimFileError, evaluate, load_claim, result_record

    import re

    text = re.sub(r"^(claim_reviewed|claimant_detail): .*\n", "", (paths.CLAIMS / "class-lausd-second-lowest.yaml")
                  .read_text(encoding="utf-8"), flags=re.M)  # the file as written before these keys existed
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "class-lausd-second-lowest.yaml").write_text(text, encoding="utf-8")
    plain = load_claim(tmp_path / "plain" / "class-lausd-second-lowest.yaml")
    assert plain.claim_reviewed == "" and plain.claimant_detail is None  # files without the keys load unchanged
    extra = ("claim_reviewed: Of the 10 largest California districts, LAUSD has 2nd-lowest class size\n"
             "claimant_detail:\n  type: Person\n  name: Nick Melvoin\n  job_title: LAUSD board member\n"
             "  affiliation: Los Angeles Unified School District\n")
    good = tmp_path / "class-lausd-second-lowest.yaml"
    good.write_text(text + extra, encoding="utf-8")
    record = result_record(evaluate(load_claim(good), sensitivity=False))
    review = site.claim_review(record, "https://checks.example.test/claims/class-lausd-second-lowest.html")
    check_claim_review(review, "https://checks.example.test/")
    assert review["claimReviewed"] == "Of the 10 largest California districts, LAUSD has 2nd-lowest class size"
    assert review["itemReviewed"]["author"] == {
        "@type": "Person", "name": "Nick Melvoin", "jobTitle": "LAUSD board member",
        "affiliation": {"@type": "Organization", "name": "Los Angeles Unified School District"}}
    long = tmp_path / "long" / "class-lausd-second-lowest.yaml"
    long.parent.mkdir()
    long.write_text(text + "claim_reviewed: " + "x" * 76 + "\n", encoding="utf-8")
    with pytest.raises(ClaimFileError, match="claim_reviewed"):
        load_claim(long)


def test_parts_of_one_sentence_each_show_the_sentence_and_link_the_other_part():
    """One quote, one verdict: two claims quoted from one sentence each check their own words; the page and the card
    show the whole sentence as context and link the other part with its rating."""
    sentence = "In the 6th largest economy, and in the 2nd largest district, the money is here."
    economy = make_record(id="fund-test-economy", quote="In the 6th largest economy", context=sentence, rating="mostly true")
    district = make_record(id="fund-test-district", quote="in the 2nd largest district", context=sentence, rating="true")
    data = site_data(records=[economy, district])
    page = site.render_claim(economy, data)
    assert "Part of the sentence:</span> “In the 6th largest economy, and in the 2nd largest district" in page
    assert 'href="fund-test-district.html">“in the 2nd largest district”</a>' in page
    assert "This page checks only the words above." in page
    home = site.render_index(data)
    assert home.count("One part of:</span>") == 2
    assert 'href="#fund-test-economy">“In the 6th largest economy”</a>' in home
    alone = site.render_claim(make_record(), site_data())
    assert "Part of the sentence" not in alone


def test_a_chart_a_notebook_no_longer_draws_is_removed_unless_another_wrote_it_since(tmp_path):
    from schoolclaims.files import sha256_file

    charts = tmp_path / "charts"
    charts.mkdir()
    for name in ("kept.png", "dropped.png", "moved.png"):
        (charts / name).write_bytes(name.encode())
    before = {name: sha256_file(charts / name) for name in ("kept.png", "dropped.png", "moved.png")}
    (charts / "moved.png").write_bytes(b"drawn since by another notebook")
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"x")
    execute._remove_undrawn(charts, {**before, "../outside.png": sha256_file(outside)}, {"kept.png": before["kept.png"]})
    assert sorted(p.name for p in charts.iterdir()) == ["kept.png", "moved.png"] and outside.is_file()


def test_a_figure_the_file_does_not_give_reads_not_reported_never_nan():
    """A school whose file reports no pupils or no teachers has no ratio: the page and the text listing say so."""
    import dataclasses

    from schoolclaims.claims import evaluate, load_claim
    from schoolclaims.claims.evaluate import format_result

    assert site.value_text(float("nan")) == "not reported" and site.value_text(26.9) == "26.90"
    result = evaluate(load_claim(paths.CLAIMS / "class-alliance-smaller.yaml"), sensitivity=False)
    blank = result.evidence.head(1).assign(value=float("nan"))
    text = format_result(dataclasses.replace(result, evidence=blank))
    assert "| not reported " in text and "| nan " not in text


def test_a_claim_page_shows_its_chart_right_under_the_rating_and_its_own_reason_for_none():
    """On a phone the evidence tables run to many screens: the chart comes before them. A claim file's ``no_chart``
    is the reason the page gives."""
    html = site.render_claim(make_record(**UNRATED, no_chart="no public record gives it"), site_data())
    order = [html.index(f'<h2 id="{section}">') for section in ("rating", "charts", "appeared", "evidence")]
    assert order == sorted(order)
    assert "No chart for this claim yet: no public record gives it" in html


def test_a_quote_without_an_archived_copy_points_to_the_copy_its_caveats_name():
    """'No archived copy' beside a caveat saying the words were checked against a stored copy read as a contradiction."""
    record = make_record(**UNRATED)
    record["appeared"] = [dict(record["appeared"][0], archived_copy="")]
    plain = site.render_claim(record, site_data())
    checked = site.render_claim(dict(record, caveats=["The words are checked against a stored copy of the page."]), site_data())
    assert "No copy is archived in the project." in plain
    assert "No copy is archived in the project (the caveats name the copy its words were checked against)." in checked

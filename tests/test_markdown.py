"""Markdown pages of the site (the rating scale) are rendered by markdown-it-py: heading ids, rating badges in tables,
raw HTML escaped."""

from __future__ import annotations

from schoolclaims.report.site import markdown_html

TEXT = """# Rating scale

## Factual claims

| rating | meaning |
|---|---|
| true | The figures support it. |
| can't verify with the archived sources | <script>x</script> not shown as HTML |
| other | true |
"""


def test_headings_get_the_ids_the_claim_pages_link_to():
    html = markdown_html(TEXT)
    assert '<h1 id="Rating-scale">Rating scale</h1>' in html and '<h2 id="Factual-claims">Factual claims</h2>' in html


def test_a_rating_in_the_first_cell_of_a_row_becomes_its_badge_and_nowhere_else():
    badges = {"true": "rating-s4", "can't verify with the archived sources": "rating-unknown"}
    html = markdown_html(TEXT, badges)
    assert '<td><span class="badge rating-s4">true</span></td>' in html
    assert "<td><span class=\"badge rating-unknown\">can't verify with the archived sources</span></td>" in html
    assert "<td>other</td>\n<td>true</td>" in html  # a rating word in the second cell stays plain
    assert "<th>rating</th>" in html  # the header row has no badge


def test_raw_html_is_escaped():
    assert "&lt;script&gt;x&lt;/script&gt;" in markdown_html(TEXT) and "<script>" not in markdown_html(TEXT)

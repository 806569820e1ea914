"""Every quote traces to an archived copy of the page it is quoted from."""

from __future__ import annotations

import re

import pytest
from helpers import cdx_answer, quiet_session

from schoolclaims import paths
from schoolclaims.acquire.archive import Archive
from schoolclaims.acquire.fetch import fetch_files
from schoolclaims.claims import ClaimFileError, load_claim, load_claims
from schoolclaims.sources import claim_pages


def _words(text: str) -> str:
    """Text compared as words: typographic quotes and apostrophes plain, white space folded, case ignored."""
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    return re.sub(r"\s+", " ", text).strip().lower()


def test_every_claim_address_is_a_listed_page_so_fetch_can_capture_it():
    listed = {page["url"] for page in claim_pages.pages()}
    for claim in load_claims():
        assert {a.url for a in claim.appeared} <= listed, claim.id


def test_every_quote_stands_in_its_archived_copy():
    archive = Archive()
    copies = 0
    for claim in load_claims():
        for appearance in claim.appeared:
            if not appearance.archived_copy:
                continue
            resource = archive.get(appearance.archived_copy.removeprefix("data/raw/"))
            assert resource.source_id == "claim_pages" and resource.url == appearance.url, claim.id
            page = _words(archive.locate(resource).read_text(encoding="utf-8"))  # checksum verified
            for part in re.split(r"\s*(?:…|\.\.\.)\s*", _words(claim.quote)):  # an elided quote: each part in order
                assert part.strip('"') in page, f"{claim.id}: {part!r} is not in {appearance.archived_copy}"
            if claim.context:
                assert _words(claim.context).strip('"') in page, f"{claim.id}: its context is not in {appearance.archived_copy}"
            copies += 1
    assert copies >= 16


def test_an_archived_copy_outside_the_manifest_is_refused(tmp_path):
    text = (paths.CLAIMS / "fund-20-by-20.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "fund-20-by-20.yaml"
    bad.write_text(text.replace("data/raw/claim_pages/seeds-2026-11/", "shared/seeds/", 1), encoding="utf-8")
    with pytest.raises(ClaimFileError, match=r"fund-20-by-20.yaml: field appeared.0.archived_copy: 'shared/seeds/.*not a raw file"):
        load_claim(bad)


def test_a_page_s_internet_archive_capture_is_archived_with_its_provenance(wayback, tmp_path):
    page = next(p["url"] for p in claim_pages.pages() if p["url"].endswith("20-20-school-funding"))
    html = b"<!DOCTYPE html><html><body><p>California spends about $11,000 per student</p></body></html>"
    wayback.expect_request("/cdx/search/cdx").respond_with_data(cdx_answer(
        ["k", "20191115000000", page, "text/html", "200", "PAGEDIGEST", str(len(html))],
        ["k", "20200101000000", page, "text/html", "404", "GONE", "300"]))
    wayback.expect_request(re.compile(r"^/web/20191115000000id_/.*20-20-school-funding$")).respond_with_data(
        html, content_type="text/html")
    [spec] = [s for s in claim_pages.specs() if s.url == page]
    archive = Archive(tmp_path / "raw")
    assert fetch_files([spec], archive=archive, session=quiet_session(), mirrors=[], log=lambda s: None) == []
    [stored] = Archive(tmp_path / "raw").for_source("claim_pages")
    assert stored.path == "claim_pages/internet-archive/www.utla.net-campaigns-issues-campaigns-20-20-school-funding.html"
    assert stored.origin == "internet-archive" and stored.extra["capture_digest"] == "PAGEDIGEST"
    assert (tmp_path / "raw" / stored.path).read_bytes() == html


def test_the_quoted_pages_are_the_addresses_the_claim_files_give(tmp_path):
    """A new claim's page is listed by writing the claim file alone (no list in the code to update)."""
    (tmp_path / "a.yaml").write_text("id: a\nappeared:\n  - title: First\n    url: https://example.org/b\n"
                                     "  - title: Second\n    url: https://example.org/a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\nappeared:\n  - title: Again\n    url: https://example.org/b\n",
                                     encoding="utf-8")
    assert claim_pages.pages(tmp_path) == [{"url": "https://example.org/a", "title": "Second"},
                                           {"url": "https://example.org/b", "title": "First"}]
    assert {s.url for s in claim_pages.specs()} == {a.url for c in load_claims() for a in c.appeared}
    from schoolclaims import freshness

    assert "claims" not in freshness.EXTRACT_CODE  # a new address does not make the build read every file again

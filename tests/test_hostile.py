"""Hostile contributions: an address in a claim file, a ledger, the manifest or `import --url` never becomes a link
that runs or loads something (javascript:, data:, vbscript:, ...). Refused where it enters, with the file and field
named; and the site renders only http(s) and its own relative links even from records that skipped those checks."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from schoolclaims.report import site

from test_site import RESOURCES, UNRATED, make_record, small_inputs

HOSTILE = ["javascript:alert(document.domain)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
           "java\nscript:alert(1)", "\x01javascript:alert(1)", "data:text/html,<script>alert('data-url')</script>",
           "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "\\\\evil.example\\x", "github:../../x",
           "https:alert(1)", "http://"]


@pytest.mark.parametrize("value", HOSTILE)
def test_an_address_with_another_scheme_never_becomes_a_link(value):
    from schoolclaims import urls

    assert urls.href(value) == "" and urls.href(value, relative=True) == ""
    assert "<a" not in urls.link(value)
    with pytest.raises(urls.UnsafeAddress, match="refused"):
        urls.check(value, "claims/x.yaml appeared url", references=True)


@pytest.mark.parametrize("value, target", [
    ("https://www.cde.ca.gov/ds/fd/cs/", "https://www.cde.ca.gov/ds/fd/cs/"),
    ("http://www.utla.net/x", "http://www.utla.net/x"),
    ("https://data.census.gov/table?q=B19013 (ACS table)", "https://data.census.gov/table?q=B19013"),
    ("github:Kev-Ji/CA-School-Analysis", "https://github.com/Kev-Ji/CA-School-Analysis"),
])
def test_http_addresses_and_github_references_become_https_links(value, target):
    from schoolclaims import urls

    assert urls.href(value) == target
    assert urls.check(value, "x", references=True) == value
    assert f'href="{target}"' in urls.link(value).replace("&amp;", "&")


def test_the_site_own_relative_links_pass_and_a_github_reference_is_data_only_where_allowed():
    from schoolclaims import urls

    assert urls.href("../sources.html#sha256-ab", relative=True) == "../sources.html#sha256-ab"
    assert urls.href("../sources.html") == ""  # a data address is never relative
    with pytest.raises(urls.UnsafeAddress):
        urls.check("github:Kev-Ji/CA-School-Analysis", "appeared url")  # a claim's page must be an http(s) page


def test_a_claim_file_with_a_javascript_address_is_refused_naming_file_and_field(tmp_path):
    from schoolclaims.claims.load import ClaimFileError, load_claim

    text = (Path(__file__).parent.parent / "claims" / "fund-20-by-20.yaml").read_text(encoding="utf-8")
    first_url = re.search(r"^    url: (.+)$", text, flags=re.M)
    hostile = tmp_path / "fund-20-by-20.yaml"
    hostile.write_text(text.replace(first_url.group(0), "    url: \"javascript:alert(document.domain)\"", 1), encoding="utf-8")
    with pytest.raises(ClaimFileError, match=r"fund-20-by-20.yaml: .*appeared.0.url.*javascript:.*refused"):
        load_claim(hostile)


def _ledger(tmp_path: Path, source_url: str) -> Path:
    from schoolclaims.sources.ledgers import COLUMNS

    row = {c: "" for c in COLUMNS}
    row.update(ledger="x", entity="LAUSD", measure="m", definition="d", school_year_or_year="2017", value="1", unit="n",
               source_url=source_url, source_locator="p. 1", confidence="exact transcription")
    path = tmp_path / "figures.csv"
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow({c: row[c] for c in COLUMNS})
    return path


@pytest.mark.parametrize("source_url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_a_ledger_row_with_an_unsafe_source_url_is_refused_at_import_and_at_build(tmp_path, source_url):
    from schoolclaims.acquire.archive import Archive
    from schoolclaims.sources import ledgers
    from schoolclaims.sources._io import LayoutError

    path = _ledger(tmp_path, source_url)
    with pytest.raises(LayoutError, match=r"figures.csv line 2: source_url: address .* is refused"):
        ledgers.table_schema(path)
    root = tmp_path / "raw"
    with pytest.raises(LayoutError, match="source_url"):
        Archive(root).import_file(path, "ledgers", "v1", "manual-import", "test ledger")
    assert not list(root.rglob("figures.csv"))
    from helpers import resource

    with pytest.raises(LayoutError, match=r"figures.csv line 2: source_url"):
        ledgers.extract(resource("ledgers", "v1", path="ledgers/v1/figures.csv"), path)


def test_import_url_and_a_manifest_url_with_an_unsafe_scheme_are_refused(tmp_path):
    from schoolclaims.acquire.archive import Archive, ArchiveError

    src = tmp_path / "page.txt"
    src.write_text("a claim page\n")
    root = tmp_path / "raw"
    with pytest.raises(ValueError, match=r"--url: address 'javascript:alert\(1\)' is refused"):
        Archive(root).import_file(src, "claim_pages", "v1", "manual-import", "saved by hand", url="javascript:alert(1)")
    assert not (root / "datapackage.json").exists()
    root.mkdir()
    entry = dict(RESOURCES[0], url="javascript:alert(document.domain)")
    (root / "datapackage.json").write_text(json.dumps({"resources": [entry]}))
    with pytest.raises(ArchiveError, match=r"datapackage.json: damaged manifest: manifest entry .*: url: address"):
        Archive(root)


# -- the rendered site ---------------------------------------------------------------------------------------------
SCRIPT = "<script>alert('x')</script>"


def hostile_record() -> dict:
    """A claim record with a hostile value in every text field and every address, as if the claim-file checks had
    been skipped: the renderer must still write nothing that runs."""
    evil = "\"><svg onload=alert('attr')>" + SCRIPT
    record = make_record(
        claimant=f"<img src=x onerror=alert('claimant')>{evil}", quote=f"{SCRIPT}</script><!-- closes the JSON-LD",
        appeared=[{"title": evil, "url": "javascript:alert(document.domain)", "archived_copy": evil, "date": evil},
                  {"title": "second", "url": "data:text/html,<script>alert('data-url')</script>", "archived_copy": "",
                   "date": "June 2018"},
                  {"title": "third", "url": " java\tscript:alert(1)", "archived_copy": "", "date": "2018"}],
        competing_versions=["<b>bold</b> `<i>code</i>` https://example.org/\"onmouseover=\"alert(1)"],
        question="<iframe src=javascript:alert('question')></iframe>", metrics=[SCRIPT],
        conclusion=f"</p>{SCRIPT} [x](javascript:alert(1))", missing=[SCRIPT],
        settles_it="[x](javascript:alert(1)) <a href=javascript:alert(1)>x</a>", caveats=["<style>body{display:none}</style>"],
        corrections=[{"date": f"2026-11-23\">{SCRIPT}", "note": f"First published. {SCRIPT}"}],
        sensitivity=[{"alternative": SCRIPT, "rating": "false"}], sensitivity_line=SCRIPT)
    for row in record["evidence"]:
        row.update(source_url="javascript:alert('row')", locator=SCRIPT, definition=SCRIPT, item=evil, entity=evil)
    record["evidence"][1]["source_url"] = "vbscript:msgbox(1)"
    return record


class Refs(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.refs, self.handlers, self.scripts = [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "srcset", "data", "poster", "xlink:href"):
                self.refs.append((tag, dict(attrs), value or ""))
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
        if tag == "script":
            self.scripts.append(dict(attrs).get("type", ""))
        if tag in ("iframe", "object", "embed", "style", "svg", "base", "meta") and tag != "meta":
            self.handlers.append((tag, "element", ""))


def written_site(tmp_path: Path) -> Path:
    inputs = small_inputs(tmp_path / "in")
    manifest = json.loads(inputs["manifest"].read_text())
    manifest["resources"][0]["url"] = "javascript:alert('sources page')"  # a manifest that skipped its checks
    manifest["resources"][2]["url"] = "data:text/html,<script>alert(1)</script>"
    inputs["manifest"].write_text(json.dumps(manifest))
    out = tmp_path / "site"
    site.build_site(out, records=[hostile_record(), make_record(**UNRATED)], claims_text="text\n", **inputs)
    return out


def test_a_site_from_hostile_values_has_only_http_and_relative_links_and_no_live_markup(tmp_path):
    out = written_site(tmp_path)
    problems = []
    for page in sorted(out.rglob("*.html")):
        parsed = Refs(page.read_text(encoding="utf-8"))
        for tag, attrs, value in parsed.refs:
            if tag == "link" and attrs.get("rel") == "icon" and value == "data:,":
                continue  # the site's own empty icon (nothing to load or run)
            kind = re.match(r"^([a-z][a-z0-9+.-]*):|", re.sub(r"[\x00-\x20]", "", value).lower()).group(1) or ""
            if kind not in ("", "http", "https") or value.strip().startswith(("//", "\\")):
                problems.append(f"{page.name}: <{tag}> {value!r}")
        problems += [f"{page.name}: <{tag}> {name}={value!r}" for tag, name, value in parsed.handlers]
        problems += [f"{page.name}: <script type={t!r}>" for t in parsed.scripts if t != "application/ld+json"]
    assert not problems, "\n".join(problems)
    claim = (out / "claims" / "fund-test-claim.html").read_text(encoding="utf-8")
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', claim, re.S).group(1))
    assert [a.get("url") for a in jsonld["itemReviewed"]["appearance"]] == [None, None, None]  # only checked addresses
    assert "&lt;script&gt;alert" in claim  # the text is shown, inert


def test_clicking_every_link_of_a_hostile_site_runs_no_script(tmp_path):
    from test_browser import CHROMIUM, CHROMIUM_ARGS, browser_or_skip, serve

    sync_playwright = browser_or_skip()
    out = written_site(tmp_path)
    ran = []
    with serve(out) as base, sync_playwright() as pw:  # every link of the pages a hostile claim reaches
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())  # nothing leaves the host
            context.set_default_timeout(5000)
            for rel in ["claims/fund-test-claim.html", "sources.html", "index.html"]:
                tab = context.new_page()
                tab.on("dialog", lambda d: (ran.append(d.message), d.dismiss()))
                tab.on("pageerror", lambda exc: ran.append(f"script error: {exc}"))
                tab.goto(base + rel, wait_until="load")
                # every link is clicked on this one page: an http(s) or relative link (which runs nothing here) is kept
                # from navigating away; a link of any other scheme is followed as a reader's click would follow it
                tab.evaluate("""() => document.addEventListener('click', e => {
                    const a = e.target.closest('a'); const href = (a && a.getAttribute('href')) || '';
                    if (/^\\s*(https?:|[^:]*$)/i.test(href)) e.preventDefault(); }, true)""")
                links = tab.locator("a[href]")
                assert links.count() > 5
                for i in range(links.count()):
                    links.nth(i).dispatch_event("click")  # a real click event, also on links kept off-screen (the skip link)
                tab.wait_for_timeout(300)
                assert tab.url == base + rel  # still on the page: nothing navigated it away
                tab.close()
        finally:
            browser.close()
    assert ran == []

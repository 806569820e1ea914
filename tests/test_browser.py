"""The real site in a real browser (Debian's Chromium, driven by Playwright): every page at a desktop and a phone size
with no sideways scroll, no failed request and no axe-core violation (WCAG 2.2 A and AA), every image loaded, every
link resolving and every ClaimReview valid. Its own file, run first (tests/conftest.py): the pass over every page is
most of a minute of a browser's work, given to one worker (--dist loadscope) while the other runs the rest."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_site import TEST_BASE, check_claim_review

from schoolclaims import paths
from schoolclaims.report import style


# Chromium's headless shell (Debian's chromium-headless-shell: the same engine without the desktop browser around it,
# measured at about a sixth less CPU over every page) where it is installed, else the browser itself
CHROMIUM = Path(os.environ.get("SCHOOLCLAIMS_CHROMIUM") or next(
    (path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if Path(path).is_file()), "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# lazy images below the fold would never load in a headless page that does not scroll: load them all, then wait
# (at most 10 s) until each has loaded or failed
WAIT_FOR_IMAGES = """() => {
  const images = [...document.images];
  images.forEach(i => { i.loading = 'eager'; });
  const settled = images.map(i => i.complete ? 0 : new Promise(r => { i.addEventListener('load', r);
                                                                       i.addEventListener('error', r); }));
  return Promise.race([Promise.all(settled), new Promise(r => setTimeout(r, 10000))]);
}"""


AXE = Path(os.environ.get("SCHOOLCLAIMS_AXE") or paths.ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # WCAG 2.2 A and AA (2.2 added AA rules only)
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => `${v.id} (${v.nodes.length}): ${v.nodes[0].target.join(' ')}`);
}"""
CHART_IMAGES = """() => [...document.querySelectorAll('figure.chart img, picture img')]
  .filter(i => i.getClientRects().length || !i.closest('.card'))  // a home-page card's chart may be hidden (see below)
  .map(i => ({src: i.currentSrc, shown: i.getBoundingClientRect().width, natural: i.naturalWidth}))"""
CARD_CHARTS_SHOWN = """() => [...document.querySelectorAll('.card img')].filter(i => i.getClientRects().length)
  .map(i => i.getAttribute('src'))"""
OVERFLOW = """() => document.documentElement.scrollWidth > window.innerWidth
  ? `page is ${document.documentElement.scrollWidth}px wide` : null"""


def axe_or_skip() -> str:
    """axe-core's source (installed from npm by .ci/run: npm ci --prefix tests/browser), or a skip (a failure in CI)."""
    if AXE.is_file():
        return AXE.read_text(encoding="utf-8")
    problem = f"no axe-core at {paths.relative(AXE)} (npm ci --prefix tests/browser, or set SCHOOLCLAIMS_AXE)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the accessibility check: {problem}")
    pytest.skip(problem)


def browser_or_skip():
    """Playwright's sync API, or a skip naming what is missing (a failure in CI, which installs both)."""
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "playwright is not installed (pip install -r requirements.lock)"
    if problem is None and not CHROMIUM.is_file():
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium-headless-shell, or set SCHOOLCLAIMS_CHROMIUM)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {problem}")
        pytest.skip(problem)
    return sync_playwright


@contextlib.contextmanager
def serve(folder: Path, extra: dict[str, Path] | None = None):
    """The folder over HTTP on a free loopback port, for as long as the block runs; ``extra`` serves files from
    elsewhere at the given paths (the test's own scripts, which are not part of the site)."""
    extra = {f"/{name}": Path(path) for name, path in (extra or {}).items()}

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            return str(extra[path]) if path in extra else super().translate_path(path)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


AXE_URL = "__test__/axe.min.js"  # served beside the site, never written into it: loaded by URL, its compiled code is
# cached by the browser, which makes each page's check faster than inlining the script


def _works(tab, out: Path, rel: str) -> list[str]:
    """What is wrong with the page open in ``tab`` as a reader's browser shows it: an image that did not load, a chart
    without alt text, a relative link or source that is not a file, a claim page without exactly one valid
    ClaimReview."""
    problems = []
    tab.evaluate(WAIT_FOR_IMAGES)
    for image in tab.evaluate("() => [...document.images].map(i => ({src: i.getAttribute('src'), "
                              "alt: i.getAttribute('alt') || '', ok: i.complete && i.naturalWidth > 0}))"):
        if not image["ok"]:
            problems.append(f"{rel}: image {image['src']} did not load")
        if "charts/" in image["src"] and not image["alt"].strip():
            problems.append(f"{rel}: chart {image['src']} has no alt text")
    for ref in tab.evaluate("() => [...document.querySelectorAll('[href], [src]')]"
                            ".map(e => e.getAttribute('href') ?? e.getAttribute('src'))"):
        parts = urlsplit(ref)
        if not (parts.scheme or ref.startswith("//")) and parts.path:
            page_file = out / rel.removesuffix(" (from disk)")
            if not (page_file.parent / unquote(parts.path)).is_file():
                problems.append(f"{rel}: link {ref} does not resolve to a file")
    scripts = tab.evaluate("() => [...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
                           ".map(s => s.textContent)")
    if rel.startswith("claims/") and scripts:
        if len(scripts) != 1:
            problems.append(f"{rel}: {len(scripts)} ClaimReview scripts, not 1")
        else:
            check_claim_review(json.loads(scripts[0]), TEST_BASE)
    return problems


def page_problems(out: Path, at_least: int = 25) -> list[str]:
    """What is wrong with the pages, every one of them named (the site passes when there is nothing). Every page,
    loaded over HTTP at the desktop size, must work there: no console or script error, no failed
    request or HTTP error, and nothing :func:`_works` finds (index.html also from disk). Then at each size, desktop and
    phone (loaded again at the phone size, its images waited for): no sideways scroll and no axe-core violation (WCAG
    2.2 A and AA), and on a phone the charts' phone layout with text of at least 9 px (the home page's cards show
    their charts on a desktop and none on a phone: each is on its claim's page). What goes wrong while a page
    loads at the phone size is named with the size."""
    sync_playwright = browser_or_skip()
    axe_or_skip()
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    problems = []
    with serve(out, {AXE_URL: AXE}) as base, sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        browser = pw.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                        args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.set_default_timeout(20_000)  # a page that hangs fails the test instead of stalling it
            current = {"page": ""}
            tab.on("console", lambda msg: msg.type == "error" and problems.append(f"{current['page']}: console error: {msg.text}"))
            tab.on("pageerror", lambda exc: problems.append(f"{current['page']}: script error: {exc}"))
            # a request the browser cancels itself (net::ERR_ABORTED: a picture switching to its phone image, a page left
            # for the next) breaks nothing; a missing image is caught as one that did not load, a missing file by its HTTP error
            tab.on("requestfailed", lambda req: req.failure != "net::ERR_ABORTED" and problems.append(
                f"{current['page']}: request failed: {req.url} ({req.failure})"))
            tab.on("response", lambda res: res.status >= 400 and problems.append(
                f"{current['page']}: HTTP {res.status} for {res.url}"))
            for rel, url in [*((rel, base + rel) for rel in pages), ("index.html (from disk)", (out / "index.html").as_uri())]:
                current["page"] = rel  # before the page loads: what goes wrong while it loads is named by it
                tab.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["desktop"])))
                tab.goto(url, wait_until="load")
                problems.extend(_works(tab, out, rel))
                if not url.startswith(base):
                    continue
                for size, (width, height) in VIEWPORTS.items():
                    if size == "phone":
                        current["page"] = f"{rel} at {width}x{height}"
                        tab.set_viewport_size({"width": width, "height": height})
                        tab.goto(url, wait_until="load")
                        tab.evaluate(WAIT_FOR_IMAGES)
                    if wide := tab.evaluate(OVERFLOW):
                        problems.append(f"{rel} at {width}x{height}: {wide}")
                    if rel == "index.html":  # the cards' charts: shown on a desktop; on a phone, a list to scan, none
                        shown = tab.evaluate(CARD_CHARTS_SHOWN)
                        if size == "phone":
                            problems.extend(f"{rel} at {width}x{height}: card chart {src} shown" for src in shown)
                        elif not shown:
                            problems.append(f"{rel} at {width}x{height}: no card chart shown")
                    if size == "phone":  # charts (on claim and question pages): the phone layout, text >= 9 px
                        for img in tab.evaluate(CHART_IMAGES):
                            smallest = style.PHONE_MIN_POINTS / 72 * style.STYLE["savefig.dpi"] * img["shown"] / max(img["natural"], 1)
                            if not img["natural"]:
                                problems.append(f"{rel}: chart {img['src']} on a phone did not load")
                            elif not img["src"].endswith(".phone.png") or smallest < 9:
                                problems.append(f"{rel}: chart {img['src']} on a phone: smallest text {smallest:.1f} px")
                    tab.add_script_tag(url=base + AXE_URL)
                    problems.extend(f"{rel} at {width}x{height}: axe {v}" for v in tab.evaluate(RUN_AXE, AXE_TAGS))
        finally:
            browser.close()
    assert len(pages) >= at_least
    return problems


# Both sizes in one pass over the pages, in one browser: most of a minute of a browser's work, given to one worker
# (--dist loadscope) while the other runs the rest.
class TestEveryPage:
    def test_works_fits_a_desktop_and_a_phone_and_passes_axe_at_both(self, built_site):
        problems = page_problems(built_site[0])
        assert not problems, "\n".join(problems[:30]) + (f"\n... and {len(problems) - 30} more" if len(problems) > 30 else "")


class TestTheCheckItself:
    """The checks above fail on a page that breaks their rules (a synthetic page, made here)."""

    BAD = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bad</title>'
           '<meta name="viewport" content="width=device-width"></head><body><main>'
           '<p style="color:#bbb;background:#fff">grey on white</p><img src="x.png">'
           '<div style="width:900px">wide</div><script>console.error("logged"); undefinedName()</script>'
           '<picture><source media="(max-width: 40rem)" srcset="gone.phone.png"><img src="x.png" alt="a chart">'
           '</picture></main></body></html>')

    def test_it_reports_every_kind_of_problem_on_a_bad_page(self, tmp_path):
        (tmp_path / "index.html").write_text(self.BAD, encoding="utf-8")
        found = "\n".join(page_problems(tmp_path, at_least=1))
        for size in ("1366x900", "390x844"):
            assert f"index.html at {size}: axe color-contrast (1)" in found and f"index.html at {size}: axe image-alt (1)" in found
        assert "index.html at 390x844: page is 908px wide" in found  # 900 px and the body's 8 px margin
        assert "index.html at 1366x900: page is" not in found
        assert "index.html: image x.png did not load" in found and "index.html: link x.png does not resolve" in found
        assert "index.html: HTTP 404 for" in found and "index.html (from disk): image x.png did not load" in found
        assert "index.html: console error: logged" in found and "index.html: script error: " in found
        # what goes wrong while the page loads at the phone size is named with the size: a phone image that is not there
        assert "index.html at 390x844: console error: logged" in found
        assert "index.html at 390x844: HTTP 404 for" in found and "gone.phone.png on a phone did not load" in found

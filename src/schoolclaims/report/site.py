"""The static fact-check site in report/: a home page of every claim, one page per claim (with its ClaimReview
JSON-LD), one page per question (the notebook without its code), the rating scale, the sources and the downloads.

    schoolclaims site [--out DIR] [--force] [--no-execute] [--base-url URL]

First the notebooks whose inputs changed are run (``report.execute``), then the pages are written when anything
they are made from changed: a stamp in .cache/report/ records the sha256 of the inputs and of every page written.
Every link is relative, so the folder works opened from disk and served from any path; the processed tables,
the raw-file manifest and the chart files are inside it (``data/``, ``charts/``), so it can be published alone.
Pages are made by the ``render_*`` functions from plain claim records (``claims.result_record``) and the manifest;
the same inputs give the same bytes (no clock is read).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import quote

from .. import paths, urls
from ..files import Stamp, UnsafePath, atomic_write, inside, manifest_entries, sha256_file
from . import execute
from .numbers import figure

REPORT = paths.ROOT / "report"
TEMPLATES = Path(__file__).resolve().parent / "templates"
PROJECT = {"@type": "Organization", "name": "schoolclaims", "url": paths.PROJECT_URL}
ISSUES_URL = f"{paths.PROJECT_URL}/issues"  # where readers report an error (the project's issue tracker)

# -- topics: each claim file names its topic (claims.model: `topic`, else from its id); a topic with a notebook of that
# name has a question page. Headings of the known topics, in home-page order; any other topic is headed by its name.
TOPICS = {  # topic -> heading
    "funding": "Funding",
    "schools": "Schools",
    "class_size": "Class size",
    "pay": "Pay",
}


def topic_of(record: dict) -> str:
    if record.get("topic"):
        return record["topic"]
    from ..claims.model import topic_from_id  # pandas and pydantic: loaded only when pages are made

    return topic_from_id(record.get("question_id") or "", record["id"])


def topic_heading(topic: str) -> str:
    return TOPICS.get(topic) or topic.replace("_", " ").capitalize()


def topics_in_order(records: list[dict]) -> list[str]:
    """The topics the claims name: the known ones first, in TOPICS order, then the others by name, 'other' last."""
    named = {topic_of(r) for r in records}
    return [t for t in TOPICS if t in named] + sorted(named - set(TOPICS) - {"other"}) + ["other"] * ("other" in named)


# -- the rating scale: one colour scale from the top (true, met) to the bottom (false, not met) -----------------
SCALE = ((1.0, "s4"), (0.75, "s3"), (0.5, "s2"), (0.25, "s1"), (0.0, "s0"))  # css classes, best to worst
NEUTRAL = {"not rated": "unrated"}  # any other rating without a value (can't verify …) is "unknown"


def rating_class(record: dict) -> str:
    """The badge's css class: its place on the one colour scale, or a neutral class for a rating with no value."""
    value, best, worst = record.get("rating_value"), record.get("best_rating"), record.get("worst_rating")
    if value is None or best is None or worst is None or best == worst:
        return "rating-" + NEUTRAL.get(record["rating"], "unknown")
    position = (value - worst) / (best - worst)
    return "rating-" + min(SCALE, key=lambda s: abs(s[0] - position))[1]


# -- small text helpers ----------------------------------------------------------------------------------------
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"], start=1)}


def iso_date(text: str) -> str | None:
    """The claim's date as a schema.org Date when the text states one ('2017-07-28', 'June 2018' -> '2018-06',
    'Aug 2016' -> '2016-08', '2015 (c. March 2015 …)' -> '2015'); None for a school year ('2017-18', 'c. 2019-20'),
    which is not a calendar date and is not guessed."""
    text = text.strip()
    if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})\b", text):
        return m.group(0)
    if re.match(r"^(c\.\s*)?\d{4}-\d{2}\b", text):
        return None
    if m := re.match(r"^([A-Za-z]{3,9})\.?\s+(\d{4})\b", text):
        month = _MONTHS.get(m.group(1)[:3].lower())
        return f"{m.group(2)}-{month:02d}" if month else None
    if m := re.match(r"^(\d{4})(?!\d|-)", text):
        return m.group(1)
    return None


def value_text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return "not reported" if value != value else figure(value)  # NaN: the file gives no figure
    return str(value)


def inline(text: str):
    """Plain text as HTML: escaped, `code` spans as <code>, bare web addresses as links."""
    from markupsafe import Markup, escape

    out = []
    for i, part in enumerate(re.split(r"`([^`]+)`", str(text))):
        if i % 2:
            out.append(f"<code>{escape(part)}</code>")
            continue
        pieces = re.split(r"(https?://[^\s<>()\"']+[^\s<>()\"'.,;:])", part)
        for j, piece in enumerate(pieces):
            out.append(str(urls.link(piece)) if j % 2 else str(escape(piece)))
    return Markup("".join(out))


def breakable(name: str):
    """A file name as HTML (escaped) that may wrap after '_', '-' or '.' in a narrow column: funding_state_/ranks.csv,
    not funding_state_ra/nks.csv."""
    from markupsafe import Markup, escape

    return Markup(re.sub(r"([_.-])", r"\1<wbr>", str(escape(name))))


def anchor(sha256: str) -> str:
    return f"sha256-{sha256}"


def json_script(data) -> str:
    """JSON for a <script> element: '<' escaped so that no string can close the element."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False).replace("<", "\\u003c")


# -- what the pages are made from ------------------------------------------------------------------------------
CHART_FILES = ((".png", "PNG"), (".svg", "SVG"), (".csv", "CSV"), (".alt.txt", "alt text"))


@dataclass
class Chart:
    name: str
    alt: str
    width: int = 0
    height: int = 0
    files: list[tuple[str, str]] = field(default_factory=list)  # (file name, label) of the files present
    citation: str = ""  # the line to cite it by, as the PNG carries it (its "Comment" text chunk)
    phone: tuple[str, int, int] | None = None  # (file name, width, height) of the phone layout, when there is one


@dataclass
class SiteData:
    records: list[dict]
    resources: list[dict]  # data/raw/datapackage.json "resources"
    charts: dict[str, Chart]  # every chart with a PNG, by name
    tables_using: dict[str, list[str]] = field(default_factory=dict)  # sha256 -> processed tables
    downloads: list[dict] = field(default_factory=list)  # {"group", "path", "bytes", "sha256", "what"}
    questions: list[dict] = field(default_factory=list)  # {"name", "title"}
    base_url: str = ""
    passages: dict[str, list[dict | None]] = field(default_factory=dict)  # claim id -> per appearance (quoted_passage)
    url_remarks: dict[str, str] = field(default_factory=dict)  # official address -> the mirror's remark on it

    def __post_init__(self):
        self.by_sha = {r["hash"].removeprefix("sha256:"): r for r in self.resources}
        self.by_path = {r["path"]: r for r in self.resources}
        self.claims_using: dict[str, list[str]] = {}
        for record in self.records:  # a file is used by a claim that quotes it or whose evidence cites it
            quoted = [self.archived_copy(a["archived_copy"])["sha256"] for a in record["appeared"] if a["archived_copy"]]
            for sha in [s for s in quoted if s] + [sha for row in record["evidence"] for sha in row["file_sha256"]]:
                ids = self.claims_using.setdefault(sha, [])
                if record["id"] not in ids:
                    ids.append(record["id"])

    def charts_of(self, record: dict) -> list[Chart]:
        missing = [name for name in record["charts"] if name not in self.charts]
        if missing:
            raise SiteError(f"claim {record['id']}: chart(s) {missing} have no PNG and alt text in the chart folder "
                            "(run the notebooks: make report)")
        return [self.charts[name] for name in record["charts"]]

    def archived_copy(self, path: str) -> dict:
        """An appearance's archived copy: its manifest entry (by path, with or without data/raw/) if it has one."""
        key = path.removeprefix("data/raw/")
        resource = self.by_path.get(key)
        return {"path": path, "sha256": resource["hash"].removeprefix("sha256:") if resource else None}


def source_href(address: str) -> str | None:
    """Where a cited address links: an http(s) address as it is, 'github:owner/repo' as its GitHub page, anything
    else (a description, a relative path) nowhere: it is shown as text, never as a broken relative link."""
    return urls.href(address) or None  # the one place that decides (schoolclaims.urls)


def _plain_words(text: str) -> tuple[str, list[int]]:
    """``text`` folded for matching (typographic quotes plain, white space one space, lower case), with the index
    in ``text`` of each folded character."""
    table = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
    out, where, space = [], [], False
    for i, ch in enumerate(text.translate(table)):
        if ch.isspace():
            space = bool(out)
            continue
        if space:
            out.append(" ")
            where.append(i)
            space = False
        out.append(ch.lower())
        where.append(i)
    return "".join(out), where


def quoted_passage(text: str, quote: str, context: int = 1, limit: int = 900) -> dict | None:
    """Where ``quote`` stands in ``text``: {"before", "quoted", "after"}, the quoted words as they are written with
    ``context`` whole paragraphs (blank-line separated) on each side, at most ``limit`` characters each side; an
    elided quote ('a … b') spans its first part to its last. None when the words are not in the text."""
    folded, where = _plain_words(text)
    parts = [p.strip(' "') for p in re.split(r"\s*(?:…|\.\.\.)\s*", _plain_words(quote)[0]) if p.strip(' "')]
    if not parts:
        return None
    position, spans = 0, []
    for part in parts:
        found = folded.find(part, position)
        if found < 0:
            return None
        spans.append((found, found + len(part)))
        position = found + len(part)
    start, end = where[spans[0][0]], where[spans[-1][1] - 1] + 1
    breaks = [m.end() for m in re.finditer(r"\n\s*\n", text)]
    before_breaks = [b for b in breaks if b <= start]
    after_breaks = [m.start() for m in re.finditer(r"\n\s*\n", text) if m.start() >= end]
    first = before_breaks[-1 - context] if len(before_breaks) > context else 0
    last = after_breaks[context] if len(after_breaks) > context else len(text)
    before, after = text[first:start], text[end:last]
    if len(before) > limit:  # a page without paragraph breaks: the nearest ``limit`` characters, from a word
        before = "… " + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + " …"
    return {"before": before, "quoted": text[start:end], "after": after}


def page_text(path: Path) -> str:
    """An archived page's words: a text file as it is, an HTML page's text (paragraphs kept apart)."""
    data = Path(path).read_bytes().decode("utf-8", errors="replace")
    if Path(path).suffix.lower() in (".html", ".htm"):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(data, "html.parser")
        for tag in soup(["script", "style", "noscript"]):
            tag.decompose()
        return re.sub(r"\n\s*\n+", "\n\n", soup.get_text("\n"))
    return data


def capture_date(resource: dict | None) -> str:
    """When the archived copy's words were captured from the page: the Internet Archive's capture time, or the
    download time of a copy fetched from the publisher; 'unknown' for a copy imported by hand or from a mirror
    (their manifest time is when the copy entered the archive, not when the page was saved)."""
    if not resource:
        return "unknown"
    if resource["origin"] == "internet-archive" and (stamp := resource.get("extra", {}).get("capture_timestamp")):
        stamp = str(stamp)
        return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if len(stamp) >= 8 else stamp
    if resource["origin"] == "official" and resource.get("retrieved_at"):
        return resource["retrieved_at"][:10]
    return "unknown"


MEDIA_TYPES = {".txt": "text/plain", ".csv": "text/csv", ".html": "text/html", ".htm": "text/html",
               ".pdf": "application/pdf", ".xls": "application/vnd.ms-excel", ".json": "application/json",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".zip": "application/zip",
               ".mdb": "application/x-msaccess", ".accdb": "application/x-msaccess", ".dbf": "application/x-dbf"}


def media_type(resource: dict) -> str:
    """A file's media type from its name where the name says (a plain-text page copy is text/plain whatever the
    manifest recorded), else the manifest's."""
    return MEDIA_TYPES.get(Path(resource["path"]).suffix.lower()) or resource.get("mediatype", "")


def mirror_remarks() -> dict[str, str]:
    """official address -> the remark a mirror's MANIFEST.csv writes after it ('pattern; not verified here'), for
    the mirrors in SCHOOLCLAIMS_MIRROR."""
    import csv

    remarks = {}
    for folder in paths.mirror_dirs():
        manifest = folder / "MANIFEST.csv"
        if not manifest.is_file():
            continue
        with manifest.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if m := re.match(r"\s*(https?://\S+)\s*\((.+)\)\s*$", row.get("official_url") or ""):
                    remarks[m.group(1)] = m.group(2).strip()
    return remarks


class SiteError(ValueError):
    """Inputs the site cannot be made from (a chart without its files, an unknown rating …)."""


# -- schema.org ClaimReview ------------------------------------------------------------------------------------
CLAIM_REVIEWED_MAX = 75  # characters: Google's structured-data guidelines for ClaimReview (claimReviewed)


configured_base_url, page_url = paths.configured_base_url, paths.page_url  # the one place: paths.py


def short_claim(record: dict) -> str:
    """claimReviewed: the claim file's ``claim_reviewed`` when it has one, else the quote when it is short enough,
    else its first whole clause (a sentence, or a part of one after a colon or semicolon or between dashes) that fits,
    preferring one with a figure in it; a clause is never cut, so a quote with no clause short enough is given
    whole (and the build names the claim: its file needs a ``claim_reviewed``)."""
    if record.get("claim_reviewed"):
        return record["claim_reviewed"]
    quote = " ".join(record["quote"].split())
    if len(quote) <= CLAIM_REVIEWED_MAX:
        return quote
    clauses = [c.strip(" \"'“”") for c in re.split(r"(?<=[.;:!?])\s+|\s+[—–]\s+", quote)]
    fitting = [c for c in clauses if 10 <= len(c) <= CLAIM_REVIEWED_MAX]
    with_figure = [c for c in fitting if re.search(r"\d", c)]
    return (with_figure or fitting or [quote])[0].rstrip(",;:")


def claimant_entity(record: dict) -> dict:
    """The claim's author as schema.org: a Person or an Organization by name only, the role in jobTitle (and the
    organization in affiliation), sameAs where known. From the claim file's ``claimant_detail`` when it has one;
    else read from the claimant text: 'Name, role[, …]' is a person, anything else an organization named by the
    text before any parenthesis."""
    detail = record.get("claimant_detail")
    if detail:
        entity = {"@type": detail["type"], "name": detail["name"]}
        if detail.get("job_title") and detail["type"] == "Person":
            entity["jobTitle"] = detail["job_title"]
        if detail.get("affiliation"):
            entity["affiliation"] = {"@type": "Organization", "name": detail["affiliation"]}
        if detail.get("same_as"):
            entity["sameAs"] = list(detail["same_as"])
        return entity
    text = " ".join(record["claimant"].split())
    commas = [i for i, char in enumerate(_outside_parentheses(text)) if char == ","]  # none inside '( … )' counts
    if commas:
        name, role = text[:commas[0]], text[commas[0] + 1:commas[1] if len(commas) > 1 else None]
        bare = re.split(r"\s*\(", name, maxsplit=1)[0].strip()  # '(UTLA), president' has no name outside its parenthesis
        return {"@type": "Person", "name": bare or name.strip(), "jobTitle": role.strip()}
    return {"@type": "Organization", "name": re.split(r"\s*\(", text, maxsplit=1)[0].strip()}


def _outside_parentheses(text: str) -> str:
    """``text`` with every character inside parentheses (at any depth) replaced by a space, the same length."""
    out, depth = [], 0
    for char in text:
        depth += char == "("
        out.append(char if depth == 0 else " ")
        depth -= char == ")" and depth > 0
    return "".join(out)


def review_dates(record: dict) -> tuple[str, str]:
    """(first, latest) correction date: the review was published with its first entry and last changed with its
    latest (fixed by the data, so builds are deterministic)."""
    dates = sorted(c["date"] for c in record["corrections"])
    return dates[0], dates[-1]


def is_reviewed(record: dict) -> bool:
    """Whether the claim gets a ClaimReview: every claim but those the scale does not rate (demands, anecdotes)."""
    return record["rating"] != "not rated"


def claim_review(record: dict, url: str) -> dict | None:
    """The ClaimReview of one claim (None for a claim that is not rated). A rating with no place on a numeric scale
    (can't verify) gets only its words (alternateName) and no ratingValue/bestRating/worstRating, as schema.org and
    fact-check readers expect for textual ratings. The first appearance listed is where the claim first appeared."""
    if not is_reviewed(record):
        return None
    first, latest = review_dates(record)
    claim = {"@type": "Claim", "author": claimant_entity(record)}
    if stated := iso_date(record["appeared"][0]["date"]):
        claim["datePublished"] = stated
    appearances = []
    for a in record["appeared"]:
        work = {"@type": "CreativeWork", **({"url": urls.href(a["url"])} if urls.href(a["url"]) else {}),
                "name": a["title"]}  # only addresses that may be links
        if stated := iso_date(a["date"]):
            work["datePublished"] = stated
        appearances.append(work)
    claim["firstAppearance"] = appearances[0]
    claim["appearance"] = appearances
    rating = {"@type": "Rating"}
    if record.get("rating_value") is not None:
        rating.update(ratingValue=record["rating_value"], bestRating=record["best_rating"],
                      worstRating=record["worst_rating"])
    rating.update(alternateName=record["rating"], ratingExplanation=record["conclusion"])
    return {"@context": "https://schema.org", "@type": "ClaimReview", "url": url,
            "claimReviewed": short_claim(record), "itemReviewed": claim, "reviewRating": rating,
            "author": PROJECT, "datePublished": first, "dateModified": latest}


# -- rendering -------------------------------------------------------------------------------------------------
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(inline=inline, value=value_text, anchor=anchor, rating_class=rating_class, breakable=breakable,
                       urlpath=lambda s: quote(s, safe="/"), source_href=source_href,
                       href=lambda s: urls.href(s, relative=True))
    # every address written into an href goes through urls: link() and |source_href for data (http/https only),
    # |href for the site's own relative links
    env.globals.update(topic_of=topic_of, PROJECT_URL=paths.PROJECT_URL, ISSUES_URL=ISSUES_URL,
                       link=urls.link)
    return env


_ENV = None


GLOSSED = {"claim.html", "page.html", "index.html"}  # the pages whose text uses the sources' abbreviations


def _env():
    """The site's one Jinja environment, made on first use."""
    global _ENV
    _ENV = _ENV or _environment()
    return _ENV


def _render(template: str, **context) -> str:
    html = _env().get_template(template).render(**context)
    return with_terms(html) if template in GLOSSED else html


@lru_cache(maxsize=1)
def glossary() -> tuple[tuple[str, str], ...]:
    """(term, meaning) for the abbreviations and terms of art the pages use (templates/glossary.csv), in its order."""
    with open(TEMPLATES / "glossary.csv", newline="", encoding="utf-8") as handle:
        return tuple((row["term"], row["meaning"]) for row in csv.DictReader(handle))


def terms_used(html: str) -> list[tuple[str, str]]:
    """The glossary's terms that a page's main text uses, as whole words (case as written), in the glossary's order:
    what its scripts and markup hold does not count."""
    main = html.split("<main", 1)[-1].rsplit("</main>", 1)[0]
    text = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)))
    return [(term, meaning) for term, meaning in glossary() if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text)]


def with_terms(html: str) -> str:
    """The page with a 'Terms on this page' list at the end of its main text, when it uses any glossary term: a
    reader on a phone meets 'per ADA' or 'J-90' with no way to hover for a meaning."""
    used = terms_used(html)
    head, end, tail = html.rpartition("</main>")
    if not used or not end:
        return html
    return head + _env().get_template("terms.html").render(terms=used) + end + tail


def nav(data: SiteData) -> list[dict]:
    return [{"href": "index.html", "text": "All claims"},
            *({"href": f"{q['name']}.html", "text": q["short"]} for q in data.questions),
            {"href": "rating-scale.html", "text": "Rating scale"},
            {"href": "sources.html", "text": "Sources"},
            {"href": "downloads.html", "text": "Downloads"},
            {"href": "tables.html", "text": "Tables"}, {"href": "about.html", "text": "About"}]


def render_index(data: SiteData) -> str:
    groups = []
    for topic in topics_in_order(data.records):
        records = [r for r in data.records if topic_of(r) == topic]
        groups.append({"topic": topic, "heading": topic_heading(topic), "page": topic if any(
            q["name"] == topic for q in data.questions) else None, "records": records})
    cards = {r["id"]: {"chart": data.charts_of(r)[0] if r["charts"] else None,
                       "no_chart": _no_chart_reason(r), "parts": other_parts(r, data.records)} for r in data.records}
    rows: dict[str, list[dict]] = {}
    for item in _scale_legend():
        rows.setdefault(item["row"], []).append(item)
    return _render("index.html", root="", nav=nav(data), title="Claims about Los Angeles schools, checked",
                   groups=groups, cards=cards, scale=[{"row": row, "items": items} for row, items in rows.items()],
                   years=claim_years(data.records))


def claim_years(records: list[dict]) -> tuple[int, int] | None:
    """The first and last year the claims were published in, from the first year each claim's first appearance
    names ('2017-18' and 'c. 2017-18' -> 2017, '2020-08-12' -> 2020); None when no date names a year."""
    years = [int(m.group(0)) for r in records if r.get("appeared")
             if (m := re.search(r"\b(?:19|20)\d{2}\b", str(r["appeared"][0].get("date", ""))))]
    return (min(years), max(years)) if years else None


def other_parts(record: dict, records: list[dict]) -> list[dict]:
    """The other checked claims quoted from the same sentence (one quote, one verdict: each checks its own words)."""
    context = record.get("context") or ""
    return [r for r in records if context and r.get("context") == context and r["id"] != record["id"]]


def _no_chart_reason(record: dict) -> str:
    if record.get("no_chart"):
        return f"no chart yet: {record['no_chart']}"
    rows = [row for row in record["evidence"] if row["role"] == "evidence"]
    if not record["evidence"]:
        return "no chart: nothing archived to plot (the claim page says what would settle it)"
    if rows:
        return f"no chart: {len(rows)} figure{'s' if len(rows) != 1 else ''} in the evidence table"
    return f"no chart: {len(record['evidence'])} context row{'s' if len(record['evidence']) != 1 else ''} in the evidence table"


def _scale_legend() -> list[dict]:
    from ..claims import RATINGS

    legend = []
    for kind, row in (("factual", "Factual claims"), ("target", "Targets")):
        scale = [r for r in RATINGS[kind] if r != RATINGS["factual"][-1]]
        for i, rating in enumerate(scale):
            legend.append({"row": row, "rating": rating, "class": rating_class(
                {"rating": rating, "rating_value": len(scale) - i, "best_rating": len(scale), "worst_rating": 1})})
    legend.append({"row": "Not on the scale", "rating": RATINGS["factual"][-1], "class": "rating-unknown"})
    legend.append({"row": "Not on the scale", "rating": "not rated", "class": "rating-unrated"})
    return legend


def render_claim(record: dict, data: SiteData) -> str:
    url = page_url(data.base_url, f"claims/{record['id']}.html") if data.base_url else f"{record['id']}.html"
    review = claim_review(record, url)
    topic = topic_of(record)
    question = next((q for q in data.questions if q["name"] == topic), None)
    question_page = topic if question and record["id"] in question.get("discusses", ()) else None
    silent_page = topic if question and not question_page else None  # its topic's page, which does not discuss it
    evidence = [row for row in record["evidence"] if row["role"] == "evidence"]
    context = [row for row in record["evidence"] if row["role"] != "evidence"]
    first, latest = review_dates(record)
    return _render("claim.html", root="../", nav=nav(data), title=f"Claim check: {record['quote'][:80]}",
                   r=record, charts=data.charts_of(record), evidence=evidence, context=context,
                   copies=quote_copies(record, data),
                   known=data.by_sha, sources_label=_row_source, topic_heading=topic_heading(topic),
                   question_page=question_page, silent_page=silent_page, scale_anchor=SCALE_ANCHORS.get(record["kind"], ""),
                   versions=[v for v in data.records if v["question_id"] == record["question_id"] and v["id"] != record["id"]],
                   parts=other_parts(record, data.records), published=first, modified=latest, jsonld=json_script(review) if review else None,
                   claim_reviewed=short_claim(record))


SCALE_ANCHORS = {"factual": "Factual-claims", "target": "Targets", "demand": "Demands-and-anecdotes",
                 "anecdote": "Demands-and-anecdotes"}


def _row_source(source_id: str) -> str:
    """How an evidence row names its source: the registry's labels, or the ledger's file name."""
    from .. import sources

    if source_id.startswith("ledgers/"):
        return "hand-transcribed ledger " + source_id.removeprefix("ledgers/")
    return "; ".join(sources.labels(source_id))


ORIGINS = {"official": "downloaded from the publisher", "mirror": "copy from a third-party mirror",
           "internet-archive": "Internet Archive capture", "manual-import": "imported by hand",
           "package": "exported from a package"}


def describe_resource(resource: dict) -> dict:
    """A manifest entry as the sources page shows it: publisher, origin and its details."""
    from .. import sources

    sha = resource["hash"].removeprefix("sha256:")
    if resource["source_id"] == "ledgers":
        publisher = "hand-transcribed ledger " + Path(resource["path"]).name + " (every row cites its page)"
    else:
        publisher = "; ".join(sources.labels(resource["source_id"]))
    detail = resource.get("origin_detail", "")
    mirror = re.search(r"took it from ([\w.\-]+/[\w.\-]+)@([0-9a-f]{7,40})", detail)
    group = "hand-transcribed ledgers" if resource["source_id"] == "ledgers" else publisher
    return {"sha256": sha, "path": resource["path"], "publisher": publisher, "publisher_group": group,
            "short": Path(resource["path"]).name if resource["source_id"] == "ledgers" else resource.get("vintage") or resource["path"], "source_id": resource["source_id"],
            "vintage": resource.get("vintage", ""), "url": resource.get("url", ""), "origin": resource["origin"],
            "origin_text": ORIGINS.get(resource["origin"], resource["origin"]), "origin_detail": detail,
            "repository": mirror.group(1) if mirror else None, "commit": mirror.group(2) if mirror else None,
            "retrieved_at": resource.get("retrieved_at", ""), "bytes": resource.get("bytes"),
            "mediatype": media_type(resource), "captured": capture_date(resource),
            "retrieved_label": RETRIEVED.get(resource["origin"], "entered the archive")}


RETRIEVED = {"official": "downloaded from the publisher", "mirror": "copied from the mirror",
             "internet-archive": "copied from the Internet Archive", "manual-import": "imported into the archive",
             "package": "exported from the package"}


def render_sources(data: SiteData) -> str:
    entries = []
    for resource in data.resources:
        entry = describe_resource(resource)
        entry["tables"] = data.tables_using.get(entry["sha256"], [])
        entry["claims"] = data.claims_using.get(entry["sha256"], [])
        entry["url_remark"] = data.url_remarks.get(entry["url"], "")
        entries.append(entry)
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        groups.setdefault(entry["publisher_group"], []).append(entry)
    return _render("sources.html", root="", nav=nav(data), title="Sources: every archived raw file",
                   entries=entries, groups=[{"name": name, "entries": items} for name, items in groups.items()])


def render_downloads(data: SiteData) -> str:
    return _render("downloads.html", root="", nav=nav(data), title="Downloads", files=data.downloads,
                   charts=[data.charts[name] for name in sorted(data.charts)])


def quote_copies(record: dict, data: SiteData) -> list[dict]:
    """Each appearance of a claim with what its archived copy says about it: the manifest entry, capture date and
    the quoted passage (None where the copy is missing or does not hold the quote)."""
    out = []
    passages = data.passages.get(record["id"], [])
    for i, a in enumerate(record["appeared"]):
        resource = data.by_path.get(a["archived_copy"].removeprefix("data/raw/")) if a["archived_copy"] else None
        out.append({"appearance": a, "resource": resource, "captured": capture_date(resource),
                    "sha256": resource["hash"].removeprefix("sha256:") if resource else None,
                    "passage": passages[i] if i < len(passages) else None})
    return out


def render_quote(record: dict, data: SiteData) -> str:
    return _render("quote.html", root="../", nav=nav(data), title=f"Where the quote stands: {record['id']}",
                   r=record, copies=quote_copies(record, data))


def has_quote_page(record: dict, data: SiteData) -> bool:
    return any(data.passages.get(record["id"], []))


def render_about(data: SiteData) -> str:
    return _render("about.html", root="", nav=nav(data), title="About: who publishes this site, how ratings are made, corrections")


def scroll_tables(body: str) -> str:
    """Every table of converted HTML (Markdown, notebook outputs) in its own sideways-scrolling box that the keyboard
    can reach, so that a wide table never makes the page wider than a phone's screen."""
    count = iter(range(1, 10_000))
    body = re.sub(r"<table\b", lambda m: f'<div class="table-wrap" role="region" tabindex="0" '
                  f'aria-label="table {next(count)}"><table', body)
    return body.replace("</table>", "</table></div>")


def render_tables(data: SiteData, processed: Path | None = None) -> str:
    """The data dictionary: every processed table with what it holds and each column's type, unit and meaning
    (from tables/schemas.py, like data/processed/datapackage.json)."""
    from ..tables.datapackage import table_schema
    from ..tables.schemas import SCHEMAS

    processed = Path(processed or paths.PROCESSED)
    tables = [{"name": name, "description": schema.description, "fields": table_schema(name)["fields"],
               "key": list(schema.unique or []), "published": (processed / f"{name}.csv").is_file()}
              for name, schema in SCHEMAS.items()]
    return _render("tables.html", root="", nav=nav(data), title="Tables", tables=tables)


def markdown_html(markdown_text: str, badges: dict[str, str] | None = None) -> str:
    """Markdown (CommonMark with tables) as HTML, with markdown-it-py. Each heading gets an id made of its text
    with spaces as '-' (the rating scale's anchors: #Factual-claims); a table row whose first cell is a rating
    named in ``badges`` (rating -> CSS class) shows that cell as the rating's badge. Raw HTML is not passed through."""
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(markdown_text)
    first_cell = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", tokens[i + 1].content.replace(" ", "-"))
        elif token.type == "tr_open":
            first_cell = True
        elif token.type in ("td_open", "th_open"):
            inline = tokens[i + 1]
            css = (badges or {}).get(inline.content.strip()) if first_cell and token.type == "td_open" else None
            if css:
                inline.children = [Token("html_inline", "", 0, content=f'<span class="badge {css}">'),
                                   *inline.children, Token("html_inline", "", 0, content="</span>")]
            first_cell = False
    return md.renderer.render(tokens, md.options, {})


def render_markdown_page(markdown_text: str, data: SiteData, title: str) -> str:
    from markupsafe import Markup

    body = markdown_html(markdown_text, badges={item["rating"]: item["class"] for item in _scale_legend()})
    return _render("page.html", root="", nav=nav(data), title=title, body=Markup(scroll_tables(body)), claims=[])


def notebook_body(notebook: Path) -> tuple[str, str]:
    """(title, HTML) of an executed notebook without its code: outputs and text only; links written for the
    notebooks folder ('../report/…') made relative to report/."""
    execute.import_nbformat()
    from nbconvert import HTMLExporter

    nb = execute.read_notebook(notebook, SiteError)
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _resources = exporter.from_notebook_node(nb)
    body = re.sub(r'((?:src|href)=")\.\./report/', r"\1", body)
    body = re.sub(r'srcset="([^"]*)"', lambda m: 'srcset="' + re.sub(r'(^|,\s*)\.\./report/', r"\1", m.group(1)) + '"',
                  body)  # every candidate of a srcset: a chart's phone image
    body = scroll_tables(body)
    title = notebook.stem
    for cell in nb.cells:
        if cell.cell_type == "markdown" and (m := re.search(r"^#\s+(.+)$", cell.source, re.M)):
            title = m.group(1).strip()
            break
    return title, body


def link_chart_images(body: str, charts: Path) -> str:
    """Each chart a notebook shows inline (a PNG in a data: address, so that the notebook works alone) linked instead
    to the file with the same bytes in the site's charts/ folder, loaded lazily. A question page then weighs a few
    hundred KB less per chart, a phone (shown the phone layout) no longer downloads the desktop images, and a browser
    reuses the copy a claim page already fetched. An inline image whose bytes match no chart file stays inline."""
    import base64

    by_digest = {sha256_file(path): f"charts/{path.name}" for path in sorted(charts.glob("*.png"))}

    def link(match: re.Match) -> str:
        digest = hashlib.sha256(base64.b64decode(match.group(1))).hexdigest()
        return f'src="{by_digest[digest]}" loading="lazy"' if digest in by_digest else match.group(0)

    return re.sub(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', link, body)


def discusses(body: str, claim_id: str) -> bool:
    """Whether a question page's text names the claim (its id as a whole word, as the notebooks print it)."""
    return re.search(rf"(?<![\w-]){re.escape(claim_id)}(?![\w-])", body) is not None


def render_question(name: str, title: str, body: str, data: SiteData) -> str:
    from markupsafe import Markup

    # the claims of its topic that the notebook discusses (names in its output), not every claim of the topic
    claims = [r for r in data.records if topic_of(r) == name and discusses(body, r["id"])]
    return _render("page.html", root="", nav=nav(data), title=title, body=Markup(body), claims=claims,
                   notebook=f"notebooks/{name}.ipynb")


# -- collecting the inputs -------------------------------------------------------------------------------------
def read_passages(records: list[dict], resources: list[dict], raw: Path) -> dict[str, list[dict | None]]:
    """claim id -> for each appearance, the quoted passage in its archived copy (quoted_passage) or None. A copy is
    read only when its bytes match the manifest's sha256; a copy that is absent is skipped (the claim page says
    so), and one whose bytes differ is an error."""
    by_path = {r["path"]: r for r in resources}
    out = {}
    for record in records:
        found = []
        for a in record["appeared"]:
            resource = by_path.get(a["archived_copy"].removeprefix("data/raw/")) if a["archived_copy"] else None
            path = Path(raw) / resource["path"] if resource else None
            if path is None or not path.is_file():
                found.append(None)
                continue
            if hashlib.sha256(path.read_bytes()).hexdigest() != resource["hash"].removeprefix("sha256:"):
                raise SiteError(f"{paths.relative(path)}: its bytes do not match the manifest's sha256")
            found.append(quoted_passage(page_text(path), record["quote"]))
        out[record["id"]] = found
    return out


def collect_records() -> tuple[list[dict], str]:
    """Every claim evaluated: (records, the text of report/claims.txt)."""
    from ..claims import evaluate_all, format_result, result_record

    from . import claim_charts

    results = evaluate_all()
    text = "".join(format_result(r, evidence_rows=0) + "\n\n" for r in results)
    drawn = claim_charts.draw_missing(results, paths.CHARTS)
    records = [result_record(r) for r in results]
    verdicts: dict[str, set[str]] = {}  # a chart headline that is a rating -> the claims it rates (several may share it)
    for result in results:
        verdicts.setdefault(claim_charts.finding(result), set()).add(result.claim.id)
    for record in records:
        record["charts"] = own_charts(record["id"], claim_charts.charts_for(record, drawn), paths.CHARTS, verdicts)
    return records, text


def own_charts(claim_id: str, names: list[str], folder: Path, verdicts: dict[str, set[str]]) -> list[str]:
    """The charts a claim's page and card show, each as drawn for that claim: its ``claim_variant`` where there is
    one; and none whose headline states only other claims' ratings (``verdicts``: headline -> the claims it rates),
    which would put their claimed figure and rating over this one's (left out, with a warning saying what would fix
    it). A name that is not a plain file name in ``folder`` is passed on as it is (the page then reports it)."""
    from .style import claim_variant

    out = []
    for name in names:
        try:
            variant, png = inside(folder, f"{claim_variant(name, claim_id)}.png"), inside(folder, f"{name}.png")
        except UnsafePath:
            out.append(name)
            continue
        if variant.is_file():
            out.append(variant.name.removesuffix(".png"))
            continue
        rated = verdicts.get(png_text(png).get("Title", ""), set()) if png.is_file() else set()
        if rated and claim_id not in rated:
            logging.getLogger(__name__).warning(
                f"claim {claim_id}: chart {name} is not shown on its page: its headline is the rating of claim "
                f"{', '.join(sorted(rated))}. Draw it for this claim too (style.claim_variant), or list a chart without "
                "a rating.")
            continue
        out.append(name)
    return out


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    import struct

    head = Path(path).read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise SiteError(f"{paths.relative(path)} is not a PNG")
    return struct.unpack(">II", head[16:24])


def png_text(path: Path) -> dict[str, str]:
    """The text chunks of a PNG (tEXt latin-1, iTXt UTF-8 uncompressed, zTXt), keyword -> text."""
    import struct
    import zlib

    data, out, at = Path(path).read_bytes(), {}, 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt":
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = zlib.decompress(value[1:]).decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _language, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            out[key.decode("latin-1")] = (zlib.decompress(value) if compressed else value).decode("utf-8")
        elif kind == b"IEND":
            break
        at += 12 + length
    return out


def read_charts(folder: Path) -> dict[str, Chart]:
    """Every chart with a PNG in ``folder`` (its phone layout <name>.phone.png aside): its alt text (required), size,
    which of its files exist, its citation and its phone layout."""
    out = {}
    for png in sorted(Path(folder).glob("*.png")):
        name = png.stem
        if name.endswith(".phone"):
            continue
        alt = png.with_name(f"{name}.alt.txt")
        text = alt.read_text(encoding="utf-8").strip() if alt.is_file() else ""
        if not text:
            raise SiteError(f"{paths.relative(png)} has no alt text ({alt.name} missing or empty)")
        width, height = png_size(png)
        files = [(f"{name}{suffix}", label) for suffix, label in CHART_FILES if (png.with_name(f"{name}{suffix}")).is_file()]
        phone = png.with_name(f"{name}.phone.png")
        out[name] = Chart(name, " ".join(text.split()), width, height, files, png_text(png).get("Comment", ""),
                          (phone.name, *png_size(phone)) if phone.is_file() else None)
    return out


def read_tables(processed: Path) -> dict[str, dict]:
    """Each processed table: its row count, whether its rows carry provenance, and the raw files (sha256) its rows
    were made from (file_sha256 may join several by '+')."""
    import csv

    tables = {}
    for path in sorted(Path(processed).glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            provenance = "file_sha256" in (reader.fieldnames or [])
            rows, hashes = 0, set()
            for row in reader:
                rows += 1
                if provenance:
                    hashes.update(h for h in (row["file_sha256"] or "").split("+") if h)
        tables[path.stem] = {"rows": rows, "provenance": provenance, "hashes": sorted(hashes)}
    return tables


def tables_using(tables: dict[str, dict]) -> dict[str, list[str]]:
    """sha256 of a raw file -> the processed tables with a row made from it."""
    using: dict[str, list[str]] = {}
    for name, facts in tables.items():
        for sha in facts["hashes"]:
            using.setdefault(sha, []).append(name)
    return using


# -- writing ---------------------------------------------------------------------------------------------------
class Writer:
    """Writes files under ``out`` atomically and remembers them (path relative to out -> sha256)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.written: dict[str, str] = {}

    def text(self, rel: str, text: str) -> None:
        self.bytes(rel, text.encode("utf-8"))

    def bytes(self, rel: str, data: bytes) -> None:
        dest = self.out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not (dest.is_file() and dest.read_bytes() == data):  # unchanged files keep their time stamps
            with atomic_write(dest) as handle:
                handle.write(data)
        self.written[rel] = hashlib.sha256(data).hexdigest()

    def copy(self, rel: str, source: Path) -> None:
        self.bytes(rel, Path(source).read_bytes())

    def prune(self, previous) -> None:
        """Remove the files an earlier build into this folder wrote (``previous``: their paths relative to out, as its
        stamp records them) that this build did not write (a claim that was removed). Files this command never
        wrote are left alone, whoever put them there."""
        for rel in sorted(set(previous) - set(self.written)):
            parts = Path(rel).parts
            if not parts or Path(rel).is_absolute() or ".." in parts:
                continue
            path = self.out / rel
            if path.is_file() and not path.is_symlink():
                path.unlink()


def _download(group: str, rel: str, path: Path, what: str) -> dict:
    data = Path(path).read_bytes()
    return {"group": group, "path": rel, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "what": what}


def build_site(out: Path = REPORT, *, records: list[dict] | None = None, claims_text: str | None = None,
               charts: Path | None = None, notebooks: Path | None = None, processed: Path | None = None,
               manifest: Path | None = None, rating_scale: Path | None = None, base_url: str | None = None,
               raw: Path | None = None, url_remarks: dict[str, str] | None = None, warn=None) -> dict[str, str]:
    """Write every page, claimreview.json, claims.txt and the downloads into ``out``; return {file: sha256}.
    The chart files are copied into out/charts unless ``charts`` already is that folder. ``base_url`` is the address
    the site is published at (default: ``paths.configured_base_url()``); without one the ClaimReview urls are relative and
    ``warn`` (default: print to stderr) says so. Of the files the last build into ``out`` wrote (recorded in
    .cache/report), those not written again are removed; nothing else is."""
    out = Path(out)
    warn = warn or logging.getLogger("schoolclaims").warning
    base_url = paths.configured_base_url() if base_url is None else base_url
    if not base_url:
        warn("no base address set ([tool.schoolclaims] base_url in pyproject.toml, or --base-url): the ClaimReview "
             "urls are relative, which fact-check tools do not accept")
    charts = Path(charts or paths.CHARTS)
    notebooks = Path(notebooks or execute.NOTEBOOKS)
    processed = Path(processed or paths.PROCESSED)
    manifest = Path(manifest or paths.MANIFEST)
    if records is None:
        records, claims_text = collect_records()
    writer = Writer(out)

    downloads = []
    tables = read_tables(processed)
    for path in sorted(processed.glob("*.csv")):
        facts = tables[path.stem]
        writer.copy(f"data/processed/{path.name}", path)
        downloads.append(_download("processed tables", f"data/processed/{path.name}", path, f"{facts['rows']:,} rows" + (
            "; every row names its raw file(s) (file_sha256) and the place in it (locator)" if facts["provenance"] else "")))
    if (processed / "build-inputs.json").is_file():
        writer.copy("data/processed/build-inputs.json", processed / "build-inputs.json")
        downloads.append(_download("processed tables", "data/processed/build-inputs.json",
                                   processed / "build-inputs.json", "what the tables were built from (sha256)"))
    writer.copy("data/datapackage.json", manifest)
    downloads.append(_download("raw-file manifest", "data/datapackage.json", manifest,
                               "every archived raw file: address, origin, retrieval time, sha256"))
    if charts.resolve() != (out / "charts").resolve():
        for path in sorted(p for p in charts.iterdir() if p.is_file() and not p.name.startswith(".")):
            writer.copy(f"charts/{path.name}", path)

    raw = Path(raw or paths.RAW)
    resources = manifest_entries(manifest)
    passages = read_passages(records, resources, raw)
    for record in records:
        if is_reviewed(record) and len(short_claim(record)) > CLAIM_REVIEWED_MAX:
            warn(f"claim {record['id']}: no whole clause of the quote fits in {CLAIM_REVIEWED_MAX} characters; "
                 "claimReviewed is the whole quote until its file has a short claim_reviewed")
    data = SiteData(records=records, resources=resources, charts=read_charts(charts), tables_using=tables_using(tables),
                    base_url=base_url, passages=passages,
                    url_remarks=mirror_remarks() if url_remarks is None else url_remarks)
    question_bodies = []
    order = list(TOPICS)
    for notebook in sorted(notebooks.glob("*.ipynb"), key=lambda p: (order.index(p.stem) if p.stem in order else len(order), p.stem)):
        title, body = notebook_body(notebook)
        body = link_chart_images(body, charts)
        short = topic_heading(notebook.stem)
        data.questions.append({"name": notebook.stem, "title": title, "short": short,
                               "discusses": {r["id"] for r in records if discusses(body, r["id"])}})
        question_bodies.append((notebook.stem, title, body))

    reviews = [review for r in records if (review := claim_review(r, page_url(base_url, f"claims/{r['id']}.html")))]
    claims_json = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    writer.text("claimreview.json", json.dumps(reviews, indent=2, ensure_ascii=False) + "\n")
    writer.text("data/claims.json", claims_json)
    if claims_text is not None:
        writer.text("claims.txt", claims_text)
    downloads += [
        {"group": "claims", "path": "claimreview.json", "what": "schema.org ClaimReview of every claim (JSON-LD)"},
        {"group": "claims", "path": "data/claims.json",
         "what": "every claim with its rating, conclusion and evidence rows (as `schoolclaims claims --format json`)"},
    ] + ([{"group": "claims", "path": "claims.txt", "what": "every claim as text (`schoolclaims claims --rows 0`)"}]
         if claims_text is not None else [])
    for item in downloads:
        if "sha256" not in item:
            item["bytes"] = len((out / item["path"]).read_bytes())
            item["sha256"] = writer.written[item["path"]]
    data.downloads = downloads

    writer.copy("site.css", TEMPLATES / "site.css")
    writer.text("index.html", render_index(data))
    for record in records:
        writer.text(f"claims/{record['id']}.html", render_claim(record, data))
        if has_quote_page(record, data):
            writer.text(f"quotes/{record['id']}.html", render_quote(record, data))
    for name, title, body in question_bodies:
        writer.text(f"{name}.html", render_question(name, title, body, data))
    writer.text("rating-scale.html", render_markdown_page(
        Path(rating_scale or paths.CLAIMS / "RATING_SCALE.md").read_text(encoding="utf-8"), data, "Rating scale"))
    writer.text("sources.html", render_sources(data))
    writer.text("downloads.html", render_downloads(data))
    writer.text("tables.html", render_tables(data, processed))
    writer.text("about.html", render_about(data))
    record = _written_record(out)
    writer.prune(record.read().get("files", {}))
    record.write({"out": str(out.resolve()), "files": writer.written})
    return writer.written


# -- make report: run what changed, rebuild what changed -------------------------------------------------------
def site_inputs(charts: Path, base_url: str) -> str:
    """sha256 of everything the pages are made from: notebooks, charts, processed tables, manifest, claims, the
    package's code and templates, the site's address and what the mirrors in use say of the addresses they copy."""
    files = [*execute._files(execute.NOTEBOOKS, "*.ipynb"), *execute._files(charts), *execute.shared_inputs(),
             *execute._files(TEMPLATES)]
    remarks = json.dumps(mirror_remarks(), sort_keys=True)
    return execute.digest(files, extra=f"{paths.relative(charts)}\0{base_url}\0{remarks}")


def _stamp_for(out: Path, what: str = "site") -> Stamp:
    """The site's stamp in .cache/report (its pages are not committed, so neither is the stamp); ``what`` =
    "site-written" is the record of the files the last build_site into ``out`` wrote: the only ones a later build
    may remove there."""
    key = hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:16]
    return Stamp(execute.STAMPS / f"{what}-{key}.json")


def _written_record(out: Path) -> Stamp:
    return _stamp_for(out, "site-written")


def site_up_to_date(out: Path, inputs: str) -> bool:
    return _stamp_for(out).current(inputs, out)


def run(args) -> int:
    """`schoolclaims site` (its options are declared in cli.py)."""
    log = logging.getLogger("schoolclaims")
    out = Path(args.out) if args.out else REPORT
    charts = paths.CHARTS
    try:
        if not args.no_execute:
            ran = execute.run_stale(charts=charts, force=args.force, jobs=args.jobs, log=log.info)
            if not ran:
                log.info("notebooks are up to date (their inputs are unchanged since they last ran)")
        base_url = args.base_url or paths.configured_base_url()
        inputs = site_inputs(charts, base_url)
        if not args.force and site_up_to_date(out, inputs):
            log.info(f"{paths.relative(out)}/ is up to date (its inputs are unchanged; --force rewrites it)")
            return 0
        written = build_site(out, charts=charts, base_url=base_url)
    except (execute.NotebookError, SiteError) as exc:
        log.error(f"error: {exc}")
        return 3  # a data error (errors.DATA)
    _stamp_for(out).write({"inputs": inputs, "outputs": written})
    log.info(f"site: {paths.relative(out)}/index.html and {len(written)} files (claims/, questions, rating scale, "
          "sources, downloads, claimreview.json, claims.txt)")
    return 0


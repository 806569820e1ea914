"""What a notebook shows about a rated claim, and its tables, in a form a reader can take in.

A rated claim is shown rating first: one Markdown line, "**Rating: NOT MET** — <conclusion>", then what the
rating still needs (for claims the archive cannot settle), then a short evidence table (figure, year, value,
unit, whether it fits the claim, source, confidence), and last the full listing of ``claims.format_result``
(every row with its file sha256 and locator) folded under a "Full listing" summary. Tables are shown without
the frame index and without columns that are empty in every row.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from ..claims import format_result
from ..sources import labels
from .numbers import figure
from .style import markdown_text


def rating_line(result) -> str:
    """'**Rating: NOT MET** — <conclusion>' as Markdown."""
    return f"**Rating: {result.rating.upper()}** — {markdown_text(result.conclusion)}"


def needs_line(result) -> str:
    """'Needs: …' naming what would settle the claim, or '' when nothing is missing."""
    return ("*What would settle it:* " + "; ".join(markdown_text(m) for m in result.missing)) if result.missing else ""


def _value(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return figure(value)
    return str(value)


def _fits(matches) -> str:
    if isinstance(matches, str):
        return "context"
    return "yes" if bool(matches) else "no"


def source_name(source_id: str) -> str:
    """A row's source for a reader: a ledger by its file name, a publisher's file by its label."""
    source_id = str(source_id or "")
    if source_id.startswith("ledgers/"):
        return "ledger " + source_id.removeprefix("ledgers/")
    return "; ".join(labels(source_id)) if source_id else ""


def evidence_table(result, rows: int | None = 10) -> pd.DataFrame:
    """The evidence a reader needs, one row per figure: figure, entity (when there are several), year, value,
    unit, whether it fits the claim, source and confidence (sha256 and locator stay in the full listing)."""
    evidence = result.evidence if rows is None else result.evidence.head(rows)
    table = pd.DataFrame({
        "figure": evidence["item"].astype(str),
        "entity": evidence["entity"].astype(str),
        "year": evidence["year"].astype(str),
        "value": [_value(v) for v in evidence["value"]],
        "unit": evidence["unit"].astype(str),
        "fits the claim": [_fits(m) for m in evidence["matches"]],
        "source": [source_name(s) for s in evidence["source_id"]],
        "confidence": evidence["confidence"].astype(str),
    })
    if result.evidence["entity"].nunique() <= 1:
        table = table.drop(columns=["entity"])
    return table.reset_index(drop=True)


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the columns that are empty in every row."""
    keep = [c for c in frame.columns if not frame[c].map(lambda v: v is None or v is pd.NA or v == "" or
                                                         (isinstance(v, float) and math.isnan(v))).all()]
    return frame[keep]


_NUMBER = re.compile(r"^[-+]?\$?[\d,]+(\.\d+)?%?( trillion)?$")


def _align(values) -> str:
    """'right' for a column of numbers (counts, dollars, percentages), 'left' for text."""
    filled = [v for v in values if v != ""]
    return "right" if filled and all(_NUMBER.match(v) for v in filled) else "left"


def table_bundle(frame: pd.DataFrame) -> dict:
    """A table as a notebook output: HTML without the index (text left-aligned, numbers right-aligned), and the
    same as plain text."""
    frame = frame.reset_index(drop=True)
    shown = frame.astype(object).where(frame.notna(), "").map(str)
    aligns = [_align(shown[c]) for c in shown.columns]
    head = "".join(f'<th style="text-align: {a}">{html.escape(str(c))}</th>' for c, a in zip(shown.columns, aligns))
    body = "".join("<tr>" + "".join(f'<td style="text-align: {a}">{html.escape(v)}</td>' for v, a in zip(row, aligns))
                   + "</tr>\n" for row in shown.itertuples(index=False))
    table = f'<table class="dataframe">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>'
    return {"text/html": table, "text/plain": shown.to_string(index=False)}


def listing_bundle(result, evidence_rows: int = 12) -> dict:
    """``format_result`` folded under a summary line (HTML), and as plain text."""
    text = format_result(result, evidence_rows=evidence_rows)
    return {"text/html": "<details><summary>Full listing: claim, source address and every evidence row with its file "
                         f"sha256 and locator</summary><pre>{html.escape(text)}</pre></details>",
            "text/plain": text}


def result_bundles(result, rows: int | None = 10, evidence_rows: int = 12) -> list[dict]:
    """The outputs ``show_result`` displays, in order."""
    lines = [rating_line(result)] + ([needs_line(result)] if result.missing else [])
    plain = [f"Rating: {result.rating.upper()} — {result.conclusion}"] + (
        ["What would settle it: " + "; ".join(result.missing)] if result.missing else [])
    bundles = [{"text/markdown": "\n\n".join(lines), "text/plain": "\n".join(plain)}]
    if len(result.evidence):
        if rows is None or rows > 0:
            bundles.append(table_bundle(evidence_table(result, rows)))
        if rows is not None and len(result.evidence) > rows:
            more = len(result.evidence) - rows
            text = (f"… and {more} more evidence rows" if rows > 0 else f"{more} evidence rows") + \
                " (`schoolclaims claims --rows N` lists them all)."
            bundles.append({"text/markdown": text, "text/plain": text})
    bundles.append(listing_bundle(result, evidence_rows))
    return bundles


def _display(bundle: dict) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def show_result(result, rows: int | None = 10, evidence_rows: int = 12) -> None:
    """Show a rated claim in a notebook: the rating line first, then at most ``rows`` evidence rows as a short
    table, then the full ``format_result`` listing (``evidence_rows`` rows) folded away."""
    for bundle in result_bundles(result, rows, evidence_rows):
        _display(bundle)


def show_table(frame: pd.DataFrame, empty: str = "") -> None:
    """Show a table without its index and without all-empty columns; ``empty`` is said instead when it has no
    rows or no filled cell."""
    shown = compact(frame)
    if len(shown) == 0 or shown.shape[1] == 0:
        if empty:
            _display({"text/markdown": markdown_text(empty), "text/plain": empty})
        return
    _display(table_bundle(shown))


def show_markdown(text: str) -> None:
    """A line of Markdown computed from the data (for a finding stated in words)."""
    _display({"text/markdown": text, "text/plain": text})


def summary_table(results) -> pd.DataFrame:
    """One row per rated claim: the question it raises, its rating and its id (the sections give the reasons)."""
    return pd.DataFrame([{"question": r.claim.question, "rating": r.rating, "claim": r.claim.id} for r in results])


def show_summary(results) -> None:
    """The ratings of a notebook's claims at a glance."""
    _display(table_bundle(summary_table(list(results))))

"""A chart for any claim from its own evidence, and which chart each registered claim shows.

A claim file alone (a new YAML in claims/, or in the folder SCHOOLCLAIMS_CLAIMS_DIR names) has no hand-made chart;
``claim_chart`` draws one from the rows that decide its rating: one bar per figure (entity, year, what was measured),
coloured by entity, hollow for second-hand figures, with the claimed value marked when the method has one; a range
('8000-10000', a ledger's "text (range of people)") is a bar from its low end to its top. Rows that are not numbers
are left out; with nothing to draw it returns None and the page says so.

A claim file names the charts that bear on its question, entities and period in ``charts`` (the notebooks draw them),
or says in ``no_chart`` why none can yet; a claim that does neither gets ``claim-<id>`` from ``export_claim_chart``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..claims.load import method_params
from ..claims.model import Result, decides
from .numbers import figure
from .style import (bar_style, category_ticks, entity_color, evidence_kinds, export, finding, kind_bar_handles, label,
                    new_chart, wrap)

CLAIMED = {"schools": ("claimed_schools",), "students": ("claimed_students",)}  # unit -> parameter; money: below
CLAIMED_MONEY = ("claimed", "threshold")
PER_PANEL = 12  # figures drawn in a unit at most: the deciding ones first; the claim's page lists every one


def chart_name(claim_id: str) -> str:
    return f"claim-{claim_id}"


def deciding_rows(result: Result) -> pd.DataFrame:
    """The numbers in the units of the rows that decide the rating (at most two units: two panels; at most 12 rows a
    unit): the deciding rows first, then the context rows in the same unit (the other side of a comparison) in the
    method's order, not chosen by their distance from the claimed figure (which would pick the figures that flatter or
    undercut the claim); how many were left out is in ``attrs['left_out']``."""
    if result.evidence.empty or not {"value", "unit", "matches"} <= set(result.evidence.columns):
        return pd.DataFrame()
    evidence = with_ranges(result.evidence)
    numeric = evidence[pd.to_numeric(evidence["value"], errors="coerce").notna()].copy()
    numeric["value"] = pd.to_numeric(numeric["value"])
    deciding = decides(numeric)
    units = list(dict.fromkeys(numeric.loc[deciding, "unit"]))[:2]
    rows = pd.concat([numeric[deciding], numeric[~deciding]])
    rows = rows[rows["unit"].isin(units)]
    kept = rows.groupby("unit", sort=False).head(PER_PANEL).reset_index(drop=True)
    kept.attrs["left_out"] = len(rows) - len(kept)  # said under the chart's question
    return kept


RANGE = re.compile(r"^\s*([\d,.]+)\s*(?:-|–|to)\s*([\d,.]+)\s*$")  # '8000-10000', '8,000 to 10,000'
RANGE_UNIT = re.compile(r"^text \(range of (.+)\)$")  # a ledger's unit for a range it keeps as text


def with_ranges(evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence with each range ('8000-10000' in 'text (range of people)') as numbers: ``low`` and the ``value``
    its top, in the unit it is a range of; other rows get ``low`` empty. So a police estimate given as a range is
    drawn beside the counts, not left out for not being one number."""
    out = evidence.assign(low=float("nan"))
    for index, value, unit in zip(out.index, out["value"].astype(str), out["unit"].astype(str)):
        found, of = RANGE.match(value), RANGE_UNIT.match(unit)
        if found and of:
            low, high = (float(part.replace(",", "")) for part in found.groups())
            out.loc[index, ["low", "value", "unit"]] = [min(low, high), max(low, high), of.group(1)]
    return out


def claimed_value(result: Result, unit: str) -> float | None:
    """The claimed figure in the unit of a panel, when the method has one (dollars, schools, students, or the method's
    own ``claimed``: a crowd, a rank)."""
    _method, params = method_params(result.claim)
    names = CLAIMED_MONEY if "USD" in unit else CLAIMED.get(unit, ("claimed",))  # else the method's own claimed figure
    for name in names:
        value = getattr(params, name, None)
        if isinstance(value, (int, float)):
            return float(value)
    return None


def claim_chart(result: Result):
    """(figure, the plotted rows) from the claim's deciding evidence, or None when no row holds a number."""
    rows = deciding_rows(result)
    if rows.empty:
        return None
    left_out = rows.attrs.get("left_out", 0)
    units = list(dict.fromkeys(rows["unit"]))
    rows["label"] = [f"{e}, {y}: {i}" for e, y, i in zip(rows["entity"], rows["year"], rows["item"])]
    kinds = evidence_kinds(rows)
    counts = [int((rows["unit"] == unit).sum()) for unit in units]
    # a panel per unit, one above the other (side by side they made a strip too wide to read on a page)
    height = 2.8 + 0.55 * sum(counts) + 1.1 * (len(units) - 1)
    fig, axes = new_chart(nrows=len(units), figsize=(8.5, height), squeeze=False, gridspec_kw={"height_ratios": counts})
    for ax, unit in zip(axes[:, 0], units):
        part = rows[rows["unit"] == unit]
        for y, (value, low, entity, kind) in enumerate(zip(part["value"], part["low"], part["entity"], kinds[part.index])):
            start = 0 if pd.isna(low) else low  # a range is a bar from its low end to its top
            ax.barh(y, value - start, left=start, height=0.6, **bar_style(kind, entity_color(str(entity))))
            if pd.isna(low):
                ax.text(value, y, f" {figure(value)}", va="center", fontsize=8)
            else:  # before the bar, where the axis is free, not past its top where a claimed line may run
                ax.text(low, y, f"{figure(low)}–{figure(value)} ", va="center", ha="right", fontsize=8)
        category_ticks(ax, part["label"], 34, fontsize=7)
        ax.set_ylim(len(part) - 0.5, -0.5)
        claimed = claimed_value(result, unit)
        if claimed is not None:
            ax.axvline(claimed, color="#333333", linestyle=":", linewidth=1.2, label=f"claimed: {figure(claimed)}")
        ax.set_xlim(0, max(part["value"].max(), claimed or 0) * 1.2)
        whole = all(float(v).is_integer() for v in [*part["value"], *([claimed] if claimed is not None else [])])
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=whole))  # ranks and counts: no tick between 1 and 2
        ax.xaxis.set_major_formatter(FuncFormatter(figure))
        ax.set_xlabel(unit, loc="right", fontsize=8, color="#333333")  # under the tick labels, however tall the panel
        ax.legend(handles=kind_bar_handles(kinds[part.index]) + ax.get_legend_handles_labels()[0], fontsize=7,
                  loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)  # beside the bars, never over them
    # how many were left out, under the question (beside the panels it ran over the bars' labels on a phone)
    drawn = (f" ({len(rows)} of {len(rows) + left_out} figures drawn, the deciding ones first; the claim's page lists "
             "every one)") if left_out else ""
    label(axes[0][0], "", fontsize=10, subtitle=wrap(result.claim.question + drawn, 70))
    fig.subplots_adjust(left=0.3, right=0.78, hspace=0.6, top=0.78)
    return fig, rows


def alt_text(result: Result, rows: pd.DataFrame) -> str:
    figures = "; ".join(f"{e} {y}: {figure(v) if pd.isna(low) else f'{figure(low)} to {figure(v)}'} {u}"
                        for e, y, v, low, u in zip(rows["entity"], rows["year"], rows["value"], rows["low"], rows["unit"]))
    return f"Bar chart of the figures behind the rating of claim {result.claim.id} ({result.rating}): {figures}."


def export_claim_chart(result: Result, folder: Path | None = None) -> str | None:
    """Draw and export ``claim-<id>`` for a claim; its name, or None when there is nothing to draw."""
    drawn = claim_chart(result)
    if drawn is None:
        return None
    fig, rows = drawn
    ranged = rows["low"].notna().any()  # a range's low end beside its top (value), as drawn
    columns = ["entity", "year", "item", *(["low"] if ranged else []), "value", "unit", "definition", "confidence",
               "source_id", "file_sha256", "locator"]
    data = rows[columns].rename(columns={"low": "range_low", "value": "value_or_range_high"} if ranged else {})
    export(fig, chart_name(result.claim.id), data, alt_text(result, rows),
           dollars="nominal dollars" if "USD" in rows["unit"].iloc[0] else None, folder=folder,
           page=f"claims/{result.claim.id}.html", title=finding(result))
    import matplotlib.pyplot as plt

    plt.close(fig)
    return chart_name(result.claim.id)


def charts_for(record: dict, drawn: set[str]) -> list[str]:
    """The charts a claim page shows: the claim file's own ``charts``, else (unless it says why none can) its drawn
    chart (``drawn``: the names export_claim_chart gave)."""
    if record.get("charts"):
        return list(record["charts"])
    if record.get("no_chart"):
        return []
    return [chart_name(record["id"])] if chart_name(record["id"]) in drawn else []


def draw_missing(results, folder: Path | None = None) -> set[str]:
    """Draw ``claim-<id>`` for every claim that names no chart and gives no reason for having none."""
    return {name for r in results if not r.claim.charts and not r.claim.no_chart
            and (name := export_claim_chart(r, folder))}

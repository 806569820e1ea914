"""A chart for any claim from its own evidence, and which chart each registered claim shows.

A claim file alone (a new YAML in claims/, or in the folder SCHOOLCLAIMS_CLAIMS_DIR names) has no hand-made chart;
``claim_chart`` draws one from the rows that decide its rating: one bar per figure (entity, year, what was measured),
coloured by entity, hollow for second-hand figures, with the claimed value marked when the method has one. Rows that
are only context, or not numbers, are left out; with nothing to draw it returns None and the page says so.

``CLAIM_CHARTS`` is the mapping from the registered claims to the charts that bear on their question, entities and
period (the notebooks draw them); a claim it does not name gets ``claim-<id>`` from ``export_claim_chart``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..claims.load import method_params
from ..claims.model import Result
from .style import bar_style, entity_color, evidence_kinds, export, kind_bar_handles, label, new_chart

# claim id -> the charts that bear on it, main one first (drawn by the notebooks)
CLAIM_CHARTS = {
    "pay-alliance-vs-lausd": ["pay_archive_by_employer"],
    "pay-90pct-of-la": ["pay_archive_by_employer"],
    "pay-counselors-16pct": ["pay_archive_by_employer"],
    "class-alliance-smaller": ["staffing_ratio_2015_16"],
    "class-lausd-highest": ["class_size_state_averages", "staffing_ratio_2015_16"],
    "class-lausd-second-lowest": ["staffing_ratio_2015_16"],
    "fund-5th-economy-speech": ["california_world_gdp_rank"],
    "fund-6th-economy": ["california_world_gdp_rank"],
    "fund-2nd-district": ["california_world_gdp_rank"],
    "fund-ca-rank-46": ["california_vs_us_per_pupil"],
    "fund-ca-rank-46-speech": ["california_vs_us_per_pupil"],
    "fund-rank-44-of-50": ["california_vs_us_per_pupil"],
    "fund-11000-baseline": ["california_vs_us_per_pupil"],
}
CLAIMED = ("claimed", "threshold", "claimed_students")  # the parameter holding the claimed value, by method


def chart_name(claim_id: str) -> str:
    return f"claim-{claim_id}"


def deciding_rows(result: Result) -> pd.DataFrame:
    """The evidence rows that decide the rating and hold a number, in one unit (the first such unit)."""
    rows = result.evidence[result.evidence["matches"].map(lambda m: not isinstance(m, str))]
    rows = rows[pd.to_numeric(rows["value"], errors="coerce").notna()].copy()
    if rows.empty:
        return rows
    rows["value"] = pd.to_numeric(rows["value"])
    return rows[rows["unit"] == rows["unit"].iloc[0]].reset_index(drop=True)


def claimed_value(result: Result, unit: str) -> float | None:
    """The claimed figure, when the method has one in the unit plotted (dollars, students)."""
    _method, params = method_params(result.claim)
    for name in CLAIMED:
        value = getattr(params, name, None)
        if value is not None and (("USD" in unit) == (name != "claimed_students")):
            return float(value)
    return None


def claim_chart(result: Result):
    """(figure, the plotted rows) from the claim's deciding evidence, or None when no row holds a number."""
    rows = deciding_rows(result)
    if rows.empty:
        return None
    unit = rows["unit"].iloc[0]
    rows["label"] = rows["entity"].astype(str) + ", " + rows["year"].astype(str) + "\n" + rows["item"].astype(str).str.slice(0, 60)
    kinds = evidence_kinds(rows)
    fig, ax = new_chart(figsize=(8, 1.2 + 0.55 * len(rows)))
    for y, (value, entity, kind) in enumerate(zip(rows["value"], rows["entity"], kinds)):
        ax.barh(y, value, height=0.6, **bar_style(kind, entity_color(str(entity))))
        ax.text(value, y, f" {value:,.0f}", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), rows["label"], fontsize=7)
    ax.invert_yaxis()
    claimed = claimed_value(result, unit)
    if claimed is not None:
        ax.axvline(claimed, color="#333333", linestyle=":", linewidth=1.2)
        ax.text(claimed, -0.6, f"claimed: {claimed:,.0f}", fontsize=8, ha="center", va="bottom")
    ax.set_xlim(0, max(rows["value"].max(), claimed or 0) * 1.18)
    label(ax, f"{result.claim.id}: the figures that decide the rating", unit, None, fontsize=10,
          subtitle=f"rating: {result.rating}")
    ax.legend(handles=kind_bar_handles(kinds), fontsize=7, loc="lower right")
    return fig, rows


def alt_text(result: Result, rows: pd.DataFrame) -> str:
    figures = "; ".join(f"{e} {y}: {v:,.0f} {u}" for e, y, v, u in zip(rows["entity"], rows["year"], rows["value"], rows["unit"]))
    return f"Bar chart of the figures that decide the rating of claim {result.claim.id} ({result.rating}): {figures}."


def export_claim_chart(result: Result, folder: Path | None = None) -> str | None:
    """Draw and export ``claim-<id>`` for a claim; its name, or None when there is nothing to draw."""
    drawn = claim_chart(result)
    if drawn is None:
        return None
    fig, rows = drawn
    columns = ["entity", "year", "item", "value", "unit", "definition", "confidence", "source_id", "file_sha256", "locator"]
    export(fig, chart_name(result.claim.id), rows[columns], alt_text(result, rows),
           dollars="nominal dollars" if "USD" in rows["unit"].iloc[0] else None, folder=folder)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return chart_name(result.claim.id)


def charts_for(record: dict, drawn: set[str]) -> list[str]:
    """The charts a claim page shows: the claim file's own ``charts``, else the mapping above, else its drawn chart."""
    if record.get("charts"):
        return list(record["charts"])
    if record["id"] in CLAIM_CHARTS:
        return CLAIM_CHARTS[record["id"]]
    return [chart_name(record["id"])] if chart_name(record["id"]) in drawn else []

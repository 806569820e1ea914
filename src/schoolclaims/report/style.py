"""One house style and one export helper for every chart.

``export`` writes PNG and SVG plus the exact CSV plotted and the alt text, with a source line built
from the provenance of the plotted rows and the dollar year where money is shown. Files carry no
timestamps, so re-running produces identical bytes. The small drawing parts every chart repeats (a
styled figure, title and axis labels, money and count ticks, the dashed claim line, school-year ticks,
one highlighted bar) live here too, so each chart function keeps only what is its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .. import paths  # noqa: E402
from ..sources import labels  # noqa: E402

PALETTE = ["#1b4f72", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#5d6d7e", "#17a589"]
STYLE = {
    "font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
    "axes.titlelocation": "left", "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": True, "grid.color": "#dddddd", "grid.linewidth": 0.6, "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "figure.figsize": (8, 4.8), "figure.dpi": 100, "savefig.dpi": 150, "legend.frameon": False,
    "svg.hashsalt": "schoolclaims", "svg.fonttype": "path", "path.simplify": False,
}


def apply_style() -> None:
    plt.rcParams.update(STYLE)


# -- the parts every chart function shares ------------------------------------------------------------
def new_chart(**subplots):
    """``(fig, ax)`` (or ``(fig, axes)``) in the house style; keyword arguments go to ``plt.subplots``."""
    apply_style()
    return plt.subplots(**subplots)


def money(value: float, _position=None) -> str:
    """Whole dollars, $12,345; also a tick formatter."""
    return f"${value:,.0f}"


def thousands(value: float, _position=None) -> str:
    """A whole number with thousands separators, 12,345; also a tick formatter."""
    return f"{value:,.0f}"


def label(ax, title: str, xlabel: str | None = None, ylabel: str | None = None, *, xticks=None, yticks=None,
          **title_kw) -> None:
    """Title and axis labels; ``xticks``/``yticks`` format the tick labels (``money``, ``thousands``)."""
    ax.set_title(title, **title_kw)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if xticks is not None:
        ax.xaxis.set_major_formatter(xticks)
    if yticks is not None:
        ax.yaxis.set_major_formatter(yticks)


def mark_claim(ax, value: float, x: float, y: float, text: str, **text_kw) -> None:
    """The claimed value as a dashed line across the axes, with its note at (x, y) in data coordinates."""
    ax.axhline(value, color="#333333", linestyle="--", linewidth=1)
    ax.text(x, y, text, fontsize=8, **text_kw)


def school_year_ticks(ax, years: list[str]) -> None:
    """One tick per school year at positions 0, 1, ..., labelled without the century ('14-15')."""
    ax.set_xticks(range(len(years)), [year[2:] for year in years])


def highlight_colors(names, highlight: str) -> list[str]:
    """The house red for ``highlight``, the house blue for every other name."""
    return [PALETTE[1] if name == highlight else PALETTE[0] for name in names]


def source_line(frame: pd.DataFrame) -> str:
    """'Source: …' naming each source of the plotted rows, ledgers with their confidence labels."""
    names = []
    for source_id in sorted(frame["source_id"].dropna().unique()):
        if source_id.startswith("ledgers/"):
            confidence = sorted(frame.loc[frame["source_id"] == source_id, "confidence"].dropna().unique()) if "confidence" in frame else []
            names.append(f"hand-transcribed ledger {source_id.removeprefix('ledgers/')} ({'; '.join(confidence)})")
        else:  # a row made from several files names each of them, unless the combination has its own label
            names.extend(labels(source_id))
    names = list(dict.fromkeys(names))
    return "Source: " + "; ".join(names) + ". Every row, with file sha256 and locator, is in the CSV beside this chart."


@dataclass
class ChartFiles:
    png: Path
    svg: Path
    csv: Path
    alt: Path


def export(fig, name: str, data: pd.DataFrame, alt_text: str, dollars: str | None = None,
           folder: Path | None = None) -> ChartFiles:
    """Save ``fig`` as <name>.png/.svg, the plotted ``data`` as <name>.csv and ``alt_text`` as <name>.alt.txt.

    ``dollars`` states the dollar year ("nominal dollars" or "2019-20 dollars, LA-area CPI-U"); required
    when money is shown, and printed under the chart with the source line.
    """
    folder = Path(folder or paths.CHARTS)
    folder.mkdir(parents=True, exist_ok=True)
    footer = source_line(data)
    if dollars:
        footer = f"Dollars: {dollars}. " + footer
    fig.text(0.01, 0.005, _wrap(footer, 120), fontsize=7, color="#555555", ha="left", va="bottom")
    fig.subplots_adjust(bottom=0.12 + 0.025 * _wrap(footer, 120).count("\n"))
    files = ChartFiles(folder / f"{name}.png", folder / f"{name}.svg", folder / f"{name}.csv", folder / f"{name}.alt.txt")
    fig.savefig(files.png, metadata={"Software": None})
    fig.savefig(files.svg, metadata={"Date": None, "Creator": None})
    data.to_csv(files.csv, index=False, lineterminator="\n")
    files.alt.write_text(alt_text.strip() + "\n", encoding="utf-8")
    return files


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))

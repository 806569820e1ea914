"""One house style and one export helper for every chart.

``export`` writes PNG and SVG plus the exact CSV plotted and the alt text, with a source line built
from the provenance of the plotted rows and the dollar year where money is shown. Files carry no
timestamps, so re-running produces identical bytes. ``show`` puts an exported chart in a notebook: the
exported PNG (with its alt text), the links to cite it and its source line. The small drawing parts every
chart repeats (a styled figure, title and axis labels, money and count ticks, the dashed claim line, a
true school-year axis, series breaks) live here too, so each chart function keeps only what is its own.

Two encodings hold in every chart:

- **Entity colours.** LAUSD, Alliance and California have one colour each (``ENTITY_COLORS``, keyed by the
  names in ``entities``); a chart of one entity draws its series in that colour and its tints, anything
  else is grey.
- **Kind of evidence.** A figure read from the publisher's own file (CDE, Census, BEA, BLS, J-90) is
  drawn filled (markers, bars) with solid lines; a second-hand figure (quoted by the press, transcribed
  from a web page, a third-party copy of a file) is drawn hollow with dashed lines. A line segment is
  solid only when both of its ends are official, and only consecutive years are joined: a missing year
  is a gap.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .. import paths  # noqa: E402
from ..entities import ALLIANCE, ALLIANCE_SCHOOL_PREFIX, CALIFORNIA, CALIFORNIA_STATEWIDE, LAUSD  # noqa: E402
from ..sources import labels  # noqa: E402
from ..transform.grades import first_hand, grades_of  # noqa: E402

# One colour per entity, in every chart; tints of it tell an entity's own series apart.
ENTITY_COLORS = {LAUSD.name: "#1b4f72", ALLIANCE.name: "#d55e00", CALIFORNIA.name: "#009e73"}
OTHER_COLOR = "#9aa3ab"  # anything that is none of the three (other states, other districts)
PALETTE = ["#5d6d7e", "#8e44ad", "#b7950b", "#6c3483", "#7f8c8d"]  # series that belong to no entity

# The kind of evidence a plotted row is: read from the publisher's own file, or second-hand.
OFFICIAL = "official"
SECOND_HAND = "second-hand"
KIND_LABELS = {
    OFFICIAL: "official file (filled, solid line)",
    SECOND_HAND: "second-hand: quoted, transcribed or a third-party copy (hollow, dashed line)",
}
STYLE = {
    "font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
    "axes.titlelocation": "left", "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": True, "axes.axisbelow": True, "grid.color": "#dddddd", "grid.linewidth": 0.6, "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
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
          subtitle: str | None = None, **title_kw) -> None:
    """Title and axis labels; ``xticks``/``yticks`` format the tick labels (``money``, ``thousands``);
    ``subtitle`` is a smaller line (or lines) under the title, for the sources and years, wrapped where a line would
    run past the next panel or the figure's edge (the panel is lowered by the lines that adds)."""
    if subtitle:
        note = ax.text(0, 1.012, subtitle, transform=ax.transAxes, fontsize=8, color="#333333", ha="left", va="bottom")
        added = _fit_subtitle(ax, note)
        fig = ax.figure
        before = getattr(fig, "_subtitle_lines_added", 0)  # panels side by side share the room above them
        if added > before:
            fig.subplots_adjust(top=fig.subplotpars.top - (added - before) * 11 / 72 / fig.get_figheight())
            fig._subtitle_lines_added = added
        title_kw.setdefault("pad", 6 + 11 * (note.get_text().count("\n") + 1))
    ax.set_title(title, **title_kw)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if xticks is not None:
        ax.xaxis.set_major_formatter(xticks)
    if yticks is not None:
        ax.yaxis.set_major_formatter(yticks)


def _fit_subtitle(ax, text) -> int:
    """Wrap ``text`` (a subtitle) narrower until it ends before the next panel on its right or the figure's edge;
    return how many lines that added."""
    fig = ax.figure
    box = ax.get_position()
    edge = min([other.get_position().x0 for other in fig.axes if other.get_position().x0 > box.x1] + [1.0])
    room = (edge - box.x0) * fig.get_figwidth() * fig.dpi - 0.1 * fig.dpi  # pixels
    renderer = fig.canvas.get_renderer()
    lines = text.get_text().count("\n")
    for _ in range(8):
        width = text.get_window_extent(renderer).width
        if width <= room:
            break
        longest = max(len(line) for line in text.get_text().splitlines())
        text.set_text("\n".join(wrap(line, int(longest * room / width)) for line in text.get_text().splitlines()))
    return text.get_text().count("\n") - lines


def mark_claim(ax, value: float, x: float, y: float, text: str, span: tuple[float, float] | None = None,
               **text_kw) -> None:
    """The claimed value as a dashed line, with its note at (x, y) in data coordinates: across the axes, or with
    ``span`` (first, last x in data coordinates) only over the years the claim is about."""
    if span is None:
        ax.axhline(value, color="#333333", linestyle="--", linewidth=1)
    else:
        ax.plot([span[0], span[1]], [value, value], color="#333333", linestyle="--", linewidth=1.4,
                label="_claim line")
    ax.text(x, y, text, fontsize=8, label=NOTE, **text_kw)


# Series that belong to no entity but must be told apart (publishers): colour-blind-safe (Okabe-Ito, without its
# yellow, which is too light on white), then greys.
SERIES_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D31"]


def short_names(names, limit: int = 24) -> dict[str, str]:
    """A short label for each name, for direct labels: the part before a comma unless another name shares it (then
    the part after), cut at a word to ``limit`` characters with '…'."""
    names = list(dict.fromkeys(names))
    heads = [str(n).split(",")[0].strip() for n in names]
    out = {}
    for name, head in zip(names, heads):
        text = head if heads.count(head) == 1 or "," not in str(name) else str(name).split(",", 1)[1].strip()
        cut = text[:limit - 1]
        if len(text) > limit and text[limit - 1] != " ":  # the cut falls inside a word: drop that word
            cut = cut.rsplit(" ", 1)[0]
        out[name] = text if len(text) <= limit else cut.rstrip(" ,&") + "…"
    return out


def series_colors(names) -> dict[str, str]:
    """One distinct colour per name, in the order given (a ninth name and later repeat the palette)."""
    return {name: SERIES_COLORS[i % len(SERIES_COLORS)] for i, name in enumerate(dict.fromkeys(names))}


def school_year_ticks(ax, years: list[str]) -> None:
    """One tick per school year at positions 0, 1, ..., labelled without the century ('14-15')."""
    ax.set_xticks(range(len(years)), [year[2:] for year in years])


def highlight_colors(names, highlight: str) -> list[str]:
    """The entity colour for ``highlight`` (see ``entity_color``), grey for every other name."""
    return [entity_color(highlight) if name == highlight else OTHER_COLOR for name in names]


# -- entity colours --------------------------------------------------------------------------------------
def entity_of(name: str) -> str | None:
    """The entity (its name in ``entities``) a label stands for: its name, a publisher's spelling, the state
    row of a per-pupil table, or a label that starts with 'LAUSD' or 'Alliance' (a group of its schools)."""
    text = str(name).strip()
    for entity in (LAUSD, ALLIANCE, CALIFORNIA):
        if text.casefold() in {entity.name.casefold(), *(s.casefold() for s in entity.spellings)}:
            return entity.name
    if text == CALIFORNIA_STATEWIDE:
        return CALIFORNIA.name
    if text.startswith("LAUSD") or text.upper().startswith(LAUSD.name.upper()):
        return LAUSD.name
    if text.startswith(ALLIANCE_SCHOOL_PREFIX):
        return ALLIANCE.name
    return None


def entity_color(name: str) -> str:
    """The colour of the entity ``name`` stands for (``entity_of``), grey for anything else."""
    entity = entity_of(name)
    return ENTITY_COLORS[entity] if entity else OTHER_COLOR


def tint(color: str, amount: float) -> str:
    """``color`` mixed with white: 0 is the colour itself, 1 is white."""
    rgb = matplotlib.colors.to_rgb(color)
    return matplotlib.colors.to_hex([c + (1 - c) * amount for c in rgb])


def tints(color: str, n: int, lightest: float = 0.55) -> list[str]:
    """``n`` shades of one colour, the colour itself first and lighter after."""
    return [tint(color, lightest * i / max(n - 1, 1)) for i in range(n)]


# -- kind of evidence: official file or second-hand ---------------------------------------------------
def evidence_kinds(frame: pd.DataFrame) -> pd.Series:
    """OFFICIAL (the publisher's own figure: drawn filled and solid) or SECOND_HAND (a copy: hollow and dashed) for
    every row of ``frame``, by its source grade (transform.grades.first_hand: the one rule for both)."""
    return first_hand(frame).map({True: OFFICIAL, False: SECOND_HAND}).astype("object")


FIRST_HAND_WORDS = "first-hand: a party's or publisher's own document, page or file"  # not all of them files


def all_files(frame: pd.DataFrame | None) -> bool:
    """Whether every first-hand row of ``frame`` is a publisher's file (True when no frame is given)."""
    if frame is None:
        return True
    grades = grades_of(frame)
    return bool((grades[first_hand(frame)] == "publisher's file").all())


def kind_words(kinds, frame: pd.DataFrame | None = None) -> str:
    """'official files', 'second-hand figures' or 'official and second-hand figures', for titles and alt text; given
    the plotted ``frame``, first-hand rows that are not all publishers' files (a party's own document, a publisher's
    page) are called first-hand sources, not official files."""
    present = set(kinds)
    if present == {OFFICIAL}:
        return "official files" if all_files(frame) else "first-hand sources"
    if present == {SECOND_HAND}:
        return "second-hand figures"
    return "official and second-hand figures" if all_files(frame) else "first-hand and second-hand figures"


def marker_style(kind: str, color: str) -> dict:
    """Filled markers for official figures, hollow (white inside) for second-hand ones."""
    face = color if kind == OFFICIAL else "white"
    return {"markerfacecolor": face, "markeredgecolor": color, "markeredgewidth": 1.2}


def line_style(kind: str) -> str:
    return "-" if kind == OFFICIAL else "--"


def bar_style(kind: str, color: str) -> dict:
    """Filled bars for official figures, hollow hatched bars for second-hand ones."""
    if kind == OFFICIAL:
        return {"facecolor": color, "edgecolor": color}
    return {"facecolor": "white", "edgecolor": color, "hatch": "////", "linewidth": 1}


def kind_handles(kinds, color: str = "#444444", marker: str = "o", lines: bool = True,
                 frame: pd.DataFrame | None = None) -> list:
    """Legend entries saying what filled/solid and hollow/dashed mean, for the kinds a chart shows
    (``lines=False`` for a chart of markers only; ``frame``, the plotted rows, as for :func:`kind_words`)."""
    from matplotlib.lines import Line2D

    text = dict(KIND_LABELS) if lines else {OFFICIAL: "official file (filled)",
                                            SECOND_HAND: "second-hand: quoted, transcribed or a third-party copy (hollow)"}
    if not all_files(frame):
        text[OFFICIAL] = FIRST_HAND_WORDS + (" (filled, solid line)" if lines else " (filled)")
    return [Line2D([], [], color=color, linestyle=line_style(kind) if lines else "none", marker=marker, markersize=5,
                   label=text[kind], **marker_style(kind, color))
            for kind in (OFFICIAL, SECOND_HAND) if kind in set(kinds)]


def kind_bar_handles(kinds, color: str = "#444444") -> list:
    from matplotlib.patches import Patch

    text = {OFFICIAL: "official file (filled)", SECOND_HAND: "second-hand (hollow)"}
    return [Patch(label=text[kind], **bar_style(kind, color)) for kind in (OFFICIAL, SECOND_HAND) if kind in set(kinds)]


def series_handle(color: str, marker: str, label: str, line: bool = True):
    """A legend entry for one series (its colour and marker, with a line unless ``line`` is False), drawn as an
    official one: the kind entries (``kind_handles``) say what hollow and dashed mean."""
    from matplotlib.lines import Line2D

    return Line2D([], [], color=color, marker=marker, markersize=5, label=label, linestyle="-" if line else "none",
                  **marker_style(OFFICIAL, color))


# -- a true school-year axis ----------------------------------------------------------------------------
def year_end(school_year: str) -> int:
    """'2014-15' (or '2014-15 (notices Mar 2014)') -> 2015: school years sit at the spring they end in."""
    return int(str(school_year)[:4]) + 1


def school_year(end: int) -> str:
    """2015 -> '2014-15'."""
    return f"{end - 1}-{str(end)[2:]}"


def year_ticks(ax, first: int, last: int, every: int = 1, short: bool = True) -> None:
    """Ticks at school years ending ``first`` to ``last`` (every ``every``), labelled '14-15' or '2014-15'."""
    ends = list(range(first, last + 1, every))
    ax.set_xticks(ends, [school_year(e)[2:] if short else school_year(e) for e in ends])
    ax.set_xlim(first - 0.6, last + 0.6)


def year_line(ax, ends, values, kinds, color: str, marker: str = "o", markersize: float = 4, linewidth: float = 1.6):
    """One series on a true year axis (x = the year a school year ends).

    Consecutive years are joined by a segment, solid when both ends are official and dashed otherwise; a
    missing year leaves a gap (no segment). Markers are filled for official rows, hollow for second-hand.
    """
    points = sorted(zip(ends, values, kinds))
    for (x0, y0, k0), (x1, y1, k1) in zip(points, points[1:]):
        if x1 - x0 == 1 and pd.notna(y0) and pd.notna(y1):
            kind = OFFICIAL if k0 == k1 == OFFICIAL else SECOND_HAND
            ax.plot([x0, x1], [y0, y1], color=color, linestyle=line_style(kind), linewidth=linewidth,
                    label=f"_{kind} segment")
    for kind in (OFFICIAL, SECOND_HAND):
        chosen = [(x, y) for x, y, k in points if k == kind and pd.notna(y)]
        if chosen:
            ax.plot([x for x, _ in chosen], [y for _, y in chosen], linestyle="none", marker=marker,
                    markersize=markersize, label=f"_{kind} points", **marker_style(kind, color))


def mark_break(ax, x: float, text: str, y: float = 0.02, **text_kw) -> None:
    """A series break: a dotted vertical line at ``x`` with a short label beside it (``y`` in axes fraction)."""
    ax.axvline(x, color="#555555", linestyle=":", linewidth=1.2, label="_series break")
    ax.text(x + 0.15, y, text, transform=ax.get_xaxis_transform(), fontsize=7, color="#333333",
            ha="left", va="bottom", label=NOTE, **text_kw)


def mark_gap(ax, x: float, text: str, y: float = 0.02) -> None:
    """A year with no figure: a short grey note at ``x`` (``y`` in axes fraction)."""
    ax.text(x, y, text, transform=ax.get_xaxis_transform(), fontsize=7, color="#555555", ha="center",
            va="bottom", rotation=90, label="_gap")


LABEL_OFFSET = 6  # points from a mark to the direct label beside it: clear of a marker at any chart width
END_LABEL = "_end label"  # the label of end_labels' texts, which place_notes keeps apart once they are wrapped


def end_labels(ax, items, min_gap: float = 0.045, **text_kw) -> None:
    """Direct labels ``(x, y, text, color)`` beside line ends, LABEL_OFFSET points to the right of the mark, pushed
    apart so that none overlap (``min_gap`` is a fraction of the y range); call after the axis limits are final."""
    low, high = ax.get_ylim()
    gap = abs(high - low) * min_gap
    placed: list[float] = []
    for x, y, text, color in sorted(items, key=lambda item: item[1]):
        y_text = max(y, placed[-1] + gap) if placed else y
        placed.append(y_text)
        ax.annotate(text, (x, y_text), xytext=(LABEL_OFFSET, 0), textcoords="offset points", color=color, fontsize=7,
                    va="center", ha="left", label=END_LABEL, **text_kw)


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
    return "Source: " + "; ".join(names) + ". Every row, with file sha256 and locator, is in the chart's CSV at the address below."


@dataclass
class ChartFiles:
    png: Path
    svg: Path
    csv: Path
    alt: Path
    source: str = ""  # the line printed under the chart: dollar year (where money is shown) and source line
    phone: Path | None = None  # the same chart laid out for a phone's width
    title: str = ""  # the chart's title (its finding, where the notebook gives one)
    address: str = ""  # where the chart is published
    data_date: str = ""  # the years its data cover
    citation: str = ""  # one line to cite it by: title, project, address, data date
    whatif: str | None = None  # the parameters of a what-if chart (not published)


PROJECT_NAME = "schoolclaims"
PHONE_WIDTH = 3.8  # inches: drawn at this width, shown about 360 px wide on a 390 px phone, 7.5 pt text is 9.8 px
PHONE_MIN_POINTS = 7.5
YEAR_COLUMNS = ("school_year", "year", "data_year", "school_year_or_year", "reported_year", "report_year")


def chart_address(name: str, page: str | None = None) -> str:
    """Where a chart is published: ``page`` of the site (default the chart's entry on the downloads page) under the
    configured base address, or the project's repository when no base address is set (never an invented one)."""
    base = paths.configured_base_url()
    return paths.page_url(base, page or f"downloads.html#chart-{name}") if base else paths.PROJECT_URL


def data_date(frame: pd.DataFrame) -> str:
    """The years the plotted rows cover ('2014-15 to 2020-21', '2017'), from the first year column the frame has;
    '' when it has none."""
    for column in YEAR_COLUMNS:
        if column in frame:
            values = sorted({str(v) for v in frame[column].dropna() if str(v).strip()},
                            key=lambda v: (v[:4], v))
            if values:
                return values[0] if values[0] == values[-1] else f"{values[0]} to {values[-1]}"
    return ""


def citation(title: str, address: str, when: str) -> str:
    """'“Title”. schoolclaims, https://…, data 2014-15 to 2020-21.'"""
    return f"“{title}”. {PROJECT_NAME}, {address}" + (f", data {when}" if when else "") + "."


def chart_title(fig) -> str:
    """The chart's title as drawn: the first axes title that has text."""
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            if text := ax.get_title(loc=loc):
                return text
    return ""


def headline(fig, text: str, whatif: str | None = None) -> None:
    """Put ``text`` (a finding computed from the rating) above the chart as its title, over every panel; the panels
    keep their own titles, which say what is plotted. A what-if chart says so in red on the line above."""
    lines = wrap(text, int(fig.get_size_inches()[0] * 9.6)).splitlines()  # 12 pt bold: about 9.6 characters an inch
    top = 1 - 0.07 / fig.get_figheight()  # 0.07 in from the top edge, however tall the figure
    if whatif:
        fig.text(0.01, top, f"WHAT-IF ({whatif}), not the published rating", fontsize=10, color="#b00020",
                 fontweight="bold", ha="left", va="top", label="_whatif")
        top -= 0.24 / fig.get_figheight()
    drawn = fig.text(0.01, top, "\n".join(lines), fontsize=12, fontweight="bold", ha="left", va="top", label="_headline")
    # the panels' titles 0.2 in under it: measured, so that a tall figure leaves no wider gap than a short one
    _titles_at(fig, drawn.get_window_extent(fig.canvas.get_renderer()).y0 - 0.2 * fig.dpi)


def top_margin(fig, inches: float = 0.12) -> None:
    """The panels' titles (and subtitles) ``inches`` under the figure's top edge: for a chart with no headline, whose
    fixed ``top`` would leave a tall figure blank above them. Measured, as :func:`headline` does."""
    _titles_at(fig, fig.bbox.height - inches * fig.dpi)


def _titles_at(fig, pixels: float) -> None:
    """Move the panels up or down (the figure's ``top``) until the highest of their titles ends ``pixels`` up."""
    renderer = fig.canvas.get_renderer()
    panels = [ax.get_tightbbox(renderer).y1 for ax in fig.axes if ax.get_visible()]
    if panels:
        fig.subplots_adjust(top=fig.subplotpars.top + (pixels - max(panels)) / fig.bbox.height)


def claim_variant(chart: str, claim_id: str) -> str:
    """The name of ``chart`` drawn again for one claim that lists it (its claimed figure, its rating in the headline);
    that claim's page shows it in place of ``chart`` (see site.collect_records)."""
    return f"{chart}--{claim_id}"


def export_folder(whatif: str | None = None) -> Path:
    """Where ``export`` writes when it is given no folder: the folder in SCHOOLCLAIMS_CHARTS_DIR (``schoolclaims site``
    sets it for each notebook it runs, and moves the files into report/charts when the run succeeds; ``make test``
    sets a scratch folder), else .cache/charts. A what-if always goes to .cache/whatif-charts. So a notebook run by
    hand, from any folder, never overwrites the published charts."""
    import os

    if whatif:
        return paths.CACHE / "whatif-charts"
    return Path(os.environ.get("SCHOOLCLAIMS_CHARTS_DIR") or paths.CACHE / "charts")


def finding(result) -> str:
    """A chart title that states what the rating found, computed from the rated result: the rating, then the first
    clause of the computed conclusion ('Not met. In 2019-20 and 2020-21, none of the 3 archived figures for Los
    Angeles Unified reached $20,000 per pupil')."""
    import re

    words = f"{result.rating[:1].upper()}{result.rating[1:]}"
    conclusion = re.sub(r"^WHAT-IF \([^)]*\), not the published rating: ", "", result.conclusion.strip())
    first = conclusion
    for end in re.finditer(r"(?<=[a-z0-9)'’])(?:\.\s|;\s)", conclusion):  # the first outside brackets ends the clause
        before = conclusion[:end.start()]
        if before.count("(") <= before.count(")"):
            first = before
            break
    first = first.rstrip(".")
    first = re.sub(r",?\s*https?://\S+?(?=[),]|$)", "", first)  # an address belongs in the source line, not the title
    return f"{words}. {first}"


def export(fig, name: str, data: pd.DataFrame, alt_text: str, dollars: str | None = None,
           folder: Path | None = None, *, page: str | None = None, title: str | None = None,
           whatif: str | None = None) -> ChartFiles:
    """Save ``fig`` as <name>.png/.svg (and <name>.phone.png, laid out for a phone), the plotted ``data`` as
    <name>.csv and ``alt_text`` as <name>.alt.txt.

    ``dollars`` states the dollar year ("nominal dollars" or "2019-20 dollars, LA-area CPI-U"); required when money
    is shown, and printed under the chart with the source line. ``title`` (a finding computed from the rating)
    replaces the drawn title. Under the chart a credit line names the project, the address of ``page`` (see
    ``chart_address``) and the years of the data; the same title, address, date and citation are written into the
    files (PNG text chunks, SVG metadata). ``whatif`` marks a chart drawn with parameters other than the published
    ones, on the image, in its metadata and in the alt text. Files carry no timestamps: the same inputs give the
    same bytes.
    """
    folder = Path(folder or export_folder(whatif))
    folder.mkdir(parents=True, exist_ok=True)
    if title or whatif:
        headline(fig, title or chart_title(fig), whatif)
    title = title or chart_title(fig)
    if whatif:
        alt_text = f"What-if, not the published rating ({whatif}). {alt_text.strip()}"
        title = f"What-if ({whatif}): {title}"
    footer = source_line(data)
    if dollars:
        footer = f"Dollars: {dollars}. " + footer
    address, when = chart_address(name, page), data_date(data)
    credit = f"{PROJECT_NAME} · {address}" + (f" · data {when}" if when else "")
    files = ChartFiles(folder / f"{name}.png", folder / f"{name}.svg", folder / f"{name}.csv", folder / f"{name}.alt.txt",
                       source=footer, phone=folder / f"{name}.phone.png", title=title, address=address,
                       data_date=when, citation=citation(title, address, when), whatif=whatif)
    text = wrap(footer, 120)
    fig.text(0.01, 0.005, text + "\n" + credit, fontsize=7, color="#555555", ha="left", va="bottom",
             label="_footer")
    # room under the axes for the tick labels and axis label (about 0.62 in) and every footer line (7 pt, 1.35 spacing)
    lines = text.count("\n") + 2
    fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, (0.62 + lines * 7 * 1.35 / 72) / fig.get_figheight()))
    meta = {"Title": title, "Author": PROJECT_NAME, "Source": address, "Description": alt_text.strip(),
            "Comment": files.citation, "Data date": when}
    fig.set_dpi(STYLE["savefig.dpi"])  # text is measured as it will be drawn
    for ax in fig.axes:
        _legend_clear_of_points(ax)
    place_notes(fig)
    fig.savefig(files.png, metadata={**meta, "Software": None})
    fig.savefig(files.svg, metadata={"Title": title, "Creator": PROJECT_NAME, "Publisher": PROJECT_NAME,
                                     "Description": alt_text.strip(), "Source": address, "Coverage": when,
                                     "Identifier": files.citation, "Date": None})
    phone_layout(fig, footer, credit)
    fig.savefig(files.phone, metadata={**meta, "Software": None})
    data.to_csv(files.csv, index=False, lineterminator="\n")
    files.alt.write_text(alt_text.strip() + "\n", encoding="utf-8")
    return files


def _drawn(style: str | None) -> bool:
    """Whether a line's marker or line style draws anything (matplotlib spells "nothing" several ways)."""
    return style not in (None, "None", "none", "", " ")


def _legend_clear_of_points(ax, tries: int = 12) -> None:
    """A legend drawn at the top of its panel that hides a plotted point: the panel's top raised, a tenth of its
    range at a time, until no point is under the legend (the legend's size is in points, the data's room is a share
    of the panel, so no fixed headroom fits every height)."""
    legend = ax.get_legend()
    if (legend is None or not legend.get_visible() or legend._loc not in (1, 2, 9)
            or legend.get_bbox_to_anchor() != ax.bbox or ax.yaxis_inverted()):
        return  # only a legend in the upper corners of its own panel, on an upward axis
    renderer = ax.figure.canvas.get_renderer()
    marked = [line for line in ax.lines if line.get_visible() and _drawn(line.get_marker())]

    def hides_a_point() -> bool:
        box, panel = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
        for line in marked:
            x, y = line.get_transform().transform(line.get_xydata()).T
            reach = line.get_markersize() * ax.figure.dpi / 72 / 2
            shown = (x >= panel.x0) & (x <= panel.x1) & (y >= panel.y0) & (y <= panel.y1)  # a point out of view is drawn nowhere
            if (shown & (x >= box.x0 - reach) & (x <= box.x1 + reach) & (y >= box.y0 - reach)).any():
                return True
        return False

    for _ in range(tries):
        if not hides_a_point():
            return
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + (high - low) * 0.1)


def phone_layout(fig, footer: str, credit: str) -> None:
    """Lay ``fig`` out again for a phone: PHONE_WIDTH wide, panels stacked one above the other, every text at least
    PHONE_MIN_POINTS, titles, subtitles and the footer wrapped to the width, each legend under its panel in one
    column, category names wrapped to fit PHONE_LEFT (the panel as tall as they need), x tick labels turned when
    they would run together, a line's end label that repeats its legend entry left to the legend; then the notes
    and labels placed (:func:`place_notes`)."""
    from matplotlib.text import Text
    from matplotlib.transforms import ScaledTranslation

    line = 1.3 / 72  # inches per point of text, with line spacing
    axes = [ax for ax in fig.axes if ax.get_visible()]
    width_before, height_before = fig.get_size_inches()
    fig.set_dpi(STYLE["savefig.dpi"])  # text is measured as it will be drawn (hinting differs between resolutions)
    for text in fig.findobj(Text):
        if 0 < text.get_fontsize() < PHONE_MIN_POINTS:
            text.set_fontsize(PHONE_MIN_POINTS)
    renderer = fig.canvas.get_renderer()
    left = 0.9
    for ax in axes:  # room on the left for the widest y tick label (wrapped to fit in PHONE_LEFT) and the y label
        ylabel_lines = len(wrap(ax.get_ylabel().replace("\n", " "), 34).splitlines())
        _wrap_tick_labels(ax, renderer, PHONE_LEFT - 0.1 - 0.19 * ylabel_lines - 0.08)
        widths = [tick.get_window_extent(renderer).width / fig.dpi for tick in ax.get_yticklabels() if tick.get_text()]
        left = max(left, min(PHONE_LEFT, (max(widths) if widths else 0) + 0.1 + 0.19 * ylabel_lines + 0.08))
    room = PHONE_WIDTH - left - PHONE_RIGHT  # inches of text across a panel
    heights = []  # (what, inches) from the top down
    for text in fig.texts:  # a headline above the panels, the what-if mark, the footer
        if text.get_label() == "_footer":
            text.set_text(wrap(footer, 62) + "\n" + wrap(credit, 62))
        elif text.get_text() and text.get_position()[1] > 0.5:
            text.set_text(wrap(text.get_text().replace("\n", " "), 34 if text.get_fontsize() >= 11 else 60))
            text.set_va("top")
            heights.append(("top", text, text.get_window_extent(renderer).height / fig.dpi + 0.08))  # measured
    footer_text = next((x for x in fig.texts if x.get_label() == "_footer"), None)
    for ax in axes:
        subtitle_lines = 0
        for text in ax.texts:  # a subtitle sits just above the axes, in axes coordinates
            if text.get_transform() == ax.transAxes and text.get_position()[1] >= 1:
                text.set_text(wrap(text.get_text().replace("\n", " "), int(room * 16)))
                subtitle_lines = max(subtitle_lines, len(text.get_text().splitlines()))
                # 3 points above the panel, however tall the panel (the title's pad is in points too)
                text.set_transform(ax.transAxes + ScaledTranslation(0, 3 / 72, fig.dpi_scale_trans))
                text.set_position((0, 1))
        header = (subtitle_lines * 8 + 16) * line  # a subtitle alone; a title's own height and pad, measured, below
        for loc in ("left", "center", "right"):
            if title := ax.get_title(loc=loc):
                pad = 6 + 11 * subtitle_lines  # points: the subtitle sits in it
                ax.set_title(wrap(title.replace("\n", " "), int(room * 9.4)), loc=loc, pad=pad)
                drawn = ax.title if loc == "center" else getattr(ax, f"_{loc}_title")
                gap = 0.12 if heights else 0  # under a headline or the panel above; at the top, 0.1 in under the edge
                header = max(header, drawn.get_window_extent(renderer).height / fig.dpi + pad / 72 + gap)
        ax.set_xlabel(wrap(ax.get_xlabel().replace("\n", " "), int(room * 13)))
        ax.set_ylabel(wrap(ax.get_ylabel().replace("\n", " "), 34))
        if ax.get_legend() is not None:
            _one_column_legend(ax)
            for entry in ax.get_legend().get_texts():
                entry.set_text(wrap(entry.get_text(), 50))
        ax.tick_params(axis="x", labelsize=8, labelrotation=0)
        ticks = _shown_x_ticks(ax)
        turned = _run_together(ticks, ax, room, renderer, PHONE_RIGHT)
        ax.tick_params(axis="x", labelrotation=45 if turned else 0)
        for _position, tick in ticks:  # a turned label ends at its tick, so the last never runs off the image
            tick.set(ha="right" if turned else "center", rotation_mode="anchor" if turned else "default")
        tall = max((tick.get_window_extent(renderer).height / fig.dpi for _position, tick in ticks), default=0.15)
        legend = ax.get_legend()
        legend_height = legend.get_window_extent(renderer).height / fig.dpi + 0.2 if legend is not None else 0  # measured
        below = 0.3 + max(0.15, tall) + 0.16 * len(ax.get_xlabel().splitlines())
        heights.append(("axes", ax, header, legend_height, below))
    panel = max(2.9, (height_before - 1.8) * 1.1) if height_before > width_before else 2.9  # a tall chart stays tall
    for ax in axes:  # and a panel of wrapped category names is as tall as two neighbours need
        lines = [len(tick.get_text().splitlines()) for tick in ax.get_yticklabels() if tick.get_text()]
        if len(lines) > 1 and max(lines) > 1:
            slot = max(a + b for a, b in zip(lines, lines[1:])) / 2 * ax.get_yticklabels()[0].get_fontsize() * 1.25 / 72
            panel = max(panel, len(lines) * (slot + 0.04) * 1.1)
    total = 0.1
    for item in heights:
        total += item[2] if item[0] == "top" else item[2] + panel + item[4] + item[3]
    foot = (len(footer_text.get_text().splitlines()) * 7.5 * line + 0.15) if footer_text is not None else 0.1
    total += foot
    fig.set_size_inches(PHONE_WIDTH, total)
    y = total - 0.1
    for item in heights:
        if item[0] == "top":
            item[1].set_position((0.02, y / total))
            item[1].set_va("top")
            y -= item[2]
            continue
        _, ax, header, legend_height, below = item
        y -= header
        ax.set_position([left / PHONE_WIDTH, (y - panel) / total, room / PHONE_WIDTH, panel / total])
        y -= panel + below
        legend = ax.get_legend()
        if legend is not None:
            legend.set_bbox_to_anchor((0.02, y / total), transform=fig.transFigure)
            legend._loc = 2  # upper left of the anchor
            y -= legend_height
    if footer_text is not None:
        footer_text.set_position((0.02, 0.04 / total))
    for ax in axes:  # a line's end label that only repeats its legend entry is left to the legend, under the panel
        legend = ax.get_legend()
        entries = [" ".join(entry.get_text().split()) for entry in legend.get_texts()] if legend is not None else []
        for text in ax.texts:
            if text.get_label() != END_LABEL:
                continue
            name = " ".join(text.get_text().split())
            shortened = name.endswith("…")  # a name cut short ends in an ellipsis: it names the start of an entry
            named = re.compile(rf"(?<!\w){re.escape(name.rstrip('…'))}" + ("" if shortened else r"(?!\w)"))
            if name.rstrip("…") and any(named.search(entry) for entry in entries):  # whole words: not "LA" in "LAUSD"
                text.set_visible(False)
    place_notes(fig)


def _shown_x_ticks(ax) -> list:
    """The x tick labels the panel shows, with their positions: (position, label)."""
    low, high = sorted(ax.get_xlim())
    return [(position, tick) for position, tick in zip(ax.get_xticks(), ax.get_xticklabels())
            if tick.get_text() and low <= position <= high]


def _run_together(ticks, ax, inches: float, renderer, margin: float, gap: float = 0.08) -> bool:
    """Whether x tick labels set level would run together on a panel ``inches`` wide, or the last run off the figure
    (``margin`` inches beyond the panel): two neighbours closer, centre to centre, than half their widths added and
    ``gap`` inches."""
    dpi, bottom = ax.figure.dpi, ax.get_ylim()[0]
    across = ax.transScale + ax.transLimits  # data -> share of the panel's width, on any scale, either way round
    placed = sorted((inches * across.transform((position, bottom))[0], tick.get_window_extent(renderer).width / dpi)
                    for position, tick in ticks)
    off_the_edge = bool(placed) and placed[-1][0] + placed[-1][1] / 2 > inches + margin
    return off_the_edge or any(b - a < (wa + wb) / 2 + gap for (a, wa), (b, wb) in zip(placed, placed[1:]))


NOTE_WRAPS = (30, 22, 16, 12)  # narrower wraps a note or label may take when it has no room at its own width
NOTE_GAP = 8  # points kept clear between a note and the legend or another text
NOTE = "_note"  # the label of a text that may be moved to where it covers nothing (mark_claim, mark_break)


def _fit_sideways(text, low: float, high: float, renderer) -> None:
    """A label that runs out of its panel (``low`` to ``high``, in pixels) wrapped narrower, and turned to fit on
    either side of its anchor: a label names the mark beside it, so it stays where it is. A line's end label is
    wrapped as narrow as it takes on its own side first (the other side is the line); any other label (a bar's
    value, say) keeps its width first and turns."""
    box = text.get_window_extent(renderer)
    anchor = text.get_transform().transform(text.get_position())[0]
    if (box.x0 >= low and box.x1 <= high) or not low <= anchor <= high:
        return  # it fits, or it was set outside the panel on purpose (a panel letter, a unit)
    drawn = (text.get_text(), text.get_ha(), getattr(text, "xyann", None))
    words = text.get_text().replace("\n", " ")
    offset = drawn[2] if getattr(text, "anncoords", None) == "offset points" else None
    sides = dict.fromkeys([text.get_ha(), "left", "right"])
    tries = (itertools.product(sides, NOTE_WRAPS) if text.get_label() == END_LABEL
             else ((ha, width) for width in NOTE_WRAPS for ha in sides))
    for ha, width in tries:
        text.set_text(wrap(words, width))
        text.set_ha(ha)
        if offset is not None:  # a label set off from its mark stays off it on the side it turns to
            text.xyann = (-abs(offset[0]) if ha == "right" else abs(offset[0]), offset[1])
        box = text.get_window_extent(renderer)
        if box.x0 >= low and box.x1 <= high:
            return
    text.set_text(drawn[0])  # nothing fits better: as it was drawn
    text.set_ha(drawn[1])
    if offset is not None:
        text.xyann = drawn[2]


def _raise_label(label, pixels: float, dpi: float, right: float = 0) -> None:
    """Move a label set off its mark in points (an end label) up by ``pixels`` (down when negative), and ``right``
    pixels to the right (left when negative)."""
    x, y = label.xyann
    label.xyann = (x + right * 72 / dpi, y + pixels * 72 / dpi)


def _keep_apart(labels, top: float, dpi: float, renderer, gap: float = 1.0, wrapped_gap: float = 3.0) -> None:
    """Direct labels that a narrower wrap made overlap, on the same side of their marks, moved apart until ``gap``
    points lie between each and the next, or ``wrapped_gap`` next to a label of several lines (more than the space
    between its own lines, so that each reads as one label): pushed up from the lowest, then, where that took the
    highest above ``top`` (pixels), down from the highest."""
    def space(a, b) -> float:
        return (wrapped_gap if "\n" in a.get_text() + b.get_text() else gap) * dpi / 72

    for side in ("left", "right"):
        row = sorted((t for t in labels if t.get_ha() == side), key=lambda t: t.get_window_extent(renderer).y0)
        for below, above in zip(row, row[1:]):
            overlap = below.get_window_extent(renderer).y1 + space(below, above) - above.get_window_extent(renderer).y0
            if overlap > 0:
                _raise_label(above, overlap, dpi)
        if row and row[-1].get_window_extent(renderer).y1 > top:
            _raise_label(row[-1], top - row[-1].get_window_extent(renderer).y1, dpi)
            for above, below in zip(row[::-1], row[-2::-1]):
                overlap = below.get_window_extent(renderer).y1 + space(below, above) - above.get_window_extent(renderer).y0
                if overlap > 0:
                    _raise_label(below, -overlap, dpi)


def _inside(start, end, box):
    """The part of the segment ``start``-``end`` (pixels) inside ``box`` as two points, or None (Liang-Barsky)."""
    if not (np.isfinite(start).all() and np.isfinite(end).all()):
        return None
    (x0, y0), (dx, dy) = start, np.subtract(end, start)
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box.x0), (dx, box.x1 - x0), (-dy, y0 - box.y0), (dy, box.y1 - y0)):
        if p == 0:
            if q < 0:
                return None
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    if low > high:
        return None
    return (x0 + low * dx, y0 + low * dy), (x0 + high * dx, y0 + high * dy)


def _occupied(fig, ax, renderer, others, home, margin: float = NOTE_GAP) -> np.ndarray:
    """Pixels (rows from the bottom) a note must not cover: every visible line of ``ax`` and its markers; its bars,
    except a band across the whole panel and the bar the note was drawn inside (at ``home``, a pixel); the legend;
    and the ``other`` texts as they now stand, with a margin of ``margin`` points."""
    height, width = int(fig.bbox.height) + 1, int(fig.bbox.width) + 1
    mask = np.zeros((height, width), dtype=bool)
    panel = ax.get_window_extent(renderer)

    def fill(x0, y0, x1, y1):
        if not np.isfinite([x0, y0, x1, y1]).all():
            return  # drawn nowhere (a NaN position): covers nothing
        x0, x1 = max(0, int(np.floor(x0))), min(width, int(np.ceil(x1)) + 1)
        y0, y1 = max(0, int(np.floor(y0))), min(height, int(np.ceil(y1)) + 1)
        if x0 < x1 and y0 < y1:
            mask[y0:y1, x0:x1] = True

    for line in ax.lines:
        if not line.get_visible():
            continue
        points = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        if _drawn(line.get_linestyle()) and len(points) > 1:
            reach = line.get_linewidth() * fig.dpi / 72 / 2 + 1
            for start, end in zip(points[:-1], points[1:]):  # a NaN breaks the line, as matplotlib draws it
                shown = _inside(start, end, panel)  # the part of the segment the panel shows (lines are clipped)
                if shown is None:
                    continue
                (x0, y0), (x1, y1) = shown
                steps = max(1, int(np.hypot(x1 - x0, y1 - y0) / 2))
                for x, y in zip(np.linspace(x0, x1, steps + 1), np.linspace(y0, y1, steps + 1)):
                    fill(x - reach, y - reach, x + reach, y + reach)
        if _drawn(line.get_marker()):
            reach = line.get_markersize() * fig.dpi / 72 / 2 + 1
            for x, y in points:
                if panel.x0 - reach <= x <= panel.x1 + reach and panel.y0 - reach <= y <= panel.y1 + reach:
                    fill(x - reach, y - reach, x + reach, y + reach)
    for patch in ax.patches:
        box = patch.get_window_extent(renderer)
        band = box.height >= panel.height - 1 or box.width >= panel.width - 1
        if patch.get_visible() and not band and not box.contains(*home):
            fill(box.x0, box.y0, box.x1, box.y1)
    gap = margin * fig.dpi / 72  # so that two notes never read as one
    boxes = [text.get_window_extent(renderer) for text in others]
    if ax.get_legend() is not None:
        boxes.append(ax.get_legend().get_window_extent(renderer))
    for box in boxes:
        fill(box.x0 - gap, box.y0 - gap, box.x1 + gap, box.y1 + gap)
    return mask


def place_notes(fig) -> None:
    """Fit every text of every panel: labels beside a mark are wrapped or turned to stay inside their panel
    (:func:`_fit_sideways`); notes (:data:`NOTE`) that cover a line, a bar, the legend or another text are moved to
    where they cover nothing (:func:`_place_note`). Call after the layout is final."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()  # limits, ticks and text placed as they will be drawn (nothing rasterized)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        panel = ax.get_window_extent(renderer)
        texts = [text for text in ax.texts if text.get_visible() and text.get_text()]
        for text in texts:  # a text may run into the margin on the right
            if text.get_label() != NOTE:
                _fit_sideways(text, panel.x0 - 2, fig.bbox.x1, renderer)
        labels = [text for text in texts  # end labels, set off their marks in points (what moves them)
                  if text.get_label() == END_LABEL and getattr(text, "anncoords", None) == "offset points"]
        _keep_apart(labels, panel.y1, fig.dpi, renderer)
        for text in labels:
            _off_the_lines(fig, ax, text, [other for other in texts if other is not text], renderer)
        bounds = (int(panel.x0) + 4, int(panel.x1) - 2, int(np.ceil(panel.y0)), int(panel.y1))  # inside, clear of the y axis
        for text in texts:
            if text.get_label() == NOTE:
                _place_note(fig, ax, text, [other for other in texts if other is not text], bounds, renderer)


def _off_the_lines(fig, ax, label, others, renderer, reach: float = 0.75) -> None:
    """A line's end label drawn across a line, a mark or another text (a point on a reference line, say) moved up or
    down by the least that clears it: at most ``reach`` of a line's height, so that it still sits beside its mark.
    Where nothing that near is clear (labels above and below), moved further from its mark, by up to three of its
    letters' heights, and up or down as before, keeping half a letter's height from any mark it moved past. Left
    where it is when nothing is clear."""
    box, panel = label.get_window_extent(renderer), ax.get_window_extent(renderer)
    if not np.isfinite(box.extents).all():
        return
    mask = _occupied(fig, ax, renderer, others, tuple(ax.transData.transform(label.xy)), margin=1)
    x0, x1 = max(0, int(box.x0)), min(mask.shape[1], int(np.ceil(box.x1)))
    y0, y1 = int(np.ceil(box.y0)), int(box.y1)  # the whole box, as tall as the letters reach, is kept clear
    size = label.get_fontsize() * fig.dpi / 72  # pixels
    gap = int(size / 2)  # a label moved past another mark keeps half a letter's height from it: it reads as its own

    def clear(dy: int, dx: int = 0) -> bool:  # covers nothing, and stays inside the panel (clear of its edges)
        low, high = y0 + dy, y1 + dy
        if not (panel.y0 + 1 <= low and high <= panel.y1 - 1):
            return False
        if not dx:
            return not mask[low:high, x0:x1].any()
        left, right = x0 + dx, x1 + dx  # moved sideways: inside the panel on the left, the figure on the right (as
        if left < panel.x0 + 1 or right > fig.bbox.x1 - 1:  # _fit_sideways lets a label run into the right margin)
            return False
        low_x, high_x = (left - gap, right) if dx > 0 else (left, right + gap)  # with the gap on the side it came from
        return not mask[low:high, max(0, low_x):min(mask.shape[1], high_x)].any()

    if x0 >= x1 or y0 >= y1 or clear(0):
        return
    most = int(reach * size * 1.2)
    vertical = [step * sign for step in range(1, most + 1) for sign in (1, -1)]
    away = 1 if label.get_ha() == "left" else -1  # a label right of its mark moves right, one left of it left
    moves = [(dy, 0) for dy in vertical] + [(dy, away * dx) for dx in range(1, int(3 * size) + 1) for dy in (0, *vertical)]
    for dy, dx in moves:
        if clear(dy, dx):
            _raise_label(label, dy, fig.dpi, right=dx)
            return


def _place_note(fig, ax, note, others, bounds: tuple[int, int, int, int], renderer) -> None:
    """Move ``note``, if it covers a line, a bar, the legend or one of the ``others`` texts (or runs out of its
    panel: ``bounds`` left, right, bottom, top in pixels), to the nearest place where it covers nothing: at its own
    width or wrapped narrower (each line more counts as moving five lines' height), left- or right-aligned, sideways
    anywhere in the panel but up or down by a line at most, since its height on a value axis reads as a value; where
    there is no such place, to the one that covers least. Found on a summed-area table of the covered pixels, so
    every place is tried at once."""
    from matplotlib.transforms import Affine2D

    left, right, bottom, top = bounds
    inset = 2  # pixels: a text's box has blank room above and below its letters, and a note may rest on its line
    drawn = note.get_window_extent(renderer)
    if not np.isfinite(drawn.extents).all():
        return  # at a NaN position matplotlib draws it nowhere
    centre = ((drawn.x0 + drawn.x1) / 2, (drawn.y0 + drawn.y1) / 2)
    mask = _occupied(fig, ax, renderer, others, centre)
    x0, y0 = int(drawn.x0), int(np.ceil(drawn.y0)) + inset
    x1, y1 = int(np.ceil(drawn.x1)), max(y0, int(drawn.y1) - inset)
    if left <= x0 and x1 <= right and bottom <= y0 - inset and y1 + inset <= top and not mask[y0:y1, x0:x1].any():
        return  # covers nothing where it was drawn
    covered = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int64)
    covered[1:, 1:] = mask.cumsum(axis=0).cumsum(axis=1)  # pixels covered below and left of each pixel
    words, ha = note.get_text(), note.get_ha()
    line = note.get_fontsize() * fig.dpi / 72 * 1.2  # pixels
    best = None  # (pixels covered, distance moved, text, alignment, shift in pixels)
    for text in dict.fromkeys([words, *(wrap(words.replace("\n", " "), width) for width in NOTE_WRAPS)]):
        for align in dict.fromkeys([ha, "left", "right"]):
            note.set_text(text)
            note.set_ha(align)
            box = note.get_window_extent(renderer)
            w, h = int(np.ceil(box.width)) + 1, max(1, int(box.height) - 2 * inset)
            xs = np.arange(max(left, 0), min(right, covered.shape[1] - 1) - w + 1)
            ys = np.arange(max(bottom, 0) + inset, min(top, covered.shape[0] - 1) - h - inset + 1)
            ys = ys[(ys <= centre[1] + line) & (ys + h >= centre[1] - line)]  # still spans its own height
            if not len(xs) or not len(ys):
                continue  # too wide or too tall for the panel
            y, x = np.ix_(ys, xs)
            count = covered[y + h, x + w] - covered[y, x + w] - covered[y + h, x] + covered[y, x]
            added = text.count("\n") - words.count("\n")  # a line more costs as much as moving a line's height five times
            moved = np.hypot(x + w / 2 - centre[0], 3 * (y + h / 2 - centre[1])) + 5 * line * max(added, 0)
            spots = np.where(count == count.min(), moved, np.inf)
            row, column = np.unravel_index(np.argmin(spots), spots.shape)
            shift = (xs[column] - box.x0, ys[row] - inset - box.y0)
            candidate = (int(count.min()), float(spots[row, column]), text, align, shift)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
    note.set_text(words)
    note.set_ha(ha)
    if best is not None:
        _, _, text, align, shift = best
        note.set_text(text)
        note.set_ha(align)
        transform = note.get_transform()  # the shift is in pixels; the note's position in its own coordinates
        moved = (transform + Affine2D().translate(*shift)).transform(note.get_position())
        note.set_position(transform.inverted().transform(moved))


PHONE_RIGHT = 0.12  # inches between a panel and the phone image's right edge
PHONE_LEFT = 1.7  # inches at most for the y tick labels and y label on a phone: longer category names are wrapped


WIDTH_ONLY = "_wrapped to width"  # the label of y tick labels whose line breaks only fit the desktop's margin


def category_ticks(ax, names, width: int, **text_kw) -> None:
    """Y tick labels naming the bars from 0 down, each wrapped at ``width`` characters. On a phone they are wrapped
    again from the whole name: their breaks only fitted the desktop's margin (tick labels set otherwise keep theirs)."""
    ax.set_yticks(range(len(names)), [wrap(str(name), width) for name in names], **text_kw)
    for text in ax.get_yticklabels():
        text.set_label(WIDTH_ONLY)


def _wrap_tick_labels(ax, renderer, inches: float) -> None:
    """Y tick labels (category names) wider than ``inches`` wrapped onto more lines, all at one width in characters.
    A label's own line breaks (a name, then what was counted under it) are kept unless that takes more than one line
    beyond wrapping it whole (breaks that only filled a wider margin); those of :func:`category_ticks` never are."""
    ticks = [tick for tick in ax.get_yticklabels() if tick.get_text()]
    widths = [tick.get_window_extent(renderer).width / ax.figure.dpi for tick in ticks]
    if not ticks or max(widths) <= inches:
        return
    widest = max(ticks[widths.index(max(widths))].get_text().splitlines(), key=len)  # its longest line
    chars = max(8, int(len(widest) * inches / max(widths)))
    def wrapped(tick) -> str:
        text = tick.get_text()
        whole = wrap(text.replace("\n", " "), chars) or text
        if tick.get_label() == WIDTH_ONLY:
            return whole
        kept = "\n".join(wrap(line, chars) or line for line in text.splitlines())
        return kept if kept.count("\n") <= whole.count("\n") + 1 else whole

    ax.set_yticks(ax.get_yticks(), labels=[wrapped(tick) for tick in ax.get_yticklabels()])


def _one_column_legend(ax) -> None:
    """A legend of several columns drawn again in one (a column's width is all a phone has); its entries, their
    size and frame kept. (A legend's columns are fixed when it is drawn: ``set_ncols`` alone does not redo them.)"""
    legend = ax.get_legend()
    if legend._ncols == 1:
        return
    texts = legend.get_texts()
    ax.legend(handles=legend.legend_handles, labels=[t.get_text() for t in texts], ncols=1, frameon=legend.get_frame_on(),
              fontsize=texts[0].get_fontsize() if texts else None, title=legend.get_title().get_text() or None)


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters (chart titles, subtitles and footers)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


# -- a chart in a notebook -------------------------------------------------------------------------------
CHART_LINKS = "../report/charts"  # the exported files as a notebook in notebooks/ links them


def cite_line(files: ChartFiles, base: str = CHART_LINKS) -> str:
    """'Cite this chart: [PNG](…) · [SVG](…) · [CSV](…) · [alt text](…)', relative links to the exported files
    under ``base`` by their names, wherever they were written (SCHOOLCLAIMS_CHARTS_DIR). A what-if chart is not
    published: the line says where its files are instead."""
    if files.whatif:
        return (f"What-if chart ({markdown_text(files.whatif)}), not published: its files are in "
                f"`{paths.relative(files.png.parent)}/`.")
    links = [("PNG", files.png), ("SVG", files.svg), ("CSV", files.csv), ("alt text", files.alt)]
    return "Cite this chart: " + " · ".join(f"[{text}]({base}/{path.name})" for text, path in links)


def markdown_text(text: str) -> str:
    """Plain text safe inside Markdown: characters Markdown would read as formatting (or '$' as maths) escaped,
    '<' and '>' as entities; `code spans` the text already marks are kept as they are."""
    import re

    def escape(part: str) -> str:
        part = "".join("\\" + c if c in "\\*_[]#|$" else c for c in part)
        return part.replace("<", "&lt;").replace(">", "&gt;")

    parts = re.split(r"(`[^`]+`)", str(text))
    return "".join(part if i % 2 else escape(part) for i, part in enumerate(parts))


def _png_width(data: bytes) -> int:
    return int.from_bytes(data[16:20], "big")  # the IHDR chunk follows the 8-byte signature and its header


def image_bundle(files: ChartFiles) -> dict:
    """The exported PNG as a notebook output: the PNG itself, an <img> with the alt text (what HTML pages and
    JupyterLab render) and the alt text as plain text. Display size is the figure's size at 100 dpi."""
    import base64
    import html

    data = files.png.read_bytes()
    encoded = base64.b64encode(data).decode("ascii")
    alt = files.alt.read_text(encoding="utf-8").strip()
    width = round(_png_width(data) * 100 / STYLE["savefig.dpi"]) if data[:8] == b"\x89PNG\r\n\x1a\n" else None
    size = f' width="{width}"' if width else ""
    img = (f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}"{size} '
           f'style="max-width:100%;height:auto">')
    if files.phone is not None and files.phone.is_file() and not files.whatif:  # on a phone, the phone layout
        img = (f'<picture><source media="(max-width: 40rem)" srcset="{CHART_LINKS}/{files.phone.name}">{img}</picture>')
    return {"image/png": encoded, "text/html": img, "text/plain": alt}


def caption_bundle(files: ChartFiles, base: str = CHART_LINKS) -> dict:
    """The cite line (with the one-line citation, for a published chart) and, on the next line, the chart's source
    line, as Markdown."""
    cite = cite_line(files, base)
    if files.citation and not files.whatif:
        cite += " — " + markdown_text(files.citation)
    text = cite + ("\n\n" + markdown_text(files.source) if files.source else "")
    plain = cite_line(files, base) + (" — " + files.citation if files.citation and not files.whatif else "") + (
        "\n" + files.source if files.source else "")
    return {"text/markdown": text, "text/plain": plain}


def show(files: ChartFiles, base: str = CHART_LINKS) -> None:
    """Show an exported chart in a notebook: the PNG with its alt text, then the cite line and source line."""
    from IPython.display import display

    display(image_bundle(files), raw=True)
    display(caption_bundle(files, base), raw=True)


def kind_runs(years, kinds) -> list[tuple[str, str, str]]:
    """Runs of one kind of evidence over consecutive school years: ``[(kind, first year, last year), ...]``;
    a change of kind or a missing year starts a new run."""
    runs: list[list] = []
    for year, kind in sorted(zip(years, kinds)):
        if runs and runs[-1][0] == kind and year_end(year) - year_end(runs[-1][2]) == 1:
            runs[-1][2] = year
        else:
            runs.append([kind, year, year])
    return [tuple(run) for run in runs]


def describe_runs(runs) -> str:
    """'official 1998-99 to 2021-22; second-hand 2022-23 to 2024-25' (runs of one kind listed together)."""
    text = {OFFICIAL: "official", SECOND_HAND: "second-hand"}
    parts: list[list] = []
    for kind, first, last in runs:
        span = first if first == last else f"{first} to {last}"
        if parts and parts[-1][0] == kind:
            parts[-1][1].append(span)
        else:
            parts.append([kind, [span]])
    return "; ".join(f"{text[kind]} {', '.join(spans)}" for kind, spans in parts)

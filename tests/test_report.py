"""Charts and notebook outputs on small frames written here: entity colours, official vs second-hand styling, gaps,
the CalSTRS series break, the layoffs and salary charts, the cite line and the rated-claim outputs."""

from __future__ import annotations

import base64

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from schoolclaims.entities import ALLIANCE, CALIFORNIA, CALIFORNIA_STATEWIDE, LAUSD
from schoolclaims.report import style


def per_pupil_rows(years, values, sources, confidences, measure="cde_current_expense_per_ada"):
    return pd.DataFrame({
        "entity": LAUSD.name, "dollars": "nominal", "measure_id": measure, "school_year": years, "vintage": "v",
        "value": values, "source_id": sources, "confidence": confidences,
    })


def lines_labelled(ax, label):
    return [line for line in ax.lines if line.get_label() == label]


# -- entity colours and kinds of evidence ------------------------------------------------------------------
def test_each_entity_has_one_colour_whatever_its_spelling():
    assert len(set(style.ENTITY_COLORS.values())) == 3 and style.OTHER_COLOR not in style.ENTITY_COLORS.values()
    for name in (LAUSD.name, "LOS ANGELES UNIFIED", "LAUSD non-charter, same campus type"):
        assert style.entity_color(name) == style.ENTITY_COLORS[LAUSD.name], name
    for name in (ALLIANCE.name, "Alliance", "Alliance Judy Ivie Burton Technology Academy High"):
        assert style.entity_color(name) == style.ENTITY_COLORS[ALLIANCE.name], name
    for name in (CALIFORNIA.name, "CA", CALIFORNIA_STATEWIDE):
        assert style.entity_color(name) == style.ENTITY_COLORS[CALIFORNIA.name], name
    assert style.entity_color("Texas") == style.OTHER_COLOR
    assert style.highlight_colors(["Texas", CALIFORNIA.name], CALIFORNIA.name) == [style.OTHER_COLOR,
                                                                                    style.ENTITY_COLORS[CALIFORNIA.name]]


@pytest.mark.parametrize("row, official", [
    (dict(source_id="cde_current_expense", confidence="official file", source_grade="publisher's file"), True),
    (dict(source_id="census_f33_districts", confidence="third-party subset of the Census F-33 district file",
          source_grade="third-party compilation"), False),  # a copy of the publisher's file, whatever its source id
    (dict(source_id="ledgers/lausd_layoffs.csv", confidence="second-hand quote", source_grade=""), False),
    (dict(source_id="ledgers/x.csv", confidence="official page", source_url="https://www.cde.ca.gov/x", source_grade=""), True),
    (dict(source_id="lausd_salary", confidence="official file", source_grade=""), True),
])
def test_a_row_is_drawn_as_the_publishers_own_figure_by_its_source_grade(row, official):
    kinds = style.evidence_kinds(pd.DataFrame([row]))
    assert (kinds.iloc[0] == style.OFFICIAL) is official


def test_a_table_of_publishers_files_alone_is_drawn_as_official():
    assert list(style.evidence_kinds(pd.DataFrame({"source_id": ["bea_sagdp1+bea_sainc1"]}))) == [style.OFFICIAL]


def test_one_figure_per_year_the_publishers_file_beats_a_copy_even_when_it_arrives_later():
    """A copy stood in for 2019-20; the official file for that year, archived later, replaces it (worked by hand)."""
    from schoolclaims.transform.grades import preferred
    rows = pd.DataFrame([
        dict(measure_id="m", school_year="2019-20", value=100.0, confidence="second-hand (third-party copy)", published="2021-03"),
        dict(measure_id="m", school_year="2019-20", value=101.0, confidence="official file", published="2021-01"),
        dict(measure_id="m", school_year="2020-21", value=110.0, confidence="second-hand quote", published="2022-01"),
        dict(measure_id="m", school_year="2020-21", value=111.0, confidence="second-hand quote", published="2023-01"),
    ])
    chosen = preferred(rows, ["measure_id", "school_year"])
    assert list(chosen["value"]) == [101.0, 111.0]  # the file; then, among copies, the latest publication


def test_runs_of_one_kind_break_at_a_change_of_kind_and_at_a_missing_year():
    years = ["2019-20", "2020-21", "2021-22", "2022-23", "2024-25"]
    kinds = [style.OFFICIAL, style.OFFICIAL, style.OFFICIAL, style.SECOND_HAND, style.SECOND_HAND]
    runs = style.kind_runs(years, kinds)
    assert runs == [(style.OFFICIAL, "2019-20", "2021-22"), (style.SECOND_HAND, "2022-23", "2022-23"),
                    (style.SECOND_HAND, "2024-25", "2024-25")]
    assert style.describe_runs(runs) == "official 2019-20 to 2021-22; second-hand 2022-23, 2024-25"


# -- a true year axis: kinds, gaps -------------------------------------------------------------------------
def test_official_and_second_hand_points_and_segments_are_drawn_differently():
    fig, ax = style.new_chart()
    style.year_line(ax, [2020, 2021, 2022, 2023], [1, 2, 3, 4],
                    [style.OFFICIAL, style.OFFICIAL, style.SECOND_HAND, style.SECOND_HAND], "#123456")
    official, = lines_labelled(ax, "_official points")
    second, = lines_labelled(ax, "_second-hand points")
    assert list(official.get_xdata()) == [2020, 2021] and list(second.get_xdata()) == [2022, 2023]
    assert official.get_markerfacecolor() == "#123456" and second.get_markerfacecolor() == "white"
    assert official.get_markeredgecolor() == second.get_markeredgecolor() == "#123456"
    solid = [tuple(line.get_xdata()) for line in lines_labelled(ax, "_official segment")]
    dashed = [tuple(line.get_xdata()) for line in lines_labelled(ax, "_second-hand segment")]
    assert solid == [(2020, 2021)]  # a segment is solid only when both ends are official
    assert dashed == [(2021, 2022), (2022, 2023)]
    assert all(line.get_linestyle() == "-" for line in lines_labelled(ax, "_official segment"))
    assert all(line.get_linestyle() == "--" for line in lines_labelled(ax, "_second-hand segment"))
    plt.close(fig)


def test_a_missing_year_leaves_a_gap():
    fig, ax = style.new_chart()
    style.year_line(ax, [2011, 2012, 2014, 2015], [1, 2, 4, 5], [style.OFFICIAL] * 4, "#123456")
    spans = sorted(tuple(line.get_xdata()) for line in ax.lines if line.get_label().endswith("segment"))
    assert spans == [(2011, 2012), (2014, 2015)]  # nothing drawn across 2013
    plt.close(fig)


def test_per_pupil_chart_styles_the_third_party_years_and_marks_the_calstrs_break():
    from schoolclaims.report import funding

    rows = per_pupil_rows(["2012-13", "2013-14", "2014-15", "2015-16", "2017-18"], [100.0, 110, 120, 130, 150],
                          ["cde_current_expense"] * 4 + ["ledgers/current_expense_recent_secondhand.csv"],
                          ["official file"] * 4 + ["second-hand (third-party cleaned CSV of CDE file)"])
    fig, data = funding.per_pupil_chart(rows, "nominal", 140, ["2016-17"])
    ax = fig.axes[0]
    breaks = lines_labelled(ax, "_series break")
    assert len(breaks) == 1 and list(breaks[0].get_xdata()) == [2014.5, 2014.5]  # between 2013-14 and 2014-15
    assert any("CalSTRS" in text.get_text() for text in ax.texts)
    assert list(lines_labelled(ax, "_second-hand points")[0].get_xdata()) == [2018]
    segments = sorted(tuple(line.get_xdata()) for line in ax.lines if line.get_label().endswith("segment"))
    assert segments == [(2013, 2014), (2014, 2015), (2015, 2016)]  # 2016-17 is missing: no line to 2017-18
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("official 2012-13 to 2015-16; second-hand 2017-18" in t for t in legend)
    assert any(t.startswith("second-hand") for t in legend) and any(t.startswith("official file") for t in legend)
    assert "1998" not in ax.get_title(loc="left") and "2012-13 to 2017-18" in ax.get_title(loc="left")
    alt = funding.per_pupil_alt(data, "nominal", 140)
    assert "first at or above $140 in 2017-18" in alt and "second-hand 2017-18" in alt and "CalSTRS" in alt
    plt.close(fig)

    # the target (140) and its band cover the target year 2016-17 (x 2017) a quarter year either side, not the half
    # year to the next year's point: a line rising to a later year's figure then crosses the target's height after
    # the band, and does not read as the target met in its year
    claim_line, = lines_labelled(ax, "_claim line")
    band = next(p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx((0xf4 / 255, 0xd0 / 255, 0x3f / 255)))
    assert list(claim_line.get_xdata()) == [2016.75, 2017.25] == [band.get_x(), band.get_x() + band.get_width()]

    later = per_pupil_rows(["2015-16", "2016-17"], [1.0, 2.0], ["cde_current_expense"] * 2, ["official file"] * 2)
    fig, data = funding.per_pupil_chart(later, "nominal", 140, ["2016-17"])
    assert lines_labelled(fig.axes[0], "_series break") == []  # no break inside the years shown
    assert "CalSTRS" not in funding.per_pupil_alt(data, "nominal", 140)
    plt.close(fig)


def test_ranking_chart_fills_official_ranks_and_leaves_quoted_ones_hollow():
    from schoolclaims.report import funding

    ranks = pd.DataFrame({
        "publisher": ["Census", "NEA"], "state": CALIFORNIA.name, "data_year": ["2015-16", "2011-12"],
        "reported_year": [2018, 2013], "rank": [23, 40], "source_id": ["census_f33", "ledgers/funding_state_ranks.csv"],
        "confidence": ["official file", "second-hand quote"],
    })
    fig, data = funding.ranking_chart(ranks, CALIFORNIA.name, 46)
    ax = fig.axes[0]
    official, = lines_labelled(ax, "_official points")
    second, = lines_labelled(ax, "_second-hand points")
    colors = style.series_colors(["Census", "NEA"])  # publishers told apart by colour, and named beside their points
    assert official.get_markerfacecolor() == colors["Census"] != colors["NEA"] == second.get_markeredgecolor()
    assert second.get_markerfacecolor() == "white"
    assert {(t.get_text(), t.get_color()) for t in ax.texts} >= {("Census", colors["Census"]), ("NEA", colors["NEA"])}
    alt = funding.ranking_alt(data, 46)
    assert "Census: 23 (1 rank, official file)" in alt and "NEA: 40 (1 rank, second-hand)" in alt
    assert alt.endswith(". No ranking puts it exactly 46.")  # it said "Ranked exactly 46: ." with none to list
    assert funding.ranking_alt(data, 40).endswith(". Ranked exactly 40: NEA (2011-12).")
    plt.close(fig)
    # a rank on the publisher's own page (not its file) is first-hand, and the chart and alt text say so, not "official file"
    page = ranks.assign(confidence=["official page", "second-hand quote"], source_url=["https://www.census.gov/x", ""])
    fig, data = funding.ranking_chart(page, CALIFORNIA.name, 46)
    alt = funding.ranking_alt(data, 46)
    assert "Census: 23 (1 rank, first-hand)" in alt and "ranks from the publishers' own files or pages" in alt
    assert any(t.get_text().startswith("first-hand sources: Census") for t in fig.axes[0].texts)  # the subtitle
    plt.close(fig)


def test_publishers_giving_one_rank_for_one_year_stand_side_by_side_never_halfway_to_the_next_year():
    from schoolclaims.report import funding

    years = pd.Series([2015, 2015, 2015, 2016, 2015, 2015, 2018, 2018])
    ranks = pd.Series([29, 29, 29, 29, 30, 29, 40, 40])
    publishers = pd.Series(["B", "A", "C", "A", "A", "A", "A", "B"])  # the sixth: A's copy of its own 29th for 2015
    # (2015, 29): A, B, C; half a year apart would put A and C halfway to the next years, so 0.4 apart: -0.4, 0, 0.4.
    # (2018, 40): A and B half a year apart: -0.25, 0.25. Alone elsewhere: 0 (worked by hand)
    assert funding.side_by_side(years, ranks, publishers).round(6).tolist() == [0.0, -0.4, 0.4, 0.0, 0.0, -0.4, -0.25, 0.25]


@pytest.mark.parametrize("conclusion, title", [
    ("In 2019-20, none of the 3 figures reached $20,000; the highest was $17,486.", "Not met. In 2019-20, none of the 3 figures reached $20,000"),
    ("It ranks California 46th (a rank derived from a list; see the caveats), as claimed. Others differ.",
     "Not met. It ranks California 46th (a rank derived from a list; see the caveats), as claimed"),
    ("Census counts 24 schools (U.S. Census Bureau). The rest.", "Not met. Census counts 24 schools (U.S. Census Bureau)"),
    ("No sentence end at all", "Not met. No sentence end at all")])
def test_a_findings_title_is_the_rating_and_the_first_clause_never_cut_inside_brackets(conclusion, title):
    from types import SimpleNamespace

    assert style.finding(SimpleNamespace(rating="not met", conclusion=conclusion)) == title


def test_a_gdp_chart_is_titled_by_the_finding_only_for_a_year_that_decides_it():
    """Synthetic: a rating decided on 2016 that shows 2017 as later data; the 2017 bars (BEA's 2020-04 files) rank
    California 5th. The 2016 chart takes the finding; the 2017 chart says what it shows, and that it does not decide."""
    from types import SimpleNamespace

    from schoolclaims.report import funding

    evidence = pd.DataFrame({"item": ["GDP per person (BEA)", "GDP per person (BEA) (a later vintage only: later data, not deciding)"],
                             "year": ["2016", "2017"], "matches": [False, ""]})
    result = SimpleNamespace(rating="mostly false", conclusion="In 2016, California ranked 7th in GDP per person.", evidence=evidence)
    bars = pd.DataFrame({"state": ["New York", CALIFORNIA.name], "gdp_per_capita_rank": [1.0, 5.0], "vintage": "2020-04"})
    assert funding.gdp_chart_title(result, bars, 2016) == "Mostly false. In 2016, California ranked 7th in GDP per person"
    assert funding.gdp_chart_title(result, bars, 2017) == (
        "Later data, not deciding: in 2017, as BEA's files stood in 2020-04, California ranked 5th in GDP per person")
    assert funding.gdp_chart_title(result, bars.iloc[0:0], 2017) == "Later data, not deciding: no BEA figures for 2017 are archived"
    others = bars.assign(state=["New York", "Alaska"])  # a year the rating leaves out, California not among the bars
    assert funding.gdp_chart_title(result, others, 2018) == (
        "Not part of the rating: in 2018, as BEA's files stood in 2020-04, California was not among the 2 highest in GDP "
        "per person")


def test_the_ranking_chart_is_drawn_for_each_claimed_rank_claim_listing_it_with_its_own_rank_and_rating(monkeypatch):
    """Synthetic rated claims: the primary, another claimed-rank claim whose file lists the chart, a claim of another
    method listing it (no drawing: it has no claimed rank) and one that does not list it. What is exported is recorded
    rather than written (drawing and saving are tested above and by the notebooks)."""
    from types import SimpleNamespace as Fake

    from schoolclaims.report import funding

    ranks = pd.DataFrame({
        "publisher": ["Census", "NEA"], "state": CALIFORNIA.name, "data_year": ["2015-16", "2011-12"],
        "reported_year": [2018, 2013], "rank": [44, 46], "source_id": ["census_f33", "ledgers/funding_state_ranks.csv"],
        "confidence": ["official file", "second-hand quote"],
    })

    def rated(rating, claimed, method="claimed_rank", charts=("california_spending_rank",)):
        claim = Fake(charts=list(charts), evaluation=Fake(method=method, params={"entity": CALIFORNIA.name, "claimed": claimed}))
        return Fake(claim=claim, rating=rating, conclusion=f"Synthetic: ranked {claimed}th. More.")

    exported = []
    monkeypatch.setattr(funding, "export", lambda fig, name, data, alt_text, **kw: exported.append(
        (name, kw["title"], kw["page"], [line.get_ydata()[0] for line in fig.axes[0].lines if line.get_linestyle() == "--"],
         alt_text)) or name)
    results = {"a": rated("half true", 46), "b": rated("false", 44), "c": rated("true", 1, method="network_size"),
               "d": rated("true", 2, charts=())}
    assert funding.export_ranking_charts(ranks, results, "a") == "california_spending_rank"  # the primary's files
    assert [(name, title, page, dashed) for name, title, page, dashed, _alt in exported] == [
        ("california_spending_rank", "Half true. Synthetic: ranked 46th", "funding.html", [46]),
        ("california_spending_rank--b", "False. Synthetic: ranked 44th", "claims/b.html", [44])]
    assert "dashed line at 44" in exported[1][4]


# -- notes placed clear of what is drawn ---------------------------------------------------------------------
def line_pixels(ax):
    """Every plotted line of ``ax`` in display pixels, sampled every half pixel (worked out here, not by the code
    under test)."""
    points = []
    for line in ax.lines:
        xy = line.get_transform().transform(line.get_xydata())
        for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:]):
            steps = int(max(abs(x1 - x0), abs(y1 - y0)) * 2) + 1
            points += [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps + 1)]
    return points


def crossed(fig, text, inset: float = 2):
    """Line pixels inside the text's box (its top and bottom ``inset`` px of blank room left out) and whether the box
    stays inside its panel."""
    renderer = fig.canvas.get_renderer()
    box, panel = text.get_window_extent(renderer), text.axes.get_window_extent(renderer)
    hits = [(x, y) for x, y in line_pixels(text.axes) if box.x0 <= x <= box.x1 and box.y0 + inset <= y <= box.y1 - inset]
    return hits, panel.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and panel.y0 <= box.y0 and box.y1 <= panel.y1


def test_a_note_across_a_line_moves_to_where_it_crosses_nothing_at_about_the_same_height():
    fig, ax = style.new_chart(figsize=(4, 3))
    ax.plot([0, 10], [0, 10], color="k")  # a diagonal: the note at its middle crosses it
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    style.mark_claim(ax, 5, 5, 5, "claimed: five", ha="center", va="center")
    note = ax.texts[-1]
    fig.canvas.draw()
    assert crossed(fig, note)[0]  # the test's premise: it crosses the line where drawn
    height = note.get_window_extent(fig.canvas.get_renderer()).height
    style.place_notes(fig)
    hits, inside = crossed(fig, note)
    assert hits == [] and inside
    box = note.get_window_extent(fig.canvas.get_renderer())
    y_line = ax.transData.transform((5, 5))[1]
    # still spans its own height, give or take a line (7 pt at 100 dpi is about 12 px): a note's height reads as a value
    assert box.y0 - 12 <= y_line <= box.y1 + 12 and note.get_text().replace("\n", " ") == "claimed: five"
    assert box.height <= height + 1  # it fitted beside the line without wrapping
    plt.close(fig)


def test_a_note_clear_of_everything_stays_and_a_label_beside_a_mark_is_never_moved():
    fig, ax = style.new_chart(figsize=(4, 3))
    ax.plot([0, 10], [0, 1], color="k")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    style.mark_claim(ax, 8, 1, 8.5, "claimed: eight")  # above its own line, far above the other
    ax.text(5, 0.5, "a label on its line")  # a direct label: not a note
    fig.canvas.draw()
    before = [(t.get_position(), t.get_text(), t.get_ha()) for t in ax.texts]
    style.place_notes(fig)
    assert [(t.get_position(), t.get_text(), t.get_ha()) for t in ax.texts] == before
    plt.close(fig)


def test_an_end_label_across_a_reference_line_steps_just_off_it_and_one_clear_of_lines_stays():
    fig, ax = style.new_chart(figsize=(6, 3))
    ax.set_xlim(2000, 2025)
    ax.set_ylim(52, 0)  # a rank axis, running downward, as on the spending-rank chart
    ax.axhline(46, color="k", linestyle="--", linewidth=1)  # the claimed rank
    ax.plot([2017], [46], marker="*", color="k", linestyle="none")  # a point on the claim line
    ax.plot([2010], [20], marker="o", color="k", linestyle="none")  # one far from it
    style.end_labels(ax, [(2017, 46, "unnamed study", "k"), (2010, 20, "a ranking", "k")], min_gap=0)
    on_line, clear = sorted(ax.texts, key=lambda text: text.get_text() != "unnamed study")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert crossed(fig, on_line)[0]  # the test's premise: drawn across the dashed line
    before = clear.get_window_extent(renderer)
    style.place_notes(fig)
    hits, inside = crossed(fig, on_line, inset=0)  # the whole box: the tops of 'd' and 't' reach its top
    assert hits == [] and inside
    box, mark = on_line.get_window_extent(renderer), ax.transData.transform((2017, 46))
    line = 7 * fig.dpi / 72 * 1.2  # a 7-pt label's line height in pixels
    assert box.y0 - line <= mark[1] <= box.y1 + line  # still beside its mark: moved by less than a line
    assert box.x0 > mark[0] and on_line.get_text() == "unnamed study"  # to its right, as drawn, not wrapped
    assert clear.get_window_extent(renderer).bounds == before.bounds  # a label that crosses nothing is not moved
    plt.close(fig)


def test_an_end_label_on_a_mark_with_labels_just_above_and_below_moves_further_from_its_mark_not_over_them():
    fig, ax = style.new_chart(figsize=(6, 3))
    ax.set_xlim(2000, 2025)
    ax.set_ylim(52, 0)
    ax.plot([2017], [39], marker="s", markersize=7, color="k", linestyle="none")  # another series' mark, in the way
    style.end_labels(ax, [(2016, 36.6, "an upper label", "k"), (2016, 39, "National Education…", "k"),
                          (2016, 41.4, "a lower label", "k")], min_gap=0)
    label = next(text for text in ax.texts if text.get_text() == "National Education…")
    others = [text for text in ax.texts if text is not label]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    mark = ax.transData.transform((2017, 39))
    start = label.get_window_extent(renderer)
    assert start.x0 < mark[0] < start.x1 and start.y0 < mark[1] < start.y1  # the premise: drawn over the mark
    style.place_notes(fig)
    box = label.get_window_extent(renderer)
    reach = 3.5 * fig.dpi / 72 + 1  # the square's half width, in pixels
    gap = 7 * fig.dpi / 72 / 2 - 1  # half a letter's height, whole pixels
    assert box.x0 > mark[0] + reach + gap  # past the mark, with room between: it does not read as that mark's label
    assert not any(box.overlaps(other.get_window_extent(renderer)) for other in others)
    own = ax.transData.transform((2016, 39))
    line = 7 * fig.dpi / 72 * 1.2
    assert box.y0 - line <= own[1] <= box.y1 + line and own[0] < box.x0 <= own[0] + 3 * line  # beside its own mark
    assert crossed(fig, label)[1]
    plt.close(fig)


def test_an_end_label_running_into_the_right_margin_still_steps_off_a_line():
    fig, ax = style.new_chart(figsize=(6, 3))
    ax.set_xlim(2000, 2025)
    ax.set_ylim(52, 0)
    ax.axhline(26, color="k", linestyle="--", linewidth=1)
    ax.plot([2024], [26], marker="*", color="k", linestyle="none")
    style.end_labels(ax, [(2024, 26, "a study", "k")], min_gap=0)  # short: past the panel, not past the figure
    label = ax.texts[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert crossed(fig, label)[0] and label.get_window_extent(renderer).x1 > ax.get_window_extent(renderer).x1  # premise
    style.place_notes(fig)
    assert crossed(fig, label)[0] == [] and label.get_text() == "a study"
    plt.close(fig)


def test_an_end_label_on_a_line_near_the_panels_edge_steps_off_it_inwards_and_a_plain_text_is_left_alone():
    fig, ax = style.new_chart(figsize=(6, 3))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axhline(0.25, color="k", linewidth=1)  # a line just above the bottom edge: below it there is no room
    style.end_labels(ax, [(5, 0.25, "on the line", "k")])
    ax.text(2, 0.25, "a plain text", label=style.END_LABEL)  # not an annotation: nothing to move it by
    label = next(text for text in ax.texts if text.get_text() == "on the line")
    fig.canvas.draw()
    assert crossed(fig, label)[0]  # the test's premise
    style.place_notes(fig)
    hits, inside = crossed(fig, label)
    assert hits == [] and inside
    renderer = fig.canvas.get_renderer()
    assert label.get_window_extent(renderer).y0 > ax.transData.transform((5, 0.25))[1]  # it went up, into the panel
    plt.close(fig)


def test_on_a_phone_the_per_pupil_notes_cross_no_line_and_stay_in_the_panel():
    from schoolclaims.report import funding

    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(1998, 2024)]
    values = [6000 + 500 * i for i in range(len(years))]  # synthetic: a steady climb through the target
    rows = per_pupil_rows(years, values, ["cde_current_expense"] * len(years), ["official file"] * len(years))
    fig, data = funding.per_pupil_chart(rows, "nominal", 16000, ["2019-20", "2020-21"])
    on_a_phone(fig)
    notes = [t for t in fig.axes[0].texts if t.get_label() == style.NOTE]
    assert len(notes) == 2  # the claimed target and the CalSTRS break
    for note in notes:
        hits, inside = crossed(fig, note)
        assert hits == [] and inside, note.get_text()
    plt.close(fig)


def test_a_long_subtitle_is_wrapped_to_end_before_the_next_panel_or_the_figures_edge():
    fig, (left, right) = style.new_chart(ncols=2, figsize=(8, 4))
    words = "a source named in full, " * 12  # about 290 characters: far wider than either panel
    style.label(left, "Left", subtitle=words.strip())
    style.label(right, "Right", subtitle="short\n" + words.strip())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    subtitle = {ax: next(t for t in ax.texts if t.get_position() == (0, 1.012)) for ax in (left, right)}
    assert subtitle[left].get_window_extent(renderer).x1 <= right.get_window_extent(renderer).x0
    assert subtitle[right].get_window_extent(renderer).x1 <= fig.bbox.x1
    assert subtitle[right].get_text().startswith("short\n")  # the lines it was given stay lines
    assert " ".join(subtitle[left].get_text().split()) == words.strip()  # nothing lost
    # the title sits above every line of its subtitle
    for ax in (left, right):
        title = ax._left_title  # the house style puts titles on the left
        assert title.get_text() and title.get_window_extent(renderer).y0 >= subtitle[ax].get_window_extent(renderer).y1 - 1
    plt.close(fig)


def on_a_phone(fig) -> None:
    """``fig`` laid out for a phone, as export does after saving the desktop files (drawn once first, as saving does)."""
    fig.canvas.draw()
    style.phone_layout(fig, "a synthetic source line", "a credit line")


def boxes_overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_on_a_phone_line_end_labels_stay_beside_their_ends_wrapped_and_apart():
    fig, ax = style.new_chart()
    for i, top in enumerate([76, 75.3, 74.6]):  # three lines ending close together, as the salary-by-step chart's do
        ax.plot(range(1, 11), [top - 20 + 2 * s for s in range(10)], marker="o")
    ax.set_xlim(0.5, 13)
    ax.set_ylim(50, 80)
    label_texts = ["2022-23, Doctorate", "2022-23, Masters", "2022-23, Bachelor's +24"]
    style.end_labels(ax, [(10, y, text, "k") for y, text in zip([76, 75.3, 74.6], label_texts)])
    on_a_phone(fig)
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_label() == style.END_LABEL]
    assert sorted(" ".join(t.get_text().split()) for t in labels) == sorted(label_texts)  # each wrapped, none lost
    end_x = ax.transData.transform((10, 0))[0]
    boxes = [t.get_window_extent(renderer) for t in labels]
    panel = ax.get_window_extent(renderer)
    for box in boxes:
        assert end_x < box.x0 and box.x1 <= fig.bbox.x1  # right of the line ends (not across the lines), in the figure
        assert box.y1 <= panel.y1 + 1  # not pushed up into the subtitle
    assert not any(boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # wider apart than a wrapped label's own lines (which lie about 1.5 points apart), so that each reads as one label
    stacked = sorted(boxes, key=lambda box: box.y0)
    assert min(above.y0 - below.y1 for below, above in zip(stacked, stacked[1:])) >= 2.5 * fig.dpi / 72
    plt.close(fig)


def test_on_a_phone_california_and_the_us_are_labelled_right_of_their_last_points_across_no_line():
    """The California-vs-U.S. chart's two end labels: on a phone the U.S. label was turned to the left of its point, where
    California's steeper last segment ran through it. Synthetic figures, shaped like the Census ones (California
    passes the U.S. in the last year)."""
    from schoolclaims.entities import CALIFORNIA_STATEWIDE, UNITED_STATES
    from schoolclaims.report import funding

    years = ["2014-15", "2015-16", "2017-18", "2018-19"]
    rows = pd.concat([per_pupil_rows(years, values, ["census_f33"] * 4, ["official file"] * 4,
                                     measure="census_f33_current_spending_per_pupil").assign(entity=entity)
                      for entity, values in ((CALIFORNIA_STATEWIDE, [10500, 11500, 12500, 14000]),
                                             (UNITED_STATES.name, [11400, 11800, 12600, 13200]))], ignore_index=True)
    fig, _data = funding.california_vs_us_chart(rows)
    on_a_phone(fig)
    ax, renderer = fig.axes[0], fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_text().startswith(("California", "United States"))]
    assert sorted(" ".join(t.get_text().split()) for t in labels) == ["California 14,000", "United States 13,200"]
    last_point = ax.transData.transform((style.year_end("2018-19"), 0))[0]
    for text in labels:
        hits, inside = crossed(fig, text)
        assert hits == [] and inside, text.get_text()
        assert text.get_window_extent(renderer).x0 > last_point, text.get_text()  # beside its point, not over the lines
    plt.close(fig)


def test_on_a_phone_an_end_label_that_repeats_its_legend_entry_is_left_to_the_legend():
    fig, ax = style.new_chart()
    ax.plot([2000, 2010], [1, 2], marker="o", label="National Education Association, Rankings & Estimates (second-hand)")
    ax.plot([2000, 2010], [3, 4], marker="s")
    ax.legend(loc="upper left")
    style.end_labels(ax, [(2010, 2, "National Education…", "k"), (2010, 4, "a series the legend does not name", "k")])
    on_a_phone(fig)
    shown = {t.get_text().replace("\n", " "): t.get_visible() for t in ax.texts if t.get_label() == style.END_LABEL}
    assert shown == {"National Education…": False, "a series the legend does not name": True}
    plt.close(fig)


def test_on_a_phone_long_category_names_are_wrapped_whole_and_the_title_clears_its_subtitle():
    names = [f"A charter network with a long name number {i}" for i in range(30)]  # synthetic names
    fig, ax = style.new_chart(figsize=(8, 9))
    ax.barh(names, range(30))
    style.label(ax, "A tall chart", subtitle="Its sources, named in a subtitle long enough to take two lines on a phone")
    on_a_phone(fig)
    renderer = fig.canvas.get_renderer()
    ticks = [t for t in ax.get_yticklabels() if t.get_text()]
    assert [" ".join(t.get_text().split()) for t in ticks] == names  # every word kept
    boxes = [t.get_window_extent(renderer) for t in ticks]
    assert all(box.x0 >= 0 for box in boxes)  # none cut off at the figure's left edge
    assert not any(boxes_overlap(a, b) for a, b in zip(boxes, boxes[1:]))
    subtitle = next(t for t in ax.texts if t.get_text().startswith("Its sources"))
    assert ax._left_title.get_window_extent(renderer).y0 >= subtitle.get_window_extent(renderer).y1 - 1
    assert subtitle.get_window_extent(renderer).y0 - ax.get_window_extent(renderer).y1 < 10  # just above the panel
    plt.close(fig)


def test_on_a_phone_x_tick_labels_that_would_run_together_are_turned_and_short_ones_are_not():
    def phone_ticks(names):
        fig, ax = style.new_chart()
        ax.bar(names, range(1, len(names) + 1))
        on_a_phone(fig)
        renderer = fig.canvas.get_renderer()
        ticks = [t for t in ax.get_xticklabels() if t.get_text()]
        rotations = {t.get_rotation() for t in ticks}
        level = []  # the premise, measured level: would neighbours' boxes overlap?
        for tick in ticks:
            tick.set_rotation(0)
            level.append(tick.get_window_extent(renderer))
        plt.close(fig)
        return rotations, any(boxes_overlap(a, b) for a, b in zip(level, level[1:]))

    rotations, would_overlap = phone_ticks(["elementary\n(self-contained)", "middle\n(departmentalized)", "high\n(departmentalized)"])
    assert would_overlap and rotations == {45}
    rotations, would_overlap = phone_ticks(["K-5", "6-8", "9-12"])
    assert not would_overlap and rotations == {0}
    rotations, would_overlap = phone_ticks([str(step) for step in range(1, 11)])  # ten short ones stay level too
    assert not would_overlap and rotations == {0}


def test_on_a_phone_ticks_on_a_log_axis_are_placed_where_they_are_drawn():
    fig, ax = style.new_chart()
    ax.plot([1, 10000], [1, 2])
    ax.set_xscale("log")
    ax.set_xticks([1, 10, 100, 1000, 10000], ["1", "10", "100", "1,000", "10,000"])
    ax.set_xlim(0.5, 40000)  # room beyond 10,000 for its label
    on_a_phone(fig)  # evenly spread on the log scale: they fit level (placed linearly, 1 to 1,000 would crowd together)
    assert {t.get_rotation() for t in ax.get_xticklabels() if t.get_text()} == {0}
    plt.close(fig)


@pytest.mark.parametrize("right, turned", [(2024.5, False), (2025, True)])
def test_on_a_phone_year_ticks_stay_level_unless_the_last_would_run_off_the_image(right, turned):
    fig, ax = style.new_chart()
    ax.plot([1998, 2024], [1, 2])
    ax.set_xticks(range(2000, 2026, 5))
    ax.set_xlim(1997, right)  # after the ticks, which would widen it to show 2025
    on_a_phone(fig)
    renderer = fig.canvas.get_renderer()
    shown = [t for t, x in zip(ax.get_xticklabels(), ax.get_xticks()) if t.get_text() and x <= right]
    assert {t.get_rotation() for t in shown} == ({45} if turned else {0})
    for tick in shown:  # whichever way, every label is whole on the image
        box = tick.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= fig.bbox.x1
    plt.close(fig)


def test_on_a_phone_a_legend_of_two_columns_is_drawn_again_in_one_that_fits():
    fig, ax = style.new_chart()
    names = [f"A publisher with a long name, number {i} (second-hand)" for i in range(6)]  # synthetic
    for i, name in enumerate(names):
        ax.plot([2000, 2010], [i, i + 1], marker="o", label=name)
    ax.legend(ncol=2, loc="upper left", bbox_to_anchor=(0, -0.2), fontsize=7)
    on_a_phone(fig)
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend()
    assert ["".join(t.get_text().split()) for t in legend.get_texts()] == ["".join(n.split()) for n in names]  # (wrapped)
    box = legend.get_window_extent(renderer)
    assert 0 <= box.x0 and box.x1 <= fig.bbox.x1 and box.y0 >= 0  # every entry on the phone's width, none cut off
    plt.close(fig)


@pytest.mark.parametrize("ys, loc, raised", [
    ([1, 2, 9.5], "upper right", True),  # the last point in the legend's corner
    ([1, 2, 3], "upper right", False),  # a legend that hides nothing
    ([50, 2, 3, 4, 4, 5, 4, 3, 2, 1], "upper left", False),  # an outlier the chosen range leaves out of view
])
def test_a_legend_at_the_top_gets_room_above_the_data_only_for_a_point_it_would_hide(ys, loc, raised):
    fig, ax = style.new_chart()
    ax.plot(range(len(ys)), ys, marker="o", linestyle="none", label="a series")
    ax.set_ylim(0, 10)
    ax.legend(loc=loc)
    fig.canvas.draw()
    style._legend_clear_of_points(ax)
    assert (ax.get_ylim()[1] > 10) == raised and ax.get_ylim()[0] == 0
    box = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    x, y = ax.transData.transform((len(ys) - 1, ys[-1]))
    assert not (box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1)
    plt.close(fig)


@pytest.mark.parametrize("height", [4.8, 9.0])
def test_the_headline_sits_the_same_distance_above_the_titles_in_a_short_and_a_tall_chart(height):
    fig, ax = style.new_chart(figsize=(8, height))
    style.label(ax, "A title", subtitle="A subtitle")
    style.headline(fig, "A finding long enough to take two lines in the headline of a chart eight inches wide, "
                        "which is wrapped at about ninety characters")
    renderer = fig.canvas.get_renderer()
    headline = next(t for t in fig.texts if t.get_label() == "_headline")
    gap = (headline.get_window_extent(renderer).y0 - ax.get_tightbbox(renderer).y1) / fig.dpi
    assert 0.15 <= gap <= 0.25, gap  # inches, whatever the height
    plt.close(fig)


@pytest.mark.parametrize("words", [4, 40])
def test_on_a_phone_the_headline_sits_just_above_the_title_however_many_lines_both_take(words):
    fig, ax = style.new_chart(figsize=(8, 6))
    ax.plot([1, 2], [1, 2])
    style.label(ax, "A panel title long enough to wrap onto more than one line on a phone", "x", "y",
                subtitle="a subtitle long enough to wrap on a phone, " * 3)
    style.headline(fig, " ".join(["headline"] * words))
    on_a_phone(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    head = next(text for text in fig.texts if text.get_label() == "_headline")
    gap = (head.get_window_extent(renderer).y0 - ax._left_title.get_window_extent(renderer).y1) / fig.dpi
    assert 0.1 <= gap <= 0.35, gap  # inches (before: 0.46 with a six-line headline and a three-line title)
    plt.close(fig)


def test_on_a_phone_a_long_legend_is_followed_by_the_footer_without_a_blank_inch():
    fig, ax = style.new_chart(figsize=(8, 5))
    for i in range(7):  # entries long enough to wrap, as the per-pupil chart's series names do
        ax.plot([1, 2], [i, i + 1], marker="o", label=f"series {i}: a long name of what was measured, by whom and "
                                                       "for which years, official or second-hand")
    ax.legend(fontsize=7)
    style.label(ax, "A title", "x", "y")
    fig.text(0.01, 0.01, "footer", label="_footer")
    on_a_phone(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    footer = next(text for text in fig.texts if text.get_label() == "_footer").get_window_extent(renderer)
    assert 0.1 <= (legend.y0 - footer.y1) / fig.dpi <= 0.35  # inches (before: room for 0.17 in a line, 0.35-1 in left over)
    plt.close(fig)


def test_on_a_phone_a_category_name_keeps_the_count_it_was_given_on_a_line_of_its_own():
    fig, ax = style.new_chart(figsize=(8.5, 4))
    names = ["Camino Nuevo Charter Academy and a longer tail\n(6 schools)", "Bright Star Schools\n(5 schools; 1 left out)"]
    ax.barh([0, 1], [25, 28])
    ax.set_yticks([0, 1], names, fontsize=7)  # synthetic counts, at the size the staffing chart draws them
    on_a_phone(fig)
    shown = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert [text.splitlines()[-1] for text in shown] == ["(6 schools)", "(5 schools; 1 left out)"]
    assert " ".join(shown[0].split()) == " ".join(names[0].split())  # every word kept
    plt.close(fig)


def test_on_a_phone_names_wrapped_only_for_the_desktop_margin_are_wrapped_again_whole():
    import textwrap

    name = "UTLA rally, Los Angeles, 2018-05-24: attendance as reported by press"  # a claim chart's row, as quoted
    fig, ax = style.new_chart(figsize=(8.5, 3))
    ax.barh([0, 1], [4000, 15000])
    style.category_ticks(ax, [name, "a short row"], 34, fontsize=7)
    assert ax.get_yticklabels()[0].get_text() == textwrap.fill(name, 34)  # the desktop: wrapped at 34 characters
    on_a_phone(fig)
    shown = ax.get_yticklabels()[0].get_text()
    assert shown.replace("\n", " ") == name
    assert shown == textwrap.fill(name, max(len(line) for line in shown.splitlines()))  # one wrap of the whole name
    # the desktop's breaks kept would leave a ragged last line ("reported" / "by press"), which this is not
    kept = "\n".join(textwrap.fill(line, max(len(l) for l in shown.splitlines())) for line in textwrap.wrap(name, 34))
    assert shown.count("\n") < kept.count("\n")
    plt.close(fig)


@pytest.mark.parametrize("height", [3, 9])
def test_a_chart_without_a_headline_starts_its_titles_just_under_the_top_edge(height):
    fig, ax = style.new_chart(figsize=(8, height))
    ax.barh([0, 1], [1, 2])
    style.label(ax, "A title", "x", subtitle="a subtitle\non two lines")
    fig.subplots_adjust(top=0.8)  # a fixed share of the height: 1.8 in of blank space above the 9-in panel's titles
    style.top_margin(fig)
    renderer = fig.canvas.get_renderer()
    above = (fig.bbox.height - ax.get_tightbbox(renderer).y1) / fig.dpi  # inches from the top edge to the title
    assert abs(above - 0.12) < 0.02
    plt.close(fig)


def test_the_part_of_a_segment_a_panel_shows_is_clipped_to_it():
    from matplotlib.transforms import Bbox

    box = Bbox([[0, 0], [10, 10]])
    assert style._inside((-10, 5), (20, 5), box) == ((0, 5), (10, 5))  # worked out by hand
    assert style._inside((2, 2), (4, 4), box) == ((2, 2), (4, 4))
    assert style._inside((-5, -5), (-1, 20), box) is None
    assert style._inside((np.nan, 1), (2, 2), box) is None


def test_unusual_figures_lay_out_without_error_and_texts_set_outside_a_panel_stay():
    import time

    fig, ax = style.new_chart()
    ax.plot([0, 10], [0, 10], marker="o")
    ax.plot([-1e5, 1e5], [5, 5])  # a reference line far wider than the view
    ax.bar([1, 2, 3], [2, np.nan, 3])
    ax.text(2, np.nan, "a value that is missing")  # drawn nowhere by matplotlib
    ax.text(-0.16, 1.02, "(a)", transform=ax.transAxes)  # a panel letter, outside the panel on purpose
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    style.mark_claim(ax, 7, 1, 7.2, "claimed: 7")
    started = time.perf_counter()
    style.place_notes(fig)
    assert time.perf_counter() - started < 3  # the far line is sampled only where the panel shows it
    letter = next(t for t in ax.texts if t.get_text() == "(a)")
    assert letter.get_position() == (-0.16, 1.02) and letter.get_ha() == "left"
    plt.close(fig)

    fig, ax = style.new_chart()
    ax.set_visible(False)  # a figure with no panel: "no data"
    style.headline(fig, "Nothing to draw")
    plt.close(fig)


def test_on_a_phone_an_end_label_is_left_to_the_legend_only_when_an_entry_names_it_in_whole_words():
    fig, ax = style.new_chart()
    ax.plot([2000, 2010], [1, 2], marker="o", label="LAUSD per pupil spending (official)")
    ax.plot([2000, 2010], [3, 4], marker="s", label="Los Angeles Unified per pupil spending")
    ax.legend(loc="upper left")
    style.end_labels(ax, [(2010, 2, "LA", "k"), (2010, 4, "Los Angeles Unified per pupil\nspending", "k")])
    on_a_phone(fig)
    shown = {" ".join(t.get_text().split()): t.get_visible() for t in ax.texts if t.get_label() == style.END_LABEL}
    assert shown == {"LA": True, "Los Angeles Unified per pupil spending": False}
    plt.close(fig)


def test_panels_side_by_side_share_the_room_their_wrapped_subtitles_take():
    fig, axes = style.new_chart(nrows=2, ncols=2, figsize=(8, 6))
    top = fig.subplotpars.top
    for ax in axes.flat:
        style.label(ax, "A panel", subtitle="a source named in full, " * 6)  # each wraps onto more lines
    added = max(t.get_text().count("\n") for ax in axes.flat for t in ax.texts)
    assert added > 0 and abs((top - fig.subplotpars.top) - added * 11 / 72 / 6) < 1e-9  # lowered once, not per panel
    plt.close(fig)


# -- pay charts ------------------------------------------------------------------------------------------
def layoff_ledger():
    return pd.DataFrame({
        "ledger": "lausd_layoffs", "entity": LAUSD.name,
        "measure": ["preliminary layoff notices approved", "estimated layoffs after buy-backs", "layoff notices"],
        "school_year_or_year": ["2012-13 (notices Mar 2012)", "2012-13", "2015-16 (notices Mar 2015)"],
        "value": [9000.0, 1300.0, 2500.0], "confidence": "second-hand quote", "source_id": "ledgers/lausd_layoffs.csv",
    })


def test_layoffs_chart_tells_notices_from_layoffs_and_shows_a_year_with_no_figure():
    from schoolclaims.report import pay

    fig, rows = pay.layoffs_chart(layoff_ledger())
    ax = fig.axes[0]
    points = lines_labelled(ax, "_second-hand points")
    assert sorted(line.get_marker() for line in points) == ["D", "o"]
    assert all(line.get_markerfacecolor() == "white" for line in points)  # press reports are second-hand
    assert [t.get_text() for t in ax.get_xticklabels()] == ["12-13", "13-14", "14-15", "15-16"]
    gaps = [t for t in ax.texts if t.get_label() == "_gap"]
    assert [t.get_position()[0] for t in gaps] == [2014, 2015]  # 2013-14 and 2014-15 have no figure
    alt = pay.layoffs_alt(rows)
    assert "No figure was found for 2013-14, 2014-15." in alt and "1,300 (estimated layoffs after buy-backs; layoffs)" in alt
    plt.close(fig)


def test_la_county_districts_are_named_as_the_directory_names_them_and_a_cut_name_says_so():
    from schoolclaims.claims.entities import district_names
    from schoolclaims.report import pay

    county = pd.DataFrame({  # synthetic rows in the J-90's shape: names in capitals, cut at 30 characters
        "school_year": "2020-21", "cds": ["1964733", "1965128", "1999999"],
        "district": ["LOS ANGELES UNIFIED", "SULPHUR SPRINGS UNION ELEMENTA", "A NEW DISTRICT WITH A LONG NAM"],
        "min_salary": [46000.0, 45000, 44000], "max_salary": [92000.0, 91000, 90000],
        "source_id": "cde_j90_tsal1+cde_j90_tsal2", "file_sha256": "x", "locator": "TSAL1 line 2",
    })
    directory = pd.DataFrame({"district_code": ["1964733", "1965128"], "directory_vintage": "2018-06",
                              "district": ["Los Angeles Unified", "Sulphur Springs Union Elementary"]})
    assert list(district_names(county, directory)) == [
        "Los Angeles Unified", "Sulphur Springs Union Elementary", "A New District With A Long Nam…"]
    assert list(district_names(county)) == [  # no directory: the J-90's own names, a cut one marked
        "Los Angeles Unified", "Sulphur Springs Union Elementa…", "A New District With A Long Nam…"]
    fig, data = pay.la_county_chart(county, directory)
    ax = fig.axes[0]
    ticks = {t.get_text(): t for t in ax.get_yticklabels()}
    assert "Sulphur Springs Union Elementary" in ticks and ticks["Los Angeles Unified"].get_fontweight() == "bold"
    assert "names as in CDE's school directory (2018-06)" in " ".join(t.get_text().replace("\n", " ") for t in ax.texts)
    assert list(data["name_shown"]) == [ticks_text for ticks_text in ticks]  # the chart's CSV names them as drawn
    plt.close(fig)


def test_layoffs_chart_draws_the_count_of_educators_notices_the_rating_reads():
    """2015-16 in two ledgers (synthetic rows): a total with administrators (2,492) in the layoff ledger and a count of
    educators' notices alone (609) in the claim-year ledger, which the rating reads; both are drawn, as notices."""
    from schoolclaims.report import pay

    ledger = pd.concat([layoff_ledger(), pd.DataFrame({
        "ledger": ["claim_year_figures", "claim_year_figures"], "entity": [LAUSD.name, "Somewhere else"],
        "measure": "layoff warning notices authorized, educators (teachers)", "school_year_or_year": "2015-16 (notices Mar 2015)",
        "value": [609.0, 50.0], "confidence": "second-hand quote", "source_id": "ledgers/claim_year_figures.csv"})], ignore_index=True)
    fig, rows = pay.layoffs_chart(ledger)
    ax = fig.axes[0]
    drawn = sorted(float(v) for line in lines_labelled(ax, "_second-hand points") for v in line.get_ydata())
    assert drawn == [609.0, 1300.0, 2500.0, 9000.0]  # not the other district's 50
    assert "ledgers claim_year_figures.csv and lausd_layoffs.csv" in " ".join(t.get_text() for t in ax.texts)
    plt.close(fig)
    # a district's own news page is first-hand but no file: beside press copies, "first-hand and second-hand figures"
    page = pd.DataFrame({"confidence": ["official page", "second-hand quote"], "source_url": ["https://home.lausd.net/x", ""]})
    assert style.kind_words(style.evidence_kinds(page), page) == "first-hand and second-hand figures"


def test_salary_by_step_says_its_cells_are_second_hand():
    from schoolclaims.report import pay

    table = pd.DataFrame({
        "employer": LAUSD.name, "kind": "cell", "school_year": ["2022-23"] * 3 + ["2013-14"],
        "schedule": ["T table as re-published by third party"] * 3 + ["NCTQ"], "column_label": ["BA"] * 3 + ["BA"],
        "step": [1.0, 2.0, 3.0, 1.0], "annual_salary": [50000.0, 51000, 52000, 45000],
        "confidence": "quoted second-hand", "source_id": "ledgers/lausd_salary_points.csv",
    })
    fig, rows = pay.lausd_steps_chart(table)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "LAUSD teacher salary by step, mostly 2022-23: second-hand figures"
    assert any("3 of 4 cells: 2022-23 T table as re-published by third party" in t.get_text() for t in ax.texts)
    drawn = lines_labelled(ax, "_second-hand line")
    assert len(drawn) == 2 and all(line.get_linestyle() == "--" and line.get_markerfacecolor() == "white" for line in drawn)
    assert "second-hand figures" in pay.lausd_steps_alt(rows)
    plt.close(fig)


def test_caps_chart_draws_equal_spans_once_on_a_year_axis():
    from schoolclaims.report import class_size

    ledger = pd.DataFrame({
        "ledger": "lausd_class_size_caps", "measure": "class_size_maximum_contractual",
        "entity": "LAUSD-UTLA CBA class size: PHBAO", "grade_span_or_subject": ["TK-3", "TK-3", "4-5", "4-5", "9-10", "9-10"],
        "school_year_or_year": ["2022-23", "2023-24"] * 3, "value": [27.0, 26, 30, 29, 30, 29], "value_text": "",
        "confidence": "exact transcription", "source_id": "ledgers/lausd_class_size_caps.csv",
        "source_url": "https://utla.net/resources/class-size",
    })
    fig, data = class_size.caps_chart(ledger, "PHBAO")
    ax = fig.axes[0]
    # the contract UTLA posts is a party document, first-hand for the terms it sets: drawn filled
    assert len(lines_labelled(ax, f"_{style.OFFICIAL} points")) == 2  # 4-5 and 9-10 share one line
    assert any(t.get_text() == "grades 4-5; 9-10" for t in ax.texts)
    assert "utla.net/resources/class-size" in "".join(t.get_text() for t in ax.texts)
    # ... but not an official file: subtitle and legend call it a first-hand source (a file would be "official")
    words = " ".join(t.get_text().replace("\n", " ") for t in ax.texts)
    assert words.startswith("First-hand sources: the contract table") and "Official files" not in words
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "first-hand: a party's or publisher's own document, page or file (filled, solid line)"]
    assert style.kind_words([style.OFFICIAL], pd.DataFrame({"confidence": ["official file"], "source_url": [""]})) == "official files"
    assert "(first-hand sources)" in class_size.caps_alt(data, "PHBAO")
    plt.close(fig)


# -- a chart in a notebook ---------------------------------------------------------------------------------
@pytest.fixture
def exported(tmp_path):
    fig, ax = style.new_chart()
    ax.plot([1, 2], [1, 2])
    data = pd.DataFrame({"x": [1], "source_id": ["ledgers/a_b.csv"], "confidence": ["second-hand quote"]})
    return style.export(fig, "some_chart", data, alt_text='A "line" <chart> & more', dollars="nominal dollars",
                        folder=tmp_path / "scratch")


def test_cite_line_links_the_four_files_relative_to_the_notebooks_folder(exported):
    assert style.cite_line(exported) == (
        "Cite this chart: [PNG](../report/charts/some_chart.png) · [SVG](../report/charts/some_chart.svg) · "
        "[CSV](../report/charts/some_chart.csv) · [alt text](../report/charts/some_chart.alt.txt)")


def test_the_notebook_shows_the_exported_png_with_its_alt_text_then_cite_and_source_lines(exported):
    image = style.image_bundle(exported)
    assert base64.b64decode(image["image/png"]) == exported.png.read_bytes()
    assert f'src="data:image/png;base64,{image["image/png"]}"' in image["text/html"]
    assert 'alt="A &quot;line&quot; &lt;chart&gt; &amp; more"' in image["text/html"]
    assert image["text/plain"] == 'A "line" <chart> & more'
    caption = style.caption_bundle(exported)
    source = "Dollars: nominal dollars. " + style.source_line(pd.DataFrame(
        {"source_id": ["ledgers/a_b.csv"], "confidence": ["second-hand quote"]}))
    assert exported.source == source
    cite, text = caption["text/markdown"].split("\n\n")
    assert cite == style.cite_line(exported) + " — " + style.markdown_text(exported.citation)
    assert text == style.markdown_text(source) and "a\\_b.csv" in text
    assert caption["text/plain"] == style.cite_line(exported) + " — " + exported.citation + "\n" + source


def test_markdown_text_escapes_formatting_but_keeps_code_spans():
    assert style.markdown_text("run `schoolclaims fetch a_b` for $5 <x> a_b") == \
        "run `schoolclaims fetch a_b` for \\$5 &lt;x&gt; a\\_b"


# -- rated claims and tables ---------------------------------------------------------------------------
def rated(rating="not met", missing=()):
    from schoolclaims import paths
    from schoolclaims.claims import Result, evidence_frame, load_claim

    claim = load_claim(paths.CLAIMS / "fund-20-by-20.yaml")
    evidence = evidence_frame(pd.DataFrame({
        "item": ["CDE per ADA", "LCFF per ADA", "context row"], "entity": LAUSD.name, "year": ["2019-20"] * 3,
        "value": [16383.54, 12637.8, 3.0], "unit": "USD nominal", "matches": [False, True, "context"],
        "confidence": ["official file", "second-hand quote", ""], "source_id": ["cde_current_expense", "ledgers/x.csv", ""],
        "file_sha256": "ab" * 32, "locator": "row 1", "source_url": "",
    }))
    return Result(claim, rating, "Below $20,000 in 2019-20.", evidence, list(missing))


def ranked(values, unit):
    """A rated claim about a rank (claims/fund-2nd-district.yaml, claimed 2nd) whose evidence rows are synthetic."""
    from schoolclaims import paths
    from schoolclaims.claims import Result, evidence_frame, load_claim

    claim = load_claim(paths.CLAIMS / "fund-2nd-district.yaml")
    evidence = evidence_frame(pd.DataFrame({
        "item": [f"synthetic row {i}" for i in range(len(values))], "entity": LAUSD.name, "year": "2015-16",
        "value": values, "unit": unit, "matches": True, "confidence": "official file", "source_id": "x",
        "file_sha256": "ab" * 32, "locator": "row 1", "source_url": ""}))
    return Result(claim, "true", "synthetic", evidence, [])


@pytest.mark.parametrize("values, unit", [([2, 2], "rank by enrollment"), ([26.9, 24.25], "students per class")])
def test_a_claim_charts_ticks_read_their_own_positions_and_its_bars_their_own_values(values, unit):
    from schoolclaims.report import claim_charts

    fig, _rows = claim_charts.claim_chart(ranked(values, unit))
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [(position, text.get_text()) for position, text in zip(ax.get_xticks(), ax.get_xticklabels())
             if ax.get_xlim()[0] <= position <= ax.get_xlim()[1]]
    # each tick's label is its position (before: ranks 0, 0.6, 1.2, 1.8 read "0, 1, 1, 2")
    assert all(abs(float(text.replace(",", "")) - position) < 0.005 for position, text in ticks), ticks
    if all(float(v).is_integer() for v in values):
        assert all(float(position).is_integer() for position, _ in ticks)  # no tick between two ranks
    shown = sorted(text.get_text().strip() for text in ax.texts if text.get_text().strip()[:1].isdigit())
    assert shown == sorted(f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}" for v in values)  # 26.90, not 27
    plt.close(fig)


def test_a_claim_chart_draws_a_figure_given_as_a_range_as_a_bar_from_its_low_end_to_its_top():
    """A crowd claim's evidence (synthetic rows shaped like other-grand-park-12000's): a press count of 4,000 and a
    police estimate kept as the text '8000-10000' (unit 'text (range of people)'), which was left out of the chart."""
    from schoolclaims import paths
    from schoolclaims.claims import Result, evidence_frame, load_claim
    from schoolclaims.report import claim_charts

    claim = load_claim(paths.CLAIMS / "other-grand-park-12000.yaml")
    evidence = evidence_frame(pd.DataFrame({
        "item": ["press count", "police estimate"], "entity": "rally", "year": "2018-05-24", "value": [4000, "8000-10000"],
        "unit": ["people", "text (range of people)"], "matches": [False, "context"], "confidence": "second-hand quote",
        "source_id": "x", "file_sha256": "ab" * 32, "locator": "row 1", "source_url": ""}))
    result = Result(claim, "can't verify with the archived sources", "synthetic", evidence, [])
    fig, rows = claim_charts.claim_chart(result)
    ax = fig.axes[0]
    bars = sorted((round(bar.get_x()), round(bar.get_x() + bar.get_width())) for bar in ax.patches if bar.get_width())
    assert bars == [(0, 4000), (8000, 10000)]  # one panel, in people: the count from 0, the range from 8,000 to 10,000
    assert {t.get_text().strip() for t in ax.texts} >= {"4,000", "8,000–10,000"}
    assert "rally 2018-05-24: 8,000 to 10,000 people" in claim_charts.alt_text(result, rows)
    plt.close(fig)


def test_a_claim_chart_of_two_units_stacks_its_panels_at_a_page_s_width():
    from schoolclaims import paths
    from schoolclaims.claims import Result, evidence_frame, load_claim
    from schoolclaims.report import claim_charts

    claim = load_claim(paths.CLAIMS / "fund-2nd-district.yaml")
    evidence = evidence_frame(pd.DataFrame({  # synthetic rows in two units
        "item": ["synthetic a", "synthetic b", "synthetic c"], "entity": LAUSD.name, "year": "2015-16",
        "value": [2, 3, 640000], "unit": ["rank by enrollment", "rank by enrollment", "students"], "matches": True,
        "confidence": "official file", "source_id": "x", "file_sha256": "ab" * 32, "locator": "row 1", "source_url": ""}))
    fig, _rows = claim_charts.claim_chart(Result(claim, "true", "synthetic", evidence, []))
    top, bottom = (ax for ax in fig.axes if ax.get_visible())
    assert fig.get_size_inches()[0] == 8.5  # was 17 in: a 2,550-px strip whose text a page shrank to 6 px
    assert top.get_position().x0 == bottom.get_position().x0 and top.get_position().y0 > bottom.get_position().y1
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    for ax, unit in ((top, "rank by enrollment"), (bottom, "students")):  # each unit under its own axis's tick labels
        lowest_tick = min(t.get_window_extent(renderer).y0 for t in ax.get_xticklabels() if t.get_text())
        assert ax.xaxis.label.get_text() == unit and ax.xaxis.label.get_window_extent(renderer).y1 <= lowest_tick
    plt.close(fig)


def test_a_rated_claim_shows_its_rating_first_then_a_short_table_then_the_full_listing():
    from schoolclaims.claims import format_result
    from schoolclaims.report import findings

    result = rated(missing=["the `schoolclaims fetch census_f33` files"])
    first, table, more, listing = findings.result_bundles(result, rows=2, evidence_rows=1)
    assert first["text/markdown"].split("\n\n") == [
        "**Rating: NOT MET** — Below \\$20,000 in 2019-20.",
        "*What would settle it:* the `schoolclaims fetch census_f33` files"]
    assert "<th style=\"text-align: left\">figure</th>" in table["text/html"] and "entity" not in table["text/html"]
    assert "16,383.54" in table["text/plain"] and "ledger x.csv" in table["text/plain"]
    assert "file_sha256" not in table["text/html"] and "row 1" not in table["text/plain"]
    assert more["text/plain"].startswith("… and 1 more evidence rows")
    assert listing["text/plain"] == format_result(result, evidence_rows=1)
    assert listing["text/html"].startswith("<details><summary>")

    frame = findings.evidence_table(result, rows=None)
    assert frame["fits the claim"].tolist() == ["no", "yes", "context"]
    assert frame["value"].tolist() == ["16,383.54", "12,637.80", "3"]


def test_tables_drop_empty_columns_and_align_numbers_right():
    from schoolclaims.report import findings

    frame = pd.DataFrame({"point": ["BA step 1", "top"], "a_annual": [None, None], "money": ["$1,000", ""],
                          "note": [float("nan"), "x"]})
    shown = findings.compact(frame)
    assert list(shown.columns) == ["point", "money", "note"]
    html = findings.table_bundle(shown)["text/html"]
    assert '<th style="text-align: right">money</th>' in html and '<td style="text-align: left">BA step 1</td>' in html
    assert "nan" not in html and "<td style=\"text-align: left\"></td>" in html


def test_the_pay_archive_chart_names_both_panels_dates_each_and_keeps_the_last_years_label_off_the_legend():
    """Synthetic holdings: LAUSD with a figure in 2013-14 and one in the last year (2022-23), Alliance with none."""
    from schoolclaims.entities import ALLIANCE
    from schoolclaims.report import pay

    holdings = pd.DataFrame({
        "employer": [LAUSD.name, LAUSD.name, ALLIANCE.name], "school_year": ["2013-14", "2022-23", "2015-16"],
        "measure": ["schedule: step 1", "schedule: step 1", "missing: no schedule archived"], "value": [45_000.0, 56_000.0, None],
        "confidence": ["second-hand quote", "second-hand quote", "not archived"], "source_id": ["s", "s", None],
        "file_sha256": ["0" * 64, "0" * 64, None], "locator": ["l", "l", None]})
    fig, _ = pay.pay_archive_chart(holdings)
    top, bottom = fig.axes[:2]
    assert LAUSD.name in [t.get_text() for t in top.texts]  # the chart's title took the top panel's own
    assert bottom.get_title(loc="left").startswith(ALLIANCE.name)
    assert top.xaxis.get_tick_params().get("labelbottom") is True  # years under each panel, not only the lower one
    last, = [t for t in top.texts if t.get_text() == "56,000"]
    assert last.get_ha() == "right" and [t for t in top.texts if t.get_text() == "45,000"][0].get_ha() == "left"
    shown = [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title(loc=loc) for ax in fig.axes
                                                                      for loc in ("left", "center", "right")]
    assert not any("schoolclaims " in text for text in shown)  # no command on a chart for readers
    plt.close(fig)


def test_a_network_claims_notes_sit_above_every_bar_beside_the_claims_year():
    """Synthetic network (two rules, two years): the claimed 25 schools and 13,000 students of 2019-20 are named
    above the tallest bar of each panel (28 schools; 13,036 students) at the edge of 2019-20's slot, not at the
    claimed height, where they would sit on the bars and be moved years away."""
    from schoolclaims.report import schools

    size = pd.DataFrame({"school_year": ["2018-19", "2018-19", "2019-20", "2019-20"],
                         "counting_rule": ["per CDS code", "6-12 campus as two"] * 2, "schools": [25, 28, 25, 28],
                         "students": [13_036.0, 13_036.0, 12_891.0, 12_891.0], "confidence": "official file",
                         "source_id": "cde_frpm"})
    fig, _ = schools.network_chart(size, 25, 13_000, "2019-20", over=False)
    left, right = fig.axes[:2]
    for ax, tallest in ((left, 28), (right, 13_036)):
        note, = [t for t in ax.texts if t.get_text().startswith("claimed:")]
        x, y = note.get_position()
        assert y > tallest and x == 2020.5 and note.get_ha() == "right"  # 2019-20 is in the right half: its slot's right edge
    plt.close(fig)


def test_the_gdp_charts_legend_covers_no_bar():
    """Twelve synthetic states of nearly equal GDP per person (100 down to 89): every bar runs almost as far as the
    longest; the legend in the lower right corner must still cover none of them."""
    from schoolclaims.report import funding

    states = [f"State {i}" for i in range(11)] + [CALIFORNIA.name]
    economy = pd.DataFrame({"state": states, "year": 2016, "vintage": "v", "gdp_per_capita": [100.0 - i for i in range(12)],
                            "gdp_per_capita_rank": [float(i + 1) for i in range(12)], "confidence": "second-hand quote",
                            "source_grade": "press or secondary report", "source_id": "ledgers/x.csv"})
    fig, _ = funding.gdp_per_capita_chart(economy, 2016, vintage="v")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert not any(bar.get_window_extent(renderer).overlaps(legend) for bar in ax.patches)
    plt.close(fig)


def test_a_claim_above_every_bar_is_drawn_with_its_note_above_it():
    """Synthetic: 25 and 28 schools, a claim of 45 (worked by hand: the panel reaches 45 x 1.4 = 63)."""
    from schoolclaims.report import schools

    size = pd.DataFrame({"school_year": ["2019-20", "2019-20"], "counting_rule": ["per CDS code", "6-12 campus as two"],
                         "schools": [25, 28], "students": [12_891.0, 12_891.0], "confidence": "official file",
                         "source_id": "cde_frpm"})
    fig, _ = schools.network_chart(size, 45, 13_000, "2019-20", over=False)
    left = fig.axes[0]
    note, = [t for t in left.texts if t.get_text().startswith("claimed:")]
    assert left.get_ylim()[1] == pytest.approx(63) and note.get_position()[1] > 45
    plt.close(fig)


def test_a_claim_chart_of_more_figures_than_a_panel_holds_says_how_many_more_the_page_lists():
    from schoolclaims.report import claim_charts

    fig, rows = claim_charts.claim_chart(ranked(list(range(1, 15)), "rank by enrollment"))  # 14 synthetic figures
    subtitle = " ".join(t.get_text() for t in fig.axes[0].texts).replace("\n", " ")
    assert len(rows) == 12 and "12 of 14 figures drawn, the deciding ones first; the claim's page lists every one" in subtitle
    plt.close(fig)
    fig, rows = claim_charts.claim_chart(ranked([1, 2], "rank by enrollment"))
    assert "figures drawn" not in " ".join(t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)


def test_ada_over_enrollment_is_given_only_where_both_leave_the_independent_charters_out():
    """Census's LAUSD enrollment counted the independent charters it authorizes until FY2018 (layouts/census_f33.csv),
    which CDE's district ADA does not: the ratio is 'not comparable' there. Synthetic rows; 90,000 / 100,000 = 90.0%."""
    from schoolclaims.entities import LAUSD
    from schoolclaims.report.funding import ada_table

    cde = pd.DataFrame({"cds": LAUSD.district_code, "school_year": ["2017-18", "2018-19", "2019-20"], "edp365": 1.0e9,
                        "ada": [90_000.0, 90_000.0, 90_000.0], "per_ada": 11_111.0})
    systems = pd.DataFrame({"school_system": LAUSD.name, "school_year": ["2017-18", "2018-19"], "fiscal_year": [2018, 2019],
                            "enrollment": [120_000.0, 100_000.0], "per_pupil_current_spending": 10_000.0})
    table = ada_table(cde, systems, since="2017-18")
    assert list(table["independent charters in it"]) == ["counted", "left out", ""]
    assert list(table["ADA ÷ enrollment"]) == ["not comparable", "90.0%", ""]

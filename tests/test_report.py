"""Charts and notebook outputs on small frames written here: entity colours, official vs second-hand styling, gaps,
the cite line and the rated-claim outputs."""

from __future__ import annotations

import base64

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from schoolclaims.entities import ALLIANCE, CALIFORNIA, CALIFORNIA_STATEWIDE, LAUSD
from schoolclaims.report import style


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


@pytest.mark.parametrize("source_id,confidence,official", [
    ("cde_current_expense", "official file", True),
    ("cde_j90_tsal1+cde_j90_tsal2", None, True),
    ("bea_sagdp1+bea_sainc1", None, True),
    ("census_f33", "", True),
    ("ledgers/current_expense_recent_secondhand.csv", "second-hand (third-party cleaned CSV of CDE file)", False),
    ("ledgers/lausd_layoffs.csv", "second-hand quote", False),
    ("cde_directory+ledgers/x.csv", None, False),  # a row that combines a ledger figure is second-hand
    ("lausd_salary", "official file", True),
])
def test_official_rows_come_from_publishers_files(source_id, confidence, official):
    assert style.is_official(source_id, confidence) is official


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
    assert cite == style.cite_line(exported)
    assert text == style.markdown_text(source) and "a\\_b.csv" in text
    assert caption["text/plain"] == cite + "\n" + source


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

"""A claim file alone is enough: a YAML written into a claims folder (SCHOOLCLAIMS_CLAIMS_DIR) about a district other
than LAUSD or a network other than Alliance, using an existing method, gets its rating, evidence, a chart drawn from
its evidence, a page and a ClaimReview, with no code, test or notebook edit.

The example claims in tests/fixtures/claims_other_places/ are hypothetical statements (labelled so in each file);
their expected ratings are worked out by hand from the raw mirror files in each file's caveats and below."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from schoolclaims import paths
from schoolclaims.claims import evaluate_all, result_record
from schoolclaims.claims.model import RATINGS
from schoolclaims.report import claim_charts, site

EXAMPLES = Path(__file__).parent / "fixtures" / "claims_other_places"

GREEN_DOT_17 = """\
id: test-green-dot-17
question_id: test-green-dot-17
kind: factual
claimant: A test (a synthetic statement written by the test)
quote: "Green Dot has 17 schools in Los Angeles and over 9,000 students."
appeared:
  - title: Test
    url: https://example.org/test
    date: "2017-01-15"
question: On Census Day 2016, did Green Dot's Los Angeles County schools number 17 with over 9,000 students?
metrics: [schools open on Census Day, Census Day K-12 enrollment]
evaluation:
  method: network_size
  params:
    entity: Green Dot
    school_year: "2016-17"
    claimed_schools: 17
    claimed_students: 9000
    network_rule: per CDS code
    tolerance: 0.02
settles_it: CDE directory and FRPM 2016-17.
corrections:
  - date: "2026-12-07"
    note: Written by a test.
"""

SAN_DIEGO_MORE = """\
id: test-san-diego-more
question_id: test-san-diego-more
kind: factual
claimant: A test (a synthetic statement written by the test)
quote: "San Diego Unified spends more per student than Los Angeles Unified."
appeared:
  - title: Test
    url: https://example.org/test
    date: "2019-06-01"
question: In 2018-19, did San Diego Unified spend more per pupil than Los Angeles Unified?
metrics: [CDE current expense of education per ADA, 2018-19]
evaluation:
  method: district_spending_comparison
  params: {school_year: "2018-19", higher: San Diego Unified, lower: Los Angeles Unified}
settles_it: CDE Current Expense of Education, 2018-19.
corrections:
  - date: "2026-12-07"
    note: Written by a test.
"""


def _claims_folder(folder):
    shutil.copytree(EXAMPLES, folder)
    (folder / "test-green-dot-17.yaml").write_text(GREEN_DOT_17, encoding="utf-8")
    (folder / "test-san-diego-more.yaml").write_text(SAN_DIEGO_MORE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def shared_claims(tmp_path_factory):
    """One claims folder for the tests that only read it: same files at the same path, so evaluate_all's kept
    results (.cache/claims) rate them once for the module (and for the cog subprocess)."""
    return _claims_folder(tmp_path_factory.mktemp("other-places") / "claims")


@pytest.fixture
def claims_dir(shared_claims, monkeypatch):
    monkeypatch.setenv("SCHOOLCLAIMS_CLAIMS_DIR", str(shared_claims))
    return shared_claims


@pytest.fixture
def own_claims_dir(tmp_path, monkeypatch):
    """A claims folder of the test's own, for a test that edits a claim file."""
    folder = _claims_folder(tmp_path / "claims")
    monkeypatch.setenv("SCHOOLCLAIMS_CLAIMS_DIR", str(folder))
    return folder


def test_claims_about_other_places_rate_as_worked_out_by_hand(claims_dir):
    results = {r.claim.id: r for r in evaluate_all()}
    assert set(results) == {p.stem for p in claims_dir.glob("*.yaml")}  # the folder named by the variable, only it
    expected = {
        # Long Beach $11,919.04 vs Fresno $11,324.54 per ADA (2016-17): 5.2% more -> true
        "example-long-beach-vs-fresno": "true",
        # Oakland $14,835.28 per ADA (2016-17), within 5% of $15,000 -> true
        "example-oakland-15000": "true",
        # Green Dot 17 schools (claimed 18: 0 points), 9,134 students (over 9,000: 2 points) -> half true
        "example-green-dot-18-9000": "half true",
        # the same 17 schools and 9,134 students against "17 schools, over 9,000" -> 2 + 2 -> true
        "test-green-dot-17": "true",
        # San Diego $13,888 vs Los Angeles $15,920 per ADA (2018-19, the README's worked example) -> false
        "test-san-diego-more": "false",
    }
    assert {k: r.rating for k, r in results.items()} == expected
    long_beach = results["example-long-beach-vs-fresno"]
    assert long_beach.conclusion.endswith("Long Beach Unified spent 5.2% more.")
    assert list(long_beach.evidence["value"]) == [11919.04, 11324.54]
    green_dot = results["example-green-dot-18-9000"]
    assert "Green Dot had 17 schools" in green_dot.conclusion and "9,134 K-12 students" in green_dot.conclusion
    assert set(green_dot.evidence["entity"]) == {"Green Dot Public Schools"}


def test_a_claim_file_alone_gets_a_chart_a_page_and_a_claim_review(claims_dir, tmp_path):
    results = evaluate_all()
    charts = tmp_path / "charts"
    drawn = {name for r in results if (name := claim_charts.export_claim_chart(r, charts))}
    records = []
    for result in results:
        record = result_record(result)
        assert record["rating"] in RATINGS[result.claim.kind] and record["evidence"]
        record["charts"] = claim_charts.charts_for(record, drawn)
        assert record["charts"] == [f"claim-{record['id']}"]
        records.append(record)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    out = tmp_path / "site"
    site.build_site(out, records=records, claims_text="", charts=charts, notebooks=notebooks, processed=paths.PROCESSED,
                    manifest=paths.MANIFEST)
    reviews = {r["url"]: r for r in json.loads((out / "claimreview.json").read_text(encoding="utf-8"))}
    for record in records:
        page = (out / "claims" / f"{record['id']}.html").read_text(encoding="utf-8")
        assert f"charts/claim-{record['id']}.png" in page
        review = reviews[f"claims/{record['id']}.html"]
        assert review["claimReviewed"] == record["quote"]
        assert review["reviewRating"]["alternateName"] == record["rating"]
    csv = (charts / "claim-example-long-beach-vs-fresno.csv").read_text(encoding="utf-8")
    assert "Long Beach Unified" in csv and "11919.04" in csv  # the chart plots the deciding rows, with provenance


def test_registered_claims_name_charts_the_notebooks_draw_or_say_why_none():
    """Every chart a claim file names is one a notebook exports; a claim that names none and gives no reason gets one
    drawn from its own figures (the test above), and a reason given is said on its card and page."""
    from schoolclaims.claims import load_claims

    notebooks = "".join(p.read_text(encoding="utf-8") for p in (paths.ROOT / "notebooks").glob("*.ipynb"))
    report = "".join(p.read_text(encoding="utf-8") for p in (paths.ROOT / "src" / "schoolclaims" / "report").glob("*.py"))
    committed = paths.ROOT / "report" / "charts"
    for claim in load_claims(paths.CLAIMS):
        for name in claim.charts:  # named in a notebook's export, or in the report function a notebook calls to export it
            assert f'\\"{name}\\"' in notebooks or f'"{name}"' in report, (claim.id, name)
            assert (committed / f"{name}.png").is_file() and (committed / f"{name}.alt.txt").is_file(), (claim.id, name)
        assert not (claim.charts and claim.no_chart), claim.id
    record = {"id": "x-y", "charts": [], "no_chart": "no archived figure"}
    assert claim_charts.charts_for(record, {"claim-x-y"}) == []
    assert claim_charts.charts_for({**record, "no_chart": ""}, {"claim-x-y"}) == ["claim-x-y"]
    assert claim_charts.charts_for({**record, "charts": ["a"]}, set()) == ["a"]


def test_generated_files_are_rewritten_from_the_claims(tmp_path, claims_dir):
    """`make regen`'s README step (cog) writes the table of findings from the claims in the folder (here the
    examples), and nothing else in the README changes; the golden records come from `schoolclaims claims`."""
    import subprocess
    import sys

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    copy = tmp_path / "README.md"
    copy.write_text(readme, encoding="utf-8")
    cog = shutil.which("cog", path=str(Path(sys.executable).parent)) or "cog"
    run = subprocess.run([cog, "-r", "-I", str(paths.ROOT / "tools"), "-p", "import readme", str(copy)],
                         cwd=paths.ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    new = copy.read_text(encoding="utf-8")
    assert "| `example-green-dot-18-9000`:" in new and "| `fund-20-by-20`:" not in new
    assert new.split("## What it finds")[0] == readme.split("## What it finds")[0]  # the first screen is untouched
    from schoolclaims.cli import cli
    from click.testing import CliRunner

    golden = json.loads(CliRunner().invoke(cli, ["claims", "--format", "json"]).output)
    assert {g["id"]: g["rating"] for g in golden}["example-long-beach-vs-fresno"] == "true"


def test_a_claim_file_s_address_is_listed_for_fetch_without_editing_the_page_list(claims_dir):
    from schoolclaims.sources import claim_pages

    listed = {page["url"]: page for page in claim_pages.pages()}
    assert "https://example.org/test" in listed  # listed from the claim file alone
    assert any(spec.url == "https://example.org/test" for spec in claim_pages.specs())  # fetch captures it


def test_ratings_are_kept_until_a_claim_file_a_table_or_the_manifest_changes(own_claims_dir, tmp_path, monkeypatch):
    claims_dir = own_claims_dir
    import importlib

    module = importlib.import_module("schoolclaims.claims.evaluate")
    monkeypatch.setattr(paths, "CACHE", tmp_path / "cache")
    rated, real = [], module.evaluate
    monkeypatch.setattr(module, "evaluate", lambda claim, processed=None: rated.append(claim.id) or real(claim, processed))
    first = evaluate_all()
    assert len(rated) == 5
    second = evaluate_all()
    assert len(rated) == 5  # nothing changed: the kept results, not a second rating
    assert [result_record(r) for r in second] == [result_record(r) for r in first]
    assert len(evaluate_all(only=["test-green-dot-17"])) == 1 and rated[-1] == "test-green-dot-17"  # another question
    (claims_dir / "test-green-dot-17.yaml").write_text(GREEN_DOT_17.replace("claimed_schools: 17", "claimed_schools: 18"),
                                                       encoding="utf-8")
    third = {r.claim.id: r.rating for r in evaluate_all()}
    assert len(rated) == 11 and third["test-green-dot-17"] == "half true"  # the edited file is rated again
    files = sorted(claims_dir.glob("*.yaml"))
    tables = tmp_path / "tables"
    shutil.copytree(paths.PROCESSED, tables)
    key = module._results_key(files, tables, None)
    assert module._results_key(files, tables, None) == key
    with open(tables / "price_index.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    edited = module._results_key(files, tables, None)
    assert edited != key  # a table's bytes changed
    # a build interrupted after its commit record: its tables are put in place before the key is made, as reading
    # them does, so the ratings are never kept under the key of tables they were not made from
    from schoolclaims import files as files_module

    (tables / "price_index.csv.new").write_text((paths.PROCESSED / "price_index.csv").read_text(encoding="utf-8"))
    (tables / files_module.COMMIT).write_text("price_index.csv\n")
    restored = module._results_key(files, tables, None)
    assert restored == key and not (tables / files_module.COMMIT).exists()
    (tmp_path / "manifest.json").write_text("{}")
    monkeypatch.setattr(paths, "MANIFEST", tmp_path / "manifest.json")
    assert module._results_key(files, tables, None) != key  # the raw-file manifest changed
    monkeypatch.setattr(paths, "MANIFEST", tmp_path / "no-manifest.json")
    assert module._results_key(files, tables, None) not in (key, restored)  # none at all: still a key, no error

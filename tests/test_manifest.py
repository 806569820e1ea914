"""The raw-file manifest is a valid Frictionless data package, and every ledger committed with the project matches
the table schema the manifest declares for it."""

from __future__ import annotations

import json

import pytest
from frictionless import Package, validate

from schoolclaims import paths


def manifest() -> dict:
    return json.loads(paths.MANIFEST.read_text(encoding="utf-8"))


def test_the_manifest_is_a_valid_data_package():
    report = Package.validate_descriptor(manifest())
    assert report.valid, report.flatten(["type", "note"])


def test_a_descriptor_with_an_unsafe_path_is_invalid():
    bad = manifest()
    bad["resources"] = [dict(bad["resources"][0], path="/etc/passwd")]
    assert not Package.validate_descriptor(bad).valid


def test_every_committed_ledger_matches_its_declared_schema():
    ledgers = [r for r in manifest()["resources"] if r["source_id"] == "ledgers"]
    assert len(ledgers) >= 17 and all(r.get("schema") for r in ledgers)
    for resource in ledgers:
        report = validate(resource, basepath=str(paths.RAW))
        assert report.valid, (resource["path"], report.flatten(["rowNumber", "fieldName", "type"])[:5])


def test_a_ledger_row_without_its_citation_fails_the_schema(tmp_path):
    [resource] = [r for r in manifest()["resources"] if r["path"].endswith("funding_state_ranks.csv")]
    lines = (paths.RAW / resource["path"]).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = next(iter([line for line in lines[1:] if line.count(",") == len(header) - 1]), None)
    if cells is None:
        pytest.skip("no row without quoted commas to edit")
    row = cells.split(",")
    row[header.index("source_url")] = ""
    (tmp_path / "ranks.csv").write_text("\n".join([lines[0], ",".join(row)]) + "\n", encoding="utf-8")
    edited = {k: v for k, v in resource.items() if k not in ("hash", "bytes")} | {"path": "ranks.csv"}
    report = validate(edited, basepath=str(tmp_path))
    assert not report.valid and "constraint-error" in {e[1] for e in report.flatten(["rowNumber", "type"])}

"""make explore: the database links every provenance hash to its raw file, and Datasette serves it on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request

import pytest

from schoolclaims.report import explore

RECORDS = [{"id": "fund-x", "question_id": "funding-x", "kind": "factual", "claimant": "U", "quote": "A quote here",
            "rating": "true", "conclusion": "Yes.",
            "evidence": [{"item": "i", "entity": "e", "year": "2017-18", "value": 1.5, "unit": "u", "matches": True,
                          "confidence": "official file", "source_id": "x", "file_sha256": ["a" * 64, "b" * 64],
                          "locator": "r1", "source_url": "", "role": "evidence"},
                         {"item": "i", "entity": "e", "year": "2018-19", "value": 10, "unit": "u", "matches": True,
                          "confidence": "official file", "source_id": "x", "file_sha256": ["a" * 64],
                          "locator": "r2", "source_url": "", "role": "evidence"},
                         {"item": "i", "entity": "e", "year": "2019-20", "value": "fifth", "unit": "rank",
                          "matches": None, "confidence": "quoted", "source_id": "x", "file_sha256": ["a" * 64],
                          "locator": "r3", "source_url": "", "role": "context"}]}]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore")
    return explore.prepare(folder / "schoolclaims.db", claims=RECORDS)


def test_every_provenance_hash_is_a_foreign_key_to_its_raw_file(database):
    import sqlite_utils

    db = sqlite_utils.Database(database[0])
    assert db["raw_files"].pks == ["sha256"] and db["raw_files"].count > 0
    single = {fk.column for fk in db["cde_current_expense"].foreign_keys}
    assert single == {"file_sha256"}  # every row from one file: the hash itself links
    joined = {fk.column: fk.other_table for fk in db["state_economy"].foreign_keys}
    assert joined == {"raw_file_1": "raw_files", "raw_file_2": "raw_files"}  # rows joining two files: one link each
    sha = next(db.query("select file_sha256 from cde_current_expense limit 1"))["file_sha256"]
    assert db["raw_files"].get(sha)["path"].startswith("cde_current_expense/")
    assert {fk.column for fk in db["evidence"].foreign_keys} == {"claim_id", "raw_file_1", "raw_file_2"}
    assert "class_size_by_school" in db.table_names()  # an empty table keeps its columns
    meta = json.loads(database[1].read_text())
    assert meta["databases"]["schoolclaims"]["tables"]["raw_files"]["label_column"] == "path"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_serves_a_table_as_json_on_loopback(database):
    db_path, meta_path = database
    port = _free_port()
    server = subprocess.Popen(explore.datasette_command(db_path, meta_path, port), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/schoolclaims/cde_current_expense.json?_shape=objects&_size=2&_labels=on"
        deadline, body = time.monotonic() + 60, None
        while body is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    body = json.load(response)
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Datasette did not answer on port {port}: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.3)
        row = body["rows"][0]
        assert row["file_sha256"]["value"] and row["file_sha256"]["label"].startswith("cde_current_expense/")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_evidence_values_are_numbers_that_sort_as_numbers_and_words_stay_words(database):
    import sqlite_utils

    db = sqlite_utils.Database(database[0])
    rows = list(db.query("select value, value_text from evidence order by value desc"))
    assert rows == [{"value": 10.0, "value_text": None}, {"value": 1.5, "value_text": None},
                    {"value": None, "value_text": "fifth"}]  # as text, "1.5" would sort above "10"
    assert db["evidence"].columns_dict["value"] is float


def test_metadata_describes_every_column_of_the_processed_tables_with_its_unit_licence_and_source(database):
    from schoolclaims.tables import SCHEMAS

    meta = json.loads(database[1].read_text())
    assert meta["license_url"].endswith("#license") and meta["source"].startswith("Archived raw files")
    tables = meta["databases"]["schoolclaims"]["tables"]
    columns = tables["cde_current_expense"]["columns"]
    assert set(columns) == set(SCHEMAS["cde_current_expense"].columns)
    assert columns["per_ada"] == ("Current expense of education per unit of ADA: edp365 / ada, nominal "
                                  "[USD per ADA (nominal)]")
    assert tables["cde_current_expense"]["description"].startswith("CDE's current expense of education per ADA")
    assert tables["state_economy"]["columns"]["raw_file_2"].startswith("raw_file_N")
    assert tables["evidence"]["columns"]["value"].startswith("The figure, as a number")

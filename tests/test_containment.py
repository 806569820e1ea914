"""Nothing is read or written outside data/raw or a mirror folder, and one key has one value: hostile names,
symbolic links, a mirror manifest that climbs out, duplicate files and duplicate rows are refused by name."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from helpers import resource

from schoolclaims.acquire.archive import Archive, ArchiveError, UnsafePath
from schoolclaims.acquire.mirror import Mirror
from schoolclaims.acquire.archive import DuplicateFile, one_file_each
from schoolclaims.cli import main


@pytest.fixture
def src(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("a,b\n1,2\n")
    return path


@pytest.mark.parametrize("source, vintage, filename, message", [
    ("../../etc", "v1", None, "not a registered source id"),
    ("/tmp", "v1", None, "not a registered source id"),
    ("", "v1", None, "not a registered source id"),
    ("ledgers", "../..", None, "vintage '../..' is refused"),
    ("ledgers", "/abs", None, "vintage '/abs' is refused"),
    ("ledgers", "", None, "vintage '' is refused"),
    ("ledgers", "v1", "../../x.csv", "file name '../../x.csv' is refused"),
    ("ledgers", "v1", ".hidden", "file name '.hidden' is refused"),
])
def test_hostile_names_are_refused_and_nothing_is_written(tmp_path, src, source, vintage, filename, message):
    root = tmp_path / "raw"
    with pytest.raises(UnsafePath, match=message):
        Archive(root).import_file(src, source, vintage, "manual-import", "test", filename=filename)
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"] + (["raw"] if root.exists() else [])


def test_the_command_line_says_why_in_one_line(tmp_path, src, monkeypatch, capsys):
    from schoolclaims import paths

    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    assert main(["import", str(src), "--source", "ledgers", "--vintage", "../x", "--origin-detail", "test"]) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: vintage '../x' is refused") and "\n" not in err


def test_a_symlinked_source_folder_is_not_followed(tmp_path, src):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    root = tmp_path / "raw"
    root.mkdir()
    (root / "pay_transcription").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath, match="is a symbolic link"):
        Archive(root).import_file(src, "pay_transcription", "v1", "manual-import", "test")
    assert list(outside.iterdir()) == []


def test_a_manifest_entry_that_climbs_out_is_refused(tmp_path):
    root = tmp_path / "raw"
    root.mkdir()
    entry = resource("ledgers", "v1", path="../../etc/passwd").to_json()
    (root / "datapackage.json").write_text(json.dumps({"resources": [entry]}))
    with pytest.raises(ArchiveError, match=r"datapackage.json: damaged manifest: manifest entry path '../../etc/passwd' "
                                            r"is not a path inside data/raw; refused"):
        Archive(root)


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/hostname", "link/file.csv"])
def test_a_mirror_path_outside_its_folder_is_refused(tmp_path, path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (tmp_path / "outside.csv").write_text("secret\n")
    (mirror / "link").symlink_to(tmp_path, target_is_directory=True)
    (mirror / "MANIFEST.csv").write_text(f"path,official_url,sha256\n{path},https://www.cde.ca.gov/x.csv,\n")
    with pytest.raises(UnsafePath, match=r"MANIFEST.csv line 2: path .* is refused"):
        Mirror(mirror)


def test_two_files_for_one_source_and_year_are_refused_by_name():
    one = resource("cde_frpm", "2014-15", path="cde_frpm/2014-15/frpm1415.csv")
    two = resource("cde_frpm", "2014-15", path="cde_frpm/2014-15/frpm1415.xlsx")
    with pytest.raises(DuplicateFile, match="cde_frpm: two files for vintage 2014-15 .*frpm1415.csv and .*frpm1415.xlsx"):
        one_file_each([one, two])
    one_file_each([one, resource("cde_frpm", "2015-16", path="cde_frpm/2015-16/frpm1516.xlsx")])  # years differ: fine


def test_a_corrected_ledger_supersedes_the_old_one_only_when_it_says_so(tmp_path, src):
    """The same ledger under a new vintage is refused unless imported with --supersedes; then the build reads the
    new one alone (before, both were read and a rating depended on folder names)."""
    from schoolclaims.acquire.archive import current

    from schoolclaims.sources.ledgers import COLUMNS

    (tmp_path / "ranks.csv").write_text(",".join(COLUMNS) + "\nCalifornia,rank,,2016,46,rank,https://x.org,p1,second-hand quote,\n")
    old = Archive(tmp_path / "raw").import_file(tmp_path / "ranks.csv", "ledgers", "v1", "manual-import", "first")
    Archive(tmp_path / "raw").import_file(tmp_path / "ranks.csv", "ledgers", "v2", "manual-import", "corrected")
    with pytest.raises(DuplicateFile, match="ledgers: two files named ranks.csv"):
        one_file_each(current(list(Archive(tmp_path / "raw").resources.values())))
    (tmp_path / "raw" / "datapackage.json").unlink()  # start again, this time saying what the correction replaces
    shutil.rmtree(tmp_path / "raw" / "ledgers" / "v2")
    old = Archive(tmp_path / "raw").import_file(tmp_path / "ranks.csv", "ledgers", "v1", "manual-import", "first")
    new = Archive(tmp_path / "raw").import_file(tmp_path / "ranks.csv", "ledgers", "v2", "manual-import", "corrected",
                                                supersedes=f"data/raw/{old.path}")
    kept = current(list(Archive(tmp_path / "raw").resources.values()))
    assert [r.path for r in kept] == [new.path] and new.extra == {"supersedes": old.path}
    one_file_each(kept)
    with pytest.raises(UnsafePath, match="not another archived file"):
        Archive(tmp_path / "raw").import_file(tmp_path / "ranks.csv", "ledgers", "v4", "manual-import", "x",
                                              supersedes="data/raw/nothing.csv")


def test_a_school_listed_twice_in_one_file_stops_the_build():
    from schoolclaims.transform.schools import census_day_enrollment

    rows = pd.DataFrame({"school_year": "2014-15", "cds": ["19647330111518", "19647330111518", "19647330000001"],
                         "source_id": "cde_frpm", "file_sha256": "a" * 64, "locator": ["row 10", "row 11", "row 12"],
                         "enrollment_k12": [450, 567, 300]})
    with pytest.raises(ValueError, match="lists school 19647330111518 twice for 2014-15 \\(row 10; row 11\\)"):
        census_day_enrollment(rows)
    other_file = rows.iloc[[0, 2]].assign(file_sha256=["a" * 64, "b" * 64])
    assert len(census_day_enrollment(pd.concat([other_file, rows.iloc[[1]].assign(file_sha256="b" * 64, source_id="cde_census_enrollment")]))) == 2


def test_a_qualifier_transcribed_in_quotes_reads_in_words(tmp_path):
    """The class-size ledger writes 'classes (">")' for "more than 1,500": a reader sees 'classes (more than)', as the
    crowd ledger writes it; a unit without a quoted qualifier is left as it is. Synthetic ledger rows."""
    from schoolclaims.sources import ledgers

    assert ledgers.plain_qualifier('classes (">")') == "classes (more than)"
    assert ledgers.plain_qualifier('classes ("nearly")') == "classes (nearly)"
    assert ledgers.plain_qualifier('students (lower bound, "over")') == "students (lower bound, over)"
    assert ledgers.plain_qualifier("people (more than)") == "people (more than)"
    assert ledgers.plain_qualifier("USD per year") == "USD per year"
    path = tmp_path / "figures.csv"
    path.write_text("entity,measure,definition,school_year_or_year,value,unit,source_url,source_locator,confidence,note\n"
                    'x,count,d,2014-15,1500,"classes ("">"")",https://example.org/a,para 5,second-hand quote,"""more than 1,500"""\n',
                    encoding="utf-8")
    assert list(ledgers.read(path)["unit"]) == ["classes (more than)"]

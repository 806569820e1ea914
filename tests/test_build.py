"""Rebuilding data/processed from data/raw reproduces the committed CSVs byte for byte, and a raw
file whose bytes differ from the manifest stops the build before anything is written."""

from __future__ import annotations

import filecmp
import json
import shutil

import pytest

from schoolclaims import freshness, paths
from schoolclaims.acquire.archive import Archive, ChecksumError
from schoolclaims.build import build, check_available, required_resources, stack
from schoolclaims.acquire.mirror import Mirror
from schoolclaims.tables import SCHEMAS


def committed_raw(tmp_path):
    """data/raw as a fresh clone has it: the manifest and the committed small files, no cached downloads."""
    target = tmp_path / "raw"
    target.mkdir()
    shutil.copy(paths.RAW / "datapackage.json", target)
    for folder in ("ledgers", "bls_cpi", "alliance_network", "claim_pages"):  # the committed folders (see .gitignore)
        shutil.copytree(paths.RAW / folder, target / folder)
    return Archive(target)


def test_rebuild_from_a_clean_clone_is_byte_identical(mirror_dir, clean_build):
    raw, out, _ = clean_build
    archive, mirrors = Archive(raw), [Mirror(mirror_dir)]
    assert check_available(archive, mirrors) == []
    for name in SCHEMAS:
        assert filecmp.cmp(out / f"{name}.csv", paths.PROCESSED / f"{name}.csv", shallow=False), name
    # no temp files left; the stamp records what the tables were built from
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{n}.csv" for n in SCHEMAS] + [freshness.STAMP])
    assert filecmp.cmp(out / freshness.STAMP, paths.PROCESSED / freshness.STAMP, shallow=False)


def test_build_refuses_a_tampered_raw_file(mirror_dir, tmp_path):
    fake = tmp_path / "mirror"
    fake.mkdir()
    shutil.copy(mirror_dir / "MANIFEST.csv", fake / "MANIFEST.csv")
    for entry in Mirror(mirror_dir).entries.values():
        target = fake / entry.path.relative_to(mirror_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = entry.path.read_bytes()
        if entry.path.name == "currentexpense1920.xlsx":
            data = data[:-1] + bytes([data[-1] ^ 1])  # flip one bit
        target.write_bytes(data)
    out = tmp_path / "processed"
    with pytest.raises(ChecksumError, match="currentexpense1920.xlsx: sha256 is"):
        build(out, archive=committed_raw(tmp_path), mirrors=[Mirror(fake)], log=lambda s: None)
    assert not out.exists()


def test_build_names_what_is_missing_without_a_mirror(tmp_path):
    archive = committed_raw(tmp_path)
    problems = check_available(archive, mirrors=[])
    mirrored = [r.path for r in required_resources(archive) if not (archive.root / r.path).is_file()]
    assert mirrored and len(problems) == len(mirrored)  # every file that is not committed, each named once
    assert all(sum(f"data/raw/{path} " in p for p in problems) == 1 for path in mirrored)
    assert any("cde_current_expense/2019-20/currentexpense1920.xlsx" in p and "schoolclaims fetch" in p for p in problems)


@pytest.mark.parametrize("damaged, remedy", [
    ("ledgers/shared-2026-11/funding_state_ranks.csv",
     "It is committed: restore it with `git checkout -- data/raw/ledgers/shared-2026-11/funding_state_ranks.csv`, "
     "or import the original again with `schoolclaims import ... --replace`."),
    ("cde_current_expense/2019-20/currentexpense1920.xlsx",
     "Delete it and run `schoolclaims fetch cde_current_expense` to archive it again."),
])
def test_a_checksum_error_at_the_command_line_is_one_line_with_the_remedy_for_that_file(
        mirror_dir, tmp_path, monkeypatch, capsys, damaged, remedy):
    from schoolclaims.cli import main

    archive = committed_raw(tmp_path)
    target = archive.root / damaged
    if not target.exists():  # an official file: archived here as the mirror's bytes
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(archive.locate(archive.get(damaged), [Mirror(mirror_dir)]), target)
    target.write_bytes(target.read_bytes() + b"\n")
    monkeypatch.setattr(paths, "RAW", archive.root)
    assert main(["build", "--out", str(tmp_path / "processed")]) == 3
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert err.startswith(f"error: {target}: sha256 is ")  # outside the repository the path is shown whole
    assert err.endswith(remedy)


def test_a_build_is_skipped_only_while_its_inputs_and_outputs_are_unchanged(mirror_dir, tmp_path, monkeypatch, clean_build):
    monkeypatch.setattr(paths, "CACHE", tmp_path / "cache")  # the extract cache is the run's (see the next test)
    archive, mirrors, out = committed_raw(tmp_path), [Mirror(mirror_dir)], tmp_path / "processed"
    inputs = freshness.build_inputs(archive.manifest_path)

    def fresh(inputs):
        return freshness.up_to_date(out, inputs, archive.root, mirrors)

    assert not fresh(inputs)  # never built
    shutil.copytree(clean_build[1], out)  # the run's build of the same files (conftest.clean_build)
    assert fresh(inputs)
    assert not fresh({**inputs, "code": "0" * 64})  # the code changed
    other_raw = dict(inputs["raw_files"], **{"bls_cpi/cpi-2.1.0/cpi_u_monthly.csv": "0" * 64})
    assert not fresh({**inputs, "raw_files": other_raw})  # a raw file changed
    manifest = json.loads(archive.manifest_path.read_text(encoding="utf-8"))
    manifest["resources"][0]["retrieved_at"] = "2030-01-01T00:00:00Z"  # fetched again, the same bytes
    copy = tmp_path / "manifest-copy.json"
    copy.write_text(json.dumps(manifest), encoding="utf-8")
    assert freshness.build_inputs(copy) == inputs
    manifest["resources"][0]["vintage"] = "another-vintage"  # readers and release dates go by the vintage
    copy.write_text(json.dumps(manifest), encoding="utf-8")
    assert not fresh(freshness.build_inputs(copy))
    with open(out / "price_index.csv", "a", encoding="utf-8") as handle:
        handle.write("edited by hand\n")
    assert not fresh(inputs)  # an output was edited
    # a second build reads every file again (checksums verified) but takes the extracted frames from the cache
    second: list[str] = []
    build(out, archive=archive, mirrors=mirrors, log=second.append)
    reads = [line for line in second if line.startswith("read ")]
    assert reads and all(line.endswith("verified; extracted earlier)") for line in reads)
    assert fresh(inputs)
    shutil.rmtree(tmp_path / "cache")  # as in a fresh clone: nothing recorded on this machine, the files hashed again
    assert fresh(inputs)
    assert not freshness.up_to_date(out, inputs, archive.root, [])  # no mirror: the files it read are nowhere


def test_a_file_is_extracted_once_per_bytes_path_description_and_extract_code(tmp_path, monkeypatch):
    """The extract cache: the same file read again comes from the cache; other bytes, another vintage or source
    description, or other extract code is extracted again (a reader may go by the vintage)."""
    from dataclasses import replace

    from schoolclaims.build import _extract_cached

    monkeypatch.setattr(paths, "EXTRACT_CACHE", tmp_path / "extract")
    archive = Archive()
    resource = archive.get("bls_cpi/cpi-2.1.0/cpi_u_monthly.csv")
    path = archive.locate(resource)
    said: list[str] = []
    first = _extract_cached(resource, path, "code-1", said.append)
    again = _extract_cached(resource, path, "code-1", said.append)
    assert said[0].endswith("verified)") and said[1].endswith("verified; extracted earlier)")
    assert first.keys() == again.keys() and all(first[k].equals(again[k]) for k in first)
    for changed, code in ((resource, "code-2"), (replace(resource, vintage="cpi-9"), "code-1"),
                          (replace(resource, extra={"release": "2030-01-01"}), "code-1")):
        _extract_cached(changed, path, code, said.append)
        assert said[-1].endswith("verified)"), changed  # not from the cache


def test_without_raw_files_the_build_says_what_is_missing_in_a_line_per_source(tmp_path, monkeypatch, capsys):
    """A newcomer's clone without a mirror: one line per source, one remedy, the committed tables kept; -v names
    every file with its address."""
    from schoolclaims.cli import main

    archive = committed_raw(tmp_path)
    monkeypatch.setattr(paths, "RAW", archive.root)
    monkeypatch.delenv("SCHOOLCLAIMS_MIRROR", raising=False)
    missing = [r for r in required_resources(archive) if not (archive.root / r.path).is_file()]
    sources = {r.source_id for r in missing}
    out = tmp_path / "out"
    out.mkdir()
    assert main(["build", "--if-available", "--force", "--out", str(out)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"Cannot rebuild data/processed: {len(missing)} raw files neither archived here nor in a mirror:"
    assert len([line for line in lines if line.startswith("  - ")]) == len(sources)
    assert any(line.startswith("  - cde_current_expense: 24 files (1998-99 to 2021-22), e.g. ") for line in lines)
    assert sum("schoolclaims fetch" in line for line in lines) == 1
    assert lines[-1] == "Keeping the committed data/processed tables (checking that they still validate)."
    assert main(["-v", "build", "--if-available", "--force", "--out", str(out)]) == 0
    named = [line for line in capsys.readouterr().err.splitlines() if "is not archived here" in line]
    assert len(named) == len(missing) and all("address" in line for line in named)
    assert main(["build", "--force", "--out", str(out)]) == 1  # without --if-available: the same report, a failure


def test_each_mirror_s_file_list_is_read_once_per_operation_not_once_per_file(mirror_dir, tmp_path, monkeypatch):
    from schoolclaims.acquire import mirror

    read, original = [], mirror.Mirror.__init__
    monkeypatch.setattr(mirror.Mirror, "__init__", lambda self, folder: read.append(folder) or original(self, folder))
    archive = committed_raw(tmp_path)
    assert check_available(archive) == []  # dozens of files found in the mirror named by SCHOOLCLAIMS_MIRROR
    assert read == [mirror_dir]
    assert check_available(Archive(archive.root)) == [] and len(read) == 2  # a new operation reads it again


def test_stacked_frames_keep_a_categorical_column_categorical_whatever_its_categories():
    import pandas as pd

    first = pd.DataFrame({"sha": pd.Categorical(["a", "a"]), "text": ["x", "y"], "n": [1, 2]})
    second = pd.DataFrame({"sha": pd.Categorical(["b"]), "text": ["z"], "n": [3]})
    stacked = stack([first, second])
    assert isinstance(stacked["sha"].dtype, pd.CategoricalDtype) and stacked["sha"].tolist() == ["a", "a", "b"]
    assert stacked["text"].tolist() == ["x", "y", "z"] and stacked["n"].tolist() == [1, 2, 3]
    assert str(stack([first.astype({"sha": str}), second])["sha"].dtype) == "str"  # categorical in one frame only
    later = pd.DataFrame({"n": [4], "year": pd.Categorical(["2014-15"])})  # a column the first frame lacks
    stacked = stack([second.assign(year=pd.Categorical(["2015-16"])), first, later])
    assert stacked["sha"].cat.categories.tolist() == ["a", "b"]  # sorted, not in the order the files came
    assert stacked["year"].cat.categories.tolist() == ["2014-15", "2015-16"] and stacked["year"].isna().sum() == 2
    mixed = stack([pd.DataFrame({"c": pd.Categorical([1])}), pd.DataFrame({"c": pd.Categorical(["b"])})])
    assert mixed["c"].tolist() == [1, "b"]  # categories of two types: stacked as pandas stacks them, no error

"""The raw snapshot store: manifest, checksums, atomic writes, imports, mirrors."""

from __future__ import annotations

import json

import pytest

from schoolclaims.acquire.archive import Archive, ArchiveError, ChecksumError, MissingRawFile, Resource, sha256_file
from schoolclaims.files import atomic_write
from schoolclaims.acquire.mirror import Mirror, normalize_url


def make_mirror(tmp_path, body=b"a,b\n1,2\n", url="https://example.org/data/file.csv (pattern; not verified here)"):
    folder = tmp_path / "mirror"
    (folder / "repo").mkdir(parents=True)
    (folder / "repo" / "file.csv").write_bytes(body)
    import hashlib
    (folder / "MANIFEST.csv").write_text(
        "path,official_url,sha256,third_party_repo,commit\n"
        f'repo/file.csv,"{url}",{hashlib.sha256(body).hexdigest()},someone/repo,abc123\n')
    return folder


def test_import_records_origin_and_checksum(tmp_path):
    src = tmp_path / "schedule.csv"
    src.write_text("step,salary\n1,50000\n")
    archive = Archive(tmp_path / "raw")
    resource = archive.import_file(src, "alliance_salary", "2015-16", "manual-import", "transcribed from the PDF, p. 2")
    data = json.loads((tmp_path / "raw" / "datapackage.json").read_text())
    entry = data["resources"][0]
    assert entry["hash"] == f"sha256:{sha256_file(src)}" and entry["origin"] == "manual-import"
    assert entry["origin_detail"] == "transcribed from the PDF, p. 2" and entry["mediatype"] == "text/csv"
    assert Archive(tmp_path / "raw").locate(resource).read_bytes() == src.read_bytes()


def test_import_requires_a_stated_origin(tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("a\n")
    with pytest.raises(ValueError, match="came from"):
        Archive(tmp_path / "raw").import_file(src, "s", "v", "manual-import", "  ")


def test_tampered_file_fails_the_checksum(tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("a,b\n1,2\n")
    archive = Archive(tmp_path / "raw")
    resource = archive.import_file(src, "pay_transcription", "v", "manual-import", "test")
    (tmp_path / "raw" / resource.path).write_text("a,b\n1,3\n")
    with pytest.raises(ChecksumError) as err:
        Archive(tmp_path / "raw").locate(resource)
    assert "pay_transcription/v/x.csv" in str(err.value) and resource.sha256 in str(err.value)


def test_missing_file_names_the_fetch_command(tmp_path):
    resource = Resource(path="cde/2019-20/f.xlsx", source_id="cde", vintage="2019-20", url="https://example.org/f.xlsx",
                        sha256="0" * 64, bytes=1, mediatype="x", origin="official")
    with pytest.raises(MissingRawFile, match="schoolclaims fetch cde"):
        Archive(tmp_path).locate(resource, mirrors=[])


def test_mirror_is_read_in_place_when_checksum_matches(tmp_path):
    folder = make_mirror(tmp_path)
    body = (folder / "repo" / "file.csv").read_bytes()
    resource = Resource(path="s/v/file.csv", source_id="s", vintage="v", url="http://example.org/data/file.csv",
                        sha256=sha256_file(folder / "repo" / "file.csv"), bytes=len(body), mediatype="text/csv", origin="mirror")
    assert Archive(tmp_path / "raw").locate(resource, mirrors=[Mirror(folder)]) == folder / "repo" / "file.csv"
    (folder / "repo" / "file.csv").write_bytes(b"changed")
    with pytest.raises(ChecksumError):
        Archive(tmp_path / "raw").locate(resource, mirrors=[Mirror(folder)])


def test_mirror_manifest_maps_addresses_with_remarks_and_fragments(tmp_path):
    folder = make_mirror(tmp_path, url="https://example.org/regional/SAGDP.zip (contains this CSV; pattern)")
    entry = Mirror(folder).lookup("https://example.org/regional/SAGDP.zip#SAGDP1__ALL_AREAS_1997_2019.csv")
    assert entry is not None and entry.note == "someone/repo@abc123"
    assert normalize_url("http://a.org/x/") == "https://a.org/x"


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    def chunks():
        yield b"part one"
        raise RuntimeError("connection lost")

    with pytest.raises(RuntimeError):
        with atomic_write(tmp_path / "out.bin") as handle:
            for chunk in chunks():
                handle.write(chunk)
    assert list(tmp_path.iterdir()) == []


def test_unreadable_manifest_is_named(tmp_path):
    (tmp_path / "datapackage.json").write_text("{not json")
    with pytest.raises(ArchiveError, match="datapackage.json"):
        Archive(tmp_path)


def test_committed_manifest_covers_every_source_with_checksums():
    archive = Archive()
    from schoolclaims import sources

    for source_id in sources.file_ids(required=True):
        resources = archive.for_source(source_id)
        assert resources, source_id
        for resource in resources:
            assert len(resource.sha256) == 64 and resource.bytes > 0 and resource.origin
            assert resource.retrieved_at.endswith("Z")


def test_committed_manifest_matches_the_shared_mirror_manifest(mirror_dir):
    """Our recorded sha256 for each mirrored file equals the mirror's own record."""
    import csv

    theirs = {row["sha256"] for row in csv.DictReader(open(mirror_dir / "MANIFEST.csv", encoding="utf-8"))}
    ours = [r for r in Archive().resources.values() if r.origin == "mirror"]
    assert len(ours) == 45  # 24 CDE current expense, 4 F-33, 3 F-33 district subsets, 2 BEA, the directory, 7 FRPM years,
    # J-90 TSAL1 and TSAL2, the October 2016 assignment code table, the CCD 2015-16 charter file
    assert all(r.sha256 in theirs for r in ours)


def test_a_mirror_copy_s_caveat_reaches_its_origin_summary():
    """What the manifest says after the mirror's own note (how the copy differs, how it is found) is not dropped."""
    summary = Archive().resources["cde_j90_tsal1/2020-21/tsal121.csv"].origin_summary()
    assert summary.startswith("mirror copy of the official file, taken by the third-party repository nathanjones4323/")
    assert summary.endswith("; the mirror records no official address, so the address here is the pattern and the file "
                            "is found in the mirror by its sha256")

"""One file-digest helper (files.sha256_file) and one fingerprint of a set of files (files.fingerprint), used by the
archive, the build stamp and the notebook and page stamps alike."""

from __future__ import annotations

from schoolclaims import files, freshness
from schoolclaims.acquire import archive
from schoolclaims.report import execute, site


def test_sha256_file_is_the_sha256_of_the_bytes(tmp_path):
    (tmp_path / "abc").write_bytes(b"abc")
    assert files.sha256_file(tmp_path / "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    big = tmp_path / "big"
    big.write_bytes(b"x" * (3 << 20) + b"y")  # read in blocks: more than one
    import hashlib

    assert files.sha256_file(big) == hashlib.sha256(big.read_bytes()).hexdigest()


def test_every_check_uses_the_one_helper():
    assert archive.sha256_file is execute.sha256_file is site.sha256_file is files.sha256_file
    assert freshness.fingerprint is execute.fingerprint is files.fingerprint


def test_the_fingerprint_changes_with_bytes_names_and_extra_only(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("1")
    b.write_text("2")
    first = files.fingerprint([a, b], tmp_path)
    assert files.fingerprint([a, b], tmp_path) == first
    assert files.fingerprint([a, b], tmp_path, extra="charts") != first
    b.write_text("3")
    assert files.fingerprint([a, b], tmp_path) != first
    b.write_text("2")
    c = tmp_path / "c.txt"
    b.rename(c)
    assert files.fingerprint([a, c], tmp_path) != first  # a renamed input is a different input
    c.rename(b)
    assert files.fingerprint([a, b], tmp_path) == first

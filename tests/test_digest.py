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
    assert archive.sha256_file is execute.sha256_file is freshness.sha256_file is files.sha256_file
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


def test_one_stamp_decides_what_is_current_for_the_tables_the_notebooks_and_the_site():
    assert freshness.Stamp is execute.Stamp is site.Stamp is files.Stamp


def test_a_stamp_is_current_while_its_inputs_and_every_output_are_unchanged(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("x\n")
    stamp = files.Stamp(tmp_path / "stamps.json", "first")
    assert not stamp.current("inputs-1", out)  # never written
    stamp.write({"inputs": "inputs-1", "outputs": {"a.csv": files.sha256_file(out / "a.csv")}})
    assert stamp.current("inputs-1", out)
    assert not stamp.current("inputs-2", out)  # an input changed
    other = files.Stamp(tmp_path / "stamps.json", "second")  # another entry of the same file
    other.write({"inputs": "other", "outputs": {}})
    assert stamp.current("inputs-1", out) and other.current("other", out)
    (out / "a.csv").write_text("edited\n")
    assert not stamp.current("inputs-1", out)  # an output changed
    (out / "a.csv").unlink()
    assert not stamp.current("inputs-1", out)  # an output is gone
    files.Stamp(tmp_path / "outside.json").write({"inputs": "i", "outputs": {"../stamps.json": "0" * 64}})
    assert not files.Stamp(tmp_path / "outside.json").current("i", out)  # names only files inside the folder
    (tmp_path / "broken.json").write_text("{not json")
    assert files.Stamp(tmp_path / "broken.json").read() == {}


def test_the_committed_notebooks_are_current_so_a_fresh_clone_runs_none():
    """Regression guard on the repository's state (not on the code's correctness): the notebooks, their charts and
    notebooks/run-inputs.json were committed after a run on the committed tables, claims and code. When this fails,
    run `make regen` and commit what it changes."""
    from schoolclaims import paths

    stale = execute.stale_notebooks(charts=paths.ROOT / "report" / "charts")
    assert stale == [], f"{[p.name for p in stale]} are not current: run `make regen` and commit the result"


def test_only_code_counts_among_the_package_files_a_notebook_stamp_hashes(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "templates").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    for name in ("a.py", "layouts.csv", "a.py~", "notes.txt", "templates/page.html", "__pycache__/a.cpython-311.pyc"):
        (package / name).write_text("x")
    monkeypatch.setattr(execute, "PACKAGE", package)
    monkeypatch.setattr(execute, "TEMPLATES", package / "templates")
    assert [p.name for p in execute.code_files()] == ["a.py", "layouts.csv"]  # an editor's backup does not count


def test_the_pages_are_made_again_when_a_mirror_says_something_new_of_an_address(monkeypatch, tmp_path):
    from schoolclaims import paths

    monkeypatch.setattr(site, "mirror_remarks", lambda: {})
    before = site.site_inputs(paths.ROOT / "report" / "charts", "")
    monkeypatch.setattr(site, "mirror_remarks", lambda: {"https://example.org/a": "copied from a third party"})
    assert site.site_inputs(paths.ROOT / "report" / "charts", "") != before

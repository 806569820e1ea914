"""Fault injection for damaged files and faults mid-operation, one test per case of the reliability issue: cut or
impossible files give a one-line error naming file (and member), never a wrong number or a hang; commands remove
only what they wrote and write only inside the project's folders; a damaged manifest of any shape is one line;
`build` re-checks the raw bytes before it says "up to date"; notebook runs leave no debris. Every damaged file is
small and written here (synthetic); kills use SIGKILL at a seeded or watched point so a run is repeatable."""

from __future__ import annotations

import io
import json
import os
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from werkzeug import Response

from schoolclaims import files, freshness, paths
from schoolclaims.acquire.archive import Archive
from schoolclaims.acquire.fetch import fetch_files
from schoolclaims.errors import DATA
from schoolclaims.sources import LayoutError, RawFileSpec, cde_j90, module_for

from dbf import write_dbf
from helpers import quiet_session, resource

# -- 2. a cut file gives a wrong number ------------------------------------------------------------------------------
FIELDS = [("CDS", "C", 14, 0), ("SCHOOL", "C", 40, 0), ("GRADE", "C", 10, 0), ("AVGSIZE", "N", 6, 1),
          ("CLSRM1", "N", 4, 0), ("CLSRM2", "N", 4, 0), ("CLSRM3", "N", 4, 0)]
ROWS = [("19647330106864", "Synthetic School A", "K", 24.5, 1, 2, 0),
        ("19647331234567", "Synthetic School B", "1", 122.0, 2, 1, 1)]  # synthetic rows


def sarc(path: Path):
    return module_for("cde_sarc_acs_elm").extract(resource("cde_sarc_acs_elm", "2014-15"), path)


def test_a_dbase_file_cut_inside_its_last_record_is_refused_not_read_as_12(tmp_path):
    path = write_dbf(tmp_path / "acselm.dbf", FIELDS, ROWS)
    assert sarc(path)["sarc_class_size"]["average_class_size"].tolist() == [24.5, 122.0]  # whole: read as written
    whole = path.read_bytes()
    # cut after '  12' of '122.0' (and its last three fields): dbfread read this as 12.0
    offset = whole.index(b" 122.0")
    path.write_bytes(whole[:offset + 4])
    with pytest.raises(LayoutError, match=r"acselm.dbf: .* bytes, but its header promises .* the file is cut short"):
        sarc(path)


def test_a_j90_tsal2_cut_at_a_line_end_is_caught_by_the_tsal1_cross_check():
    import pandas as pd

    summary = pd.DataFrame({"school_year": "2020-21", "cds": ["0110017", "1964733", "3768338"]})  # synthetic
    headings = pd.DataFrame({"school_year": "2020-21", "cds": ["0110017", "0110017", "1964733", "3768338"]})
    cde_j90.check_together({"j90_summary": summary, "j90_headings": headings})  # whole: every district on both
    with pytest.raises(LayoutError, match=r"J-90 2020-21: TSAL1 and TSAL2 do not list the same districts \(1 only in "
                                          r"TSAL1, e.g. \['3768338'\]"):
        cde_j90.check_together({"j90_summary": summary, "j90_headings": headings.iloc[:3]})


@pytest.mark.parametrize("body, whole", [
    (b"cds,ts2_col,ts2_col1\n0110017,1,BA\n0110017,2,", False),  # cut right after a delimiter
    (b"cds,ts2_col,ts2_col1\n0110017,1,BA\n0110017,2,BA+30", True),  # no final line end, whole row (as mirrors have)
])
def test_a_text_file_cut_right_after_a_delimiter_is_refused(tmp_path, body, whole):
    from schoolclaims.sources._io import check_text

    path = tmp_path / "tsal221.csv"
    path.write_bytes(body)
    if whole:
        check_text(path)
    else:
        with pytest.raises(LayoutError, match="ends on a delimiter"):
            check_text(path)


def _text_server(httpserver, bodies: list[bytes]):
    """A server that answers /tsal221.csv with each body in turn, with no Content-Length (close-delimited)."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    served = iter(bodies)

    def handler(_request):
        return Response(iter([next(served)]), direct_passthrough=True, content_type="text/csv")

    httpserver.expect_request("/tsal221.csv").respond_with_handler(handler)
    return RawFileSpec("cde_j90_tsal2", "2020-21", "tsal221.csv", httpserver.url_for("/tsal221.csv"), "text")


FULL = b"cds,ts2_col,ts2_col1\n" + b"".join(b"%07d,1,BA\n" % i for i in range(400))  # synthetic
CUT = FULL[:FULL.index(b"0000300,")]  # cut exactly at a line end: nothing in the bytes shows it


def test_a_text_download_without_a_content_length_is_kept_only_when_two_copies_agree(httpserver, tmp_path):
    spec = _text_server(httpserver, [CUT, FULL])
    archive = Archive(tmp_path / "raw")
    problems = fetch_files([spec], archive=archive, session=quiet_session(), mirrors=[], log=lambda s: None)
    assert len(problems) == 1 and "two downloads differ" in problems[0]
    assert not (tmp_path / "raw" / "cde_j90_tsal2").exists() or not any((tmp_path / "raw" / "cde_j90_tsal2").rglob("*.csv"))
    assert archive.resources == {}


def test_a_text_download_without_a_content_length_that_two_copies_confirm_is_marked_so(httpserver, tmp_path):
    spec = _text_server(httpserver, [FULL, FULL])
    archive = Archive(tmp_path / "raw")
    assert fetch_files([spec], archive=archive, session=quiet_session(), mirrors=[], log=lambda s: None) == []
    stored = archive.get("cde_j90_tsal2/2020-21/tsal221.csv")
    assert "downloaded twice, both copies identical" in stored.extra["completeness"]


# -- 3. a tiny file hangs or floods the build ------------------------------------------------------------------------
def _extract_in_child(path: Path, source_id: str, vintage: str, timeout: float = 30) -> subprocess.CompletedProcess:
    code = textwrap.dedent(f"""
        import sys, resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))  # 2 GiB: a flood fails instead of swapping
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from helpers import resource as entry
        from schoolclaims.sources import module_for
        try:
            module_for({source_id!r}).extract(entry({source_id!r}, {vintage!r}), Path({str(path)!r}))
        except ValueError as exc:
            print("ERROR", exc)
        else:
            print("ACCEPTED")
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)


def test_a_dbase_header_with_zero_lengths_is_refused_at_once_not_an_endless_loop(tmp_path):
    path = write_dbf(tmp_path / "acselm.dbf", FIELDS, ROWS)
    data = bytearray(path.read_bytes())
    data[8:12] = b"\0\0\0\0"  # header length 0, record length 0
    path.write_bytes(bytes(data))
    started = time.monotonic()
    try:
        done = _extract_in_child(path, "cde_sarc_acs_elm", "2014-15", timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("reading a dBase file whose header says length 0 did not finish in 30 s")
    assert time.monotonic() - started < 30
    assert done.stdout.startswith("ERROR acselm.dbf: not a dBase table this reader accepts"), done.stdout + done.stderr


@pytest.mark.parametrize("header_records", [0xFFFFFFFF, 3])
def test_a_dbase_header_with_an_absurd_or_wrong_record_count_is_refused(tmp_path, header_records):
    path = write_dbf(tmp_path / "acselm.dbf", FIELDS, ROWS)
    data = bytearray(path.read_bytes())
    data[4:8] = struct.pack("<I", header_records)
    path.write_bytes(bytes(data))
    with pytest.raises(LayoutError, match=r"acselm.dbf: (the header declares 4,294,967,295 records, over the limit|.* the file is cut short)"):
        sarc(path)


def self_extracting(path: Path, members: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    path.write_bytes(b"MZ" + b"\x90\x00" * 256 + b"This program cannot be run in DOS mode.\r\n" + b"\x00" * 512 + buffer.getvalue())
    return path


def test_a_j90_text_member_over_its_limit_is_refused_not_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(cde_j90, "MAX_DB_BYTES", 100_000)  # the limit, scaled down for a small synthetic file
    rows = "".join(f'"{i:07d}","District {i}","1000","30000","60000"\n' for i in range(4000))  # about 200 KB
    text = ('"cds","ts1_dname","ts1_ada","ts1_minsal","ts1_maxsal"\n' + rows).encode()
    path = self_extracting(tmp_path / "j901415.exe", {"fixdinfo.txt": text})
    with pytest.raises(LayoutError, match=r"j901415.exe: member fixdinfo.txt (would unpack|unpacks) to .* over the limit of 100,000|"
                                          r"j901415.exe: member fixdinfo.txt unpacks to more than 100,000"):
        cde_j90.read_database(path, "2014-15")


# -- 4. --out deletes what it did not write ---------------------------------------------------------------------------
def test_a_build_into_a_folder_leaves_other_people_s_new_files_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "draft.new").write_text("mine\n")
    (out / "schools.csv.new").write_text("mine too: no build staged it\n")
    files.commit_files(out, {"price_index.csv": "year,value\n"})
    assert (out / "draft.new").read_text() == "mine\n"
    assert (out / "schools.csv.new").read_text() == "mine too: no build staged it\n"
    assert sorted(p.name for p in out.iterdir()) == ["draft.new", "price_index.csv", "schools.csv.new"]


def test_a_build_killed_while_staging_has_its_staged_files_cleared_by_the_next_build_and_only_those(tmp_path):
    out = tmp_path / "out"
    code = ("import os, signal, sys; from pathlib import Path; import schoolclaims.files as f\n"
            "real = f.atomic_write\n"
            "def dying(dest, *a, **k):\n"
            "    if Path(dest).name == f.COMMIT: os.kill(os.getpid(), signal.SIGKILL)\n"
            "    return real(dest, *a, **k)\n"
            "f.atomic_write = dying\n"
            f"f.commit_files(Path({str(out)!r}), {{'a.csv': 'new\\n', 'b.csv': 'new\\n'}})\n")
    out.mkdir()
    (out / "a.csv").write_text("old\n")
    (out / "notes.new").write_text("mine\n")
    done = subprocess.run([sys.executable, "-c", code])
    assert done.returncode == -signal.SIGKILL
    assert (out / "a.csv.new").exists() and (out / "b.csv.new").exists()  # killed after staging, before the record
    files.commit_files(out, {"a.csv": "newer\n"})
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "notes.new"]
    assert (out / "a.csv").read_text() == "newer\n"


def test_site_out_removes_only_the_pages_it_wrote(tmp_path, monkeypatch):
    from schoolclaims.report import execute, site
    from test_site import UNRATED, make_record, small_inputs

    monkeypatch.setattr(execute, "STAMPS", tmp_path / "stamps")
    inputs = small_inputs(tmp_path / "in")
    out = tmp_path / "published"
    (out / "claims").mkdir(parents=True)
    (out / "data" / "processed").mkdir(parents=True)
    (out / "claims" / "my-own-page.html").write_text("mine")
    (out / "data" / "processed" / "my-notes.txt").write_text("mine")
    records = [make_record(), make_record(**UNRATED)]
    site.build_site(out, records=records, claims_text="text\n", **inputs)
    site.build_site(out, records=records[:1], claims_text="text\n", **inputs)  # a claim removed
    assert not (out / "claims" / "class-test-anecdote.html").exists()  # its page, which the site wrote, goes
    assert (out / "claims" / "my-own-page.html").read_text() == "mine"
    assert (out / "data" / "processed" / "my-notes.txt").read_text() == "mine"


# -- 5. writes outside the repository ---------------------------------------------------------------------------------
def test_fetch_into_a_symlinked_source_folder_writes_nothing_through_the_link(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/file.xls").respond_with_data(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"x" * 600)
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "raw"
    root.mkdir()
    (root / "cde_frpm").symlink_to(outside)
    spec = RawFileSpec("cde_frpm", "2014-15", "frpm1415.xls", httpserver.url_for("/file.xls"), "xls")
    problems = fetch_files([spec], archive=Archive(root), session=quiet_session(), mirrors=[], log=lambda s: None)
    assert len(problems) == 1 and "symbolic link" in problems[0]
    assert list(outside.iterdir()) == []  # not a file, not an empty folder


@pytest.mark.parametrize("claim_id", ["/abs/path", "../escape-claim", "a/b-c", "Bad-Id", "x"])
def test_new_writes_only_a_plain_id_inside_claims(tmp_path, claim_id):
    from schoolclaims.claims.load import ClaimFileError
    from schoolclaims.claims.scaffold import scaffold

    target = tmp_path / "abs" / "path" if claim_id.startswith("/") else None
    if target is not None:
        claim_id = str(target)
    folder = tmp_path / "claims"
    folder.mkdir()
    with pytest.raises(ClaimFileError, match="is refused: a plain name"):
        scaffold(claim_id, "target_threshold", folder)
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob("**/*.yaml"))
    assert scaffold("sdusd-outspends-lausd-2018", "target_threshold", folder) == folder / "sdusd-outspends-lausd-2018.yaml"


# -- 6. tracebacks instead of one line --------------------------------------------------------------------------------
CE_HEADER = "AcademicYear\tDistrictCode\tSchoolCode\tClassID\tClassCourseCodeOrMultCourseInd\tEnrollmentTotal\n"


def _class_zip(tmp_path: Path, damage: str) -> Path:
    rows = "".join(f"1415\t1964733\t{1000000 + i}\t{i}\t2100\t{i % 40 + 1}\n" for i in range(20000))  # synthetic
    body = (CE_HEADER + rows).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ClassEnrollment14.txt", body)
    data = bytearray(buffer.getvalue())
    if damage == "crc":
        data[len(data) // 3] ^= 0xFF
    else:  # the member's size understated in both headers
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = data.find(signature)
            data[at + offset:at + offset + 4] = struct.pack("<I", len(body) // 3)
    path = tmp_path / "ClassEnrollment14.zip"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("damage", ["crc", "understated"])
def test_a_damaged_class_level_zip_member_is_one_error_naming_archive_and_member(tmp_path, damage):
    path = _class_zip(tmp_path, damage)
    with pytest.raises(LayoutError, match=r"ClassEnrollment14.zip \((member )?ClassEnrollment14.txt\)"):
        module_for("cde_class_enrollment").extract(resource("cde_class_enrollment", "2014-15"), path)
    from schoolclaims.sources._io import check_complete

    with pytest.raises(LayoutError, match=r"data/raw/x.zip \(member ClassEnrollment14.txt\): .*fetch it again"):
        check_complete(path, "data/raw/x.zip", "fetch it again")


def test_a_j90_database_member_with_a_crc_error_is_one_error_naming_archive_and_member(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("mdb-export", "mdb-tables"):
        (folder / name).write_text("#!/bin/sh\nexit 0\n")
        (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    import random

    noise = random.Random(18).randbytes(100_000)  # synthetic, incompressible: the flipped byte lands in the member
    path = self_extracting(tmp_path / "j901617.exe", {"j901617.mdb": b"Standard Jet DB" + noise})
    data = bytearray(path.read_bytes())
    data[data.find(b"PK\x03\x04") + 30 + len("j901617.mdb") + 5000] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(LayoutError, match=r"j901617.exe \(j901617.mdb\): the member is damaged or cut short"):
        cde_j90.read_database(path, "2016-17")


def test_a_hung_mdbtools_program_is_one_error_not_an_uncaught_timeout(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "mdb-export").write_text("#!/bin/sh\nexit 0\n")
    (folder / "mdb-tables").write_text("#!/bin/sh\nexec sleep 20\n")
    for name in ("mdb-export", "mdb-tables"):
        (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    monkeypatch.setattr(cde_j90, "MDB_TIMEOUT", 1, raising=False)
    path = self_extracting(tmp_path / "j901617.exe", {"j901617.mdb": b"Standard Jet DB" + b"\0" * 1000})
    with pytest.raises(LayoutError, match=r"j901617.exe \(j901617.mdb\): mdb-tables did not finish within 1 s"):
        cde_j90.read_database(path, "2016-17")


MANIFESTS = {
    "a list": "[]",
    "a number for a hash": None,
    "resources a mapping": '{"resources": {"a": {}}}',
    "resources null": '{"resources": null}',
    "an entry that is a string": '{"resources": ["just a string"]}',
    "cut short": None,
}


@pytest.mark.parametrize("shape", list(MANIFESTS))
@pytest.mark.parametrize("command", [["build"], ["verify"], ["claims", "fund-20-by-20", "--rows", "0"]])
def test_a_manifest_of_any_shape_is_one_line_from_every_command(tmp_path, monkeypatch, capsys, shape, command):
    from schoolclaims.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    good = (paths.RAW / "datapackage.json").read_text(encoding="utf-8")
    text = MANIFESTS[shape]
    if shape == "a number for a hash":
        data = json.loads(good)
        data["resources"][0]["hash"] = 12345
        text = json.dumps(data)
    elif shape == "cut short":
        text = good[:-30]
    (raw / "datapackage.json").write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "MANIFEST", raw / "datapackage.json")
    out = [*command, "--out", str(tmp_path / "processed")] if command == ["build"] else command
    assert main(out) == DATA  # a data error (exit status 3)
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    assert "datapackage.json" in err and "manifest" in err


def test_a_damaged_file_of_a_live_only_source_is_not_sent_to_git(tmp_path):
    from schoolclaims.acquire.archive import ChecksumError

    root = tmp_path / "raw"
    src = self_extracting(tmp_path / "j901617.exe", {"j901617.mdb": b"db"})
    stored = Archive(root).import_file(src, "cde_j90_db", "2016-17", "manual-import", "saved from the CDE page")
    (root / stored.path).write_bytes(src.read_bytes() + b"x")
    with pytest.raises(ChecksumError) as caught:
        Archive(root).locate(Archive(root).get(stored.path), mirrors=[])
    assert "git checkout" not in str(caught.value)
    assert "schoolclaims import FILE --source cde_j90_db --vintage 2016-17 --replace" in str(caught.value)


def test_a_failing_notebook_cell_is_one_line_naming_notebook_cell_and_error(tmp_path):
    import nbformat

    from schoolclaims.report import execute

    nb_path = tmp_path / "broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                                   nbformat.v4.new_code_cell("raise RuntimeError('a broken cell')")]), nb_path)
    with pytest.raises(execute.NotebookError) as caught:
        execute.execute(nb_path, tmp_path / "charts", timeout=120)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    assert "broken.ipynb: a cell failed (cell 2: RuntimeError: a broken cell)" in message


def test_a_notebook_that_is_not_json_is_one_line_from_site(tmp_path):
    from schoolclaims.report import site

    nb_path = tmp_path / "pay.ipynb"
    nb_path.write_text('{"cells": [{"cell_type": "code", "sou')
    with pytest.raises(site.SiteError, match=r"pay.ipynb: not a readable notebook .*; restore it with `git checkout"):
        site.notebook_body(nb_path)


# -- 7. debris ----------------------------------------------------------------------------------------------------------
def test_a_kernel_temporary_folder_is_removed_after_the_run(tmp_path):
    """Code run in a kernel that leaves a temporary folder behind (as an exit handler that never runs would)."""
    import nbformat

    from schoolclaims.report import execute

    nb_path = tmp_path / "leaves.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import tempfile, pathlib\nleft = tempfile.mkdtemp(prefix='schoolclaims-first-hand-')\n"
        "pathlib.Path(left, 'table.csv').write_text('x')\nprint(left)")]), nb_path)
    execute.execute(nb_path, tmp_path / "charts", timeout=120)
    left = Path(nbformat.read(nb_path, as_version=4).cells[0].outputs[0]["text"].strip())
    assert left.name.startswith("schoolclaims-first-hand-")
    assert not left.exists()


def test_a_notebook_run_killed_mid_run_leaves_scratch_the_next_run_removes(tmp_path):
    """SIGKILL the run as soon as its scratch chart folder appears; the next run removes it (and the kernel's)."""
    import nbformat

    charts = tmp_path / "charts"
    nb_path = tmp_path / "slow.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(30)")]), nb_path)
    code = (f"from pathlib import Path; from schoolclaims.report import execute; "
            f"execute.execute(Path({str(nb_path)!r}), Path({str(charts)!r}), timeout=60)")
    process = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (charts.is_dir() and any(charts.iterdir())):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    scratch = [p for p in charts.iterdir() if p.is_dir()]
    assert len(scratch) == 1 and scratch[0].name.startswith(".slow.")
    from schoolclaims.report import execute

    assert execute.run_stale([], charts=charts, stamps=tmp_path / "stamps") == []
    assert list(charts.iterdir()) == []
    kernel_left = [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob(f"schoolclaims-kernel-pid{process.pid}-*")]
    assert kernel_left == []


# -- 8. a stale "up to date" ------------------------------------------------------------------------------------------
def test_build_says_up_to_date_only_while_the_raw_bytes_it_read_are_unchanged(mirror_dir, tmp_path, monkeypatch, clean_build):
    import shutil

    from schoolclaims.acquire.mirror import Mirror
    from test_build import committed_raw

    monkeypatch.setattr(paths, "CACHE", tmp_path / "cache")
    archive, mirrors, out = committed_raw(tmp_path), [Mirror(mirror_dir)], tmp_path / "processed"
    inputs = freshness.build_inputs(archive.manifest_path)

    def fresh(mirrors=mirrors):
        return freshness.up_to_date(out, inputs, archive.root, mirrors)

    shutil.copytree(clean_build[1], out)  # the run's build of these files (conftest.clean_build)
    assert fresh()
    ledger = archive.root / "ledgers" / "shared-2026-11" / "funding_state_ranks.csv"
    original = ledger.read_bytes()
    flipped = bytearray(original)
    flipped[len(flipped) // 2] ^= 0x01  # one bit, same size
    ledger.write_bytes(bytes(flipped))
    assert not fresh()
    ledger.write_bytes(original)
    assert fresh()  # the same bytes again (hashed again: the mtime changed)
    copy = tmp_path / "elsewhere.csv"
    copy.write_bytes(original)
    ledger.unlink()
    ledger.symlink_to(copy)  # same bytes, behind a symbolic link: the build would refuse it
    assert not fresh()
    ledger.unlink()
    ledger.write_bytes(original)
    # another mirror folder holding the same bytes: its copies are hashed, and they would give the same tables
    mirror_copy = tmp_path / "mirror"
    shutil.copytree(mirror_dir, mirror_copy, symlinks=True)
    assert fresh([Mirror(mirror_copy)])
    # a mirror file the build would read, damaged in place: its sha256 is checked again (mtime and size changed)
    stamp = json.loads((out / freshness.STAMP).read_text())
    from_mirror = [rel for rel in stamp["read"] if not (archive.root / rel).is_file()]
    assert from_mirror
    victim = archive.find(archive.get(from_mirror[0]), [Mirror(mirror_copy)])
    assert victim.is_relative_to(mirror_copy)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    assert not fresh([Mirror(mirror_copy)])
    assert fresh()  # the first mirror's copy is untouched
    # an archived copy put where a mirror's was read: that copy is read next time, so it decides
    local = archive.root / from_mirror[0]
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_bytes(bytes(data))
    assert not fresh()

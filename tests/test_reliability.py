"""All or nothing: an interrupted build or import never leaves data/processed as a mix of two builds, nor a raw file
whose bytes disagree with the manifest."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schoolclaims import files, paths


def test_a_commit_interrupted_after_its_record_is_finished_by_the_next_reader(tmp_path, monkeypatch):
    folder = tmp_path / "processed"
    folder.mkdir()
    for name in ("a.csv", "b.csv", "c.csv"):
        (folder / name).write_text("old\n")
    real_replace, renamed = os.replace, []

    def dies_after_one_rename(src, dst):
        if str(dst).endswith(".csv"):  # the renames into place (staged files end in .new, the record is .commit)
            if renamed:
                raise KeyboardInterrupt("killed")
            renamed.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dies_after_one_rename)
    with pytest.raises(KeyboardInterrupt):
        files.commit_files(folder, {"a.csv": "new\n", "b.csv": "new\n", "c.csv": "new\n"})
    monkeypatch.setattr(os, "replace", real_replace)
    assert {(folder / n).read_text() for n in ("a.csv", "b.csv", "c.csv")} == {"old\n", "new\n"}  # mixed on disk...
    files.finish_commit(folder)  # ...until anyone reads: every load and the build's freshness check call this first
    assert [(folder / n).read_text() for n in ("a.csv", "b.csv", "c.csv")] == ["new\n"] * 3
    assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "b.csv", "c.csv"]


def test_a_commit_interrupted_before_its_record_leaves_the_old_files(tmp_path, monkeypatch):
    folder = tmp_path / "processed"
    folder.mkdir()
    (folder / "a.csv").write_text("old\n")
    real_write = files.atomic_write

    def dies_at_the_record(dest, *args, **kwargs):
        if Path(dest).name == files.COMMIT:
            raise KeyboardInterrupt("killed")
        return real_write(dest, *args, **kwargs)

    monkeypatch.setattr(files, "atomic_write", dies_at_the_record)
    with pytest.raises(KeyboardInterrupt):
        files.commit_files(folder, {"a.csv": "new\n", "b.csv": "new\n"})
    monkeypatch.setattr(files, "atomic_write", real_write)
    files.finish_commit(folder)
    assert (folder / "a.csv").read_text() == "old\n" and not (folder / "b.csv").exists()
    files.commit_files(folder, {"a.csv": "newer\n"})  # the next writer clears what the killed one staged
    assert sorted(p.name for p in folder.iterdir()) == ["a.csv"] and (folder / "a.csv").read_text() == "newer\n"


def test_table_writes_killed_at_every_moment_leave_old_or_new_tables_never_a_mix(tmp_path):
    """A subprocess puts the processed tables in place as the build's last step does (files.commit_files) and is
    killed (SIGKILL) at 16 moments swept from the start of the write to 1.5 times its measured length (swept again,
    shifted, up to 64 kills, while fewer than 2 found the write under way: a busy machine's timing wavers); after
    each kill the folder, once read, holds either every old table or every new one. Some kills must find the write under way
    (staged files or the commit record present), or the sweep has shown nothing. A kill while the build is still
    reading or computing cannot touch the folder; the sweep puts the kills where they can. (That the build writes
    its tables through commit_files is the test below.)"""
    out = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, out)
    old = {p.name: p.read_bytes() + b"old\n" for p in out.glob("*.csv")}  # an 'old build' that differs from the new
    new = {p.name: p.read_bytes() for p in paths.PROCESSED.glob("*.csv")}
    script = ("import sys; from pathlib import Path; from schoolclaims.files import commit_files; "
              f"texts = {{p.name: p.read_text(encoding='utf-8') for p in Path({str(paths.PROCESSED)!r}).glob('*.csv')}}; "
              f"print('ready', flush=True); sys.stdin.readline(); commit_files(Path({str(out)!r}), texts)")

    def start() -> subprocess.Popen:
        for name, data in old.items():  # back to the old build
            (out / name).write_bytes(data)
        process = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline() == "ready\n"
        return process

    lengths = []
    for _ in range(2):  # how long an uninterrupted write takes here
        process = start()
        began = time.monotonic()
        process.communicate("go\n", timeout=60)
        lengths.append(time.monotonic() - began)
        assert {name: (out / name).read_bytes() for name in old} == new
    under_way, kills = 0, 0
    while kills < 16 or (under_way < 2 and kills < 64):  # on a busy machine a write's timing wavers: sweep again
        delay = max(lengths) * 1.5 * (kills % 16) / 15 + max(lengths) * 0.1 * (kills // 16)  # shifted on each sweep
        kills += 1
        process = start()
        process.stdin.write("go\n")
        process.stdin.flush()
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        under_way += bool(list(out.glob("*.new")) or (out / files.COMMIT).exists())
        files.finish_commit(out)
        state = {name: (out / name).read_bytes() for name in old}
        assert state in (old, new), f"a mix after a kill {delay:.3f} s into the write"
        files.finish_commit(out, clear_staged=True)
        assert not list(out.glob("*.new")) and not (out / files.COMMIT).exists()
    assert under_way >= 2, f"only {under_way} of {kills} kills found the write under way"


def test_the_build_puts_its_tables_and_stamp_in_place_through_one_commit(clean_build):
    """What the kill test above relies on: a build writes every table and its stamp in one commit_files call (the
    calls are recorded by conftest.clean_build around the run's build)."""
    _, out, calls = clean_build
    assert calls == [(out, sorted(p.name for p in out.iterdir()))]
    assert "build-inputs.json" in calls[0][1] and sum(name.endswith(".csv") for name in calls[0][1]) >= 20


# -- imports: one writer at a time, file and manifest together, nothing left behind ---------------------------
def _consistent(root: Path) -> None:
    """After recovery, every manifest entry's file has the recorded bytes and no change is left pending. (A killed
    copy's temporary file is removed once stale: see the test below.)"""
    from schoolclaims.acquire.archive import JOURNAL, Archive, sha256_file

    archive = Archive(root)
    with files.locked(root):
        archive.recover()
    for resource in Archive(root).resources.values():
        assert sha256_file(root / resource.path) == resource.sha256, resource.path
    assert not (root / JOURNAL).exists()


def _import_script(root: Path, src: Path, vintage: str, replace: bool = False) -> str:
    return ("from pathlib import Path; from schoolclaims.acquire.archive import Archive; "
            f"Archive(Path({str(root)!r})).import_file(Path({str(src)!r}), 'pay_transcription', {vintage!r}, "
            f"'manual-import', 'test', filename='schedule.csv', replace={replace})")


def test_two_imports_at_once_both_reach_the_manifest(tmp_path):
    root, src = tmp_path / "raw", tmp_path / "schedule.csv"
    src.write_bytes(b"employer,step\n" + b"x,1\n" * 200_000)
    runs = [subprocess.Popen([sys.executable, "-c", _import_script(root, src, vintage)]) for vintage in ("v1", "v2")]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    from schoolclaims.acquire.archive import Archive

    assert sorted(Archive(root).resources) == ["pay_transcription/v1/schedule.csv", "pay_transcription/v2/schedule.csv"]
    _consistent(root)


def test_a_full_disk_during_an_import_leaves_nothing_behind(tmp_path, monkeypatch):
    import errno

    from schoolclaims.acquire.archive import Archive

    root, src = tmp_path / "raw", tmp_path / "schedule.csv"
    src.write_text("employer,step\nx,1\n")
    Archive(root).import_file(src, "pay_transcription", "v1", "manual-import", "first")
    before = (root / "datapackage.json").read_bytes()

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    with pytest.raises(OSError, match="No space left"):
        Archive(root).import_file(src, "pay_transcription", "v2", "manual-import", "second")
    assert (root / "datapackage.json").read_bytes() == before
    _consistent(root)


def test_an_import_with_replace_killed_at_random_moments_leaves_file_and_manifest_in_agreement(tmp_path):
    from schoolclaims.acquire.archive import Archive

    root = tmp_path / "raw"
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_text("employer,step\nx,1\n")
    large.write_bytes(b"employer,step\n" + b"y,2\n" * 5_000_000)  # 20 MB: the kill can land inside the copy
    Archive(root).import_file(small, "pay_transcription", "v1", "manual-import", "first", filename="schedule.csv")
    rng = random.Random(7)
    for _ in range(6):
        process = subprocess.Popen([sys.executable, "-c", _import_script(root, large, "v1", replace=True)])
        time.sleep(rng.uniform(0.05, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        _consistent(root)


def test_a_temporary_file_left_by_a_killed_copy_is_removed_by_the_next_writer(tmp_path):
    from schoolclaims.acquire.archive import STALE_SECONDS, Archive

    root = tmp_path / "raw"
    stale = root / "pay_transcription" / "v1" / ".schedule.csv.abc123.part"
    fresh = root / "pay_transcription" / "v1" / ".other.csv.def456.part"  # another writer's download in progress
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"being written")
    old = time.time() - STALE_SECONDS - 5
    os.utime(stale, (old, old))
    src = tmp_path / "schedule.csv"
    src.write_text("employer,step\nx,1\n")
    Archive(root).import_file(src, "pay_transcription", "v2", "manual-import", "test")
    assert not stale.exists() and fresh.exists()

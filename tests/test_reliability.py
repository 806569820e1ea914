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


def test_a_build_killed_at_random_moments_leaves_old_or_new_tables_never_a_mix(mirror_dir, tmp_path):
    """A subprocess build is killed (SIGKILL) after a random delay, a bounded number of times; after each kill the
    folder, once read, holds either every old table or every new one."""
    from test_build import committed_raw

    archive = committed_raw(tmp_path)
    out = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, out)
    old = {p.name: p.read_bytes() + b"old\n" for p in out.glob("*.csv")}  # an 'old build' that differs from the new
    for name, data in old.items():
        (out / name).write_bytes(data)
    new = {p.name: p.read_bytes() for p in paths.PROCESSED.glob("*.csv")}
    script = ("import sys; from pathlib import Path; from schoolclaims.build import build; "
              "from schoolclaims.acquire.archive import Archive; from schoolclaims.acquire.mirror import Mirror; "
              f"build(Path({str(out)!r}), Archive(Path({str(archive.root)!r})), [Mirror(Path({str(mirror_dir)!r}))], log=lambda s: None)")
    rng = random.Random(20261201)
    outcomes = []
    for _ in range(6):
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-c", script])
        time.sleep(rng.uniform(0.5, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        files.finish_commit(out)
        state = {name: (out / name).read_bytes() for name in old}
        is_old, is_new = state == old, state == new
        assert is_old or is_new, f"a mix after a kill at {time.monotonic() - started:.1f} s"
        outcomes.append("new" if is_new else "old")
        if is_new:  # back to the old build for the next round
            for name, data in old.items():
                (out / name).write_bytes(data)
    assert not list(out.glob("*.new")) or not (out / files.COMMIT).exists()

"""Shared fixtures. Tests never touch the network: HTTP goes to pytest-httpserver on localhost."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from schoolclaims import paths

SHARED_MIRROR = paths.ROOT.parent / "shared" / "mirror"


def mirror_folder() -> Path | None:
    for candidate in [*paths.mirror_dirs(), SHARED_MIRROR]:
        if (Path(candidate) / "MANIFEST.csv").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def mirror_root() -> Path:
    """The mirror folder, or a skip (a failure in CI) when there is none."""
    folder = mirror_folder()
    if folder is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have ../shared/mirror beside the clone")
        pytest.skip("no mirror folder (set SCHOOLCLAIMS_MIRROR or put ../shared/mirror beside the clone)")
    return folder


@pytest.fixture
def mirror_dir(mirror_root, monkeypatch) -> Path:
    monkeypatch.setenv("SCHOOLCLAIMS_MIRROR", str(mirror_root))
    return mirror_root


@pytest.fixture
def mirrored(mirror_dir):
    """(archive, mirrors) for reading the committed manifest's files through the mirror."""
    from schoolclaims.acquire.archive import Archive
    from schoolclaims.acquire.mirror import Mirror

    return Archive(), [Mirror(mirror_dir)]


@pytest.fixture
def wayback(httpserver, monkeypatch):
    """A local server standing in for the Internet Archive (CDX API and captures)."""
    from schoolclaims.acquire import wayback as client

    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    monkeypatch.setattr(client, "WAYBACK", httpserver.url_for("").rstrip("/"))
    return httpserver


@pytest.fixture(scope="session", autouse=True)
def shared_extract_cache(tmp_path_factory):
    """One extract cache for every build of the run, both workers included: its entries are keyed by the file's
    sha256, its path and the extract code, so a build can only find the frames its own bytes give. A test about
    the cache itself points paths.EXTRACT_CACHE at a folder of its own."""
    folder = _shared_folder(tmp_path_factory) / "extract-cache"
    folder.mkdir(exist_ok=True)
    patch = pytest.MonkeyPatch()
    patch.setattr(paths, "EXTRACT_CACHE", folder)
    yield folder
    patch.undo()


def _shared_folder(tmp_path_factory) -> Path:
    """A folder every worker of the run sees (the parent of each worker's own temporary folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> tuple[Path, float]:
    """(folder, seconds a rebuild with nothing changed took) of the real site (test_site.build_real_site), built once
    for the run: the first worker to ask builds it under a lock, the other finds it done. Tests only read it."""
    import json

    from filelock import FileLock
    from test_site import build_real_site

    folder = _shared_folder(tmp_path_factory) / "real-site"
    with FileLock(str(folder) + ".lock"):
        done = folder / "built.json"
        if not done.is_file():  # (a build that failed in the other worker is tried again here, and fails with its error)
            folder.mkdir(exist_ok=True)
            out, skipped_in = build_real_site(folder)
            done.write_text(json.dumps({"out": str(out), "skipped_in": skipped_in}), encoding="utf-8")
        built = json.loads(done.read_text(encoding="utf-8"))
    return Path(built["out"]), built["skipped_in"]


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory, mirror_root):
    """(raw folder, processed folder, commit_files calls) of one build of a clean clone's data/raw (test_build.committed_raw)
    with the mirror, made once for the run: the first worker to ask builds it under a lock, the other finds it done.
    Tests only read it; a test that changes the tables or the raw files works on its own copy."""
    import json

    from filelock import FileLock

    folder = _shared_folder(tmp_path_factory) / "clean-build"
    with FileLock(str(folder) + ".lock"):
        done = folder / "built.json"
        if not done.is_file():
            from test_build import committed_raw

            from schoolclaims import files
            from schoolclaims.acquire.mirror import Mirror
            from schoolclaims.build import build
            from schoolclaims.tables import io

            shutil.rmtree(folder, ignore_errors=True)  # what a failed try in the other worker left: build again, fail with its error
            folder.mkdir()
            calls = []
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(io, "commit_files", lambda f, texts: calls.append((str(f), sorted(texts))) or files.commit_files(f, texts))
                archive = committed_raw(folder)
                build(folder / "processed", archive=archive, mirrors=[Mirror(mirror_root)], log=lambda s: None)
            done.write_text(json.dumps({"calls": calls}), encoding="utf-8")
        calls = [(Path(f), names) for f, names in json.loads(done.read_text(encoding="utf-8"))["calls"]]
    return folder / "raw", folder / "processed", calls


def pytest_collection_modifyitems(items):
    """The longest units of work first (a stable sort: the rest keep their order): the browser tests (the pass over every
    page is most of a minute of a browser's work), then the notebooks (5-11 s each, one kernel per notebook), then the
    test modules. Given out in that order (--dist loadscope), the long ones run at once on both workers and the short
    modules even out the end, instead of one worker finishing a notebook while the other waits idle."""
    def rank(item) -> int:
        path = item.nodeid.split("::")[0]
        return 0 if path == "tests/test_browser.py" else 1 if path.endswith(".ipynb") else 2

    items.sort(key=rank)

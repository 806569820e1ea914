"""A plugin (``-p tests.notebook_charts`` in pyproject.toml's addopts): each notebook nbval runs writes its charts into
a folder of its own (under SCHOOLCLAIMS_CHARTS_DIR, which `make test` points at a scratch folder, else a temporary
one), and after its last cell every file it wrote must have the bytes committed in report/charts: PNG, SVG, phone
PNG, CSV and alt text. nbval compares the cells' text; this compares the charts, which the published site shows.

A conftest.py hook would not see the notebooks' items (they are not under tests/), hence a plugin."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_STATE: dict = {}


def _notebook(item) -> Path | None:
    return item.path if item.path.suffix == ".ipynb" else None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the notebook's first cell, when nbval starts its kernel (which takes the environment then)."""
    notebook = _notebook(item)
    if notebook is None or _STATE.get("notebook") == notebook:
        return
    base = Path(_STATE.setdefault("base", os.environ.get("SCHOOLCLAIMS_CHARTS_DIR") or tempfile.mkdtemp()))
    folder = base / f"notebook-{notebook.stem}"
    shutil.rmtree(folder, ignore_errors=True)  # only what this run draws is compared
    folder.mkdir(parents=True)
    _STATE.update(notebook=notebook, folder=folder, before=os.environ.get("SCHOOLCLAIMS_CHARTS_DIR"))
    os.environ["SCHOOLCLAIMS_CHARTS_DIR"] = str(folder)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the notebook's last cell (its kernel stopped, whatever happened): the environment as it was, then its
    chart files against report/charts. A run of some cells only compares the files those cells drew."""
    notebook = _notebook(item)
    last = notebook is not None and (nextitem is None or nextitem.path != notebook)
    try:
        result = yield
    finally:
        if last:
            _STATE["notebook"] = None
            if _STATE["before"] is None:
                os.environ.pop("SCHOOLCLAIMS_CHARTS_DIR", None)
            else:
                os.environ["SCHOOLCLAIMS_CHARTS_DIR"] = _STATE["before"]
    if last:
        _compare(notebook, _STATE["folder"])
    return result


def _compare(notebook: Path, folder: Path) -> None:
    from schoolclaims import paths

    committed = paths.ROOT / "report" / "charts"
    written = sorted(p for p in folder.iterdir() if p.is_file())
    differ = [p.name for p in written if not (committed / p.name).is_file() or (committed / p.name).read_bytes() != p.read_bytes()]
    assert not differ, (f"{notebook.name} drew chart files that differ from report/charts (run `make regen` and commit "
                        f"them): {differ[:10]}" + (f" and {len(differ) - 10} more" if len(differ) > 10 else ""))

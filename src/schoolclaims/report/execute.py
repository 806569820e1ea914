"""Running the notebooks only when something they read has changed.

A notebook's inputs are its own bytes, data/processed/, the raw-file manifest, claims/ and the package's code
(everything under src/schoolclaims but the site templates). After a run the notebook is written back in place
(atomically) and its entry in notebooks/run-inputs.json (a :class:`files.Stamp`, committed with the notebooks and
charts) records the digest of those inputs and the sha256 of the chart files the run wrote. The next run skips a
notebook whose stamp still matches and whose charts are unchanged, in a fresh clone too.

Each notebook runs with its own scratch chart folder beside report/charts (SCHOOLCLAIMS_CHARTS_DIR); the files it
wrote are renamed into report/charts only when every cell succeeded, so a failed or interrupted run never leaves
a half-written chart or notebook, and the stamp knows exactly which charts came from which notebook.

Scratch is removed: the chart folder and the kernel's own temporary folder (TMPDIR, where code run by the kernel
puts its temporary files; kernels are stopped without running exit handlers) are deleted after each run, and a run
killed before it could delete them leaves folders named with its process id, which the next run removes once that
process is gone.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .. import files, paths
from ..files import Stamp, UnsafePath, atomic_write, finish_commit, fingerprint, inside, sha256_file

NOTEBOOKS = paths.ROOT / "notebooks"
RUN_STAMPS = NOTEBOOKS / "run-inputs.json"  # one entry per notebook, committed with them
STAMPS = paths.CACHE / "report"  # the site's stamps (its pages are not committed)
PACKAGE = Path(__file__).resolve().parents[1]  # src/schoolclaims
TEMPLATES = Path(__file__).resolve().parent / "templates"


class NotebookError(RuntimeError):
    """A notebook failed to run; the message names the notebook and the cell's error."""


def skip_iri_grammar() -> None:
    """Keep jsonschema from importing its optional IRI format checker (rfc3987_syntax), which compiles a grammar for
    about 1.5 s of CPU at import and which reading, running and converting notebooks never use; jsonschema skips the
    checks it cannot import. Call it before anything imports jsonschema (nbformat, nbconvert, nbval)."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def import_nbformat():
    """nbformat, without jsonschema's IRI checker (see :func:`skip_iri_grammar`)."""
    skip_iri_grammar()
    import nbformat

    return nbformat


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in Path(folder).glob(pattern) if p.is_file() and not p.name.startswith("."))


def code_files() -> list[Path]:
    """The package's code that decides what a notebook shows (files.code_files; not the site templates)."""
    return files.code_files(PACKAGE, leave_out=TEMPLATES)


def shared_inputs() -> list[Path]:
    """What every notebook reads besides itself: the tables (an interrupted build's pending tables put in place
    first, as reading them does), the manifest, the claim files, the code, the locked library versions, and
    pyproject.toml (the site's address, which charts carry)."""
    finish_commit(paths.PROCESSED)
    return [*_files(paths.PROCESSED), paths.MANIFEST, *_files(paths.claims_dir()), *code_files(),
            paths.ROOT / "requirements.lock", paths.ROOT / "pyproject.toml"]


def digest(files: list[Path], extra: str = "") -> str:
    """sha256 over the files' paths (relative to the repository) and bytes, plus ``extra``."""
    return fingerprint(files, paths.ROOT, extra)


def _inputs_digest(notebook: Path, shared: str, charts: Path) -> str:
    return digest([notebook], extra=f"{shared}\0{paths.relative(charts)}")


def up_to_date(notebook: Path, shared: str, charts: Path, stamps: Path = RUN_STAMPS) -> bool:
    """True when the notebook, its inputs and the charts it wrote last time are as its stamp records."""
    return Stamp(stamps, notebook.name).current(_inputs_digest(notebook, shared, charts), charts)


SCRATCH = re.compile(r"^\.(?:[^.]+\.)?pid(\d+)\.[^/]*\.part$|^schoolclaims-kernel-pid(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_scratch(folders: list[Path]) -> list[Path]:
    """Remove the scratch folders (chart scratch in report/charts, kernel temporary folders) of runs whose process
    is gone (killed before they could clean up); returns what was removed."""
    import shutil

    removed = []
    for folder in folders:
        for path in Path(folder).glob("*") if Path(folder).is_dir() else []:
            found = SCRATCH.match(path.name)
            if found and path.is_dir() and not path.is_symlink() and not _alive(int(found.group(1) or found.group(2))):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _failed_cell(nb) -> str:
    """'cell N: Name: value' of the first cell whose output is an error."""
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                value = " ".join(str(output.get("evalue", "")).split())[:200]
                return f"cell {number}: {output.get('ename', 'error')}: {value}"
    return "a cell failed"


def read_notebook(notebook: Path, error: type[Exception] = NotebookError):
    """The notebook, or ``error`` on one line naming the file and the remedy when it is not a readable notebook."""
    nbformat = import_nbformat()
    try:
        return nbformat.read(notebook, as_version=4)
    except Exception as exc:  # nbformat raises its own types for a file that is not a notebook
        raise error(f"{paths.relative(notebook)}: not a readable notebook ({type(exc).__name__}: "
                    f"{' '.join(str(exc).split())[:200]}); restore it with `git checkout -- "
                    f"{paths.relative(notebook)}`") from None


def kernel_transport(sockets: Path):
    """Unix sockets in a private folder where the platform has them (a kernel on loopback TCP warns that anyone on
    the machine could read its traffic); TCP elsewhere."""
    from traitlets.config import Config

    if os.name != "posix":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "k")}})


def execute(notebook: Path, charts: Path, timeout: int = 900) -> dict[str, str]:
    """Run every cell of ``notebook`` in a fresh kernel (working folder: the notebook's), write it back in place and
    move the chart files it wrote into ``charts``. Returns {chart file name: sha256}."""
    import shutil
    import tempfile

    nbformat = import_nbformat()
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook, charts = Path(notebook), Path(charts)
    charts.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{notebook.stem}.pid{os.getpid()}.", suffix=".part", dir=charts))
    kernel_tmp = Path(tempfile.mkdtemp(prefix=f"schoolclaims-kernel-pid{os.getpid()}-"))
    sockets = kernel_tmp / "s"  # the kernel's sockets, in the run's own temporary folder (removed with it)
    sockets.mkdir()
    try:
        nb = read_notebook(notebook)
        client = NotebookClient(nb, timeout=timeout, record_timing=False, config=kernel_transport(sockets),
                                resources={"metadata": {"path": str(notebook.parent)}})
        try:
            client.execute(env={**os.environ, "SCHOOLCLAIMS_CHARTS_DIR": str(scratch), "TMPDIR": str(kernel_tmp)})
        except CellExecutionError:
            raise NotebookError(f"{paths.relative(notebook)}: a cell failed ({_failed_cell(nb)}); notebook and charts "
                                "left as they were; open it in Jupyter to see the traceback") from None
        written = {}
        for path in _files(scratch):
            written[path.name] = sha256_file(path)
            os.replace(path, charts / path.name)
        text = nbformat.writes(nb)
        with atomic_write(notebook, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        return written
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(kernel_tmp, ignore_errors=True)


def _remove_undrawn(charts: Path, before: dict[str, str], now: dict[str, str]) -> None:
    """Delete the chart files a notebook wrote on its last run and not on this one (a chart it no longer draws, such
    as a claim's own drawing once the claim stops listing the chart), unless another notebook has rewritten them
    since (their bytes differ from what this one wrote). A name reaching outside ``charts`` is never touched."""
    for name in set(before) - set(now):
        try:
            path = inside(charts, name)
        except UnsafePath:
            continue
        if path.is_file() and sha256_file(path) == before[name]:
            path.unlink()


def stale_notebooks(notebooks: list[Path] | None = None, charts: Path | None = None, stamps: Path = RUN_STAMPS,
                    shared: str | None = None, force: bool = False) -> list[Path]:
    """The notebooks (all of notebooks/ by default) whose inputs or charts changed since their stamped run."""
    notebooks = sorted(notebooks if notebooks is not None else _files(NOTEBOOKS, "*.ipynb"))
    charts = Path(charts or paths.CHARTS)
    shared = shared or digest(shared_inputs())
    return [nb for nb in notebooks if force or not up_to_date(nb, shared, charts, stamps)]


def run_stale(notebooks: list[Path] | None = None, charts: Path | None = None, force: bool = False, jobs: int = 4,
              stamps: Path = RUN_STAMPS, log=print) -> list[Path]:
    """Execute the notebooks whose inputs changed since their last run (all with ``force``), ``jobs`` at a time;
    each one's stamp is written as soon as it has run. Returns the notebooks that ran."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    import tempfile

    charts = Path(charts or paths.CHARTS)
    remove_stale_scratch([charts, Path(tempfile.gettempdir())])
    shared = digest(shared_inputs())
    stale = stale_notebooks(notebooks, charts, stamps, shared, force)
    if not stale:
        return []

    def one(notebook: Path) -> dict[str, str]:
        log(f"running {paths.relative(notebook)}")
        return execute(notebook, charts)

    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(stale)))) as pool:
        runs = {pool.submit(one, nb): nb for nb in stale}
        failed = None
        for done in as_completed(runs):  # the stamps are written by this thread alone, one notebook at a time
            notebook = runs[done]
            if done.exception() is not None:
                failed = failed or done.exception()
                continue
            stamp = Stamp(stamps, notebook.name)
            _remove_undrawn(charts, stamp.read().get("outputs", {}), done.result())
            stamp.write({"inputs": _inputs_digest(notebook, shared, charts), "outputs": done.result()})
    if failed is not None:
        raise failed  # the first failure; the notebooks that ran are recorded
    return sorted(stale)

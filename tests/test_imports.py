"""Which package may import which: the contracts in pyproject.toml ([tool.importlinter], ARCHITECTURE.md's table),
checked by import-linter (imports inside functions count too), so `make test` enforces them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from schoolclaims import paths


def lint_imports(cwd: Path, *args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, **({"PYTHONPATH": str(pythonpath)} if pythonpath else {})}
    return subprocess.run([command, "--no-cache", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_package_keeps_every_import_contract():
    run = lint_imports(paths.ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_every_component_has_a_contract():
    """A new top-level module or package needs its row in ARCHITECTURE.md and a contract in pyproject.toml."""
    import tomllib

    config = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    covered = {m.split(".")[1] for c in config["contracts"] for m in c.get("source_modules", [])} | {"cli", "errors"}
    package = paths.ROOT / "src" / "schoolclaims"
    components = {p.stem for p in package.iterdir() if (p.suffix == ".py" or (p / "__init__.py").is_file())
                  and p.stem not in ("__init__", "__main__")}
    assert components <= covered, f"no import contract for {sorted(components - covered)}"


def test_a_forbidden_import_or_a_cycle_breaks_a_contract(tmp_path):
    """The same kinds of contract on a small package written here: a forbidden import (inside a function) and a
    cycle between two sibling modules are each reported."""
    package = tmp_path / "pkg"
    (package / "low").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "low" / "__init__.py").write_text("")
    (package / "low" / "a.py").write_text("def f():\n    from ..high import x\n")
    (package / "low" / "b.py").write_text("from . import c\n")
    (package / "low" / "c.py").write_text("from . import b\n")
    (package / "high.py").write_text("x = 1\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = pkg\n\n"
        "[importlinter:contract:cycles]\nname = no cycles\ntype = acyclic_siblings\nancestors = pkg\n\n"
        "[importlinter:contract:low]\nname = low imports nothing above it\ntype = forbidden\n"
        "source_modules = pkg.low\nforbidden_modules = pkg.high\nallow_indirect_imports = true\n")
    run = lint_imports(tmp_path, pythonpath=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "no cycles BROKEN" in run.stdout and "low imports nothing above it BROKEN" in run.stdout
    assert "pkg.low.a -> pkg.high" in run.stdout

"""Static checks that catch what a test run may not reach: an undefined name or an unused import (pyflakes rules)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from schoolclaims import paths


def test_pyflakes_rules_pass_on_the_package_and_the_tests():
    ruff = shutil.which("ruff", path=str(paths.ROOT / ".venv" / "bin")) or shutil.which("ruff")
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    run = subprocess.run([*command, "check", "--select", "F", "--no-cache", "src", "tests", "bench"], cwd=paths.ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr

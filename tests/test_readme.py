"""The README's generated sections (the findings, the sources, the commands) are what cog writes from the code
(`make regen`); its first screen gives exactly the two set-up commands."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from schoolclaims import paths

COG = ["-I", str(paths.ROOT / "tools"), "-p", "import readme"]


def cog(*args: str) -> subprocess.CompletedProcess:
    command = shutil.which("cog", path=str(Path(sys.executable).parent)) or "cog"
    return subprocess.run([command, *COG, *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=300)


def test_the_generated_sections_are_current(tmp_path):
    run = cog("--check", "README.md")
    assert run.returncode == 0, "README.md is stale: run `make regen`\n" + run.stdout + run.stderr
    # and the check can fail: a copy of a section that says something else is reported
    (tmp_path / "README.md").write_text("<!-- [[[cog readme.commands()]]] -->\n- `fetch`: Something else.\n"
                                        "<!-- [[[end]]] -->\n", encoding="utf-8")
    run = cog("--check", str(tmp_path / "README.md"))
    assert run.returncode != 0 and "changed" in (run.stdout + run.stderr)


def test_every_section_is_generated_and_lists_every_command():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"\[\[\[cog readme\.(\w+)\(\)\]\]\]", readme) == ["findings", "commands", "sources"]
    from schoolclaims.cli import cli

    commands = readme.split("[[[cog readme.commands()]]]", 1)[1].split("[[[end]]]", 1)[0]
    assert re.findall(r"^- `([a-z]+)`", commands, flags=re.M) == list(cli.commands)


def test_the_first_screen_has_exactly_the_two_set_up_commands():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in first.splitlines()] == ["make report", "make test"]

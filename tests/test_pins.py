"""pyproject.toml, environment.yml and requirements.lock pin the same versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from schoolclaims import paths


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)==([^\s;#]+)\s*", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1).lower())] = match.group(2)
    return pins


def project_pins() -> dict[str, str]:
    data = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    lines = list(data["dependencies"]) + [d for group in data["optional-dependencies"].values() for d in group]
    pins = _pins(lines)
    assert len(pins) == len(lines), "every dependency in pyproject.toml must be an exact pin (==)"
    return pins


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python=")]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert python == ["python=3.11"]
    assert _pins(pip) == project_pins()


def test_lock_file_agrees_with_pyproject():
    lock = _pins((paths.ROOT / "requirements.lock").read_text().splitlines())
    for name, version in project_pins().items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, requirements.lock {lock.get(name)}"
    assert all("==" in line for line in (paths.ROOT / "requirements.lock").read_text().splitlines()
               if line.strip() and not line.startswith("#"))

"""Where the project keeps things. Everything is relative to the repository root."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("SCHOOLCLAIMS_ROOT") or Path(__file__).resolve().parents[2])
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
CLAIMS = ROOT / "claims"
CHARTS = Path(os.environ.get("SCHOOLCLAIMS_CHARTS_DIR") or ROOT / "report" / "charts")
MANIFEST = RAW / "datapackage.json"
CACHE = ROOT / ".cache"  # what can be made again (hashes, stamps of the site, rated claims); safe to delete
EXTRACT_CACHE = CACHE / "extract"  # extracted frames by file sha256, path and extract code; safe to delete

PROJECT_URL = "https://github.com/schoolclaims/schoolclaims"


def mirror_dirs() -> list[Path]:
    """Mirror folders named by SCHOOLCLAIMS_MIRROR (os.pathsep-separated), in order."""
    value = os.environ.get("SCHOOLCLAIMS_MIRROR", "")
    return [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]


def claims_dir() -> Path:
    """The claim files' folder: the one SCHOOLCLAIMS_CLAIMS_DIR names, else claims/."""
    return Path(os.environ.get("SCHOOLCLAIMS_CLAIMS_DIR") or CLAIMS)


def relative(path: Path) -> str:
    """A path as shown to users and written to files: relative to the repository when possible."""
    try:
        return Path(path).resolve().relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def configured_base_url(pyproject: Path | None = None) -> str:
    """The address the site is published at: ``[tool.schoolclaims] base_url`` in pyproject.toml (the one place it is
    set; '' when it is not)."""
    import tomllib

    path = Path(pyproject or ROOT / "pyproject.toml")
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("schoolclaims", {})
    except OSError:
        return ""
    return str(config.get("base_url") or "")


def page_url(base_url: str, rel: str) -> str:
    """A page's address: absolute under ``base_url`` (made to end in '/'), or ``rel`` itself when there is none."""
    return (base_url.rstrip("/") + "/" + rel) if base_url else rel

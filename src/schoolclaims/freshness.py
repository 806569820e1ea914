"""Is data/processed current? The build records what it was made from (every raw file's sha256, a digest of the
code that reads and transforms them) and what it wrote (each table's sha256) in data/processed/build-inputs.json.
When both still match, a rebuild would write the same bytes, so it is skipped. Light on imports on purpose: the
check runs before pandas is loaded."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import paths
from .files import finish_commit, fingerprint, sha256_file

STAMP = "build-inputs.json"
BUILD_CODE = ("sources", "transform", "tables", "build.py", "entities.py", "years.py")  # what decides the tables
EXTRACT_CODE = ("sources", "entities.py", "years.py")  # what decides an extracted frame


def code_digest(parts: tuple[str, ...]) -> str:
    """sha256 over the package files (.py and layout .csv) under the named parts of src/schoolclaims."""
    package = Path(__file__).parent
    files = [path for part in parts
             for path in ([package / part] if (package / part).is_file() else sorted((package / part).rglob("*")))
             if path.suffix in (".py", ".csv")]
    return fingerprint(files, package)


def build_inputs(manifest: Path | None = None) -> dict:
    """What a build reads: the manifest's files by path and sha256, and the code digest."""
    data = json.loads(Path(manifest or paths.MANIFEST).read_text(encoding="utf-8"))
    raw = {entry["path"]: entry["hash"].removeprefix("sha256:") for entry in data.get("resources", [])}
    return {"code": code_digest(BUILD_CODE), "raw_files": dict(sorted(raw.items()))}


def stamp_text(inputs: dict, tables: dict[str, str]) -> str:
    """The stamp for tables about to be written (file name -> CSV text), so it lands in the same commit as they do."""
    written = {name.removesuffix(".csv"): hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in sorted(tables.items())}
    return json.dumps({"inputs": inputs, "tables": written}, indent=2) + "\n"


def up_to_date(out_dir: Path, inputs: dict) -> bool:
    """True when out_dir holds tables written from exactly these inputs, unchanged since."""
    finish_commit(Path(out_dir))
    try:
        stamp = json.loads((Path(out_dir) / STAMP).read_text(encoding="utf-8"))
        return stamp["inputs"] == inputs and all(
            sha256_file(Path(out_dir) / f"{name}.csv") == sha for name, sha in stamp["tables"].items())
    except (OSError, ValueError, KeyError, TypeError):
        return False

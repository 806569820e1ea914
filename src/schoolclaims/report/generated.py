"""The files generated from the claims and the source registry, rewritten by one command:

    python -m schoolclaims.report.generated

runs the notebooks whose inputs changed (a new claim file is one: their outputs and charts are regenerated, as
``make report`` does), then writes the README's table of findings (``schoolclaims claims --format markdown``), the
README's source table (``schoolclaims sources``) and the golden output ``tests/golden/claims.json`` (``schoolclaims
claims --format json``), so that a new claim file needs no edit by hand anywhere. Each README table is the Markdown table that follows its
heading or marker line; everything else in the README is left as it is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import paths
from ..files import atomic_write

CLAIMS_HEADING = "## What it finds"
SOURCES_MARKER = "<!-- source table:"


def replace_table(text: str, after: str, table: str) -> str:
    """``text`` with the Markdown table that follows the first line starting with ``after`` replaced by ``table``."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(after)), None)
    if start is None:
        raise ValueError(f"README: no line starting with {after!r}")
    first = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("|"))
    end = first
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "".join(lines[:first]) + table + "".join(lines[end:])


def regenerate(root: Path | None = None) -> list[Path]:
    """Rewrite the generated files; return the ones whose bytes changed."""
    from ..claims import evaluate_all, markdown_table, result_record
    from ..sources import source_table

    root = Path(root or paths.ROOT)
    results = evaluate_all()
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = replace_table(replace_table(text, CLAIMS_HEADING, markdown_table(results)), SOURCES_MARKER, source_table())
    golden = root / "tests" / "golden" / "claims.json"
    outputs = {readme: new, golden: json.dumps([result_record(r) for r in results], indent=2, ensure_ascii=False) + "\n"}
    changed = []
    for path, content in outputs.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            with atomic_write(path) as handle:
                handle.write(content.encode("utf-8"))
            changed.append(path)
    return changed


def main() -> int:
    from . import execute

    for notebook in execute.run_stale():
        print(f"ran {paths.relative(notebook)}")
    for path in regenerate():
        print(f"rewrote {paths.relative(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Reading claim files: a claim file that does not fit the schema, names an unknown method or gives that
method parameters it does not take is a ClaimFileError naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from .. import paths
from .methods import METHODS
from .model import Claim


class ClaimFileError(ValueError):
    pass


def load_claim(path: Path) -> Claim:
    where = paths.relative(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ClaimFileError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ClaimFileError(f"{where}: expected a mapping of fields, found {type(data).__name__}")
    try:
        claim = Claim.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"field {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ClaimFileError(f"{where}: {problems}") from None
    if claim.id != Path(path).stem:
        raise ClaimFileError(f"{where}: field id is {claim.id!r}, but the file is named {Path(path).stem!r}")
    if claim.evaluation.method not in METHODS:
        raise ClaimFileError(f"{where}: field evaluation.method: unknown evaluation method "
                             f"{claim.evaluation.method!r}; known: {sorted(METHODS)}")
    return claim


def load_claims(folder: Path | None = None) -> list[Claim]:
    files = sorted(Path(folder or paths.CLAIMS).glob("*.yaml"))
    if not files:
        raise ClaimFileError(f"no claim files in {paths.relative(Path(folder or paths.CLAIMS))}")
    return [load_claim(f) for f in files]

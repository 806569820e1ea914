"""Reading claim files: a claim file that does not fit the schema, names an unknown method or gives that
method parameters it does not take is a ClaimFileError naming the file and the field, on one line."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .. import paths
from ..files import manifest_entries
from .methods import METHODS, Method, Params
from .model import Claim


class ClaimFileError(ValueError):
    pass


class UnknownMethod(ClaimFileError):
    """A rating method no module registers (the command line reports it as a usage error)."""


# what `schoolclaims new` writes where a contributor's words go; a file still holding one is never rated
PLACEHOLDERS = {"claimant": "TODO who said it", "quote": "TODO the exact words, as published",
                "title": "TODO the page or document", "url": "https://TODO", "date": "TODO YYYY-MM-DD",
                "question": "TODO the measurable question the claim answers",
                "metric": "TODO the figure that settles it, with its definition",
                "settles_it": "TODO the data that would settle it"}


def load_claim(path: Path) -> Claim:
    where = paths.relative(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())  # one line, whatever the YAML error
        raise ClaimFileError(f"{where}: not valid YAML{at}: {problem}") from None
    if not isinstance(data, dict):
        raise ClaimFileError(f"{where}: expected a mapping of fields, found {type(data).__name__}")
    # a value still reading as the TODO `schoolclaims new` wrote is named with any other problem, and never rated
    problems = [f"field {field}: still {value!r} (fill it in)" for field, value in _placeholders(data)]
    try:
        claim = Claim.model_validate(data)
    except ValidationError as exc:
        problems[:0] = [f"field {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ClaimFileError(f"{where}: " + "; ".join(problems)) from None
    if claim.id != Path(path).stem:
        raise ClaimFileError(f"{where}: field id is {claim.id!r}, but the file is named {Path(path).stem!r}")
    _check_archived_copies(claim, where)
    try:
        method_params(claim, where)
    except ClaimFileError as exc:
        problems.insert(0, str(exc).removeprefix(f"{where}: "))
    if problems:
        raise ClaimFileError(f"{where}: " + "; ".join(problems))
    return claim


def _placeholders(value, field: str = "") -> list[tuple[str, str]]:
    """(field, text) of every value still reading as the TODO placeholder `schoolclaims new` wrote."""
    if isinstance(value, dict):
        return [hit for key, item in value.items() for hit in _placeholders(item, f"{field}.{key}" if field else str(key))]
    if isinstance(value, list):
        return [hit for number, item in enumerate(value) for hit in _placeholders(item, f"{field}.{number}")]
    if isinstance(value, str) and value in PLACEHOLDERS.values():
        return [(field, value)]
    return []


@lru_cache(maxsize=4)
def _archived_paths(manifest: Path) -> frozenset[str]:
    if not manifest.is_file():
        return frozenset()
    return frozenset("data/raw/" + entry["path"] for entry in manifest_entries(manifest))


def _check_archived_copies(claim: Claim, where: str) -> None:
    """Every archived copy a claim names is a raw file in the manifest (so the build verifies its sha256)."""
    known = _archived_paths(paths.MANIFEST)
    for number, appearance in enumerate(claim.appeared):
        if appearance.archived_copy and appearance.archived_copy not in known:
            raise ClaimFileError(f"{where}: field appeared.{number}.archived_copy: {appearance.archived_copy!r} is not a "
                                 "raw file in data/raw/datapackage.json; archive the page with `schoolclaims import FILE "
                                 "--source claim_pages ...` or `schoolclaims fetch claim_pages`, and name its data/raw path")


def claims_folder(folder: Path | None = None) -> Path:
    """Where the claim files are: ``folder``, else the folder SCHOOLCLAIMS_CLAIMS_DIR names, else claims/."""
    return Path(folder or paths.claims_dir())


def load_claims(folder: Path | None = None) -> list[Claim]:
    folder = claims_folder(folder)
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ClaimFileError(f"no claim files in {paths.relative(folder)}")
    return [load_claim(f) for f in files]


def method_params(claim: Claim, where: str | None = None) -> tuple[Method, Params]:
    """The claim's rating method and its parameters checked against the method's parameter model.

    ``where`` names the claim in an error (the file; the claim id when not given).
    """
    where = where or claim.id
    name = claim.evaluation.method
    if name not in METHODS:
        raise UnknownMethod(f"{where}: field evaluation.method: unknown evaluation method {name!r}; known: {sorted(METHODS)}")
    method = METHODS[name]
    try:
        params = method.params.model_validate(claim.evaluation.params, context={"kind": claim.kind})
    except ValidationError as exc:
        problems = "; ".join(_problem(name, method.params, e) for e in exc.errors())
        raise ClaimFileError(f"{where}: {problems}") from None
    return method, params


def _problem(method: str, model: type[BaseModel], error: dict[str, Any]) -> str:
    """One parameter error as 'field evaluation.params.<path>: <what is wrong and what was expected>'."""
    loc = [str(part) for part in error["loc"]]
    field = ".".join(["evaluation", "params", *loc])
    if error["type"] == "extra_forbidden":
        names = ", ".join(_fields(model, loc[:-1]))
        return f"field {field}: {method} takes no parameter {loc[-1]!r} (it takes: {names})"
    if error["type"] == "missing":
        expected = _expected(model, loc)
        return f"field {field}: {error['msg']}" + (f" (expected {expected})" if expected else "")
    return f"field {field}: {error['msg'].removeprefix('Value error, ')} (got {error['input']!r})"


def _model_at(model: type[BaseModel], loc: list[str]) -> type[BaseModel] | None:
    """The parameter model nested at ``loc`` (a parameter that is itself a model), or None."""
    for part in loc:
        inner = model.model_fields.get(part)
        if inner is None or not (isinstance(inner.annotation, type) and issubclass(inner.annotation, BaseModel)):
            return None
        model = inner.annotation
    return model


def _fields(model: type[BaseModel], loc: list[str]) -> list[str]:
    inner = _model_at(model, loc)
    return list(inner.model_fields) if inner else []


def _expected(model: type[BaseModel], loc: list[str]) -> str:
    """What the parameter at ``loc`` takes: its type as its model writes it ('' when unknown)."""
    inner = _model_at(model, loc[:-1])
    field = inner.model_fields.get(loc[-1]) if inner and loc else None
    if field is None:
        return ""
    if (nested := _model_at(inner, loc[-1:])) is not None:
        return "a mapping of " + ", ".join(nested.model_fields)
    annotation = field.annotation
    text = annotation.__name__ if isinstance(annotation, type) else str(annotation).replace("typing.", "")
    return text.removesuffix(" | None")  # None only stands for "not given"

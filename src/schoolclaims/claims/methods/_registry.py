"""The registry of rating methods: each method module registers its functions, with the pydantic model
of their parameters, under the name a claim file gives as ``evaluation.method``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..model import Claim, Result


class Params(BaseModel):
    """A method's parameters (``evaluation.params``): a misspelt or unknown name is an error, not ignored."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    def require(self, *names: str, when: str) -> None:
        """Fail validation for each of ``names`` left unset (None), saying ``when`` it is needed."""
        errors = [InitErrorDetails(type=PydanticCustomError("missing", "Field required when {when}", {"when": when}),
                                   loc=(name,), input=self.model_dump())
                  for name in names if getattr(self, name) is None]
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)


def _school_year(text: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError("a school year is written like '2017-18'")
    return text


def _share(value: float) -> float:
    if not 0 <= value <= 1:
        raise ValueError("a share is written as a fraction of 1: 0.1 for 10%")
    return value


SchoolYear = Annotated[str, AfterValidator(_school_year)]  # "2017-18": a year the tables know, not one silently unmatched
Share = Annotated[float, AfterValidator(_share)]  # 0.1 for 10%: a claim file's "10" would read as 1000%
CHECKED_KINDS = {_school_year: "school year like 2017-18", _share: "share: 0.1 for 10%"}  # as `schoolclaims new` names them


Alternatives = Callable[[Any, Result], list[tuple[str, dict]]]


def no_alternatives(_params, _result) -> list[tuple[str, dict]]:
    return []


@dataclass(frozen=True)
class Method:
    name: str
    run: Callable[[Claim, Any, Path | None], Result]
    params: type[Params]
    alternatives: Alternatives = no_alternatives


METHODS: dict[str, Method] = {}


def method(name: str, params: type[Params], alternatives: Alternatives = no_alternatives):
    """Register the decorated function as the rating method ``name``, taking a validated ``params``.

    ``alternatives(params, result)`` lists the defensible other choices a reader might make, as (what changes,
    parameter overrides); the rating is recomputed under each (claims/RATING_SCALE.md, "Sensitivity")."""
    def register(run):
        if name in METHODS:
            raise ValueError(f"rating method {name!r} is registered twice")
        METHODS[name] = Method(name, run, params, alternatives)
        return run
    return register

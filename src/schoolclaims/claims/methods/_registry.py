"""The registry of rating methods: each method module registers its functions under the name a claim file
gives as ``evaluation.method``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Claim, Result


@dataclass(frozen=True)
class Method:
    name: str
    run: Callable[[Claim, dict, Path | None], Result]


METHODS: dict[str, Method] = {}


def method(name: str):
    """Register the decorated function as the rating method ``name``."""
    def register(run):
        if name in METHODS:
            raise ValueError(f"rating method {name!r} is registered twice")
        METHODS[name] = Method(name, run)
        return run
    return register

"""Rating methods, one module per question. A claim file names its method (``evaluation.method``); each
method takes the claim, its parameters and the processed-tables folder, and returns a Result whose
rating is on the claim kind's scale (claims/RATING_SCALE.md). Importing this package registers them all."""

from __future__ import annotations

from . import context, funding, pay, schools  # noqa: F401  (importing a module registers its methods)
from ._registry import CHECKED_KINDS, METHODS, Method, Params

__all__ = ["CHECKED_KINDS", "METHODS", "Method", "Params"]

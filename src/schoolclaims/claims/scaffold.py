"""`schoolclaims new`: a claim file to fill in, for any registered rating method."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, get_args, get_origin

from pydantic_core import PydanticUndefined

from .. import paths
from ..files import inside
from .load import PLACEHOLDERS, ClaimFileError, UnknownMethod, claims_folder
from .model import Claim, topic_from_id
from .methods import CHECKED_KINDS, METHODS

TEMPLATE = """\
id: {id}
question_id: {id}            # claims about the same question (competing versions) share this
topic: {topic}               # the site's group and question page: funding | schools | class_size | pay | other, or a new word
kind: factual                # factual | target | demand | anecdote
claimant: {claimant}
quote: "{quote}"
appeared:
  - title: {title}
    url: {url}
    archived_copy: ""        # data/raw/... once archived (schoolclaims import FILE --source claim_pages ...)
    date: "{date}"
question: {question}
metrics:
  - {metric}
evaluation:
  method: {method}
  params:
{params}
settles_it: {settles_it}
caveats: []
corrections:
  - date: "{today}"
    note: First published.
"""


def _describe(annotation, metadata=()) -> str:
    """A parameter's kind as a claim file's writer reads it: 'str', 'list[school year like 2017-18]', 'share: 0.1 for
    10%' (a checked kind by its validator, however deep in a list or tuple)."""
    checked = [CHECKED_KINDS[m.func] for m in metadata if getattr(m, "func", None) in CHECKED_KINDS]
    if checked:
        return checked[0]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _describe(args[0], args[1:])
    if origin in (list, tuple):
        return f"{origin.__name__}[{', '.join(_describe(arg) for arg in args)}]"
    text = annotation.__name__ if isinstance(annotation, type) else str(annotation).replace("typing.", "")
    return text.replace("NoneType", "None")


def scaffold(claim_id: str, method: str, folder: Path | None = None) -> Path:
    """Write <claim_id>.yaml in the claims folder (``folder``, else SCHOOLCLAIMS_CLAIMS_DIR, else claims/) with every
    field and the method's parameters (required ones marked TODO)."""
    if method not in METHODS:
        raise UnknownMethod(f"unknown rating method {method!r}; known: {', '.join(sorted(METHODS))}")
    if not re.fullmatch(Claim.model_fields["id"].metadata[0].pattern, claim_id or ""):
        raise ClaimFileError(f"claim id {claim_id!r} is refused: a plain name of lowercase words and digits joined by "
                             "'-' (e.g. fund-sdusd-outspends-lausd-2018), written as claims/<id>.yaml")
    path = inside(claims_folder(folder), f"{claim_id}.yaml")  # only inside the claims folder, never through a link
    if path.exists():
        raise ClaimFileError(f"{paths.relative(path)} exists already; choose another id")
    lines = []
    for name, field in METHODS[method].params.model_fields.items():
        kind = _describe(field.annotation, field.metadata)
        if field.default is PydanticUndefined and field.default_factory is None:
            lines.append(f"    {name}: null  # TODO ({kind})")
        else:
            default = field.get_default(call_default_factory=True)
            lines.append(f"    # {name}: {default!r}  ({kind}; optional, this is the default)")
    with open(path, "x", encoding="utf-8") as handle:  # never over a file written meanwhile
        handle.write(TEMPLATE.format(id=claim_id, topic=topic_from_id(claim_id), method=method, params="\n".join(lines),
                                     today=date.today().isoformat(), **PLACEHOLDERS))
    return path

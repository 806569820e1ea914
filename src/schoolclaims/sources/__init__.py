"""One module per dataset the archive holds, and the registry that every other part reads.

A source module declares ``SOURCE`` (its title, the source ids of its files with their labels, whether the
build needs it), ``specs()`` (the files it archives and where the publisher serves them; none for files
obtained by hand), ``extract(resource, path) -> {name: frame}`` (tidy frames with provenance attached) and,
where the publisher has a landing page, ``discover(html, base) -> {vintage: address}``. Extract knows one
format and nothing else; layout drift lives in ``layouts/*.csv``.

``fetch``, ``build``, ``verify``, chart source lines and the README's source table all read ``MODULES``:
adding a source is one module plus its layout file, and a line here.
"""

from __future__ import annotations

from types import ModuleType

from . import (alliance_network, alliance_salary, bea_regional, bea_vintage, bls_cpi, ccd_charters,
               cde_census_enrollment, cde_class_level, cde_current_expense, cde_directory, cde_frpm, cde_j90,
               cde_sarc_class_size, census_f33, census_f33_districts, claim_pages, lausd_salary, ledgers,
               pay_transcription)
from ._io import LayoutError
from ._spec import RawFileSpec, Source

MODULES: dict[str, ModuleType] = {  # fetch and README order
    "cde_current_expense": cde_current_expense,
    "census_f33": census_f33,
    "census_f33_districts": census_f33_districts,
    "bea_regional": bea_regional,
    "bea_vintage": bea_vintage,
    "bls_cpi": bls_cpi,
    "cde_directory": cde_directory,
    "cde_frpm": cde_frpm,
    "cde_census_enrollment": cde_census_enrollment,
    "cde_class_level": cde_class_level,
    "cde_sarc_class_size": cde_sarc_class_size,
    "ccd_charters": ccd_charters,
    "cde_j90": cde_j90,
    "lausd_salary": lausd_salary,
    "alliance_salary": alliance_salary,
    "pay_transcription": pay_transcription,
    "alliance_network": alliance_network,
    "ledgers": ledgers,
    "claim_pages": claim_pages,
}
_BY_FILE_ID = {sid: module for module in MODULES.values() for sid in module.SOURCE.ids}
_LABELS = {sid: text for module in MODULES.values() for sid, text in module.SOURCE.labels.items()}

__all__ = ["MODULES", "LayoutError", "RawFileSpec", "Source", "file_ids", "labels", "module_for", "specs", "source_table"]


def file_ids(required: bool | None = None) -> list[str]:
    """Every source id the manifest may hold (only the required or only the optional ones, if asked)."""
    return [sid for module in MODULES.values() for sid in module.SOURCE.ids
            if required is None or (module.SOURCE.required and sid not in module.SOURCE.live_only) == required]


def module_for(source_id: str) -> ModuleType:
    try:
        return _BY_FILE_ID[source_id]
    except KeyError:
        raise LayoutError(f"unknown source id {source_id!r}; known: {sorted(_BY_FILE_ID)}") from None


def specs(names: list[str] | None = None) -> list[RawFileSpec]:
    """The files to archive: of every source, or of the named ones (a module name such as bea_regional,
    or a file's source id such as bea_sagdp1)."""
    every = [(name, spec) for name, module in MODULES.items() for spec in module.specs()]
    if not names:
        return [spec for _name, spec in every]
    known = set(MODULES) | set(_BY_FILE_ID)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise LayoutError(f"unknown source(s) {unknown}; known: {sorted(known)}")
    return [spec for name, spec in every if name in names or spec.source_id in names]


def labels(source_id: str) -> list[str]:
    """How charts and pages name the source(s) of a row: one label for a source id or a declared combination
    ('a+b'), else one per part; an undeclared id stands for itself."""
    if source_id in _LABELS:
        return [_LABELS[source_id]]
    return [_LABELS.get(part, part) for part in source_id.split("+")]


def source_table() -> str:
    """The README's source table (Markdown), one row per source module."""
    lines = ["| source | what | definition | archived here |", "|---|---|---|---|"]
    for module in MODULES.values():
        s = module.SOURCE
        ids = ", ".join(f"`{sid}`" for sid in s.ids)
        lines.append(f"| {s.title} ({ids}) | {s.what} | {s.definition} | {s.archived} |")
    return "\n".join(lines) + "\n"

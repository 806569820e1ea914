"""The Alliance College-Ready network as a reviewed list of CDS codes, with why each school is in or out.

Committed under data/raw/alliance_network/ and added with ``schoolclaims import``; every build checks it
against the CDE directory (a school named "Alliance" that the list does not review stops the build).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._spec import RawFileSpec, Source

SOURCE_ID = "alliance_network"
SOURCE = Source(
    title="Alliance network",
    labels={SOURCE_ID: "the project's reviewed list of Alliance schools"},
    what="reviewed list of the network's CDS codes, with why each is in or out",
    definition="checked against the directory on every build (Oakland's unrelated Alliance Academy is out)",
    archived="committed",
)


def specs() -> list[RawFileSpec]:
    return []  # reviewed by hand and added with `schoolclaims import`


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    return {"alliance_network": pd.read_csv(path, dtype=str, keep_default_na=False)}

"""Small builders shared by tests."""

from __future__ import annotations

from schoolclaims.acquire.archive import Resource


def resource(source_id: str, vintage: str, path: str = "", origin: str = "official", origin_detail: str = "") -> Resource:
    """A manifest entry for a file a test made (its sha256 is a stand-in of the right shape)."""
    return Resource(path=path or f"{source_id}/{vintage}/file", source_id=source_id, vintage=vintage, url="",
                    sha256="0" * 64, bytes=1, mediatype="application/octet-stream", origin=origin,
                    origin_detail=origin_detail)

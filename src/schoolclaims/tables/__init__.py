"""The processed tables: their pandera schemas (schemas) and how they are written and read (io)."""

from .io import load, write_tables
from .schemas import SCHEMAS, validate

__all__ = ["SCHEMAS", "load", "validate", "write_tables"]

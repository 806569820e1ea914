"""How a figure is written wherever the report shows one (tables, chart labels, alt texts): one rule, so that a number
on a chart reads exactly as it does in the table beside it. Imports nothing heavy (the site's pages use it)."""

from __future__ import annotations


def figure(value: float, _position=None) -> str:
    """Thousands separators; whole numbers without decimals, others with two (2,400; 26.90; 22.09). Also a tick
    formatter."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

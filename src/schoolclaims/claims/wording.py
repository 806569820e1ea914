"""Numbers and lists as a reader expects them in a conclusion: $17,486, 46th, "a, b and c", Alliance's."""

from __future__ import annotations

from collections.abc import Iterable


def dollars(value: float) -> str:
    return f"${value:,.0f}"


def ordinal(number: int) -> str:
    number = int(number)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def listing(items: Iterable) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 ranking', '3 rankings'."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def more_means(share: float) -> str:
    """How a sensitivity row names a margin for "more": 'any amount more' for none, else 'at least 5% more'."""
    return "'more' means any amount more" if share == 0 else f"'more' means at least {share:.0%} more"

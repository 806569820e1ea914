"""The README's generated sections, written by cog (`make regen` runs `cog -r -I tools -p "import readme" README.md`;
tests/test_readme.py checks they are current). Each function writes one section from the code that owns it."""

from __future__ import annotations

import cog


def findings() -> None:
    """The table of findings: every claim's rating and sensitivity, as the claims compute them."""
    from schoolclaims.claims import evaluate_all, markdown_table

    cog.out(markdown_table(evaluate_all()))


def sources() -> None:
    """The table of sources, from the source registry."""
    from schoolclaims import sources as registry

    cog.out(registry.source_table())


def commands() -> None:
    """Every command of `schoolclaims` with its one line of help."""
    from schoolclaims.cli import cli

    for name, command in cli.commands.items():
        cog.outl(f"- `{name}`: {command.get_short_help_str(limit=200)}")

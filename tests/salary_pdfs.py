"""Small PDFs in the salary-table layout, drawn with reportlab for the tests (the amounts are made up)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas


def schedule_pdf(path: Path, title_lines: list[str], headers: list[str], rows: list[tuple[int, list[float | None]]],
                 x0: float = 60, step_width: float = 50, col_width: float = 80) -> Path:
    """One page: title lines, a 'Step' header row with column labels, then one row per step."""
    page = canvas.Canvas(str(path), pagesize=landscape(letter), invariant=1)
    y = 560
    for line in title_lines:
        page.drawString(x0, y, line)
        y -= 16
    y -= 10
    page.drawString(x0, y, "Step")
    for i, header in enumerate(headers):
        page.drawCentredString(x0 + step_width + col_width * (i + 0.5), y, header)
    for step, amounts in rows:
        y -= 16
        page.drawString(x0, y, str(step))
        for i, amount in enumerate(amounts):
            if amount is not None:
                page.drawCentredString(x0 + step_width + col_width * (i + 0.5), y, f"{amount:,.0f}")
    page.showPage()
    page.save()
    return path

"""Workbooks shaped to exhaust memory are refused or read within bounds."""

from __future__ import annotations

import io
import tracemalloc

import openpyxl

from governance.services import imports


def workbook(sheets: int = 1, far_column: int | None = None, rows: int = 1) -> bytes:
    book = openpyxl.Workbook()
    for index in range(sheets):
        sheet = book.active if index == 0 else book.create_sheet(f"s{index}")
        for row in range(1, rows + 1):
            sheet.cell(row=row, column=far_column or 1, value="x")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_with_many_sheets_is_refused_as_unreadable(app):
    book = imports.read_uploads([imports.Upload("many.xlsx", workbook(sheets=imports.MAX_SHEETS + 1))])
    assert book.problems and not book.sheets


def test_a_far_right_cell_does_not_make_every_row_that_wide(app):
    # One cell in column XFD on 2,000 rows: read-only openpyxl padded each row to 16,384
    # cells (hundreds of MB); only the first MAX_COLUMNS columns are read now.
    data = workbook(far_column=16384, rows=2000)
    tracemalloc.start()
    imports.read_uploads([imports.Upload("wide.xlsx", data)])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024

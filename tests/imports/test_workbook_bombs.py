"""A spreadsheet cannot take a worker down: workbooks built to exhaust time or memory are
refused before openpyxl opens them, with a message, and a board's largest real workbook is
still read. The seconds each costs are printed by ``python -m bench.workbooks``."""

from __future__ import annotations

import openpyxl
import pytest

from bench import workbooks
from governance.services import imports, workbook_limits

MB = workbooks.MB


@pytest.fixture
def openpyxl_opened(monkeypatch) -> list:
    """Records each time the import hands a workbook to openpyxl."""
    calls, real = [], openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    return calls


def _problems(book) -> str:
    return " | ".join(str(problem.message) for problem in book.problems)


def test_the_reported_bomb_of_3_8_million_empty_texts_is_refused_before_it_is_read(app, openpyxl_opened):
    data = workbooks.empty_texts()
    assert len(data) < 200 * 1024  # the report's file was 97 KB
    book, _seconds, peak = workbooks.measure(data)
    assert not book.sheets and not openpyxl_opened
    assert "unpacks to" in _problems(book)
    assert peak < 50 * MB


def test_a_text_table_under_every_size_cap_is_refused_by_its_count_of_texts(app, openpyxl_opened):
    book, _seconds, peak = workbooks.measure(workbooks.distinct_texts(workbook_limits.MAX_SHARED_STRINGS + 1))
    assert not book.sheets and not openpyxl_opened
    assert f"{workbook_limits.MAX_SHARED_STRINGS:,} texts" in _problems(book)
    assert peak < 50 * MB


def test_a_zip_bomb_under_the_size_caps_is_refused_by_its_compression_ratio(app, openpyxl_opened):
    book, _seconds, _peak = workbooks.measure(workbooks.one_long_string())
    assert not book.sheets and not openpyxl_opened
    assert "zip bomb" in _problems(book)


def test_one_row_of_100_000_cells_is_refused_before_openpyxl_builds_it(app, openpyxl_opened):
    book, _seconds, peak = workbooks.measure(workbooks.one_wide_row())
    assert not book.sheets and not openpyxl_opened
    assert "a row or a text too large" in _problems(book)
    assert peak < 50 * MB


def test_a_part_declaring_entities_is_refused(app, openpyxl_opened):
    book, _seconds, _peak = workbooks.measure(workbooks.entity_expansion())
    assert not book.sheets and not openpyxl_opened
    assert "DTD" in _problems(book)


def test_a_zip_of_too_many_parts_is_refused(app, openpyxl_opened):
    book, _seconds, _peak = workbooks.measure(workbooks.many_parts(workbook_limits.MAX_ZIP_MEMBERS + 1))
    assert not book.sheets and not openpyxl_opened
    assert f"{workbook_limits.MAX_ZIP_MEMBERS + 1:,} parts" in _problems(book)


def test_the_largest_workbook_a_board_can_send_is_still_read(app):
    # The caps leave room for every row the import takes, 18 columns of different Thai texts.
    data = workbooks.largest_board_workbook(imports.MAX_ROWS)
    tables = imports._xlsx_tables(imports.Upload("big.xlsx", data), book := imports.Book())
    assert not book.problems
    assert len(tables) == 1 and len(tables[0][1]) == imports.MAX_ROWS + 1

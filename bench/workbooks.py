"""Workbooks built to exhaust an import worker, and what reading each costs.

``python -m bench.workbooks`` prints, for each, the seconds and the peak memory (tracemalloc)
of ``imports.read_uploads`` and the problem it answers. The attack files are the ones
issue #14 reported; tests/imports/test_workbook_bombs.py asserts their refusal.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import openpyxl

SST = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MB = 1024 * 1024


def plain_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "ครั้งที่"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(name: str, content: bytes, *, base: bytes | None = None) -> bytes:
    """A workbook openpyxl wrote, with one part replaced (or added) as an attacker would."""
    source = zipfile.ZipFile(io.BytesIO(base or plain_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(name, content)
    return out.getvalue()


def shared_strings(body: bytes, count: int) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<sst xmlns="' + SST.encode() + b'" count="%d" uniqueCount="%d">' % (count, count) + body + b"</sst>")


def empty_texts(count: int = 3_800_000) -> bytes:
    """The reported bomb: ~97 KB that unpacks to ~49 MB of empty texts."""
    return with_part("xl/sharedStrings.xml", shared_strings(b"<si><t/></si>" * count, count))


def distinct_texts(count: int) -> bytes:
    """Texts that compress like a real table, so neither size nor ratio gives them away."""
    return with_part("xl/sharedStrings.xml", shared_strings(b"".join(b"<si><t>%x</t></si>" % n for n in range(count)), count))


def one_long_string(size: int = 5 * MB) -> bytes:
    """One text of repeated filler, under the size caps, compressed ~1,000 to 1."""
    return with_part("xl/sharedStrings.xml", shared_strings(b"<si><t>" + b"a" * size + b"</t></si>", 1))


def one_wide_row(cells: int = 100_000) -> bytes:
    body = b"".join(b'<c r="A1" t="n"><v>%d</v></c>' % n for n in range(cells))
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + SST.encode() + b'"><sheetData>'
             b'<row r="1">' + body + b"</row></sheetData></worksheet>")
    return with_part("xl/worksheets/sheet1.xml", sheet)


def entity_expansion() -> bytes:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<sst xmlns="' + SST.encode() + b'"><si><t>&b;</t></si></sst>')
    return with_part("xl/sharedStrings.xml", laughs)


def many_parts(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for n in range(count):
            target.writestr(f"x/{n}.xml", b"<a/>")
    return out.getvalue()


def largest_board_workbook(rows: int) -> bytes:
    """Every row the import takes, with 18 columns of Thai text nearly all different."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ครั้งที่", "วันที่", "ประเภท", "หัวข้อ"] + [f"หมายเหตุ {n}" for n in range(14)])
    for row in range(rows):
        sheet.append([f"{row}/2569", "2026-01-05", "สามัญ"] + [f"ข้อความที่ {row}-{col}" for col in range(15)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure(data: bytes):
    """(book, seconds, peak bytes) of reading ``data`` as an upload; needs an app context."""
    from governance.services import imports

    tracemalloc.start()
    started = time.perf_counter()
    book = imports.read_uploads([imports.Upload("attack.xlsx", data)])
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return book, seconds, peak


def main() -> None:
    from governance import create_app
    from governance.services import imports, workbook_limits

    cases = {
        "3.8 M empty texts (reported)": empty_texts(),
        f"{workbook_limits.MAX_SHARED_STRINGS + 1:,} distinct texts": distinct_texts(workbook_limits.MAX_SHARED_STRINGS + 1),
        "one 5 MB text": one_long_string(),
        "one row of 100,000 cells": one_wide_row(),
        "entity expansion": entity_expansion(),
        f"{imports.MAX_ROWS:,}-row board workbook": largest_board_workbook(imports.MAX_ROWS),
    }
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        print(f"{'workbook':<32} {'file KB':>8} {'seconds':>8} {'peak MB':>8}  answer")
        for name, data in cases.items():
            book, seconds, peak = measure(data)
            answer = "; ".join(str(p.message) for p in book.problems)[:90] or f"read: {len(book.sheets)} sheet(s)"
            print(f"{name:<32} {len(data) / 1024:>8.0f} {seconds:>8.2f} {peak / MB:>8.1f}  {answer}")


if __name__ == "__main__":
    main()

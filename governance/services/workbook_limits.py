"""What reading an uploaded workbook may cost, measured before openpyxl opens it.

A spreadsheet is untrusted input shaped by whoever sent it. Everything here reads the zip's
directory and streams its XML through expat, counting and never building, and stops at the
first cap passed with a message the import shows the secretary.
"""

from __future__ import annotations

import io
import zipfile
from xml.parsers import expat

from flask_babel import lazy_gettext as _l

# An .xlsx is a zip of XML parts, and openpyxl (even read-only) loads the whole text table
# before the first row: a 97 KB file of 3.8 million empty texts took 84 s and 350 MB. So a
# workbook is measured before openpyxl opens it, against what a board's workbook needs: the
# three kinds at their full MAX_ROWS rows, with the template's 18 columns, unpack to ~5 MB.
# The sizes come from the zip's directory: Python's zipfile, which openpyxl reads through,
# never unpacks a part past the size its directory gives.
#: parts in the zip: a workbook of MAX_SHEETS sheets, each with its drawings, comments and
#: printer settings, has ~60
MAX_ZIP_MEMBERS = 200
#: all the parts together, unpacked
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
#: any one part unpacked (a sheet, the text table...): a full sheet of Thai text is ~3 MB
MAX_PART_BYTES = 10 * 1024 * 1024
#: a spreadsheet's XML deflates 5-20 to 1; deflate tops out near 1,000 to 1, which only
#: repeated filler (a zip bomb) reaches. Checked on parts of _RATIO_CHECKED_FROM bytes and more.
MAX_COMPRESSION_RATIO = 100
_RATIO_CHECKED_FROM = 1024 * 1024
# Then the XML is counted as it streams (expat, no tree, stopping at the first cap passed),
# since its size says little: an empty text is 13 bytes, an empty cell 4.
#: cells in the rows that are read (the import's first rows of a sheet): the three full
#: kinds are 90,000; twice that leaves room for notes columns and formatted empty cells.
#: openpyxl reads ~50,000 a second.
MAX_CELLS = 200_000
#: texts in the shared-strings table (which openpyxl reads whole, ~30,000 a second, before any
#: row): Excel stores a text once, so a full board's workbook has ~25,000 (meetings' numbers and
#: titles; names and words repeat); one per text cell, for a writer that does not share them,
#: is 90,000
MAX_SHARED_STRINGS = 100_000
#: elements openpyxl holds at once, for one row or one text: a row of Excel's 16,384 columns
#: (A to XFD) with a value and a formula in each cell. A row or text of 100,000 cost ~60 MB.
MAX_ELEMENTS_AT_ONCE = 65_536
#: elements openpyxl keeps for the whole reading: the parts it parses whole (workbook, styles,
#: relationships) and what sits around a sheet's rows. A board's workbook has a few thousand.
MAX_KEPT_ELEMENTS = 50_000
#: elements read in all, which bounds the time: the caps above at once, with texts inline
#: (a cell, its <is> and its <t>)
MAX_ELEMENTS = 1_000_000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _TEXT = f"{_MAIN} row", f"{_MAIN} c", f"{_MAIN} si"
_MB = 1024 * 1024


class TooLarge(Exception):
    """A workbook refused before it is read; ``message`` is the problem to show."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def measure(data: bytes, read_rows: int) -> None:
    """Raise TooLarge if reading the workbook would cost more than a board's workbook can need."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        _check_sizes(members)
        tally = _Tally(read_rows)
        for info in members:
            tally.count_part(archive, info)


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    """The caps the zip's directory tells, before anything is unpacked."""
    if len(members) > MAX_ZIP_MEMBERS:
        raise TooLarge(_l("The workbook has %(count)s parts, more than a board's workbook needs (at most %(limit)s).",
                           count=f"{len(members):,}", limit=f"{MAX_ZIP_MEMBERS:,}"))
    total = sum(info.file_size for info in members)
    if total > MAX_UNZIPPED_BYTES:
        raise TooLarge(_l("The workbook unpacks to %(size)s MB, too large for a board's workbook (at most %(limit)s MB).",
                           size=f"{total / _MB:,.1f}", limit=MAX_UNZIPPED_BYTES // _MB))
    for info in members:
        if info.file_size > MAX_PART_BYTES:
            raise TooLarge(_l("The workbook's part %(part)s unpacks to %(size)s MB, too large for a board's workbook "
                               "(at most %(limit)s MB).",
                               part=_part_name(info), size=f"{info.file_size / _MB:,.1f}", limit=MAX_PART_BYTES // _MB))
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= _RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise TooLarge(_l("The workbook's part %(part)s is compressed %(ratio)s to 1, far more than a spreadsheet "
                               "ever is: it is refused as a zip bomb.", part=_part_name(info), ratio=f"{ratio:,.0f}"))


def _part_name(info: zipfile.ZipInfo) -> str:
    return info.filename if len(info.filename) <= 60 else info.filename[:59] + "…"


class _Tally:
    """What openpyxl would build from the workbook's XML, counted as each part streams through expat.

    Every part is counted, whatever its name: openpyxl finds the text table and the sheets
    by the workbook's own references, not by name. A part that is not XML stops its count where
    expat (which openpyxl parses with too) stops, so it was counted as far as openpyxl could go.
    """

    def __init__(self, read_rows: int) -> None:
        self.read_rows = read_rows
        self.cells = self.texts = self.elements = self.kept = 0

    def count_part(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self.part, self.depth, self.rows = _part_name(info), 0, 0
        #: the row or text being read: the depth it started at, and its elements so far
        self.group_depth, self.group_elements, self.group_read = 0, 0, False
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler, parser.EndElementHandler = self._start, self._end
        parser.StartDoctypeDeclHandler = self._doctype  # entity expansion ("billion laughs") needs one
        try:
            with archive.open(info) as part:
                while chunk := part.read(64 * 1024):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            return

    def _start(self, name: str, _attributes) -> None:
        self.depth += 1
        if self.group_depth:
            if self.group_read:
                self._count_in_group(name)
        elif name in (_ROW, _TEXT):
            self._start_group(name)
        else:
            self._count(kept=True)

    def _end(self, _name: str) -> None:
        if self.depth == self.group_depth:
            self.group_depth = 0
        self.depth -= 1

    def _start_group(self, name: str) -> None:
        """A row or a text: openpyxl holds one at a time, and reads a sheet's first read_rows rows only."""
        self.group_depth, self.group_elements = self.depth, 0
        if name == _ROW:
            self.rows += 1
            self.group_read = self.rows <= self.read_rows
        else:
            self.group_read = True
            self.texts += 1
            if self.texts > MAX_SHARED_STRINGS:
                raise TooLarge(_l("The workbook's text table is too large for a board's workbook "
                                   "(more than %(limit)s texts).", limit=f"{MAX_SHARED_STRINGS:,}"))
        if self.group_read:
            self._count_in_group(name)

    def _count_in_group(self, name: str) -> None:
        self._count(kept=False)
        self.group_elements += 1
        if self.group_elements > MAX_ELEMENTS_AT_ONCE:
            raise TooLarge(_l("The workbook's part %(part)s has a row or a text too large for a board's workbook "
                               "(more than %(limit)s XML elements).", part=self.part, limit=f"{MAX_ELEMENTS_AT_ONCE:,}"))
        if name == _CELL:
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise TooLarge(_l("The workbook has too many cells for a board's workbook (more than %(limit)s): "
                                   "delete empty formatted rows and columns, or split the file.",
                                   limit=f"{MAX_CELLS:,}"))

    def _count(self, kept: bool) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise TooLarge(_l("The workbook is too complex for a board's workbook (more than %(limit)s XML elements).",
                               limit=f"{MAX_ELEMENTS:,}"))
        self.kept += kept
        if self.kept > MAX_KEPT_ELEMENTS:
            raise TooLarge(_l("The workbook's part %(part)s is too complex for a board's workbook "
                               "(more than %(limit)s XML elements outside its rows and texts).",
                               part=self.part, limit=f"{MAX_KEPT_ELEMENTS:,}"))

    def _doctype(self, *_declaration) -> None:
        raise TooLarge(_l("The workbook's part %(part)s declares a DTD, which spreadsheet programs never write: "
                           "it is refused.", part=self.part))

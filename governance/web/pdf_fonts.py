"""A right text layer for Thai in WeasyPrint's PDFs (and the base URL of the fonts they ship).

WeasyPrint (70 and before; upstream issue Kozea/WeasyPrint#2841 is open) writes a PDF's text
layer glyph by glyph: each glyph id gets one string in the font's ToUnicode map, taken from
the first cluster the glyph is drawn in (the cluster's whole text for its last glyph, nothing
for the others).  HarfBuzz draws SARA AM (ำ) as NIKHAHIT + SARA AA in every Thai font, and
moves the NIKHAHIT before a tone mark into one cluster with it, so the glyph of า also stands
for ำ and the tone mark of น้ำ stands for nothing: "จำนวน" was read as "จานวน" (or "การ" as
"กำร", whichever came first) and "น้ำ" as "นำ".  A glyph that stands for nothing is wrong in
other readers too: pdf.js (Firefox) reads its code as a character, MuPDF U+FFFD.  And poppler
(pdftotext, Evince) takes a zero-width mark and the next letter, both starting at one place,
for text printed twice: it splits the word there and may put the mark after the letter
("น่า" as "นา่") or on another line.

So before WeasyPrint draws a line, the line's glyphs are given ids that carry their own text,
and WeasyPrint draws it as it does:

* The zero-width marks on a letter (an upper vowel, a tone mark, both, as in ที่) and the
  glyphs of ำ with the tone mark before it are drawn as one composite glyph, made of the same
  glyphs at the same places, with their text (ี่, ่ำ).  Zero-width marks are drawn starting
  ``SHIFT`` before their place and as wide, so they start inside the letter they sit on and
  end where the next letter starts.
* The text of any other cluster is shared out among its glyphs (each keeps the character the
  font maps to it, if the text has it there; the rest goes to the last glyph), and a glyph
  drawn for another text than the one it already stands for is drawn as a one-glyph
  composite standing for that text.

The composites are added to the embedded font after WeasyPrint subsets it, as glyphs past the
font's own (``OFFSET`` past them: WeasyPrint gives the ids in between to missing glyphs), so
each glyph id (CID) has one text and the ToUnicode map is right in every reader.  The page
looks the same: each part of a composite is where its glyph was (to a thousandth of an em).
Left to WeasyPrint: lines with an ellipsis, right-to-left runs, and fonts that are not static
TrueType (CFF, variable, collections, bitmap or colour fonts).
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import current_app
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent
from weasyprint.draw import text as draw_text_module
from weasyprint.pdf import fonts as pdf_fonts_module
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

OFFSET = 256  # the composites' glyph ids start this far past the font's own glyphs
SHIFT = 150  # thousandths of an em: how far before their place zero-width marks start
_COMPOSITES = "_governance_composites"  # on a font file's first Font: {(parts, text, advance): id}
_NATURAL = "_governance_natural_text"  # on a Font: {glyph id: the characters its cmap maps to it}

_original_draw_first_line = draw_text_module.draw_first_line
_original_clean = pdf_fonts_module.Font.clean


def static_base_url() -> str:
    """The ``base_url`` the PDF templates' ``url(fonts/…)`` are resolved against."""
    static = current_app.static_folder
    if static is None:
        raise RuntimeError("the PDFs' fonts are under the app's static folder, and it has none")
    return Path(static).resolve().as_uri() + "/"


def install() -> None:
    """Patch WeasyPrint (once) so that the PDFs' text layer has each cluster's own text."""
    if draw_text_module.draw_first_line is not draw_first_line:
        draw_text_module.draw_first_line = draw_first_line
        pdf_fonts_module.Font.clean = clean


# --- Drawing: glyphs that carry their own text ----------------------------------------------

def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's ``draw_first_line``, on a line whose glyphs carry their own text."""
    restore: list = []
    if (text_overflow != "ellipsis" and block_ellipsis == "none" and textbox.text.strip()
            and textbox.style["font_size"] >= 1e-6):
        # WeasyPrint sets this before reading the line; setting it first keeps its call a
        # no-op, so the line recoded here is the line it draws (a change would lay it anew).
        pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
        first_line, _ = textbox.pango_layout.get_first_line()
        _recode_line(stream, textbox, first_line, restore)
    try:
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        for glyph_info, glyph_id, x_offset, width in reversed(restore):
            glyph_info.glyph, glyph_info.geometry.x_offset, glyph_info.geometry.width = glyph_id, x_offset, width


def _eligible(font) -> bool:
    return not (font.bitmap or font.png or font.svg or font.colr or font.type == "otf"
                or "glyf" not in font.tables or "fvar" in font.tables
                or font.file_content[:4] == b"ttcf")


def _recode_line(stream, textbox, first_line, restore: list) -> None:
    utf8_text = textbox.pango_layout.text.encode()
    run = first_line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        if item.analysis.level % 2:  # right to left
            continue
        pango_font = item.analysis.font
        font, font_size = stream.add_font(pango_font)
        if not _eligible(font):
            continue
        if pango.pango_version() < 14802:  # as WeasyPrint does (Pango issue 530)
            font_size = textbox.style["font_size"]
        line = _Run(stream, font, pango_font, font_size, glyph_item, utf8_text, restore)
        start = 0
        while start < line.count:
            start = line.recode_from(start)


class _Run:
    """One run of a line: its glyphs, their clusters, and the font they are drawn in."""

    def __init__(self, stream, font, pango_font, font_size, glyph_item, utf8_text, restore):
        self.font, self.pango_font, self.font_size = font, pango_font, font_size
        # The Fonts of one font file (WeasyPrint embeds the first one's) share its composites.
        self.family = [other for other in getattr(stream, "_fonts", {}).values()
                       if other.hash == font.hash] or [font]
        self.owner = self.family[0]
        glyphs = glyph_item.glyphs
        self.count = glyphs.num_glyphs
        self.infos = [glyphs.glyphs[i] for i in range(self.count)]
        self.clusters = [glyphs.log_clusters[i] for i in range(self.count)]
        self.offset, self.length = glyph_item.item.offset, glyph_item.item.length
        self.utf8_text, self.restore = utf8_text, restore

    def cluster_end(self, index: int) -> int:
        end = index + 1
        while end < self.count and self.clusters[end] == self.clusters[index]:
            end += 1
        return end

    def text(self, start: int, end: int) -> str:
        """The text of the clusters of glyphs ``start`` to ``end`` (a cluster's end)."""
        stop = self.length if end == self.count else self.clusters[end]
        return self.utf8_text[self.offset + self.clusters[start]:self.offset + stop].decode()

    def drawable(self, index: int) -> bool:
        glyph_id = self.infos[index].glyph
        return glyph_id != pango.PANGO_GLYPH_EMPTY and not glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG

    def zero_width(self, start: int, end: int) -> bool:
        return all(self.infos[i].geometry.width == 0 for i in range(start, end))

    def recode_from(self, start: int) -> int:
        """Recode the cluster at ``start`` (with the marks stacked on it); the next index."""
        end = self.cluster_end(start)
        if not all(self.drawable(i) for i in range(start, end)):
            return end
        if self.zero_width(start, end):  # marks: with the marks after them at the same place
            stack = end
            while stack < self.count:
                following = self.cluster_end(stack)
                if not (self.zero_width(stack, following)
                        and all(self.drawable(i) for i in range(stack, following))):
                    break
                stack = following
            if self.stack(start, stack, shift=self.room_before(start)):
                return stack
        elif end - start > 1 and self.stack(start, end, shift=False):  # a cluster of glyphs, as ำ
            return end
        glyph_ids = [self.infos[i].glyph for i in range(start, end)]
        for index, part in zip(range(start, end), self.share_out(glyph_ids, self.text(start, end)),
                               strict=True):
            self.show(index, self.code(self.infos[index].glyph, part))
        return end

    def room_before(self, start: int) -> bool:
        """Whether the glyph before ``start`` is wide enough for the marks to start on it."""
        return start > 0 and self.drawable(start - 1) and (
            self.infos[start - 1].geometry.width * 1000 * FROM_UNITS / self.font_size >= 2.5 * SHIFT)

    def stack(self, start: int, end: int, shift: bool) -> bool:
        """Draw glyphs ``start`` to ``end`` as one composite glyph, in the last one's slot.

        The composite starts where the first glyph's slot starts and is as wide as the slots
        together (the others are left empty and without width).  With ``shift`` (zero-width
        marks) it starts ``SHIFT`` before that place and is ``SHIFT`` wide, so it ends where
        the next glyph starts: poppler then keeps the marks between the letter they sit on
        and the next one.
        """
        scale = self.font.upem / 1000  # WeasyPrint's offsets are in thousandths of an em
        pen, origins, total = 0.0, [], 0
        for index in range(start, end):  # as WeasyPrint places them (draw/text.py)
            geometry = self.infos[index].geometry
            origins.append((pen + geometry.x_offset / self.font_size,  # (x, y up)
                            -geometry.y_offset / self.font_size))  # rise: y_offset / 1000
            pen += geometry.width * 1000 * FROM_UNITS / self.font_size
            total += geometry.width
        if not shift and end - start == 1:
            return False
        x_offset = -round(SHIFT * self.font_size) if shift else 0
        origin_x = x_offset / self.font_size
        width = SHIFT if shift else total * 1000 * FROM_UNITS / self.font_size
        parts = tuple((self.infos[index].glyph, round((x - origin_x) * scale), round((y - origins[-1][1]) * scale))
                      for index, (x, y) in zip(range(start, end), origins, strict=True))
        code = self.composite(parts, self.text(start, end), round(width * scale), width)
        if code is None:
            return False
        for index in range(start, end - 1):
            self.show(index, pango.PANGO_GLYPH_EMPTY, 0, 0)  # WeasyPrint draws nothing there
        self.show(end - 1, code, x_offset, total)
        return True

    def share_out(self, glyph_ids: list[int], text: str) -> list[str]:
        """The text each glyph of a cluster stands for; joined in order, they are the text."""
        if len(glyph_ids) == 1:
            return [text]
        natural = _natural_text(self.font)
        parts, position = [], 0
        for glyph_id in glyph_ids:
            if position < len(text) and text[position] in natural.get(glyph_id, ""):
                parts.append(text[position])
                position += 1
            else:
                parts.append("")
        parts[-1] += text[position:]
        return parts

    def code(self, glyph_id: int, text: str) -> int:
        """The glyph to draw for ``glyph_id`` standing for ``text``: itself or a composite."""
        font = self.font
        claimed = font.to_unicode.get(glyph_id)
        if claimed == text:
            return glyph_id
        natural = _natural_text(font).get(glyph_id, "")
        if claimed is None and (not natural or text in natural):
            font.to_unicode[glyph_id] = text
            return glyph_id
        code = self.composite(((glyph_id, 0, 0),), text, None, self.width(glyph_id))  # same advance
        if code is None:
            return glyph_id  # as WeasyPrint does
        if claimed is None:  # the glyph itself stands for its own character
            font.to_unicode[glyph_id] = min(natural)
        return code

    def composite(self, parts: tuple, text: str, advance: int | None, width: float) -> int | None:
        """The glyph id of the composite of ``parts`` (``(glyph id, dx, dy)`` in font units),
        ``advance`` font units wide (None: as its one part), standing for ``text``; ``width``
        is its width in the PDF, in thousandths of an em."""
        registry = self.owner.__dict__.setdefault(_COMPOSITES, {})
        key = (parts, text, advance)
        code = registry.get(key)
        if code is None:
            code = self.owner.glyph_count + OFFSET + len(registry)
            if code > 0xFFFE or any(len(other.missing) >= OFFSET for other in self.family):
                return None
            registry[key] = code
        font = self.font
        font.to_unicode[code] = text
        font.widths[code] = round(width)  # WeasyPrint reads the advance here, and writes W
        return code

    def width(self, glyph_id: int) -> int:
        """A glyph's width in the PDF, as WeasyPrint measures it."""
        if glyph_id not in self.font.widths:
            ink, logical = ffi.new("PangoRectangle *"), ffi.new("PangoRectangle *")
            pango.pango_font_get_glyph_extents(self.pango_font, glyph_id, ink, logical)
            self.font.widths[glyph_id] = round(logical.width * 1000 * FROM_UNITS / self.font_size)
        return self.font.widths[glyph_id]

    def show(self, index: int, glyph_id: int, x_offset: int | None = None, width: int | None = None) -> None:
        """Draw glyph ``index`` as ``glyph_id`` (at ``x_offset``, ``width`` wide), this once."""
        info = self.infos[index]
        geometry = info.geometry
        self.restore.append((info, info.glyph, geometry.x_offset, geometry.width))
        info.glyph = glyph_id
        if x_offset is not None:
            geometry.x_offset = x_offset
        if width is not None:
            geometry.width = width


def _natural_text(font) -> dict[int, str]:
    """Glyph id -> the characters the font's cmap maps to it."""
    if _NATURAL not in font.__dict__:
        natural: dict[int, str] = {}
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        glyph_ids = ttfont.getReverseGlyphMap()
        for codepoint, name in sorted((ttfont.getBestCmap() or {}).items()):
            glyph_id = glyph_ids.get(name)
            if glyph_id is not None:
                natural[glyph_id] = natural.get(glyph_id, "") + chr(codepoint)
        font.__dict__[_NATURAL] = natural
    return font.__dict__[_NATURAL]


# --- Embedding: the composites added to the subset font --------------------------------------

def clean(self, to_unicode, hinting):
    """WeasyPrint's ``Font.clean`` (subsetting), then the composites added to the font."""
    registry = self.__dict__.get(_COMPOSITES)
    if not registry:
        return _original_clean(self, to_unicode, hinting)
    if to_unicode:  # keep the composites' parts in the subset (only the keys count)
        parts = {glyph_id for key in registry for glyph_id, _dx, _dy in key[0]}
        to_unicode = {**dict.fromkeys(parts, ""), **to_unicode}
    _original_clean(self, to_unicode, hinting)
    self.file_content = _with_composites(self.file_content, registry)


def _with_composites(file_content: bytes, registry: dict) -> bytes:
    ttfont = TTFont(io.BytesIO(file_content))
    names = list(ttfont.getGlyphOrder())
    glyf, hmtx = ttfont["glyf"], ttfont["hmtx"]
    by_id = {code: (parts, advance) for (parts, _text, advance), code in registry.items()}
    first = len(names)
    names += [f"governance.{glyph_id}" for glyph_id in range(first, max(by_id) + 1)]
    ttfont.setGlyphOrder(names)
    glyf.setGlyphOrder(names)
    for table in ("hdmx", "VDMX", "LTSH"):  # per-glyph tables that are optional
        if table in ttfont:
            del ttfont[table]
    for glyph_id in range(first, len(names)):
        name, glyph = names[glyph_id], Glyph()
        parts, advance = by_id.get(glyph_id, ((), 0))
        if "vmtx" in ttfont:
            ttfont["vmtx"][name] = ttfont["vmtx"][names[parts[-1][0]]] if parts else (0, 0)
        if not parts:  # room for WeasyPrint's missing glyphs: empty
            glyf[name] = glyph
            hmtx[name] = (0, 0)
            continue
        glyph.numberOfContours = -1
        glyph.components = []
        for part, dx, dy in parts:
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = names[part], dx, dy, 0
            glyph.components.append(component)
        glyf[name] = glyph
        glyph.recalcBounds(glyf)
        if advance is None:
            advance = hmtx[names[parts[-1][0]]][0]
        hmtx[name] = (advance, getattr(glyph, "xMin", 0))
    output = io.BytesIO()
    ttfont.save(output)
    return output.getvalue()

"""Draw the resume in the look of its DOCX: that page, those margins, each item as its paragraph.

Each line has the look of its source paragraph (pdf_pieces). Paragraph spacing is Word's (the
larger of one paragraph's space after and the next one's space before, none between lines of
one paragraph, none before the first line of a page), parts of a line written with tabs sit at
the paragraph's tab stops (pdf_tabs), and empty spacer paragraphs between two items keep their height, so the pages
break where they broke in Word. Lines are broken here word by word (fpdf2 cannot mix bold
and plain text in one wrapped cell without its markdown, which would eat `**`, `__` and
`--` in a resume's own text), and every word is drawn once, in order.
"""

from __future__ import annotations

import re

from fpdf import FPDF

from resume_tui.models import ItemKind

from .docx_look import PT_MM, DocxLook, ParaLook
from .pdf_faces import Face, face_for, font_files
from .pdf_pieces import Piece
from .pdf_tabs import tab_starts

_BULLET_TEXT = re.compile(r"^[•◦▪▫●○■□‣⁃➢➤►\-–—*]\s")


def ink(color: tuple[int, int, int] | None) -> tuple[int, int, int]:
    """The colour to draw text in: the paragraph's, unless it is too pale to read on white paper
    (white text on a template's dark sidebar, whose shading the PDF does not draw) — then black."""
    if color is None:
        return (0, 0, 0)
    red, green, blue = color
    return color if 0.2126 * red + 0.7152 * green + 0.0722 * blue <= 190 else (0, 0, 0)


class LookPDF(FPDF):
    def __init__(self, look: DocxLook) -> None:
        super().__init__(orientation="portrait", unit="mm", format=look.page)
        top, right, bottom, left = look.margins
        self.set_margins(left, top, right)
        self.set_auto_page_break(False, margin=bottom)
        self.c_margin = 0
        self.bottom_limit = look.page[1] - bottom
        self._widths: dict[tuple[str, str, float, float, str], float] = {}

    def ensure_font(self, face: str, style: str) -> None:
        """Embed a bundled face on first use only: each costs ~60 ms to load and bytes in the file."""
        if f"{face.lower()}{style}" not in self.fonts:
            self.add_font(face, style, font_files()[face][style])

    def width_of(self, text: str) -> float:
        """get_string_width, remembered: every word is measured when wrapping and again when drawn."""
        key = (self.font_family, self.font_style, self.font_size_pt, self.font_stretching, text)
        if key not in self._widths:
            self._widths[key] = self.get_string_width(text)
        return self._widths[key]


class Drawer:
    """Lays the pieces down page by page; heights are the source's, widths are the source font's."""

    def __init__(self, pdf: LookPDF, look: DocxLook) -> None:
        self.pdf = pdf
        self.look = look
        self.faces: dict[str, Face] = {}

    def face(self, family: str) -> Face:
        if family not in self.faces:
            self.faces[family] = face_for(family)
        return self.faces[family]

    def line_height(self, look: ParaLook) -> float:
        natural = self.face(look.family).line_em * look.size
        if look.exact is not None:
            height = max(look.exact, natural) if look.at_least else look.exact
        else:
            height = natural * look.line
        return height * PT_MM

    def use(self, look: ParaLook, bold: bool, italic: bool) -> None:
        face = self.face(look.family)
        style = ("B" if bold else "") + ("I" if italic else "")
        self.pdf.ensure_font(face.face, style)
        self.pdf.set_font(face.face, style, look.size)
        self.pdf.set_stretching(100 * (face.width_bold if bold else face.width))

    def draw(self, pieces: list[Piece]) -> None:
        pdf = self.pdf
        pdf.add_page()
        last_body: int | None = -1
        pending = 0.0  # the space after the paragraph above, not drawn yet (Word keeps the larger of after/before)
        for n, piece in enumerate(pieces):
            first = n == 0 or pieces[n - 1].key != piece.key
            last = n + 1 == len(pieces) or pieces[n + 1].key != piece.key
            look = piece.look
            tabbed = self.tabbed(piece, first)
            lines = [[]] if tabbed is not None else self.wrap(piece, first)
            height = self.line_height(look) * len(lines)
            gap = 0.0
            if first:
                body = piece.key[1] if piece.key[0] == "b" else None
                if body is not None and last_body is not None and body > last_body:
                    gap = sum(self.look.empty_height.get(k, 0.0) for k in range(last_body + 1, body)) * PT_MM
                last_body = body if body is not None else last_body
                prev = pieces[n - 1].look if n else None
                same = look.contextual and prev is not None and prev.style == look.style
                gap += 0.0 if same else max(pending, look.before * PT_MM)
                pending = 0.0
            need = gap + self.line_height(look) * min(len(lines), 2)
            if piece.heading and n + 1 < len(pieces):
                need = gap + height + self.line_height(pieces[n + 1].look) + pieces[n + 1].look.before * PT_MM
            if pdf.get_y() + need > pdf.bottom_limit and pdf.get_y() > pdf.t_margin + 0.01:
                pdf.add_page()
            if pdf.get_y() > pdf.t_margin + 0.01:
                pdf.set_y(pdf.get_y() + gap)
            for index, line in enumerate(lines):
                if pdf.get_y() + self.line_height(look) > pdf.bottom_limit + 0.01 and pdf.get_y() > pdf.t_margin + 0.01:
                    pdf.add_page()
                if tabbed is not None:
                    self.draw_tabbed(look, tabbed)
                else:
                    self.draw_line(piece, line, (first and index == 0, index == 0), index + 1 == len(lines))
            if last:
                nxt = pieces[n + 1].look if n + 1 < len(pieces) else None
                if look.border_below:
                    self.rule(look)
                pending = 0.0 if look.contextual and nxt is not None and nxt.style == look.style else look.after * PT_MM

    def tabbed(self, piece: Piece, para_first: bool) -> list[tuple[float, list[tuple[str, bool, bool]]]] | None:
        """(x, runs) of each tab-separated part when the line has tabs and fits on one line at its stops."""
        if len(piece.segments) < 2 or self.bullet(piece) is not None or piece.look.align not in ("L", "J"):
            return None
        parts: list[list[tuple[str, bool, bool]]] = [[] for _ in piece.segments]
        bounds, offset = [], 0
        for _, text in piece.segments:
            bounds.append(offset + len(text))
            offset += len(text) + 1
        position, index = 0, 0
        for word in self.words(piece):
            while index + 1 < len(parts) and position >= bounds[index]:
                index += 1
            parts[index].extend(word)
            position += sum(len(text) for text, _, _ in word)
        if not parts[-1]:
            return None
        parts[-1][-1] = (parts[-1][-1][0].rstrip() or parts[-1][-1][0], *parts[-1][-1][1:])
        widths = [self.width(piece.look, part, trim=True) for part in parts]
        x, width = self.frame(piece, para_first)
        stops = tuple((position * PT_MM, align) for position, align in piece.look.tabs)
        right = max(x + width, self.pdf.w - self.pdf.r_margin - piece.look.right * PT_MM)
        starts = tab_starts(widths, [tabs for tabs, _ in piece.segments], x, self.pdf.l_margin, right, stops,
                            self.look.default_tab * PT_MM)
        return list(zip(starts, parts, strict=True)) if starts is not None else None

    def draw_tabbed(self, look: ParaLook, parts: list[tuple[float, list[tuple[str, bool, bool]]]]) -> None:
        """Each part at its stop; the space that joins two parts in the text is kept (invisible) so
        that a text extractor still reads "Engineer 2019", never "Engineer2019"."""
        pdf = self.pdf
        y, height = pdf.get_y(), self.line_height(look)
        pdf.set_text_color(*ink(look.color))
        for x, runs in parts:
            cursor = x
            for text, bold, italic in runs:
                self.use(look, bold, italic)
                pdf.set_xy(cursor, y)
                pdf.cell(pdf.width_of(text), height, text)
                cursor += pdf.width_of(text)
        pdf.set_xy(pdf.l_margin, y + height)

    def rule(self, look: ParaLook) -> None:
        pdf = self.pdf
        y = pdf.get_y() + 0.4
        pdf.set_draw_color(*ink(look.color))
        pdf.set_line_width(0.25)
        pdf.line(pdf.l_margin + look.left * PT_MM, y, pdf.w - pdf.r_margin - look.right * PT_MM, y)
        pdf.set_y(y + 0.6)

    def bullet(self, piece: Piece) -> str | None:
        """The mark drawn before a list line: Word's list bullet, or a bullet the reader took off the text."""
        if _BULLET_TEXT.match(piece.text):
            return None
        if piece.look.numbered:
            return piece.look.mark
        if piece.kind == ItemKind.BULLET and (piece.look.typed_bullets or piece.key[0] in ("h", "n", "s")):
            return "•"  # typed in the source (the reader took it off), or no source paragraph to follow
        return None

    def frame(self, piece: Piece, first_line: bool) -> tuple[float, float]:
        """(x, width) of a line of this piece."""
        look = piece.look
        pdf = self.pdf
        left = look.left * PT_MM
        if first_line and not (look.numbered and look.first < 0):
            left += look.first * PT_MM
        x = pdf.l_margin + max(left, -pdf.l_margin + 2)
        width = pdf.w - pdf.r_margin - look.right * PT_MM - x
        return x, max(width, 20.0)

    def words(self, piece: Piece) -> list[list[tuple[str, bool, bool]]]:
        """The text as words (each a list of (text, bold, italic) fragments, trailing space kept)."""
        text = piece.text
        flags = [(piece.look.bold, piece.look.italic)] * len(text)
        for start, end, bold, italic in piece.bold_spans:
            for i in range(max(start, 0), min(end, len(text))):
                flags[i] = (flags[i][0] or bold, flags[i][1] or italic)
        words: list[list[tuple[str, bool, bool]]] = []
        current: list[tuple[str, bool, bool]] = []
        for i, ch in enumerate(text):
            if not ch.isspace() and current and current[-1][0][-1:].isspace():
                words.append(current)
                current = []
            bold, italic = flags[i]
            if current and current[-1][1:] == (bold, italic):
                current[-1] = (current[-1][0] + ch, bold, italic)
            else:
                current.append((ch, bold, italic))
        if current:
            words.append(current)
        return words

    def width(self, look: ParaLook, fragments: list[tuple[str, bool, bool]], trim: bool = False) -> float:
        total = 0.0
        for k, (text, bold, italic) in enumerate(fragments):
            if trim and k == len(fragments) - 1:
                text = text.rstrip()
            self.use(look, bold, italic)
            total += self.pdf.width_of(text)
        return total

    def wrap(self, piece: Piece, para_first: bool) -> list[list[list[tuple[str, bool, bool]]]]:
        """Words into lines; the paragraph's first line has its first-line indent, the piece's its bullet."""
        lines: list[list[list[tuple[str, bool, bool]]]] = [[]]
        bullet_room = self.bullet_room(piece)
        used = 0.0
        pending = self.words(piece)
        while pending:
            word = pending.pop(0)
            _, avail = self.frame(piece, para_first and len(lines) == 1)
            avail -= bullet_room if len(lines) == 1 else 0.0
            need = self.width(piece.look, word, trim=True)
            if lines[-1] and used + need > avail:
                lines.append([])
                used = 0.0
                _, avail = self.frame(piece, False)
            if not lines[-1] and need > avail:  # a URL wider than the line: split it, never let it run off the page
                head, tail = self.split_word(piece.look, word, avail)
                if tail:
                    pending.insert(0, tail)
                    word = head
            lines[-1].append(word)
            used += self.width(piece.look, word)
        return lines

    def split_word(self, look: ParaLook, word: list[tuple[str, bool, bool]], avail: float) -> tuple[list, list]:
        """The longest head of `word` that fits `avail` (at least one character), and the rest."""
        chars = [(ch, bold, italic) for text, bold, italic in word for ch in text]
        cut = 1
        while cut < len(chars) and self.width(look, [(c, b, i) for c, b, i in chars[: cut + 1]]) <= avail:
            cut += 1

        def regroup(part: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
            out: list[tuple[str, bool, bool]] = []
            for ch, bold, italic in part:
                if out and out[-1][1:] == (bold, italic):
                    out[-1] = (out[-1][0] + ch, bold, italic)
                else:
                    out.append((ch, bold, italic))
            return out

        return regroup(chars[:cut]), regroup(chars[cut:])

    def bullet_room(self, piece: Piece) -> float:
        """Room the bullet takes on the first line when it is not hung in the indent."""
        mark = self.bullet(piece)
        if mark is None or (piece.look.numbered and piece.look.first < 0):
            return 0.0
        self.use(piece.look, False, False)
        return self.pdf.width_of(mark + " ")

    def draw_line(self, piece: Piece, words: list[list[tuple[str, bool, bool]]], first: tuple[bool, bool], last: bool) -> None:
        """`first`: (first line of its paragraph, first line of this piece)."""
        pdf = self.pdf
        look = piece.look
        height = self.line_height(look)
        x, width = self.frame(piece, first[0])
        y = pdf.get_y()
        pdf.set_text_color(*ink(look.color))
        if first[1] and (mark := self.bullet(piece)) is not None:
            self.use(look, False, False)
            if look.numbered and look.first < 0:
                pdf.set_xy(x + look.first * PT_MM, y)
                pdf.cell(-look.first * PT_MM, height, mark)
            else:
                room = self.bullet_room(piece)
                pdf.set_xy(x, y)
                pdf.cell(room, height, mark + " ")
                x, width = x + room, width - room
        natural = sum(self.width(look, word, trim=k == len(words) - 1) for k, word in enumerate(words))
        spare = max(width - natural, 0.0)
        offset, stretch = 0.0, 0.0
        if look.align == "C":
            offset = spare / 2
        elif look.align == "R":
            offset = spare
        elif look.align == "J" and not last and len(words) > 1:
            stretch = spare / (len(words) - 1)
        cursor = x + offset
        # One cell per run of same-style text (per word when justified): fewer cells, same words.
        groups = [words] if stretch == 0.0 else [[word] for word in words]
        for g, group in enumerate(groups):
            runs: list[tuple[str, bool, bool]] = []
            for fragment in (f for word in group for f in word):
                if runs and runs[-1][1:] == fragment[1:]:
                    runs[-1] = (runs[-1][0] + fragment[0], *fragment[1:])
                else:
                    runs.append(fragment)
            if g == len(groups) - 1 and runs:
                runs[-1] = (runs[-1][0].rstrip() or runs[-1][0], *runs[-1][1:])
            for text, bold, italic in runs:
                self.use(look, bold, italic)
                w = pdf.width_of(text)
                pdf.set_xy(cursor, y)
                pdf.cell(w, height, text)
                cursor += w
            cursor += stretch
        pdf.set_xy(pdf.l_margin, y + height)

"""Draw the resume in the look of its DOCX: that page, those margins, each item as its paragraph.

Items are matched to their source paragraph (origin, else text); an item the tailoring
added takes the look of its neighbour of the same kind. Paragraph spacing is Word's (space
before + space after, none between lines of one paragraph, none before the first line of
a page), and empty spacer paragraphs between two items keep their height, so the pages
break where they broke in Word. Lines are broken here word by word (fpdf2 cannot mix bold
and plain text in one wrapped cell without its markdown, which would eat `**`, `__` and
`--` in a resume's own text), and every word is drawn once, in order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from fpdf import FPDF

from resume_tui.models import ItemKind, Origin

from ._layout import Block, Layout
from .docx_look import PT_MM, DocxLook, ParaLook
from .pdf_faces import Face, face_for, font_files

_BULLET_TEXT = re.compile(r"^[•◦▪▫●○■□‣⁃➢➤►\-–—*]\s")


@dataclass
class Piece:
    """One line of the resume (a soft-broken line of its source paragraph) to draw."""

    text: str
    look: ParaLook
    key: tuple  # the source paragraph: pieces with the same key are one paragraph
    kind: ItemKind = ItemKind.LINE
    bold_spans: list[tuple[int, int, bool, bool]] = field(default_factory=list)  # (start, end, bold, italic)
    heading: bool = False  # kept on a page with what follows


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


def pieces_of(layout: Layout, look: DocxLook) -> list[Piece]:
    """Every line of the layout with the look of the paragraph it came from, in order."""
    out: list[Piece] = []
    by_kind: dict[ItemKind, Counter[ParaLook]] = {}
    head_lines = ([layout.name] if layout.name else []) + layout.contact_lines
    for n, line in enumerate(head_lines):
        found = look.by_text(line)
        fallback = _with(look.normal, bold=True, size=look.normal.size * 1.6) if n == 0 and layout.name else look.normal
        piece_look, key = found if found else (fallback, ("h", n))
        out.append(Piece(line, piece_look, key))
    titles: Counter[ParaLook] = Counter()
    for section in layout.sections:
        if section.title:
            found = _locate(look, section.title, section.origin)
            if found:
                titles[found[0]] += 1
        for block in section.items:
            found = _locate(look, block.text, block.origin)
            if found:
                by_kind.setdefault(block.kind, Counter())[found[0]] += 1
    default_title = titles.most_common(1)[0][0] if titles else _with(look.normal, bold=True)
    for s, section in enumerate(layout.sections):
        if section.title:
            found = _locate(look, section.title, section.origin)
            head_look, key = found if found else (default_title, ("s", s))
            out.append(Piece(section.title, head_look, key, heading=True))
        previous: dict[ItemKind, ParaLook] = {}
        for i, block in enumerate(section.items):
            found = _locate(look, block.text, block.origin)
            if found:
                item_look, key = found
            else:  # added by the tailoring: dress it like its kind nearby
                common = by_kind.get(block.kind)
                item_look = previous.get(block.kind) or (common.most_common(1)[0][0] if common else look.normal)
                key = ("n", s, i)
            previous[block.kind] = item_look
            out.append(Piece(block.text, item_look, key, block.kind, _spans(block), heading=block.kind == ItemKind.ROLE))
    return out


def _with(look: ParaLook, **changes: object) -> ParaLook:
    from dataclasses import replace

    return replace(look, **changes)  # type: ignore[arg-type]


def _spans(block: Block) -> list[tuple[int, int, bool, bool]]:
    return [(s.start, s.end, s.bold, s.italic) for s in block.spans]


def _locate(look: DocxLook, text: str, origin: Origin | None) -> tuple[ParaLook, tuple] | None:
    if origin is not None and origin.part == "body":
        if origin.table is not None:
            return look.by_text(text, ("c", *origin.table))
        if origin.paragraph is not None and origin.paragraph in look.paragraphs:
            return look.paragraphs[origin.paragraph], ("b", origin.paragraph)
    return look.by_text(text)


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
            lines = self.wrap(piece, first)
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
                self.draw_line(piece, line, (first and index == 0, index == 0), index + 1 == len(lines))
            if last:
                nxt = pieces[n + 1].look if n + 1 < len(pieces) else None
                if look.border_below:
                    self.rule(look)
                pending = 0.0 if look.contextual and nxt is not None and nxt.style == look.style else look.after * PT_MM

    def rule(self, look: ParaLook) -> None:
        pdf = self.pdf
        y = pdf.get_y() + 0.4
        pdf.set_draw_color(*(look.color or (0, 0, 0)))
        pdf.set_line_width(0.25)
        pdf.line(pdf.l_margin + look.left * PT_MM, y, pdf.w - pdf.r_margin - look.right * PT_MM, y)
        pdf.set_y(y + 0.6)

    def bullet(self, piece: Piece) -> str | None:
        """The mark drawn before a list line: Word's list bullet, or a bullet the reader took off the text."""
        if _BULLET_TEXT.match(piece.text):
            return None
        if piece.look.numbered or piece.kind == ItemKind.BULLET:
            return "•"
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
        pdf.set_text_color(*(look.color or (0, 0, 0)))
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

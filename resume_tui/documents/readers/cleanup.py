"""Line-level repairs of extraction artefacts seen in real resumes.

- Icon fonts (Font Awesome and friends) extract as junk before contact details:
  "/re♀y jane@x.com", "ï jane@x.com", "\\uf0e0 +49 …".
- Letter-spaced names extract with spaces between the letters: "Athul S I VAN".
- LinkedIn copy-pastes double text: "Senior EngineerSenior Engineer".
Each repair is conservative: it only fires on its specific signature, and doubled text
is removed only when it is an exact, immediate copy (so no distinct text is ever lost).
All work is linear or bounded per line.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

from resume_tui.documents.contact import EMAIL, URL

MAX_LINE = 300
_PHONE_START = re.compile(r"\+?\(?\d[\d \t().-]{5,20}\d")
_SEPARATOR_CHARS = frozenset("|•·–—-,;:/()[]<>\"'*#+=&.")


def _is_private(ch: str) -> bool:
    code = ord(ch)
    return 0xE000 <= code <= 0xF8FF or code >= 0xF0000


def _is_junk_token(token: str) -> bool:
    """A glyph an icon font left behind: private-use or symbol characters, a lone
    non-ASCII character, or a short "/glyphname" token."""
    if any(_is_private(ch) for ch in token):
        return True
    if any(unicodedata.category(ch) in ("So", "Sk", "Co") for ch in token):
        return True
    if len(token) == 1:
        # a lone accented letter ("ï", "Ó": icon code points in a text font); separators
        # such as "⋄" or "·" (maths/punctuation) stay
        return not token.isascii() and token not in _SEPARATOR_CHARS and unicodedata.category(token)[0] == "L"
    return token[0] == "/" and len(token) <= 8 and "." not in token and not any(ch.isdigit() for ch in token[1:])


def _starts_contact(rest: str) -> bool:
    for pattern in (EMAIL, URL, _PHONE_START):
        match = pattern.match(rest)
        if match:
            return True
    return False


def strip_icon_junk(line: str) -> str:
    """Remove icon-glyph tokens that stand directly before an email, phone or URL."""
    if len(line) > MAX_LINE or ("@" not in line and not any(ch.isdigit() for ch in line) and "www" not in line and "://" not in line):
        return line
    tokens = line.split(" ")
    kept: list[str] = []
    for index, token in enumerate(tokens):
        if token and _is_junk_token(token):
            rest = " ".join(t for t in tokens[index + 1 :]).lstrip()
            # several junk tokens in a row ("/ne ♀ +49…"): drop them all
            following = rest
            while following:
                head, _, tail = following.partition(" ")
                if not _is_junk_token(head):
                    break
                following = tail.lstrip()
            if following and _starts_contact(following):
                continue
        kept.append(token)
    cleaned = " ".join(kept).strip()
    return cleaned if cleaned else line


_SINGLE_CAP = re.compile(r"^[A-ZÀ-ÖØ-Þ]$")
_CAPS_TAIL = re.compile(r"^[A-ZÀ-ÖØ-Þ]{2,}$")


def _join_group(tokens: list[str]) -> list[str]:
    """Join runs of single capitals (and an all-caps tail: "S I VAN" → "SIVAN")."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and _SINGLE_CAP.match(tokens[j]):
            j += 1
        tail = j < len(tokens) and bool(_CAPS_TAIL.match(tokens[j]))
        if j - i >= 3 or (j - i >= 2 and tail):
            j += 1 if tail else 0
            out.append("".join(tokens[i:j]))
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return out


def join_letter_spaced(line: str) -> str:
    """ "A T H U L  S I V A N" → "ATHUL SIVAN"; "Athul S I VAN" → "Athul SIVAN".

    Only short name/heading-like lines (no digits, contact details or lower-case words)
    whose words are mostly single capitals are touched, and only runs of three capitals or
    two with an all-caps tail are joined, so initials ("J. R. Smith", "U S Army") stay.
    """
    if len(line) > 48 or any(ch.isdigit() for ch in line) or "@" in line or "/" in line:
        return line
    words = line.split()
    if any(w.islower() for w in words):  # "… I N T E R N at Science" is a sentence, not a name
        return line
    singles = sum(1 for w in words if _SINGLE_CAP.match(w))
    if singles < 2 or singles * 10 < 4 * len(words):
        return line
    groups = re.split(r"\s{2,}", line.strip())
    joined = [" ".join(_join_group(group.split())) for group in groups]
    return " ".join(joined)


# ------------------------------------------------------------------ doubled text

_MIN_COPY = 5  # characters; shorter repeats ("Bora Bora" is two words) are ordinary text
_MAX_SCAN = 1000  # longer lines only get the whole-line check
_MARKER_CHARS = " \t-–—*•·▪‣◦●#>|+"
_MAX_PHRASE = 200  # a doubled title/company/place; whole doubled paragraphs are whole-line repeats


def _is_start(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] == " "


def _second_copy_starts(text: str) -> list[int]:
    """Where a glued or spaced second copy may begin: after a space, or an upper-case
    letter glued to a lower-case letter, digit or sentence end ("EngineerSenior")."""
    starts = []
    for j in range(1, len(text)):
        ch, prev = text[j], text[j - 1]
        if prev == " " or (ch.isupper() and (prev.islower() or prev in ".)!?")):
            starts.append(j)
        elif ch.isupper() and prev.isupper() and j + 1 < len(text) and text[j + 1].islower():  # "IDMoscow"
            starts.append(j)
    return starts


def _copy_ok(copy: str, glued: bool) -> bool:
    letters = sum(ch.isalpha() for ch in copy)
    if len(copy.strip()) < _MIN_COPY or letters < 4:
        return False
    # A spaced repeat must be a phrase ("Senior System Engineer Senior System Engineer");
    # a single repeated word ("Walla Walla") is left alone.
    return glued or len(copy.split()) >= 2


def collapse_repeats(line: str) -> tuple[str, list[tuple[int, str]]]:
    """Remove exact immediate repetitions of a phrase within a line.

    Returns the new line and what was removed as (position in the new line, removed
    text); re-inserting each removed piece at its position gives the original back, and
    each removed piece is a copy of the text just before it.
    """
    if len(line) < 2 * _MIN_COPY:
        return line, []
    body = line.lstrip(_MARKER_CHARS)  # "- SS" / "• SS": the marker is not part of the copy
    whole = _whole_line_repeat(body)
    if whole is not None:
        cut = len(line) - len(body)
        return line[:cut] + whole[0], [(cut + position, piece) for position, piece in whole[1]]
    if len(line) > _MAX_SCAN:
        return line, []
    out: list[str] = []
    removed: list[tuple[int, str]] = []
    pos = 0  # first character not yet copied to `out`
    word_starts = [i for i in range(len(line)) if _is_start(line, i) and line[i] != " "]
    for j in _second_copy_starts(line):
        if j <= pos:
            continue
        found = _repeat_at(line, j, pos, word_starts)
        if found is None:
            continue
        start, length = found
        out.append(line[pos:start])
        removed.append((sum(map(len, out)), line[start : start + length]))
        pos = start + length
    out.append(line[pos:])
    return "".join(out), removed


def _repeat_at(line: str, j: int, pos: int, word_starts: list[int]) -> tuple[int, int] | None:
    """(start, length) of a second copy beginning at `j` of a phrase that starts at a word
    start at or after `pos` and ends at `j`; the longest such phrase wins."""
    for k in range(bisect_left(word_starts, max(pos, j - _MAX_PHRASE)), len(word_starts)):
        i = word_starts[k]
        if i >= j - _MIN_COPY + 1:
            break
        if line[i] != line[j]:
            continue
        first = line[i:j]
        spaced = first.endswith(" ")
        copy = first[:-1] if spaced else first
        if not _copy_ok(copy, not spaced) or not line.startswith(copy, j):
            continue
        end = j + len(copy)
        if not _ends_word(line, end):
            continue
        return (j - 1, len(copy) + 1) if spaced else (j, len(copy))
    return None


def _ends_word(line: str, end: int) -> bool:
    """The copy must end where a word ends (or where a new glued word begins)."""
    if end >= len(line):
        return True
    nxt, prev = line[end], line[end - 1]
    return not (nxt.isalnum() and prev.isalnum() and not nxt.isupper())


def _whole_line_repeat(line: str) -> tuple[str, list[tuple[int, str]]] | None:
    n = len(line)
    if n % 2 == 0 and line[: n // 2] == line[n // 2 :]:
        half = line[: n // 2]
        if _copy_ok(half, True) and (half[-1] != " ") and _glued_boundary(line, n // 2):
            return half, [(len(half), half)]
    if n % 2 == 1 and line[n // 2] == " " and line[: n // 2] == line[n // 2 + 1 :]:
        half = line[: n // 2]
        if _copy_ok(half, False):
            return half, [(len(half), " " + half)]
    return None


def _glued_boundary(line: str, j: int) -> bool:
    ch, prev = line[j], line[j - 1]
    return ch.isupper() and (prev.islower() or prev in ".)!?") or not (ch.isalnum() and prev.isalnum())


# Glyphs a font maps to no Unicode come out of pypdf as their names: LaTeX lining figures
# ("/four.lnum/nine.lnum" is "49") and icon fonts before contact details ("/github github.com/x").
_FIGURE_NAMES = {name: str(d) for d, name in enumerate("zero one two three four five six seven eight nine".split())}
_FIGURE_GLYPH = re.compile(r"/(zero|one|two|three|four|five|six|seven|eight|nine)\.(?:lnum|onum|tnum|pnum|osf|lf|tf)")
_ICON_GLYPH = re.compile(r"^/[A-Za-z][^\s/]{1,40}[ \t]+(?=\S)")
_SMALL_CAPS_GLYPH = re.compile(r"/([A-Za-z])\.sc")  # "J/A.sc/N.sc" is "JAN"
_LIGATURE_GLYPH = re.compile(r"/(f_f_i|f_f_l|f_f|f_i|f_l|f_t|s_t)(?=[a-z])")  # "Scienti/f_ic" is "Scientific"


def glyph_names(line: str) -> str:
    """PDF glyph names turned back into the characters they draw."""
    if "/" not in line:
        return line
    line = _LIGATURE_GLYPH.sub(lambda m: m.group(1).replace("_", ""), line)
    line = _SMALL_CAPS_GLYPH.sub(lambda m: m.group(1).upper(), line)
    return _ICON_GLYPH.sub("", _FIGURE_GLYPH.sub(lambda m: _FIGURE_NAMES[m.group(1)], line))

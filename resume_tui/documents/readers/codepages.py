"""Which legacy code page a non-UTF-8 text was saved in, decided by which decoding reads as a
real language.

Statistical detectors (charset-normalizer) often call a short Spanish résumé cp1250, because
the bytes of "ñ" and "ó" are valid Central European letters too — and the user then reads
"Diseńo", "Espańol". Here each candidate decoding is scored by whether its non-ASCII letters
fit the alphabet of one language (resume_tui/data/languages.json): Spanish text decoded as
cp1252 uses only Spanish letters (ñ, ó, á); decoded as cp1250 it mixes Polish "ń" with
Spanish "á", which no language writes together. Symbols inside a word ("mo¿liwoœci", Polish
read as cp1252) count against a candidate; ties go to cp1252, the Western default.
"""

from __future__ import annotations

from collections import Counter

from resume_tui.documents.languages import language_letters

# Latin-script single-byte code pages worth comparing, most common first (ties keep the first).
LATIN_CANDIDATES = ("cp1252", "cp1250", "iso8859_2", "cp1257", "cp1254", "iso8859_15")


def plausibility(text: str) -> float:
    """How much the text's non-ASCII characters read as one language's letters (higher is better)."""
    counts: Counter[str] = Counter()
    symbols_in_words = 0
    for index, ch in enumerate(text):
        if ch < "\x80":
            continue
        if ch.isalpha():
            counts[ch.lower()] += 1
        elif 0 < index < len(text) - 1 and text[index - 1].isalpha() and text[index + 1].isalpha():
            symbols_in_words += 1  # "mo¿liwo", "Dise\ufffdo": not a letter where a letter belongs
        elif ch in "\ufffd\x81\x8d\x8f\x90\x9d" or "\x80" <= ch <= "\x9f":
            symbols_in_words += 1
    total = sum(counts.values())
    if total == 0:
        return -2.0 * symbols_in_words
    best = max(
        (sum(n for ch, n in counts.items() if ch in letters) for letters in language_letters().values()),
        default=0,
    )
    return best - (total - best) - 2.0 * symbols_in_words


def best_latin_decoding(data: bytes, extra: str | None = None) -> tuple[str, str]:
    """(text, code page) of the Latin candidate (plus `extra`, a detector's guess) that reads best."""
    candidates = list(LATIN_CANDIDATES)
    if extra and extra not in candidates:
        candidates.append(extra)
    best: tuple[float, str, str] | None = None
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            try:
                text = data.decode(name, errors="replace")
            except LookupError:
                continue
        score = plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, name)
    if best is None:  # cp1252 is always a known codec; kept for the type checker
        return data.decode("cp1252", errors="replace"), "cp1252"
    return best[1], best[2]

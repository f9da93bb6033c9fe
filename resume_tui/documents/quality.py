"""Is extracted text real language? Offline, stopword based.

PDFs whose fonts lack Unicode maps yield a text layer of shifted letters, private-use
glyphs or "(cid:12)" tokens; analysing that would produce nonsense, so ingest refuses
it. The same stopword lists give a cheap language guess (resume vs job description).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CID = re.compile(r"\(cid:\d{1,5}\)")  # an unmapped glyph, not the bare text "(cid:"

# Short, very frequent function words per language (ISO 639-1).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in for with on at by from as is are was were be been a an or that this "
        "we our you your it its have has had will can not which who their they i my me".split()
    ),
    "de": frozenset(
        "der die das und ist nicht mit von zu den des dem ein eine einer eines im auf für "
        "sich auch als wir sie ich bei oder aus nach wie über unter zum zur sind wird werden".split()
    ),
    "fr": frozenset(
        "le la les et des du de un une est pour dans que qui sur avec par au aux ce cette "
        "nous vous il elle ils sont pas en ou son sa ses leur plus".split()
    ),
    "es": frozenset(
        "el la los las y de del que en un una es por con para al se su sus como más pero "
        "este esta nuestro nuestra sobre entre también o lo".split()
    ),
    "it": frozenset(
        "il lo la gli le e di del della dei delle che in un una per con su è sono come anche "
        "nel nella al alla dal dalla o non più".split()
    ),
    "pt": frozenset(
        "o a os as e de do da dos das que em um uma para com por no na nos nas se é são "
        "como mais ao à ou seu sua".split()
    ),
    "nl": frozenset(
        "de het een en van in is op te dat die voor met zijn aan er niet als bij ook door "
        "wij we ons onze naar om uit of".split()
    ),
}
_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("aeiouyàáâäãåèéêëìíîïòóôöõùúûüýÿæøœ")
_SAMPLE = 40_000  # characters looked at: enough for a verdict, bounded work on huge input


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text[:_SAMPLE])]


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the language with most stopword hits, None when unsure."""
    words = _words(text)
    if not words:
        return None
    scores = {lang: sum(1 for w in words if w in stops) for lang, stops in STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    hits = scores[best]
    if hits < 3 or hits < 0.02 * len(words):
        return None
    runner_up = max((s for lang, s in scores.items() if lang != best), default=0)
    if runner_up and hits < 1.2 * runner_up:
        return None
    return best


@dataclass(frozen=True)
class TextQuality:
    """Numbers behind the gibberish verdict (kept for tests and diagnostics).

    Fonts without a Unicode map produce private-use glyphs, "(cid:N)" tokens, runs of
    ASCII punctuation, or ASCII letters shifted off their real values (no vowels, no
    function words). The checks target those signatures, so unusual but real text
    (code, maths, other scripts) is not refused.
    """

    chars: int  # non-space characters sampled
    bad_ratio: float  # private-use, control, replacement chars and (cid:N) per char
    symbol_ratio: float  # ASCII punctuation/symbols among non-space characters
    ascii_words: int  # words of 2+ ASCII letters
    ascii_share: float  # their share of all words
    vowel_ratio: float  # ASCII words containing a vowel
    stopword_ratio: float  # words that are stopwords of some supported language

    @property
    def gibberish(self) -> bool:
        if self.chars < 20:
            return False  # too little to judge; emptiness is checked elsewhere
        if self.bad_ratio > 0.05:
            return True
        if self.chars >= 40 and self.symbol_ratio > 0.5:
            return True
        if self.ascii_words >= 30 and self.ascii_share >= 0.7:
            if self.vowel_ratio < 0.75:
                return True
            if self.vowel_ratio < 0.85 and self.stopword_ratio < 0.03:
                return True
            if self.ascii_words >= 60 and self.stopword_ratio < 0.01:
                return True
        return False


def _is_bad_char(ch: str) -> bool:
    code = ord(ch)
    if 0xE000 <= code <= 0xF8FF or code >= 0xF0000 or code == 0xFFFD:
        return True
    return code < 32 and ch not in "\t\n\r\f"


_ASCII_SYMBOLS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def assess(text: str) -> TextQuality:
    sample = text[:_SAMPLE]
    chars = [ch for ch in sample if not ch.isspace()]
    n = len(chars)
    if n == 0:
        return TextQuality(0, 0.0, 0.0, 0, 0.0, 1.0, 1.0)
    bad = sum(1 for ch in chars if _is_bad_char(ch)) + 5 * len(_CID.findall(sample))
    symbols = sum(1 for ch in chars if ch in _ASCII_SYMBOLS)
    words = _words(sample)
    ascii_words = [w for w in words if len(w) >= 2 and w.isascii()]
    with_vowel = sum(1 for w in ascii_words if any(c in _VOWELS for c in w))
    stop = sum(1 for w in words if w in _ALL_STOPWORDS)
    return TextQuality(
        chars=n,
        bad_ratio=bad / n,
        symbol_ratio=symbols / n,
        ascii_words=len(ascii_words),
        ascii_share=len(ascii_words) / len(words) if words else 0.0,
        vowel_ratio=with_vowel / len(ascii_words) if ascii_words else 1.0,
        stopword_ratio=stop / len(words) if words else 0.0,
    )


def looks_like_gibberish(text: str) -> bool:
    """True when text is not language-like (e.g. a PDF font without a Unicode map)."""
    return assess(text).gibberish

"""The skills lexicon: canonical skill names, their aliases, and a fast matcher over text.

Matching works on tokens, not on one giant regex, so it stays linear in the text size
(a 20-page CV is ~10k tokens): every token position looks up n-gram keys (n ≤ the
longest alias) in two dicts — one case-insensitive, one exact-case for acronyms and
names that are also English words ("Go", "IT", "Excel"). A few surfaces ("Go", "R",
"C") also need another technical term nearby before they count. Longer multi-word
variants ("problem-solver", "Kubernets") are caught with rapidfuzz, bucketed by their
first letters so the fuzzy pass stays cheap.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

# A word: letters/digits with internal . - ' and trailing + or # (C++, C#, Node.js, scikit-learn);
# ".NET"-style leading dots; "/" and "&" are tokens of their own so "CI/CD", "A/B", "P&L" match.
_TOKEN_RE = re.compile(
    r"(?<![\w.])\.(?=[A-Za-z])[A-Za-z0-9]+"  # .NET
    r"|[^\W_](?:[^\W_]|[+#](?=[+#\w])|[.\-'’](?=[^\W_]))*[+#]*"
    r"|[/&*]"
)
_MAX_GAP = 3  # characters of whitespace allowed between the tokens of one phrase
_FUZZY_CUTOFF = 90.0
_CONTEXT_WINDOW = 60  # characters either side searched for a supporting technical term
_TECH_CATEGORIES = frozenset({"technical_skill", "tool", "certification"})


def _norm_token(tok: str) -> str:
    """Case-fold, treat hyphens as spaces, drop a plural "s" so "APIs"/"API" meet."""
    low = tok.lower().replace("’", "'")
    parts = []
    for part in low.replace("-", " ").split():
        if len(part) >= 4 and part.endswith("s") and not part.endswith(("ss", "us", "is")) and part[-2].isalpha():
            part = part[:-1]
        parts.append(part)
    return " ".join(parts)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Tokens with their character offsets (the matcher's unit)."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _key(tokens: list[str]) -> str:
    return " ".join(_norm_token(t) for t in tokens)


def _exact_key(tokens: list[str]) -> str:
    return " ".join(tokens)


@dataclass(frozen=True)
class SkillHit:
    """One occurrence of a lexicon term in a text (offsets index into that text)."""

    canonical: str
    surface: str
    start: int
    end: int
    category: str
    fuzzy: bool = False


@dataclass
class _Entry:
    canonical: str
    category: str
    needs_context: bool = False


@dataclass
class Lexicon:
    """Canonical skills with aliases; build with `Lexicon.from_dict` or `default_lexicon()`."""

    categories: dict[str, str] = field(default_factory=dict)  # canonical → category
    aliases: dict[str, list[str]] = field(default_factory=dict)  # canonical → aliases
    implies: dict[str, list[str]] = field(default_factory=dict)  # canonical → broader skills it shows
    _ci: dict[str, _Entry] = field(default_factory=dict, repr=False)
    _cs: dict[str, _Entry] = field(default_factory=dict, repr=False)
    _max_n: int = field(default=1, repr=False)
    _fuzzy: dict[str, list[tuple[str, _Entry, int]]] = field(default_factory=dict, repr=False)
    _fuzzy_memo: dict[tuple[str, int], _Entry | None] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_dict(cls, skills: dict[str, dict]) -> Lexicon:
        lex = cls()
        for canonical in sorted(skills):
            spec = skills[canonical]
            lex.add(
                canonical,
                spec.get("category", "technical_skill"),
                spec.get("aliases", []),
                exact=spec.get("exact", []),
                context=spec.get("context", []),
            )
            if spec.get("implies"):
                lex.implies[canonical] = list(spec["implies"])
        return lex

    def add(
        self,
        canonical: str,
        category: str,
        aliases: list[str] | tuple[str, ...] = (),
        *,
        exact: list[str] | tuple[str, ...] = (),
        context: list[str] | tuple[str, ...] = (),
    ) -> None:
        self.categories[canonical] = category
        self.aliases[canonical] = list(aliases)
        exact_set, context_set = set(exact), set(context)
        for surface in [canonical, *aliases]:
            toks = [t for t, _, _ in tokenize(surface)]
            if not toks:
                continue
            entry = _Entry(canonical, category, surface in context_set)
            self._max_n = max(self._max_n, len(toks))
            is_exact = surface in exact_set or len(surface.replace(".", "")) <= 2
            if is_exact:
                self._cs.setdefault(_exact_key(toks), entry)
                continue
            key = _key(toks)
            self._ci.setdefault(key, entry)
            if len(key) >= 8 and any(c.isalpha() for c in key):
                bucket = self._fuzzy.setdefault(key[:2], [])
                if all(existing != key for existing, _, _ in bucket):
                    bucket.append((key, entry, len(toks)))

    # ------------------------------------------------------------------ queries

    def canonical(self, term: str) -> str | None:
        """The canonical name for a skill as written anywhere ("k8s" → "Kubernetes"), else None."""
        toks = [t for t, _, _ in tokenize(term)]
        if not toks:
            return None
        entry = self._cs.get(_exact_key(toks)) or self._ci.get(_key(toks))
        if entry is None:
            fuzzy = self._fuzzy_lookup(_key(toks), len(toks))
            entry = fuzzy
        return entry.canonical if entry else None

    def implied_by(self, canonical: str) -> list[str]:
        """Broader skills that `canonical` is evidence of ("EKS" → "Kubernetes", "AWS")."""
        return self.implies.get(canonical, [])

    def category(self, canonical: str) -> str | None:
        return self.categories.get(canonical)

    def __len__(self) -> int:
        return len(self.categories)

    def find(self, text: str, *, context_free: bool = False) -> list[SkillHit]:
        """Every lexicon term in `text`, leftmost-longest, non-overlapping, in text order.

        `context_free`: keep "Go"/"R"/"C" even with no technical term nearby — for a fact the user
        declared ("Go"), where the person has already said which sense they mean."""
        tokens = tokenize(text)
        norms = [_norm_token(t) for t, _, _ in tokens]
        # joined[i]: may token i+1 continue a phrase started before it (only whitespace between)?
        joined = [
            i + 1 < len(tokens)
            and tokens[i + 1][1] - tokens[i][2] <= _MAX_GAP
            and not text[tokens[i][2] : tokens[i + 1][1]].strip()
            for i in range(len(tokens))
        ]
        hits: list[tuple[SkillHit, bool]] = []
        i, n_tok = 0, len(tokens)
        while i < n_tok:
            match = self._match_at(text, tokens, norms, joined, i)
            if match is None:
                i += 1
                continue
            entry, n, fuzzy = match
            start, end = tokens[i][1], tokens[i + n - 1][2]
            hits.append((SkillHit(entry.canonical, text[start:end], start, end, entry.category, fuzzy), entry.needs_context))
            i += n
        return [h for h, _ in hits] if context_free else self._apply_context(hits)

    # ------------------------------------------------------------------ internals

    def _match_at(
        self, text: str, tokens: list[tuple[str, int, int]], norms: list[str], joined: list[bool], i: int
    ) -> tuple[_Entry, int, bool] | None:
        first = tokens[i][0]
        if first in "/&*":
            return None
        best: tuple[_Entry, int, bool] | None = None
        raw = first
        key = norms[i]
        limit = min(self._max_n, len(tokens) - i)
        n = 1
        while True:
            last = tokens[i + n - 1][0]
            if last not in "/&*":
                entry = self._cs.get(raw)
                if entry is not None and n == 1 and self._verb_use(text, tokens, i):
                    entry = None  # "Excel at …", "Go to …" at the start of a sentence: English, not a tool
                entry = entry or self._ci.get(key)
                if entry is not None:
                    best = (entry, n, False)
            if n >= limit or not joined[i + n - 1]:
                break
            nxt = tokens[i + n][0]
            raw = f"{raw} {nxt}"
            key = f"{key} {norms[i + n]}"
            n += 1
        if best is not None:
            return best
        # fuzzy pass: longest span first, only over whitespace-joined word tokens
        if norms[i][:2] not in self._fuzzy:
            return None
        span = 1
        while span < min(limit, 4) and joined[i + span - 1] and tokens[i + span][0] not in "/&*":
            span += 1
        for n in range(span, 0, -1):
            entry = self._fuzzy_lookup(" ".join(norms[i : i + n]), n)
            if entry is not None:
                return entry, n, True
        return None

    _FUNCTION_WORDS = frozenset("at in to the a an on with for into through of".split())

    def _verb_use(self, text: str, tokens: list[tuple[str, int, int]], i: int) -> bool:
        """A capitalised exact-case word opening a sentence and followed by "at"/"to"/"the"…"""
        if i + 1 >= len(tokens) or tokens[i + 1][0].lower() not in self._FUNCTION_WORDS:
            return False
        return i == 0 or bool(re.search(r"[.!?:;•\n]", text[tokens[i - 1][2] : tokens[i][1]]))

    def _fuzzy_lookup(self, key: str, n_tokens: int) -> _Entry | None:
        """Closest long alias within a few edits (memoised: resumes repeat their words)."""
        if len(key) < 8 or key[:2] not in self._fuzzy:
            return None
        memo_key = (key, n_tokens)
        if memo_key in self._fuzzy_memo:
            return self._fuzzy_memo[memo_key]
        if len(self._fuzzy_memo) > 100_000:
            self._fuzzy_memo.clear()
        found = self._fuzzy_scan(key, n_tokens)
        self._fuzzy_memo[memo_key] = found
        return found

    def _fuzzy_scan(self, key: str, n_tokens: int) -> _Entry | None:
        best: tuple[float, str, _Entry] | None = None
        for cand, entry, n in self._fuzzy.get(key[:2], ()):
            if n != n_tokens or abs(len(cand) - len(key)) > 2 or cand[:3] != key[:3]:
                continue
            score = fuzz.ratio(key, cand, score_cutoff=_FUZZY_CUTOFF)
            if score and (best is None or (score, cand) > (best[0], best[1])):
                best = (score, cand, entry)
        return best[2] if best else None

    def _apply_context(self, hits: list[tuple[SkillHit, bool]]) -> list[SkillHit]:
        """Keep "Go"/"R"/"C"-like hits only when a technical term sits nearby (a list, a stack)."""
        anchors = [h.start for h, ctx in hits if not ctx and h.category in _TECH_CATEGORIES]  # in text order
        accepted: list[SkillHit] = []
        for hit, needs_context in hits:
            if needs_context:  # the first anchor at or after the window's start (a bisection: no n² on long text)
                first = bisect.bisect_left(anchors, hit.start - _CONTEXT_WINDOW)
                if first == len(anchors) or anchors[first] > hit.start + _CONTEXT_WINDOW:
                    continue
            accepted.append(hit)
        return accepted


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The bundled lexicon (resume_tui/data/skills.json), loaded once per process."""
    raw = resources.files("resume_tui").joinpath("data/skills.json").read_text(encoding="utf-8")
    return Lexicon.from_dict(json.loads(raw)["skills"])

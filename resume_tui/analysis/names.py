"""Names stay whole: when may one name of a thing be written for another, and what counts as a name.

The lexicon groups many surfaces under one canonical skill ("spreadsheets", "VLOOKUP" and "Excel"
all count as evidence of Excel). That is right for the gap report and wrong for writing: only a
surface that provably names *the same thing* may replace or stand beside the user's own. Provable
here means one of a few mechanical relations — the same letters, an acronym, a numeronym, a vendor
prefix, a short form — never "related". Everything else is implied, not stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VENDORS = frozenset({"microsoft", "ms", "amazon", "aws", "google", "gcp", "apache", "azure", "oracle", "ibm", "adobe"})
_SHORT_TAILS = frozenset({"ql", "sql", "db", "js", ".js", "script"})
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+#'’&/-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_LABEL = re.compile(r"^([^,:;|.]{1,40}):\s")


def squash(text: str) -> str:
    """Letters and digits only, lower case: "Node.js" / "NodeJS" / "node js" all give "nodejs"."""
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch in "+#")


def _initials(text: str) -> str:
    """Initials of the words, and of CamelCase parts: "Azure Kubernetes Service" → "aks", "JavaScript" → "js"."""
    out: list[str] = []
    for word in re.split(r"[\s/&-]+", text):
        parts = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", word)
        out.extend(p[0].lower() for p in parts if p and p.lower() not in {"of", "and", "for", "the"})
    return "".join(out)


def inflects(a: str, b: str) -> bool:
    """One is the other with a plural or tense ending: "API" / "APIs", "pipeline" / "pipelines"."""
    x, y = squash(a), squash(b)
    if not x or not y or x == y:
        return False
    short, long = sorted((x, y), key=len)
    return long in {short + "s", short + "es", short + "ed", short + "d", short + "ing"}


def same_referent(a: str, b: str) -> bool:
    """True only when `a` and `b` provably name the same thing (so either may be written for the other)."""
    x, y = squash(a), squash(b)
    if not x or not y:
        return False
    if x == y:
        return True
    if inflects(a, b):
        return False
    short, long = (a, b) if len(x) <= len(y) else (b, a)
    sx, lx = squash(short), squash(long)
    # An acronym and its expansion: "AKS" / "Azure Kubernetes Service", "JS" / "JavaScript".
    if short.strip().isupper() and 2 <= len(sx) <= 6 and sx == _initials(long):
        return True
    # A numeronym: "k8s" / "Kubernetes".
    m = re.fullmatch(r"([a-z])(\d{1,2})([a-z])", sx)
    if m and lx[0] == m.group(1) and lx[-1] == m.group(3) and len(lx) - 2 == int(m.group(2)):
        return True
    # A vendor prefix: "Excel" / "Microsoft Excel", "Lambda" / "AWS Lambda".
    long_words = long.split()
    if len(long_words) >= 2 and long_words[0].lower() in _VENDORS and squash(" ".join(long_words[1:])) == sx:
        return True
    # A short form: "Postgres" / "PostgreSQL", "Mongo" / "MongoDB", "React" / "React.js".
    if len(sx) >= 5 and lx.startswith(sx) and lx[len(sx):] in _SHORT_TAILS:
        return True
    return False


def with_acronym(text: str) -> tuple[str, str] | None:
    """"Azure Kubernetes Service (AKS)" → ("Azure Kubernetes Service", "AKS") when the two name one thing."""
    m = re.fullmatch(r"\s*(.+?)\s*\(([^()]{1,40})\)\s*", text)
    if m and same_referent(m.group(1), m.group(2)):
        return m.group(1), m.group(2)
    return None


def aligned(before: str, after: str) -> bool:
    """`after` writes the same thing as `before` under another name, or both names together."""
    if same_referent(before, after):
        return True
    pair = with_acronym(after)
    return pair is not None and any(squash(p) == squash(before) or same_referent(p, before) for p in pair)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_name_token(tok: str) -> bool:
    return tok[:1].isupper() or any(ch.isdigit() for ch in tok) or (len(tok) > 1 and tok.isupper())


def name_runs(text: str) -> list[tuple[int, int]]:
    """Token index ranges [start, end) of multi-word proper names ("Azure API Management").

    A run is two or more adjacent capitalised tokens with only spaces between them. A sentence's
    first word joins a run only when it does not read as the sentence's verb ("Built API gateways"
    holds no name; "Azure DevOps pipelines" does)."""
    toks = tokens(text)
    out: list[tuple[int, int]] = []
    index = 0
    while index < len(toks):
        if not _is_name_token(toks[index].text):
            index += 1
            continue
        end = index + 1
        while end < len(toks) and _is_name_token(toks[end].text) and not text[toks[end - 1].end : toks[end].start].strip():
            end += 1
        start = index
        lead = start == 0 or text[toks[start - 1].end : toks[start].start].strip()[-1:] in {".", "!", "?", ":", ";"}
        word = toks[start].text
        if lead and word[1:].islower() and (word.lower() in _LEAD_VERBS or word.lower().endswith(("ed", "ing"))):
            start += 1
        if end - start >= 2:
            out.append((start, end))
        index = end
    return out


_LEAD_VERBS = frozenset(
    "built led ran made wrote set drove grew won cut took gave kept began oversaw taught brought sold "
    "bought held met read saw spoke understood rebuilt own owns run runs lead leads build builds "
    "create design develop manage support deliver implement use using".split()
)


def label_of(text: str) -> str | None:
    """A list line's own label, written before a colon: "Cloud & DevOps: Azure, AKS" → "Cloud & DevOps"."""
    m = _LABEL.match(text)
    return m.group(1) if m else None


def split_outside_brackets(body: str, sep: str) -> list[str]:
    """`body` split at `sep` where no bracket is open: "AWS (EKS, RDS), Go" → ["AWS (EKS, RDS)", "Go"]."""
    if not any(bracket in body for bracket in "([{)]}"):
        return body.split(sep)  # the same split, without a Python loop per character (a 2 MB line)
    parts, depth, start = [], 0, 0
    i = 0
    while i < len(body):
        ch = body[i]
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and body.startswith(sep, i):
            parts.append(body[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    parts.append(body[start:])
    return parts

"""Spot text in a job description that tries to instruct a language model.

A JD is data, never instructions. These sentences are kept on the JobDescription
(`injection_attempts`) so the user and the guard can see them, and are excluded from
the requirements so they never reach a prompt as something to satisfy.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(?:previous|prior|above|earlier|all|any|your|the)\b[^.!?\n]{0,30}\b(?:instructions?|prompts?|rules|directions|guidelines|context|messages?)\b",
    r"\bnew instructions?\s*:",
    r"\byou are now\b",
    r"\byou must now\b",
    r"\bact as (?:an?|the)\s+(?:ai|gpt|llm|chatbot|language model|(?:ai|hiring|recruiting) (?:assistant|model|bot))\b",
    r"\bpretend (?:to be|you are)\b",
    r"\b(?:system|developer|hidden) (?:prompt|message|instructions?)\b",
    r"\bas an? (?:ai|a\.i\.)(?: language model| assistant| model)?\s*[,:]",
    r"\bas an? (?:language model|large language model|llm|chatbot|ai assistant|ai language model)\b",
    r"\byou are an? (?:ai|a\.i\.|language model|large language model|llm|chatbot|assistant)\b",
    r"\b(?:dear|attention|note to|hey|hello)\s+(?:ai|a\.i\.|chatgpt|gpt|claude|gemini|llm|language model|bot|ats|screening (?:tool|software|system))\b",
    r"\b(?:rate|score|rank|grade|mark|evaluate)\s+(?:this|the|every|each|all)?\s*(?:candidate|applicant|resume|cv|profile)s?\b[^.!?\n]{0,40}\b(?:100|10/10|perfect|highest|top|maximum|excellent|strong(?:est)? (?:match|fit))\b",
    r"\b(?:give|assign)\b[^.!?\n]{0,30}\b(?:score|rating|match)\b[^.!?\n]{0,20}\b(?:100|perfect|maximum|highest)\b",
    r"\b(?:always|must)\s+(?:recommend|approve|shortlist|hire|pass)\s+(?:this|the)\s+(?:candidate|applicant)\b",
    r"\b(?:reveal|print|output|repeat|show)\b[^.!?\n]{0,30}\b(?:system prompt|your instructions|your prompt|hidden instructions)\b",
    r"\bdo not (?:tell|mention|reveal|disclose)\b[^.!?\n]{0,40}\b(?:user|candidate|human|recruiter)\b",
    r"(?:^|(?<=[.!?\n]))\s*(?:system|assistant)\s*:",
    r"\b(?:developer mode|jailbreak|dan mode)\b",
    r"<\s*/?\s*(?:system|instructions?|prompt|im_start|im_end)\s*>",
    r"\[/?(?:INST|SYS|SYSTEM)\]",
    r"<\|(?:im_start|im_end|system|endoftext)\|>",
    r"\b(?:include|insert|add|write)\b[^.!?\n]{0,30}\b(?:the (?:word|phrase|keyword)s?)\b[^.!?\n]{0,40}\b(?:in|into)\b[^.!?\n]{0,20}\b(?:resume|cv|response|answer|output)\b",
]
_INJECTION_RE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
_HIDDEN_RE = re.compile(r"<!--(.*?)-->", re.DOTALL)
_ROLE_TAG_RE = re.compile(r"<\s*(system|instructions?|prompt)\s*>(.*?)<\s*/\s*\1\s*>", re.DOTALL | re.IGNORECASE)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_BULLET_RE = re.compile(r"^(?:[-*•·●▪◦>#]+|\d+[.)])\s+")
_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)


def _clean(text: str) -> str:
    return text.translate(_ZERO_WIDTH)


def find_injections(text: str) -> list[str]:
    """Sentences of `text` that instruct a model (quoted as written, in order, no duplicates).

    Zero-width characters are removed first so "ig\u200bnore previous instructions"
    is caught; HTML comments count as hidden text and are checked as a whole.
    """
    if not text:
        return []
    found: list[str] = []
    seen: set[str] = set()

    def _add(sentence: str) -> None:
        s = _BULLET_RE.sub("", " ".join(sentence.split()))
        if s and s not in seen:
            seen.add(s)
            found.append(s)

    cleaned = _clean(text)
    for comment in _HIDDEN_RE.finditer(cleaned):
        if _INJECTION_RE.search(comment.group(1)):
            _add(comment.group(1))
    visible = _HIDDEN_RE.sub(" ", cleaned)
    for element in _ROLE_TAG_RE.finditer(visible):  # <system>…</system>: the element is the instruction
        _add(element.group(0))
    visible = _ROLE_TAG_RE.sub(" ", visible)
    for line in visible.splitlines():
        if not _INJECTION_RE.search(line):
            continue
        sentences = [m.group() for m in _SENTENCE_RE.finditer(line)]
        hit_any = False
        for sentence in sentences:
            if _INJECTION_RE.search(sentence):
                _add(sentence)
                hit_any = True
        if not hit_any:  # the pattern spans a sentence break ("System: …")
            _add(line)
    return found


def contains_injection(text: str) -> bool:
    """True when any part of `text` reads as an instruction to a model."""
    return bool(text) and bool(_INJECTION_RE.search(_clean(text)))

"""Personal data never reaches a hosted model: stable placeholders out, real values back in.

Before any call to a hosted provider, the resume's name, email, phone, location line and
profile/portfolio links — plus any email, phone or link found in the prompt itself — are
replaced by placeholders (`[NAME]`, `[EMAIL]`, `[PHONE]`, `[ADDRESS]`, `[LINK1]`…). The
same value always gets the same placeholder within a run, so the model can still refer to
it, and every string of the answer gets the real values back before anything else (the
guard included) sees it. An answer that invents or alters a placeholder (`[LINK7]`,
`[EMAIL2]`, `[LINK1]/extra`) is refused with a sentence saying so: restoring it would put
a made-up or changed contact detail into the resume.

Applied by `ManagedProvider` around every call, so each task — analysis, customization
and whatever comes next — is covered without its author remembering. The response cache
is keyed on, and stores, the redacted text: a cached answer is restored with the current
run's values, so two people with identical resumes never see each other's details.

The patterns are linear (no nested quantifiers) so a long prompt cannot make them slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from resume_tui.providers.base import LLMRequest, Message

KINDS = ("NAME", "EMAIL", "PHONE", "ADDRESS", "LINK")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}")
_URL_CHARS = r"[^\s<>()\[\]{}\"'`|,;]"
PROFILE_HOSTS = r"(?:linkedin\.com|github\.com|gitlab\.com|bitbucket\.org|behance\.net|dribbble\.com|medium\.com|kaggle\.com|stackoverflow\.com|x\.com|twitter\.com)"
URL = re.compile(
    rf"(?i:https?://|www\.){_URL_CHARS}{{2,300}}"  # any scheme or www. link
    rf"|\b(?i:{PROFILE_HOSTS})(?:/{_URL_CHARS}{{0,300}})?"  # profile hosts, with or without a path
    rf"|\b(?:[a-z0-9-]{{1,63}}\.){{1,4}}(?:com|org|net|io|dev|me|app|co|ai|page|site|xyz|info|tech|eu|uk|de|fr|nl|pt|es)/{_URL_CHARS}{{0,300}}"
)  # lower-case domain + path ("janedoe.dev/work"), so "ASP.NET/C#" stays text
PHONE = re.compile(r"(?<![\w+])\+\d[\d \t().-]{6,18}\d(?!\d)|\(\d{3}\)\s?\d{3}[-.\s]\d{4}\b|\b\d{3}[-.]\d{3}[-.]\d{4}\b")
# Anything that looks like one of our placeholders, however the model wrote it.
# Upper case only: a resume's own "[Link](…)" or "[name]" text is not ours.
PLACEHOLDERISH = re.compile(r"\[\s*(?:NAME|E-?MAIL|PHONE|ADDRESS|LINK|URL)\s*[-_#]?\s*\d{0,3}\s*\]")
_GLUED_BEFORE = re.compile(r"[A-Za-z0-9@/_.-]$")
_GLUED_AFTER = re.compile(r"^[A-Za-z0-9@/_#?=%-]")
_TRAILING = ".,:;!?)"


class AlteredPlaceholder(ValueError):
    """The answer carries a placeholder we did not send, or one glued into a longer value."""

    def __init__(self, token: str, why: str) -> None:
        super().__init__(f"{token} {why}")
        self.token, self.why = token, why


def _strip_url(url: str) -> str:
    return url.rstrip(_TRAILING)


def _phone_pattern(phone: str) -> str | None:
    digits = [d for d in phone if d.isdigit()]
    if len(digits) < 7:
        return None
    sep = r"[\s().·-]{0,3}"
    return r"(?<!\d)\+?" + sep.join(digits) + r"(?!\d)"


class Redactor:
    """Placeholders for one run; `learn_resume` adds the resume's own values up front."""

    def __init__(self) -> None:
        self._token_of: dict[str, str] = {}  # value as written → placeholder
        self._value_of: dict[str, str] = {}  # placeholder → value as written
        self._count: dict[str, int] = dict.fromkeys(KINDS, 0)
        self._extra: list[tuple[str, str]] = []  # (regex, placeholder) for flexible matches (phones, name case)
        self._compiled: re.Pattern[str] | None = None

    # ------------------------------------------------------------------ learning
    def _add(self, kind: str, value: str, *, pattern: str | None = None) -> str:
        value = value.strip()
        if value in self._token_of:
            token = self._token_of[value]
        else:
            self._count[kind] += 1
            n = self._count[kind]
            token = f"[{kind}{n}]" if kind == "LINK" or n > 1 else f"[{kind}]"
            self._token_of[value] = token
            self._value_of[token] = value
        if pattern is not None:
            self._extra.append((pattern, token))
        self._compiled = None
        return token

    def learn_resume(self, resume: Any) -> None:
        """The contact block's values, then every email, phone and link anywhere in the resume."""
        contact = getattr(resume, "contact", None)
        if contact is not None:
            name = (contact.name or "").strip()
            if len(name) >= 3:
                self._add("NAME", name)
                if name.upper() != name:
                    self._add("NAME", name.upper())  # headings often set the name in capitals
                parts = name.split()
                if len(parts) > 2:  # "Jane Q. Doe" is also written "Jane Doe"
                    self._add("NAME", f"{parts[0]} {parts[-1]}")
            if contact.email:
                self._add("EMAIL", contact.email)
            if contact.phone:
                pattern = _phone_pattern(contact.phone)
                self._add("PHONE", contact.phone, pattern=pattern)
            if contact.location and len(contact.location.strip()) >= 3:
                self._add("ADDRESS", contact.location)
            for link in contact.links:
                self._learn_link(link)
        full_text = resume.full_text() if hasattr(resume, "full_text") else ""
        self.learn_text(full_text)

    def _learn_link(self, link: str) -> None:
        """Each written form gets its own placeholder ("https://x.dev" and "x.dev" differ), so
        restoring gives back exactly what was written."""
        link = _strip_url(link.strip())
        if len(link) >= 4:
            self._add("LINK", link)

    def learn_text(self, text: str) -> None:
        """Emails, phone numbers and links found in `text` (a prompt, or the resume)."""
        for match in EMAIL.finditer(text):
            self._add("EMAIL", match.group(0))
        stripped = EMAIL.sub(" ", text)
        for match in URL.finditer(stripped):
            self._learn_link(match.group(0))
        for match in PHONE.finditer(URL.sub(" ", stripped)):
            value = match.group(0).strip()
            if value not in self._token_of:
                self._add("PHONE", value, pattern=_phone_pattern(value))

    # ------------------------------------------------------------------ redacting
    @property
    def active(self) -> bool:
        return bool(self._token_of)

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            alternatives = []
            for value in sorted(self._token_of, key=len, reverse=True):
                escaped = re.escape(value)
                if self._token_of[value].startswith(("[NAME", "[ADDRESS")):
                    escaped = rf"(?<![\w]){escaped}(?![\w])"  # whole words only
                elif self._token_of[value].startswith("[LINK"):
                    escaped = rf"(?i:{escaped})(?![\w/-])"  # not the start of a longer link
                else:
                    escaped = rf"(?i:{escaped})"
                alternatives.append(escaped)
            alternatives += [p for p, _ in self._extra if p]
            self._compiled = re.compile("|".join(f"({a})" for a in alternatives)) if alternatives else re.compile(r"(?!x)x")
        return self._compiled

    def _token_for(self, matched: str) -> str:
        if matched in self._token_of:
            return self._token_of[matched]
        folded = matched.lower()
        for value, token in self._token_of.items():
            if value.lower() == folded:
                return token
        digits = "".join(ch for ch in matched if ch.isdigit())
        for pattern, token in self._extra:
            if pattern and re.fullmatch(pattern, matched):
                return token
        return next((t for v, t in self._token_of.items() if t.startswith("[PHONE") and
                     "".join(ch for ch in v if ch.isdigit()) == digits), "[PHONE]")

    def redact(self, text: str) -> str:
        self.learn_text(text)
        if not self._token_of:
            return text
        return self._pattern().sub(lambda m: self._token_for(m.group(0)), text)

    def redact_request(self, request: LLMRequest) -> LLMRequest:
        messages = tuple(Message(m.role, self.redact(m.content)) for m in request.messages)
        return replace(request, messages=messages)

    # ------------------------------------------------------------------ restoring
    def restore(self, text: str) -> str:
        """Real values back in; raises AlteredPlaceholder for one we did not send or one glued
        into a longer value (`[LINK1]/other-repo`, `x[EMAIL]`)."""
        out: list[str] = []
        last = 0
        for match in PLACEHOLDERISH.finditer(text):
            token = match.group(0)
            if token not in self._value_of:
                raise AlteredPlaceholder(token, "is not a placeholder that was sent (the model invented or changed it)")
            before, after = text[: match.start()], text[match.end():]
            if _GLUED_BEFORE.search(before) or _GLUED_AFTER.match(after):
                raise AlteredPlaceholder(token, "was joined to other text, which would change the real value")
            out.append(text[last: match.start()])
            out.append(self._value_of[token])
            last = match.end()
        out.append(text[last:])
        return "".join(out)

    def restore_value(self, value: BaseModel) -> BaseModel:
        """Every string in a validated answer restored; the same schema validates the result."""
        data = value.model_dump(mode="python")
        return type(value).model_validate(self._walk(data))

    def _walk(self, node: Any) -> Any:
        if isinstance(node, str):
            return self.restore(node) if "[" in node else node
        if isinstance(node, dict):
            return {k: self._walk(v) for k, v in node.items()}
        if isinstance(node, (list, tuple)):
            return [self._walk(v) for v in node]
        return node

    def values(self) -> Iterable[str]:
        """The real values (for tests and checks): never logged."""
        return list(self._value_of.values())

"""Conservation: a change loses nothing and moves nothing across entries — and says only what was checked.

- A reorder keeps exactly the same items, each inside its own entry (never across a role header,
  never above the first one), and never moves a header; moving whole roles is flagged (chronology).
- A rewording keeps every list entry, every figure, tool and name of the original line; what it
  drops is named ("Drops: ACR") and the change is at best flagged.
- Names stay whole: no term is inflected ("API" → "APIs"), no multi-word name is edited inside
  ("Azure API Management" → "Azure APIs Management"), a line's own label is kept.

Each check returns, besides its findings, a sentence describing what it verified; the guard puts
that sentence in the change's rationale, so "nothing is added or removed" appears only when true.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from resume_tui.analysis.facts import Fact, FactKind, extract_facts, norm_text
from resume_tui.analysis.guard.base import _Findings
from resume_tui.analysis.names import aligned, inflects, label_of, name_runs, split_outside_brackets, squash, tokens
from resume_tui.documents.segment.entries import detect_entries
from resume_tui.models import Change, Entry, Section, SectionKind
from resume_tui.shorten import one_line

CHECKED = "Checked: "
_LIST_SEPARATORS = (", ", "; ", " | ", " · ", " • ")
_KEPT_KINDS = {FactKind.SKILL, FactKind.NUMBER, FactKind.PERCENT, FactKind.MONEY, FactKind.YEAR, FactKind.DATE,
               FactKind.YEARS_EXP, FactKind.DEGREE, FactKind.CERTIFICATION, FactKind.EMPLOYER, FactKind.NAME}


# --------------------------------------------------------------------------- reorders


def _check_reorder(change: Change, section: Section, f: _Findings) -> str | None:
    """Same items, each under its own entry header, headers in place; returns what was verified."""
    original_ids = [i.id for i in section.items]
    order = list(change.order or [])
    if sorted(order) != sorted(original_ids) or len(set(order)) != len(order):
        missing = [i for i in original_ids if i not in order]
        extra = [i for i in order if i not in original_ids]
        detail = (f" (missing {', '.join(missing)})" if missing else "") + (f" (unknown {', '.join(extra)})" if extra else "")
        f.block(f"A reorder must keep exactly the same items{detail}.")
        return None
    if not _nested_kept(section, order, f):
        return None
    entries = section.entries or detect_entries(section)
    if not entries:
        return f"the same {len(order)} lines in a new order; nothing added or removed."
    owner: dict[str, Entry] = {}
    header_of: dict[str, Entry] = {}
    for entry in entries:
        for item_id in entry.item_ids:
            owner[item_id] = entry
        for item_id in entry.header_ids:
            header_of[item_id] = entry
    current: Entry | None = None
    texts = {i.id: i.text for i in section.items}
    for item_id in order:
        if item_id in header_of:
            current = header_of[item_id]
            continue
        expected = owner.get(item_id)
        if expected is not current:
            where = f"'{_entry_name(current, texts)}'" if current is not None else "above the first role"
            f.block(f"Moves “{one_line(texts[item_id], 60)}” {'under ' if current else ''}{where}; "
                    "a line may only move within its own role.")
            return None
    headers = [i for i in order if i in header_of]
    original_headers = [i for i in original_ids if i in header_of]
    roles = section.kind not in (SectionKind.SKILLS, SectionKind.INTERESTS, SectionKind.LANGUAGES)
    what, whole = ("bullet", "role") if roles else ("line", "heading")
    if headers != original_headers:
        if roles:
            f.flag("Changes the order of your roles; resumes are read newest first — keep it only if you mean it.")
        return f"the same {len(order)} lines; each {what} stays under its own {whole}, but the {whole}s move."
    return f"the same {len(order)} lines; each {what} stays under its own {whole} and the {whole}s keep their order."


def _nested_kept(section: Section, order: list[str], f: _Findings) -> bool:
    """A nested bullet stays right under its own parent bullet, in its place among its siblings."""
    def children(ids: list[str]) -> dict[str, list[str]]:
        depth = {i.id: i.depth for i in section.items}
        out: dict[str, list[str]] = {}
        parent: str | None = None
        for item_id in ids:
            if depth[item_id] == 0:
                parent = item_id
                out[item_id] = []
            elif parent is not None:
                out[parent].append(item_id)
            else:
                out.setdefault("", []).append(item_id)
        return out

    before, after = children([i.id for i in section.items]), children(order)
    for parent, kids in before.items():
        if kids and after.get(parent) != kids:
            texts = {i.id: i.text for i in section.items}
            f.block(f"Moves “{one_line(texts[kids[0]], 60)}” away from the bullet it belongs under "
                    f"(“{one_line(texts.get(parent, ''), 40)}”); nested bullets move only with their parent.")
            return False
    return True


def _entry_name(entry: Entry, texts: dict[str, str]) -> str:
    named = " — ".join(v for v in (entry.title, entry.organization) if v)
    return one_line(named or (texts.get(entry.header_ids[0], "") if entry.header_ids else entry.id), 50)


# --------------------------------------------------------------------------- rewordings


def check_wording(before: str, after: str, f: _Findings) -> str:
    """Compare an item's original text with its new text; flag what is lost; describe what was verified."""
    lost_label = label_of(before)
    if lost_label is not None and label_of(after) != lost_label:
        f.flag(f"Rewrites the line's own label '{lost_label}:'; labels are kept as you wrote them.")
    listed = _compare_lists(before, after, f)
    if listed is not None:
        return listed
    swaps, changed = _compare_words(before, after, f)
    dropped = dropped_facts(before, after, renamed={squash(old) for old, _ in swaps})
    if dropped:
        f.flag(f"Drops {_names(dropped)} from the original line; keep it only if you mean to remove "
               f"{'it' if len(dropped) == 1 else 'them'}.")
        return f"drops {_names(dropped)}."
    if not changed and swaps:
        return f"only {_swaps(swaps)} changes; every other word is kept."
    if not changed:
        return "the text is unchanged."
    return "every figure, tool and name of the original line is kept."


def _compare_lists(before: str, after: str, f: _Findings) -> str | None:
    """For list lines ("Cloud: Azure, AKS, ACR"): every entry kept, each as written or under another name of it."""
    old, new = split_list(before), split_list(after)
    if old is None or new is None:
        return None
    remaining = list(new)
    swaps: list[tuple[str, str]] = []
    dropped: list[str] = []
    for entry in old:
        match = next((n for n in remaining if squash(n) == squash(entry)), None)
        if match is None:
            match = next((n for n in remaining if aligned(entry, n)), None)
            if match is not None:
                swaps.append((entry, match))
        if match is None:
            dropped.append(entry)
        else:
            remaining.remove(match)
    for old_entry, new_entry in swaps:
        _check_swap(old_entry, new_entry, f)
    if dropped:
        f.flag(f"Drops {_names(dropped)} from the list; keep it only if you mean to remove "
               f"{'it' if len(dropped) == 1 else 'them'}.")
        return f"drops {_names(dropped)}."
    kept = len(old)
    moved = [squash(e) for e in old] != [squash(n) for n in new if n not in remaining] or bool(swaps)
    added = f"; adds {_names(remaining)}" if remaining else ""
    if swaps:
        return f"the same {kept} entries{' in a new order' if moved else ''}; only {_swaps(swaps)} changes{added}."
    if remaining:
        return f"all {kept} entries are kept{added}."
    return f"the same {kept} entries in a new order; nothing added or removed."


def split_list(text: str) -> list[str] | None:
    """The entries of a list line (after its label), split at separators outside brackets."""
    body = text
    label = label_of(text)
    if label is not None:
        body = text[len(label) + 1 :]
    body = re.sub(r"[.,;]+\s*$", "", body.strip())
    for sep in _LIST_SEPARATORS:
        parts = [p.strip() for p in split_outside_brackets(body, sep)]
        if len(parts) >= 3 and max(len(p.split()) for p in parts) <= 6:
            return parts  # empty parts count: "Leadership | | Enterprise" is a list that lost an entry
    return None


def _compare_words(before: str, after: str, f: _Findings) -> tuple[list[tuple[str, str]], bool]:
    """Word diff: swaps of one name for another name of it are allowed; everything else is a change."""
    tb, ta = tokens(before), tokens(after)
    matcher = SequenceMatcher(None, [t.text.lower() for t in tb], [t.text.lower() for t in ta], autojunk=False)
    runs = name_runs(before)
    swaps: list[tuple[str, str]] = []
    changed = False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old = before[tb[i1].start : tb[i2 - 1].end] if i2 > i1 else ""
        new = after[ta[j1].start : ta[j2 - 1].end] if j2 > j1 else ""
        if tag == "replace" and _check_swap(old, new, f, runs=runs, span=(i1, i2), before=before):
            swaps.append((old, new))
            continue
        if tag == "insert" and j1 > 0 and after[ta[j1 - 1].end : ta[j1].start].strip() == "(" and i1 > 0:
            # "AKS" → "AKS (Azure Kubernetes Service)": the other name added beside the user's own.
            if aligned(before[tb[i1 - 1].start : tb[i1 - 1].end], f"{tb[i1 - 1].text} ({new})"):
                swaps.append((tb[i1 - 1].text, f"{tb[i1 - 1].text} ({new})"))
                continue
        changed = True
    return swaps, changed


def _check_swap(old: str, new: str, f: _Findings, *, runs: Sequence[tuple[int, int]] = (), span: tuple[int, int] = (0, 0),
                before: str = "") -> bool:
    """Is `old` → `new` one name written for another name of the same thing, names kept whole?"""
    if inflects(old, new):
        f.flag(f"Changes '{old}' to '{new}'; a term is written as you wrote it, not inflected.")
        return False
    inner = [(s, e) for s, e in runs if s < span[1] and span[0] < e and not (span[0] <= s and e <= span[1])]
    if inner and before:
        toks = tokens(before)
        s, e = inner[0]
        name = before[toks[s].start : toks[e - 1].end]
        f.flag(f"Edits inside the name '{name}' ('{old}' → '{new}'); names are kept whole.")
        return False
    return aligned(old, new)


def dropped_facts(before: str, after: str, renamed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Figures, tools, names, dates and employers of `before` that `after` no longer states
    (`renamed`: surfaces the change wrote under another name of the same thing)."""
    kept = {(fact.kind, fact.value) for fact in extract_facts(after)}
    kept_text = norm_text(after)
    out: list[str] = []
    for fact in extract_facts(before):
        if fact.kind not in _KEPT_KINDS or (fact.kind, fact.value) in kept or _generic(fact):
            continue
        if fact.kind is FactKind.NAME and norm_text(fact.surface) in kept_text or squash(fact.surface) in renamed:
            continue
        surface = fact.surface.strip()
        if surface and surface not in out:
            out.append(surface)
    return out


def _generic(fact: Fact) -> bool:
    return fact.generic or (fact.kind is FactKind.NAME and len(fact.surface.strip()) <= 2)


def strip_checked(rationale: str) -> str:
    """The proposer's own words, without an earlier guard's "Checked: …" or unverified conservation claims."""
    text = rationale.split(CHECKED, 1)[0]
    text = re.sub(r"[;,]?\s*nothing (?:is )?(?:added|removed|lost)[^.]*\.", ".", text, flags=re.I)
    return re.sub(r"\.\.+", ".", text).strip()


def _names(values: list[str]) -> str:
    shown = [f"'{v}'" if v else "an empty entry" for v in values[:4]]
    more = f" and {len(values) - 4} more" if len(values) > 4 else ""
    return ", ".join(shown) + more


def _swaps(swaps: list[tuple[str, str]]) -> str:
    return ", ".join(f"'{a}' → '{b}'" for a, b in swaps[:4])



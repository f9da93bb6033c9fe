"""A cover letter bound to evidence: every sentence names the requirements it serves and the resume
lines (or declared facts) that back it, and passes the same guard as a resume change.

    model.py     Letter, LetterSentence, Tone: the letter as data, what may be written
    plan.py      the points to argue, read off the gap report, and the line that shows each
    paragraphs.py which points lead a paragraph and which support it
    templates.py the offline wording per tone (frames filled with the resume's own lines)
    guard.py     the resume guard applied to letter sentences, plus what is letter-specific
    compose.py   the offline letter; a model's draft guarded and patched with offline sentences
    document.py  the letter as a document the exporters draw
"""

from resume_tui.analysis.letter.compose import (
    MAX_WORDS,
    DraftSentence,
    contact_block,
    merge_model,
    offline_alternative,
    offline_letter,
    regenerate,
)
from resume_tui.analysis.letter.document import letter_document
from resume_tui.analysis.letter.guard import LetterGuard, mask_target
from resume_tui.analysis.letter.model import (
    Letter,
    LetterSentence,
    Part,
    SentenceStatus,
    Tone,
    count_words,
    writable,
)
from resume_tui.analysis.letter.plan import LetterPlan, Point, build_plan

__all__ = [
    "MAX_WORDS",
    "DraftSentence",
    "Letter",
    "LetterGuard",
    "LetterPlan",
    "LetterSentence",
    "Part",
    "Point",
    "SentenceStatus",
    "Tone",
    "build_plan",
    "contact_block",
    "count_words",
    "letter_document",
    "mask_target",
    "merge_model",
    "offline_alternative",
    "offline_letter",
    "regenerate",
    "writable",
]

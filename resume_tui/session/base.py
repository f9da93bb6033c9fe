"""Helpers every part of the store shares (kept apart so the mixins need not import store.py)."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from resume_tui.errors import InputError
from resume_tui.models import utcnow
from resume_tui.session import db

F = TypeVar("F", bound=Callable[..., Any])


def _now() -> str:
    return utcnow().isoformat()


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _at(text: str) -> datetime:
    """A NOT NULL timestamp column."""
    return datetime.fromisoformat(text)


def new_id(prefix: str = "") -> str:
    return prefix + secrets.token_hex(6)


E = TypeVar("E")


def as_enum(cls: type[E], value: Any, what: str) -> E:
    """Parse a caller-given enum value; a wrong one is an InputError naming the choices."""
    try:
        return cls(value)  # type: ignore[call-arg]
    except ValueError:
        choices = ", ".join(m.value for m in cls)  # type: ignore[attr-defined]
        raise InputError(f"{value!r} is not a {what}; use one of {choices}.") from None


def _guarded(method: F) -> F:
    """Every public method raises StoreError (one sentence), never a raw sqlite3/OS error."""

    @wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except InputError:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise db.describe(exc, self.path) from None

    return wrapper  # type: ignore[return-value]

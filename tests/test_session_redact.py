"""Key masking for everything the session layer writes, and for log records."""

from __future__ import annotations

import logging

import pytest

from resume_tui.session.redact import MASK, RedactingFilter, Redactor


def test_known_values_and_key_shapes_are_masked() -> None:
    r = Redactor(["my-local-token-123", "short"])  # values under 6 chars are ignored (too many false hits)
    text = (
        "local my-local-token-123; anthropic sk-ant-api03-abcdefghijklmnopqrstuv; "
        "openai sk-proj-ABCDEFGHIJKLMNOPQRSTUV; google AIzaSyA1234567890abcdefghijklmnopqrstuv; "
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload; short stays"
    )
    out = r(text)
    for secret in ("my-local-token-123", "sk-ant-api03-abc", "sk-proj-ABC", "AIzaSyA123", "eyJhbGciOiJIUzI1NiJ9"):
        assert secret not in out
    assert out.count(MASK) == 5 and "short stays" in out
    assert r("Skills: sk-learn, risk-taking, AIza") == "Skills: sk-learn, risk-taking, AIza"  # words are not keys


def test_logging_filter_masks_formatted_records(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-logfilter-0123456789")
    logger = logging.getLogger("resume_tui.test_redact")
    handler_filter = RedactingFilter()
    logger.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.WARNING, logger="resume_tui.test_redact"):
            logger.warning("request failed for key %s", "sk-test-logfilter-0123456789")
    finally:
        logger.removeFilter(handler_filter)
    assert "sk-test-logfilter" not in caplog.text and MASK in caplog.text


def test_a_key_saved_after_the_store_opened_is_masked_too() -> None:
    from resume_tui.session.redact import Redactor

    redact = Redactor(["sk-known-0123456789"])
    assert "sk-known-0123456789" not in redact("x sk-known-0123456789 y")
    assert "NEWKEY-0123456789" in redact("NEWKEY-0123456789")
    redact.learn(["NEWKEY-0123456789", "abc"])  # too short to mask: left alone
    assert "NEWKEY-0123456789" not in redact("a NEWKEY-0123456789 b") and redact("abc") == "abc"

"""Log lines: exception messages (which quote personal data) are withheld above DEBUG, the stack is kept."""

from __future__ import annotations

import io
import json
import logging

from bot.logs import JsonLines, RedactingText

SECRET = "anna.svensson@example.se"


def _log_failure(formatter: logging.Formatter) -> str:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    logger = logging.getLogger("tests.logs")
    logger.handlers[:] = [handler]
    logger.propagate = False
    try:
        try:
            raise KeyError(SECRET)
        except KeyError as inner:
            raise ValueError(f"could not file a ticket for {SECRET}") from inner
    except ValueError:
        logger.exception("filing failed")
    return out.getvalue()


def test_text_log_keeps_frames_and_types_but_not_messages() -> None:
    text = _log_failure(RedactingText(debug=False))
    assert "filing failed" in text and SECRET not in text
    assert "builtins.ValueError (message withheld)" in text and "builtins.KeyError" in text
    assert "test_logs.py" in text and "in _log_failure" in text


def test_json_log_carries_a_redacted_trace() -> None:
    record = json.loads(_log_failure(JsonLines()))
    assert record["error"] == "ValueError" and SECRET not in json.dumps(record)
    assert any("in _log_failure" in line for line in record["trace"])


def test_debug_level_shows_everything() -> None:
    assert SECRET in _log_failure(RedactingText(debug=True))
    assert SECRET in _log_failure(JsonLines(debug=True))

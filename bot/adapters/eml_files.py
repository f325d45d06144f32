"""Copies of sent mail kept as ``.eml`` files (no SMTP configured): removed when their personal data is erased."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from bot.adapters.mail_out import eml_path

logger = logging.getLogger(__name__)


def remove_eml_copies(folder: Path, message_ids: Iterable[str]) -> int:
    """Delete ``<folder>/<message-id>.eml`` for each id; returns how many files there were."""
    removed = 0
    for message_id in message_ids:
        path = eml_path(folder, message_id)
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:  # the database erasure stands; the file is reported for the operator
            logger.warning("could not remove an erased mail's .eml copy: %s", type(exc).__name__,
                           extra={"path": str(path)})
            continue
        removed += 1
    return removed

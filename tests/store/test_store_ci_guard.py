"""Under CI a PostgreSQL test without TEST_POSTGRES_URL fails loudly instead of skipping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_missing_postgres_fails_under_ci_and_skips_locally() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_POSTGRES_URL", "CI")}
    target = "tests/store/test_store_tickets.py::test_claim_event_state_and_channel_orgs[postgresql]"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", target]
    ci = subprocess.run(command, cwd=ROOT, env={**env, "CI": "true"}, capture_output=True, text=True, timeout=120)
    assert ci.returncode == 1 and "CI never skips" in ci.stdout
    local = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert local.returncode == 0 and "1 skipped" in local.stdout

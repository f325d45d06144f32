"""A per-client token bucket: ``ASK_RATE_PER_MINUTE`` requests per minute, bursts up to that many."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# Bounds memory under a flood of distinct clients; full buckets carry no state worth keeping.
_MAX_CLIENTS = 10_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """``allow(client)`` spends one token; ``retry_after(client)`` says when the next one is there."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def _refill(self, client: str, now: float) -> _Bucket:
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= _MAX_CLIENTS:
                self._prune(now)
            bucket = self._buckets[client] = _Bucket(self._capacity, now)
        else:
            bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.at) * self._rate)
            bucket.at = now
        return bucket

    def _prune(self, now: float) -> None:
        full = [key for key, b in self._buckets.items()
                if b.tokens + (now - b.at) * self._rate >= self._capacity]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= _MAX_CLIENTS:  # all busy: forget the oldest half rather than grow
            for key in sorted(self._buckets, key=lambda k: self._buckets[k].at)[: _MAX_CLIENTS // 2]:
                del self._buckets[key]

    def allow(self, client: str) -> bool:
        bucket = self._refill(client, self._clock())
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True
        return False

    def retry_after(self, client: str) -> int:
        """Whole seconds until ``client`` may try again (at least 1)."""
        bucket = self._refill(client, self._clock())
        missing = max(0.0, 1.0 - bucket.tokens)
        return max(1, int(missing / self._rate + 0.999))

"""Small shared guards for chat channels: sliding-window rate limits and per-key locks."""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most ``per_minute`` events per key in any 60-second window; a notice at most once per window."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, window: float = 60.0) -> None:
        if per_minute < 1:
            raise ValueError(f"rate limit must be at least 1 per minute, not {per_minute!r}")
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._events: dict[str, deque[float]] = {}
        self._noticed: dict[str, float] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record an event for ``key`` and tell whether it is within the limit."""
        now = self.clock()
        with self._lock:
            q = self._events.setdefault(key, deque())
            while q and now - q[0] >= self.window:
                q.popleft()
            if len(q) >= self.per_minute:
                return False
            q.append(now)
            if len(self._events) > 50_000:
                self._sweep(now)
            return True

    def should_notice(self, key: str) -> bool:
        """True once per window for a limited key, so the polite notice is not itself a flood."""
        now = self.clock()
        with self._lock:
            last = self._noticed.get(key)
            if last is not None and now - last < self.window:
                return False
            self._noticed[key] = now
            return True

    def _sweep(self, now: float) -> None:
        for key in [k for k, q in self._events.items() if not q or now - q[-1] >= self.window]:
            del self._events[key]
        for key in [k for k, t in self._noticed.items() if now - t >= self.window]:
            del self._noticed[key]


class KeyedLocks:
    """One asyncio lock per key (a conversation), dropped when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def get(self, key: str) -> asyncio.Lock:
        """The lock for ``key``; keep the returned reference while using it."""
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

"""Conversations, kept in SQLite under POLICYBOT_HOME, keyed by session id, with an expiry."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any


class SessionStore:
    """Per-session state: the last route's slots and the last answer."""

    def __init__(self, path: Path, ttl_seconds: float = 24 * 3600, clock: Any = time.time) -> None:
        if ttl_seconds <= 0:
            raise ValueError(f"session ttl must be positive, not {ttl_seconds!r}")
        self.path = Path(path)
        self.ttl = ttl_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        # a conversation's state is no ledger: in WAL mode NORMAL keeps the file sound on a crash (the last
        # turns may be lost) and spares each answer an fsync, which took up to 0.2 s on a busy disk
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, state TEXT NOT NULL, updated REAL NOT NULL)")
        self._db.execute("CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated)")
        self._db.commit()
        self._writes = 0

    def get(self, session: str) -> dict[str, Any]:
        with self._lock:
            row = self._db.execute("SELECT state, updated FROM sessions WHERE id = ?", (session,)).fetchone()
        if not row or self.clock() - row[1] > self.ttl:
            return {}
        try:
            state = json.loads(row[0])
        except ValueError:
            return {}
        return state if isinstance(state, dict) else {}

    def put(self, session: str, state: dict[str, Any]) -> None:
        now = self.clock()
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions(id, state, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated = excluded.updated",
                (session, json.dumps(state, ensure_ascii=False), now),
            )
            self._writes += 1
            if self._writes % 200 == 0:
                self._db.execute("DELETE FROM sessions WHERE updated < ?", (now - self.ttl,))
            self._db.commit()

    def reset(self, session: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session,))
            self._db.commit()

    def purge(self) -> int:
        """Drop expired sessions; returns how many."""
        with self._lock:
            n = self._db.execute("DELETE FROM sessions WHERE updated < ?", (self.clock() - self.ttl,)).rowcount
            self._db.commit()
        return n

    def close(self) -> None:
        with self._lock:
            self._db.close()

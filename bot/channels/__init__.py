"""Front ends over the one answer core: Telegram, WeChat/WeCom, HTTP API and the web page.

Each channel only parses its input, calls ``engine.answer(question, session)`` and renders the
``Answer`` with the shared helpers in ``bot.channels.render``.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.answer import Answer


class Engine(Protocol):
    """What the channels need from the answer core (``bot.engine.AnswerEngine``)."""

    kb: Any

    def answer(self, question: str, session: str) -> Answer:
        """Answer one question in a conversation; never raises on user input."""
        ...

    def reset(self, session: str) -> None:
        """Forget a conversation."""
        ...

    def last_answer(self, session: str) -> Answer | None:
        """The last answer given in a conversation, for /sources."""
        ...

    def coverage(self) -> str:
        """What regions and kinds of facts the knowledge base covers."""
        ...

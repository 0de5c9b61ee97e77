"""Shared rendering for chat channels: answer + short citations, sentence-boundary splitting, escaping.

Every function here is pure (text in, text out) except ``MoreBuffer``, which keeps the unsent
rest of a long WeChat reply per user until they ask for "更多".
"""

from __future__ import annotations

import html
import re
import threading
import time
import tomllib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from bot.answer import Answer, Citation

TELEGRAM_LIMIT = 4096  # characters of a message after entity parsing
WECHAT_LIMIT_BYTES = 2048  # UTF-8 bytes of a passive text reply
MORE_WORDS = frozenset({"更多", "更多。", "more", "More", "MORE", "继续"})

Size = Callable[[str], int]

# A sentence ends at 。！？!?；; or an ellipsis, plus any closing quotes/brackets; or at a line break.
_SENTENCE = re.compile(r".*?(?:[。！？!?；;]+|\.(?=\s)|…+|\n+|$)[”’」』）)\]】\"']*")
_CLAUSE = re.compile(r"[^，、,：:\s]*(?:[，、,：:]+|\s+|$)")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@cache
def texts() -> dict[str, str]:
    """The channel wording from ``texts.toml`` (loaded once)."""
    with (Path(__file__).with_name("texts.toml")).open("rb") as f:
        return {k: str(v) for k, v in tomllib.load(f).items()}


def text(name: str, **values: object) -> str:
    """One piece of channel wording, with its placeholders filled."""
    return texts()[name].format(**values)


def utf16_len(s: str) -> int:
    """Length in UTF-16 code units (how Telegram counts message length)."""
    return len(s.encode("utf-16-le")) // 2


def utf8_len(s: str) -> int:
    """Length in UTF-8 bytes (how WeChat counts reply length)."""
    return len(s.encode("utf-8"))


def _units(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [m.group(0) for m in pattern.finditer(text) if m.group(0)]


_TOKEN = re.compile(r"\[\d+\]|[0-9A-Za-z.%~\-]+|\s+|.", re.S)


def _hard_cut(s: str, limit: int, size: Size) -> list[str]:
    """Cut between tokens (citation markers, numbers and words stay whole), characters as the last resort."""
    out: list[str] = []
    cur = ""
    for tok in _TOKEN.findall(s):
        for part in [tok] if size(tok) <= limit else list(tok):
            if cur and size(cur + part) > limit:
                out.append(cur)
                cur = ""
            cur += part
    if cur:
        out.append(cur)
    return out


def split_text(text: str, limit: int, size: Size = len) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` (measured by ``size``), at sentence ends when possible.

    Falls back to clause punctuation and then to single characters, so a piece never exceeds the
    limit. Joining the pieces gives back the text (whitespace at the cuts may move).
    """
    if limit <= 0:
        raise ValueError(f"limit must be positive, not {limit!r}")
    if size(text) <= limit:
        return [text] if text else []
    units: list[str] = []
    for sentence in _units(text, _SENTENCE):
        if size(sentence) <= limit:
            units.append(sentence)
            continue
        for clause in _units(sentence, _CLAUSE):
            units.extend([clause] if size(clause) <= limit else _hard_cut(clause, limit, size))
    pieces: list[str] = []
    cur = ""
    for u in units:
        if cur and size(cur + u) > limit:
            pieces.append(cur)
            cur = ""
        cur += u
    if cur:
        pieces.append(cur)
    return [p for p in (p.strip("\n") for p in pieces) if p.strip()]


# ---------- plain text (WeChat, logs) ----------


def short_citations(citations: Iterable[Citation]) -> str:
    """``[n] title · section`` lines."""
    return "\n".join(f"[{c.n}] {c.short()}" for c in citations)


def answer_plain(answer: Answer) -> str:
    """The answer with its short citations below, as plain text."""
    body = answer.answer.strip()
    if answer.citations:
        body += f"\n\n{text('sources_head')}：\n{short_citations(answer.citations)}"
    return body


def sources_plain(answer: Answer | None) -> str:
    """Full citations of an answer, quotes included, as plain text."""
    if answer is None or not answer.citations:
        return text("no_sources")
    blocks = []
    for c in answer.citations:
        where = f"{c.source}" + (f"（第 {c.span[0]}–{c.span[1]} 字）" if len(c.span) == 2 else "")
        blocks.append(f"[{c.n}] {c.title}\n{c.section}\n“{c.quote}”\n{where}".replace("\n\n", "\n"))
    return "\n\n".join(blocks)


def wechat_pages(body: str, limit_bytes: int = WECHAT_LIMIT_BYTES) -> list[str]:
    """Pages of at most ``limit_bytes`` UTF-8 bytes; every page but the last ends with the "更多" hint."""
    body = xml_safe(body).strip()
    if not body:
        return [text("empty")]
    if utf8_len(body) <= limit_bytes:
        return [body]
    hint = "\n" + text("more_hint")
    pieces = split_text(body, limit_bytes - utf8_len(hint), utf8_len)
    return [p + hint for p in pieces[:-1]] + [pieces[-1]]


# ---------- XML ----------


def xml_safe(s: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _XML_ILLEGAL.sub("", s)


def cdata(s: str) -> str:
    """A CDATA section holding ``s`` exactly, even when it contains ``]]>``."""
    return "<![CDATA[" + xml_safe(s).replace("]]>", "]]]]><![CDATA[>") + "]]>"


# ---------- Telegram HTML ----------

Piece = tuple[str, str | None]  # (plain text, wrapping tag or None)


def escape_html(s: str) -> str:
    """Escape text for Telegram's HTML parse mode (&, <, > and quotes)."""
    return html.escape(s, quote=True)


def pack_html(pieces: list[Piece], limit: int = TELEGRAM_LIMIT, size: Size = utf16_len) -> list[str]:
    """Pack tagged pieces into HTML messages whose visible text stays within ``limit``.

    Lengths are measured on the plain text (Telegram counts after entity parsing); a piece longer
    than a message is split at sentence ends and each part keeps its tag.
    """
    messages: list[list[Piece]] = [[]]
    used = 0
    for plain, tag in pieces:
        for part in split_text(plain, limit, size) if size(plain) > limit else [plain]:
            n = size(part)
            if messages[-1] and used + n > limit:
                messages.append([])
                used = 0
            if not messages[-1] and not part.strip():
                continue  # no message starts with blank lines
            messages[-1].append((part, tag))
            used += n
    out = []
    for msg in messages:
        while msg and not msg[-1][0].strip():
            msg.pop()
        if msg:
            out.append("".join(f"<{t}>{escape_html(p)}</{t}>" if t else escape_html(p) for p, t in msg))
    return out


def telegram_answer(answer: Answer) -> list[str]:
    """HTML messages for an answer: the text, then the short citations."""
    pieces: list[Piece] = [(answer.answer.strip() or text("empty"), None)]
    if answer.citations:
        pieces += [("\n\n", None), (text("sources_head"), "b"), ("\n", None)]
        for c in answer.citations:
            pieces += [(f"[{c.n}] {c.short()}", None), ("\n", None)]
    return pack_html(pieces)


def telegram_sources(answer: Answer | None) -> list[str]:
    """HTML messages with the full citations of an answer: title, section, quote and source."""
    if answer is None or not answer.citations:
        return pack_html([(text("no_sources"), None)])
    pieces: list[Piece] = []
    for c in answer.citations:
        pieces += [(f"[{c.n}] {c.title}", "b"), ("\n", None)]
        if c.section:
            pieces += [(c.section, "i"), ("\n", None)]
        pieces += [(c.quote, "blockquote")]
        where = c.source + (f"  chars {c.span[0]}–{c.span[1]}" if len(c.span) == 2 else "")
        pieces += [(where, "code"), ("\n\n", None)]
    return pack_html(pieces)


def telegram_plain(body: str) -> list[str]:
    """HTML messages for plain text (escaped, split)."""
    return pack_html([(body, None)])


# ---------- the rest of long replies, per user ----------


class MoreBuffer:
    """Unsent pages of long replies, per user, until they reply "更多" (bounded, expiring)."""

    def __init__(self, ttl_seconds: float = 3600, max_users: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.max_users = max_users
        self.clock = clock
        self._pages: OrderedDict[str, tuple[float, list[str]]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, user: str, pages: list[str]) -> None:
        """Keep ``pages`` for ``user`` (replacing what was kept); nothing kept when empty."""
        with self._lock:
            self._pages.pop(user, None)
            if pages:
                self._pages[user] = (self.clock(), list(pages))
                while len(self._pages) > self.max_users:
                    self._pages.popitem(last=False)

    def next(self, user: str) -> str | None:
        """The next kept page for ``user``, or None."""
        with self._lock:
            item = self._pages.pop(user, None)
            if item is None or self.clock() - item[0] > self.ttl:
                return None
            first, rest = item[1][0], item[1][1:]
            if rest:
                self._pages[user] = (self.clock(), rest)
            return first

    def has(self, user: str) -> bool:
        """Whether something is kept for ``user``."""
        with self._lock:
            item = self._pages.get(user)
            return item is not None and self.clock() - item[0] <= self.ttl

"""Text that remembers where each of its characters came from.

Cleaning a document deletes, replaces and moves text. ``Tracked`` carries, for
every character of the current text, the half-open span ``[start, end)`` of the
original characters it was made from, so any cleaned span can be mapped back to
the original file (``span(a, b)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Replacement = str | Callable[[re.Match[str]], str]


@dataclass
class Tracked:
    """A string plus, per character, the original span it came from."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, original: str) -> Tracked:
        """Wrap an original text: character i comes from [i, i+1)."""
        n = len(original)
        return cls(original, list(range(n)), list(range(1, n + 1)))

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, a: int, b: int) -> Tracked:
        return Tracked(self.text[a:b], self.starts[a:b], self.ends[a:b])

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original [start, end) covering cleaned characters [a, b)."""
        if b <= a:
            pos = self.starts[a] if a < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return pos, pos
        return min(self.starts[a:b]), max(self.ends[a:b])

    def sub(self, pattern: str | re.Pattern[str], repl: Replacement, flags: int = 0) -> Tracked:
        """Regex substitution that keeps the offset map.

        A replacement of the same length maps character by character; any
        other replacement maps every new character to the whole matched span.
        """
        rx = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        text, starts, ends = self.text, self.starts, self.ends
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        pos = 0
        changed = False
        for m in rx.finditer(text):
            a, b = m.span()
            new = repl(m) if callable(repl) else m.expand(repl)
            if new == m.group(0):
                continue
            changed = True
            out.append(text[pos:a])
            new_starts.extend(starts[pos:a])
            new_ends.extend(ends[pos:a])
            if new:
                if len(new) == b - a:
                    new_starts.extend(starts[a:b])
                    new_ends.extend(ends[a:b])
                else:
                    s = starts[a] if a < b else (ends[a - 1] if a else 0)
                    e = ends[b - 1] if a < b else s
                    new_starts.extend([s] * len(new))
                    new_ends.extend([e] * len(new))
                out.append(new)
            pos = b
        if not changed:
            return self
        out.append(text[pos:])
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        return Tracked("".join(out), new_starts, new_ends)

    def map_chars(self, convert: Callable[[str], str]) -> Tracked:
        """Apply a length-preserving conversion line by line.

        Lines whose conversion changes length are converted character by
        character instead, so the map stays exact.
        """
        pieces: list[str] = []
        for line in self.text.split("\n"):
            new = convert(line)
            if len(new) != len(line):
                new = "".join(c if len(c2 := convert(c)) != 1 else c2 for c in line)
            pieces.append(new)
        return Tracked("\n".join(pieces), self.starts, self.ends)

    @staticmethod
    def join(parts: Iterable[Tracked | str], anchor: int = 0) -> Tracked:
        """Concatenate tracked pieces; plain strings map to the previous piece's end."""
        text: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        last = anchor
        for part in parts:
            if isinstance(part, Tracked):
                text.append(part.text)
                starts.extend(part.starts)
                ends.extend(part.ends)
                if part.ends:
                    last = part.ends[-1]
            elif part:
                text.append(part)
                starts.extend([last] * len(part))
                ends.extend([last] * len(part))
        return Tracked("".join(text), starts, ends)

    def lines(self) -> list[Tracked]:
        """Split on newlines, keeping the map (newlines dropped)."""
        result: list[Tracked] = []
        pos = 0
        for line in self.text.split("\n"):
            result.append(self.slice(pos, pos + len(line)))
            pos += len(line) + 1
        return result

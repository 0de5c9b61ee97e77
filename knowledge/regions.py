"""The region hierarchy: canonical names, aliases, nicknames and parents.

Loaded from ``data/regions.toml``. ``Gazetteer.find_all`` tags text with the
regions it names (longest alias wins, ambiguous one-character abbreviations are
only accepted in questions), ``expand`` gives a region and all its descendants
so a question about 上海 can match 宝山区 chunks.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
LEVELS = ("国家", "省", "市", "区县")


@dataclass(frozen=True)
class Region:
    name: str
    level: str
    parent: str
    aliases: tuple[str, ...] = field(default_factory=tuple)


class Gazetteer:
    """Region lookup over a fixed list of regions."""

    def __init__(self, regions: list[Region]) -> None:
        self._build(regions)

    def copy(self) -> Gazetteer:
        """An independent gazetteer with the same regions (a knowledge base extends its own copy)."""
        return Gazetteer(list(self.regions.values()))

    def add(self, regions: list[Region]) -> list[Region]:
        """Add regions learned from documents; returns the ones that were new."""
        new = [r for r in regions if r.name not in self.regions and r.parent in self.regions]
        if new:
            self._build([*self.regions.values(), *new])
        return new

    def _build(self, regions: list[Region]) -> None:
        self.regions = {r.name: r for r in regions}
        for r in regions:
            if r.parent and r.parent not in self.regions:
                raise ValueError(f"region {r.name!r} has unknown parent {r.parent!r}")
        self._alias: dict[str, str] = {}
        for r in regions:
            for a in (r.name, *r.aliases):
                self._alias.setdefault(a.lower() if a.isascii() else a, r.name)
        self._children: dict[str, list[str]] = {}
        for r in regions:
            if r.parent:
                self._children.setdefault(r.parent, []).append(r.name)
        text_aliases = [a for a in self._alias if not a.isascii() and len(a) >= 2]
        ascii_aliases = [a for a in self._alias if a.isascii() and len(a) >= 3]
        self._text_rx = re.compile("|".join(re.escape(a) for a in sorted(text_aliases, key=len, reverse=True)))
        self._ascii_rx = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(ascii_aliases, key=len, reverse=True)) + r")\b", re.I)
        short = [a for a in self._alias if not a.isascii() and len(a) == 1]
        self._short_rx = re.compile("|".join(re.escape(a) for a in short)) if short else None

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Gazetteer:
        with open(DATA / "regions.toml", "rb") as fh:
            raw = tomllib.load(fh)
        return cls([Region(r["name"], r.get("level", ""), r.get("parent", ""), tuple(r.get("aliases", []))) for r in raw["region"]])

    def canonical(self, name: str) -> str | None:
        """Canonical name of a region name or alias, or None."""
        key = name.strip()
        return self._alias.get(key.lower() if key.isascii() else key)

    def level(self, name: str) -> str:
        return self.regions[name].level if name in self.regions else ""

    def parent(self, name: str) -> str:
        return self.regions[name].parent if name in self.regions else ""

    def ancestors(self, name: str) -> list[str]:
        out: list[str] = []
        cur = self.parent(name)
        while cur and cur not in out:
            out.append(cur)
            cur = self.parent(cur)
        return out

    def lineage(self, name: str) -> list[str]:
        """The region and its ancestors, nearest first."""
        return [name, *self.ancestors(name)]

    def descendants(self, name: str) -> list[str]:
        out: list[str] = []
        stack = list(self._children.get(name, []))
        while stack:
            cur = stack.pop()
            out.append(cur)
            stack.extend(self._children.get(cur, []))
        return out

    def expand(self, name: str) -> list[str]:
        """The region and everything inside it."""
        return [name, *self.descendants(name)]

    def contains(self, outer: str, inner: str) -> bool:
        return outer == inner or outer in self.ancestors(inner)

    def find_all(self, text: str, *, question: bool = False) -> list[tuple[int, int, str]]:
        """Regions named in ``text`` as (start, end, canonical name), in order.

        One-character abbreviations (沪, 京, 汉) are only read in questions, where
        they stand alone; in documents they are too ambiguous.
        """
        hits: list[tuple[int, int, str]] = []
        taken = [False] * len(text)
        for rx in (self._text_rx, self._ascii_rx):
            for m in rx.finditer(text):
                a, b = m.span()
                if any(taken[a:b]):
                    continue
                name = self.canonical(m.group(0))
                if name:
                    hits.append((a, b, name))
                    for i in range(a, b):
                        taken[i] = True
        if question and self._short_rx:
            for m in self._short_rx.finditer(text):
                a, b = m.span()
                if taken[a]:
                    continue
                name = self.canonical(m.group(0))
                if name and _stands_alone(text, a):
                    hits.append((a, b, name))
        return sorted(hits)

    def names_in(self, text: str, *, question: bool = False) -> list[str]:
        """Distinct canonical regions named in text, first mention first."""
        seen: list[str] = []
        for _, _, name in self.find_all(text, question=question):
            if name not in seen:
                seen.append(name)
        return seen

    def most_specific(self, names: list[str]) -> list[str]:
        """Drop names that are ancestors of another name in the list."""
        return [n for n in names if not any(o != n and self.contains(n, o) for o in names)]


def _stands_alone(text: str, i: int) -> bool:
    """A one-character abbreviation counts when it is not inside a longer word."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    cjk = re.compile(r"[\u4e00-\u9fff]")
    joiners = "的和与跟及、，,？?呢吗有在对"
    ok_before = not cjk.match(before) or before in joiners or i == 0
    ok_after = not cjk.match(after) or after in joiners or after in "市区省地企上"
    return ok_before and ok_after

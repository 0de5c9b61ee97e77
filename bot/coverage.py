"""What the knowledge base covers: the places its passages are about, and the years they name.

A question about a place nobody ingested a document for is refused with this coverage line,
never answered from another place's text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from knowledge.index import KnowledgeBase

DATA = Path(__file__).parent / "data"
# a zone's own name is the 2–4 characters before its suffix after the last function character
# ("在东湖高新区" → 东湖; "建几个元宇宙特色园区" → 特色, a generic word)
FUNCTION_CHARS = re.compile(r"[的个几哪在是有和与及这那本该其各建设元宇宙了吗呢]")


@lru_cache(maxsize=4)
def load_zones(path: Path = DATA / "zones.txt") -> tuple[re.Pattern[str], frozenset[str], dict[str, str], frozenset[str]]:
    """The zone-name pattern, generic prefixes, the suffixes' full forms and the loose suffixes of ``data/zones.txt``."""
    suffixes: list[str] = []
    generic: set[str] = set()
    loose: set[str] = set()
    same: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("suffix:"):
            suffixes += line.split(":", 1)[1].split()
        elif line.startswith("generic:"):
            generic.update(line.split(":", 1)[1].split())
        elif line.startswith("loose:"):
            loose.update(line.split(":", 1)[1].split())
        elif line.startswith("same:"):
            same.update(x.split("=", 1) for x in line.split(":", 1)[1].split() if "=" in x)
    alt = "|".join(sorted(map(re.escape, [*suffixes, *same]), key=len, reverse=True))
    return re.compile(rf"([\u4e00-\u9fff]{{2,8}}?)({alt})"), frozenset(generic), same, frozenset(loose)


@lru_cache(maxsize=4)
def zone_name_end(path: Path = DATA / "zones.txt") -> re.Pattern[str]:
    """The end of a zone's name, short or full ("…高新区", "…自由贸易试验区"): the suffixes of ``data/zones.txt``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    words = {w for line in lines if line.startswith("suffix:") for w in line.split(":", 1)[1].split()}
    words |= {w for pair in load_zones(path)[2].items() for w in pair}
    return re.compile("(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")$")


def place_name(gaz: Any, region: str | None, lang: str) -> str:
    """A place as the answer names it: its English name beside the Chinese one in English answers."""
    if not region:
        return ""
    r = gaz.regions.get(region)
    if lang == "en" and r:
        english = next((x for x in r.aliases if x.isascii() and x[:1].isupper()), "")
        return f"{english} ({region})" if english else region
    return region


class Coverage:
    """Places (with their ancestors) and years per place, read once per index generation."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.gaz = kb.gaz
        self._gen: str | None = None
        self._covered: set[str] = set()
        self._years: dict[str, set[int]] = {}
        self._text = ""
        self._zones = load_zones()

    def _load(self) -> None:
        if self._gen is not None and self.kb.generation == self._gen:
            return
        self.kb.load()
        gen = self.kb.generation
        covered: set[str] = set()
        years: dict[str, set[int]] = {}
        for c in self.kb.chunks:
            found = {int(y) for y in re.findall(r"(20\d{2})年", c.text)}
            for r in c.regions:
                for name in self.gaz.lineage(r):
                    covered.add(name)
                    years.setdefault(name, set()).update(found)
        self._covered, self._years, self._gen = covered, years, gen
        self._text = "\n".join(c.text for c in self.kb.chunks)

    def unknown_zones(self, question: str) -> list[str]:
        """Zones the question names that neither the gazetteer nor any document knows ("东湖高新区")."""
        self._load()
        rx, generic, same, loose = self._zones
        out = []
        for m in rx.finditer(question):
            prefix, name = m.group(1), m.group(0)
            prefix = next((prefix[len(g) :] for g in sorted(generic, key=len, reverse=True) if prefix.startswith(g)), prefix)
            hits = self.gaz.find_all(name, question=True)
            if any(b == len(name) for _, b, _ in hits):
                continue  # "我们是南京江北新区…": a known zone, whatever stands before it
            cut = max((b for _, b, _ in hits if b <= len(m.group(1))), default=0)
            if cut:  # "武汉东湖高新区": the city named before the zone is no part of its name
                prefix = m.group(1)[cut:]
                if not prefix and m.group(2) in loose:
                    continue  # "余杭园区": the parks of a known place
                if not prefix:  # "哈尔滨新区": a zone named after its city, by any of the city's names (庐州 = 合肥)
                    start, _, city = max((h for h in hits if h[1] == cut), key=lambda h: h[0])
                    spelled = [n + m.group(2) for n in self.gaz.names_of(city)]
                    if any(x in self._text or self.gaz.canonical(x) for x in [name[start:], *spelled]):
                        continue
                    near = "|".join(re.escape(x) for x in {m.group(2), same.get(m.group(2), m.group(2))})
                    if not any(_near(n, near).search(self._text) for n in self.gaz.names_of(city)):
                        out.append(name[start:])
                    continue
            prefix = FUNCTION_CHARS.split(prefix)[-1]  # "在东湖" → 东湖
            if not 2 <= len(prefix) <= 4 or any(g in prefix for g in generic) or self.gaz.canonical(prefix):
                continue
            if name in self._text or prefix in self._text:
                continue
            out.append(prefix + m.group(2))
        return out

    def mentioned(self, region: str) -> bool:
        """A place no document is placed at but some text names ("在柳河新建…" names 柳河县 by its short name)."""
        self._load()
        names = self.gaz.names_of(region)
        return any(len(n) >= 2 and not n.isascii() and n in self._text for n in names)

    def covers(self, region: str) -> bool:
        self._load()
        return region in self._covered

    def year_known(self, region: str, year: int) -> bool:
        self._load()
        if year in self._years.get(region, set()):
            return True
        return any(r.get("year") == year for r in self.kb.facts().targets(region=region))

    def line(self, lang: str = "zh-Hans") -> str:
        """The places the documents are about, in one line."""
        self._load()
        cities: dict[str, list[str]] = {}
        for name in sorted(self._covered):
            if self.gaz.level(name) == "国家" or not self.gaz.level(name):
                continue
            top = self.gaz.lineage(name)[-1]
            cities.setdefault(top, [])
            if name != top and name not in cities[top]:
                cities[top].append(name)
        names = sorted(cities, key=lambda r: -len(cities[r]))
        if lang == "en":
            return "policies of " + ", ".join(names[:8]) + "; targets, subsidies and awards, conditions, dates of effect, definitions"
        return "、".join(names[:8]) + "等地的政策文件；可问补贴与奖励、申请条件、施行与有效期、定义、产业目标、发布单位和日期"


@lru_cache(maxsize=1024)
def _near(name: str, near: str) -> re.Pattern[str]:
    """A place's name with a zone word a few characters after it ("哈尔滨…新区"), compiled once."""
    return re.compile(rf"{re.escape(name)}\W?.{{0,4}}(?:{near})")

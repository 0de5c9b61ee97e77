"""Which tier fits the asker's own figures: "我奶奶今年78岁" against "65周岁以上…免费" and "年满60周岁不满65周岁…半价".

A question may tell the asker's own case in figures (an age, a sum, a head count, a number of years).
A clause that sets bounds on the same kind of figure ("…200万元以上", "不满65周岁", "20至45周岁") either
holds the asker (every bound of one of its parts is met) or does not. The scorer weighs the first up and
the second down, so "我们去年营收3亿，能拿哪一档" is answered by the tier that fits, not the first one.

Units are read in families: ages (岁, 周岁), sums (元, 万元, 亿元, in 万元; dollars apart), heads (人, 名), years (年)
and areas (平方米, ㎡). Numbers may be written in Chinese numerals ("六十五周岁").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.english import numeral

NUM = r"\d+(?:\.\d+)?|[零一二三四五六七八九十两百千]+"
UNITS = {
    "周岁": ("age", 1.0),
    "岁": ("age", 1.0),
    "亿美元": ("usd", 10000.0),  # a sum in dollars is held only by bounds in dollars ("500万美元（含）以上")
    "万美元": ("usd", 1.0),
    "美元": ("usd", 0.0001),
    "亿元": ("sum", 10000.0),
    "亿": ("sum", 10000.0),
    "万元": ("sum", 1.0),
    "万": ("sum", 1.0),
    "元": ("sum", 0.0001),
    "人": ("head", 1.0),
    "名": ("head", 1.0),
    "年": ("years", 1.0),
    "平方米": ("area", 1.0),
    "㎡": ("area", 1.0),
}
UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
# "（含）", "（不含）" between a bound and its unit: "15（含）万元-25（不含）万元", "10（不含）万元以下"
MARK = r"(?:[（(](不?)含[)）])?"
FIGURE = re.compile(rf"(?<![\d.])({NUM})\s*{MARK}\s*({UNIT})")
# the words that make a figure a bound, before it ("年满", "不满", "超过") or after it ("以上", "以下", "以内")
LOWER_BEFORE = re.compile(r"(?:年满|满|超过|高于|不低于|不少于|达到|达|大于)\s*$")
UPPER_BEFORE = re.compile(r"(?:不满|未满|低于|不超过|不高于|少于|小于|不足)\s*$")
LOWER_AFTER = re.compile(r"^\s*(?:（含）|\(含\))?\s*(?:及以上|以上|或以上|起)")
UPPER_AFTER = re.compile(r"^\s*(?:（含）|\(含\))?\s*(?:及以下|以下|以内|之内)")
# the low bound may carry a unit of its own: "5000万元（含）至1亿元", "2000万美元(含)至1亿美元"
RANGE = re.compile(rf"({NUM})\s*{MARK}\s*({UNIT})?\s*{MARK}\s*(?:至|到|—|－|-|~|～)\s*({NUM})\s*{MARK}\s*({UNIT})\s*{MARK}")
PARTS = re.compile(r"[^；;。，,]+")
YEAR_OF_DATE = re.compile(r"^\d{4}$")
EPSILON = 1e-6  # "不满65周岁" holds 64.99…, not 65
STRICT = re.compile(r"(?:不满|未满|低于|少于|小于|不足|超过|高于|大于)\s*$")  # bounds that leave their figure out


@dataclass(frozen=True)
class Figure:
    kind: str
    value: float


def number(text: str) -> float | None:
    """A number written in digits or Chinese numerals (\"六十五\" → 65.0), or None."""
    value = numeral(text)
    return float(value) if value is not None else None


def own_figures(question: str) -> tuple[Figure, ...]:
    """The asker's own figures in a question ("78岁", "营收3亿", "招了5个人"); never a year ("2025年")."""
    out = []
    for m in FIGURE.finditer(question):
        kind, scale = UNITS[m.group(3)]
        value = number(m.group(1))
        if value is None or (kind == "years" and YEAR_OF_DATE.match(m.group(1))):
            continue
        if kind == "sum" and m.group(3) == "万" and question[m.end() : m.end() + 1] in "元":
            continue  # "3万元" is read once, as 万元
        out.append(Figure(kind, value * scale))
    return tuple(out)


@lru_cache(maxsize=20000)
def _bounds(part: str) -> tuple[tuple[str, float, float], ...]:
    """The bounds one part of a clause sets: (kind, low, high), open ends as ±inf."""
    out: list[tuple[str, float, float]] = []
    taken: list[tuple[int, int]] = []
    for m in RANGE.finditer(part):  # "20至45周岁", "18—45周岁", "15（含）万元-25（不含）万元"
        kind, scale = UNITS[m.group(7)]
        own = UNITS.get(m.group(3) or "")
        lo_scale = own[1] if own and own[0] == kind else scale
        lo, hi = number(m.group(1)), number(m.group(5))
        if lo is not None and hi is not None and lo * lo_scale < hi * scale:
            lo_out = EPSILON if "不" in (m.group(2) or "") + (m.group(4) or "") else 0.0
            hi_out = EPSILON if "不" in (m.group(6) or "") + (m.group(8) or "") else 0.0
            out.append((kind, lo * lo_scale + lo_out, hi * scale - hi_out))
            taken.append(m.span())
    for m in FIGURE.finditer(part):
        if any(a <= m.start() < b for a, b in taken):
            continue
        kind, scale = UNITS[m.group(3)]
        value = number(m.group(1))
        if value is None or (kind == "years" and YEAR_OF_DATE.match(m.group(1))):
            continue
        before, after = part[max(0, m.start() - 4) : m.start()], part[m.end() : m.end() + 6]
        upper, lower = UPPER_BEFORE.search(before), LOWER_BEFORE.search(before)
        strict = EPSILON if STRICT.search(before) or m.group(2) == "不" else 0.0
        if upper or UPPER_AFTER.match(after):
            out.append((kind, float("-inf"), value * scale - strict))  # "不满65周岁": below 65
        elif lower or LOWER_AFTER.match(after):
            out.append((kind, value * scale + strict, float("inf")))  # "超过500万元": above it
    return tuple(out)


def fit(clause: str, figures: tuple[Figure, ...]) -> int:
    """+1 when a part of the clause bounds the asker's figures and holds them all, -1 when the clause bounds
    them but no part holds them, 0 when it says nothing of such figures."""
    kinds = {f.kind for f in figures}
    bounded = False
    for part in PARTS.findall(clause):
        bounds = [b for b in _bounds(part) if b[0] in kinds]
        if not bounds:
            continue
        bounded = True
        if all(any(f.kind == k and lo <= f.value <= hi for f in figures) for k, lo, hi in bounds):
            return 1
    return -1 if bounded else 0

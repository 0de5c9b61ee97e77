"""Chinese figures stated in English: 3500亿元 → "350 billion yuan", 200万元 → "2 million yuan".

The English answer states subject, figure and unit in English, with the Chinese quote as
evidence; ``english_numbers`` lets the number check accept these renderings of a quoted figure.
"""

from __future__ import annotations

import re
from decimal import Decimal

FIGURE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(亿元|万元|千元|元|亿美元|万美元|美元|%)((?:\s*[/／]\s*(?:平方米|㎡|月|年|人|亩|项|家|次|天|户|套)){0,2})"
)
# "32.5元/平方米/月" → "32.5 yuan per square metre per month"
PER = {
    "平方米": "square metre",
    "㎡": "square metre",
    "月": "month",
    "年": "year",
    "人": "person",
    "亩": "mu",
    "项": "item",
    "家": "firm",
    "次": "time",
    "天": "day",
    "户": "household",
    "套": "flat",
}
UNITS = {
    "亿元": (Decimal(10) ** 8, "yuan"),
    "万元": (Decimal(10) ** 4, "yuan"),
    "千元": (Decimal(1000), "yuan"),
    "元": (Decimal(1), "yuan"),
    "亿美元": (Decimal(10) ** 8, "US dollars"),
    "万美元": (Decimal(10) ** 4, "US dollars"),
    "美元": (Decimal(1), "US dollars"),
}


def _plain(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def in_english(value: str, unit: str) -> str:
    """'3500', '亿元' → '350 billion yuan'; '30', '%' → '30%'."""
    if unit == "%":
        return f"{value}%"
    scale, name = UNITS[unit]
    amount = Decimal(value) * scale
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if amount >= size:
            return f"{_plain(amount / size)} {word} {name}"
    return f"{_plain(amount)} {name}" if amount < 10000 else f"{amount:,.0f} {name}"


# figures written in Chinese numerals ("百分之十五", "五百万元") and dates ("2026年1月1日")
CN_FIGURE = re.compile(r"百分之([零一二三四五六七八九十百点两]+)|([零一二三四五六七八九十百千两]+)(亿元|万元|元)")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
MONTHS = "January February March April May June July August September October November December".split()


def numeral(word: str) -> str | None:
    """A number written in digits or Chinese numerals ("六十五", "两千"), in plain digits."""
    from cn2an import cn2an

    try:
        return _plain(Decimal(str(cn2an(word.replace("两", "二"), "smart"))))
    except (ValueError, ArithmeticError):
        return None


def _renderings(text: str) -> list[tuple[int, str, str]]:
    """(position, English, original) for each money figure, percentage and date of a passage."""
    out: list[tuple[int, str, str]] = []
    for m in FIGURE.finditer(text):
        english = m.group(1) + "%" if m.group(2) == "%" else in_english(m.group(1), m.group(2))
        per = "".join(f" per {PER[u]}" for u in re.findall(r"[\u4e00-\u9fff㎡]+", m.group(3)))
        out.append((m.start(), english + per, m.group(0)))
    for m in CN_FIGURE.finditer(text):
        value = numeral(m.group(1) or m.group(2))
        if value is not None:
            english = f"{value}%" if m.group(1) else in_english(value, m.group(3))
            out.append((m.start(), english, m.group(0)))
    for m in DATE.finditer(text):
        month, day = int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            out.append((m.start(), f"{MONTHS[month - 1]} {day}, {m.group(1)}", m.group(0)))
    return sorted(out)


def figures_in_english(text: str, limit: int = 4) -> list[str]:
    """The money and percentage figures and dates of a Chinese passage, each as 'English (原文)'."""
    out: list[str] = []
    for _, english, original in _renderings(text):
        item = original if english == original else f"{english} ({original})"
        if item not in out:
            out.append(item)
        if len(out) >= limit:
            break
    return out


def english_numbers(text: str) -> set[str]:
    """The numbers an English rendering of the passage's figures may state."""
    out: set[str] = set()
    for _, english, _original in _renderings(text):
        out.update(re.findall(r"\d+(?:\.\d+)?", english.replace(",", "")))
    return out

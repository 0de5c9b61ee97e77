"""Chinese figures stated in English: 3500亿元 → "350 billion yuan", 200万元 → "2 million yuan".

The English answer states subject, figure and unit in English, with the Chinese quote as
evidence; ``english_numbers`` lets the number check accept these renderings of a quoted figure.
"""

from __future__ import annotations

import re
from decimal import Decimal

FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(亿元|万元|千元|元|亿美元|万美元|美元|%)")
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


def figures_in_english(text: str, limit: int = 4) -> list[str]:
    """The money and percentage figures of a Chinese passage, each as 'English (原文)'."""
    out: list[str] = []
    for m in FIGURE.finditer(text):
        item = m.group(0) if m.group(2) == "%" else f"{in_english(m.group(1), m.group(2))} ({m.group(0)})"
        if item not in out:
            out.append(item)
        if len(out) >= limit:
            break
    return out


def english_numbers(text: str) -> set[str]:
    """The numbers an English rendering of the passage's figures may state."""
    out: set[str] = set()
    for m in FIGURE.finditer(text):
        out.update(re.findall(r"\d+(?:\.\d+)?", in_english(m.group(1), m.group(2)).replace(",", "")))
    return out

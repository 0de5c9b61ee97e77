"""How a fact's figure is written: value or range, unit and qualifier, as the text states it."""

from __future__ import annotations

import re
from typing import Any


def num(v: float | int) -> str:
    """3500.0 → '3500', 0.5 → '0.5'."""
    return str(int(v)) if float(v).is_integer() else str(v)


def figure_text(row: dict[str, Any], written: str = "") -> str:
    """'达到3500亿元', '100家以上', '1-2个', '最高200万元'; '' when the row has no figure.

    ``written`` is the figure as the quoted text writes it ("1-2个", "上亿元", "百项"); it wins over
    the normalised value so the answer repeats the source's own characters.
    """
    q = row.get("qualifier") or ""
    if written and re.search(r"\d|[一二三四五六七八九十百千万亿两上]", written):
        text = written.strip()
        if q in ("以上", "左右", "以内") and not text.endswith(q) and q not in text:
            return text + q
        if q and q not in ("以上", "左右", "以内") and q not in text:
            return q + text
        return text
    unit = row.get("unit") or ""
    if row.get("low") is not None and row.get("high") is not None:
        text = f"{num(row['low'])}~{num(row['high'])}{unit}"
    elif row.get("value") is not None:
        text = f"{num(row['value'])}{unit}"
    else:
        return ""
    if q in ("以上", "左右", "以内"):
        return text + q
    return f"{q}{text}" if q else text


def percent(ratio: float | None) -> str:
    """0.3 → '30%'."""
    return "" if ratio is None else f"{num(round(ratio * 100, 4))}%"

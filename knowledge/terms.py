"""Words a document defines for itself: its short names and defined terms.

"本区中小企业助保贷（以下简称助保贷）", "本办法所称“企业助保金”是指…": users ask in those words
("助保贷最多能贷多少？"), and jieba's dictionary does not hold them, so it splits them ("助保", "贷") and
the question's topic loses the word. Ingest teaches the tokenizer these words before it tokenizes the
document's passages, and stores them so that a reader of the index learns them too.
"""

from __future__ import annotations

import re

# "（以下简称助保贷）", "（以下简称“区助保贷办公室”）", "（简称“先导示范区”）"
SHORT_NAME = re.compile(r"(?:以下)?简称(?:为|是)?\s*[:：]?\s*[“\"「『]?([^”\"」』）)，,。；;：:\s]{2,12}?)[”\"」』]?\s*[）)]")
# "本办法所称“企业助保金”是指…", "“瞪羚企业”，是指…"
DEFINED = re.compile(r"[“\"「]([^”\"」，,。；;\s]{2,12})[”\"」]\s*[，,]?\s*(?:是指|系指|指的是)")
CJK = re.compile(r"[\u4e00-\u9fff]")


def defined_terms(text: str) -> list[str]:
    """The short names and defined terms of a text, in the order first met, each with two or more Chinese characters."""
    found = [m.group(1) for rx in (SHORT_NAME, DEFINED) for m in rx.finditer(text)]
    return [w for w in dict.fromkeys(found) if len(CJK.findall(w)) >= 2]

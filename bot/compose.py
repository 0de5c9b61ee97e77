"""The composer: claims with their quotes in, an ``Answer`` with [n] markers out.

Wording lives in ``prompts/{zh,en}/*.j2``. Every claim names the quotes it
rests on; a claim whose numbers do not all appear in those quotes is dropped,
not shipped. Traditional-character questions get a traditional answer (OpenCC
s2t); quotes stay verbatim as in the cleaned source.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.answer import Answer, Citation
from bot.english import english_numbers

log = logging.getLogger(__name__)
NUMBER = re.compile(r"\d+(?:\.\d+)?")
MARKER = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Quote:
    """A verbatim passage of a source, as it will be cited."""

    source: str
    title: str
    section: str
    quote: str
    span: tuple[int, int] = (0, 0)


@dataclass
class Claim:
    """One sentence of an answer and the quotes that support it."""

    text: str
    quotes: list[Quote] = field(default_factory=list)


# where a passage stands ("第8条", "第 1 5 条"): a locator of the cited document, not a figure it states
LOCATOR = re.compile(r"第\s*\d[\d\s]*(?:条|款|项|章|节|页)")


def numbers_in(text: str) -> list[str]:
    """The figures a text states (citation markers and article locators excluded), normalised: '1,500' → '1500'."""
    text = LOCATOR.sub("", MARKER.sub("", text)).replace(",", "")
    out = []
    for n in NUMBER.findall(text):
        if "." in n:
            n = n.rstrip("0").rstrip(".")
        out.append(n)
    return out


def supported(text: str, quotes: list[str]) -> bool:
    """Every number in ``text`` appears in one of the quotes."""
    have = set()
    for q in quotes:
        have.update(numbers_in(q))
        have.update(english_numbers(q))
    return all(n in have for n in numbers_in(text))


@lru_cache(maxsize=1)
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


class Composer:
    """Renders templates and assembles answers whose numbers are all cited."""

    def __init__(self, prompts: Path) -> None:
        if not (prompts / "zh").is_dir() or not (prompts / "en").is_dir():
            raise ValueError(f"prompt folder {prompts} must hold zh/ and en/ templates")
        # templates are read once (no stat of the file per answer); a restart picks up an edit
        self.env = Environment(
            loader=FileSystemLoader(str(prompts)), autoescape=select_autoescape([]), keep_trailing_newline=False, auto_reload=False
        )

    def warm_up(self) -> None:
        """Compile every template and load the traditional-script converter before the first question."""
        for name in self.env.list_templates(extensions=["j2"]):
            self.env.get_template(name)
        _s2t()

    def render(self, name: str, lang: str, **values: Any) -> str:
        folder = "en" if lang == "en" else "zh"
        return self.env.get_template(f"{folder}/{name}.j2").render(**values).strip()

    def compose(
        self,
        claims: list[Claim],
        *,
        intent: str,
        slots: dict[str, Any],
        lang: str,
        found: bool = True,
        lead: str = "",
        tail: str = "",
        facts: list[dict[str, Any]] | None = None,
    ) -> Answer:
        citations: list[Citation] = []
        index: dict[tuple[str, str], int] = {}
        parts: list[str] = []
        kept = 0
        for claim in claims:
            if not supported(claim.text, [q.quote for q in claim.quotes]):
                log.warning("dropped a claim whose numbers are not in its quotes: %s", claim.text)
                continue
            marks = []
            for q in claim.quotes:
                key = (q.source, q.quote)
                if key not in index:
                    index[key] = len(citations) + 1
                    citations.append(Citation(index[key], q.source, q.title, q.section, q.quote, list(q.span)))
                marks.append(f"[{index[key]}]")
            text = claim.text.rstrip("。.；; ")
            text = re.sub(r"[。．；;，,、]+([”\"」』])$", r"\1", text)  # “…体验”[1]。, never “…体验。”[1]。
            end = "." if lang == "en" else "。"
            parts.append(f"{text}{''.join(dict.fromkeys(marks))}{end}")
            kept += 1
        all_quotes = [c.quote for c in citations]
        if lead and not supported(lead, all_quotes):
            lead = ""
        if tail and not supported(tail, all_quotes):
            tail = ""
        if claims and not kept:
            found = False
        sep = " " if lang == "en" else ""
        text = sep.join(x for x in (lead, *parts, tail) if x)
        if lang == "zh-Hant":
            text = to_traditional(text)
        return Answer(text, found, citations, facts or [], intent, slots)

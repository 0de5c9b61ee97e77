"""Query preparation: script, width, English and colloquial terms, region nicknames.

The expansion only adds words for the retrievers to match (魔都 → 上海市,
"subsidy" → 补贴, "能拿多少" → 最高 万元); it never changes what an answer quotes.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

from knowledge.normalize import to_simplified
from knowledge.regions import Gazetteer

DATA = Path(__file__).parent / "data"


def fold(text: str) -> str:
    """NFKC, traditional → simplified, collapsed whitespace."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", to_simplified(text)).strip()


class QueryExpander:
    """Adds policy wording for English, colloquial and nickname terms in a question."""

    def __init__(self, gazetteer: Gazetteer, glossary: Path | None = None) -> None:
        self.gaz = gazetteer
        path = glossary or DATA / "glossary.toml"
        raw: dict = {}
        if path.exists():
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        self.english = {k.lower(): v for k, v in raw.get("english", {}).items()}
        self.synonyms = dict(raw.get("synonyms", {}))
        keys = sorted(self.english, key=len, reverse=True)
        self._en_rx = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")s?\b", re.I) if keys else None
        skeys = sorted(self.synonyms, key=len, reverse=True)
        self._syn_rx = re.compile("|".join(re.escape(k) for k in skeys)) if skeys else None

    def without_english_terms(self, text: str) -> str:
        """The text with the English phrases the glossary reads ("talent apartment") blanked out."""
        return self._en_rx.sub(" ", text) if self._en_rx else text

    def english_groups(self, question: str) -> list[list[str]]:
        """Per English phrase the glossary reads, its Chinese terms (one group a phrase, glossary order)."""
        q = fold(question)
        groups: list[list[str]] = []
        if self._en_rx:
            for m in self._en_rx.finditer(q):
                key = m.group(0).lower()
                group = list(self.english.get(key) or self.english.get(key[:-1], []))
                if group:
                    groups.append(group)
        return groups

    def terms(self, question: str) -> list[str]:
        """Extra policy terms for a (folded) question."""
        q = fold(question)
        extra: list[str] = []
        if self._en_rx:
            for m in self._en_rx.finditer(q):
                key = m.group(0).lower()
                extra.extend(self.english.get(key) or self.english.get(key[:-1], []))
        if self._syn_rx:
            for m in self._syn_rx.finditer(q):
                extra.extend(self.synonyms[m.group(0)])
        for name in self.gaz.names_in(q, question=True):
            extra.append(name)
            short = re.sub(r"(市|省|自治区|区|县)$", "", name)
            if len(short) >= 2:
                extra.append(short)
        seen: list[str] = []
        for t in extra:
            if t not in seen and t not in q:
                seen.append(t)
        return seen

    def dense_query(self, question: str) -> str:
        """The question for the embedder: folded, with canonical region names and English terms.

        Kept short: embedding time grows with length.
        """
        q = fold(question)
        extra = [t for t in self.terms(q) if self.gaz.canonical(t) or q.isascii()]
        return f"{q} {' '.join(extra[:8])}" if extra else q

    def expand(self, question: str) -> str:
        q = fold(question)
        extra = self.terms(q)
        return f"{q} {' '.join(extra)}" if extra else q

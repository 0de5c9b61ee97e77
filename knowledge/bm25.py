"""Keyword search: jieba tokens (custom policy/place dictionary) ranked by Okapi BM25."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

DATA = Path(__file__).parent / "data"
STOP = set(
    "的 了 和 与 及 等 在 对 是 有 为 将 把 被 从 以 之 其 或 并 也 都 要 能 会 可 这 那 哪 些 个 吗 呢 啊 吧 么 "
    "什么 怎么 多少 哪些 如何 是否 一下 请问 我 你 他 们 我们 有没有 没有 还有 可以".split()
)
TOKEN_OK = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}|\d")


class Tokenizer:
    """jieba with the policy/place dictionary; search-mode tokens plus digits and Latin words."""

    def __init__(self, userdict: Path | None = None) -> None:
        self.userdict = userdict or DATA / "userdict.txt"
        self._jieba = None
        self._not_nouns: frozenset[str] | None = None
        self._pending: list[str] = []  # words to add once jieba is loaded

    def warm_up(self) -> None:
        if self._jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            if self.userdict.exists():
                tk.load_userdict(str(self.userdict))
            self._jieba = tk
        if self._pending:
            self._add_pending()

    def add_words(self, words: Iterable[str]) -> None:
        """Words the documents define for themselves ("助保贷") or the glossary knows ("失业金"): cut whole from now on."""
        self._pending.extend(w for w in words if w)
        if self._jieba is not None:
            self._add_pending()

    def _add_pending(self) -> None:
        for w in self._pending:
            if not self._jieba.FREQ.get(w):
                self._jieba.add_word(w)
        self._pending.clear()

    def tokens(self, text: str) -> list[str]:
        self.warm_up()
        out: list[str] = []
        for tok in self._jieba.cut_for_search(text.lower()):
            tok = tok.strip()
            if tok and tok not in STOP and TOKEN_OK.search(tok):
                out.append(tok)
        return out

    def known(self, word: str) -> bool:
        """A word of jieba's dictionary (or ours): "装修" is, a split fragment such as "后能" is not."""
        self.warm_up()
        return bool(self._jieba.FREQ.get(word))

    def noun(self, word: str) -> bool | None:
        """Whether jieba's own dictionary tags ``word`` as a noun ("律师", "门槛": True; "为了", "列为": False);
        None for a word it does not hold ("营收"). The tags are read once, keeping only the words that are not nouns."""
        if self._not_nouns is None:
            import jieba

            not_nouns: set[str] = set()
            with jieba.get_dict_file() as fh:
                for line in fh:
                    parts = line.decode("utf-8").split()
                    if len(parts) == 3 and not parts[2].startswith("n"):
                        not_nouns.add(parts[0])
            self._not_nouns = frozenset(not_nouns)
        if word in self._not_nouns:
            return False
        self.warm_up()
        return True if self._jieba.FREQ.get(word) else None

    def words(self, text: str) -> list[str]:
        """Whole words (jieba's precise mode, no sub-words), stop words and punctuation dropped."""
        self.warm_up()
        return [w.strip() for w in self._jieba.lcut(text.lower()) if w.strip() and w.strip() not in STOP and TOKEN_OK.search(w)]


class BM25:
    """Okapi BM25 over pre-tokenised documents."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = (sum(self.len) / len(self.len)) if self.len else 1.0
        df: Counter[str] = Counter()
        for c in self.tf:
            df.update(c.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, c in enumerate(self.tf):
            for t in c:
                self.postings.setdefault(t, []).append(i)

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        out: dict[int, float] = {}
        for t in dict.fromkeys(query):  # query order: the float sums never depend on hash order
            idf = self.idf.get(t)
            if idf is None:
                continue
            weight = idf * query.count(t) ** 0.5
            for i in self.postings[t]:
                f = self.tf[i][t]
                denom = f + self.k1 * (1 - self.b + self.b * self.len[i] / self.avg)
                out[i] = out.get(i, 0.0) + weight * f * (self.k1 + 1) / denom
        return out

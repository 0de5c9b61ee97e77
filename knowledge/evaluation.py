"""Retrieval quality on a gold set: Recall@1, Recall@5 and MRR per ranking mode.

A gold line names a short verbatim phrase of the answer; a retrieved chunk
answers when the phrase (whitespace removed, NFKC, simplified) is in it.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.index import KnowledgeBase
from knowledge.normalize import to_simplified


def fold(text: str) -> str:
    return re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", text)))


@dataclass
class RetrievalScore:
    mode: str
    n: int = 0
    hits1: int = 0
    hits5: int = 0
    rr: float = 0.0
    misses: list[dict[str, Any]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def recall1(self) -> float:
        return self.hits1 / self.n if self.n else 0.0

    @property
    def recall5(self) -> float:
        return self.hits5 / self.n if self.n else 0.0

    @property
    def mrr(self) -> float:
        return self.rr / self.n if self.n else 0.0


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(
    kb: KnowledgeBase, gold: list[dict[str, Any]], modes: tuple[str, ...] = ("bm25", "dense", "rrf", "weighted"), k: int = 10
) -> list[RetrievalScore]:
    out: list[RetrievalScore] = []
    for mode in modes:
        score = RetrievalScore(mode)
        kb.clear_cache()
        for g in gold:
            want = fold(g["answer"])
            t0 = time.perf_counter()
            hits = kb.search(g["question"], region=g.get("region"), k=k, fusion=mode)
            score.latencies.append(time.perf_counter() - t0)
            rank = next((i + 1 for i, h in enumerate(hits) if want in fold(h.chunk.text)), None)
            score.n += 1
            if rank == 1:
                score.hits1 += 1
            if rank and rank <= 5:
                score.hits5 += 1
            if rank:
                score.rr += 1.0 / rank
            if not rank or rank > 5:
                score.misses.append(
                    {
                        "id": g.get("id"),
                        "question": g["question"],
                        "answer": g["answer"],
                        "rank": rank,
                        "top": hits[0].chunk.text[:60] if hits else "",
                    }
                )
        out.append(score)
    return out

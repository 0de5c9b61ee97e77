"""Retrieval quality on the gold set written from our own reading of the seeds."""

from __future__ import annotations

from knowledge.evaluation import evaluate, load_gold
from knowledge.index import KnowledgeBase
from tests.conftest import GOLD


def test_gold_set_is_big_and_varied() -> None:
    gold = load_gold(GOLD / "retrieval.jsonl")
    assert len(gold) >= 80
    kinds = {g["kind"] for g in gold}
    assert {"traditional", "english", "nickname", "abbrev", "typo", "region_filter"} <= kinds


def test_fused_retrieval_meets_targets(kb: KnowledgeBase) -> None:
    gold = load_gold(GOLD / "retrieval.jsonl")
    scores = {s.mode: s for s in evaluate(kb, gold, ("bm25", "dense", kb.fusion))}
    fused = scores[kb.fusion]
    print({m: (round(s.recall1, 3), round(s.recall5, 3), round(s.mrr, 3)) for m, s in scores.items()})
    assert fused.recall5 >= 0.95, fused.misses
    assert fused.mrr >= 0.85
    assert fused.recall5 >= max(scores["bm25"].recall5, scores["dense"].recall5)

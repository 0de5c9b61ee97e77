"""The answer gold set: per-intent accuracy, citation accuracy, uncited numbers, latency.

A turn passes when ``found`` is as expected, every ``must_contain`` string is in
the answer (folded: NFKC, simplified, no spaces), no ``must_not_contain``
string is, and (when found) one of ``must_cite`` is among the cited sources.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.compose import numbers_in
from bot.engine import AnswerEngine
from bot.english import english_numbers
from knowledge.normalize import to_simplified


def fold(text: str) -> str:
    return re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", text)))


@dataclass
class TurnResult:
    case: str
    question: str
    intent_expected: str
    intent_got: str
    passed: bool
    cited_ok: bool
    uncited_numbers: list[str]
    problems: list[str]
    answer: str
    ms: float


@dataclass
class EvalReport:
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def pass_rate(self) -> float:
        return sum(t.passed for t in self.turns) / len(self.turns) if self.turns else 0.0

    def by_intent(self) -> dict[str, tuple[int, int, int]]:
        """intent → (turns, passed, intent recognised)."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for t in self.turns:
            row = out[t.intent_expected]
            row[0] += 1
            row[1] += t.passed
            row[2] += t.intent_expected == t.intent_got
        return {k: (v[0], v[1], v[2]) for k, v in sorted(out.items())}

    def latency(self) -> tuple[float, float]:
        return p50_p95([t.ms for t in self.turns])


def p50_p95(values: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank); zeros for no values."""
    ms = sorted(values)
    if not ms:
        return 0.0, 0.0
    return ms[len(ms) // 2], ms[max(0, int(len(ms) * 0.95) - 1)]


def uncited_numbers(answer: Any) -> list[str]:
    """Numbers of the answer found in none of its cited quotes (English renderings of a quoted figure count as cited)."""
    quotes = " ".join(c.quote for c in answer.citations)
    have = set(numbers_in(quotes)) | english_numbers(quotes)
    return [n for n in numbers_in(answer.answer) if n not in have]


def load_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def check_turn(answer: Any, turn: dict[str, Any]) -> tuple[bool, bool, list[str], list[str]]:
    problems: list[str] = []
    text = fold(answer.answer)
    if answer.found != turn["found"]:
        problems.append(f"found={answer.found}")
    for want in turn.get("must_contain", []):
        if fold(want) not in text:
            problems.append(f"missing {want}")
    for bad in turn.get("must_not_contain", []):
        if fold(bad) in text:
            problems.append(f"contains {bad}")
    sources = {c.source for c in answer.citations}
    cited_ok = not turn.get("must_cite") or bool(sources & set(turn["must_cite"]))
    if turn["found"] and answer.found and not cited_ok:
        problems.append("wrong citation")
    uncited = uncited_numbers(answer)
    if uncited:
        problems.append(f"uncited numbers {uncited}")
    return not problems, cited_ok, uncited, problems


def evaluate(engine: AnswerEngine, cases: list[dict[str, Any]]) -> EvalReport:
    report = EvalReport()
    for case in cases:
        session = f"eval:{case['id']}"
        engine.reset(session)
        for turn in case["turns"]:
            t0 = time.perf_counter()
            answer = engine.answer(turn["q"], session)
            ms = (time.perf_counter() - t0) * 1000
            passed, cited_ok, uncited, problems = check_turn(answer, turn)
            report.turns.append(
                TurnResult(case["id"], turn["q"], turn["intent"], answer.intent, passed, cited_ok, uncited, problems, answer.answer, ms)
            )
    return report

"""The development corpus as a user would ingest it, and its questions scored per kind.

``../shared/corpus`` (``INDEX.md``) holds real policy documents and ``dev_questions.jsonl``:
``{"id", "kind", "turns": [str, …], "must": [str], "any": [[str, …]], "src": [file-name part], "oos": bool}``.
Its ``.txt``/``.md`` files start with a collector's header (``title:`` … ``---``) that users' own
files do not have: :func:`prepare_corpus` strips it into a copy, so title, issuer and dates are read
from the text itself. A case passes when ``found`` is ``not oos``, every ``must`` string and one
string of each ``any`` group is in the last answer (folded: NFKC, simplified, no spaces), and one
cited source's file name contains one ``src`` part.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.evaluation import fold, p50_p95, uncited_numbers

HEADER_SUFFIXES = (".txt", ".md")


def strip_header(text: str) -> str:
    """Everything after the collector's header (up to and including the first ``---`` line), if there is one."""
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].startswith("title:"):
        return text
    for i, line in enumerate(lines[:20]):
        if line.strip() == "---":
            return "".join(lines[i + 1 :])
    return text


def prepare_corpus(corpus: Path, out: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Copy the corpus files with one of ``suffixes`` into ``out`` as a user would have them; returns the copies."""
    out.mkdir(parents=True, exist_ok=True)
    copies = []
    for f in sorted(corpus.iterdir()):
        if f.suffix.lower() not in suffixes or f.name == "INDEX.md":
            continue
        dest = out / f.name
        if f.suffix.lower() in HEADER_SUFFIXES:
            data = strip_header(f.read_text(encoding="utf-8")).encode("utf-8")
        else:
            data = f.read_bytes()
        if not dest.exists() or dest.read_bytes() != data:
            dest.write_bytes(data)
        copies.append(dest)
    return copies


def load_dev_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@dataclass
class DevResult:
    case: str
    kind: str
    question: str
    passed: bool
    problems: list[str]
    answer: str
    sources: list[str]
    uncited: list[str]
    ms: float


@dataclass
class DevReport:
    results: list[DevResult] = field(default_factory=list)

    @property
    def pass_rate(self) -> float:
        return sum(r.passed for r in self.results) / len(self.results) if self.results else 0.0

    def by_kind(self) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            out[r.kind][0] += 1
            out[r.kind][1] += r.passed
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def latency(self) -> tuple[float, float]:
        return p50_p95([r.ms for r in self.results])


def check_case(answer: Any, case: dict[str, Any]) -> list[str]:
    """What is wrong with the answer to a case's last turn (empty when it passes)."""
    problems = []
    want_found = not case.get("oos", False)
    if answer.found != want_found:
        problems.append(f"found={answer.found}")
    text = fold(answer.answer)
    if want_found:
        problems += [f"missing {m}" for m in case.get("must", []) if fold(m) not in text]
        problems += [f"missing one of {g}" for g in case.get("any", []) if g and not any(fold(x) in text for x in g)]
        names = [Path(c.source).name for c in answer.citations]
        if case.get("src") and not any(s in n for s in case["src"] for n in names):
            problems.append("wrong citation")
    uncited = uncited_numbers(answer)
    if uncited:
        problems.append(f"uncited numbers {uncited}")
    return problems


def evaluate_dev(engine: Any, cases: list[dict[str, Any]]) -> DevReport:
    report = DevReport()
    for case in cases:
        session = f"dev:{case['id']}"
        engine.reset(session)
        t0 = time.perf_counter()
        answer = None
        for turn in case["turns"]:
            answer = engine.answer(turn, session)
        ms = (time.perf_counter() - t0) * 1000 / max(1, len(case["turns"]))
        assert answer is not None
        problems = check_case(answer, case)
        report.results.append(
            DevResult(
                case["id"],
                case.get("kind", ""),
                " / ".join(case["turns"]),
                not problems,
                problems,
                answer.answer,
                [Path(c.source).name for c in answer.citations],
                uncited_numbers(answer),
                ms,
            )
        )
    return report

"""Planners: small components that turn an analysed question into a ``Plan`` of cited claims.

Each planner has a ``name``, ``accepts(analysis)`` and ``run(analysis, region) -> Plan | None``
(``None``: nothing to say, let the next one try). ``bot.wiring`` registers them in order; the
engine asks each in turn. They share ``Plan`` and the ``DocumentCatalog`` defined here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.analysis import Analysis
from bot.compose import Claim
from knowledge.chunking import Chunk
from knowledge.documents import untitled
from knowledge.index import KnowledgeBase

# a policy title ends with the name of a kind of document: "…若干规定", "…实施细则", "…工作要点"
TITLE_END = re.compile(
    r"(?:条例|办法|规定|细则|措施|意见|方案|通知|公告|通告|决定|要点|计划|规划|纲要|指南|政策|清单|目录|实录|问答|答问|解读|"
    r"报告|盘点|分析|指引|规则|章程|标准|批复|函)(?:[（(][^）)]{1,20}[）)])*$"
)
MARKUP = re.compile(r"^#+\s*|\*\*|<[^>]{1,200}>|^\s*[-*]\s+")


@dataclass
class Plan:
    """What a planner produced: claims, an optional lead and tail, and whether it answers."""

    claims: list[Claim]
    found: bool = True
    lead: str = ""
    tail: str = ""
    facts: list[dict[str, Any]] | None = None
    policy: str = ""
    source: str = ""  # the document the answer rests on (follow-ups stay with it)
    intent: str = ""  # overrides the routed intent in the Answer (a refusal is "out_of_scope")


class Planner(Protocol):
    name: str

    def accepts(self, a: Analysis) -> bool: ...

    def run(self, a: Analysis, region: str | None) -> Plan | None: ...


def clean_title(title: str) -> str:
    """A title without Markdown or HTML marks: "# 北京国际科技创新中心建设条例" → "北京国际科技创新中心建设条例"."""
    t = MARKUP.sub("", title or "").strip()
    return t.strip("《》 ")


def good_title(title: str) -> bool:
    t = clean_title(title)
    if not 4 <= len(t) <= 80 or not re.search(r"[\u4e00-\u9fff]{2}", t):  # a file name is no title
        return False
    return not re.search(r"[。？?！!：:]|^\d+[.．、]|^[（(]?[一二三四五六七八九十]+[)）、]|https?:|<", t)


@dataclass
class DocInfo:
    source: str
    title: str
    date: str
    kind: str
    regions: list[str] = field(default_factory=list)
    issuer: str = ""


class DocumentCatalog:
    """The documents of the live index: titles fit to show, dates, and versions of one policy."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._docs: dict[str, DocInfo] = {}
        self._gen: str | None = None

    def _load(self) -> None:
        if self._docs and self.kb.generation == self._gen:
            return  # the engine's search has already loaded the live generation this question
        self.kb.load()
        docs = {}
        for d in self.kb.documents(("source", "title", "date", "kind", "regions", "issuer")):
            title = clean_title(d.get("title") or "")
            if not good_title(title):
                title = ""
            docs[d["source"]] = DocInfo(
                d["source"], title, d.get("date") or "", d.get("kind") or "", json.loads(d.get("regions") or "[]"), d.get("issuer") or ""
            )
        self._docs, self._gen = docs, self.kb.generation

    def get(self, source: str) -> DocInfo | None:
        self._load()
        return self._docs.get(source)

    def all(self) -> list[DocInfo]:
        self._load()
        return list(self._docs.values())

    def title_for(self, chunk: Chunk) -> str:
        """The title a claim from this chunk is shown under: the policy the passage is about, else its document's."""
        policy = clean_title(chunk.policy)
        if policy and good_title(policy) and TITLE_END.search(policy) and not untitled(policy):
            return policy
        doc = self.get(chunk.source)
        return doc.title if doc and doc.title else ""

    def named_in(self, question: str) -> list[str]:
        """Documents whose title the question names ("上海科学技术进步条例…" names 《上海市科学技术进步条例》)."""
        q = re.sub(r"\s", "", question)
        out: list[tuple[float, str]] = []
        for d in self.all():
            core = re.sub(r"[（(][^）)]*[）)]|关于印发|的通知$|^关于", "", d.title)
            grams = {core[i : i + 2] for i in range(len(core) - 1)}
            if len(grams) < 4:
                continue
            share = sum(1 for g in grams if g in q) / len(grams)
            if share >= 0.6:
                out.append((share, d.source))
        return [src for _, src in sorted(out, reverse=True)]

    def versions(self, source: str) -> list[DocInfo]:
        """Other documents that are versions of the same policy (same title once years and 修订/修正 notes are removed)."""
        doc = self.get(source)
        if not doc or not doc.title:
            return []
        base = _base_title(doc.title)
        return [d for d in self.all() if d.source != source and d.title and _base_title(d.title) == base]

    def year(self, source: str) -> int:
        """The year a document was issued: its date, else the latest year its title or first lines name."""
        doc = self.get(source)
        if doc and doc.date[:4].isdigit():
            return int(doc.date[:4])
        years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", f"{source} {doc.title if doc else ''}")]
        return max(years, default=0)


def _base_title(title: str) -> str:
    t = re.sub(r"[（(][^）)]*(?:\d{4}|修订|修正|试行|征求意见稿)[^）)]*[）)]", "", title)
    return re.sub(r"\s+", "", t)

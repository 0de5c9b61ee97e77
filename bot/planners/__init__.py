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
from bot.coverage import zone_name_end
from knowledge.chunking import Chunk
from knowledge.documents import untitled
from knowledge.index import KnowledgeBase

# a policy title ends with the name of a kind of document: "…若干规定", "…实施细则", "…工作要点"
TITLE_END = re.compile(
    r"(?:条例|办法|规定|细则|措施|意见|方案|通知|公告|通告|决定|要点|计划|规划|纲要|指南|政策|清单|目录|实录|问答|答问|解读|"
    r"报告|盘点|分析|指引|规则|章程|标准|批复|函)(?:[（(][^）)]{1,20}[）)])*$"
)
# the kind of document a title ends with, as a question names it ("…若干措施", "…行动计划", "…条例")
TITLE_KIND = re.compile(
    r"(?:若干|实施|管理|促进|行动|工作|建设|发展|暂行|试行)?(?:条例|办法|规定|细则|措施|意见|方案|计划|规划|纲要|指南|问答|实录)$"
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

    def __init__(self, kb: KnowledgeBase, abbreviations: dict[str, str] | None = None) -> None:
        self.kb = kb
        self._docs: dict[str, DocInfo] = {}
        self._gen: str | None = None
        self._named: dict[tuple[str | None, str], list[str]] = {}
        self.abbreviations = abbreviations or {}  # "经开区" → "经济技术开发区" (bot/data/zones.txt "same:" lines)

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
        """Documents whose title the question names, best first.

        A title is named when the question holds most of it ("上海科学技术进步条例" names
        《上海市科学技术进步条例》), or its kind of document and a stretch of its own words no other
        title shares ("G60若干措施" names 《关于支持长三角G60科创走廊策源地建设的若干措施》).
        Zone abbreviations are read in full first ("经开区条例" → 经济技术开发区条例).
        """
        q = re.sub(r"[\s“”\"'‘’]", "", question)
        for short, full in self.abbreviations.items():
            q = q.replace(short, full) if full not in q else q
        key = (self._gen, q)
        if key in self._named:
            return self._named[key]
        cores = {d.source: _core(d.title) for d in self.all() if d.title}
        titles = set(cores.values())  # versions of one policy share a title: it counts once
        out: list[tuple[float, str]] = []
        for src, core in cores.items():
            own_chars = len(_unplaced(core, self.kb.gaz))  # place names in a title name no document on their own
            if own_chars < 4:
                continue
            spans = [x for x in _common_spans(core, q) if _unplaced(x, self.kb.gaz)]
            common = max(2, len(titles) // 4)  # words a quarter of the titles share ("元宇宙", "促进") count half
            got = sum(len(_unplaced(x, self.kb.gaz)) * (0.5 if sum(x in c for c in titles) > common else 1.0) for x in spans)
            share = got / own_chars
            kind = TITLE_KIND.search(core)
            own = [
                x
                for x in spans
                if len(_unplaced(x, self.kb.gaz)) >= 3
                and not (kind and x in kind.group(0))
                and sum(1 for c in titles if x in c) <= max(1, len(titles) // 20)
            ]
            if share >= 0.6 or (kind and kind.group(0)[-2:] in q and own):
                out.append((share + 0.1 * len(own), src))
        self._named[key] = [src for _, src in sorted(out, reverse=True)]
        return self._named[key]

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


def _core(title: str) -> str:
    """A title without its notes, "关于印发" and quotation marks: what a question may quote of it."""
    inner = re.search(r"《([^》]{4,})》", title)  # "…办公厅关于印发《X》的通知": X
    t = inner.group(1) if inner else title
    return re.sub(r"[（(][^）)]*[）)]|关于印发|的通知$|^关于|[“”\"'‘’\s]", "", t)


ZONE_NAME = zone_name_end()


def _unplaced(text: str, gaz: Any) -> str:
    """``text`` without the names of administrative divisions in it; a zone's name ("北京经济技术开发区") names a document: it stays."""
    for start, end, name in sorted(gaz.find_all(text), reverse=True):
        if not ZONE_NAME.search(name):
            text = text[:start] + text[end:]
    return text


def _common_spans(title: str, question: str) -> list[str]:
    """The stretches (two characters or more) of ``title`` the question holds, longest first, not overlapping."""
    spans: list[str] = []
    used = [False] * len(title)
    for n in range(len(title), 1, -1):
        for i in range(len(title) - n + 1):
            if any(used[i : i + n]):
                continue
            piece = title[i : i + n]
            if piece in question:
                spans.append(piece)
                used[i : i + n] = [True] * n
    return spans


def _base_title(title: str) -> str:
    t = re.sub(r"[（(][^）)]*(?:\d{4}|修订|修正|试行|征求意见稿)[^）)]*[）)]", "", title)
    return re.sub(r"\s+", "", t)

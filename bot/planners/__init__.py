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
from knowledge.documents import DOC_NO, untitled
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
# a sentence that repeals: "…《X》（Y〔2023〕3号）同时废止", "以前出台的…相关支持奖励政策同时废止"
REPEAL = re.compile(r"[^。；;\n]*废止[^。；;\n]*")
# a repeal of the earlier policies on a subject, without naming them ("此前出台的…政策同时废止")
EARLIER = re.compile(r"(?:此前|以前|之前|原|过去|已)(?:出台|发布|印发|制定|实施|执行)")
# where the subject of such a repeal ends: "…相关支持奖励政策", "…的文件"
SUBJECT_END = re.compile(r"(?:相关|有关)?(?:支持|奖励|扶持|优惠|补助)*(?:政策|文件|规定|办法|意见|措施)")


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
        self._supersedes: dict[str, set[str]] = {}  # a document → the documents its text repeals
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
        self._supersedes = self._repeals()

    def _repeals(self) -> dict[str, set[str]]:
        """Which documents repeal which: read from the sentences with 废止 (an index look-up, no scan)."""
        links: dict[str, set[str]] = {}
        for chunk in self.kb.containing("废止"):
            new = self._docs.get(chunk.source)
            if not new:
                continue
            for sentence in REPEAL.findall(chunk.text):
                for old in self._docs.values():
                    if old.source != new.source and self._repealed_by(sentence, new, old):
                        links.setdefault(new.source, set()).add(old.source)
        # two documents that each repeal the other tell nothing about which is in force
        return {n: {o for o in olds if n not in links.get(o, set())} for n, olds in links.items()}

    def _repealed_by(self, sentence: str, new: DocInfo, old: DocInfo) -> bool:
        """``sentence`` of ``new`` repeals ``old``: by its document number or title, or as "the earlier policies" on
        a subject, when ``old`` is of the same place and kind, not issued later, and its title (or, untitled and
        undated, its text) is on that subject."""
        numbers = {re.sub(r"\s", "", n) for n in DOC_NO.findall(sentence)}
        if numbers:
            head = old.title + "".join(c.text for c in self.kb.chunks_of(old.source)[:3])[:600]  # its opening lines
            if any(n in re.sub(r"\s", "", head) for n in numbers):
                return True
        old_core = _unplaced(_core(old.title), self.kb.gaz) if old.title else ""
        if old_core and any(_share(old_core, _core(named)) >= 0.8 for named in re.findall(r"《([^》]{4,})》", sentence)):
            return True
        earlier = EARLIER.search(sentence)
        if "《" in sentence or not earlier or set(old.regions) != set(new.regions) & set(old.regions):
            return False
        if self.year(old.source) > self.year(new.source) or (not old.title and not new.date):
            return False
        if not old.title:  # "此前出台的支持重点产业发展相关政策同时废止" and an undated text on 重点产业发展
            subject = SUBJECT_END.split(sentence[earlier.end() :].lstrip("的"), 1)[0]
            own = "".join(REPEAL.sub("", c.text) for c in self.kb.chunks_of(old.source))
            return not old.date and max(map(len, _common_spans(subject, own)), default=0) >= 4
        kind_old, kind_new = TITLE_KIND.search(_core(old.title)), TITLE_KIND.search(_core(new.title))
        if not kind_old or not kind_new or kind_old.group(0)[-2:] != kind_new.group(0)[-2:]:
            return False
        return len(old_core) >= 4 and _share(old_core, _core(new.title)) >= 0.6

    def newest_first(self, sources: list[str]) -> list[str]:
        """Versions of a policy, the one in force first: a repealed one after the one repealing it, else by year."""

        def key(s: str) -> tuple[bool, int]:
            return any(s in self._supersedes.get(o, set()) for o in sources if o != s), -self.year(s)

        self._load()
        return sorted(dict.fromkeys(sources), key=key)

    def repeals(self, newer: str, older: str) -> bool:
        """Whether ``newer``'s text repeals ``older`` (a 废止 sentence names it)."""
        self._load()
        return older in self._supersedes.get(newer, set())

    def in_order(self, newer: str, older: str) -> bool:
        """Whether it is known that ``newer`` came after ``older`` (a repeal, or a later year)."""
        self._load()
        return older in self._supersedes.get(newer, set()) or self.year(newer) > self.year(older)

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
        asked = self.kb.gaz.names_in(q, question=True)
        out: list[tuple[float, str]] = []
        for src, core in cores.items():
            if asked and not self.placed_near(src, asked):
                continue  # a question about one place names no other place's notice, however alike the words
            own_chars = len(_unplaced(core, self.kb.gaz))  # place names in a title name no document on their own
            if own_chars < 4:
                continue
            spans = [x for x in _common_spans(core, _spelled_out(_unplaced(core, self.kb.gaz), q)) if _unplaced(x, self.kb.gaz)]
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
            # a zone's own name ("…示范区" of one title): stretches no other title has, long enough together to
            # name it without its kind
            distinct = sum(len(_unplaced(x, self.kb.gaz)) for x in own) >= 6
            if share >= 0.6 or (kind and kind.group(0)[-2:] in q and own) or distinct:
                out.append((share + 0.1 * len(own), src))
        self._named[key] = [src for _, src in sorted(out, reverse=True)]
        return self._named[key]

    def placed_near(self, source: str, places: list[str]) -> bool:
        """Whether a document is placed where one of the places is, above it or inside it (unplaced: anywhere)."""
        doc = self._docs.get(source)
        if doc is None or not doc.regions:
            return True
        gaz = self.kb.gaz
        return any(r == p or gaz.contains(r, p) or gaz.contains(p, r) for r in doc.regions for p in places)

    def passage_about(self, chunk: Any, region: str | None) -> bool:
        """Whether a passage is about ``region`` (or a place above or inside it): by the places it names, else by
        its document's place (no place asked: any passage)."""
        if not region:
            return True
        gaz = self.kb.gaz
        places = [r for r in chunk.regions if gaz.level(r) != "国家"]
        if places:
            return any(gaz.contains(r, region) or gaz.contains(region, r) for r in places)
        return self.placed_near(chunk.source, [region])

    def versions(self, source: str) -> list[DocInfo]:
        """Other documents that are versions of the same policy (same title once years and 修订/修正 notes are removed)."""
        doc = self.get(source)
        if not doc:
            return []
        base = _base_title(doc.title) if doc.title else None
        linked = self._supersedes.get(source, set()) | {n for n, olds in self._supersedes.items() if source in olds}
        return [d for d in self.all() if d.source != source and (d.source in linked or (d.title and _base_title(d.title) == base))]

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


def _spelled_out(title: str, question: str) -> str:
    """The question with a two-character short form of a four-character word of the title (its place names taken
    out) written in full, the way such words are shortened (each half's first character): "电商条例" →
    "电子商务条例" for a 《…电子商务条例》, "知产" → "知识产权"."""
    for i in range(len(title) - 3):  # one word a title: the first that fits
        word = title[i : i + 4]
        short = word[0] + word[2]
        if short in question and short not in title and word not in question and re.fullmatch(r"[\u4e00-\u9fff]{4}", word):
            return question.replace(short, word)
    return question


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


def _share(part: str, whole: str) -> float:
    """How much of ``part`` the stretches it shares with ``whole`` cover."""
    return sum(map(len, _common_spans(part, whole))) / len(part) if part else 0.0


def _base_title(title: str) -> str:
    t = re.sub(r"[（(][^）)]*(?:\d{4}|修订|修正|试行|征求意见稿)[^）)]*[）)]", "", title)
    return re.sub(r"\s+", "", t)

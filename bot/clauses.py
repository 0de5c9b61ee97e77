"""Candidates and scoring: the passages that may answer a question, cut into clauses and ranked.

``ClauseFinder.run`` asks the hybrid index for chunks (filtered by the question's place)
and cuts them into clauses: one sentence (or one ；-part of a very long sentence), with the
item heading or article (第X条) it sits under. ``ClauseScorer.run`` ranks them for the
question's answer type: how much of the topic (weighted by rarity in the index) the clause
and its heading hold, the retrieval score, whether the clause reads like that type of
answer (``answer_types.toml`` cue), and a penalty for a clause about another place.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from bot.analysis import DOCUMENT_TYPES, Analysis, AnswerType
from bot.fit import fit, own_figures
from bot.planners import DocumentCatalog
from bot.vocab import load_words
from knowledge.chunking import Chunk, sentence_item
from knowledge.documents import DATE_LINE, DOC_NO, SELF_REF
from knowledge.index import KnowledgeBase
from knowledge.normalize import ASIDE

SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+条)")
# an item heading on its own line: "5.花卉基地建设。", "（三）资金保障", "二、旅游服务设施建设"
ITEM_HEAD = re.compile(
    r"^\s*(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)[^。；]{1,28}[。]?\s*$"
)
# a run-in heading: a short first sentence of a paragraph with no figure of its own ("1．关键技术。", "（三）加大金融支持。")
ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)")
# (a title, not a sentence: at most 10 characters, not opening as a clause does "对…", "凡…", "本办法…")
RUN_IN = re.compile(
    r"^(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)?\s*"
    r"(?![对在为凡本各经按])(?![^。]*给予)[^\d。；，,：:]{2,10}。$"
)
# an article's own title, its first sentence: up to 20 characters, no figure or clause break ("鼓励企业挂牌上市。")
# (not a rule in few words: "助保贷业务贷款期限最长不超过三年。" says a limit)
ARTICLE_TITLE = re.compile(
    r"^(?![对在为凡本各经按])(?![^。]*(?:给予|不超过|不得|应当|最长|最高|最多|不低于|不少于|以上|以下))[^\d。；，,：:]{2,20}。$"
)
MONEY = re.compile(r"\d[\d.,]*\s*(?:万元|亿元|千元|元|%|美元)|[一二三四五六七八九十百千两]+(?:万元|亿元)|百分之[一二三四五六七八九十百点]+")
LONG = 260
with open(Path(__file__).parent / "data" / "totals.toml", "rb") as _fh:
    _TOTALS = tomllib.load(_fh)
TOTAL_ASK = re.compile(_TOTALS["ask"], re.I)  # "这批一共多少套？"
TOTAL_GIVEN = re.compile(_TOTALS["given"])  # "本批次人才公寓共66套"
CAP_ASKED = re.compile(r"上限|封顶|限制|限额|有没有限|\bcap\b|\blimit", re.I)
# a document's statement of purpose ("为落实…，积极营造…环境，特制订本办法。", "为规范…管理工作，制定本细则"):
# it answers why the policy was made, nothing of what it gives, requires or aims at
PURPOSE = re.compile(
    r"^为[^。]{2,200}?(?:(?:特|现)?(?:制定|制订|出台)本|现(?:就|将)[^。]{0,30}(?:提出|通知)|结合[^。]{0,20}实际|先行设立|特制定|特制订)"
)
DEFINES_AFTER = re.compile(r"[”\"」]?\s*[，,]?\s*(?:是指|系指|指的是|包含|包括)")
DEFINES_BEFORE = re.compile(r"(?:所指|所称|所述)\s*[“\"「]?$")
CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
# an article's bracketed title: "第一条 【培育对象】已在税务部门登记为…", "【申报条件】…"
BRACKET_TITLE = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+条)?\s*【([^】]{2,16})】")
THRESHOLD_END = re.compile(r"\s*(?:及|或)?以[上下]")
FINE_AFTER = re.compile(r"\s*以上[^，。；,;]{0,12}?(?:以下)?\s*(?:的)?(?:罚款|罚金)")
FITTED = {"tier", "amount", "condition", "overview", "duration", "list"}  # answer types a tier that fits may answer
# materials asked ("要准备哪些材料", "带什么证件"), and a passage that lists them ("提供《…申请表》、身份证件…")
MATERIALS_ASKED = re.compile(r"材料|资料|证件|证明|准备什么|准备哪些|带什么|带哪些|documents?|materials?", re.I)
MATERIALS_GIVEN = re.compile(r"提供|提交|携带|材料|资料|复印件|原件|《[^》]{2,30}(?:表|书|证|证明)》")


def _extreme_groups() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in (Path(__file__).parent / "data" / "extremes.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group = tuple(dict.fromkeys(line.split()))
            for word in group:
                out.setdefault(word, group)
    return out


EXTREME_ALIKE = _extreme_groups()  # "最少" → ("最少", "最低", "至少", "不低于", "不少于")
EXTREME = re.compile("|".join(sorted(EXTREME_ALIKE, key=len, reverse=True)))
PURPOSE_ASKED = re.compile(r"目的|为什么|为何|宗旨|初衷|依据|根据什么|why|purpose", re.I)
CUE_DECIDES = {"agency", "stacking", "date", "duration", "effective", "validity", "issued", "docnumber", "definition"}


@dataclass(frozen=True)
class Clause:
    """A verbatim piece of a chunk that may answer a question."""

    text: str
    chunk: Chunk
    rank: int  # rank of its chunk in retrieval (0 best; docs scanned whole get a high rank)
    retrieval: float  # fused retrieval score of its chunk, 0..1
    label: str = ""  # the item heading it sits under
    article: str = ""  # 第X条 it belongs to
    position: int = 0  # order inside the chunk
    named: bool = False  # its document is named in the question
    lead: str = ""  # the list opening an item stands under ("申请认定见习基地的单位应具备以下条件：")
    opening: str = ""  # the first sentence of its paragraph, when it is not that ("我市城乡居民养老保险个人缴费实行…")


@dataclass
class Scored:
    clause: Clause
    score: float
    coverage: float  # share of the topic's weight the clause (with its heading) holds
    cue: bool
    details: dict[str, float] = field(default_factory=dict)


_CUT_CACHE: dict[tuple[str, str], list[Clause]] = {}


def _abbreviates(short: str, full: str) -> bool:
    """``short`` is ``full`` abbreviated: shorter, same first character, its characters in ``full`` in order."""
    if len(short) >= len(full) or short[:1] != full[:1]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


@lru_cache(maxsize=4096)
def _in_order(word: str) -> re.Pattern[str]:
    """A word's characters in order, a few apart ("辅具" → 辅.{0,4}具): how a text may spell out its abbreviation."""
    return re.compile(".{0,4}".join(map(re.escape, word)))


def _threshold(text: str, end: int) -> bool:
    """Whether the sum ending at ``end`` is a threshold met ("营业额200万元以上"), not a sum given or fined
    ("处一万元以上五万元以下罚款")."""
    return bool(THRESHOLD_END.match(text, end)) and not FINE_AFTER.match(text, end)


def _spelled_by(title: str, words: tuple[str, ...]) -> bool:
    """Whether the question's words spell a title out (all but one of its characters): "培育对象" by 培育, 对象."""
    covered = set()
    for w in words:
        i = title.find(w)
        if len(w) >= 2 and i >= 0:
            covered.update(range(i, i + len(w)))
    return len(covered) >= len(title) - 1


def cut(chunk: Chunk, rank: int, retrieval: float, *, named: bool = False, article: str = "", lead: str = "") -> list[Clause]:
    """A chunk's clauses in order, each with its item heading and article.

    ``article`` is the article the chunk opens inside (its first lines continue an article an
    earlier chunk began). A chunk is cut once (the cut depends on its text only); each call
    stamps the clauses with this retrieval's rank and score. ``lead`` is the list opening its first
    items stand under when an earlier chunk ends with it ("2.个人缴费费率：" before "（1）未满35周岁…").
    """
    key = (chunk.id, chunk.text, article, lead)
    base = _CUT_CACHE.get(key)
    if base is None:
        if len(_CUT_CACHE) >= 20000:
            _CUT_CACHE.clear()
        base = _CUT_CACHE[key] = _cut(chunk, article, lead)
    # the constructor, not dataclasses.replace: this runs for every clause of every passage read
    return [Clause(c.text, c.chunk, rank, retrieval, c.label, c.article, c.position, named, c.lead, c.opening) for c in base]


# what a condition question may ask of the applicant ("年龄", "学历"): bot/data/condition_measures.txt
CONDITION_MEASURES = load_words(Path(__file__).parent / "data" / "condition_measures.txt")
ANY_FIGURE = re.compile(r"\d|百分之[零一二三四五六七八九十百点]+|[一二三四五六七八九十百千两]+(?:万元|亿元|元|家|个|项)")
INLINE_LEAD = re.compile(r"^(.{4,80}?[：:])\s*[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]")


def _number_style(line: str) -> str:
    """How a line is numbered: "1." → "d.", "（一）" → "(c)", "一、" → "c、"; "" when it is not."""
    m = ITEM_NUMBER.match(line)
    if not m:
        return ""
    n = m.group(0).strip()
    return ("d" if n[-2:-1].isdigit() or n[:1].isdigit() else "c") + ("()" if n[0] in "（(" else n[-1])


def last_article(text: str) -> str:
    """The last article heading (第X条 at a line's start) in a text, or ""."""
    found = re.findall(r"(?m)^\s*(第[一二三四五六七八九十百零〇\d]+条)", text)
    return found[-1] if found else ""


def _cut(chunk: Chunk, article: str = "", lead: str = "") -> list[Clause]:
    rank, retrieval, named = 0, 0.0, False
    out: list[Clause] = []
    label = ""
    for m in re.finditer(r"(?<![第])(第[一二三四五六七八九十百零〇\d]+条)", " ".join(chunk.section[-1:])):
        article = m.group(1)
    pos = 0
    lines = [x.strip() for x in chunk.text.split("\n") if x.strip()]
    for i, s in enumerate(lines):
        a = ARTICLE.match(s)
        if a:
            article = a.group(1)
            label = ""
            lead = ""
        elif lead and not ITEM_NUMBER.match(s):
            lead = ""  # the list has ended
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        prev = lines[i - 1] if i else ""
        # "4.由单位法定代表人签字的《…承诺书》。" before "5.…", or "（四）…可以查封或者扣押。" after "（三）…": an item of
        # a list, not the heading of what follows
        style = _number_style(s)
        last = not nxt or bool(ARTICLE.match(nxt))  # nothing after it in its article for it to head
        in_run = style != "" and (_number_style(nxt) == style or (last and _number_style(prev) == style))
        if ITEM_HEAD.match(s) and len(s) <= 30 and not sentence_item(s) and not in_run:  # "一、新建…每亩补助1500元。" says it
            label = s.rstrip("。")
            continue
        sentences = [m.group(0).strip() for m in SENTENCE.finditer(s)]
        heads: list[str] = []  # run-in headings: "1．关键技术。突破关键前沿技术。聚焦…" labels what follows on its line
        while len(sentences) > 1 and len(heads) < 2:
            first = ARTICLE.sub("", sentences[0]).strip()  # "第六条　房租补贴。入园企业…": the article's own title
            numbered = first != sentences[0] or ITEM_NUMBER.match(first)
            titled = first != sentences[0] and ARTICLE_TITLE.match(first)  # "第10条鼓励企业标准创制和品牌建设。对…"
            if not (RUN_IN.match(first) or titled) or not (numbered if not heads else True):  # numbered, then one more at most
                break
            sentences.pop(0)
            heads.append(ITEM_NUMBER.sub("", first).rstrip("。").strip())
        here = "，".join(h for h in heads if h) or label
        for sent in sentences:
            if len(re.sub(r"\W", "", sent)) < 4:
                continue
            parts = [sent]
            if len(sent) > LONG:
                parts = [p for p in re.split(r"(?<=[；;])", sent) if len(p.strip()) >= 4]
            # "第十二条 见习单位不得有下列行为：（一）…；…；（四）…超过…30%。" on one line: the items stand under its opening
            inline = INLINE_LEAD.match(parts[0]) if len(parts) > 1 else None
            for k, part in enumerate(parts):
                under = ARTICLE.sub("", inline.group(1)).strip() if inline and k else lead
                # the paragraph's subject, read with the two sentences after its first (not across a whole table cell)
                opening = sentences[0] if sent is not sentences[0] and sent in sentences[1:3] else ""
                out.append(Clause(part.strip(), chunk, rank, retrieval, here, article, pos, named, under, opening))
                pos += 1
        if sentences and sentences[-1].endswith(("：", ":")):
            lead = ARTICLE.sub("", sentences[-1]).strip()  # the items on the next lines stand under it
    return [_with_list(c) if c.text.endswith(("：", ":")) else c for c in out]


def _with_list(intro: Clause, limit: int = 2 * LONG) -> Clause:
    """A clause that opens a list ("…按以下方法确定：") with the items that follow it in its chunk, verbatim."""
    text = intro.chunk.text
    start = text.find(intro.text)
    if start < 0:
        return intro
    base = end = start + len(intro.text)
    for m in re.finditer(r"\n[^\n]*", text[base:]):  # whole lines only: an item is never cut
        line = m.group(0).strip()
        if not line or ARTICLE.match(line) or base + m.end() - start > limit:
            break
        end = base + m.end()
    merged = text[start:end].strip()
    return replace(intro, text=merged) if len(merged) > len(intro.text) else intro


OTHER_DOCUMENTS = 3  # documents not among the top passages whose best passage is read too


class ClauseFinder:
    """The candidate clauses for an analysed question: retrieval plus, when asked, whole documents."""

    def __init__(self, kb: KnowledgeBase, catalog: DocumentCatalog, k: int = 10) -> None:
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        self.kb = kb
        self.catalog = catalog
        self.k = k

    def query_text(self, a: Analysis) -> str:
        if a.carried or a.route.lang == "en":
            same = [x for t in a.extra.get("equal", ()) for x in a.alternatives.get(t, ())]  # every rendering of an English phrase
            # a follow-up's own words say what is asked of the topic carried ("最长能领多久" of 失业金)
            own = a.route.question if a.carried and a.route.lang != "en" else ""
            return " ".join([a.topic_text, own, *a.route.regions, *a.topic, *same]).strip() or a.route.question
        return a.route.question

    def run(self, a: Analysis, region: str | None, keep: Callable[[Clause], bool] | None = None) -> list[Clause]:
        """Clauses of the passages retrieved; with ``keep``, also the kept clauses of the documents the question names."""
        only = a.extra.get("only") or a.extra.get("document")  # "document": the one a follow-up points back at
        named = [only] if only else self.catalog.named_in(a.route.question)
        k = self.k * 3 if named else self.k
        # a district's question also finds its city's and province's policies, which hold there too
        wide = k if named or only else 2 * k
        hits = self.kb.search(self.query_text(a), region=region, k=wide, dense_text=a.extra.get("dense_text"), inherit=True)
        if not only and not named:
            # one document's many short passages ("第十七条…可以申请在本市落户。") fill the top: the next documents'
            # best passages come in too (the older version of a rule says it with the figure asked)
            shown = {h.chunk.source for h in hits[:k]}
            others = [h for h in hits[k:] if h.chunk.source not in shown and not shown.add(h.chunk.source)]
            hits = hits[:k] + others[:OTHER_DOCUMENTS]
        if only:  # one document's answer (a comparison of documents): its passages alone
            hits = [h for h in hits if h.chunk.source == only][: self.k]
        elif named:  # a document the question names by its title: its passages first
            hits = [h for h in hits if h.chunk.source in named][: self.k] + [h for h in hits if h.chunk.source not in named][: self.k]
        top = max((h.score for h in hits), default=1.0) or 1.0
        out: list[Clause] = []
        for rank, hit in enumerate(hits):
            out.extend(
                cut(
                    hit.chunk,
                    rank,
                    max(0.0, hit.score / top),
                    named=hit.chunk.source in named,
                    article=self.opens_in(hit.chunk),
                    lead=self.lead_in(hit.chunk),
                )
            )
        got = {h.chunk.id for h in hits}
        for src, span, _quote in a.extra.get("after", ()):  # a follow-up: the passages the last answer quoted, and the rest of them
            for ch in self.kb.chunks_of(src):
                if ch.id not in got and ch.span[0] < span[1] and span[0] < ch.span[1]:
                    got.add(ch.id)
                    out.extend(cut(ch, 5, 0.5, article=self.opens_in(ch), lead=self.lead_in(ch)))
        if keep is not None or only:  # a named document's article that retrieval ranked low ("…条例2010年版对研发经费…")
            for src in named[:2]:
                out.extend(self.document(src, rank=3, named=True, keep=keep))
        return out

    def chunks_of(self, source: str) -> list[Chunk]:
        return self.kb.chunks_of(source)

    def neighbours(self, chunk: Chunk) -> tuple[list[Chunk], int]:
        """The chunks of ``chunk``'s document in order, and its place among them (-1 when it is not one of them)."""
        chunks = self.kb.chunks_of(chunk.source)
        i = chunk.ordinal
        return chunks, i if 0 <= i < len(chunks) and chunks[i].id == chunk.id else -1

    def opens_in(self, chunk: Chunk) -> str:
        """The article a chunk opens inside: the last one begun in the chunks before it (three at most)."""
        if ARTICLE.match(chunk.text):
            return ""
        chunks, i = self.neighbours(chunk)
        for prev in chunks[max(0, i - 3) : max(0, i)][::-1]:
            found = last_article(prev.text)
            if found:
                return found
        return ""

    def lead_in(self, chunk: Chunk) -> str:
        """The list opening a chunk's first items stand under when the chunk before it ends with it ("2.个人缴费费率：")."""
        first = chunk.text.lstrip().split("\n", 1)[0]
        if not ITEM_NUMBER.match(first):
            return ""
        chunks, i = self.neighbours(chunk)
        if i < 1:
            return ""
        last = chunks[i - 1].text.rstrip().rsplit("\n", 1)[-1].strip()
        return ARTICLE.sub("", last).strip() if last.endswith(("：", ":")) else ""

    def document(self, source: str, rank: int = 20, named: bool = False, keep: Callable[[Clause], bool] | None = None) -> list[Clause]:
        """Every clause of one document (for answers a document states once: its date of effect, validity).

        ``keep`` picks the clauses worth scoring (a cheap test before the full score).
        """
        out: list[Clause] = []
        for c in self.chunks_of(source):
            out.extend(x for x in cut(c, 0, 0.0, article=self.opens_in(c), lead=self.lead_in(c)) if keep is None or keep(x))
        return [replace(x, rank=rank, named=named) for x in out]


class ClauseScorer:
    """Ranks clauses for an analysed question."""

    def __init__(self, kb: KnowledgeBase, catalog: DocumentCatalog) -> None:
        self.kb = kb
        self.gaz = kb.gaz
        self.catalog = catalog

    def _title(self, source: str) -> str:
        doc = self.catalog.get(source)
        return doc.title if doc else ""

    def _is_policy(self, source: str) -> bool:
        doc = self.catalog.get(source)
        return bool(doc and doc.kind == "policy")

    def relevant(self, a: Analysis) -> Callable[[Clause], bool]:
        """A cheap test for a clause worth the full score: it reads like the answer type or holds a topic word."""
        cue = a.answer_type.cue
        words = [w for t in a.topic for w in (t, *a.alternatives.get(t, ()), t[:2] if len(t) >= 3 else t)]

        def test(c: Clause) -> bool:
            heads = " ".join(c.chunk.section[-2:])  # the headings the scorer reads as the clause's context
            return bool(cue and cue.search(c.text)) or any(w in c.text or w in c.label or w in heads for w in words)

        return test

    def weights(self, a: Analysis) -> dict[str, float]:
        own = a.extra.get("own", ())  # a follow-up's own words weigh three times the topic carried over
        loose = a.extra.get("loose", ())  # English words read through the dictionary weigh half
        profile = a.extra.get("profile", ())  # the asker's own situation ("大专毕业在…上班") weighs a quarter
        return {t: self.kb.idf(t) * (3.0 if t in own else 0.5 if t in loose else 0.25 if t in profile else 1.0) for t in a.topic}

    def coverage(
        self,
        text: str,
        weights: dict[str, float],
        alternatives: dict[str, tuple[str, ...]] | None = None,
        equal: frozenset[str] | tuple[str, ...] = (),
        shortened: dict[str, re.Pattern[str]] | None = None,
    ) -> float:
        """The share of the topic's weight ``text`` holds; ``equal`` terms' alternatives count in full.

        ``shortened``: words the documents hardly use, each with the pattern of its characters in order
        ("辅具" → 辅…具): a passage that spells it out ("辅助器具") holds most of it.
        """
        total = sum(weights.values())
        if not total:
            return 0.0
        got = 0.0
        alternatives = alternatives or {}
        low = text.lower()  # the tokenizer lowers Latin letters: "4a" is met by "4A 级"
        # a short aside inside a word does not hide it: "签订二年及以上劳动（聘用）合同" says 劳动合同
        bare = ASIDE.sub("", text) if "（" in text or "(" in text else text
        for t, w in weights.items():
            if t in text or t in low or t in bare:
                got += w
            elif any(x in text for x in alternatives.get(t, ())):  # the policy's wording for it, a looser match
                # an abbreviation's full form ("管委会" = 管理委员会: its characters in order) is the same word
                same = t in equal or any(x in text and _abbreviates(t, x) for x in alternatives.get(t, ()))
                got += (1.0 if same else 0.5) * w
            elif shortened and t in shortened and shortened[t].search(text):
                got += 0.6 * w
            elif len(t) >= 4 and t[:2] in text and t[2:] in text:
                got += 0.6 * w
            elif len(t) == 3 and t[:2] in text:
                got += 0.3 * w
        return got / total

    @staticmethod
    def _type_words(t: AnswerType, text: str) -> set[str]:
        """The words of ``text`` that name answer type ``t`` ("条件", "要什么")."""
        return {m.group(0) for m in t.drop.finditer(text.lower()) if m.group(0)} if t.drop is not None else set()

    def _asks_alike(self, t: AnswerType, mine: set[str], heading: str) -> bool:
        """An official Q&A's question asks what the user asks: both ask the answer's type in a word they share
        ("要什么条件" / "需要具备哪些基本条件": 条件), not merely the same type ("如何申报" asks a procedure)."""
        if not mine or not t.ask.search(heading.lower()):
            return False
        theirs = self._type_words(t, heading)
        return any(x in y or y in x for x in mine for y in theirs)

    def run(self, a: Analysis, clauses: list[Clause]) -> list[Scored]:
        weights = self.weights(a)
        equal = a.extra.get("equal", ())
        loose = a.extra.get("loose", ())
        if loose:  # an English word read through the dictionary that no passage found uses was read wrong ("press" → 报刊)
            absent = {t for t in loose if not any(w in c.text for c in clauses for w in (t, *a.alternatives.get(t, ())))}
            weights = {t: w for t, w in weights.items() if t not in absent} or weights
        cue = a.answer_type.cue
        # a short word the documents (hardly) use may be an abbreviation of one they do use ("辅具" of 辅助器具, "残联" of
        # 残疾人联合会): its characters in order, a few apart
        shortened = {t: _in_order(t) for t in weights if 2 <= len(t) <= 4 and CJK_WORD.fullmatch(t) and self.kb.rare(t)}
        here = set(self.gaz.expand(a.region)) | set(self.gaz.ancestors(a.region)) if a.region else set()
        total_asked = bool(TOTAL_ASK.search(a.route.question))
        purpose_asked = bool(PURPOSE_ASKED.search(a.route.question))
        asks_in = self._type_words(a.answer_type, a.route.question)  # the words asking the answer's type, read once
        cap_asked = bool(CAP_ASKED.search(a.route.question))  # "有上限吗": a limit answers as well as a sum given
        materials = a.kind in ("condition", "list") and bool(MATERIALS_ASKED.search(a.route.question))
        # the asker's own figures ("我奶奶今年78岁", "去年营收3亿"): the tier whose bounds hold them
        mine = own_figures(a.route.question) if a.kind in FITTED else ()
        if a.kind == "target":  # a bare "多少": only an age is surely the asker's own ("我今年38岁"), a sum may be the one asked
            mine = tuple(f for f in own_figures(a.route.question) if f.kind == "age")
        unit = a.extra.get("unit")
        unit_rx = re.compile(rf"[\d一二三四五六七八九十百千两]+\s*(?:多)?{re.escape(unit)}") if unit else None
        asked_measures = [w for w in a.topic if w in CONDITION_MEASURES]
        after = a.extra.get("after", ())  # a follow-up: the passages the last answer quoted
        extremes = EXTREME.findall(a.route.question)
        # a term the asker quotes or asks the meaning of ("“软件业”包括哪些"): the clause that defines it answers
        defined = [t for t in a.topic if len(t) >= 2 and (f"“{t}”" in a.route.question or f'"{t}"' in a.route.question)]
        if a.kind == "definition":
            defined = defined or [t for t in a.topic if len(t) >= 2]  # "最长能领多久": "领取期限最长为二十四个月" says the bound asked
        # tiers written as numbered items ("（1）未满35周岁…不缴费；（2）满35周岁至未满45周岁…0.02%"): the item that
        # holds the asker's figures where its siblings do not is the asker's tier, whatever words it repeats
        misfit = {(c.chunk.id, c.article) for c in clauses if ITEM_NUMBER.match(c.text) and fit(c.text, mine) < 0} if mine else set()
        out: list[Scored] = []
        seen: set[tuple[str, str]] = set()
        for c in clauses:
            key = (c.chunk.source, c.text)
            if key in seen:
                continue
            seen.add(key)
            # words of the question that name the document or section ("科技进步条例") are met by the
            # document; the clause itself must hold the rest
            has_cue = bool(cue and cue.search(c.text))
            # the paragraph's subject ("我市城乡居民养老保险个人缴费…") is read with a sentence that gives what is asked
            # ("从2022年起，每年最低标准为400元…"); a sentence that gives nothing asked gains nothing by it
            opening = c.opening if has_cue else ""
            context = " ".join(
                x for x in (c.label, c.lead, " ".join(c.chunk.section[-2:]), c.chunk.policy, self._title(c.chunk.source)) if x
            )
            alts = a.alternatives
            full = a.extra.get("full_forms", {})  # "自贸区" named by a title's 自由贸易试验区
            # an official Q&A's answer ("答：需要具备以下基本条件：…") is read with the question it answers
            asked = c.chunk.section[-1] if c.chunk.section and c.chunk.section[-1].endswith(("？", "?")) else ""
            text = f"{asked}\n{c.text}" if asked else c.text
            named = {t: w for t, w in weights.items() if (t in context or full.get(t, "\0") in context) and t not in text}
            rest = {t: w for t, w in weights.items() if t not in named}
            cov = self.coverage(text, rest, alts, equal, shortened) if rest else (1.0 if named else 0.0)
            total = sum(weights.values()) or 1.0
            opened = sum(w for t, w in rest.items() if opening and t in opening and t not in text)  # at half weight
            ctx = min(1.0, (sum(named.values()) + cov * sum(rest.values()) + 0.5 * opened) / total)
            # a word met by the section heading, not by the clause or its document's title ("审核" under "第二章 审核"):
            # of two clauses in that section, the one that says it first
            doc_words = f"{c.chunk.policy} {self._title(c.chunk.source)}"
            by_heading = sum(w for t, w in named.items() if t not in doc_words) / total
            s = 4.0 * cov + 3.0 * ctx - 0.5 * by_heading + 2.0 * c.retrieval - 0.12 * min(c.rank, 20)
            if has_cue:  # where the type is a kind of fact (a date, a time limit) its cue decides more
                s += 2.5 if a.kind in CUE_DECIDES else 1.5
            if c.named:
                s += 1.5
            if has_cue and a.kind in ("validity", "effective") and SELF_REF.search(c.text):
                s += 1.5  # "本办法…有效期5年": the document's own period, not a rating's ("评定结果有效期三年")
            if materials and MATERIALS_GIVEN.search(c.text):
                s += 1.0  # "要准备哪些材料": the passage that lists what to hand in
            titled = BRACKET_TITLE.match(c.text)
            if titled and _spelled_by(titled.group(1), a.topic):
                s += 1.5  # "【培育对象】…" is what "要满足什么条件才能成为培育对象" asks about, by its own title
            if a.kind == "condition" and any(w in c.text for w in asked_measures):  # "…学历、学位、年龄等条件"
                s += 1.0
            opened = a.answer_type.opens.search(c.text) if a.answer_type.opens else None
            if opened and opened.group(1) in a.route.question:  # the list of what is asked, not a mention of it
                s += 1.5
            if self._is_policy(c.chunk.source):  # the policy's own text before a report or news item retelling it
                s += 0.6
            # sums given, not thresholds met ("营业额200万元以上…"): a list of thresholds pays nothing
            # an opening quoted with its items ("补贴条件：\n（1）…") is weighed by what its opening line says
            said = c.text.split("\n", 1)[0] if "\n" in c.text and a.kind == "amount" and not cap_asked else c.text  # (a tier, a cap: all)
            money = sum(1 for m in MONEY.finditer(said) if not _threshold(said, m.end()))
            if a.kind in ("amount", "tier"):
                s += min(money, 3) * 0.6 if money else -1.5
                if money and not cap_asked and a.answer_type.figure is not None and a.answer_type.figure.search(c.text):
                    s += 1.0  # a sum given ("给予一次性最高20万元奖励"), not only a threshold met ("销售总额不低于100万元")
            if a.kind == "tier" and money >= 2:
                s += 1.0
            if mine:
                fits = fit(c.text, mine)
                # a sum asked: the tier that fits and pays ("…500万元以上的住宿业企业" under "…给予5万元奖励："),
                # not a list of thresholds met ("住宿和餐饮业年度营业额200万元以上，居民服务…500万元以上…")
                pays = a.kind not in ("amount", "tier") or money > 0 or not MONEY.search(c.text)
                s += (1.5 if pays else 0.0) if fits > 0 else -1.0 if fits < 0 else 0.0
                if fits > 0 and pays and ctx >= 0.25 and ITEM_NUMBER.match(c.text) and (c.chunk.id, c.article) in misfit:
                    s += 3.0
            if a.route.year and str(a.route.year) in c.text:
                s += 0.5
            if unit_rx is not None:  # "多少条措施", "几个场景": a clause without such a count answers another question
                counted = bool(unit_rx.search(c.text))
                s += 1.5 if counted else -1.0
                has_cue = has_cue or counted
            if total_asked and TOTAL_GIVEN.search(c.text):  # the total, before the items that add up to it
                s += 1.0
            if a.kind in ("target", "overview") and ANY_FIGURE.search(c.text):  # "百分之四以上" is a figure too
                s += 0.8
            if a.kind == "overview" and money:  # an overview leads with what the policy gives or aims at
                s += 0.6
            if len(c.text) < 12:
                s -= 1.0
            title = self._title(c.chunk.source)
            if len(title) >= 6 and title in c.text and len(c.text) - len(title) <= 30 and a.kind not in DOCUMENT_TYPES:
                s -= 2.0  # "关于印发《…》的通知", "现将《…》印发给你们": a line naming the document says nothing of it
            elif a.kind not in DOCUMENT_TYPES and (DOC_NO.fullmatch(c.text.strip("。 ")) or DATE_LINE.match(c.text.strip("。 "))):
                s -= 2.0  # its number ("渝府办发〔2025〕42号") or date on a line alone: of the document, no measure

            if after and any(
                src == c.chunk.source and sp[0] < c.chunk.span[1] and c.chunk.span[0] < sp[1] and c.text not in quote
                for src, sp, quote in after
            ):
                s += 2.0  # the rest of the passage the last answer quoted goes on with it
            if asked and a.kind != "overview" and self._asks_alike(a.answer_type, asks_in, asked):
                s += 2.5  # the official question asks what the user asks ("…需要具备哪些基本条件？")
            if defined and any(_defines(c.text, t) for t in defined):
                s += 2.5  # "本措施所指“软件业”，包含…", "本办法所称“企业助保金”是指…"
            if extremes and any(w in c.text for x in extremes for w in EXTREME_ALIKE[x]):
                s += 0.8
            if not purpose_asked and PURPOSE.match(c.text):
                s -= 2.5
            if c.text.endswith(("：", ":")):  # a list's opening whose items did not come with it answers nothing
                s -= 1.5
            out.append(Scored(c, s, ctx, has_cue, {"cov": cov, "ctx": ctx}))
        out.sort(key=lambda x: (-x.score, x.clause.rank, x.clause.position))
        if here:  # a clause about another place (a report section on several cities) is no answer here
            above = set(self.gaz.ancestors(a.region))
            for sc in out[:40]:
                c = sc.clause  # the places the clause names, else (less surely) those of its heading ("四、武汉发布…")
                if c.chunk.regions and set(c.chunk.regions) <= above:
                    sc.score -= 0.5  # the city's policy holds in its district; the district's own text first
                names = self.gaz.names_in(c.text)
                sure = bool(names)
                names = self.gaz.most_specific(names or self.gaz.names_in(" ".join((*c.chunk.section[-2:], c.label))))
                # the policy the passage is part of, by its title ("武汉市…实施方案" retold in a report): surest of all
                policy = [r for r in self.gaz.names_in(c.chunk.policy or "") if self.gaz.level(r) != "国家"]
                if policy and not any(r in here for r in policy):
                    sc.score -= 4.0
                elif any(r not in here and self.gaz.level(r) != "国家" for r in names):
                    sc.score -= 2.0 if sure else 1.0
                elif sure and a.region not in names and not any(self.gaz.contains(r, a.region) for r in names):
                    sc.score -= 1.0  # about a district of the place asked (宝山区 for 上海): the place's own text first
            out.sort(key=lambda x: (-x.score, x.clause.rank, x.clause.position))
        return out


def said_of(text: str, word: str, before: re.Pattern[str] | None, after: re.Pattern[str] | None, reach: int = 4) -> str:
    """At the first place ``word`` stands in ``text`` with ``before`` ending within ``reach`` characters before it
    or ``after`` reading right after it: the word with what follows it (empty: nowhere). One compiled pattern
    serves every word ("所称“X”是指", "X为3.45%"), none is compiled per question."""
    i = text.find(word)
    while i >= 0:
        m = after.match(text, i + len(word)) if after is not None else None
        if m:
            return word + m.group(0)
        if before is not None and before.search(text[max(0, i - reach) : i]):
            return word
        i = text.find(word, i + 1)
    return ""


def _defines(text: str, term: str) -> bool:
    """``text`` defines ``term``: "所称“X”是指…", "所指“X”，包含…", "X是指…"."""
    return bool(said_of(text, term, DEFINES_BEFORE, DEFINES_AFTER))

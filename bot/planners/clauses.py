"""The general planner: answer from the best clause of the documents, quoted whole.

Works on any policy text a user ingests. A direct sentence is written only where every slot
comes from one clause (a date of effect, a period of validity: "《…》自2018年1月1日起施行");
otherwise the clause is quoted whole, so conditions, bases and tiers stay with their figures.
Types that a document states once (effect, validity, definitions) are looked for in the best
documents whole; when none states it the answer says so (``found: false``). When two versions
of one policy are ingested, the answer comes from the one in force and names the other.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import cn2an

from bot.analysis import BOTH_VERSIONS, CHANGED, DOCUMENT_TYPES, WHEN, WHO, Analysis, document_years, load_answer_types
from bot.clauses import (
    ANY_FIGURE,
    ARTICLE,
    CONDITION_MEASURES,
    CUE_DECIDES,
    ITEM_NUMBER,
    LONG,
    Clause,
    ClauseFinder,
    ClauseScorer,
    Scored,
    cut,
    said_of,
)
from bot.compose import Claim, Composer, Quote, supported
from bot.coverage import place_name
from bot.english import figures_in_english
from bot.fit import number
from bot.planners import DocumentCatalog, Plan
from bot.vocab import load_words
from knowledge.chunking import H_SECTION, H_SUB, Chunk

# how a direct answer is read from a clause, per answer type (the phrase is quoted verbatim)
PHRASES = {
    "effective": re.compile(
        r"自\s*[\d〇零一二三四五六七八九十]{4}\s*年[\d一二三四五六七八九十]{1,3}月(?:[\d一二三四五六七八九十]{1,3}日)?起?(?:正式|开始)?(?:施行|实施|执行|生效|实行)"
        r"|自(?:印发|发布|公布|颁布|下发)之日起(?:施行|实施|执行|生效|实行)"
    ),
    "validity": re.compile(
        r"有效期(?!内|届满|满后)[^。；，,]{1,40}(?:[，,](?:至|到|截至)[^。；，,]{1,20})?|(?:实施|执行|政策)期限为?[^。；，,]{0,4}\d{4}\s*年[^。；，,]{0,30}"
        r"|暂定[一二三四五六七八九十两\d]{1,3}年|(?:执行|有效)至\d{4}年\d{1,2}月\d{1,2}日"
    ),
}
DATE = re.compile(r"(?:19|20)\d\d(?:\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?)?")  # a date or a year: no figure
ASKS = {t.name: t.ask for t in load_answer_types() if t.name in PHRASES}
PUBLISHED = re.compile(r"^.{0,40}?关于(?:印发|发布|转发)《?(.+?)》?的通知$")
# "新版和旧版…有什么变化": the versions side by side (answer_types.toml reads the rest of a version question)
OLD_VERSION = re.compile(r"旧版|老版|原来|以前|修订前|old version|previous version|19\d\d|20[01]\d")
# "装修补贴", "上市有奖励", "购房的补贴": a kind of support named just before the support word
SUPPORT_AFTER = r"(?:有|的|给|方面)?(?:多少|什么|哪些|啥|没有)?(?:补贴|奖励|资助|补助|贴息|奖金|补偿|支持)"
# no year echoed: only quoted figures are shown
YEAR_ASKED = {"target": ("所问年份的目标", "a target for the year asked"), "date": ("所问年份的日期", "a date for the year asked")}
SUPPORT_AFTER_RX = re.compile(SUPPORT_AFTER)
SUPPORT_WORD = re.compile(r"([\u4e00-\u9fff]{2,})(?:补贴|奖励|资助|补助|贴息|奖金|补偿)")
ISSUED_BY = re.compile(r"(?:发布|印发|发文|制定|颁布)(?:机构|单位|机关)|发布|印发|公布")  # "发布机构：经济发展局"
ARTICLE_ASKED = re.compile(r"(第[一二三四五六七八九十百零〇两\d]+条)")
PENALTY_ASKED = re.compile(r"罚|penalt|fine[sd]?\b", re.I)  # "整改不了会罚多少？", "what is the fine"
_SUM = r"(?:\d[\d.]*|[一二三四五六七八九十百千两]+)\s*(?:万元|元)"
FINE_GIVEN = re.compile(rf"{_SUM}[^。；;]{{0,20}}?(?:罚款|罚金)|罚款[^。；;]{{0,6}}{_SUM}")  # "处一千元以上五千元以下的罚款"
BREACH = re.compile(r"违反本(?:条例|办法|规定|细则|法|措施|规则)")  # "违反本条例第二十七条第二款规定的"
LONG_ARTICLE = 300  # an article quoted whole is cut after twice this many characters


def article_number(article: str) -> int | None:
    """第三十七条 / 第37条 → 37; None for no article."""
    m = re.fullmatch(r"第([一二三四五六七八九十百零〇两\d]+)条", article or "")
    if not m:
        return None
    word = m.group(1)
    if word.isdigit():
        return int(word)
    from cn2an import cn2an

    try:
        return int(cn2an(word.replace("〇", "零"), "smart"))
    except ValueError:
        return None


# a numbered line's short first sentence, what the item is: "一、支持首次住房公积金贷款“既提又贷”。缴存职工…"
ITEM_LEAD = re.compile(r"(?m)^\s*([一二三四五六七八九十]+、[^。；\n]{2,30}?)。")


def _item_number(heading: str) -> int:
    """1 for "一、…" or "（一）…", 12 for "十二、…"; 0 when it is not numbered so."""
    m = re.match(r"^[（(]?([一二三四五六七八九十]+)[、）)]", heading)
    if not m:
        return 0
    try:
        return int(cn2an.cn2an(m.group(1), "normal"))
    except ValueError:
        return 0


# the measure a figure question asks for, its subject before 是/为多少: "贷款利率是多少", "贴息比例为多少"
# a line of a table of categories: "6型保障对象：全日制大专学历毕业生、初级职称专业技术人才", "A类人才：…"
CATEGORY_LINE = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?"  # its own number, if any
    r"([^：:，,。；;]{0,8}?[\dA-Za-z一二三四五六七八九十]+\s*(?:型|类|档|层次|级)[^：:，,。；;]{0,6})[：:](.{4,})$"
)
STILL_VALID = re.compile(r"还有效|还适用|还能用|还管用|还算数|还生效|还执行|还在执行|还实行|失效|作废|废止|过期|still valid|still in force")
LIST_ASKED = re.compile(r"哪些|哪几|都有什么|有什么|都有啥|有啥|列一下|列出|列举|what (?:are|documents|materials)|which", re.I)
# a question on a cap ("有上限吗", "最多能招多少人") and a limit word before the figure it caps
LIMIT_ASKED = re.compile(r"上限|封顶|最多|限制|限额|不超过|cap\b|limit|at most", re.I)
LIMIT_FIGURE = (
    r"(?:不得超过|不超过|超过|不低于|不少于|不高于|高于|低于|少于|达到)[^。；;，,\d]{0,14}"
    r"(?:\d[\d.]*\s*(?:万元|亿元|元|万美元|美元|%|人|名|个|家|项|倍)|百分之[零一二三四五六七八九十百点]+)"
)
# a sentence that goes on with the one before it, and a bound the two may share (for definitions)
# after a topic word: a threshold ("投资30万元人民币以上") or, asked for a limit, a cap ("…人数超过…30%")
THRESHOLD_AFTER = re.compile(r"[^。；;，,\d]{0,3}\d[\d.]*\s*(?:万元|亿元|元|万美元|美元)[^。；;，,]{0,6}?(?:以上|以下)")
LIMIT_AFTER = re.compile(r"[^。；;，,]{0,16}?" + LIMIT_FIGURE)
# a measure asked by name ("税率", "贴息比例", "贷款额度"), and a figure stated of it
MEASURE_WORD = re.compile(r"(?:率|比例|额度|限额|标准)$")
FIGURE_OF = r"(?:百分之[一二三四五六七八九十百点零]+|\d[\d.]*\s*(?:%|％|倍|万元|亿元|元))"
FIGURE_THEN = re.compile(rf"\s*(?:为|是|按|按照|不超过|不低于|最高)?\s*{FIGURE_OF}")
FIGURE_BEFORE = re.compile(rf"{FIGURE_OF}\s*的?\s*$")
CONTINUES = re.compile(r"^(?:前款|上述|前述|其中|但|但是|超过|不满|除)")
BOUND = re.compile(r"[\d一二三四五六七八九十百]+(?:周岁|岁|年|个月|万元|亿元|%)")
HEAD_NUMBER = re.compile(  # a heading's number: "二、", "（一）", "1.", "第三章"
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d{1,2}[.．、]|第[一二三四五六七八九十百]+[章节部分])\s*"
)
# the opening of a list of cases or conditions ("有下列情形之一的，不得交易：", "应当具备以下条件："), not of parts
# ("个人账户基金由下列各项构成：")
CASES_OPENING = re.compile(r"(?:下列|以下|如下)(?:情形|行为|条件|情况|事项)")
ARTICLE_LINE = re.compile(ARTICLE.pattern, re.M)  # an article begins on this line
# a paragraph's run-in heading: its number and a short first sentence ("（四）大模型一体机。", "2.加快5G网络建设。")
RUN_IN_HEAD = re.compile(r"(?m)^\s*(" + ITEM_NUMBER.pattern.removeprefix(r"^\s*") + r"[^。；，,\n\d]{2,24}?)。")
UNDER_HEADING = 10  # a heading's items shown whole up to this many
_N = r"(?<![\d.])(?:\d{1,3}|[一二三四五六七八九十百两]+)\s*"
# a count asked in a unit ("多少个工作日", "几级") and how a passage gives one: (pattern, English, Chinese)
COUNT_GIVEN = {
    "天": (re.compile(_N + r"(?:个)?(?:工作日|日|天)"), "the number of days", "具体天数"),
    "个工作日": (re.compile(_N + r"(?:个)?(?:工作日|日|天)"), "the number of working days", "具体工作日数"),
    "工作日": (re.compile(_N + r"(?:个)?(?:工作日|日|天)"), "the number of working days", "具体工作日数"),
    "个月": (re.compile(_N + r"(?:个)?月"), "the number of months", "具体月数"),
    "级": (re.compile(_N + r"(?:个)?(?:级|等|档|星)"), "the number of grades", "具体等级数"),
}
ENUMERATED = 12  # a list's items ("（一）…" under "应当符合下列条件：") shown whole up to this many
ANSWER_SENTENCES = 2  # a question the text asks itself is quoted with this many sentences of its answer
MONEY_IN = re.compile(r"\d[\d.]*\s*(?:万元|亿元|元|%)")
# a figure that gives a sum, a share, a multiple or a number of months' pay ("标准按照…基础养老金标准的13个月确定");
# not a target's figure ("到2026年底，全市智算规模达17000PFLOPS")
SUM_LIKE = re.compile(r"\d[\d.]*\s*(?:万元|亿元|元|%|倍|个月)|百分之|[一二三四五六七八九十百千两]+(?:万元|亿元|元|倍|个月)")
TARGET_YEAR = re.compile(r"到\s*20\d\d\s*年")
# how a sentence that prices the support named just before it opens: "标准按照…的13个月确定", "其中…每人每次4元",
# "按实际投入的30%给予补助"; not a new point ("新一轮政策将奖补资金规模由每年2.5亿元提升到5亿元")
PRICES_IT = re.compile(r"(?:补助|补贴|奖励|资助|救助|发放|支付)?(?:标准|金额|额度|数额)|其中|按照?|每[人户年月次件]|最高|具体")
# what a passage read with its next sentence must name to be a support's sum: a support, a benefit, a fee
ANY_MONEY_WORD = re.compile(r"补贴|补助|奖励|资助|津贴|补助金|抚恤金|救助金|待遇|礼包|费用|标准")
# a numbered grade, band or class: "一级伤残", "第三档", "二类企业", "五星级"
ORDINAL = re.compile(r"(?<![\d一二三四五六七八九十])第?([一二三四五六七八九十]{1,3}|\d{1,2})\s*(级|档|类|星)")
# grades written as a span: "照护需求等级3-5级", "一至四级伤残"
_GRADE_NO = r"([一二三四五六七八九十]{1,3}|\d{1,2})"
ORDINAL_SPAN = re.compile(rf"{_GRADE_NO}\s*(?:-|－|—|~|～|至|到)\s*{_GRADE_NO}\s*(级|档|类|星)")
MEASURE_ASKED = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:具体|大概|一般|大约|现在|目前)?(?:是|为)多少")
NOT_KINDS = load_words(Path(__file__).parent.parent / "data" / "not_support_kinds.txt")
FOUND_COVERAGE = 0.4
ISSUE_VERBS = ("印发", "发布", "公布", "颁布", "通过", "批准")  # the act a date question names ("哪天印发的")
KEY_SHARE = 0.4  # a word this share of the topic's weight that the place's documents never use: the answer is "not mentioned"
WEAK_COVERAGE = 0.25
WHOLE_BELOW = 0.6  # passages found that hold less of the topic than this: their documents are read whole
NEAR_ONLY = {"amount", "target", "tier"}
with open(Path(__file__).parent.parent / "data" / "quantities.toml", "rb") as _fh:
    _Q = tomllib.load(_fh)
QUANTITY_TYPES = frozenset(_Q["types"])
QUANTITY_ASK = re.compile(_Q["ask"], re.I)  # "每个月发多少"
SHARE_ASK = re.compile(_Q["share_ask"], re.I)  # "费率是百分之多少"
SHARE_GIVEN = re.compile(_Q["share"])  # "0.15%", "百分之六十"
QUANTITY_WHAT = tuple(_Q["what"])
NOT_A_FIGURE = re.compile(r"第[\d一二三四五六七八九十百零〇]+[条款章节项]")  # "第9条" numbers an article, not a quantity
_D = tomllib.loads((Path(__file__).parent.parent / "data" / "definitions.toml").read_text(encoding="utf-8"))
DEFINITION_GATE = re.compile(_D["gate"])  # a question that may ask what a term means
DEFINES = tuple(re.compile(x) for x in _D["defines"])  # a text that defines a term, in order of trust
DEFINED_TYPES = frozenset({"definition", "list", "overview", "condition"})  # what "X包括哪些" may otherwise be read as
MORE = {"issued": 1, "condition": 3, "list": 5, "overview": 2, "tier": 2, "amount": 2, "target": 2, "article": 1, "date": 2, "version": 2}


class ClausePlanner:
    """Best clauses for the answer type, quoted with their document and article."""

    name = "clauses"

    def __init__(
        self,
        finder: ClauseFinder,
        scorer: ClauseScorer,
        catalog: DocumentCatalog,
        composer: Composer,
        coverage_line: Callable[[str], str] | None = None,
    ) -> None:
        self.coverage_line = coverage_line  # what the documents cover, for a refusal
        self._categories: dict[tuple[str | None, str], list[tuple[int, Clause, re.Match[str]]]] = {}
        self._types = load_answer_types()
        self._overview = next(t for t in self._types if t.name == "overview")
        self.finder = finder
        self.scorer = scorer
        self.catalog = catalog
        self.composer = composer

    def accepts(self, a: Analysis) -> bool:
        return True

    def rank(self, a: Analysis, region: str | None) -> list[Scored]:
        ranked = self._prefer(a, self.scorer.run(a, self.finder.run(a, region, keep=self.scorer.relevant(a))))
        if a.kind in NEAR_ONLY:
            self._by_category(a, ranked)
        ranked.sort(key=lambda x: -x.score)
        return ranked

    def _by_category(self, a: Analysis, ranked: list[Scored]) -> None:
        """A figure given per category ("5型保障对象1000元/月") holds what its category's line says of it
        ("5型保障对象：全日制本科学历毕业生"): "本科毕业生每月多少" is answered by the two together."""
        weights = self.scorer.weights(a)
        for s in ranked[:20]:
            if not MONEY_IN.search(s.clause.text):
                continue
            line = self._category(a, s.clause)
            if line is None:
                continue
            m = CATEGORY_LINE.match(line.text.rstrip("。；;"))
            joined = self.scorer.coverage(f"{s.clause.text} {m.group(2) if m else ''}", weights, a.alternatives)
            if joined > s.coverage:
                s.score += 4.0 * (joined - s.coverage)
                s.coverage = joined

    def _prefer(self, a: Analysis, ranked: list[Scored]) -> list[Scored]:
        """The document a follow-up goes on about, and the version of the year the question names, count more."""
        # a follow-up that names no place of its own ("那从受理到拨款要多久？") goes on about the last answer's document
        prefer = a.extra.get("source") if a.carried or a.route.followup else None
        years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", a.route.question)}
        of_document = document_years(a.route.question)
        versioned: dict[str, bool] = {}
        for s in ranked:
            src = s.clause.chunk.source
            if src == prefer:
                s.score += 1.0
            if years and self.catalog.year(src) in years:  # "2010年版": the version of that year, when there are several
                if src not in versioned:
                    versioned[src] = bool(self.catalog.versions(src)) or self.catalog.year(src) in of_document
                if versioned[src]:
                    s.score += 3.0 if self.catalog.year(src) in of_document else 1.5
        return ranked

    def run(self, a: Analysis, region: str | None) -> Plan | None:
        ranked = self.rank(a, region)
        if not ranked:
            return None
        whole = self._article_asked(a, ranked) or self._defined(a, ranked)
        if whole:
            return whole
        elsewhere = self._named_elsewhere(a, ranked[0])
        if elsewhere is not None:  # the document asked about says nothing of it: another place's rule is no answer
            return self._not_stated(replace(a, extra={**a.extra, "only": elsewhere}), [])
        missing = self._key_absent(a, region, ranked) or self._unmentioned(a, region, ranked[0].clause.chunk.source)
        if missing:  # "装修补贴": say which support no passage names, not every word of the question
            if region:
                where = place_name(self.catalog.kb.gaz, region, a.lang)
                lead = self.composer.render(
                    "out_of_scope", a.lang, reason="missing", region=where, what=missing, coverage=self._coverage(a)
                )
            else:
                title = self._showable(self.catalog.title_for(ranked[0].clause.chunk))
                lead = self.composer.render("not_stated", a.lang, title=title, what=missing, hint=False)
            return Plan([], found=False, lead=lead, intent=a.route.intent)
        changed = self._versions_changed(a, ranked)
        if changed:
            return changed
        t = a.answer_type
        whole_read = False
        read = ranked  # every passage read, the answering ones among them
        top_doc = self.catalog.get(ranked[0].clause.chunk.source)
        policy = bool(top_doc and top_doc.kind == "policy")  # a report on many places read whole brings the others'
        if policy and ranked[0].coverage < WHOLE_BELOW and not (t.strict or t.name in ("issued", "version")):
            # the passages found hold the topic only in part: the best documents may say it under a heading
            # ("（一）租金标准" → "富力大厦32.5元/平方米/月…"), read them whole
            ranked, whole_read = self._whole_documents(a, ranked), True
            read = ranked
        if t.strict or t.name in ("issued", "version"):
            ranked = self._whole_documents(a, ranked)
            if t.name == "docnumber":  # "《X》（国发〔2023〕16号）" is the number of a document it cites, not its own
                for s in ranked:
                    own = [m for m in t.cue.finditer(s.clause.text) if not re.search(r"》\s*[（(]$", s.clause.text[: m.start()][-3:])]
                    if s.cue and not own:
                        s.cue, s.score = False, s.score - 2.5
                ranked.sort(key=lambda x: -x.score)
            if t.name == "issued":  # the issuer the document names is as much an answer as its date
                who = bool(WHO.search(a.route.question))  # "谁发布的": the line that names it as the issuer first
                when = bool(WHEN.search(a.route.question))  # "哪天印发的": a date answers, the issuer's name does not
                verb = next((v for v in ISSUE_VERBS if v in a.route.question), "")
                for s in ranked:
                    if when and verb and s.cue and re.search(rf"日\s*{verb}|{verb}(?:日期|时间)?[：:]?\s*\d{{4}}", s.clause.text):
                        s.score += 1.5  # "2025年8月5日印发" answers "哪天印发的" before the date under the signature
                    doc = self.catalog.get(s.clause.chunk.source)
                    if doc and doc.issuer and doc.issuer in s.clause.text and (who or not when):
                        if not s.cue:
                            s.cue, s.score = True, s.score + 2.5
                        if who and ISSUED_BY.search(s.clause.text):
                            s.score += 2.5
                ranked.sort(key=lambda x: -x.score)
            # whether two supports combine is said once for the document ("按就高不重复原则"), whatever the words
            # of the asker's situation: any passage that says it answers
            loose = t.name in DOCUMENT_TYPES or t.name == "stacking"
            with_cue = [s for s in ranked if s.cue and (s.coverage >= WEAK_COVERAGE or not a.topic or loose)]
            if not with_cue:
                return self._not_stated(a, ranked)
            read, ranked = ranked, with_cue
        elif t.cue is not None and not whole_read and not any(s.cue for s in ranked[:3]):
            # the passages found speak of the topic but not of what is asked (a date, a time limit):
            # the best documents may say it elsewhere
            ranked = read = self._whole_documents(a, ranked)
        if t.name in CUE_DECIDES and not ranked[0].cue:
            # "申请截止到哪天": the passage that says what is asked ("五、申请时间" / "…8月22日") before those on the topic
            said = [s for s in ranked if s.cue and s.coverage >= WEAK_COVERAGE]
            ranked = said + [s for s in ranked if s not in said]
        best = ranked[0]
        if not self._answers(a, best, read):
            return None
        graded = self._grade_asked(a, best, read)
        if graded is None:  # "一级伤残…几个月" of a text whose table runs 五级 to 十级: it does not say
            return self._not_stated(a, ranked)
        if graded is not best:
            best = graded
            ranked = [best] + [s for s in ranked if s is not best]
        penalty = self._penalty_of(a, best)
        if penalty is not None:  # "不让导游讲解会罚多少": the article that punishes breaking the duty found
            best = penalty
            ranked = [best] + [s for s in ranked if s.clause.text != best.clause.text]
        unstated = self._measure_unstated(a, best) if t.name in NEAR_ONLY else ""
        if t.name == "condition":  # "要多大年龄以下" of a text that sets no age
            unstated = self._unstated_in(best, [w for w in a.topic if w in CONDITION_MEASURES], a)
        if unstated:  # "公积金贷款利率是多少" answered by a passage on loan limits, in a text that never names a rate
            return self._not_stated(a, ranked, what=unstated)
        count_rx = COUNT_GIVEN.get(a.extra.get("unit", ""))
        if count_rx is not None and t.name not in DOCUMENT_TYPES:
            # "多少个工作日能出结果", "分几级": a count in that unit, said by the best passage or one of its document
            # as near the topic; else the documents do not say it
            near = [s for s in read[:20] if s.clause.chunk.source == best.clause.chunk.source and s.coverage >= WEAK_COVERAGE]
            if not any(count_rx[0].search(s.clause.text) for s in (best, *near)):
                return self._not_stated(a, ranked, what=count_rx[1 if a.lang == "en" else 2])
        counted = a.extra.get("unit") not in (None, "元", "万元", "亿元")  # "最多能买几个", "支持多少个项目": a count, not a sum
        if t.figure is not None and t.figure_ask is not None and t.figure_ask.search(a.route.question.lower()) and not counted:
            # a threshold of what is asked: "在本市投资30万元人民币以上", "纳税均达1.5万元人民币以上"
            governs = [(w, THRESHOLD_AFTER) for w in a.topic if len(w) >= 2]
            if LIMIT_ASKED.search(a.route.question):
                # "接收见习人员有上限吗" → "当期接收见习人员人数超过本单位在职职工总人数的30%": a cap on what is asked
                governs += [(w, LIMIT_AFTER) for w in a.topic if len(w) >= 2]

            asked = [w for term in a.topic for w in (term, *a.alternatives.get(term, ())) if len(w) >= 2]
            # "按多少税率", "利率是多少", "贴息比例": a figure stated of the measure asked answers
            measures = [w for w in self.finder.kb.tokenizer.words(a.route.question) if len(w) >= 2 and MEASURE_WORD.search(w)]

            paid = bool(t.paid_ask and t.paid_ask.search(a.route.question))

            def gives(s: Scored) -> bool:
                text = s.clause.text
                if t.figure_not and t.figure_not.search(text):
                    return False
                # a support with a sum, or the threshold asked: "投资多少钱可以落户" → "在本市投资30万元人民币以上";
                # or a sum under a heading that names what is asked ("（一）租金标准" / "富力大厦32.5元/平方米/月")
                heading = " ".join((s.clause.label, *s.clause.chunk.section[-1:]))
                headed = any(w in heading for w in asked) and MONEY_IN.search(text)
                # an item under an opening that names the support ("…给予奖励和报酬：" / "（一）…提取不低于百分之七十的比例")
                opened = bool(s.clause.lead) and bool(t.figure.search(f"{s.clause.lead}{text}"))
                rated = any(_rated(text, w) for w in measures)  # "依法按照百分之十五的税率征收", "利率为3.45%"
                if paid and MONEY_IN.search(text):  # a sum the asker pays: "每年最低标准为400元"
                    return True
                return bool(t.figure.search(text)) or any(_followed(text, w, rx) for w, rx in governs) or bool(headed) or opened or rated

            def given_on(s: Scored, read: list[Scored]) -> Scored | None:
                """The passage with the sentence after it, when that one states the figure of the support the
                passage names ("…其遗属可以领取一次性丧葬补助金。" / "标准按照…基础养老金标准的13个月确定")."""
                nxt = self._next_of(s, read)
                text = nxt.clause.text if nxt is not None else ""
                if not (PRICES_IT.match(text) and SUM_LIKE.search(text)) or TARGET_YEAR.search(text):
                    return None
                merged = self._merged(s, nxt)
                return merged if merged is not s else None

            if not gives(best):  # "上市奖励多少": a passage with the sum, else say it is not stated
                merged = given_on(best, read)
                if merged is not None:
                    best = merged
                    ranked = [best] + [s for s in ranked if s.clause.text not in best.clause.text]
                else:
                    pool = self._whole_documents(a, ranked)
                    near = max(WEAK_COVERAGE, best.coverage - 0.25)
                    given = []
                    for s in pool[:30]:
                        # another document's figure answers only a passage as much about the topic as an answer must be
                        # ("灵活就业人员…社保补贴每月补多少" is not answered by a housing notice's "每户每月…200元")
                        other = s.clause.chunk.source != best.clause.chunk.source and s.coverage < FOUND_COVERAGE
                        if (s.coverage >= near and not other) or self._goes_on(best, s):
                            if gives(s):
                                given.append(s)
                            elif (m := given_on(s, pool)) is not None and ANY_MONEY_WORD.search(m.clause.text):
                                given.append(m)
                    if not given:
                        return self._not_stated(a, ranked, what=t.figure_what[1 if a.lang == "en" else 0])
                    ranked = given + [s for s in pool if s not in given]
                    best = ranked[0]
        if t.name in QUANTITY_TYPES and a.extra.get("unit") is None and QUANTITY_ASK.search(a.route.question):
            # "失业保险金每个月发多少": a passage that names it without a figure does not answer; one near it that
            # states a figure (a share, where a share is asked) does, else the documents do not say it
            share = bool(SHARE_ASK.search(a.route.question))

            def states(s: Scored) -> bool:
                text = NOT_A_FIGURE.sub("", DATE.sub("", s.clause.text))
                return bool(SHARE_GIVEN.search(text) or (not share and ANY_FIGURE.search(text)))

            if not states(best):
                near = max(WEAK_COVERAGE, best.coverage - 0.25)
                same = best.clause.chunk.source
                stated = [s for s in read[:20] if s.clause.chunk.source == same and s.coverage >= near and states(s)]
                if not stated:
                    return self._not_stated(a, ranked, what=QUANTITY_WHAT[1 if a.lang == "en" else 0])
                ranked = stated + [s for s in ranked if s not in stated]
                best = ranked[0]
        year = str(a.route.year or "")
        # (a date the asker tells, "2017年5月备案的", is their case, not the year asked)
        asked_year = bool(year) and (t.name != "date" or re.search(rf"{year}\s*年(?!\s*\d{{1,2}}\s*月)", a.route.question))
        if t.name in YEAR_ASKED and asked_year and not self._of_year(best, year):
            # "2030年的目标" where the document aims at 2025, "2025年度什么时候开始申报" of a 2017 guide: what is
            # said of another year is no answer
            dated = [s for s in ranked[:30] if self._of_year(s, year) and s.coverage >= WEAK_COVERAGE]  # of the topic, not any dated figure
            if not dated:
                return self._not_stated(a, ranked, what=YEAR_ASKED[t.name][a.lang == "en"])
            ranked = dated + [s for s in ranked if s not in dated]
            best = ranked[0]
        both = self._versions_asked(a, ranked)
        if both:
            return both
        ranked, tail = self._in_force(a, ranked)
        best = ranked[0]
        picks = [best]
        # an opening quoted with its items ("…不得有下列行为：\n（一）…"): the list is whole
        whole_list = "\n" in best.clause.text and best.clause.text.split("\n")[0].rstrip().endswith(("：", ":"))
        if t.name in ("list", "overview") and not whole_list and not re.search(r"\d", DATE.sub("", best.clause.text)):
            # a lead sentence with no figure: what it goes on to say ("…大会开幕。" → "16家企业签约落地…")
            c = best.clause
            after = {
                (s.clause.chunk.id, s.clause.position): s for s in ranked if (s.clause.label, s.clause.article) == (c.label, c.article)
            }
            for step in (1, 2, 3):
                nxt = after.get((c.chunk.id, c.position + step))
                if nxt is None:
                    break
                picks.append(nxt)
        if t.name == "definition":  # "…青年，其年龄在三十五周岁以下。超过三十五周岁不满四十五周岁的…参照适用": the rest of it
            nxt = self._next_of(best, read)
            if nxt is not None and self._continues(best.clause.text, nxt.clause.text):
                best = self._merged(best, nxt)
                picks = [best] if nxt.clause.text in best.clause.text else [best, nxt]
        opened = t.opens.search(best.clause.text) if t.opens else None
        # "应当符合下列条件：" with its items answers "要具备什么条件" whole: other passages that mention it add nothing
        complete = bool(opened and opened.group(1) in a.route.question and "\n" in best.clause.text) or whole_list
        for s in [] if complete else ranked[1:]:
            if len(picks) > MORE.get(t.name, 0):
                break
            if s.score < best.score * 0.7 or s.coverage < best.coverage * 0.6:
                continue
            if s.clause.chunk.source != best.clause.chunk.source and t.name not in ("list", "overview"):
                continue
            tied = (
                t.name == "amount"
                and s.coverage >= best.coverage
                and s.score >= best.score * 0.95
                and s.clause.article != best.clause.article
            )
            if t.name in NEAR_ONLY and s.clause.chunk.id != best.clause.chunk.id and not tied:
                # a figure's other tiers and conditions stand beside it, not elsewhere in the document; another
                # article as close as the best one is another support of what was asked ("见习补贴怎么算")
                continue
            if any(s.clause.text in p.clause.text or p.clause.text in s.clause.text for p in picks):
                continue
            if (t.strict or best.cue) and not s.cue:
                continue  # more of what was asked (another tier, another date), not more of the topic
            picks.append(s)
        for i in range(len(picks) - 1, -1, -1):  # a case the text asks ("…是否符合…这一条件？"): its answer follows it
            c = picks[i].clause
            if c.text.rstrip().endswith(("？", "?")):
                rest = [x for x in cut(c.chunk, c.rank, c.retrieval, article=c.article) if x.position > c.position]
                answer = []  # the answer's sentences, up to the next question ("答：…属于…。王女士…不属于…。")
                for x in sorted(rest, key=lambda x: x.position)[:ANSWER_SENTENCES]:
                    if x.text.rstrip().endswith(("？", "?")):
                        break
                    answer.append(x)
                known = {p.clause.text for p in picks}
                picks[i + 1 : i + 1] = [replace(picks[i], clause=x) for x in answer if x.text not in known]
        listed: list[Scored] = []
        if t.name in ("list", "condition") and LIST_ASKED.search(a.route.question) and not whole_list:
            picks = self._under_heading(a, best) or picks  # "基本材料要准备哪些": every item under "（一）基本材料"
        opens = best.clause.text.endswith(("：", ":"))  # an opening says nothing without its items
        # an item of a list of conditions ("（二）未经合法权利人授权同意的；" under "有下列情形之一的，不得交易："): the list whole
        item = (
            t.name in ("condition", "overview")
            and not a.carried
            and bool(CASES_OPENING.search(best.clause.lead))
            and bool(ITEM_NUMBER.match(best.clause.text))
        )
        if t.name == "list" or opens or item or (t.name == "condition" and LIST_ASKED.search(a.route.question)):
            listed = self._enumerated(a, best)  # "哪些情形必须终止": "有下列情形之一的，应当终止：" and every item, in order
            picks = listed or picks
        if (t.name == "list" or (t.name == "overview" and LIST_ASKED.search(a.route.question))) and not listed and best.clause.article:
            # "专项资金主要用在哪些地方": the article the best sentence belongs to holds the list ("…列入年度财政预算。
            # 重点用于…旅游项目贷款贴息…"): quoted whole when it is short, the other articles' passages after it
            src, art = best.clause.chunk.source, best.clause.article
            article = self._article_text(src, lambda c: c.article == art)
            opens_list = any(c.text.rstrip().endswith(("：", ":")) for c in article)  # its items are shown as a list
            if article and not opens_list and sum(len(c.text) for c in article) <= 2 * LONG_ARTICLE:
                whole = [Scored(c, best.score, best.coverage, best.cue) for c in article]
                picks = whole + [s for s in picks[1:] if s.clause.article != art or s.clause.chunk.source != src]
                best = whole[0]
        claims = [self.claim(a, s, direct=i == 0) for i, s in enumerate(picks)]
        if listed:  # the items under their opening, each quoted plainly: the title and article are said once
            claims[1:] = [self._plain(a, s.clause) for s in picks[1:]]
        parts = self._parts_named(a, best.clause.chunk.source) if t.name == "list" else []
        if parts:  # "建设内容有哪几大块": the headings under "二、建设内容" are the answer, no passage of one of them
            claims = []
        heads = parts or (self._sibling_headings(best.clause) if t.name == "list" else [])
        words = [w for term in a.topic for w in (term, *a.alternatives.get(term, ())) if len(w) >= 2]
        parent = " ".join(heads[0][1].section[:-1]) if heads else ""
        if heads and not parts and not any(w in parent for w in words):
            # the headings are the answer when the question is about what they stand under, or about what
            # they all share ("哪几类人有优惠": "一、对多孩家庭的优惠", "二、对高层次人才的优惠", …)
            heads = heads if all(any(w in h for w in words) for h, _ in heads) else []
        if heads:  # the document's numbered headings name them all, the passages follow
            title = self._showable(self.catalog.title_for(best.clause.chunk))
            quotes = [Quote(ch.source, title, ch.section_path, h, tuple(ch.span)) for h, ch in heads]
            claims.insert(0, Claim(self.composer.render("headings", a.lang, title=title, heads=[h for h, _ in heads]), quotes))
        for i, s in reversed(list(enumerate(picks))):  # a list's opening whose items are in the next passage
            items = self._items_after(s.clause) if s.clause.text.endswith(("：", ":")) else []
            if items:
                claims[i + 1 : i + 1] = [self._plain(a, c) for c in items]
        if t.name in NEAR_ONLY:  # "我是全日制博士…能拿多少": which of the categories named is theirs
            category = self._category(a, best.clause)
            if category is not None:
                text = self.composer.render("quote", a.lang, lead="", quote=category.text.rstrip("。；;"))
                claims.insert(1, Claim(text, [self._quote(category)]))
        if a.lang == "en":
            figures = [f for s in picks for f in figures_in_english(s.clause.text)]
            year = re.search(r"到(20\d\d)年", best.clause.text)
            if figures:
                claims.append(
                    Claim(
                        self.composer.render("figures", "en", figures=list(dict.fromkeys(figures))[:5], year=year.group(1) if year else ""),
                        [q for c in claims for q in c.quotes],
                    )
                )
        src = best.clause.chunk.source
        return Plan(claims, tail=tail, policy=self.catalog.title_for(best.clause.chunk), source=src)

    # ---------- choosing
    def _unmentioned(self, a: Analysis, region: str | None, source: str) -> str:
        """The kind of support asked about ("装修补贴", "上市有奖励吗") when no passage of the place names it.

        With no place asked, the document that answers best stands for it ("云锦园区对企业上市有奖励吗").
        """
        # a compound question's later clause ("…上市有奖励吗，多少钱") is read with the whole message
        asked = f"{a.route.question} {a.topic_text} {a.extra.get('dense_text', '')}"
        titles = [d.title for d in map(self.catalog.get, self.catalog.named_in(a.route.question)) if d]
        for t in a.topic:
            if t in a.extra.get("profile", ()):  # the asker's own situation is no kind of support
                continue
            if any(t in x for x in titles):  # "关于支持重点产业…的实施意见是哪天出的": the title's words, not a kind of support
                continue
            whole = SUPPORT_WORD.fullmatch(t)  # "购房补贴" as one word: its kind is "购房"
            kind = whole.group(1) if whole else t
            after = _followed(asked, t, SUPPORT_AFTER_RX)
            tok = self.finder.kb.tokenizer
            if len(kind) < 2 or not (whole or after) or kind in NOT_KINDS or not tok.known(kind):
                continue
            if tok.noun(kind) is False:  # "会不会给补助", "首台套之类的支持": a verb or particle names no kind of support
                continue
            if kind.startswith("每"):  # "每亩奖励多少": a rate asked (written "200元/亩"), not a kind of support
                continue
            words = (kind, *a.alternatives.get(t, ()), *a.alternatives.get(kind, ()))
            if region:
                hits = self.finder.kb.search(kind, region=region, k=10, fusion="bm25", inherit=True)  # lexical
                texts = [f"{h.chunk.section_path}\n{h.chunk.text}" for h in hits]  # a heading names it too
            else:
                texts = [f"{c.section_path}\n{c.text}" for c in self.finder.chunks_of(source)]
            if not any(w in x for x in texts for w in words):
                if whole or not after:
                    return t
                return t + re.sub(r"^(?:有|的|给|方面)?(?:多少|什么|哪些|啥|没有)?", "", after[len(t) :])
        return ""

    def _key_absent(self, a: Analysis, region: str | None, ranked: list[Scored]) -> str:
        """The question's weightiest word, when the documents of the place asked (or the best document) never use it.

        "海珠区对律师事务所有什么扶持政策": 律师 is most of what is asked and no 海珠 text says it, so the
        answer is that the documents do not mention it, not the nearest clause on 扶持政策.
        """
        if a.kind in DOCUMENT_TYPES or a.route.intent == "compare" or a.route.lang == "en" or a.carried:
            return ""  # asked of a document as a whole, of several, through the English lexicon, or carried over
        weights = self.scorer.weights(a)
        total = sum(weights.values())
        if not total or len(weights) < 2:
            return ""
        skip = set(a.extra.get("profile", ())) | set(a.extra.get("loose", ()))
        titles = " ".join(d.title for d in map(self.catalog.get, self.catalog.named_in(a.route.question)) if d)
        term, weight = max(weights.items(), key=lambda x: x[1])
        if weight < KEY_SHARE * total or term in skip or term in titles or len(term) < 2:
            return ""
        # a noun some document uses ("律师", "门槛"), or a word of the documents no dictionary holds ("营收");
        # never a verb or particle ("为了", "提到", "列为") nor a word no document uses (a filler, a typo)
        if self.finder.kb.idf_or_none(term) is None or self.finder.kb.tokenizer.noun(term) is False:
            return ""
        words = (term, *a.alternatives.get(term, ()))
        if re.search(r"[a-z]", term):  # the tokenizer lowers Latin letters: "4a" is written "4A"
            words += (term.upper(),)
        if len(term) >= 4:
            words += (term[:2],) if self.finder.kb.tokenizer.known(term[:2]) else ()
        if region:  # every passage holding it verbatim (the keyword index's postings), of a document placed there
            kb = self.finder.kb
            if any(self.catalog.passage_about(c, region) for w in words for c in kb.containing(w)):
                return ""
            texts = [f"{h.chunk.section_path}" for h in kb.search(term, region=region, k=10, fusion="bm25", inherit=True)]
        else:
            texts = [f"{c.section_path}\n{c.text}" for c in self.finder.chunks_of(ranked[0].clause.chunk.source)]
        if any(w in x for x in texts for w in words):
            return ""
        return term

    def _answers(self, a: Analysis, best: Scored, ranked: list[Scored]) -> bool:
        if a.extra.get("inherited") and a.answer_type.cue is not None and not best.cue:
            return False  # a district's "…工作室补贴" is not answered by a provincial passage that names no support
        if not a.topic:  # nothing asked but a kind of answer: only about a place or document the question names
            return (best.cue or best.clause.rank == 0) and (bool(a.route.regions) or best.clause.named)
        if best.coverage >= FOUND_COVERAGE or (best.clause.rank == 0 and best.coverage >= WEAK_COVERAGE):
            return True
        doc = max((s.coverage for s in ranked if s.clause.chunk.source == best.clause.chunk.source), default=0.0)
        if best.cue and a.kind in CUE_DECIDES and (doc >= WEAK_COVERAGE or (best.clause.named and a.kind in DOCUMENT_TYPES)):
            # a document's own date of effect, found by reading the document the question is about (or names) whole
            return True
        return best.coverage >= WEAK_COVERAGE and best.cue and best.clause.rank <= 2

    def _whole_documents(self, a: Analysis, ranked: list[Scored]) -> list[Scored]:
        """The clauses of the two best-matching documents, scored (a document states its date of effect once)."""
        sources: list[str] = []
        for s in ranked:
            if s.clause.chunk.source not in sources and (s.coverage >= WEAK_COVERAGE or not sources):
                sources.append(s.clause.chunk.source)
            if len(sources) >= 2:
                break
        pool = [s.clause for s in ranked]
        for src in sources:  # a document's clauses count as found where its best passage was
            best = next(s.clause for s in ranked if s.clause.chunk.source == src)
            pool.extend(self.finder.document(src, rank=best.rank, named=best.named, keep=self.scorer.relevant(a)))
        out = self._prefer(a, self.scorer.run(a, pool))
        order = {src: i for i, src in enumerate(sources)}
        for s in out:  # the best-matching document first, then the clause
            s.score -= 1.5 * order.get(s.clause.chunk.source, 2)
        out.sort(key=lambda x: -x.score)
        return out

    def _of_year(self, s: Scored, year: str) -> bool:
        """The clause, its heading or its document ("浙江省元宇宙产业发展2023年工作要点") names the year."""
        c = s.clause
        where = " ".join((c.text, c.label, *c.chunk.section, self.catalog.title_for(c.chunk)))
        return year in where or str(self.catalog.year(c.chunk.source)) == year

    def _versions_asked(self, a: Analysis, ranked: list[Scored]) -> Plan | None:
        """ "2010版和2024修订版施行日期分别是？": one answer from each version the question names by its year."""
        src = ranked[0].clause.chunk.source
        years = set(re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", a.route.question))
        if len(years) < 2 and BOTH_VERSIONS.search(a.route.question):  # "新版什么时候施行，老版当时是哪天"
            versions = self.catalog.versions(src)
            if versions:
                years = {str(self.catalog.year(d)) for d in (src, *(v.source for v in versions))}
        if len(years) < 2:
            return None
        # the versions of the best document, or (no version known) the documents found of the years named:
        # "常州户籍新旧两版规定（2014年和2019年）" names two texts of one subject by their years
        found = [s.clause.chunk.source for s in ranked[:30] if s.coverage >= WEAK_COVERAGE]
        docs = [src, *(v.source for v in self.catalog.versions(src)), *found]
        named = list(dict.fromkeys(d for d in docs if str(self.catalog.year(d)) in years))
        if len({self.catalog.year(d) for d in named}) < len(named):
            return None  # two documents of one year: no telling which the question means
        if len(named) < 2:
            return None
        claims = []
        for d in sorted(named, key=self.catalog.year):
            found = [s for s in self.scorer.run(a, self.finder.document(d)) if s.cue or not a.answer_type.cue]
            if found:
                claims.append(self.claim(a, found[0], direct=True))
        return Plan(claims, source=src) if claims else None

    def _article_asked(self, a: Analysis, ranked: list[Scored]) -> Plan | None:
        """ "第三十七条讲的啥": that article of the document asked about, quoted whole."""
        m = ARTICLE_ASKED.search(a.route.question)
        want = article_number(m.group(1)) if m else None
        if want is None:
            return None
        named = self.catalog.named_in(a.route.question)
        sources = list(dict.fromkeys([*named, *(s.clause.chunk.source for s in ranked[:20])]))
        for src in sources[:4]:
            parts = self._article_text(src, lambda c: article_number(c.article) == want)
            cut_short = [replace(c, text=c.text[: 2 * LONG_ARTICLE].strip()) for c in parts]
            claims = [self.claim(a, Scored(c, 0.0, 1.0, True), direct=False) for c in cut_short]
            if claims:
                return Plan(claims[:2], source=src, policy=self.catalog.title_for(parts[0].chunk))
        return None

    def _penalty_of(self, a: Analysis, best: Scored) -> Scored | None:
        """A fine asked of a duty ("景区不得阻碍随团导游的讲解", 第二十七条): the article of its document that
        punishes breaking it ("违反本条例第二十七条第二款规定的，…处一千元以上五千元以下的罚款"), when it states the sum."""
        want = article_number(best.clause.article) if best.clause.article else None
        if want is None or not PENALTY_ASKED.search(a.route.question) or FINE_GIVEN.search(best.clause.text):
            return None
        for c in self.finder.document(best.clause.chunk.source):
            if c.article == best.clause.article or not BREACH.search(c.text):
                continue
            if any(article_number(m) == want for m in ARTICLE_ASKED.findall(c.text)):
                if FINE_GIVEN.search(c.text):
                    return Scored(c, best.score, best.coverage, True)
        return None

    def _article_text(self, src: str, of: Callable[[Clause], bool]) -> list[Clause]:
        """An article of a document whole, verbatim: one clause per chunk it spans."""
        parts = [c for c in self.finder.document(src) if c.article and of(c)]
        out = []
        for chunk_id in dict.fromkeys(c.chunk.id for c in parts):
            mine = [c for c in parts if c.chunk.id == chunk_id]
            text = mine[0].chunk.text
            start = text.find(mine[0].text)
            end = text.find(mine[-1].text, start) + len(mine[-1].text)
            if start >= 0 and end > start:
                out.append(replace(mine[0], text=text[start:end].strip()))
        return out

    def _defined(self, a: Analysis, ranked: list[Scored]) -> Plan | None:
        """ "旅游经营者都包括哪些？": the sentence by which the document asked about defines that very term
        ("本条例所称旅游经营者，是指旅行社、…"), before passages that only use it."""
        q = a.route.question
        if a.answer_type.name not in DEFINED_TYPES or a.carried or not DEFINITION_GATE.search(q):
            return None
        only = a.extra.get("only") or a.extra.get("document")
        near = list(a.route.regions)  # a question about one place is not answered by another place's definition
        sources = (
            [only]
            if only
            else list(
                dict.fromkeys(
                    s.clause.chunk.source
                    for s in ranked
                    if s.coverage >= WEAK_COVERAGE and (not near or self.catalog.placed_near(s.clause.chunk.source, near))
                )
            )[:2]
        )
        found: list[tuple[int, int, int, Clause]] = []
        texts = {src: self.finder.document(src, named=bool(only)) for src in sources}  # each document read once
        for order, src in enumerate(sources):
            for c in texts[src]:
                for trust, rx in enumerate(DEFINES):
                    for m in rx.finditer(c.text):
                        term = m.group("term")
                        if term in q and _asks_meaning(q, term):
                            # the line that defines it, of an opening quoted with its items ("下列用语的含义：\n（一）…")
                            start = c.text.rfind("\n", 0, m.start("term")) + 1
                            end = c.text.find("\n", m.end("term"))
                            line = c.text[start : end if end >= 0 else None].strip()
                            found.append((order, trust, -len(term), replace(c, text=line) if line != c.text else c))
        if not found:
            return None
        c = min(found, key=lambda x: x[:3])[3]
        best = Scored(c, 1.0, 1.0, True)
        clauses = [Scored(x, 0.0, 0.0, False) for x in texts[c.chunk.source]]
        nxt = self._next_of(best, clauses)  # "…青年，其年龄在三十五周岁以下。超过…的，参照适用": the rest of it
        if nxt is not None and self._continues(c.text, nxt.clause.text):
            best = self._merged(best, nxt)
        listed = self._enumerated(a, best) if best.clause.text.endswith(("：", ":")) else []
        claims = [self.claim(a, best, direct=True)]
        claims += [self._plain(a, s.clause) for s in listed[1:]]
        return Plan(claims, source=c.chunk.source, policy=self.catalog.title_for(c.chunk))

    def _versions_changed(self, a: Analysis, ranked: list[Scored]) -> Plan | None:
        """ "新版和旧版研发经费比例有什么变化": the best clause on the topic from each version, the one in force first."""
        src = ranked[0].clause.chunk.source
        docs = self.catalog.newest_first([src, *(v.source for v in self.catalog.versions(src))])
        if len(docs) < 2 or not self.catalog.in_order(docs[0], docs[-1]):
            return None  # one version, or no telling which is in force
        title = self.catalog.title_for(ranked[0].clause.chunk)
        if STILL_VALID.search(a.route.question) and not self.catalog.repeals(docs[0], docs[1]):
            # "2009年的…条例还有效吗" of a revised text (its repeal sentence, where it has one, answers instead):
            # each version's date of effect says so
            years = set(re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", a.route.question))
            if OLD_VERSION.search(a.route.question) and not any(str(self.catalog.year(d)) == y for d in docs[:1] for y in years):
                return self._version_dates(a, docs)
            return None
        if not CHANGED.search(a.route.question) or not a.topic:
            return None
        if all(t in title for t in a.topic):  # "新版和旧版有什么区别": no provision named, each version's date of effect
            return self._version_dates(a, docs)
        # the topic in each version, not a clause on repeals; the words of the title ("科技进步条例") name the
        # document, not what is compared in it
        own = tuple(w for w in a.topic if not any(f in title for f in (w, *a.alternatives.get(w, ()))))
        plain = replace(a, answer_type=self._overview, topic=own or a.topic)
        claims = []
        for i, d in enumerate(docs[:2]):
            found = self.scorer.run(plain, self.finder.document(d))
            if not found or found[0].coverage < WEAK_COVERAGE:
                continue
            claim = self.claim(a, found[0], direct=False)
            label = self.composer.render("version_label", a.lang, current=i == 0)
            claims.append(Claim(label + claim.text, claim.quotes))
        return Plan(claims, source=docs[0]) if len(claims) == 2 else None

    def _version_dates(self, a: Analysis, docs: list[str]) -> Plan | None:
        """The version in force and the one before it, each by its date of effect, and the note that one replaced
        the other."""
        effective = next(t for t in self._types if t.name == "effective")
        claims = []
        for i, d in enumerate(docs[:2]):
            found = [x for x in self.scorer.run(replace(a, answer_type=effective), self.finder.document(d)) if x.cue]
            if not found:
                return None
            claim = self.claim(replace(a, answer_type=effective), found[0], direct=True)
            claims.append(Claim(self.composer.render("version_label", a.lang, current=i == 0) + claim.text, claim.quotes))
        doc = self.catalog.get(docs[0])
        tail = self.composer.render("superseded", a.lang, title=self._shown(doc.title) if doc and doc.title else "")
        return Plan(claims, tail=tail, source=docs[0])

    def _in_force(self, a: Analysis, ranked: list[Scored]) -> tuple[list[Scored], str]:
        """Answer from the version in force when several versions of the policy are ingested; the note names it."""
        src = ranked[0].clause.chunk.source
        versions = self.catalog.versions(src)
        if not versions:
            return ranked, ""
        order = self.catalog.newest_first([src, *(v.source for v in versions)])
        newest = order[0]
        doc = self.catalog.get(newest)
        current = self._shown(doc.title) if doc and doc.title else ""
        years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", a.route.question)}

        def said(source: str, share: float = 0.8) -> list[Scored]:
            found = [s for s in self.scorer.run(a, self.finder.document(source)) if not a.answer_type.strict or s.cue]
            return found if found and found[0].coverage >= ranked[0].coverage * share else []

        old_asked = OLD_VERSION.search(a.route.question) and a.kind != "version"  # "以前的…还有效吗" asks the new one
        if old_asked or (self.catalog.year(src) in years and newest != src):
            # the old version asked for ("旧版", "2020年那版"): answered from it, and said so
            if newest != src:  # the old version's own best clause, read whole (the search found part of it)
                whole = said(src, 1.0)
                return whole or ranked, self.composer.render("old_version", a.lang, title=current)
            # asked by name, the old version answers even where the question's words are the new one's title's
            older = said(order[1], 0.6) if not years and self.catalog.in_order(newest, order[1]) else []
            return (older, self.composer.render("old_version", a.lang, title=current)) if older else (ranked, "")
        if newest == src:
            return ranked, self.composer.render("superseded", a.lang, title=current)
        again = said(newest, 0.6)  # the version in force, unless it says far less of the topic
        if again:  # the version in force says it as well
            return again, self.composer.render("superseded", a.lang, title=current)
        return ranked, self.composer.render("old_version", a.lang, title=current)

    # ---------- wording
    @staticmethod
    def _shown(title: str) -> str:
        """A title as a note names it: "关于印发《X》的通知" as X, without a dated note; "" if a figure is left in it
        (a note quotes nothing, so it may hold no number)."""
        shown = re.sub(r"[（(][^）)]*\d[^）)]*[）)]", "", PUBLISHED.sub(r"\1", title))
        return "" if re.search(r"\d", shown) else shown

    def lead(self, a: Analysis, s: Scored, bare: bool = False) -> tuple[str, str]:
        """The lead naming where the clause stands (《title》第X条; ``bare``: 《title》 alone) and the title shown in
        the citation."""
        c = s.clause
        title = self.catalog.title_for(c.chunk)
        if title:
            shown = PUBLISHED.sub(r"\1", title)  # "关于印发《X》的通知" is shown as X
            if re.search(r"\d", shown):  # a year in a title is shown in the citation, not repeated as an uncited figure
                shown = re.sub(r"[（(][^）)]*\d[^）)]*[）)]", "", shown)
            cited = supported(shown, [c.text])  # a number in the lead must be in the quote, as the composer reads it
            name = f"《{shown}》" if shown and cited else self._place_of(c, a.lang)
            doc = self.catalog.get(c.chunk.source)
            if name and not name.startswith("《") and doc and any(r in name for r in doc.regions):
                name = f"{name}的文件" if a.lang != "en" else f"The {name} document"  # the document's own place
        else:  # no title fit to show: name the document's place, cite the file
            title = re.sub(r"\.[A-Za-z0-9]+$", "", c.chunk.source.rsplit("/", 1)[-1])
            doc = self.catalog.get(c.chunk.source)
            gaz = self.catalog.kb.gaz
            places = gaz.most_specific([r for r in (doc.regions if doc else []) if gaz.level(r) not in ("国家", "")])
            name = (f"{places[0]}的文件" if a.lang != "en" else f"The {places[0]} document") if places else ""
        where = c.article if c.article and not c.text.startswith(c.article) and not bare else ""
        label = re.sub(r"^\s*(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)", "", c.label).strip()
        if label and not re.search(r"\d", label) and not where and not bare:
            where = f"（{label}）" if a.lang != "en" else f" ({label})"
        heading = c.chunk.section[-1] if c.chunk.section else ""
        if not c.label and not bare and ITEM_NUMBER.match(c.text) and ITEM_NUMBER.match(heading) and len(heading) <= 24:
            # a numbered item under a numbered heading ("2.个人缴费费率：" / "（2）满35周岁…为0.02%"): the heading says of what
            item = ITEM_NUMBER.sub("", heading).strip().rstrip("：:。")
            if item and not re.search(r"\d", item):
                where += f"（{item}）" if a.lang != "en" else f" ({item})"
        if a.lang == "en":
            return f"{name} {where.strip()}".strip(), title
        return f"{name}{where}", title

    def _place_of(self, c: Clause, lang: str) -> str:
        """The one place a clause (or the heading it stands under) speaks of, to name when its title cannot be shown."""
        gaz = self.catalog.kb.gaz
        names = gaz.names_in(c.text) or gaz.names_in(" ".join((*c.chunk.section[-2:], c.label)))
        if not names:  # the clause names no place: the document's own, when it has one
            doc = self.catalog.get(c.chunk.source)
            names = list(doc.regions) if doc else []
        names = gaz.most_specific([n for n in names if gaz.level(n) != "国家"])
        if len(names) != 1 or re.search(r"\d", names[0]):
            return ""
        return place_name(gaz, names[0], lang)

    def _items_after(self, intro: Clause, limit: int = 8) -> list[Clause]:
        """The items of a list whose opening (or an item) ends its passage: the numbered lines the next passage starts with."""
        chunks, i = self.finder.neighbours(intro.chunk)
        if not (0 <= i < len(chunks) - 1) or not intro.chunk.text.rstrip().endswith(intro.text[-20:]):
            return []
        items: list[Clause] = []
        for c in cut(chunks[i + 1], 0, 0.0):
            if not ITEM_NUMBER.match(c.text) or len(items) >= limit:
                break
            items.append(c)
        return items

    def _category(self, a: Analysis, c: Clause) -> Clause | None:
        """The line of the answering document's table of categories that names the asker's own situation, when
        the answer gives a figure per category ("…3型保障对象50万元…" and "3型保障对象：…全日制博士研究生…").

        Of two such tables (one per attachment), the one nearest before the answer."""
        profile = a.extra.get("profile", ()) or tuple(w for w in a.topic if w not in c.text)
        if not profile:
            return None
        best: tuple[float, int, Clause] | None = None
        for ordinal, line, m in self._category_lines(c.chunk.source):
            if ordinal > c.chunk.ordinal:
                break
            if m.group(1).strip() not in c.text:
                continue
            held = sum(self.scorer.kb.idf(w) for w in profile if w in m.group(2) or (len(w) >= 3 and w[:2] in m.group(2)))
            if held and (best is None or (held, ordinal) >= best[:2]):
                best = (held, ordinal, line)
        return best[2] if best else None

    def _category_lines(self, source: str) -> list[tuple[int, Clause, re.Match[str]]]:
        """A document's lines of a table of categories, in order, read once per index generation."""
        key = (self.finder.kb.generation, source)
        found = self._categories.get(key)
        if found is None:
            found = []
            for ch in self.finder.chunks_of(source):
                for line in cut(ch, 0, 0.0):
                    m = CATEGORY_LINE.match(line.text.rstrip("。；;"))
                    if m:
                        found.append((ch.ordinal, line, m))
            if len(self._categories) > 512:
                self._categories.clear()
            self._categories[key] = found
        return found

    def _plain(self, a: Analysis, c: Clause) -> Claim:
        """A clause quoted plainly, with no title or article before it (an item under an opening already named)."""
        return Claim(self.composer.render("quote", a.lang, lead="", quote=c.text.rstrip("。；;")), [self._quote(c)])

    def _quote(self, c: Clause) -> Quote:
        return Quote(c.chunk.source, self.catalog.title_for(c.chunk), c.chunk.section_path, c.text, tuple(c.chunk.span))

    def claim(self, a: Analysis, s: Scored, *, direct: bool) -> Claim:
        c = s.clause
        lead, title = self.lead(a, s)
        quote = Quote(c.chunk.source, title, c.chunk.section_path, c.text, tuple(c.chunk.span))
        opening = self._opening(c)
        if opening is not None and not (direct and a.kind in PHRASES):
            # an item with the list opening it stands under ("见习单位不得有下列行为：…（四）…超过…30%")
            quote = replace(quote, quote=opening)
            text = self.composer.render("quote", a.lang, lead=lead, quote=opening.rstrip("。；;"))
            return Claim(text, [quote])
        phrases = []  # "啥时候施行，有效期到哪天": each direct phrase the question asks for, from this one clause
        if direct and a.kind in PHRASES:
            asked = a.route.question.lower()
            found: list[tuple[int, str]] = []
            for name, rx in PHRASES.items():
                # a period of validity is read from when it starts ("自印发之日起施行，有效期三年")
                wanted = name == a.kind or ASKS[name].search(asked) or (a.kind == "validity" and name == "effective")
                m = rx.search(c.text) if wanted else None
                if m:
                    found.append((m.start(), m.group(0)))
            phrases = [x for _, x in sorted(found)]
        if phrases and lead:
            # the phrase says it of the document: "《…》自印发之日起施行，有效期三年", not "《…》第二十条有效期三年"
            name = self.lead(a, s, bare=True)[0] or lead
            text = self.composer.render("direct", a.lang, lead=name, phrase="，".join(phrases))
        else:
            text = self.composer.render("quote", a.lang, lead=lead, quote=c.text.rstrip("。；;"))
        return Claim(text, [quote])

    @staticmethod
    def _opening(c: Clause, limit: int = 240) -> str | None:
        """The verbatim run from the list opening an item stands under through the item, when it is one short line."""
        if not c.lead or c.lead in c.text:
            return None
        text = c.chunk.text
        i = text.find(c.lead)
        j = text.find(c.text, i + len(c.lead)) if i >= 0 else -1
        if j < 0 or j + len(c.text) - i > limit or "\n" in text[i:j]:
            return None
        return text[i : j + len(c.text)]

    def _measure_unstated(self, a: Analysis, best: Scored) -> str:
        """The measure a figure question asks for ("利率是多少") when the answering document never
        names it, nor any of its other wordings; empty when it does, or when the measure is a general one
        ("补贴标准", "额度", "比例": not_support_kinds.txt)."""
        m = MEASURE_ASKED.search(a.route.question)
        if not m:
            return ""
        words = [w for w in self.finder.kb.tokenizer.words(m.group(1)) if w in a.topic]
        word = words[-1] if words else ""  # a topic word the copula asks about: "利率是多少", not "提到多少"
        if len(word) < 2 or word in NOT_KINDS or word in a.route.regions or not self.finder.kb.tokenizer.known(word):
            return ""
        if any(t.name != "overview" and t.ask.search(word) for t in self._types):
            return ""  # "目标是多少", "补贴是多少": what the kind of answer asks, worded many ways
        return self._unstated_in(best, [word], a)

    def _unstated_in(self, best: Scored, words: list[str], a: Analysis) -> str:
        """The first of the words that the answering document never names, in any of its wordings ("" if none)."""
        if not words:
            return ""
        doc = self.catalog.get(best.clause.chunk.source)
        chunks = self.finder.chunks_of(best.clause.chunk.source)
        text = " ".join([doc.title if doc else "", *(c.text for c in chunks), *(h for c in chunks for h in c.section)])
        for word in words:
            if not any(f in text for f in (word, *a.alternatives.get(word, ()))):
                return word
        return ""

    def _sibling_headings(self, c: Clause) -> list[tuple[str, Chunk]]:
        """What a list question's answer names one by one: the numbered headings beside the one a clause stands
        under ("一、对多孩家庭的优惠", "二、对高层次人才的优惠", …), or under an opening passage, or else the
        short first sentences of the numbered lines around it ("一、支持首次住房公积金贷款“既提又贷”。…");
        in document order, each with its passage; none unless there are 2 to 12."""
        chunks = self.finder.chunks_of(c.chunk.source)
        section = c.chunk.section
        numbered = (H_SECTION, H_SUB)
        style = next((rx for rx in numbered if section and rx.match(section[-1])), None)
        parent = section[:-1] if style else None
        if style is None:  # an opening passage: the numbered headings that follow it
            first = next((ch for ch in chunks if ch.section and any(rx.match(ch.section[-1]) for rx in numbered)), None)
            if first is not None and first.ordinal > c.chunk.ordinal:
                parent = first.section[:-1]
                style = next(rx for rx in numbered if rx.match(first.section[-1]))
        found: dict[str, Chunk] = {}
        if style is not None:
            for ch in chunks:
                if ch.section and ch.section[:-1] == parent and style.match(ch.section[-1]):
                    found.setdefault(ch.section[-1], ch)
        if len(found) < 2:
            found = {}
            for ch in chunks:
                if ch.section == section:
                    for m in ITEM_LEAD.finditer(ch.text):
                        found.setdefault(m.group(1), ch)
        numbers = [_item_number(h) for h in found]
        # "一、…", "三、…" with the 二 read elsewhere: no whole list to show; a run counted on through the whole
        # document ("四、…场景应用" holding "（十二）…" to "（十七）…") is whole when it is all its heading holds
        start = numbers[0] if numbers and numbers[0] and parent and style is not None else 1
        if numbers != list(range(start, start + len(numbers))):
            return []
        return list(found.items()) if 2 <= len(found) <= 12 else []

    def _parts_named(self, a: Analysis, source: str) -> list[tuple[str, Chunk]]:
        """The headings right under a heading the question names ("建设内容有哪几大块" → under "二、建设内容":
        "（一）升级基础设施…", "（二）聚焦行业应用…"), in document order, each with its first passage; none
        unless there are 2 to 12 of them."""
        question = a.route.question
        chunks = self.finder.chunks_of(source)
        title = self.catalog.title_for(chunks[0]) if chunks else ""
        prefix: tuple[str, ...] | None = None
        for ch in chunks:
            for i, h in enumerate(ch.section):
                name = HEAD_NUMBER.sub("", h).strip("。 ")
                if 3 <= len(name) <= 12 and name in question and name not in title:
                    prefix = tuple(ch.section[: i + 1])
                    break
            if prefix:
                break
        if prefix is None:
            return []
        found: dict[str, Chunk] = {}
        for ch in chunks:
            if tuple(ch.section[: len(prefix)]) == prefix and len(ch.section) > len(prefix):
                found.setdefault(ch.section[len(prefix)], ch)
        if not found:  # the parts open paragraphs under it: "（四）大模型一体机。抢抓大模型开源化…"
            for ch in chunks:
                if tuple(ch.section) == prefix:
                    for m in RUN_IN_HEAD.finditer(ch.text):
                        found.setdefault(m.group(1), ch)
        return list(found.items()) if 2 <= len(found) <= 12 else []

    def _enumerated(self, a: Analysis, best: Scored) -> list[Scored]:
        """The list the best clause opens or is an item of ("应当提交以下材料：" / "（一）…" … "（五）…"): its
        opening and all its items in document order; none unless there are 2 to ``ENUMERATED`` items."""
        c = best.clause
        if "\n" in c.text:
            at = c.chunk.text.find(c.text)
            after = c.chunk.text[at + len(c.text) :].lstrip()
            chunks, i = self.finder.neighbours(c.chunk)
            if not after and 0 <= i < len(chunks) - 1:
                after = chunks[i + 1].text.lstrip()  # the list goes on in the next passage
            if at < 0 or not ITEM_NUMBER.match(after):
                return []  # the opening quoted with its items already
            c = replace(c, text=c.text.split("\n", 1)[0].strip())  # cut short: the items go on after it
        opening = ARTICLE.sub("", c.text).strip() if c.text.endswith(("：", ":")) else c.lead
        if not opening:
            return []
        clauses = self.finder.document(c.chunk.source)

        def first_line(x: Clause) -> str:
            return ARTICLE.sub("", x.text.split("\n", 1)[0]).strip()

        intro = next((x for x in clauses if x.article == c.article and first_line(x) == opening), None)
        if intro is None:
            return []
        intro = replace(intro, text=intro.text.split("\n", 1)[0].strip())  # the opening alone: its items follow
        items = [x for x in clauses if x.lead == opening and x.article == c.article]
        last = items[-1] if items else intro  # the list goes on in the next passage when it ends this one
        if last is not intro or intro.text.endswith(("：", ":")):
            items += [x for x in self._items_after(last, limit=ENUMERATED + 1) if x.text not in {y.text for y in items}]
        starts = [x for x in items if ITEM_NUMBER.match(x.text)]
        if not 2 <= len(starts) <= ENUMERATED or sum(len(x.text) for x in items) > 6 * LONG:
            # items too long to quote whole, each opened by its own title ("（一）申请。申请人可登录…"): the titles
            items = self._run_in_items(intro, opening)
            if not items:
                return []
        scored = {x.clause.text: x for x in self.scorer.run(a, [intro, *items])}
        return [scored[x.text] for x in (intro, *items) if x.text in scored]

    def _run_in_items(self, intro: Clause, opening: str) -> list[Clause]:
        """The titles of a list's items that open with one ("（一）申请。", "（二）初审。"), verbatim and in order,
        up to the next article; none unless there are 2 to ``ENUMERATED``."""
        chunks, i = self.finder.neighbours(intro.chunk)
        start = chunks[i].text.find(intro.text) if i >= 0 else -1
        if start < 0:
            return []
        start += len(intro.text)
        heads: list[Clause] = []
        for ch in chunks[i : i + 6]:
            text = ch.text[start:] if ch is chunks[i] else ch.text
            offset = start if ch is chunks[i] else 0
            end = ARTICLE_LINE.search(text)
            text = text[: end.start()] if end else text
            for m in RUN_IN_HEAD.finditer(text):
                title = ch.text[offset + m.start(1) : offset + m.end(1) + 1].strip()  # "（一）申请。" as written
                heads.append(replace(intro, text=title, chunk=ch, lead=opening, position=intro.position + 1 + len(heads)))
            if end or len(heads) > ENUMERATED:
                break
        return heads if 2 <= len(heads) <= ENUMERATED else []

    def _under_heading(self, a: Analysis, best: Scored) -> list[Scored]:
        """All the items under the heading that names what a list question asks ("（一）基本材料", "二、申请条件"),
        in document order; none unless there are 2 to ``UNDER_HEADING`` of them."""
        c = best.clause
        if not c.chunk.section:
            return []
        heading = c.chunk.section[-1]
        if c.label and HEAD_NUMBER.sub("", c.label).strip("。 ") not in heading:
            return []  # "13.优秀青年培养资助。对…" stands under its own run-in heading, not the chunk's ("博士后资助")
        title = self.catalog.title_for(c.chunk)
        words = [w for t in a.topic for w in (t, *a.alternatives.get(t, ())) if len(w) >= 2 and w not in title]
        if not any(w in heading for w in words):
            return []
        same = [x for x in self.finder.document(c.chunk.source) if x.chunk.section == c.chunk.section]
        items = list({x.text: x for x in same}.values())
        if not 2 <= len(items) <= UNDER_HEADING:
            return []
        scored = {x.clause.text: x for x in self.scorer.run(a, items)}
        return [scored[x.text] for x in items if x.text in scored]

    def _named_elsewhere(self, a: Analysis, best: Scored) -> str | None:
        """The document the question names by its title, when the best passage is of another document placed
        somewhere else: what the named one does not say is not stated."""
        if a.extra.get("only") or a.extra.get("document") or a.route.regions:
            return None
        named = self.catalog.named_in(a.route.question)
        src = best.clause.chunk.source
        if not named or src in named:
            return None
        doc = self.catalog.get(named[0])
        if doc is None or not doc.regions or self.catalog.placed_near(src, doc.regions):
            return None
        return named[0]

    @staticmethod
    def _grades(text: str) -> set[tuple[float, str]]:
        out = {(v, cls) for n, cls in ORDINAL.findall(text) if (v := number(n)) is not None}
        for a, b, cls in ORDINAL_SPAN.findall(text):
            lo, hi = number(a), number(b)
            if lo is not None and hi is not None and 0 < hi - lo <= 20:
                out.update((float(v), cls) for v in range(int(lo), int(hi) + 1))
        return out

    def _grade_asked(self, a: Analysis, best: Scored, read: list[Scored]) -> Scored | None:
        """The best passage, or the one of its document that names the grade asked when the best names its
        siblings only ("五级伤残为22个月，六级…" for "一级伤残"); None when no passage read names it."""
        asked = self._grades(a.route.question)
        if not asked:
            return best

        def misses(s: Scored) -> bool:
            have = self._grades(s.clause.text)
            return any(len({g for g in have if g[1] == cls}) >= 2 and (v, cls) not in have for v, cls in asked)

        if not misses(best):
            return best
        src = best.clause.chunk.source
        return next((s for s in read if s.clause.chunk.source == src and asked & self._grades(s.clause.text) and not misses(s)), None)

    def _next_of(self, best: Scored, read: list[Scored]) -> Scored | None:
        """The sentence right after the best one in its paragraph, if it was read."""
        return next((s for s in read if self._goes_on(best, s) and s.clause.position == best.clause.position + 1), None)

    @staticmethod
    def _merged(best: Scored, nxt: Scored) -> Scored:
        """The best sentence and the next as one quote, when they run on verbatim in the chunk; else the best alone."""
        text = best.clause.chunk.text
        i = text.find(best.clause.text)
        j = text.find(nxt.clause.text, i + len(best.clause.text)) if i >= 0 else -1
        if j < 0 or text[i + len(best.clause.text) : j].strip():
            return best
        return replace(best, clause=replace(best.clause, text=text[i : j + len(nxt.clause.text)]))

    @staticmethod
    def _continues(first: str, then: str) -> bool:
        """The next sentence goes on with the first: it opens by pointing back ("前款所称", "但…") or names the
        same bound ("三十五周岁")."""
        if CONTINUES.match(then):
            return True
        return any(x in then for x in BOUND.findall(first))

    @staticmethod
    def _goes_on(best: Scored, s: Scored) -> bool:
        """A clause right after the best one under the same heading: "…可享受购房财政补贴：…" /
        "对于符合上述两项条件的购房人，…按其所缴纳契税的50%…予以补贴" says the sum of what it opened."""
        b, c = best.clause, s.clause
        return c.chunk.id == b.chunk.id and c.label == b.label and 0 < c.position - b.position <= 2

    def _not_stated(self, a: Analysis, ranked: list[Scored], what: str = "") -> Plan:
        top = ranked[0].clause.chunk if ranked and ranked[0].coverage >= WEAK_COVERAGE else None
        doc = a.extra.get("only") or a.extra.get("document")
        only = self.catalog.get(doc) if doc else None  # the one document asked about
        title = self._showable(self.catalog.title_for(top)) if top else self._showable(only.title) if only else ""
        what = what or a.answer_type.what[1 if a.lang == "en" else 0]
        lead = self.composer.render("not_stated", a.lang, title=title, what=what, hint=False)
        return Plan([], found=False, lead=lead, source=top.source if top else "", intent=a.route.intent)

    @staticmethod
    def _showable(title: str) -> str:
        """A title fit for a sentence with no quote under it: no figure ("（2022—2025年）" dropped), else none."""
        if title and re.search(r"\d", title):
            title = re.sub(r"[（(][^）)]*\d[^）)]*[）)]", "", title)
            title = "" if re.search(r"\d", title) else title
        return title

    def _coverage(self, a: Analysis) -> str:
        return self.coverage_line(a.lang) if self.coverage_line else ""


def _asks_meaning(question: str, term: str) -> bool:
    """The question asks what ``term`` means: "旅游经营者都包括哪些？", "什么叫概念验证？"."""
    t = re.escape(term)
    if len(term) < 4:  # a short term is asked whole, not as the end of a longer word ("落地方向" is no "方向")
        t = _D["short_before"] + t
    return bool(re.search(t + _D["ask_after"], question) or re.search(_D["ask_before"] + t, question))


def _followed(text: str, word: str, rx: re.Pattern[str]) -> str:
    """``word`` and what ``rx`` reads right after it, at its first place in ``text`` where it reads; else empty."""
    return said_of(text, word, None, rx)


def _rated(text: str, measure: str) -> bool:
    """A figure stated of ``measure`` right before or after it ("百分之十五的税率", "利率为3.45%")."""
    return bool(said_of(text, measure, FIGURE_BEFORE, FIGURE_THEN, reach=14))

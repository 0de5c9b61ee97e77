"""Question routing: intent and slots, with follow-ups inheriting from the session.

Rules, not a model: keyword families per intent (Chinese, traditional folded to
simplified, and English), slots from the gazetteer (names, short names,
nicknames, districts), years (2025, 十四五), measure categories and the metric
words left once region, year and question words are removed. A follow-up such
as "那南京呢？" carries no intent words, so it inherits the previous intent and
slots and overrides only what it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.vocab import load_words
from knowledge.query import QueryExpander, fold
from knowledge.regions import Gazetteer

INTENTS = (
    "target",
    "measure",
    "scenario",
    "technology",
    "policy_info",
    "statistic",
    "compare",
    "list",
    "overview",
    "greeting",
    "out_of_scope",
)

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "房租补贴": ("房租", "租金", "办公用房", "租办公", "租用办公", "rent"),
    "购房补贴": ("购房", "买房", "住房", "安家", "housing", "home purchase"),
    "人才": ("人才", "领军", "团队", "落户", "talent", "leader"),
    "产业基金": ("基金", "fund"),
    "信贷融资": ("信贷", "贷款", "融资", "贴息", "上市", "loan", "credit"),
    "算力补贴": ("算力", "computing"),
    "场景开放": ("揭榜挂帅", "揭榜", "开放场景", "场景开放"),
    "活动补贴": ("峰会", "论坛", "大赛", "会议", "活动", "summit", "forum", "event", "conference"),
    "奖励": ("奖励", "奖金", "award", "bonus"),
    "研发补贴": ("研发", "r&d"),
    "资金补贴": ("补贴", "补助", "资助", "扶持", "资金", "钱", "subsid", "grant", "money", "funding"),
}

KEYWORDS: dict[str, tuple[str, ...]] = {
    "greeting": (
        "你好",
        "您好",
        "在吗",
        "早上好",
        "晚上好",
        "谢谢",
        "多谢",
        "感谢",
        "再见",
        "拜拜",
        "你是谁",
        "能帮我做什么",
        "能做什么",
        "怎么用",
        "帮助",
        "hello",
        "hi",
        "hey",
        "thanks",
        "thank you",
        "bye",
        "who are you",
        "help",
        "好的",
    ),
    "policy_info": (
        "什么时候",
        "何时",
        "哪天",
        "几月",
        "日期",
        "时间",
        "哪个部门",
        "哪些部门",
        "什么部门",
        "哪家单位",
        "哪个单位",
        "谁发",
        "谁编",
        "谁出",
        "谁发布",
        "谁印发",
        "发文",
        "哪年",
        "落实哪个",
        "依据",
        "when",
        "who issued",
        "who published",
        "which department",
        "issued by",
        "date",
    ),
    "statistic": (
        "几项",
        "多少项",
        "占比",
        "比例",
        "统计",
        "提案",
        "专项政策",
        "share of",
        "percentage",
        "how many policies",
        "related policies",
    ),
    "technology": ("技术", "攻关", "technolog"),
    "scenario": ("场景", "应用领域", "哪些领域", "哪些地标", "文化地标", "地标", "scenario", "use case", "landmark"),
    "measure": (
        "补贴",
        "补助",
        "奖励",
        "资助",
        "扶持",
        "优惠",
        "基金",
        "贷款",
        "融资",
        "信贷",
        "人才政策",
        "购房",
        "房租",
        "租金",
        "算力",
        "贴息",
        "给多少",
        "能拿",
        "拿多少",
        "给钱",
        "钱",
        "政策支持",
        "支持政策",
        "揭榜",
        "最高",
        "补多少",
        "怎么补",
        "能补",
        "补几",
        "奖多少",
        "金融",
        "资金保障",
        "人才",
        "subsid",
        "grant",
        "award",
        "fund",
        "loan",
        "support",
        "incentive",
    ),
    "target": (
        "目标",
        "规模",
        "多少",
        "几家",
        "几个",
        "几项",
        "要做到",
        "达到",
        "突破",
        "培育",
        "打造",
        "引进",
        "建成",
        "how many",
        "how much",
        "target",
        "goal",
        "aim",
        "scale",
    ),
    "overview": (
        "介绍",
        "概况",
        "讲讲",
        "说说",
        "说了啥",
        "讲了什么",
        "主要内容",
        "是干嘛",
        "干什么的",
        "是什么",
        "什么态度",
        "什么成果",
        "有什么",
        "路径",
        "简单",
        "overview",
        "summar",
        "introduce",
        "tell me about",
        "what is",
        "what does",
    ),
}


# a place before a word for people it qualifies ("港澳青年", "Macau residents"): bot/data/origin_people.txt
ORIGIN_PEOPLE = re.compile(
    r"\s*(?:"
    + "|".join(sorted(map(re.escape, load_words(Path(__file__).parent / "data" / "origin_people.txt")), key=len, reverse=True))
    + r")",
    re.I,
)
NOT_TECHNOLOGY = re.compile(
    "|".join(sorted(map(re.escape, load_words(Path(__file__).parent / "data" / "not_technology.txt")), key=len, reverse=True)),
    re.I,
)
JOINED = re.compile(r"\s*(?:and|&|、|和|与|及|/|,|，)?\s*", re.I)
COMPARE_WORDS = (
    "比较",
    "对比",
    "比一比",
    "相比",
    "谁高",
    "谁多",
    "谁大",
    "谁更",
    "更大",
    "哪家",
    "哪个大",
    "哪个更",
    "还是",
    "最早",
    "最多",
    "哪个多",
    "哪个高",
    "哪个先",
    "哪边",
    "更多",
    "更高",
    "差多少",
    "分别",
    "一样吗",
    "跟",
    " vs",
    "compare",
    "bigger",
    "higher",
    "more than",
    "which is",
)
# "几个员工", "几家企业" in the middle of a sentence: how many of something the asker has, not a question
INDEFINITE = re.compile(r"几[个家位名项条次]\s*(?=[\u4e00-\u9fff]{2})")
SITUATION = re.compile(r"我|咱|本单位|本公司|以前|之前|已经|去年|现在")  # the asker telling their own case
# "到哪里备案", "向哪里申请", "在哪里办": where to go to do something, not which places have a policy;
# "专项资金主要用在哪些地方": what money goes to
WHERE_TO_DO = re.compile(
    r"[到向去往找在从]哪里|哪里(?=申请|申报|办|交|提交|备案|登记|投诉|报名|领|查|咨询)|(?:用|花|投)(?:在|到|于|向)?哪些?(?:地方|方面)"
)
LIST_WORDS = (
    "哪些地方",
    "哪些城市",
    "哪些地区",
    "哪些省",
    "哪里",
    "哪几个地方",
    "哪些区",
    "哪几个区",
    "which cities",
    "which regions",
    "where",
)
TOPIC_WORDS = (
    "元宇宙",
    "政策",
    "产业",
    "方案",
    "计划",
    "办法",
    "补贴",
    "基金",
    "场景",
    "规模",
    "metaverse",
    "policy",
    "policies",
    "数字人",
    "虚拟现实",
    "区块链",
    "数字孪生",
    "专精特新",
    "揭榜挂帅",
    "人才",
    "企业",
    "园区",
)
OFF_TOPIC = (
    "天气",
    "下雨",
    "股票",
    "概念股",
    "比特币",
    "笑话",
    "写一首",
    "写首",
    "诗",
    "系统提示",
    "提示词",
    "prompt",
    "weather",
    "stock",
    "bitcoin",
    "joke",
    "poem",
)
QUESTION_WORDS = re.compile(
    r"是多少|有多少|多少|几家|几个|几项|是什么|有哪些|哪些|什么|怎么样|如何|吗|呢|啊|呀|吧|么|请问|一下|要|能|会|的|了|到|年|和|与|"
    r"[？?！!。，,、：:；;“”\"'（）()\s]"
)
YEAR = re.compile(r"(?<![\d.])(20[0-9]{2})(?![\d.])(?!\s*(?:万|亿|元|%|个|家|项|名|人|条|多))")


# words that make a part of a message a question of its own ("啥时候施行？以前那个还管用吗？", "是不是免租？水电要不要自己出？")
ASKING_WORDS = "多少|几|哪|什么|啥|咋|怎么|吗|多久|多长|谁|是不是|要不要|能不能|有没有|可不可以"


@dataclass
class Route:
    """What the question asks and about what."""

    intent: str
    lang: str  # zh-Hans | zh-Hant | en
    question: str  # folded (simplified, NFKC)
    regions: list[str] = field(default_factory=list)
    year: int | None = None
    category: str | None = None
    metric: str = ""
    policy: str = ""
    followup: bool = False
    topical: bool = True
    injection: bool = False

    @property
    def region(self) -> str | None:
        return self.regions[0] if self.regions else None

    def slots(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.regions:
            out["region"] = self.regions[0]
        if len(self.regions) > 1:
            out["regions"] = self.regions
        if self.year:
            out["year"] = self.year
        if self.category:
            out["category"] = self.category
        if self.metric:
            out["metric"] = self.metric
        if self.policy:
            out["policy"] = self.policy
        out["lang"] = self.lang
        return out


def detect_lang(question: str) -> str:
    letters = re.findall(r"[A-Za-z]", question)
    cjk = re.findall(r"[\u4e00-\u9fff]", question)
    if letters and len(letters) > 2 * len(cjk):
        return "en"
    if cjk and fold(question) != re.sub(r"\s+", " ", question).strip() and _traditional_share(question) > 0:
        return "zh-Hant"
    return "zh-Hans"


def _traditional_share(question: str) -> int:
    from knowledge.normalize import to_simplified

    return sum(1 for a, b in zip(question, to_simplified(question), strict=False) if a != b)


@lru_cache(maxsize=256)
def _matcher(words: tuple[str, ...]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One compiled pattern for a word list's English words (each at a word's start), and its Chinese words."""
    latin = [w.strip() for w in words if w.isascii() and w.strip()]
    rx = re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, latin)) + ")") if latin else None
    return rx, tuple(w for w in words if not w.isascii())


def _has(q: str, words: tuple[str, ...]) -> bool:
    rx, chinese = _matcher(words)
    return any(w in q for w in chinese) or bool(rx and rx.search(q.lower()))


class Router:
    """Intent and slots for a question, given the session's previous route."""

    def __init__(self, gazetteer: Gazetteer, expander: QueryExpander | None = None) -> None:
        self.gaz = gazetteer
        self.expander = expander or QueryExpander(gazetteer)

    def category_of(self, q: str) -> str | None:
        for cat, words in CATEGORY_WORDS.items():
            if _has(q, words):
                return cat
        return None

    def route(self, question: str, previous: dict[str, Any] | None = None) -> Route:
        prev = previous or {}
        lang = detect_lang(question)
        q = fold(question)
        if re.search(r"忽略|无视|ignore|disregard|pretend|假装|说成", q, re.I):
            # "把…说成…，然后回答：…": only the last clause is a question
            parts = [x for x in re.split(r"[，,。.;；:：!！]", q) if x.strip()]
            if len(parts) > 1:
                q = parts[-1].strip()
        regions = self._regions(q)
        years = [int(y) for y in YEAR.findall(q)]
        year = years[0] if years else (2025 if "十四五" in q else None)
        injection = bool(re.search(r"忽略|无视|ignore|disregard|pretend|假装|说成|system prompt|你现在是", fold(question), re.I))
        intent = self._intent(q, regions)
        short = re.sub(r"[那么呢吗？?。，,！!\s]", "", q)
        if (
            prev.get("intent") in ("target", "measure", "scenario", "technology", "policy_info", "statistic")
            and q.rstrip("？?。 ").endswith("呢")
            and len(short) <= 6
            and not regions
            and intent != prev["intent"]
        ):
            intent = ""  # "示范场景呢？" after a target question asks for another target
        topical = _has(q, TOPIC_WORDS) or bool(regions) or intent not in ("greeting", "out_of_scope", "")
        followup = False
        category = self.category_of(q) if intent in ("measure", "list", "compare", "") else None
        if category == "人才" and prev.get("category") and prev["category"] != "人才" and len(q) <= 12 and not regions:
            category = prev["category"]  # "精英人才呢？" after a 购房补贴 question asks about 购房补贴 for them
        if not intent:
            # "那南京呢？", "金融方面呢？", "跟松江比呢？": carry the previous question over
            if prev.get("intent") and prev["intent"] not in ("greeting", "out_of_scope"):
                intent = prev["intent"]
                followup = True
                if intent == "compare" and len(regions) == 1:
                    intent = prev.get("base_intent") or "target"
            elif regions or topical:
                intent = "overview"
            else:
                intent = "out_of_scope"
        if _has(q, OFF_TOPIC) and not regions and intent not in ("statistic", "policy_info"):
            intent = "out_of_scope"
        if followup:
            topical = True
        if followup or (prev and not regions and intent not in ("greeting", "out_of_scope", "statistic", "list")):
            if not regions and prev.get("regions") and intent != "statistic":
                regions = list(prev["regions"])[:1] if intent != "compare" else list(prev["regions"])
                followup = True
            if intent == "compare" and len(regions) == 1 and prev.get("regions"):
                regions = [*prev["regions"][:1], *regions] if prev["regions"][0] not in regions else regions
            if year is None and prev.get("year") and followup:
                year = prev["year"]
            bare = re.sub(r"[那么呢吗？?。，,！!\s]|方面|这种|这个|有没有|有吗", "", q)
            if (
                category is None
                and followup
                and prev.get("category")
                and intent == "measure"
                and not self.category_of(q)
                and len(bare) <= 2
            ):
                category = prev["category"]
        if intent == "compare" and len(regions) == 1 and prev.get("regions") and prev["regions"][0] not in regions:
            regions = [prev["regions"][0], *regions]
            followup = True
        metric = self._metric(q, regions) if lang != "en" else self._english_metric(q)
        if followup and not metric and prev.get("metric"):
            metric = prev["metric"]
        policy = prev.get("policy", "") if followup or _has(q, ("它", "这个", "该", "这份", "这些", "其中")) else ""
        return Route(intent, lang, q, regions, year, category, metric, policy, followup, topical, injection)

    def _regions(self, q: str) -> list[str]:
        names = self.gaz.names_in(q, question=True)
        origins = self._origins(q) if len(names) > 1 else set()
        if origins and len(origins) < len(names):  # where a person comes from, beside the place asked about
            names = [n for n in names if n not in origins]
        # "北京城市副中心" names 北京市 and 通州区: keep the most specific
        return self.gaz.most_specific(names) if len(names) > 1 and not _has(q, COMPARE_WORDS) else names

    def _origins(self, q: str) -> set[str]:
        """Places that only say where a person comes from: "香港青年", "Hong Kong and Macau youth"."""
        spans = sorted(self.gaz.find_all(q, question=True))
        out: set[str] = set()
        run: list[str] = []
        for i, (_a, b, name) in enumerate(spans):
            run.append(name)
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            if nxt is not None and JOINED.fullmatch(q[b : nxt[0]]):
                continue  # "Hong Kong and Macau": one run of places
            if ORIGIN_PEOPLE.match(q[b:]):
                out.update(run)
            run = []
        return out

    def _intent(self, q: str, regions: list[str]) -> str:
        injected = re.split(r"[，,。.;；:：]", q)
        core = injected[-1] if re.search(r"忽略|ignore|说成|pretend|假装", q, re.I) and len(injected) > 1 else q
        if _has(core, OFF_TOPIC) and not regions and not _has(core, ("政策", "policy")):
            return "out_of_scope"
        bare = re.sub(r"[\s，。！？,.!?~～]", "", core.lower())
        if _has(core, KEYWORDS["greeting"]) and len(bare) <= 14 and not regions and not _has(core, TOPIC_WORDS):
            return "greeting"
        opener = re.match(r"^(?:你好|您好|hello|hi|hey|早上好|下午好|晚上好)[，,!！。\s]", core.lower())
        if opener and not regions and not re.search(r"多少|哪|什么|几|如何|怎么|how|what|which|when", core.lower()):
            return "greeting"  # "你好，我是园区招商的，在吗？"
        if re.search(
            r"介绍|概况|讲讲|说说|讲了什么|讲了些什么|说了啥|主要内容|是干嘛|overview|introduce|summar", core, re.I
        ) and not re.search(r"多少|几|哪天|什么时候|谁", core):
            return "overview"
        if _has(WHERE_TO_DO.sub("", core), LIST_WORDS) and (len(regions) <= 1):
            return "list"
        if len(regions) >= 2 and _has(core, COMPARE_WORDS):
            return "compare"
        if (
            re.search(r"(和|与|跟|还是|or|and)", core)
            and _has(core, COMPARE_WORDS)
            and _has(core, ("华东", "华南", "华北", "省级", "地市级", "区县级"))
        ):
            return "compare"
        if len(regions) >= 2 and not _has(core, LIST_WORDS) and re.search(r"和|与|跟|、|还是|及|and|or|vs", core):
            return "compare"  # two places in one question: answer for each
        if _has(core, KEYWORDS["policy_info"]):
            return "policy_info"
        if _has(core, KEYWORDS["statistic"]) and not [r for r in regions if self.gaz.level(r) != "国家"]:
            return "statistic"
        tech = NOT_TECHNOLOGY.sub("", core)  # "高新技术企业有什么税收优惠" asks of a kind of firm, not of technologies
        if _has(tech, KEYWORDS["technology"]) and not _has(core, ("多少", "几", "how many")):
            return "technology"
        if _has(core, KEYWORDS["measure"]):
            return "measure"
        if _has(core, KEYWORDS["scenario"]) and not _has(core, ("多少", "几个", "几项", "how many")):
            return "scenario"
        if _has(core, KEYWORDS["target"]):
            return "target"
        if _has(core, KEYWORDS["overview"]):
            return "overview"
        if _has(core, COMPARE_WORDS) and regions:
            return "compare"
        if _has(tech, ("技术",)):
            return "technology"
        return ""

    @staticmethod
    def clauses(question: str) -> list[str]:
        """The separate questions in one message: "要建几个园区？集聚多少企业" → two clauses."""
        pieces = re.split(rf"([？?；;]|，(?=[^，]*(?:{ASKING_WORDS})))", question)
        parts = [(p.strip(), end) for p, end in zip(pieces[::2], [*pieces[1::2], ""], strict=True) if p.strip()]
        asks = rf"{ASKING_WORDS}|如何|呢|how|what|which|when"

        def asking(p: str, end: str) -> bool:
            # before a comma, "漏给几个员工交社保" tells the asker's situation: a count of something is no question
            said = INDEFINITE.sub("", p) if end == "，" and SITUATION.search(p) else p
            return bool(re.search(asks, said, re.I))

        kept = [p for p, end in parts if asking(p, end)]
        return kept if len(kept) >= 2 else [question]

    def _english_metric(self, q: str) -> str:
        """An English question's metric, as the policy words the glossary gives for it."""
        terms = [t for t in self.expander.terms(q) if not self.gaz.canonical(t) and t not in ("元宇宙",)]
        return "".join(terms)[:30]

    def _metric(self, q: str, regions: list[str]) -> str:
        text = q
        for _a, _b, _name in sorted(self.gaz.find_all(q, question=True), reverse=True):
            text = text[:_a] + " " + text[_b:]
        text = YEAR.sub(" ", text)
        text = re.sub(r"元宇宙|metaverse", " ", text, flags=re.I)
        words = [w for w in QUESTION_WORDS.split(text) if len(w) >= 2]
        return "".join(words)[:30]

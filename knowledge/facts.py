"""Typed facts read from a cleaned policy text by rules, each with verbatim evidence.

``analyse(processed, gaz)`` walks a cleaned document line by line and sentence
by sentence and reads five kinds of fact:

- ``target``     a goal figure: "到2025年…产业规模达到3500亿元", "100家以上", "1-2个"
- ``measure``    a support measure: category, amount or cap, ratio, beneficiary
- ``statistic``  a figure describing the present: "有32项", "约占53%"
- ``scenario``   a region's application domain (文旅, 工业 …) and named places
- ``technology`` a key technology a region names (数字孪生, 脑机接口 …)

and the policies the text is or describes. Every fact carries evidence: the
source, a quote that is a substring of the cleaned text, its cleaned span and
its span in the original file.

Region attribution: the sentence (before the figure), else the section
heading path, the appendix record's issuer, the policy, the document. A place
the gazetteer does not know but that a heading, title or issuer names right
after a known city ("天津滨海新区", "苏州工业园区") becomes a local region under
that city. ``merge`` joins the same fact stated twice, or by several sources,
into one fact with several pieces of evidence. Nothing is keyed to a file.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import cn2an

from knowledge.chunking import ARTICLE, heading_level
from knowledge.documents import POLICY_WORDS, period_of
from knowledge.regions import Gazetteer

if TYPE_CHECKING:
    from knowledge.documents import Policy
    from knowledge.index import Processed
    from knowledge.normalize import Record

KINDS = ("target", "measure", "statistic", "scenario", "technology")
EXTRACTOR_VERSION = "1"  # bump when extraction rules change: stored extractions are then stale
CJK = "\u4e00-\u9fff"

# ---------------------------------------------------------------- figures
AR = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
CN_DIGITS = "零〇一二两三四五六七八九十百千"
VAL = rf"(?:{AR}|[{CN_DIGITS}]+)"
RANGE_SEP = r"\s*(?:[-~～—–－]|至|到)\s*"
UNIT = (
    r"个百分点|(?:千万|百万|亿|万|千)?(?:美元|欧元|元)|(?:万|亿)?(?:家|个|项|名|人次|人|条|只|所|座|支|台|套|款|件|位)"
    r"|万?平方米|%|‰"
)
FIGURE = re.compile(
    rf"(?P<lo>{VAL})(?:{RANGE_SEP}(?P<hi>{VAL}))?\s*(?P<more>多|余)?\s*[”\"’]?\s*(?P<unit>{UNIT})(?P<post>以上|以下|左右|以内)?"
)
LEVEL_FORM = re.compile(rf"(?:(?P<d>\d+(?:\.\d+)?)\s*|(?<![\d{CN_DIGITS}万亿])(?P<n>十|百|千|万)?)(?P<mag>亿|万)级")
UPPER_FORM = re.compile(r"上(?P<mag>亿|万|千|百)(?P<unit>元|家|个|人|项)")
BARE_FORM = re.compile(r"(?:推广|打造|培育|建设|引进|实施|推出|形成|建成|突破|达到|超过|超|近)(?P<n>百|千)(?P<unit>亿元|万元|项|个|家)")
PCT_FORM = re.compile(r"百分之(?P<n>[零一二两三四五六七八九十]+)")
MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000}
COUNT_STOP = ("月", "工作日", "小时", "季度", "方面", "维度", "阶段", "层次", "环节", "部分", "批次")
QUALIFIERS = ("不超过", "不低于", "不少于", "不高于", "超过", "突破", "达到", "最高", "最多", "至少", "高于", "约", "近", "超", "逾", "达")
QUALIFIER_NAME = {"超": "超过", "逾": "超过", "多": "超过", "余": "超过", "近": "约", "达": "达到"}

# ---------------------------------------------------------------- cues
SCOPE = re.compile(
    r"(?:到|至|在|于)\s*(?P<y>20\d{2})\s*年(?:底|末)?(?!\s*\d{1,2}\s*月)"
    r"|(?P<y2>20\d{2})\s*年(?:底|末)?前"
    r"|“?十(?P<fyp>[三四五六])五”?"
)
RELATIVE = re.compile(rf"(?:通过|经过|用|未来)\s*(?P<n>\d{{1,2}}|[{CN_DIGITS}]{{1,2}})\s*年(?:的|时间|努力|发展)")
DATE_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年")
FIVE_YEAR = {"三": 2020, "四": 2025, "五": 2030, "六": 2035}
TARGET_CUE = re.compile(
    r"培育|打造|建成|建设|引进|引育|引入|推出|形成|实现|组建|成立|汇聚|集聚|落地|新建|申请|突破|达到|超过|推广|共建|培养"
    r"|带动|力争|争取|确保|新增|增长|提升|提高|聚焦|取得|达|超|目标"
)
ISSUED = re.compile(r"(?:发布|印发|出台|公布|颁布|推出|制定)了?《?$")
FUTURE_CUE = re.compile(r"力争|目标|争取|预计到|计划到")
STAT_CUE = re.compile(
    r"有\s*(?=\d)|约占|占比|占.{0,6}总数|共有|已有|共计|统计|数据显示|截至|签约|现场发布|吸引|出现|参与|推出了|成立了|发起成立|写入"
    r"|\d+\s*[项条]政策|政策[里中]|占(?:全国|全省|全市|全区)"
)
SUPPORT = re.compile(r"给予|奖励|补贴|补助|资助|扶持|贴息|奖补|支持|资金规模|专项资金|兑现")
STRONG_SUPPORT = re.compile(r"给予|补贴|补助|资助|奖励|贴息|奖补|专项资金|资金规模")
FUND = re.compile(r"基金")
NOT_MEASURE_BEFORE = re.compile(r"(?:营收|规模|产值|收入|增加值|总额|市值)[^，。；]{0,3}$")
RATIO_BEFORE = re.compile(
    r"(?:按|按照)[^，。；]{0,30}$|(?:费用|投资|投入|金额|租金|资本|所得额|利率|利息|投资额|总额|合同额|成本|价款|营收|收入)的?$"
)
CONDITION_OBJ = re.compile(r"对(?!接|外|标|比|象|话|称|于)")

CATEGORY_RULES: tuple[tuple[str, str], ...] = (
    ("购房", "购房补贴"),
    ("租金|房租|租赁|办公用房", "房租补贴"),
    ("算力", "算力补贴"),
    ("贴息|贷款|信贷|融资|担保|授信", "信贷融资"),
    ("基金", "产业基金"),
    ("活动补贴|(?:举办|主办|承办)[^。；]{0,40}(?:峰会|论坛|展会|赛事|大赛|会议|活动)", "活动补贴"),
    ("揭榜|场景开放|开放[^。；，]{0,12}场景", "场景开放"),
    ("研发|攻关", "研发补贴"),
    ("人才|团队|研究生|博士|硕士|院士|专家", "人才"),
    ("奖励|奖补", "奖励"),
    ("补贴|补助|资助|扶持|支持|资金", "资金补贴"),
)
CATEGORIES = tuple(dict.fromkeys(c for _, c in CATEGORY_RULES))
QUALITATIVE_MEASURES: tuple[tuple[str, str], ...] = (
    ("购房补贴", "购房补贴"),
    ("(?:房租|租金)[^。；，]{0,4}补贴|房租减免", "房租补贴"),
    ("算力[^。；]{0,30}补贴|补贴[^。；]{0,10}算力", "算力补贴"),
    ("信贷支持|贴息|质押贷款|融资租赁|投融资", "信贷融资"),
    ("(?:设立|成立|组建|发起|一支)[^。；]{0,24}基金|基金[^。；]{0,6}(?:作用|出资)", "产业基金"),
    ("开放[^。；，]{0,24}场景|场景开放", "场景开放"),
    ("研发(?:费用|投入)[^。；]{0,10}(?:支持|补贴|补助|扶持)", "研发补贴"),
    ("(?:引进|引育|招引|引培)[^。；，]{0,24}人才|人才[^。；，]{0,6}(?:奖励|补贴|落户|公寓)", "人才"),
)

DOMAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("文旅", ("文体旅", "文化旅游", "文旅", "旅游", "文博", "景区", "演艺", "文娱", "文创", "博物馆", "文化")),
    ("工业", ("工业", "制造", "工厂")),
    ("商业", ("商业", "商贸", "消费", "零售", "购物", "电商", "商圈")),
    ("教育", ("教育", "教学", "课堂", "培训", "科普")),
    ("医疗", ("医疗", "诊疗", "医学", "康复")),
    ("政务", ("政务", "办事", "政府治理")),
    ("城市", ("城市治理", "城市管理", "城市服务", "数字城市", "智慧城市", "城市大脑", "城市设计", "元城市", "城市场景", "城市数字")),
    ("会展", ("会展", "展览", "展会")),
    ("体育", ("文体旅", "体育", "赛事", "马拉松", "运动")),
    ("交通", ("交通", "汽车", "车联网", "出行")),
    ("娱乐", ("娱乐", "游戏", "影视", "影音")),
    ("社交", ("社交",)),
    ("办公", ("办公", "会议室")),
    ("金融", ("金融",)),
    ("农业", ("农业", "乡村")),
)
SCENARIO_CUE = re.compile(r"场景|应用|示范|试点|元宇宙\s*\+|\+\s*元宇宙|虚实(?:交互|融合)")
PLACE_LIST = re.compile(r"((?:[^\s、，。；：“”（）《》—]{2,14}、){0,8}[^\s、，。；：“”（）《》—]{2,14})等")
PLACE_SUFFIX = re.compile(
    r"(?:屿|岛|湖|山|湾|港|谷|公园|商圈|度假区|古镇|小镇|文化带|广场|街区|景区|寺|走廊|中心|城|大厦|码头|老街|风貌区|大道)$"
)
PLACE_HEAD = re.compile(r"^[^，。；]{0,6}?(?:地标|景点|景区|商场|场馆|场景资源|片区)")
GENERIC_PLACES = {"博物馆", "艺术馆", "游乐园", "图书馆", "歌剧院", "商场", "景点", "园区", "产业园", "场馆", "中心", "数据中心", "城市"}
PLACE_VERB = re.compile(r"^.*(?:依托|支持|提供|围绕|推动|鼓励|包括|比如|如|聚焦|以|在|为|将|打造|建设)")
PLACE_DOMAIN = (("度假区|古镇|小镇|文化带|景区|屿|岛|湖|山|寺|风貌区", "文旅"), ("商圈|广场|商场|城|街区", "商业"))

TECHNOLOGIES: tuple[tuple[str, str], ...] = (
    ("数字孪生", "数字孪生"),
    ("脑机接口|脑机交互|脑机协作", "脑机接口"),
    ("区块链", "区块链"),
    ("人机交互|自然交互", "人机交互"),
    ("虚拟现实|(?<![A-Za-z])VR(?![A-Za-z])", "虚拟现实"),
    ("增强现实|(?<![A-Za-z])AR(?![A-Za-z])", "增强现实"),
    ("混合现实|(?<![A-Za-z])MR(?![A-Za-z])", "混合现实"),
    ("扩展现实|拓展现实|(?<![A-Za-z])XR(?![A-Za-z])", "扩展现实"),
    ("数字人(?!民币)|虚拟人|虚拟数字人", "数字人"),
    ("人工智能生成内容|AIGC", "AIGC"),
    ("人工智能|(?<![A-Za-z])AI(?![A-Za-z])", "人工智能"),
    ("物联网", "物联网"),
    ("边缘计算", "边缘计算"),
    ("云计算", "云计算"),
    ("先进计算|高性能计算|超算|智能计算", "先进计算"),
    ("(?<![A-Za-z0-9])[56]G(?![A-Za-z])", "5G/6G"),
    ("3D建模|三维建模|数字建模|三维重建", "三维建模"),
    ("渲染引擎|图形引擎|图像引擎|实时渲染|云渲染|云端渲染|图形图像引擎", "渲染与图形引擎"),
    ("近眼显示", "近眼显示"),
    ("全息", "全息显示"),
    ("空间计算", "空间计算"),
    ("智能芯片|计算芯片|(?<![A-Za-z])GPU(?![A-Za-z])", "芯片"),
    ("触觉渲染", "触觉渲染"),
    ("柔性感知", "柔性感知"),
    ("操作系统", "操作系统"),
    ("(?<![A-Za-z])NFT(?![A-Za-z])|数字藏品", "NFT/数字藏品"),
    ("Web\\s?3(?:\\.0)?", "Web3.0"),
    ("隐私计算", "隐私计算"),
    ("智能合约", "智能合约"),
    ("动作捕捉", "动作捕捉"),
    ("新型显示|Micro-LED|Micro-OLED", "新型显示"),
    ("量子信息|量子科技", "量子信息"),
    ("智能终端|可穿戴设备|智能穿戴", "智能终端"),
)
TECH_RX = re.compile("|".join(f"(?P<t{i}>{p})" for i, (p, _) in enumerate(TECHNOLOGIES)))

LOCAL_AFTER = re.compile(
    rf"^(?P<core>[{CJK}]{{1,6}}?)(?P<suffix>工业园区|高新区|开发区|经开区|自贸区|新区|园区|片区|区|县)(?![{CJK}]?[域内外])"
)
LEADING_ZONE = re.compile(
    rf"^([{CJK}]{{2,6}}?(?:新片区|新区|高新区|开发区|经开区|自贸区|工业园区|片区))(?=元宇宙|关于|加快|促进|推动|支持|培育|打造)"
)
GENERIC_HEAD = ("工业", "高新", "经济", "经开", "开发", "自贸", "保税", "综合", "科技", "产业", "国际")
LEAD_STRIP = re.compile(
    r"^(?:[，、：:\s“”]|目标|力争|争取|预计|计划|同时|其中|并|及|还要|助力|将|提出|明确|要求|20\d{2}\s*年(?:底|末)?|全市|全区|全省|全县|全国|本市|本区|我市|我区|园区|新区|累计|"
    r"(?:到|至|在)\s*20\d{2}\s*年(?:底|末)?|通过\d+年的?努力)+"
)
VERB_STRIP = re.compile(rf"^(?:{TARGET_CUE.pattern}|推动|加快|推进|组织|支持|鼓励|引导|新(?=培育|引进|建|增|申请|认定)|聚焦)+")
TAIL_STRIP = re.compile(r"(?:达到|突破|超过|不超过|不低于|不少于|最高|约为|约|近|超|达|为|至|共有|已有|有|共|了|分别|的)+$")
HEAD_WORDS = ("产业规模", "规模", "增加值", "营收", "收入", "产值", "企业", "人才", "单位", "机构", "项目", "平台")


def _cn_value(s: str) -> float | None:
    s = s.replace("两", "二").replace("〇", "零")
    try:
        v = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return float(v)


def _value(s: str) -> float | None:
    s = s.strip()
    if re.fullmatch(AR, s):
        return float(s.replace(",", ""))
    return _cn_value(s)


def _clean_metric(s: str) -> str:
    s = re.sub(r"[“”\"‘’\s]", "", s)
    s = re.sub(r"^(?:[（）()、，：:；]|其次|分别为|其中|包括)+|[（）()、，：:；]+$", "", s)
    return s[:40]


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\w%]", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def similar(a: str, b: str) -> float:
    """Similarity of two metric phrases: 1 when one contains the other, else bigram Jaccard."""
    a2, b2 = re.sub(r"[^\w%]", "", a), re.sub(r"[^\w%]", "", b)
    if not a2 or not b2:
        return 1.0
    if len(min(a2, b2, key=len)) >= 4 and (a2 in b2 or b2 in a2):
        return 1.0
    x, y = _bigrams(a2), _bigrams(b2)
    return len(x & y) / len(x | y) if x | y else 0.0


def category_of(text: str) -> str:
    """The measure category a phrase names (资金补贴 when only generic support words)."""
    for pattern, cat in CATEGORY_RULES:
        if re.search(pattern, text):
            return cat
    return ""


def normalise_title(title: str) -> str:
    """A key under which two spellings of one policy title meet."""
    t = re.sub(r"\s", "", title).replace("（", "(").replace("）", ")")
    t = re.sub(r"[—–\-~～－至]", "-", t)
    return re.sub(r"[“”\"'‘’《》]", "", t)


# ---------------------------------------------------------------- value objects
@dataclass
class Evidence:
    """Where a fact is stated: verbatim quote, cleaned span, original-file span."""

    source: str
    quote: str
    start: int
    end: int
    span: tuple[int, int]
    written: str = ""
    section: str = ""

    def key(self) -> tuple[str, int, int]:
        return (self.source, self.start, self.end)


@dataclass
class Fact:
    """One typed fact with its evidence; unused fields stay empty for a kind."""

    kind: str
    region: str | None = None
    metric: str = ""
    value: float | None = None
    unit: str = ""
    qualifier: str = ""
    low: float | None = None
    high: float | None = None
    year: int | None = None
    policy: str = ""
    category: str = ""
    ratio: float | None = None
    beneficiary: str = ""
    condition: str = ""
    domain: str = ""
    places: list[str] = field(default_factory=list)
    technology: str = ""
    level: str = ""
    lineage: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(e.source for e in self.evidence))

    @property
    def cap(self) -> float | None:
        """For a measure: the ceiling amount (最高 / 不超过)."""
        return self.value if self.kind == "measure" and self.qualifier in ("最高", "不超过", "最多") else None

    def normalised(self) -> tuple[float | None, str]:
        """The value in base units (元, 个 …) for comparing figures across units."""
        v = self.value if self.value is not None else self.high
        if v is None:
            return None, self.unit
        unit = self.unit
        for prefix in ("千万", "百万", "亿", "万", "千"):
            if unit.startswith(prefix) and len(unit) > len(prefix):
                return v * MAGNITUDE[prefix], unit[len(prefix) :]
        return v, unit

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (evidence included)."""
        d = asdict(self)
        d["evidence"] = [asdict(e) for e in self.evidence]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Fact:
        """The inverse of ``to_json``."""
        d = dict(d)
        ev = [Evidence(**{**e, "span": tuple(e["span"])}) for e in d.pop("evidence", [])]
        return cls(**d, evidence=ev)

    # merging
    def _bucket(self) -> tuple[Any, ...]:
        if self.kind == "measure":
            return (self.kind, self.region, self.category, self.unit, self.value, self.low, self.high)
        if self.kind == "scenario":
            return (self.kind, self.region, self.domain)
        if self.kind == "technology":
            return (self.kind, self.region, self.technology)
        return (self.kind, self.region, self.unit, self.value, self.low, self.high)

    def _same(self, other: Fact) -> bool:
        if self.kind in ("scenario", "technology"):
            return True
        if self.kind == "measure":
            if self.value is None:
                return True
            if self.ratio is not None and other.ratio is not None and abs(self.ratio - other.ratio) > 1e-9:
                return False
            if self.beneficiary and other.beneficiary and similar(self.beneficiary, other.beneficiary) < 0.5:
                return False
            return self.qualifier == other.qualifier
        if self.qualifier != other.qualifier:
            return False
        sim = similar(self.metric, other.metric)
        if self.year != other.year:
            return (self.year is None or other.year is None) and sim >= 0.8
        return sim >= 0.5

    def _absorb(self, other: Fact) -> None:
        seen = {e.key() for e in self.evidence}
        self.evidence.extend(e for e in other.evidence if e.key() not in seen)
        for name in ("year", "policy", "metric", "beneficiary", "condition", "ratio"):
            if getattr(self, name) in (None, "") and getattr(other, name) not in (None, ""):
                setattr(self, name, getattr(other, name))
        self.places.extend(p for p in other.places if p not in self.places)


@dataclass
class PolicyFact:
    """A policy a source states (``original``) or describes, with evidence."""

    title: str
    issuer: str = ""
    region: str | None = None
    level: str = ""
    lineage: list[str] = field(default_factory=list)
    date: str = ""
    period: str = ""
    status: str = ""
    kind: str = ""  # 行动计划 / 实施方案 / 办法 …
    original: bool = False
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [asdict(e) for e in self.evidence]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PolicyFact:
        d = dict(d)
        ev = [Evidence(**{**e, "span": tuple(e["span"])}) for e in d.pop("evidence", [])]
        return cls(**d, evidence=ev)


@dataclass
class Extraction:
    """What one source yields: facts, policies and the local places it named."""

    source: str
    facts: list[Fact]
    policies: list[PolicyFact]
    local_regions: dict[str, str]
    title: str = ""
    kind: str = ""  # policy | report | news
    version: str = EXTRACTOR_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "facts": [f.to_json() for f in self.facts],
            "policies": [p.to_json() for p in self.policies],
            "local_regions": self.local_regions,
            "title": self.title,
            "kind": self.kind,
            "version": self.version,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Extraction:
        return cls(
            d["source"],
            [Fact.from_json(f) for f in d["facts"]],
            [PolicyFact.from_json(p) for p in d["policies"]],
            dict(d.get("local_regions", {})),
            d.get("title", ""),
            d.get("kind", ""),
            d.get("version", ""),
        )


# ---------------------------------------------------------------- regions
class Regions:
    """Gazetteer lookups plus local places named right after a known city."""

    def __init__(self, gaz: Gazetteer, local: dict[str, str] | None = None) -> None:
        self.gaz = gaz
        self.local: dict[str, str] = {}
        self._rx: re.Pattern[str] | None = None
        for name, parent in (local or {}).items():
            self.add(name, parent)

    def add(self, name: str, parent: str) -> None:
        """Know ``name`` as a place inside ``parent`` (ignored when the gazetteer knows it)."""
        if name in self.local or self.gaz.canonical(name):
            return
        self.local[name] = parent
        names = sorted(self.local, key=len, reverse=True)
        self._rx = re.compile("|".join(map(re.escape, names)))

    def learn(self, text: str) -> None:
        """Learn local places a heading, title or issuer names after a known city or province."""
        for _, b, name in self.gaz.find_all(text):
            if self.gaz.level(name) not in ("省", "市"):
                continue
            m = LOCAL_AFTER.match(text[b:])
            if not m:
                continue
            core, suffix = m.group("core"), m.group("suffix")
            if (suffix in ("区", "县") and len(core) < 2) or core[0] in "各本全辖该我其两多市省县区":
                continue
            rest = m.group(0)
            if self.gaz.find_all(rest):
                continue  # the gazetteer knows it under another spelling
            full = text[b - len(self._alias_before(text, b)) : b] + rest if rest.startswith(GENERIC_HEAD) else rest
            self.add(full, name)

    def learn_leading(self, title: str, parent: str | None) -> None:
        """Learn "临港新片区" from a title that starts with an unknown zone, under the issuer's region."""
        m = LEADING_ZONE.match(title)
        if not m or not parent or self.gaz.find_all(m.group(1)) or m.group(1) in self.local:
            return
        if self.gaz.level(parent) in ("省", "市") or parent in self.local:
            self.add(m.group(1), parent)

    def _alias_before(self, text: str, b: int) -> str:
        hits = [h for h in self.gaz.find_all(text[:b]) if h[1] == b]
        return text[hits[-1][0] : b] if hits else ""

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        """Regions named in text as (start, end, name); local places win over overlapping gazetteer names."""
        hits: list[tuple[int, int, str]] = []
        taken = [False] * len(text)
        if self._rx is not None:
            for m in self._rx.finditer(text):
                hits.append((m.start(), m.end(), m.group(0)))
                for i in range(m.start(), m.end()):
                    taken[i] = True
        hits.extend(h for h in self.gaz.find_all(text) if not any(taken[h[0] : h[1]]))
        return sorted(hits)

    def names_in(self, text: str) -> list[str]:
        """Distinct regions named in text, first mention first."""
        return list(dict.fromkeys(n for _, _, n in self.find_all(text)))

    def lineage(self, name: str | None) -> list[str]:
        """The region and its ancestors, nearest first."""
        if not name:
            return []
        if name in self.local:
            parent = self.local[name]
            return [name, *self.gaz.lineage(parent)] if parent in self.gaz.regions else [name, parent]
        return self.gaz.lineage(name) if name in self.gaz.regions else [name]

    def level(self, name: str | None) -> str:
        """省 / 市 / 区县 / 国家 (local places are 区县)."""
        if not name:
            return ""
        return "区县" if name in self.local else self.gaz.level(name)

    def contains(self, outer: str, inner: str) -> bool:
        """Whether ``inner`` is ``outer`` or lies inside it."""
        return outer in self.lineage(inner)

    def most_specific(self, names: list[str]) -> list[str]:
        """Drop names that contain another name of the list."""
        return [n for n in names if not any(o != n and self.contains(n, o) for o in names)]

    def main(self, text: str) -> str | None:
        """The most specific region a title, heading or issuer names (中国 only when alone)."""
        names = self.most_specific(self.names_in(text))
        if len(names) > 1:
            names = [n for n in names if n != "中国"]
        if len(names) > 1:
            ranked = sorted(names, key=lambda n: -len(self.lineage(n)))
            return ranked[0]
        return names[0] if names else None


# ---------------------------------------------------------------- reading
@dataclass
class _Fig:
    a: int  # cleaned offsets of the written figure
    b: int
    end: int  # end including a trailing qualifier (以上 …)
    value: float | None
    low: float | None
    high: float | None
    unit: str
    written: str
    qualifier: str = ""
    special: bool = False
    ratio: bool = False


@dataclass
class _Scope:
    """The target year a paragraph set ("到2025年…"), for which region, and the last date seen."""

    year: int | None = None
    region: str | None = None
    date: int | None = None

    def covers(self, reader: _Reader, region: str | None) -> bool:
        if self.year is None:
            return False
        if self.region is None or region is None or region == self.region:
            return True
        return reader.regions.contains(self.region, region) or reader.regions.contains(region, self.region)


@dataclass
class _Line:
    start: int
    end: int
    section: tuple[str, ...]
    unit: int
    record: Record | None = None
    article: str = ""


class _Reader:
    """Reads one processed document."""

    def __init__(self, p: Processed, gaz: Gazetteer) -> None:
        self.p = p
        self.text = p.doc.text
        self.source = p.source
        self.regions = Regions(gaz)
        self.policies: dict[str, Policy] = {pol.title: pol for pol in p.policies}
        self.doc_policy = p.info.title if p.info.kind == "policy" else ""
        self.chunk_starts = [c.start for c in p.chunks]
        self._policy_cache: dict[int, Policy | None] = {}
        self._region_cache: dict[int, str | None] = {}
        self._learn()
        self.doc_region = self._doc_region()
        head = self.text[:300]
        head_year = re.search(r"(?P<y>(?:19|20)\d{2})\s*年\s*\d{1,2}\s*月", head) or re.search(
            r"(?<![到至在于])(?P<y>(?:19|20)\d{2})\s*年(?!底|末|前)", head
        )
        if re.match(r"\d{4}", p.info.date or ""):
            self.doc_year: int | None = int(p.info.date[:4])
        else:
            self.doc_year = int(head_year.group("y")) if head_year else None
        self.lines = list(self._lines())
        self.facts: list[Fact] = []

    # --- context
    def _learn(self) -> None:
        texts = [self.p.info.title, self.p.info.issuer]
        texts += [p.title for p in self.p.policies] + [p.issuer for p in self.p.policies]
        texts += [v for r in self.p.doc.records for k, v in r.fields.items() if "单位" in k or "机构" in k]
        texts += [v for k, v in self.p.doc.meta.items() if "单位" in k]
        for line in self.text.split("\n"):
            s = line.strip()
            if s and len(s) <= 20 and heading_level(s):
                texts.append(s)
        for t in texts:
            if t:
                self.regions.learn(t)
        titled = [(self.p.info.title, self.p.info.issuer)] + [(p.title, p.issuer) for p in self.p.policies]
        for title, issuer in titled:
            self.regions.learn_leading(title, self.regions.main(issuer or ""))

    def _doc_region(self) -> str | None:
        info = self.p.info
        found = self.regions.main(info.title) or self.regions.main(info.issuer)
        if found and (info.kind == "policy" or len(info.regions) <= 1):
            return found
        if info.kind == "policy" or len(info.regions) == 1:
            return info.regions[0] if info.regions else None
        return None

    def _lines(self) -> Iterator[_Line]:
        records = {r.start: r for r in self.p.doc.records}
        section: list[tuple[int, str]] = []
        pos, unit, prev_key = 0, 0, None
        for raw in self.text.split("\n"):
            a, b = pos, pos + len(raw)
            pos = b + 1
            s = raw.strip()
            if not s:
                continue
            record = records.get(a)
            article = ""
            if record is None:
                level = heading_level(s)
                pseudo = re.match(r"^([^\s，。：]{2,8})：", s)
                if not level and pseudo and self.regions.names_in(pseudo.group(1)):
                    level = 4
                if level:
                    section = [(lv, x) for lv, x in section if lv < level] + [(level, s)]
                if ARTICLE.match(s):
                    m = re.match(r"^第[^条]{1,6}条\s*([^，。；、]{2,12})。", s)
                    article = m.group(1) if m else " "
            key = (tuple(x for _, x in section), record is None and not article)
            if key != prev_key or record is not None or article:
                unit += 1
            prev_key = key
            yield _Line(a, b, tuple(x for _, x in section), unit, record, article.strip())

    def policy_at(self, line: _Line) -> Policy | None:
        """The policy a line is about: its record's, its chunk's, or the one its section announced."""
        if line.start not in self._policy_cache:
            self._policy_cache[line.start] = self._policy_at(line)
        return self._policy_cache[line.start]

    def _policy_at(self, line: _Line) -> Policy | None:
        if line.record is not None:
            for pol in self.p.policies:
                if any(a <= line.start < b or a == line.start for a, b in pol.records):
                    return pol
        i = bisect_right(self.chunk_starts, line.start) - 1
        if 0 <= i < len(self.p.chunks):
            title = self.p.chunks[i].policy
            if title in self.policies:
                return self.policies[title]
        for pol in sorted(self.p.policies, key=lambda x: -x.start):
            if pol.date and pol.start <= line.start and self._section_of(pol.start) == line.section:
                return pol
        for pol in sorted(self.p.policies, key=lambda x: x.start):  # "X发布《…》" inside this very line
            if line.start <= pol.start < line.end and ISSUED.search(self.text[max(line.start, pol.start - 6) : pol.start]):
                return pol
        return None

    def _section_of(self, pos: int) -> tuple[str, ...]:
        best: tuple[str, ...] = ()
        for ln in self.lines:
            if ln.start > pos:
                break
            best = ln.section
        return best

    def policy_title(self, line: _Line) -> str:
        pol = self.policy_at(line)
        return pol.title if pol else self.doc_policy

    def context_region(self, line: _Line) -> str | None:
        """Region from the section headings, the record, the policy, the document."""
        if line.start not in self._region_cache:
            self._region_cache[line.start] = self._context_region(line)
        return self._region_cache[line.start]

    def _context_region(self, line: _Line) -> str | None:
        for heading in reversed(line.section):
            found = self.regions.main(heading)
            if found:
                return found
        if line.record is not None:
            issuer = next((v for k, v in line.record.fields.items() if "单位" in k or "机构" in k), "")
            found = self.regions.main(issuer)
            if found:
                return found
        pol = self.policy_at(line)
        if pol is not None:
            found = self.regions.main(pol.title) or self.regions.main(pol.issuer) or pol.region or None
            if found:
                return found
        return self.doc_region

    def region_for(self, line: _Line, sa: int, pos: int, *, aggregate_none: bool = False) -> str | None:
        """Region of a figure or term at ``pos``: the sentence before it, else the context."""
        ctx = self.context_region(line)
        before = self.text[sa:pos]
        hits = [h for h in self.regions.find_all(before) if h[2] != "中国"]
        if len(hits) >= 3 and all(
            re.fullmatch(r"[、，和及与\s]{0,2}", before[x[1] : y[0]]) for x, y in zip(hits[-3:], hits[-2:], strict=False)
        ):
            return None if aggregate_none else ctx  # an enumeration of regions: a comparison, not one region
        if hits:
            near = hits[-1][2]
            if ctx and self.regions.contains(near, ctx):
                return ctx
            return near
        return ctx

    def _regional(self, region: str | None) -> bool:
        """Qualitative facts need a region below the national level (unless the text is a policy)."""
        return region is not None and (self.regions.level(region) != "国家" or self.p.info.kind == "policy")

    def fallback_year(self, line: _Line) -> int | None:
        pol = self.policy_at(line)
        for title in ([pol.title] if pol else []) + ([self.doc_policy] if self.doc_policy else []):
            period = period_of(title)
            if period:
                return int(period[-4:])
            m = re.search(r"(20\d{2})\s*年度?(?:工作要点|工作计划|行动计划|要点|计划)", title)
            if m:
                return int(m.group(1))
        return None

    def base_year(self, line: _Line) -> int | None:
        pol = self.policy_at(line)
        if pol is not None and pol.period:
            return int(pol.period[:4]) - 1
        if pol is not None and pol.date:
            return int(pol.date[:4])
        return self.doc_year

    # --- sentences
    def sentences(self, line: _Line) -> Iterator[tuple[int, int]]:
        a = line.start
        for m in re.finditer(r"[^。！？；]+[。！？；]?", self.text[line.start : line.end]):
            s, e = a + m.start(), a + m.end()
            while s < e and self.text[s].isspace():
                s += 1
            if e > s:
                yield s, e

    def quote(self, sa: int, sb: int, a: int, b: int, limit: int = 120) -> tuple[int, int]:
        """The sentence, or for a long one the clauses around [a, b)."""
        while sb > sa and self.text[sb - 1].isspace():
            sb -= 1
        if sb - sa <= limit:
            return sa, sb
        cuts = [sa] + [sa + m.end() for m in re.finditer(r"[，,：:]", self.text[sa:sb])] + [sb]
        lo = max(c for c in cuts if c <= a)
        hi = min(c for c in cuts if c >= b)
        while True:
            prev = [c for c in cuts if c < lo]
            nxt = [c for c in cuts if c > hi]
            grown = False
            if prev and hi - prev[-1] <= limit:
                lo, grown = prev[-1], True
            if nxt and nxt[0] - lo <= limit:
                hi, grown = nxt[0], True
            if not grown:
                break
        while hi > lo and self.text[hi - 1] in "，,：: ":
            hi -= 1
        return lo, hi

    def evidence(self, line: _Line, sa: int, sb: int, a: int, b: int, written: str) -> Evidence:
        qa, qb = self.quote(sa, sb, a, b)
        return Evidence(self.source, self.text[qa:qb], qa, qb, self.p.doc.original_span(qa, qb), written, " > ".join(line.section))

    # --- figures
    def figures(self, sa: int, sb: int) -> list[_Fig]:
        text, sent = self.text, self.text[sa:sb]
        titles = [(sa + m.start(), sa + m.end()) for m in re.finditer(r"《[^》]*》", sent)]
        taken: list[tuple[int, int]] = []
        figs: list[_Fig] = []

        def free(a: int, b: int) -> bool:
            return not any(x < b and a < y for x, y in taken + titles)

        for m in LEVEL_FORM.finditer(sent):
            a, b = sa + m.start(), sa + m.end()
            n = float(m.group("d")) if m.group("d") else MAGNITUDE[m.group("n")] if m.group("n") else 1
            figs.append(_Fig(a, b, b, float(n), None, None, m.group("mag") + "元", m.group(0), special=True))
            taken.append((a, b))
        for m in UPPER_FORM.finditer(sent):
            a, b = sa + m.start(), sa + m.end()
            if not free(a, b):
                continue
            mag, unit = m.group("mag"), m.group("unit")
            v, u = (1.0, mag + unit) if mag in "亿万" else (float(MAGNITUDE[mag]), unit)
            figs.append(_Fig(a, b, b, v, None, None, u, m.group(0), "以上", special=True))
            taken.append((a, b))
        for m in BARE_FORM.finditer(sent):  # 推广百项, 突破千亿元
            a, b = sa + m.start("n"), sa + m.end()
            if free(a, b):
                figs.append(_Fig(a, b, b, float(MAGNITUDE[m.group("n")]), None, None, m.group("unit"), text[a:b], special=True))
                taken.append((a, b))
        for m in PCT_FORM.finditer(sent):
            a, b = sa + m.start(), sa + m.end()
            v = _cn_value(m.group("n"))
            if v is not None and free(a, b):
                figs.append(_Fig(a, b, b, v, None, None, "%", m.group(0)))
                taken.append((a, b))
        for m in FIGURE.finditer(sent):
            a, b = sa + m.start(), sa + m.start("unit") + len(m.group("unit"))
            end = sa + m.end()
            if not free(a, end) or not self._plausible(m, a, end):
                continue
            lo, hi = _value(m.group("lo")), _value(m.group("hi")) if m.group("hi") else None
            if lo is None or (m.group("hi") and hi is None):
                continue
            if not re.fullmatch(AR, m.group("lo")) and lo < 2:
                continue
            unit = m.group("unit")
            post = m.group("post") or ""
            more = m.group("more") or ""
            qual = post or (QUALIFIER_NAME[more] if more else "")
            if hi is not None:
                figs.append(_Fig(a, b, end, None, lo, hi, unit, text[a:b], qual))
            else:
                figs.append(_Fig(a, b, end, lo, None, None, unit, text[a:b], qual))
            taken.append((a, end))
        figs.sort(key=lambda f: f.a)
        for f in figs:
            if not f.qualifier:
                f.qualifier = self._prefix_qualifier(sa, f.a)
        return figs

    def _plausible(self, m: re.Match[str], a: int, end: int) -> bool:
        text = self.text
        before = text[a - 1] if a > 0 else ""
        after = text[end : end + 4]
        lo = m.group("lo")
        arabic = bool(re.match(r"\d", lo))
        if before in "第+.-/_" or (before.isascii() and before.isalnum()):
            return False
        if after[:1] in "+＋" or (after[:1].isascii() and after[:1].isalnum() and m.group("unit") == "%"):
            return False
        unit = m.group("unit")
        if not arabic:
            if before in CN_DIGITS + "数几若多第每" or (not unit.endswith("元") and after[:1] in CN_DIGITS):
                return False  # 数十家, 第十四个, 五个一, 三位一体
        if unit.endswith("个") and after.startswith(COUNT_STOP):
            return False
        return not (unit.endswith("元") and m.group("more") and after.startswith(("化", "素", "主体")))

    def _prefix_qualifier(self, sa: int, a: int) -> str:
        window = self.text[max(sa, a - 8) : a]
        window = re.split(r"[，。；、：]", window)[-1]
        best, at = "", -1
        for q in QUALIFIERS:
            i = window.rfind(q)
            if i >= 0 and i + len(q) > at:
                best, at = q, i + len(q)
        return QUALIFIER_NAME.get(best, best)

    # --- the walk
    def read(self) -> list[Fact]:
        units: dict[int, _Scope] = {}
        for line in self.lines:
            state = units.setdefault(line.unit, _Scope())
            for sa, sb in self.sentences(line):
                self._sentence(line, sa, sb, state)
        return self.facts

    def _sentence(self, line: _Line, sa: int, sb: int, state: _Scope) -> None:
        text = self.text
        sent = text[sa:sb]
        scopes = self._scopes(line, sa, sent)
        scope_spans = [(sa + m.start(), sa + m.end()) for m in SCOPE.finditer(sent)]
        dates = [
            (sa + m.start(), int(m.group("y")))
            for m in DATE_YEAR.finditer(sent)
            if not any(a <= sa + m.start() < b for a, b in scope_spans)
        ]
        figs = self.figures(sa, sb)
        strong = bool(STRONG_SUPPORT.search(sent))
        count = len(self.facts)
        measure_done: set[str] = set()
        if figs:
            self._mark_ratios(sa, figs, strong or bool(SUPPORT.search(sent)))
            groups = self._groups(figs)
            prev_end = sa
            prev_money_end = sa
            for group in groups:
                for idx, f in enumerate(group):
                    if idx and not f.qualifier and group[0].qualifier not in ("以上", "左右", "以下", "以内", "超过"):
                        f.qualifier = group[0].qualifier
                kind = self._kind(line, sa, sb, group[0], prev_money_end, scopes, state)
                if kind == "measure":
                    measure_done.update(self._measures(line, sa, sb, group, prev_money_end, figs))
                    prev_money_end = group[-1].end
                elif kind in ("target", "statistic"):
                    self._figures_fact(kind, line, sa, sb, group, prev_end, figs, scopes, dates, state)
                prev_end = group[-1].end
            for f in figs:
                if f.ratio and strong and not any(g.a > f.a and g.unit.endswith("元") for g in figs):
                    self._ratio_only(line, sa, sb, f)
                    measure_done.add(category_of(sent) or "资金补贴")
        if scopes:
            state.year = scopes[-1][1]
            state.region = self.region_for(line, sa, scopes[-1][0])
        if dates:
            state.date = dates[-1][1]
        if not any(f.kind in ("target", "statistic") for f in self.facts[count:]):
            self._qualitative(line, sa, sb, measure_done)
        self._scenarios(line, sa, sb)
        self._technologies(line, sa, sb)

    def _scopes(self, line: _Line, sa: int, sent: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for m in SCOPE.finditer(sent):
            if m.group("fyp"):
                year = FIVE_YEAR[m.group("fyp")]
            else:
                year = int(m.group("y") or m.group("y2"))
            if self.doc_year and year < self.doc_year - 1:
                continue
            out.append((sa + m.start(), year))
        for m in RELATIVE.finditer(sent):
            n = _value(m.group("n"))
            year = self.fallback_year(line)
            if year is None and n is not None and self.base_year(line):
                year = int(self.base_year(line) or 0) + int(n)
            if year:
                out.append((sa + m.start(), year))
        return sorted(out)

    def _mark_ratios(self, sa: int, figs: list[_Fig], support: bool) -> None:
        if not support:
            return
        for f in figs:
            if f.unit != "%":
                continue
            clause_start = max(self.text.rfind(c, sa, f.a) for c in "，；。") + 1
            before = self.text[max(sa, clause_start) : f.a]
            after = self.text[f.end : f.end + 6]
            if RATIO_BEFORE.search(before) or after.startswith("的比例"):
                f.ratio = True

    def _groups(self, figs: list[_Fig]) -> list[list[_Fig]]:
        groups: list[list[_Fig]] = []
        for f in figs:
            if f.ratio:
                continue
            if groups:
                last = groups[-1][-1]
                between = self.text[last.end : f.a]
                same_type = last.unit.endswith("元") == f.unit.endswith("元")
                if same_type and re.fullmatch(r"\s*(?:[、和及与]|以及)\s*(?:最高)?\s*", between):
                    groups[-1].append(f)
                    continue
            groups.append([f])
        return groups

    def _kind(
        self,
        line: _Line,
        sa: int,
        sb: int,
        f: _Fig,
        seg_start: int,
        scopes: list[tuple[int, int]],
        state: _Scope,
    ) -> str:
        """measure, target, statistic, or skip (a threshold or condition inside a support clause)."""
        text = self.text
        clause_a = max(text.rfind(c, sa, f.a) for c in "，；。：") + 1
        clause_a = max(clause_a, sa)
        ends = [i for i in (text.find(c, f.end, sb) for c in "，；。") if i >= 0]
        clause_b = min(ends) if ends else sb
        if f.unit.endswith("元"):
            if self._in_condition(sa, f.a):
                return "skip"
            seg = text[self._after_clause(seg_start, f.a) if seg_start > sa else sa : clause_b]
            after = text[f.end : clause_b]
            if re.fullmatch(r"[^，；。]{0,12}的", after):
                return "skip"  # "首次突破10亿元的，给予…": a threshold, not an amount
            near_before = text[max(clause_a, f.a - 8) : f.a]
            if FUND.search(seg):
                return "measure"
            support_here = SUPPORT.search(seg) or SUPPORT.search(after[:6])
            if support_here and not (NOT_MEASURE_BEFORE.search(near_before) and not STRONG_SUPPORT.search(seg)):
                return "measure"
        elif not f.special and STRONG_SUPPORT.search(text[clause_a:clause_b]):
            return "skip"  # a condition or duration inside a support clause
        clause = text[sa:clause_b]
        before_sent = text[sa : f.a]
        scope_before = any(p < f.a for p, _ in scopes) or bool(FUTURE_CUE.search(before_sent))
        if scope_before:
            return "target"
        if STAT_CUE.search(clause):
            return "statistic"
        if f.special:
            return "target"
        if state.covers(self, self.region_for(line, sa, f.a)):
            return "target"  # inside a paragraph that set a target year for this region
        verb = bool(TARGET_CUE.search(text[sa : f.a]))
        goal_context = self.p.info.kind == "policy" or scopes or self.policy_at(line) is not None
        return "target" if verb and goal_context else "statistic"

    def _after_clause(self, start: int, a: int) -> int:
        """Move a segment start past the clause that holds the previous amount."""
        cut = [i for i in (self.text.find(c, start, a) for c in "，；") if i >= 0]
        return min(cut) + 1 if cut else start

    def _in_condition(self, sa: int, a: int) -> bool:
        """A figure inside an "对…的" condition before 给予 ("对年营收首次突破1亿元的企业，给予…")."""
        before = self.text[sa:a]
        m = _last(CONDITION_OBJ, before)
        if m is None:
            return False
        between = before[m.end() :]
        return not re.search(r"[，；]|给予|按|分别|奖励|补贴|资助", between)

    # --- targets and statistics
    def _figures_fact(
        self,
        kind: str,
        line: _Line,
        sa: int,
        sb: int,
        group: list[_Fig],
        prev_end: int,
        figs: list[_Fig],
        scopes: list[tuple[int, int]],
        dates: list[tuple[int, int]],
        state: _Scope,
    ) -> None:
        text = self.text
        metrics = self._respectively(sa, group)
        for i, f in enumerate(group):
            region = self.region_for(line, sa, f.a, aggregate_none=kind == "statistic")
            if kind == "statistic" and region == "中国":
                region = None  # a national figure
            if region is None and kind == "target":
                continue
            if kind == "target":
                year = next((y for p, y in reversed(scopes) if p < f.a), None)
                if year is None and state.covers(self, region):
                    year = state.year
                if year is None:
                    year = next((y for p, y in scopes if p > f.a), None)
                if year is None:
                    year = self.fallback_year(line)
            else:
                year = next((y for p, y in reversed(dates) if p < f.a), None) or state.date or self.doc_year
            metric = metrics[i] if metrics else self._metric(sa, sb, f, figs, prev_end if i == 0 else group[i - 1].end)
            fact = Fact(
                kind,
                region,
                metric,
                f.value,
                f.unit,
                f.qualifier,
                f.low,
                f.high,
                year,
                self.policy_title(line),
                level=self.regions.level(region),
                lineage=self.regions.lineage(region),
            )
            fact.evidence.append(self.evidence(line, sa, sb, f.a, f.b, text[f.a : f.b]))
            self.facts.append(fact)

    def _respectively(self, sa: int, group: list[_Fig]) -> list[str]:
        """Metrics for "A、B、C产业规模分别突破x、y、z": one per listed item."""
        if len(group) < 2:
            return []
        text = self.text
        clause_a = max(max(text.rfind(c, sa, group[0].a) for c in "，；。：") + 1, sa)
        head = text[clause_a : group[0].a]
        at = head.rfind("分别")
        if at < 0:
            return []
        subject = head[:at]
        for _, b, _ in self.regions.find_all(subject):
            subject = subject[b:] if b < len(subject) else subject
        subject = LEAD_STRIP.sub("", VERB_STRIP.sub("", LEAD_STRIP.sub("", subject)))
        items = [x for x in re.split(r"[、]", subject) if x]
        if len(items) != len(group):
            return []
        last = items[-1]
        for word in HEAD_WORDS:
            if last.endswith(word) and len(last) > len(word) and not any(x.endswith(word) for x in items[:-1]):
                items = [x + word for x in items[:-1]] + [last]
                break
        return [_clean_metric(x) for x in items]

    def _metric(self, sa: int, sb: int, f: _Fig, figs: list[_Fig], prev_end: int) -> str:
        text = self.text
        clause_a = max(max(text.rfind(c, sa, f.a) for c in "，；。：") + 1, sa)
        ends = [i for i in (text.find(c, f.end, sb) for c in "，；。：") if i >= 0]
        clause_b = min(ends) if ends else sb
        nxt = next((g for g in figs if g.a >= f.end and g.a < clause_b), None)
        after = text[f.end : clause_b]
        if nxt is not None:
            between = text[f.end : nxt.a]
            if "、" in between or not between.strip("、和及与 "):
                after = between[: between.rfind("、")] if "、" in between else ""
            else:  # "1~2家营收超50亿元的头部企业、…": the next figure belongs to this phrase
                cut = after.find("、", nxt.end - f.end)
                after = after[:cut] if cut >= 0 else after
        after = after.strip('”"’ ')
        before = re.split(r"、|以及", text[max(clause_a, prev_end) : f.a].lstrip("、，和及与 "))[-1]
        before = TAIL_STRIP.sub("", before)
        for _, b, _ in self.regions.find_all(before):
            if b <= len(before) and b <= 8:
                before = before[b:]
        before = VERB_STRIP.sub("", LEAD_STRIP.sub("", before))
        before = VERB_STRIP.sub("", LEAD_STRIP.sub("", before))
        if after.startswith("的"):
            noun = after[1:]
            noun = noun[noun.rfind("的") + 1 :] if "的" in noun else noun
            return _clean_metric(noun + before)
        if len(re.findall(f"[{CJK}]", after)) >= 2:
            noun = after[after.rfind("的") + 1 :] if "的" in after and len(after) - after.rfind("的") > 2 else after
            noun = re.sub(rf"(?:{TARGET_CUE.pattern})+$", "", noun).rstrip("的")
            return _clean_metric(noun)
        return _clean_metric(before)

    # --- measures
    def _measures(self, line: _Line, sa: int, sb: int, group: list[_Fig], seg_start: int, figs: list[_Fig]) -> list[str]:
        text = self.text
        first, last = group[0], group[-1]
        if seg_start > sa:
            seg_start = self._after_clause(seg_start, first.a)
        ends = [i for i in (text.find(c, last.end, sb) for c in "，；。") if i >= 0]
        seg_end = min(ends) if ends else sb
        seg = text[seg_start:seg_end]
        noun_after = re.match(rf"^[的]?([{CJK}、与和]{{1,14}})", text[last.end : seg_end])
        noun_after_s = noun_after.group(1) if noun_after else ""
        give = text.rfind("给予", seg_start, first.a)
        noun_before = text[give + 2 : first.a] if give >= 0 else ""
        noun_before = re.sub(r"每年|每人|最高|不超过|单个企业|分别", "", noun_before)
        category = ""
        for source in (line.article, noun_after_s, noun_before):
            cat = category_of(source) if source else ""
            if cat and cat != "资金补贴":
                category = cat
                break
        if not category:
            category = category_of(seg) or "资金补贴"
        ratio_fig = None
        for g in figs:
            if g.ratio and seg_start <= g.a < first.a:
                ratio_fig = g
        ratio = round(ratio_fig.value / 100, 6) if ratio_fig is not None and ratio_fig.value is not None else None
        beneficiaries, head, condition = self._beneficiaries(seg_start, first.a)
        name = noun_after_s or re.sub(rf"[^{CJK}]", "", noun_before) or line.article or category
        region = self.region_for(line, sa, first.a)
        if region is None:
            return []
        for i, f in enumerate(group):
            if len(group) > 1 and len(beneficiaries) == len(group) and "分别" in text[seg_start : first.a]:
                who = beneficiaries[i]
            else:
                who = head
            fact = Fact(
                "measure",
                region,
                _clean_metric(name),
                f.value,
                f.unit,
                f.qualifier,
                f.low,
                f.high,
                None,
                self.policy_title(line),
                category=category,
                ratio=ratio,
                beneficiary=who,
                condition=condition,
                level=self.regions.level(region),
                lineage=self.regions.lineage(region),
            )
            fact.evidence.append(self.evidence(line, sa, sb, f.a, f.b, text[f.a : f.b]))
            self.facts.append(fact)
        return [category]

    def _beneficiaries(self, seg_start: int, a: int) -> tuple[list[str], str, str]:
        """Who a measure is for: the object of "对…" as a list (for 分别), as a whole, and the condition."""
        text = self.text
        before = text[seg_start:a]
        m = _last(CONDITION_OBJ, before)
        if m is None:
            lead = re.match(r"^([^，；。]{2,30}的)，", before)  # "首次突破10亿元的，给予…"
            return [], "", lead.group(1)[:-1] if lead else ""
        obj = re.split(r"[，；]|给予|按照?|分别", before[m.end() :])[0]
        condition = obj.strip()
        if condition.endswith("的"):
            return [], "", condition[:-1][:60]
        head = obj[obj.rfind("的") + 1 :] if "的" in obj else obj
        items = obj.split("、")
        if len(items) > 1 and "的" in items[-1]:
            items[-1] = items[-1][: items[-1].rfind("的")]
        items = [x[x.rfind("的") + 1 :] if "的" in x else x for x in items]
        if len(items) > 1:
            for word in ("单位", "企业", "人才", "机构", "团队", "项目"):
                if items[-1].endswith(word) and not any(x.endswith(word) for x in items[:-1]):
                    items = [x + word for x in items[:-1]] + [items[-1]]
                    break
        items = [re.sub(r"^(?:担任|作为|被?认定为|入选|获评|符合条件的)", "", x).strip() for x in items]
        items = [x for x in items if x]
        return items, head.strip()[:40], condition[:60]

    def _ratio_only(self, line: _Line, sa: int, sb: int, f: _Fig) -> None:
        region = self.region_for(line, sa, f.a)
        if region is None or f.value is None:
            return
        seg = self.text[sa:sb]
        category = category_of(line.article) or category_of(seg) or "资金补贴"
        _, head, condition = self._beneficiaries(sa, f.a)
        fact = Fact(
            "measure",
            region,
            category,
            None,
            "",
            "",
            None,
            None,
            None,
            self.policy_title(line),
            category=category,
            ratio=round(f.value / 100, 6),
            beneficiary=head,
            condition=condition,
            level=self.regions.level(region),
            lineage=self.regions.lineage(region),
        )
        fact.evidence.append(self.evidence(line, sa, sb, f.a, f.b, self.text[f.a : f.b]))
        self.facts.append(fact)

    def _qualitative(self, line: _Line, sa: int, sb: int, done: set[str]) -> None:
        sent = self.text[sa:sb]
        for pattern, category in QUALITATIVE_MEASURES:
            if category in done:
                continue
            m = re.search(pattern, sent)
            if not m:
                continue
            region = self.region_for(line, sa, sa + m.start())
            if not self._regional(region):
                continue
            a, b = sa + m.start(), sa + m.end()
            fact = Fact(
                "measure",
                region,
                category,
                policy=self.policy_title(line),
                category=category,
                level=self.regions.level(region),
                lineage=self.regions.lineage(region),
            )
            fact.evidence.append(self.evidence(line, sa, sb, a, b, self.text[a:b]))
            self.facts.append(fact)

    # --- scenarios and technologies
    def _blank_regions(self, sa: int, sb: int) -> str:
        sent = self.text[sa:sb]
        for a, b, _ in self.regions.find_all(sent):
            sent = sent[:a] + " " * (b - a) + sent[b:]
        return sent

    def _scenarios(self, line: _Line, sa: int, sb: int) -> None:
        sent = self._blank_regions(sa, sb)
        if not SCENARIO_CUE.search(sent):
            return
        done: set[tuple[str, str | None]] = set()
        for (pa, pb), names in self._places(sa, sb):
            clause_a = max(max(self.text.rfind(c, sa, pa) for c in "，；。") + 1, sa)
            ends = [i for i in (self.text.find(c, pa, sb) for c in "，；。") if i >= 0]
            clause = sent[clause_a - sa : (min(ends) if ends else sb) - sa]
            doms = [d for d, words in DOMAINS if re.search("|".join(words), clause)]
            if not doms:
                doms = [d for p, d in PLACE_DOMAIN if any(re.search(f"(?:{p})$", n) for n in names)][:1]
            region = self.region_for(line, sa, pa)
            for d in doms:
                self._scenario_fact(line, sa, sb, d, region, (pa, pb), names)
                done.add((d, region))
        for domain, words in DOMAINS:
            for m in re.finditer("|".join(words), sent):
                region = self.region_for(line, sa, sa + m.start())
                if (domain, region) not in done:
                    done.add((domain, region))
                    self._scenario_fact(line, sa, sb, domain, region, (sa + m.start(), sa + m.end()), [])

    def _scenario_fact(
        self, line: _Line, sa: int, sb: int, domain: str, region: str | None, span: tuple[int, int], places: list[str]
    ) -> None:
        if not self._regional(region):
            return
        fact = Fact(
            "scenario",
            region,
            domain,
            policy=self.policy_title(line),
            domain=domain,
            places=list(places),
            level=self.regions.level(region),
            lineage=self.regions.lineage(region),
        )
        a, b = span
        fact.evidence.append(self.evidence(line, sa, sb, a, b, self.text[a:b]))
        self.facts.append(fact)

    def _places(self, sa: int, sb: int) -> list[tuple[tuple[int, int], list[str]]]:
        sent = self.text[sa:sb]
        out: list[tuple[tuple[int, int], list[str]]] = []
        for m in PLACE_LIST.finditer(sent):
            items = m.group(1).split("、")
            items[0] = PLACE_VERB.sub("", items[0])
            head = sent[m.end() : m.end() + 10]
            by_head = bool(PLACE_HEAD.match(head))
            names = []
            for x in items:
                x = x.strip()
                if len(x) < 2 or x in GENERIC_PLACES or self.regions.gaz.canonical(x) or x in self.regions.local:
                    continue
                if re.search(r"\d|元宇宙|技术|产业|企业|平台|应用|场景|领域|服务|机构|高校|院所|^(?:特色|智慧|数字)", x):
                    continue
                if by_head or PLACE_SUFFIX.search(x):
                    names.append(x)
            if names:
                first = sent.find(names[0], m.start())
                out.append(((sa + first, sa + first + len(names[0])), names))
        return out

    def _technologies(self, line: _Line, sa: int, sb: int) -> None:
        sent = self._blank_regions(sa, sb)
        seen: set[str] = set()
        for m in TECH_RX.finditer(sent):
            name = next(TECHNOLOGIES[int(k[1:])][1] for k, v in m.groupdict().items() if v)
            if name in seen:
                continue
            seen.add(name)
            a, b = sa + m.start(), sa + m.end()
            region = self.region_for(line, sa, a)
            if not self._regional(region):
                continue
            fact = Fact(
                "technology",
                region,
                name,
                policy=self.policy_title(line),
                technology=name,
                level=self.regions.level(region),
                lineage=self.regions.lineage(region),
            )
            fact.evidence.append(self.evidence(line, sa, sb, a, b, self.text[a:b]))
            self.facts.append(fact)

    # --- policies
    def policy_facts(self) -> list[PolicyFact]:
        out: list[PolicyFact] = []
        text = self.text
        for pol in self.p.policies:
            region = self.regions.main(pol.title) or self.regions.main(pol.issuer) or pol.region or None
            at = text.find(pol.evidence) if pol.evidence else -1
            if at >= 0:
                a, b = at, at + len(pol.evidence)
            elif pol.records:
                a, b = pol.records[0]
            else:
                a, b = pol.start, pol.end
            written = pol.title if pol.title in text[a:b] else text[a:b][:20]
            out.append(
                PolicyFact(
                    pol.title,
                    pol.issuer,
                    region,
                    self.regions.level(region),
                    self.regions.lineage(region),
                    pol.date,
                    pol.period,
                    pol.status,
                    _genre(pol.title),
                    False,
                    [Evidence(self.source, text[a:b], a, b, self.p.doc.original_span(a, b), written)],
                )
            )
        if self.doc_policy:
            info = self.p.info
            at = text.find(info.title)
            if at >= 0:
                a, b = at, at + len(info.title)
            else:
                b = text.find("\n") if "\n" in text else len(text)
                a = 0
            status = re.search(r"征求意见稿|草案|试行|暂行", info.title)
            stated = next((v for k, v in self.p.doc.meta.items() if k in ("颁布日期", "发布日期", "印发日期", "成文日期")), "")
            issued = info.date if stated else ""  # a repost's front-matter date is not the issue date
            out.append(
                PolicyFact(
                    info.title,
                    info.issuer,
                    self.doc_region,
                    self.regions.level(self.doc_region),
                    self.regions.lineage(self.doc_region),
                    issued,
                    period_of(info.title),
                    status.group(0) if status else "",
                    _genre(info.title),
                    True,
                    [Evidence(self.source, text[a:b], a, b, self.p.doc.original_span(a, b), text[a:b])],
                )
            )
        return out


def _last(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in rx.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    return found


def _genre(title: str) -> str:
    found = list(re.finditer(POLICY_WORDS, re.sub(r"[（(][^）)]*[）)]", "", title)))
    return found[-1].group(0) if found else ""


# ---------------------------------------------------------------- public API
def analyse(doc: Processed, gaz: Gazetteer) -> Extraction:
    """Facts, policies and local places of one processed document (facts merged within it)."""
    reader = _Reader(doc, gaz)
    facts = merge(reader.read())
    policies = merge_policies(reader.policy_facts())
    return Extraction(doc.source, facts, policies, dict(reader.regions.local), doc.info.title, doc.info.kind)


def extract(doc: Processed, gaz: Gazetteer) -> list[Fact]:
    """The facts of one processed document, each with its evidence."""
    return analyse(doc, gaz).facts


def merge(facts: Iterable[Fact]) -> list[Fact]:
    """One fact per distinct statement; repeats (same or other source) add evidence."""
    out: list[Fact] = []
    buckets: dict[tuple[Any, ...], list[Fact]] = {}
    for f in facts:
        bucket = buckets.setdefault(f._bucket(), [])
        for g in bucket:
            if g._same(f):
                g._absorb(f)
                break
        else:
            g = copy.deepcopy(f)
            bucket.append(g)
            out.append(g)
    numeric = {(f.region, f.category) for f in out if f.kind == "measure" and (f.value is not None or f.ratio is not None)}
    return [f for f in out if not (f.kind == "measure" and f.value is None and f.ratio is None and (f.region, f.category) in numeric)]


def merge_policies(policies: Iterable[PolicyFact]) -> list[PolicyFact]:
    """One policy per normalised title; the policy text itself wins over descriptions."""
    out: dict[str, PolicyFact] = {}
    for p in policies:
        key = normalise_title(p.title)
        have = out.get(key)
        if have is None:
            out[key] = copy.deepcopy(p)
            continue
        if p.original and not have.original:
            p2 = copy.deepcopy(p)
            p2.evidence = p.evidence + [e for e in have.evidence if e.key() not in {x.key() for x in p.evidence}]
            have, out[key] = p2, p2
            p = have
        seen = {e.key() for e in have.evidence}
        have.evidence.extend(e for e in p.evidence if e.key() not in seen)
        for name in ("issuer", "region", "date", "period", "status", "kind", "level"):
            if not getattr(have, name) and getattr(p, name):
                setattr(have, name, getattr(p, name))
        if not have.lineage and p.lineage:
            have.lineage = list(p.lineage)
    return list(out.values())

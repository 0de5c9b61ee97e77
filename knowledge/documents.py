"""Document records and the policies a document describes.

A source file gets a ``DocumentInfo`` (title, issuer, date, kind, regions).
Reports and news roundups describe many policies: ``find_policies`` recognises
each one (its title in 《》, issuer and date from the sentence that announces
it, region from title or issuer) and the span of text about it. Appendix table
records become policies too, matched to a titled policy of the same issuer and
date where the text has one. An optional catalogue supplies metadata a text
does not state (a report's title, its kind), never facts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.normalize import CleanDoc
from knowledge.regions import Gazetteer, Region

POLICY_WORDS = (
    "行动计划|行动方案|实施方案|工作方案|办法|若干政策|若干措施|扶持政策|政策措施|规划|工作要点|"
    "通知|意见|措施|条例|纲要|细则|规定|指引|方案|计划|政策"
)
TITLE = re.compile(rf"《([^《》\n]{{4,80}}?(?:{POLICY_WORDS})[^《》\n]{{0,30}}?)》")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ISSUE_VERB = re.compile(r"(?:联合)?(?:发布|印发|出台|公布|颁布|推出|制定)")
ISSUER_TAIL = re.compile(
    r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|局|厅|委|部门|领导小组|管理委员会|执行委员会|区|市|省)$"
)
DRAFT = re.compile(r"征求意见稿|草案|试行|暂行")


@dataclass
class Policy:
    """A policy a source text states or describes."""

    title: str
    issuer: str = ""
    date: str = ""  # ISO yyyy-mm-dd where known
    region: str = ""
    status: str = ""  # 征求意见稿 / 试行 / ""
    period: str = ""  # "2022—2024"
    start: int = 0  # cleaned-text span of the text about it
    end: int = 0
    evidence: str = ""  # the sentence that names it
    records: list[tuple[int, int]] = field(default_factory=list)  # appendix rows about it


@dataclass
class DocumentInfo:
    source: str
    title: str
    kind: str  # policy | report | news | analysis
    issuer: str = ""
    date: str = ""
    regions: list[str] = field(default_factory=list)
    origin: str = ""


def iso_date(text: str) -> str:
    m = DATE.search(text)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = re.search(r"(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* (\d{4})", text)
    if m:
        month = "JanFebMarAprMayJunJulAugSepOctNovDec".index(m.group(2)) // 3 + 1
        return f"{int(m.group(3)):04d}-{month:02d}-{int(m.group(1)):02d}"
    return ""


def period_of(title: str) -> str:
    m = re.search(r"[（(](\d{4})\s*[-—–~至]\s*(\d{4})\s*年?[)）]", title)
    return f"{m.group(1)}—{m.group(2)}" if m else ""


def load_catalogue(path: Path | None) -> dict[str, dict[str, str]]:
    """Optional metadata by file name: {"000_x.txt": {"title": ..., "kind": ...}}."""
    if not path or not path.exists():
        return {}
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    return {k: {kk: str(vv) for kk, vv in v.items()} for k, v in raw.items() if isinstance(v, dict)}


def _sentence_around(text: str, a: int, b: int) -> tuple[int, int]:
    s = max(text.rfind(c, 0, a) for c in "。！？\n") + 1
    ends = [i for i in (text.find(c, b) for c in "。！？\n") if i >= 0]
    e = min(ends) + 1 if ends else len(text)
    return s, e


def _issuer_before(sentence: str, title_at: int, gaz: Gazetteer) -> str:
    """The issuer named between the date and the verb before the title."""
    head = sentence[:title_at]
    head = DATE.sub(" ", head)
    m = list(ISSUE_VERB.finditer(head))
    if not m:
        return ""
    cand = head[: m[-1].start()].strip(" ，,、：:")
    cand = re.split(r"[，,。；;：:\s]", cand)[-1] if cand else ""
    cand = re.sub(r"^(?:由|经|近日|日前|今天|此前)", "", cand)
    if 2 <= len(cand) <= 80 and (ISSUER_TAIL.search(cand) or gaz.canonical(cand)):
        return cand
    return ""


def region_of(title: str, issuer: str, gaz: Gazetteer) -> str:
    for text in (title, issuer):
        names = gaz.most_specific(gaz.names_in(text))
        if names:
            return names[0]
    return ""


def find_policies(doc: CleanDoc, gaz: Gazetteer) -> list[Policy]:
    """Recognise the policies a cleaned text names, with issuer, date and region."""
    text = doc.text
    found: dict[str, Policy] = {}
    for m in TITLE.finditer(text):
        title = m.group(1).strip()
        s, e = _sentence_around(text, m.start(), m.end())
        sentence = text[s:e]
        rel = m.start() - s
        date = iso_date(sentence[:rel]) or ""
        issuer = _issuer_before(sentence, rel, gaz)
        # Announced as "X发布《…》" with a date: a described policy; otherwise only a mention.
        announced = bool(date) or bool(ISSUE_VERB.search(sentence[max(0, rel - 6) : rel]))
        p = found.get(title)
        if p is None:
            p = Policy(title=title, start=m.start(), end=m.end(), evidence=sentence.strip())
            found[title] = p
        if announced and not p.date and date:
            p.date, p.evidence = date, sentence.strip()
        if issuer and not p.issuer:
            p.issuer = issuer
    for p in found.values():
        p.region = region_of(p.title, p.issuer, gaz)
        p.period = period_of(p.title)
        st = DRAFT.search(p.title)
        p.status = st.group(0) if st else ""
    for r in doc.records:
        issuer = next((v for k, v in r.fields.items() if "单位" in k or "机构" in k), "")
        date = iso_date(" ".join(r.fields.values()))
        match = next((p for p in found.values() if p.date == date and (p.issuer == issuer or _same_org(p.issuer, issuer))), None)
        if match is None:
            title = f"{issuer}（{date}）发布的政策" if issuer else f"{date}发布的政策"
            match = found.setdefault(
                title, Policy(title=title, issuer=issuer, date=date, region=region_of("", issuer, gaz), start=r.start, end=r.end)
            )
        match.records.append((r.start, r.end))
    return list(found.values())


def _same_org(a: str, b: str) -> bool:
    if not a or not b:
        return False
    a2, b2 = re.sub(r"[、和及等]", "", a), re.sub(r"[、和及等]", "", b)
    return a2 in b2 or b2 in a2 or a2[:6] == b2[:6]


def describe(source: str, doc: CleanDoc, policies: list[Policy], gaz: Gazetteer, catalogue: dict[str, str]) -> DocumentInfo:
    """The document record: what the text and front matter state, catalogue for the rest."""
    text = doc.text
    first_lines = [ln.strip() for ln in text.split("\n")[:8] if ln.strip()]
    has_articles = len(re.findall(r"(?m)^第[一二三四五六七八九十百零]+条", text)) >= 3
    dated = [p for p in policies if p.date]
    if catalogue.get("kind"):
        kind = catalogue["kind"]
    elif has_articles or (len(dated) <= 1 and re.search(r"(?m)^[一二三四五六七八九十]+、", text)):
        kind = "policy"
    elif len(dated) >= 8 or len(text) > 15000:
        kind = "report"
    else:
        kind = "news"
    title = catalogue.get("title") or ""
    if not title and kind == "policy":
        title = next((ln for ln in first_lines if TITLE.search(f"《{ln}》") and len(ln) <= 80), "")
    title = title or doc.meta.get("title", "") or (first_lines[0][:60] if first_lines else source)
    issuer = catalogue.get("issuer") or doc.meta.get("发布单位") or doc.meta.get("印发单位") or doc.meta.get("发文单位", "")
    date = (
        iso_date(catalogue.get("date", ""))
        or iso_date(doc.meta.get("颁布日期", "") or doc.meta.get("发布日期", "") or doc.meta.get("印发日期", ""))
        or iso_date(doc.meta.get("date", ""))
    )
    regions: list[str] = []
    for name in gaz.names_in(title + issuer) + [p.region for p in policies if p.region]:
        if name and name not in regions:
            regions.append(name)
    if not regions:
        counts: dict[str, int] = {}
        for _, _, name in gaz.find_all(text):
            counts[name] = counts.get(name, 0) + 1
        regions = [n for n, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:1]]
    return DocumentInfo(source, title, kind, issuer, date, regions, doc.meta.get("origin", ""))


ZONE_SUFFIX = r"(?:工业园区|高新技术产业开发区|经济技术开发区|高新区|开发区|经开区|新区|自治县|区|县|市)"
NOT_A_PLACE = re.compile(
    r"^(?:[一二三四五六七八九十两多几]|各|全|本|有关|下辖|所辖|市辖|城|中心城|重点|相关|其他|该|我|示范|产业|园|功能|先行|核心|集聚|试验|实验)"
)


def learn_regions(doc: CleanDoc, gaz: Gazetteer) -> list[Region]:
    """Places a document names that the gazetteer does not know yet, under the city or province that precedes them.

    Read from short lines (titles, headings, issuer and date lines) and the front matter:
    "上海市静安区科学技术委员会" teaches 静安区 under 上海市; "天津滨海新区" teaches 滨海新区 under 天津市;
    "苏州工业园区" teaches 苏州工业园区 under 苏州市.
    """
    known = sorted((a for a in gaz._alias if len(a) >= 2 and not a.isascii()), key=len, reverse=True)
    parents = [a for a in known if gaz.level(gaz.canonical(a) or "") in ("省", "市")]
    if not parents:
        return []
    rx = re.compile("(" + "|".join(re.escape(a) for a in parents) + r")(?:市|省)?([\u4e00-\u9fff]{0,6}?" + ZONE_SUFFIX + ")")
    lines = [ln.strip() for ln in doc.text.split("\n") if 0 < len(ln.strip()) <= 60] + list(doc.meta.values())
    found: dict[str, Region] = {}
    for line in lines:
        for m in rx.finditer(line):
            parent = gaz.canonical(m.group(1)) or ""
            name = m.group(2)
            core = re.sub(ZONE_SUFFIX + "$", "", name)
            if name in ("区", "县", "市") or NOT_A_PLACE.match(name) or gaz.canonical(name):
                continue
            if not core or core in ("工业", "高新", "经济技术", "高新技术产业"):
                name = re.sub(r"(市|省)$", "", m.group(1)) + name  # 苏州 + 工业园区
                core = ""
            if gaz.canonical(name) or name in found:
                continue
            level = "区县" if gaz.level(parent) == "市" or name.endswith(("区", "县")) else "市"
            short = re.sub(r"(市|省)$", "", gaz.regions[parent].name if parent in gaz.regions else "")
            aliases = {
                a
                for a in (core if len(core) >= 2 else "", short + name, parent + name)
                if a and a != name and not a.startswith(short + short)
            }
            found[name] = Region(name, level, parent, tuple(sorted(aliases)))
    return list(found.values())

"""Document records and the policies a document describes.

A source file gets a ``DocumentInfo`` (title, issuer, date, kind, regions).
Reports and news roundups describe many policies: ``find_policies`` recognises
each one (its title in 《》, issuer and date from the sentence that announces
it, region from title or issuer) and the span of text about it. Appendix table
records become policies too, matched to a titled policy of the same issuer and
date where the text has one. An optional catalogue supplies metadata a text
does not state (a report's title, its kind), never facts.

``describe`` reads a document's own title, issuer, date, 文号 and effect and
validity clauses from its text (and a saved page's fields): generic rules,
each with an example, over the word lists in ``data/doc_meta.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.normalize import DOC_WORDS, TITLE_LINE, CleanDoc
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
UNTITLED = "发布的政策"  # stand-in title of a table record that names no policy: see untitled()
DRAFT = re.compile(r"征求意见稿|草案|试行|暂行")

WORDS = DOC_WORDS


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


CN = "一二三四五六七八九十百零〇"
# A title ends with a genre word, then maybe a bracketed note: "…扶持办法（试行）", "…条例（2021年修正）".
TITLE_END = TITLE_LINE
COVER = re.compile(_alt(WORDS["cover_words"]))
ORGAN = re.compile(rf"^[\u4e00-\u9fff（）()、 ]{{2,60}}?(?:{_alt(WORDS['issuer_suffixes'])})$")
# Label lines: "问题：", "回复:", "政策思路：", "颁布日期：2022年9月2日" (a label, then maybe a short value).
LABEL = re.compile(r"^[^，。；,;]{1,8}[:：]\s*(?:\S{0,30})$")
# Numbered items and articles: "2.优化政策审批。", "（一）…", "一、…", "第一条 …", "①…", "(3)…".
NUMBERED = re.compile(rf"^(?:第[{CN}\d]+[章节条款]|[{CN}]+[、.．]|[（(][{CN}\d]+[）)]|\d+\s*[.．、)）]|[①-⑳])")
# A press question or a speaker's turn: "新华社：目前上海……怎么样？", "顾军：近年来……"; any line asking something.
SPEAKER = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,8}[:：]")
URL = re.compile(r"https?://|www\.|\.(?:html?|cn|com)\b", re.I)
# A document number: "宁新区管规字〔2026〕4号", "穗人社规字〔2019〕6号", "国办发〔2018〕15号", "合政办(2018)24号".
DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[【［（(]\s*\d{4}\s*[〕\]】］）)]\s*第?\s*\d{1,4}\s*号")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
# the date a title carries on its own line below it: "关于支持重点产业加快发展的实施意见" / "(2023年2月8日)"
TITLE_DATE = re.compile(r"^[（(]\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*[）)]$")
# A 人大 adoption line, bracketed or not: "（2024年1月25日北京市第十六届人民代表大会第二次会议通过）",
# "2020年7月31日 河南省第十三届人民代表大会常务委员会第十九次会议通过", "…会议《关于修改…的决定》修正".
# The 批准 of a higher 人大常委会 ("广东省…会议批准") is not the issuer's own act.
ADOPTED = re.compile(
    r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*"
    r"([\u4e00-\u9fff]{2,12}?)第[一二三四五六七八九十]+届(人民代表大会(?:常务委员会)?)第[一二三四五六七八九十百]+次会议"
    r"(?:《[^》]{1,80}》)?\s*(?:第[一二三四五六七八九十]次)?(通过|修订|修正|批准)"
)
# Labelled fields inside a line: "发布机构：经济发展局；文号：宁新区管规字〔2026〕4号；生成日期：2026年7月31日。"
FIELD = re.compile(
    r"(发布机构|发布单位|发布机关|发文机关|印发单位|发文单位|文号|发文字号|生成日期|成文日期|印发日期|发布日期|颁布日期)"
    r"\s*[:：]\s*([^；;，,。\n]{2,40})"
)
DATE_FIELDS = ("成文日期", "印发日期", "发布日期", "颁布日期", "生成日期")
SELF = _alt(WORDS["self_refs"])
SELF_REF = re.compile(rf"(?:本|此)(?:{SELF})")  # "本办法", "本条例": the document speaking of itself
# The effect clause: "本条例自2024年3月1日起施行", "本意见由…负责解释，自2019年1月1日起执行", "本细则自印发之日起实施".
EFFECTIVE = re.compile(rf"(?:本|此)(?:{SELF})[^。；\n]{{0,40}}?(自[^，。；\n]{{2,30}}?(?:施行|执行|实施|实行|生效))")
# The validity that follows it: "有效期至2028年12月31日", "有效期5年", "有效期五年", "暂定三年".
VALIDITY = re.compile(rf"有效期(?:为|至|到)?[^，。；\n]{{1,16}}|暂定[{CN}\d]+年")


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
    doc_no: str = ""  # 文号: "宁新区管规字〔2026〕4号"
    effective: str = ""  # the effect clause as written: "自2019年1月1日起执行"
    expires: str = ""  # the validity as written: "有效期至2028年12月31日", "暂定三年"
    title_from: str = ""  # catalogue | page | text | meta | file (the last resort: the file name)


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
            title = f"{issuer}（{date}）{UNTITLED}" if issuer else f"{date}{UNTITLED}"
            match = found.setdefault(
                title, Policy(title=title, issuer=issuer, date=date, region=region_of("", issuer, gaz), start=r.start, end=r.end)
            )
        match.records.append((r.start, r.end))
    return list(found.values())


def untitled(title: str) -> bool:
    """A stand-in title made for a record that names no policy ("某局（2022-05-01）发布的政策")."""
    return title.endswith(UNTITLED)


def _same_org(a: str, b: str) -> bool:
    if not a or not b:
        return False
    a2, b2 = re.sub(r"[、和及等]", "", a), re.sub(r"[、和及等]", "", b)
    return a2 in b2 or b2 in a2 or a2[:6] == b2[:6]


def clean_title(line: str) -> str:
    """A title line without Markdown and HTML marks: "# 北京…条例" → "北京…条例", "**…办法**" → "…办法"."""
    s = re.sub(r"<[^>]+>", "", line)
    s = re.sub(r"^\s*#{1,6}\s*", "", s)
    s = re.sub(r"\*\*|__|\u200b|\ufeff", "", s)
    s = re.sub(r"^\s*【[^【】]{1,12}】\s*(?=\S)", "", s)  # a page's tag before the title: "【关注】学历型人才…指南"
    return re.sub(r"\s+", " ", s).strip(" \t【】[]")


def _not_a_title(s: str) -> bool:
    """Labels, numbered items, questions and speakers' turns, URLs, dates and 文号 lines are never titles."""
    return bool(
        LABEL.match(s)
        or NUMBERED.match(s)
        or SPEAKER.match(s)
        or "？" in s
        or "?" in s
        or URL.search(s)
        or DATE_LINE.match(s)
        or DOC_NO.fullmatch(s)
        or s.endswith(("。", "；", "，", "：", ":"))
    )


WRAPPED = re.compile(r"^(?:的|和|与|及|暨|之|、)")  # a line that goes on from the one above it
WRAP_ENDS = ("的", "和", "与", "及", "暨", "关于", "、")  # a line that goes on into the one below it


def wrapped_title(first: str, second: str) -> bool:
    """Two lines that are one title wrapped: "印发《关于…平稳健康" / "发展的若干政策措施》的通知",
    "西宁市关于支持刚性和改善性住房需求" / "的若干措施"."""
    unclosed = second.count("》") > second.count("《") and first.count("《") > first.count("》")
    goes_on = bool(WRAPPED.match(second)) and not TITLE_END.search(first) and not first.endswith(("。", "：", ":"))
    # "苏州市进一步加快建设“人工智能+”城市的" / "若干措施（2026年版）", "杭州市加快建设人工智能创新高地" / "实施方案（2025年版）":
    # a line that is only the kind of document ends the line above it
    kind_only = TITLE_END.search(second) is not None and len(re.sub(r"[（(][^（）()]*[）)]", "", second)) <= 8
    ends = (
        (first.endswith(WRAP_ENDS) or kind_only)
        and not TITLE_END.search(first)
        and TITLE_END.search(second) is not None
        and not first.endswith(("。", "：", ":", "；", "，"))
    )
    return unclosed or goes_on or ends


def _text_title(lines: list[str]) -> str:
    """The first short line near the top that looks like a title, or a 《》 title a top line asks about."""
    prev = ""
    for ln in lines[:15]:
        s, part = clean_title(ln), prev
        if not s:
            continue  # a blank line between a title's two lines keeps them one title
        prev = s
        if part and wrapped_title(part, s) and not _not_a_title(part) and len(part) + len(s) <= 80:
            s = part + s  # a title wrapped onto two lines: "…平稳健康" / "发展的若干政策措施》的通知"
        if 4 <= len(s) <= 80 and not _not_a_title(s):
            if TITLE_END.search(s) or (len(s) <= 30 and COVER.search(s) and not re.search("[，。；]", s)):
                return s
            if re.fullmatch(r"《[^《》]{4,80}》", s):
                return s[1:-1]
    for ln in lines[:3]:  # "《上海市…实施方案》具体包括哪些内容？": the policy a top question asks about
        q = clean_title(ln)
        m = TITLE.search(q)
        if m and ("？" in q or "?" in q) and not SPEAKER.match(q):
            return m.group(1)
    return ""


def _iso(text: str) -> str:
    return iso_date(text) if re.search(r"\d{4}\s*(?:年|-)\s*\d{1,2}", text) else ""


def _signature(lines: list[str]) -> tuple[str, str]:
    """Organ line(s) right above a date line: "广州市人力资源和社会保障局" / "广州市公安局" / "2022年7月7日"."""
    for i, ln in enumerate(lines):
        if not DATE_LINE.match(ln) or i == 0:
            continue
        organs: list[str] = []
        j = i - 1
        while j >= 0 and len(organs) < 4:
            cand = lines[j].strip()
            parts = [x for x in re.split(r"[、\s]+", cand) if x]
            if parts and all(ORGAN.match(x) for x in parts) and len(cand) <= 60:
                organs[:0] = parts
                j -= 1
                continue
            break
        if organs:
            return "、".join(organs), iso_date(ln)
    return "", ""


def _adoption(head: str) -> tuple[str, str]:
    """Issuer and date of a 人大 regulation from its adoption lines: the latest 通过/修订/修正 is its date."""
    acts = [m for m in ADOPTED.finditer(head) if m.group(4) != "批准"]
    if not acts:
        return "", ""
    first, last = acts[0], max(acts, key=lambda m: iso_date(m.group(1)))
    return first.group(2) + first.group(3), iso_date(last.group(1))


def _effective(text: str) -> tuple[str, str]:
    """The document's own effect clause and validity, as written (the last one: 附则 come last)."""
    found = list(EFFECTIVE.finditer(text))
    if not found:
        return "", ""
    m = found[-1]
    end = text.find("。", m.end())
    rest = text[m.start() : end if end >= 0 else m.end() + 40]
    v = VALIDITY.search(rest)
    return m.group(1), v.group(0).strip() if v else ""


def _file_title(source: str) -> str:
    return re.sub(r"\.[A-Za-z0-9]{1,8}$", "", Path(source).name)


def _own_short_name(text: str, gaz: Gazetteer) -> tuple[str, int]:
    """A county's (district's, city's) short name a text that speaks of 我县/本县 uses three times or more, in any
    words around it ("在X新建…", "打造X精品…", "来X旅游…" with "我县" → X县); ("", 0) if none."""
    head = text[:20000]
    self_ref = re.search(r"(?:我|本|全)(县|区|市)", head)  # the first self-reference names the level
    if not self_ref:
        return "", 0
    suffix = self_ref.group(1)
    counts = Counter(m.group(1) for m in re.finditer(r"(?=([\u4e00-\u9fff]{2}))", head))
    best: tuple[str, int] = ("", 0)
    for short, n in counts.items():
        name = gaz.canonical(short + suffix) if n >= 3 and short + suffix not in text else None
        if name and gaz.level(name) not in ("国家", "") and n > best[1]:
            best = (name, n)
    return best


def describe(source: str, doc: CleanDoc, policies: list[Policy], gaz: Gazetteer, catalogue: dict[str, str]) -> DocumentInfo:
    """The document record: what the text, the page and front matter state, catalogue for the rest."""
    text = doc.text
    lines = [ln.strip() for ln in text.split("\n") if ln.strip().strip("\u200b")]
    has_articles = len(re.findall(r"(?m)^(?:#+\s*)?第[一二三四五六七八九十百零]+条", text)) >= 3
    dated = [p for p in policies if p.date]
    if catalogue.get("kind"):
        kind = catalogue["kind"]
    elif has_articles or (len(dated) <= 1 and re.search(r"(?m)^[一二三四五六七八九十]+、", text)):
        kind = "policy"
    elif len(dated) >= 8 or len(text) > 15000:
        kind = "report"
    else:
        kind = "news"
    meta = doc.meta
    title, title_from = catalogue.get("title", ""), "catalogue"
    if not title and meta.get("page_title"):  # a saved page: its ArticleTitle, else <title> less the site name
        title = meta.get("title") or re.split(r"\s*[-_|—]+\s*(?=[^-_|—]*(?:网站|门户|网)\s*$)", meta["page_title"])[0]
        title, title_from = clean_title(title), "page"
    if not title:
        title, title_from = _text_title(lines), "text"
    if not title and meta.get("title") and not _not_a_title(clean_title(meta["title"])):
        title, title_from = clean_title(meta["title"]), "meta"
    if not title:
        title, title_from = _file_title(source), "file"
    notice_of = re.fullmatch(r"[^《》]{0,40}?(?:印发|转发|发布)《([^《》]{4,80})》的?通知", title)
    if notice_of and title_from != "catalogue":  # "…办公室印发《关于…的若干政策措施》的通知": the policy it sends
        title = notice_of.group(1)

    head = "\n".join(lines[:12])
    fields: dict[str, str] = {}
    for m in FIELD.finditer(head):
        fields.setdefault(m.group(1), m.group(2).strip())
    adopted_by, adopted_on = _adoption(head)
    signed_by, signed_on = _signature(lines)
    notice = re.match(rf"^(.{{2,60}}?(?:{_alt(WORDS['issuer_suffixes'])}))关于", title)
    source_field = meta.get("来源", "")
    issuer = (
        catalogue.get("issuer")
        or meta.get("发布单位")
        or meta.get("印发单位")
        or meta.get("发文单位")
        or next((fields[k] for k in ("发布机构", "发布单位", "发布机关", "发文机关", "印发单位", "发文单位") if k in fields), "")
        or adopted_by
        or signed_by
        or (notice.group(1) if notice else "")
        or meta.get("发布机关", "")
        or (source_field if source_field not in WORDS["not_issuers"] and ORGAN.match(source_field) else "")
    )
    date = (
        iso_date(catalogue.get("date", ""))
        or adopted_on
        or signed_on
        or next((_iso(fields[k]) for k in DATE_FIELDS if k in fields and _iso(fields[k])), "")
        or _iso(meta.get("颁布日期", "") or meta.get("发布日期", "") or meta.get("印发日期", ""))
        or iso_date(meta.get("date", ""))
        or next((iso_date(m.group(1)) for ln in lines[:8] if (m := TITLE_DATE.match(ln.strip()))), "")
    )
    doc_no = meta.get("文号", "") or fields.get("文号", "") or fields.get("发文字号", "")
    if not doc_no:
        m = next((DOC_NO.fullmatch(ln) for ln in lines[:10] if DOC_NO.fullmatch(ln)), None) or DOC_NO.search(title)
        doc_no = m.group(0) if m else ""
    effective, expires = _effective(text)
    regions: list[str] = []
    for name in gaz.names_in(title + issuer) + [p.region for p in policies if p.region]:
        if name and name not in regions:
            regions.append(name)
    if not regions:
        counts: dict[str, int] = {}
        for _, _, name in gaz.find_all(text):
            counts[name] = counts.get(name, 0) + 1
        regions = [n for n, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:1]]
    if all(gaz.level(r) == "国家" for r in regions):
        # no title or issuer names a place: a place the text calls by its short name again and again
        # ("在柳河新建…", "来柳河旅游…") is the document's own
        short: dict[str, int] = {}
        for a, b, name in gaz.find_all(text, question=True):
            if b - a >= 2 and gaz.level(name) not in ("国家", ""):
                short[name] = short.get(name, 0) + 1
        top = max(short.items(), key=lambda kv: kv[1], default=("", 0))
        if top[1] < 3:
            top = _own_short_name(text, gaz)
        if top[1] >= 3:
            regions = [top[0], *(r for r in regions if r != top[0])]
    return DocumentInfo(source, title, kind, issuer, date, regions, meta.get("origin", ""), doc_no, effective, expires, title_from)


with open(Path(__file__).with_name("data") / "zone_english.toml", "rb") as _fh:
    ZONE_ENGLISH: dict[str, list[str]] = tomllib.load(_fh)
ZONE_SUFFIX = r"(?:工业园区|高新技术产业开发区|经济技术开发区|高新区|开发区|经开区|新区|自治县|区|县|市)"
with open(Path(__file__).with_name("data") / "not_zone_endings.txt", encoding="utf-8") as _fh:
    _words = [w for w in (ln.split("#")[0].strip() for ln in _fh) if w]
NOT_ZONE_ENDINGS = tuple(w for w in _words if not w.startswith(("=", "~")))  # "居家社区": a common noun, no zone
NOT_IN_ZONE = tuple(w[1:] for w in _words if w.startswith("~"))  # "居民在合作区": a sentence, no name
NOT_ZONE_NAMES = frozenset(w[1:] for w in _words if w.startswith("="))  # "深圳经济特区": the city itself
NOT_A_PLACE = re.compile(
    r"^(?:[一二三四五六七八九十两多几]|各|全|本|国家|省级|市级|有关|下辖|所辖|市辖|城|中心城|重点|相关|其他|该|我|示范|产业|园|功能|先行|核心|集聚|试验|实验)"
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
    rx = re.compile("(" + "|".join(re.escape(a) for a in parents) + r")(?:市|省)?([\u4e00-\u9fff]{0,6}?" + ZONE_SUFFIX + r")(?![场域级])")
    lines = [ln.strip() for ln in doc.text.split("\n") if 0 < len(ln.strip()) <= 60] + list(doc.meta.values())
    found: dict[str, Region] = {}
    for line in lines:
        for m in rx.finditer(line):
            parent = gaz.canonical(m.group(1)) or ""
            name = m.group(2)
            core = re.sub(ZONE_SUFFIX + "$", "", name)
            if name in ("区", "县", "市") or NOT_A_PLACE.match(name) or gaz.canonical(name):
                continue
            if name.endswith(NOT_ZONE_ENDINGS) or name in NOT_ZONE_NAMES or any(w in name for w in NOT_IN_ZONE):
                continue
            if any(gaz.canonical(name[i:]) for i in range(1, len(name) - 1)):
                continue  # a verb before a place already known ("…市促进XX新区…"), no new place
            if gaz.canonical(m.group(1) + name) == parent:
                continue  # "内蒙古" + "自治区": the parent's own full name, no place inside it
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
            aliases |= set(english_zone_names(name, core or re.sub(r"(市|省)$", "", m.group(1))))
            found[name] = Region(name, level, parent, tuple(sorted(aliases)))
    return list(found.values())


def english_zone_names(name: str, core: str) -> list[str]:
    """A learned zone's English names: its core in pinyin and the suffix in English ("jiangbei new area")."""
    suffix = max((s for s in ZONE_ENGLISH if name.endswith(s)), key=len, default="")
    if not suffix or len(core) < 2:
        return []
    try:
        from pypinyin import lazy_pinyin
    except ModuleNotFoundError:
        return []
    spelled = "".join(lazy_pinyin(core))
    if not spelled.isalpha():
        return []
    return [f"{spelled} {english}" for english in ZONE_ENGLISH[suffix]]

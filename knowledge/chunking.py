"""Structure-following chunks: headings make sections, paragraphs fill chunks.

Headings 第X章 / 一、 / （一） / short label lines open sections; articles 第X条
and rebuilt table records are chunks of their own; paragraphs in one section
are packed up to ``target`` characters and long ones are split at sentence
ends so no chunk exceeds ``limit``. Each chunk carries its section path, the
policy it is about, the regions it concerns and its span in the original file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from knowledge.documents import DOC_NO, TITLE, DocumentInfo, Policy, wrapped_title
from knowledge.normalize import CleanDoc
from knowledge.regions import Gazetteer

CN_NUM = "一二三四五六七八九十百零〇"
H_CHAPTER = re.compile(rf"^(?:第[{CN_NUM}\d]+[章编篇部分]|附录|附件\s*\d*)(?:\s|$|[^，。]{{0,40}}$)")
H_SECTION = re.compile(rf"^[{CN_NUM}]+、")
H_SUB = re.compile(rf"^[（(][{CN_NUM}]+[）)]")
ARTICLE = re.compile(rf"^第[{CN_NUM}\d]+条")
TERMINAL_END = "。！？；，、"
MD_HEADING = re.compile(r"^#{1,6}\s+")
ATTACHMENT = re.compile(r"^附件\s*\d*$")
# the title of a text of its own: "…人才租赁补贴的实施细则（试行）", "…管理办法"
OWN_TITLE = re.compile(r"(?:细则|办法|规定|方案|措施|意见|计划|条例|指南|清单|规则)(?:[（(][^）)]{1,6}[）)])?$")


@dataclass
class Chunk:
    id: str
    source: str
    text: str
    start: int  # cleaned-text offsets
    end: int
    span: tuple[int, int]  # original-file offsets
    section: list[str] = field(default_factory=list)
    policy: str = ""
    regions: list[str] = field(default_factory=list)
    ordinal: int = 0

    @property
    def section_path(self) -> str:
        return " > ".join(self.section)

    def dense_text(self, limit: int = 300) -> str:
        """What the embedder sees: the nearest heading and the start of the text.

        Embedding cost grows with length; BM25 sees the whole text and context.
        """
        head = self.section[-1][:40] if self.section else ""
        return f"{head}\n{self.text}"[:limit] if head else self.text[:limit]

    def index_text(self, doc_title: str) -> str:
        """What the retrievers see: context (title, section, policy) plus the text."""
        head = " ".join(x for x in (doc_title, *self.section, f"《{self.policy}》" if self.policy else "") if x)
        return f"{head}\n{self.text}"


# a line that is only a date or a document number
DATE_OR_NUMBER_LINE = re.compile(rf"^[（(]?\s*(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|{DOC_NO.pattern})\s*[）)]?\W*$")
FIGURE_IN_LINE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％|万|亿)")


# a numbered question on a line of its own, or one marked 问: the heading of an official Q&A's answer
FAQ_QUESTION = re.compile(r"^(?:\d{1,2}[.．、]\s*|问[：:]\s*)[^。\n]{4,80}[？?]$")


def sentence_item(line: str) -> bool:
    """A numbered line that says something (a clause break, a figure, or a long sentence), not a section name."""
    body = H_SUB.sub("", H_SECTION.sub("", line, count=1), count=1).strip()
    if FIGURE_IN_LINE.search(body) or (body.endswith("。") and len(body) > 25):
        return True
    if re.search(r"[，,；;]", body):
        # "（一）升级基础设施，探索运营新模式": two short phrases with no stop after them are a heading
        return not (len(body) <= 30 and body[-1] not in "。；;，,：:！？!?")
    return False


def heading_level(line: str) -> int:
    """0 for body text; 1 chapter, 2 一、, 3 （一）, 4 short label line."""
    s = line.strip()
    if not s or ARTICLE.match(s):
        return 0
    short = len(s) <= 60 and "。" not in s[:-1]
    if H_CHAPTER.match(s) and len(s) <= 40:
        return 1
    if (H_SECTION.match(s) or H_SUB.match(s)) and sentence_item(s):
        return 0  # "一、新建高标准农田300万亩，每亩补助1500元。": a numbered measure, not a heading
    if H_SECTION.match(s) and short:
        return 2
    if H_SUB.match(s) and short and len(s) <= 40:
        return 3
    # "颁布日期：2022年9月2日", "发布单位：杭州市余杭区经济和信息化局" are content, not headings
    label_value = re.match(r"^[^：:]{1,12}[：:]\s*\S*\d", s) or re.match(
        r"^(?:发布|印发|发文|颁布|成文|施行)(?:单位|日期|时间|字号)[：:]\s*\S", s
    )
    if FAQ_QUESTION.match(s):
        return 4  # "2.申请2025年度积分制入户需要具备哪些基本条件？": an official Q&A's question heads its answer
    if DATE_OR_NUMBER_LINE.match(s):
        return 0  # "(2023年2月8日)", "内政发〔2024〕6号" under a title: what the document says of itself, not a heading
    if len(s) <= 30 and s[-1] not in TERMINAL_END and not label_value:
        return 4
    return 0


def _sentences(text: str, start: int, limit: int) -> list[tuple[int, int]]:
    """Split [start, start+len) into pieces of at most ``limit`` chars at sentence ends."""
    ends = [m.end() for m in re.finditer(r"[。！？；]", text)] + [len(text)]
    pieces: list[tuple[int, int]] = []
    a = 0
    last = 0
    for e in ends:
        if e - a > limit and last > a:
            pieces.append((a, last))
            a = last
        while e - a > limit:  # a single sentence longer than the limit: cut at a comma
            cut = max(text.rfind(c, a, a + limit) for c in "，、")
            cut = cut + 1 if cut > a else a + limit
            pieces.append((a, cut))
            a = cut
        last = e
    if last > a:
        pieces.append((a, last))
    return [(start + x, start + y) for x, y in pieces if text[x:y].strip()]


def chunk_document(
    source: str,
    doc: CleanDoc,
    info: DocumentInfo,
    policies: list[Policy],
    gaz: Gazetteer,
    *,
    target: int = 380,
    limit: int = 500,
) -> list[Chunk]:
    text = doc.text
    record_at = {r.start: r for r in doc.records}
    units: list[tuple[int, int, list[str], str]] = []  # (start, end, section, kind)
    section: list[tuple[int, str]] = []
    pos = 0
    just_headed = False  # the line above was a heading
    attached: dict[str, str] = {}  # "附件2" → the title of the text attached under it
    in_list = False  # after "…不得举办下列企业：" the lines "（一）技术落后…的；" are its items, not headings
    trailing: list[tuple[int, int]] = []  # heading-like lines since the last paragraph
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        s = MD_HEADING.sub("", line.strip()).strip("\u200b\ufeff ")  # "## 第一章 总 则" is the heading "第一章 总 则"
        if not s:
            continue
        if a in record_at:
            units.append((a, b, [x for _, x in section], "record"))
            continue
        level = heading_level(s)
        # "（一）技术落后…的；" after "…下列企业：" is an item; "一、降低…首付款比例" (no stop) after "…明确如下：" a heading
        item = level in (2, 3) and (s.endswith(("；", ";")) or (in_list and s[-1] in TERMINAL_END + "的"))
        # the list stays open over items that do not read as headings ("（四）化妆品新原料注册证（复印件）；"), so its
        # last item ("（五）行业首创论证报告。") is an item too, not a heading that heads nothing
        in_list = s.endswith(("：", ":")) or (item and not s.endswith("。")) or (in_list and s.endswith(("；", ";")))
        if level and not item:
            top = section[-1] if section and just_headed else None
            if top and level == 4 and ATTACHMENT.match(top[1]) and OWN_TITLE.search(s):
                attached[top[1]] = re.sub(r"(?<=\S)\s+(?=\S)", "", s)  # "附件2" / "…人才租赁补贴的实施细则（试行）"
            if top and level == 4 and top[0] in (1, 4) and wrapped_title(top[1], s):
                section[-1] = (top[0], top[1] + s)  # "西宁市关于支持…需求" / "的若干措施": one title on two lines
                continue
            section = [(lv, x) for lv, x in section if lv < level] + [(level, s)]
            just_headed = True
            trailing.append((a, b))
            continue
        just_headed = False
        trailing = []
        kind = "article" if ARTICLE.match(s) else "para"
        units.append((a, b, [x for _, x in section], kind))
    # short lines after the last paragraph that read as headings head nothing: they are the document's closing
    # lines ("公开方式：主动公开", "…办公室2025年8月5日印发") and are kept as text
    under = [x for _, x in section if not any(x == text[a:b].strip() for a, b in trailing)]
    units.extend((a, b, under, "para") for a, b in trailing)

    chunks: list[Chunk] = []
    buf: list[tuple[int, int]] = []
    buf_section: list[str] = []

    def flush() -> None:
        if not buf:
            return
        a, b = buf[0][0], buf[-1][1]
        for x, y in _sentences(text[a:b], a, limit) if b - a > limit else [(a, b)]:
            chunks.append(_make(source, doc, x, y, buf_section))
        buf.clear()

    for a, b, sec, kind in units:
        if kind in ("record", "article") or sec != buf_section or (buf and b - buf[0][0] > target):
            flush()
        buf_section = sec
        buf.append((a, b))
        # "第十二条 见习单位不得有下列行为：" keeps the items on the lines below it in its chunk
        if kind == "record" or (kind == "article" and not text[a:b].rstrip().endswith(("：", ":"))):
            flush()
    flush()

    by_title = {p.title: p for p in policies}
    # A policy text's chunks are about the document's own title; a title made from a file name
    # counts only when the name is words ("甘井子区支持科技创新若干规定.docx"), not a code.
    named = getattr(info, "title_from", "") != "file" or re.search(r"[\u4e00-\u9fff]", info.title)
    doc_policy = info.title if info.kind == "policy" and named else ""
    seen: dict[str, int] = {}
    for i, c in enumerate(chunks):
        c.ordinal = i
        path_titles = [t.group(1) for x in c.section for t in TITLE.finditer(x)]
        in_text = [t.group(1) for t in TITLE.finditer(c.text) if t.group(1) in by_title and by_title[t.group(1)].date]
        c.policy = next(
            (t for t in path_titles if t in by_title),
            # a policy text's passage that cites or repeals another ("《…暂行规定》同时废止") is still its own
            _record_policy(policies, c)
            or (attached.get(c.section[0], "") if c.section else "")
            or doc_policy
            or (in_text[0] if len(set(in_text)) == 1 else ""),
        )
        names = gaz.most_specific(gaz.names_in(" ".join(c.section) + " " + c.text))
        if len(names) > 1 and "中国" in names:  # "国内", "全国" next to a real place add nothing
            names.remove("中国")
        if not names and c.policy in by_title and by_title[c.policy].region:
            names = [by_title[c.policy].region]
        # a chunk that names no place is about the document's place, if the document has one or two;
        # a report's general chapter is about no place in particular
        # (a district's document placed in its district, city and province is about one place: the district)
        specific = gaz.most_specific(list(info.regions))
        own = specific if len(specific) <= 2 else []
        if names and own and all(gaz.level(n) == "国家" for n in names):
            # a local policy's "国家有关规定", "国内生产总值": still the document's place's rule
            names = [*(r for r in own if gaz.level(r) != "国家"), *names]
        if names and own and all(any(gaz.contains(n, o) for o in own) for n in names):
            # a district's text naming only the places above it ("助力广州加快建设…" in a 黄埔区 notice) is still
            # about the district: it keeps its own place beside them
            names = list(dict.fromkeys([*own, *names]))
        c.regions = names or own
        key = hashlib.sha1(f"{source}\n{c.text}".encode()).hexdigest()[:12]
        seen[key] = seen.get(key, 0) + 1
        c.id = f"{key}-{seen[key]}"
    return chunks


def _record_policy(policies: list[Policy], c: Chunk) -> str:
    return next((p.title for p in policies for a, b in p.records if a <= c.start and c.end <= b), "")


def _make(source: str, doc: CleanDoc, a: int, b: int, section: list[str]) -> Chunk:
    while a < b and doc.text[a].isspace():
        a += 1
    while b > a and doc.text[b - 1].isspace():
        b -= 1
    return Chunk(id="", source=source, text=doc.text[a:b], start=a, end=b, span=doc.original_span(a, b), section=list(section))

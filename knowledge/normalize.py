"""Turn a raw policy file into clean, simplified Chinese text with an offset map.

Every rule here is generic (front matter, HTML, editor tags, pinyin
annotations, lost characters, script and width, PDF page breaks, tables of
contents, captions, flattened tables); nothing is keyed to a particular file.
A saved web page (``<!DOCTYPE html>``/``<html>``) is reduced to its main text
with readability-lxml, and its title and 发布日期/来源/文号 fields go to
``CleanDoc.meta``; HTML fragments in text files keep the plain tag stripping.
The cleaned text is a ``Tracked`` string, so every cleaned span maps back to
its characters in the original (``CleanDoc.original_span``).
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from knowledge.errors import BadDocument
from knowledge.tracked import Tracked

CJK = "\u4e00-\u9fff\u3400-\u4dbf"
CJK_PUNCT = "，。、；：！？“”‘’（）《》〈〉【】—…·"
TERMINAL = "。！？；：”’）》」』.!?;:"
TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN = rf"[a-z{TONE_LETTERS}]{{1,7}}"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
BLOCK_TAGS = r"p|div|br|li|tr|td|th|h[1-6]|table|tbody|thead|ul|ol|section|article|header|footer"
BOILERPLATE = [
    r"^责任编辑[:：]",
    r"^(?:文字|图片)?编辑[:：]",
    r"尽在.{0,12}APP$",
    r"(?:扫描|长按|识别).{0,6}二维码",
    r"^(?:版权|免责)声明",
    r"关注.{0,8}公众号",
]
SOURCE_LINE = re.compile(r"^(?:资料|信息|文章)?来源\s*[:：]\s*(.{1,40})$")
CAPTION = re.compile(r"^(?:图|表|Figure|Table)\s*\d+(?:\s*[-－.]\s*\d+)?\s*[^\d\s.．、，。][^，。；]{0,60}$")
TOC_LINE = re.compile(r"^[^\t\n]{2,80}?(?:\t+|\s*[.…·]{3,}\s*)\d{1,3}$")
TOC_HEAD = re.compile(r"^目\s*录$")
META_LINE = re.compile(
    r"^(颁布日期|发布日期|印发日期|发布时间|发布单位|印发单位|发文单位|发文字号|文号|施行日期|成文日期)\s*[:：]\s*(.{1,80})$"
)
DATE_CELL = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$")
# A whole saved page, not an HTML fragment: "<!DOCTYPE html>", "<!doctype html>", "<html lang=\"zh\">".
WEB_PAGE = re.compile(r"^\s*(?:<!doctype\s+html|<html[\s>])", re.I)
PAGE_BLOCKS = (
    r"p|div|br|li|tr|h[1-6]|table|tbody|thead|tfoot|ul|ol|dl|dt|dd|section|article|header|footer|nav|aside|main|form|center|pre"
    r"|blockquote|hr|caption|option|title"
)
# Page <meta name=...> fields an official site fills in (China's government-site standard), by meta key.
PAGE_META = {"articletitle": "title", "pubdate": "发布日期", "contentsource": "来源"}
# Labelled fields shown on a page, value on the same line or the next: "发表时间：2025-08-11 18:04:59",
# "信息来源：区住建园林局", "文 号：" + "穗人社规字〔2019〕6号", "发布机关：广州市人力资源和社会保障局".
PAGE_FIELD = re.compile(
    r"^(发布日期|发布时间|发表时间|成文日期|印发日期|信息来源|来源|发布机关|发文机关|发布机构|文\s*号|发文字号|实施日期|施行日期|失效日期)"
    r"\s*[:：]\s*(.{0,60})$"
)
FIELD_KEY = {
    "发表时间": "发布日期",
    "发布时间": "发布日期",
    "信息来源": "来源",
    "发文机关": "发布机关",
    "发布机构": "发布机关",
    "发文字号": "文号",
}


@dataclass
class Record:
    """One row of a table that was flattened by PDF extraction, rebuilt."""

    fields: dict[str, str]
    start: int
    end: int
    fields_text: str = ""


@dataclass
class CleanDoc:
    """The cleaned text of one file, its metadata and its offset map."""

    original: str
    tracked: Tracked
    meta: dict[str, str] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.tracked.text

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the cleaned characters [start, end)."""
        return self.tracked.span(start, end)

    def original_text(self, start: int, end: int) -> str:
        s, e = self.original_span(start, end)
        return self.original[s:e]


def decode(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), else GB18030, else Big5."""
    if not data.strip():
        raise BadDocument("the file is empty")
    sample = data[:65536]
    if b"\x00" in sample:
        raise BadDocument("the file looks binary (it contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\t\n\r\f")
        if controls > max(5, len(text[:20000]) // 100):
            raise BadDocument("the file looks binary (too many control characters)")
        return text
    raise BadDocument("the file is not UTF-8, GBK/GB18030 or Big5 text")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese (OpenCC ``t2s``)."""
    return _t2s().convert(text)


def _line_at(s: str, pos: int) -> str:
    a = s.rfind("\n", 0, pos) + 1
    b = s.find("\n", pos)
    return s[a : b if b >= 0 else len(s)]


def _front_matter(t: Tracked, meta: dict[str, str]) -> Tracked:
    m = re.match(r"\ufeff?\s*---\n(.*?)\n---[ \t]*\n", t.text, re.S)
    if not m:
        return t
    for line in m.group(1).split("\n"):
        km = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if km and km.group(2).strip():
            value = km.group(2).strip().strip("'\"")
            meta[km.group(1).lower()] = value
    return t.sub(re.escape(m.group(0)), "")


def _strip_html(t: Tracked) -> Tracked:
    t = t.sub(r"<(style|script)\b[^>]*>.*?</\1\s*>", "", re.S | re.I)
    t = t.sub(r"<!--.*?-->", "", re.S)

    def block(m: re.Match[str]) -> str:
        return "" if "\t" in _line_at(m.string, m.start()) else "\n"

    t = t.sub(rf"</?(?:{BLOCK_TAGS})\b[^>\n]*/?>", block, re.I)
    t = t.sub(r"</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?/?>", "")
    return t.sub(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});", lambda m: html.unescape(m.group(0)))


def is_web_page(text: str) -> bool:
    """A whole saved web page (doctype or <html> first), not a text with a few tags."""
    return bool(WEB_PAGE.match(text[:2000]))


def _strip_page(t: Tracked) -> Tracked:
    """A page's text, one block per line and table cells split by tabs; the offset map kept."""
    t = t.sub(r"<(style|script|noscript|template|head|select)\b[^>]*>.*?</\1\s*>", "", re.S | re.I)
    t = t.sub(r"<!--.*?-->|<!doctype[^>]*>", "", re.S | re.I)
    cells = [m.span() for m in re.finditer(r"<t([dh])\b[^>]*>.*?</t\1\s*>", t.text, re.S | re.I)]

    def block(m: re.Match[str]) -> str:  # a <p> or <br> inside a table cell does not end the row
        i = bisect.bisect_right(cells, (m.start(), len(m.string))) - 1
        return " " if i >= 0 and cells[i][0] < m.start() < cells[i][1] else "\n"

    t = t.sub(rf"</?(?:{PAGE_BLOCKS})\b[^>]*>", block, re.I)
    t = t.sub(r"<t[dh]\b[^>]*>", "\t", re.I)
    t = t.sub(r"</?[A-Za-z][\w:-]*(?:\s[^>]*)?/?>", "")
    return t.sub(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});", lambda m: html.unescape(m.group(0)))


def _page_meta(page: str, stripped: str, meta: dict[str, str]) -> None:
    """Title, 发布日期, 来源, 文号 … where the page shows them: <meta> fields, <title>, labelled lines."""
    for m in re.finditer(r"<meta\b[^>]*>", page[:200000], re.I):
        tag = m.group(0)
        name = re.search(r"\bname\s*=\s*[\"']([^\"']+)", tag)
        content = re.search(r"\bcontent\s*=\s*[\"']([^\"']*)", tag)
        key = PAGE_META.get(name.group(1).lower()) if name else None
        if key and content and content.group(1).strip():
            meta.setdefault(key, re.sub(r"\s+", " ", html.unescape(content.group(1))).strip())
    title = re.search(r"<title[^>]*>(.*?)</title>", page[:200000], re.S | re.I)
    if title and title.group(1).strip():
        meta.setdefault("page_title", re.sub(r"\s+", " ", html.unescape(title.group(1))).strip())
    lines = [ln.strip() for ln in stripped.split("\n") if ln.strip()]
    for i, line in enumerate(lines):
        m = PAGE_FIELD.match(line)
        if not m:
            continue
        label = re.sub(r"\s", "", m.group(1))
        value = m.group(2).strip() or (lines[i + 1] if i + 1 < len(lines) and len(lines[i + 1]) <= 60 else "")
        if value and not PAGE_FIELD.match(value):
            meta.setdefault(FIELD_KEY.get(label, label), re.sub(r"\s+", " ", value))


def _extracted_blocks(page: str) -> list[tuple[str, bool]]:
    """The main text's blocks as readability-lxml sees them: (text without spaces, is a table row)."""
    from readability import Document

    try:
        summary = Document(page).summary(html_partial=True)
    except Exception:  # an unparsable page: keep everything rather than nothing
        return []
    text = _strip_page(Tracked.of(summary)).text
    return [(re.sub(r"\s", "", line), "\t" in line.strip()) for line in text.split("\n") if line.strip()]


def _anchors(flat: str, blocks: list[str], window: int = 40) -> dict[int, int]:
    """Where the long blocks (20+ characters) are in the page, in order: the most blocks, then the tightest.

    A block can occur more than once (an info box or a hidden copy of the article repeats the
    title and 文号), so each occurrence is a candidate and the chain of occurrences in reading
    order that matches the most blocks with the least text between them wins.
    """
    cands: list[tuple[int, int, int]] = []  # (block, start, end)
    for k, b in enumerate(blocks):
        if len(b) >= 20:
            at = flat.find(b)
            for _ in range(6):
                if at < 0:
                    break
                cands.append((k, at, at + len(b)))
                at = flat.find(b, at + 1)
    best: list[tuple[int, int, int]] = []  # per candidate: (matched, -gap, previous candidate or -1)
    for i, (k, a, _) in enumerate(cands):
        score = (1, 0, -1)
        for j in range(i - 1, max(-1, i - window * 6), -1):
            k2, _, e2 = cands[j]
            if k2 < k and e2 <= a:
                n, g, _ = best[j]
                if (n + 1, g - (a - e2)) > score[:2]:
                    score = (n + 1, g - (a - e2), j)
        best.append(score)
    if not best:
        return {}
    i = max(range(len(best)), key=lambda x: best[x][:2])
    chain: dict[int, int] = {}
    while i >= 0:
        chain[cands[i][0]] = cands[i][1]
        i = best[i][2]
    return chain


def _row_space(m: re.Match[str]) -> str:
    """Inside a table row, a run of spaces with a cell break is one tab; any other run one space."""
    return "\t" if "\t" in m.group(0) else " "


def _main_text(t: Tracked, meta: dict[str, str]) -> Tracked:
    """Keep only the page's main text, as spans of the stripped page, so offsets stay exact.

    Each block the extractor keeps is found in the stripped page (spaces ignored) in order;
    long blocks (20+ characters) are anchors, short ones are looked for between their anchors
    (backwards before the first anchor, so a 文号 in the page's info box does not win over
    the one that opens the article). Everything not found is dropped.
    """
    page = _strip_page(t)
    _page_meta(t.text, page.text, meta)
    blocks = _extracted_blocks(t.text)
    if not blocks:
        return page
    pos = [i for i, c in enumerate(page.text) if not c.isspace()]
    flat = "".join(page.text[i] for i in pos)
    found: list[tuple[int, int] | None] = [None] * len(blocks)
    for k, at in _anchors(flat, [b for b, _ in blocks]).items():
        found[k] = (at, at + len(blocks[k][0]))
    anchors = sorted(k for k, f in enumerate(found) if f)
    lo = 0
    for gap_end in [*anchors, len(blocks)]:
        hi = found[gap_end][0] if gap_end < len(blocks) and found[gap_end] else len(flat)
        shorts = [k for k in range(lo, gap_end) if not found[k]]
        if lo == 0 and gap_end < len(blocks):  # before the first anchor: backwards from it
            end = hi
            for k in reversed(shorts):
                at = flat.rfind(blocks[k][0], 0, end)
                if at >= 0:
                    found[k], end = (at, at + len(blocks[k][0])), at
        else:
            start = found[lo - 1][1] if lo and found[lo - 1] else 0
            for k in shorts:
                at = flat.find(blocks[k][0], start, hi)
                if at >= 0:
                    found[k], start = (at, at + len(blocks[k][0])), at + len(blocks[k][0])
        lo = gap_end + 1
    parts: list[Tracked | str] = []
    for (_, row), f in zip(blocks, found, strict=True):
        if not f or f[1] <= f[0]:
            continue
        piece = page.slice(pos[f[0]], pos[f[1] - 1] + 1)
        piece = piece.sub(r"\s+", _row_space if row else " ")
        parts.extend([piece, "\n"])
    if parts:
        first = min((pos[f[0]] for f in found if f and f[1] > f[0]), default=len(page.text))
        parts.extend(x for line in _field_lines(page, first) for x in (line, "\n"))
    return Tracked.join(parts) if parts else page


def _field_lines(page: Tracked, before: int, limit: int = 4) -> list[Tracked]:
    """The page's dated field lines above its main text ("发布日期：2025-04-08 11:24:11", "发表时间：" and its
    value on the next line), kept after the text: a page's date is quotable where the page shows it."""
    out: list[Tracked] = []
    starts = [m.start() for m in re.finditer(r"[^\n]*\S[^\n]*", page.text[:before])]
    for i, a in enumerate(starts):
        b = page.text.find("\n", a)
        b = before if b < 0 or b > before else b
        m = PAGE_FIELD.match(page.text[a:b].strip())
        if not m or not re.match(r"发布|发表|成文|印发", m.group(1)):
            continue
        if not re.search(r"\d{4}", m.group(2)) and i + 1 < len(starts):  # "发表时间：" + "2025-11-18 17:37" below
            nxt = page.text.find("\n", starts[i + 1])
            b = before if nxt < 0 or nxt > before else nxt
        piece = page.slice(a, b).sub(r"\s+", " ")
        if re.search(r"\d{4}\s*[-年/.]\s*\d{1,2}", piece.text) and len(piece.text.strip()) <= 60:
            out.append(piece)
        if len(out) >= limit:
            break
    return out


def _strip_markdown(t: Tracked) -> Tracked:
    """Markdown marks, so quotes and titles read as text: "## 第一章 总则" → "第一章 总则", "**发布日期**：" → "发布日期：".

    Also "> " quote marks, table rule lines ("|---|:--:|") and links ("[原文](https://…)" → "原文").
    """
    t = t.sub(r"(?m)^[ \t]*#{1,6}[ \t]+", "")
    t = t.sub(r"(?m)^[ \t]*>[ \t]?", "")
    t = t.sub(r"\*\*([^*\n]+?)\*\*|(?<![\w])__([^_\n]+?)__(?![\w])", lambda m: m.group(1) or m.group(2))
    t = t.sub(r"(?m)^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$\n?", "")
    return t.sub(r"\[([^\]\n]+)\]\((?:https?://|/)[^)\s]*\)", lambda m: m.group(1))


def _strip_annotations(t: Tracked) -> Tracked:
    t = t.sub(r"\[(?:bookmark|image|img|figure)\s*:[^\]\n]*\]", "", re.I)
    toned = re.findall(rf"[{CJK}]\({PINYIN}\)", t.text)
    if sum(1 for x in toned if re.search(f"[{TONE_LETTERS}]", x)) >= 5:
        # Pinyin after characters: "國(guó)內(nèi)"; also residues after lost characters: "?qū)".
        t = t.sub(rf"(?<=[{CJK}?])\({PINYIN}\)", "")
        t = t.sub(rf"(?<=\?){PINYIN}\)", "")
    # Characters lost in conversion show as '?' inside Chinese text.
    return t.sub(
        rf"(?<=[{CJK}])[?;]*\?[?;]*(?=[{CJK},，;；。?□]|$)",
        lambda m: "□" * m.group(0).count("?"),
        re.M,
    )


def _script_and_width(t: Tracked) -> Tracked:
    cjk = re.findall(f"[{CJK}]", t.text)
    if cjk:
        sample = "".join(cjk[:5000])
        changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
        if changed >= max(3, len(sample) // 100):
            t = t.map_chars(to_simplified)
    t = t.sub(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0b\uff0d\uff0e\uff0f]", lambda m: chr(ord(m.group(0)) - 0xFEE0))
    t = t.sub("(?m)^\u3000+", "")  # full-width indentation
    t = t.sub("[\u3000\u00a0\u2002\u2003\u2009\ufeff]", lambda m: "" if m.group(0) == "\ufeff" else " ")
    t = t.sub("[〝〃]", "“").sub("〞", "”")
    t = t.sub(rf"(?<=[{CJK}）》”])(?:[,;!?]|:(?!\d))", lambda m: HALF_TO_FULL[m.group(0)])
    t = t.sub(rf"[,;:](?=[{CJK}“《（])", lambda m: HALF_TO_FULL[m.group(0)])
    for _ in range(2):
        t = t.sub(rf"(?<=[{CJK}）》])\(([^()\n]{{1,40}})\)", lambda m: "（" + m.group(1) + "）")
    # Spaces that PDF extraction puts around numbers and inside words.
    t = t.sub(rf"(?<=[{CJK}{CJK_PUNCT}〔〕0-9%])[ ]+(?=[{CJK}{CJK_PUNCT}〔〕])|(?<=[{CJK}{CJK_PUNCT}〔〕])[ ]+(?=[0-9])", _drop_space)
    # and inside an article's number: "第 1 5 条" → "第15条"
    t = t.sub(r"(?<=第)\d+(?: +\d+)+(?= ?[条章节款])", lambda m: m.group(0).replace(" ", ""))
    return t.sub(r"(?m)^[ \t]+|[ \t]+$", "")


def _drop_space(m: re.Match[str]) -> str:
    """Drop a PDF space, but keep it after '第一章' and in the cells of a table row."""
    text, a = m.string, m.start()
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", a)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if "\t" in line and "\t" in text[a : line_end if line_end >= 0 else len(text)]:
        return m.group(0)
    if re.search(r"第[一二三四五六七八九十百零\d]+[章节条部分]$", text[max(line_start, a - 8) : a]):
        return " "
    if re.search(r"(?:局|委员会|人民政府|政府|办公室|办公厅|厅|委)$", text[max(line_start, a - 4) : a]) and re.match(
        r"\s+\S{2,}(?:市|区|省|县)", text[a : a + 12]
    ):
        return "、"  # two issuers side by side: "…科学技术委员会　上海市静安区财政局"
    return ""


def _drop_lines(t: Tracked, meta: dict[str, str]) -> Tracked:
    boiler = [re.compile(p) for p in BOILERPLATE]
    keep: list[Tracked | str] = []
    for line in t.lines():
        s = line.text.strip()
        if s:
            if TOC_HEAD.match(s) or TOC_LINE.match(s) or CAPTION.match(s):
                continue
            if any(rx.search(s) for rx in boiler):
                continue
            if m := SOURCE_LINE.match(s):
                meta.setdefault("origin", m.group(1).strip())
                continue
            if m := META_LINE.match(s):
                meta.setdefault(m.group(1), m.group(2).strip())
        keep.append(line)
        keep.append("\n")
    return Tracked.join(keep)


def _is_heading(s: str) -> bool:
    return bool(
        re.match(
            r"^(第[一二三四五六七八九十百零\d]+[章节条部分]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[．.、]|附录|附件)", s
        )
    )


with open(Path(__file__).parent / "data" / "doc_meta.toml", "rb") as _fh:
    DOC_WORDS = tomllib.load(_fh)  # the words of knowledge/data/doc_meta.toml (read here once; documents.py uses them too)
# a title line ends with a kind of document, then maybe a bracketed note ("…实施意见", "…扶持办法（试行）"):
# the line after it is not its rest
TITLE_LINE = re.compile(
    rf"(?:{'|'.join(re.escape(w) for w in sorted(DOC_WORDS['title_endings'], key=len, reverse=True))})(?:[（(][^（）()]{{1,16}}[）)])*$"
)
# a short aside in brackets inside a word: "劳动（聘用）合同" is the word 劳动合同 ("（含）", "首台（套）")
ASIDE = re.compile(r"[（(][^（）()\n]{1,4}[）)]")
ADDRESSEE = re.compile(r"^各[^。；]{1,60}[：:]$")  # "各区人民政府，市人民政府各部门：" opens the body


def _wrap_width(lines: list[Tracked]) -> int:
    """The width a hard-wrapped text (text taken from a PDF page) was cut at, or 0 for a text of whole paragraphs.

    A text is hard-wrapped when at least a third of its long lines stop mid-sentence and run on into another body
    line: '…为进一步完善全市城乡' + '居民基本养老保险…'. A text of paragraphs stops mid-sentence only at titles and
    headings, which are followed by a heading or stand alone (at most a fifth of its lines in every set seen)."""
    body = [x.text for x in lines if x.text.strip()]
    long = [s for s in body if len(s) >= 12]
    runs = [
        len(a)
        for a, b in itertools.pairwise(body)
        if len(a) >= 12 and a[-1] not in TERMINAL and not _is_heading(a) and len(b) >= 12 and not _is_heading(b)
    ]
    if len(long) < 10 or len(runs) < len(long) / 3:
        return 0
    return int(sorted(runs)[len(runs) // 2])


def _join_page_breaks(t: Tracked) -> Tracked:
    """Join body lines cut by a page break ('重大元' + blank lines + '宇宙项目'), and the lines of a hard-wrapped text."""
    lines = t.lines()
    width = _wrap_width(lines)
    out: list[Tracked | str] = []
    i = 0
    while i < len(lines):
        cur = lines[i]
        out.append(cur)
        j = i + 1
        s = cur.text
        full = len(s) >= 45 or (width and len(s) >= 0.6 * width and (not _is_heading(s) or re.search("[，。；]", s)))
        body = full and (width or re.search("[，、。；]", s)) and "\t" not in s
        if body and s[-1] not in TERMINAL and re.match(f"[{CJK}0-9a-zA-Z]|[，、]", s[-1]):
            while j < len(lines) and not lines[j].text.strip():
                j += 1
            if j < len(lines):
                nxt = lines[j].text
                titled = TITLE_LINE.search(s) and not re.search("[，。；：、]", s)
                wrapped_on = not width or not (titled or ADDRESSEE.match(nxt))
                if nxt and "\t" not in nxt and not _is_heading(nxt) and re.match(f"[{CJK}0-9A-Za-z（“]", nxt) and wrapped_on:
                    i = j  # the next line continues this sentence: no newline in between
                    continue
        out.append("\n")
        i += 1
    return Tracked.join(out)


def _cells(line: Tracked) -> list[Tracked]:
    cells: list[Tracked] = []
    pos = 0
    for part in line.text.split("\t"):
        cells.append(line.slice(pos, pos + len(part)))
        pos += len(part) + 1
    return cells


def _strip_tracked(c: Tracked) -> Tracked:
    a, b = 0, len(c.text)
    while a < b and c.text[a].isspace():
        a += 1
    while b > a and c.text[b - 1].isspace():
        b -= 1
    return c.slice(a, b)


def _rebuild_tables(t: Tracked) -> tuple[Tracked, list[Record]]:
    """Rebuild tab-separated table rows flattened from a PDF: one record per row.

    Rows are lines with a date cell; header rows are dropped (their labels name
    the fields); a line without tabs after a row continues its last cell; a row
    whose last cell starts with the tail of the previous row's unfinished
    sentence gives that tail back.
    """
    lines = t.lines()
    header: list[str] | None = None
    rows: list[list[Tracked]] = []
    spans: list[tuple[int, int]] = []  # (first line index, last line index) per row
    kinds: list[str] = []  # per line: "row", "cont", "head", "text"
    for idx, line in enumerate(lines):
        cells = [_strip_tracked(c) for c in _cells(line)]
        if len(cells) >= 3 and not any(re.search(r"\d", c.text) for c in cells) and all(len(c.text) <= 8 for c in cells):
            header = header or [c.text for c in cells]
            kinds.append("head")
            continue
        if len(cells) >= 3 and DATE_CELL.match(re.sub(r"\s", "", cells[1].text)):
            rows.append(cells)
            spans.append((idx, idx))
            kinds.append("row")
            continue
        if rows and line.text.strip() and "\t" not in line.text and spans[-1][1] >= idx - 3 and kinds[-1] in ("row", "cont", "blank"):
            # A continuation of the previous row's last cell (cell text split over lines).
            if not _is_heading(line.text) and not re.match(r"^(资料来源|注[:：])", line.text):
                rows[-1][-1] = Tracked.join([rows[-1][-1], _strip_tracked(line)])
                spans[-1] = (spans[-1][0], idx)
                kinds.append("cont")
                continue
        kinds.append("blank" if not line.text.strip() else "text")
    if not rows:
        return t, []
    # Give back sentence tails that spilled into the next row.
    for k in range(1, len(rows)):
        prev, cur = rows[k - 1][-1], rows[k][-1]
        if prev.text and prev.text[-1] not in "。！？；”）":
            m = re.search("[。！？]", cur.text)
            if m and m.start() < 120:
                rows[k - 1][-1] = Tracked.join([prev, cur.slice(0, m.end())])
                rows[k][-1] = _strip_tracked(cur.slice(m.end(), len(cur.text)))
    labels = header or [f"第{i + 1}栏" for i in range(max(len(r) for r in rows))]
    row_at = {spans[k][0]: k for k in range(len(rows))}
    out: list[Tracked | str] = []
    records: list[Record] = []
    pos = 0
    skip_until = -1
    for idx, line in enumerate(lines):
        if idx <= skip_until or kinds[idx] == "head":
            continue
        if idx in row_at:
            k = row_at[idx]
            skip_until = spans[k][1]
            start = pos
            fields: dict[str, str] = {}
            parts: list[Tracked | str] = []
            for i, cell in enumerate(rows[k]):
                label = labels[i] if i < len(labels) else f"第{i + 1}栏"
                if i < len(rows[k]) - 1:
                    cell = cell.sub(r"(?<=[局会府室厅委部院区])\s+(?=\S)", "、").sub(r"\s+", "")
                value = cell.text
                fields[label] = value
                parts.extend([f"{label}：", cell])
                if i < len(rows[k]) - 1:
                    parts.append("；")
            piece = Tracked.join(parts, anchor=rows[k][0].starts[0] if rows[k][0].starts else 0)
            out.append(piece)
            pos += len(piece.text)
            records.append(Record(fields, start, pos, piece.text))
            out.append("\n")
            pos += 1
            continue
        out.append(line)
        out.append("\n")
        pos += len(line.text) + 1
    return Tracked.join(out), records


def clean(original: str) -> CleanDoc:
    """Clean one decoded file; see the module docstring for the rules."""
    meta: dict[str, str] = {}
    t = Tracked.of(original)
    t = t.sub(r"\r\n?", "\n")
    t = _front_matter(t, meta)
    t = _main_text(t, meta) if is_web_page(t.text) else _strip_html(t)
    t = _strip_markdown(t)
    t = _strip_annotations(t)
    t = _script_and_width(t)
    t = _drop_lines(t, meta)
    t = _join_page_breaks(t)
    t, records = _rebuild_tables(t)
    t = t.sub(r"\n{3,}", "\n\n")
    t = t.sub(r"^\n+|\n+$", "")
    return CleanDoc(original, t, meta, _locate(t.text, records))


def _locate(text: str, records: list[Record]) -> list[Record]:
    """Find each rebuilt record in the final text (blank-line collapsing moved them)."""
    found: list[Record] = []
    cursor = 0
    for r in records:
        line = r.fields_text
        at = text.find(line, cursor)
        if at < 0:
            continue
        found.append(Record(r.fields, at, at + len(line)))
        cursor = at + len(line)
    return found

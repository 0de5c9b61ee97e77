"""Cleaning on the real seeds: nothing of the mess survives, and every cleaned span maps back."""

from __future__ import annotations

import re

import pytest

from knowledge.errors import BadDocument
from knowledge.normalize import clean, decode, to_simplified
from tests.conftest import SEEDS

FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def cleaned() -> dict[str, object]:
    return {f.name[:3]: clean(decode(f.read_bytes())) for f in FILES}


def test_seeds_are_byte_for_byte_copies() -> None:
    shared = SEEDS.parent.parent / "shared" / "seeds"
    if not shared.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    for f in FILES:
        assert f.read_bytes() == (shared / f.name).read_bytes(), f.name


@pytest.mark.parametrize(
    "pattern,what",
    [
        (r"<[a-zA-Z/!][^>]*>", "HTML tags"),
        (r"\[(?:bookmark|image):", "bookmark/image tags"),
        (r"[{};]\s*$|&#\d+;|appendQr|font-size", "CSS"),
        (r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "pinyin annotations"),
        (r"(?m)^.{2,60}\t\d{1,3}$", "table-of-contents lines"),
        (r"(?m)^(?:图|表)\s*\d+(?:-\d+)?\S{0,40}$", "figure captions"),
        (r"(?m)^资料来源", "source lines"),
        (r"责任编辑|尽在新浪财经APP", "editor lines and promotion"),
        (r"(?m)^目\s*录$", "TOC heading"),
        ("\u3000", "full-width spaces"),
    ],
)
def test_no_mess_survives(cleaned: dict, pattern: str, what: str) -> None:
    for name, doc in cleaned.items():
        m = re.search(pattern, doc.text)
        assert m is None, f"{what} left in {name}: {doc.text[max(0, m.start() - 20) : m.end() + 20]!r}"


def test_page_breaks_are_joined(cleaned: dict) -> None:
    text = cleaned["002"].text
    assert "重大元宇宙项目给予信贷支持" in text
    assert "台湖演艺小镇等场景资源支持" in text
    assert "软硬件或平台型领军企业" in text
    assert "重大元\n" not in text


def test_traditional_report_reads_as_simplified(cleaned: dict) -> None:
    text = cleaned["003"].text
    assert "国内元宇宙产业继续向好发展" in text
    assert "郑州" in text and "鄭州" not in text
    assert to_simplified(text) == text
    assert "?" not in text, "lost characters are marked, not left as '?'"
    assert "规□□，形成100家以上元宇宙生态链企业" in text
    assert "“元宇宙+”" in text, "odd quote marks are normalised"


def test_front_matter_is_metadata(cleaned: dict) -> None:
    doc = cleaned["001"]
    assert doc.meta["title"].startswith("上海：到2025年")
    assert doc.meta["origin"] == "上海人民政府网站"
    assert not doc.text.startswith("---")
    assert doc.text.startswith("上海市培育“元宇宙”新赛道行动方案（2022—2025年）")


def test_appendix_table_is_one_record_per_policy(cleaned: dict) -> None:
    doc = cleaned["002"]
    assert len(doc.records) >= 30
    by_issuer = {r.fields["发布单位"]: r.fields for r in doc.records}
    assert by_issuer["上海市经济和信息化委员会"]["发布日期"] == "2021年12月30日"
    assert by_issuer["浙江省数字经济发展领导小组办公室"]["发布日期"] == "2022年1月5日"
    # a sentence that spilled into the next row is given back
    assert by_issuer["海口市人民政府"]["主要内容"].endswith("全年营收增长20%以上，税收增长20%以上。")
    assert by_issuer["北京市通州区人民政府办公室"]["主要内容"].startswith("大力推进示范应用")
    assert by_issuer["上海市宝山区"]["主要内容"].endswith("1000亿元和300亿元。")
    assert "、" in next(k for k in by_issuer if k.startswith("厦门市工业和信息化局")), "two issuers stay apart"
    assert not any("发布单位" in (r.fields.get("主要内容") or "") for r in doc.records), "header rows are dropped"


def test_every_cleaned_character_maps_back(cleaned: dict) -> None:
    """Each cleaned character comes from its mapped original characters (after the same folding)."""
    for name, doc in cleaned.items():
        t = doc.tracked
        assert len(t.starts) == len(t.ends) == len(t.text)
        bad = 0
        for i, ch in enumerate(t.text):
            s, e = t.starts[i], t.ends[i]
            assert 0 <= s <= e <= len(doc.original)
            if ch in "\n□" or e == s:
                continue
            src = doc.original[s:e]
            if ch not in src and ch not in to_simplified(src) and ch not in _width(src):
                bad += 1
        # synthesised characters (table labels, full-width punctuation) are the only exceptions
        assert bad <= len(t.text) * 0.05, f"{name}: {bad} characters do not map back"


def test_span_of_a_quote_points_at_its_original(cleaned: dict) -> None:
    doc = cleaned["003"]
    quote = "元宇宙相关产业规模突破800亿元"
    a = doc.text.index(quote)
    original = doc.original_text(a, a + len(quote))
    assert "800" in original and "億元" in original and "(" in original  # pinyin is still there in the original


def _width(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", s).replace(",", "，").replace(";", "；").replace(":", "：").replace("(", "（").replace(")", "）")


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"abc\x00\x01\x02def" * 10, "binary"),
        (bytes(range(0x80, 0x100)) * 4, "not UTF-8"),
    ],
)
def test_decode_rejects_bad_bytes(data: bytes, message: str) -> None:
    with pytest.raises(BadDocument, match=message):
        decode(data)


def test_decode_reads_gbk_and_bom() -> None:
    text = "第一条 为支持元宇宙产业发展，制定本办法。"
    assert decode(text.encode("gbk")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode()) == text

"""Document metadata read from the text itself: title, issuer, date, 文号, effect and validity clauses.

One table over the development corpus (../shared/corpus, the collector's header stripped as
users' files have none) and a few small texts made here. Saved web pages are reduced to their
main text and every cleaned character still maps back into the original file.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from knowledge.index import Processor
from knowledge.normalize import clean, is_web_page
from knowledge.regions import Gazetteer
from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"

# file, title, issuer, date, effective, expires, doc_no
CORPUS_CASES = [
    (
        "beijing_guoji_keji_chuangxin_zhongxin_tiaoli.md",
        "北京国际科技创新中心建设条例",
        "北京市人民代表大会",
        "2024-01-25",
        "自2024年3月1日起施行",
        "",
        "",
    ),
    (
        "chongqing_zimaoqu_tiaoli.md",
        "中国（重庆）自由贸易试验区条例",
        "重庆市人民代表大会常务委员会",
        "2019-09-26",
        "自2019年11月1日起施行",
        "",
        "",
    ),
    (
        "guangzhou_qingnian_chuangxin_chuangye_tiaoli.md",
        "广州市青年创新创业促进条例",
        "广州市人民代表大会常务委员会",
        "2022-11-25",
        "自2023年3月1日起施行",
        "",
        "",
    ),
    (
        "shanghai_keji_jinbu_tiaoli_2010.md",
        "上海市科学技术进步条例",
        "",
        "",
        "自2010年11月1日起施行",
        "",
        "",
    ),  # no adoption line in this copy
    (
        "shanghai_keji_jinbu_tiaoli_2024.md",
        "上海市科学技术进步条例",
        "上海市人民代表大会常务委员会",
        "2024-05-10",
        "自2024年6月1日起施行",
        "",
        "",
    ),
    (
        "zhejiang_gaoxin_jishu_cujin_tiaoli.md",
        "浙江省高新技术促进条例",
        "浙江省人民代表大会常务委员会",
        "2021-09-29",
        "自2010年1月1日起施行",
        "",
        "",
    ),
    (
        "zhengluoxin_zizhu_chuangxin_shifanqu_tiaoli.md",
        "郑洛新国家自主创新示范区条例",
        "河南省人民代表大会常务委员会",
        "2020-07-31",
        "自2020年9月1日起施行",
        "",
        "",
    ),
    (
        "jiangbei_ruanjian_chanye_cuoshi_2026.txt",
        "南京江北新区促进软件产业高质量发展的若干政策措施",
        "经济发展局",
        "2026-07-31",
        "自2026年9月1日施行",
        "有效期至2028年12月31日",
        "宁新区管规字〔2026〕4号",
    ),
    ("liuhe_lvyou_fazhan_yijian.txt", "liuhe_lvyou_fazhan_yijian", "", "", "自2019年1月1日起执行", "暂定三年", ""),  # untitled: file name
    ("shanghai_yijiu_huanxin_fangan_wenda.txt", "上海市关于进一步加大力度推进消费品以旧换新工作实施方案", "", "", "", "", ""),
    ("shanghai_minying_jingji_cuoshi_wenda.txt", "shanghai_minying_jingji_cuoshi_wenda", "", "", "", "", ""),
    ("shanghai_kejifuwuye_ruogan_yijian.txt", "shanghai_kejifuwuye_ruogan_yijian", "", "", "", "", ""),
    (
        "tianhe_rencai_gongyu_gonggao_2025.html",
        "关于受理天河区人才公寓申请的公告",
        "广州市天河区住房建设和园林局",
        "2025-08-11",
        "",
        "",
        "",
    ),
    (
        "guangzhou_jiuye_jianxi_jidi_banfa.html",
        "广州市人力资源和社会保障局广州市财政局关于印发广州市就业见习基地管理办法的通知",
        "广州市人力资源和社会保障局、广州市财政局",
        "2019-10-09",
        "自印发之日起施行",
        "有效期5年",
        "穗人社规字〔2019〕6号",
    ),
    (
        "guangzhou_yinjin_rencai_ruhu_xize_2022.html",
        "广州市人力资源和社会保障局 广州市公安局关于印发广州市引进人才入户管理办法实施细则的通知",
        "广州市人力资源和社会保障局、广州市公安局",
        "2022-07-07",
        "自印发之日起实施",
        "有效期5年",
        "穗人社规字〔2022〕2号",
    ),
]

SYNTHETIC = {
    "notice.txt": (
        "**某某市促进数字经济发展若干措施**\n\n一、总体要求\n1.加快发展。\n"
        "本措施自2023年5月1日起施行，有效期三年。\n\n某某市人民政府\n2023年4月20日\n"
    ),
    "qa.txt": "问题：\n\n《某某市人才安居办法》具体包括哪些内容？\n\n回复：\n\n（一）租房补贴。每月2000元。\n",
    "regulation.md": (
        "# 某某省数据条例\n\n（2022年3月2日某某省第十三届人民代表大会常务委员会第三十次会议通过）\n\n"
        "## 第一章 总则\n\n第一条 为了……，制定本条例。\n\n第二条 本条例适用于……。\n\n第三条 ……。\n\n"
        "第四条 本条例自2022年6月1日起施行。\n"
    ),
    "press.txt": "记者：请问政策有哪些亮点？\n\n发言人：主要有三点。\n",
}
SYNTHETIC_CASES = [
    ("notice.txt", "某某市促进数字经济发展若干措施", "某某市人民政府", "2023-04-20", "自2023年5月1日起施行", "有效期三年", ""),
    ("qa.txt", "某某市人才安居办法", "", "", "", "", ""),
    ("regulation.md", "某某省数据条例", "某某省人民代表大会常务委员会", "2022-03-02", "自2022年6月1日起施行", "", ""),
    ("press.txt", "press", "", "", "", "", ""),
]


def _strip_header(data: bytes) -> bytes:
    """The collector's title:/issuer:/date:/source: header, up to and including the first '---' line."""
    text = data.decode("utf-8")
    m = re.search(r"(?m)^---[ \t]*\n", text)
    return text[m.end() :].encode("utf-8") if m else data


@pytest.fixture(scope="module")
def processor() -> Processor:
    return Processor(Gazetteer.default(), {}, 20_000_000)


def _corpus_file(name: str) -> bytes:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    data = (CORPUS / name).read_bytes()
    return data if name.endswith(".html") else _strip_header(data)


def _check(p, title: str, issuer: str, date: str, effective: str, expires: str, doc_no: str) -> None:
    info = p.info
    assert (info.title, info.issuer, info.date) == (title, issuer, date)
    assert (info.effective, info.expires, info.doc_no) == (effective, expires, doc_no)
    assert "#" not in info.title and "<" not in info.title
    assert all(not s.startswith("#") for c in p.chunks for s in c.section)


@pytest.mark.parametrize("name,title,issuer,date,effective,expires,doc_no", CORPUS_CASES, ids=[c[0] for c in CORPUS_CASES])
def test_corpus_metadata(processor: Processor, name, title, issuer, date, effective, expires, doc_no) -> None:
    p = processor.process(Path(name), name, _corpus_file(name))
    _check(p, title, issuer, date, effective, expires, doc_no)
    if p.info.kind == "policy" and p.info.title_from != "file":
        assert {c.policy for c in p.chunks} >= {title}, "a policy text's chunks are about its own title"


@pytest.mark.parametrize("name,title,issuer,date,effective,expires,doc_no", SYNTHETIC_CASES, ids=[c[0] for c in SYNTHETIC_CASES])
def test_synthetic_metadata(processor: Processor, name, title, issuer, date, effective, expires, doc_no) -> None:
    p = processor.process(Path(name), name, SYNTHETIC[name].encode("utf-8"))
    _check(p, title, issuer, date, effective, expires, doc_no)


def test_untitled_policy_is_marked_and_its_chunks_keep_no_item_as_policy(processor: Processor) -> None:
    name = "liuhe_lvyou_fazhan_yijian.txt"
    p = processor.process(Path(name), name, _corpus_file(name))
    assert p.info.title_from == "file"
    assert not any(re.match(r"\d+[.．]", c.policy) for c in p.chunks)
    # it names no place but "柳河" in running text ("在柳河新建…", "来柳河旅游…") and calls itself 我县/本县
    assert p.info.regions[0] == "柳河县", p.info.regions


@pytest.mark.parametrize("name", [c[0] for c in CORPUS_CASES if c[0].endswith(".html")])
def test_saved_page_is_its_main_text_with_exact_offsets(name: str) -> None:
    original = _corpus_file(name).decode("utf-8")
    assert is_web_page(original)
    doc = clean(original)
    text = doc.text
    for junk in ("网站地图", "扫一扫", "版权所有", "返回顶部", "<!DOCTYPE", "<!doctype", "市委组织部"):
        assert junk not in text, junk
    assert not any(len(line) > 3000 for line in text.split("\n")), "the hidden copy of the article is dropped"
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            a, b = doc.original_span(pos, pos + len(line))
            shown = re.sub(r"\s", "", html.unescape(re.sub(r"<[^>]*>", "", original[a:b])))
            assert re.sub(r"\s", "", line)[:8] in shown, line
        pos += len(line) + 1


def test_page_items_and_tables_survive() -> None:
    jiuye = clean(_corpus_file("guangzhou_jiuye_jianxi_jidi_banfa.html").decode("utf-8"))
    assert len(set(re.findall(r"(?m)^第[一二三四五六七八九十]+条", jiuye.text))) == 23
    assert jiuye.text.count("1.申请对象。") == 2 and jiuye.text.count("2.申请流程。") == 2
    assert "联系人姓名\t工作部门和职务\t联系电话/传真\t电子邮箱" in jiuye.text, "a table row stays one line"
    assert jiuye.meta["文号"] == "穗人社规字〔2019〕6号" and jiuye.meta["发布机关"] == "广州市人力资源和社会保障局"
    tianhe = clean(_corpus_file("tianhe_rencai_gongyu_gonggao_2025.html").decode("utf-8"))
    assert "7.天河区人才公寓申请人才情况汇总表.xls" in tianhe.text
    assert tianhe.meta["来源"] == "区住建园林局" and tianhe.meta["发布日期"].startswith("2025-08-11")


def test_html_fragments_keep_the_plain_path() -> None:
    text = "<div><p>某某市行动方案</p><p>第一条 内容。</p></div>"
    assert not is_web_page(text)
    assert [ln for ln in clean(text).text.split("\n") if ln] == ["某某市行动方案", "第一条 内容。"]

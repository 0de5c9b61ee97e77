"""Kinds of failure seen on documents the bot had not been tuned on, each on a document written here.

The notice below has the shape of a district's support measures as they are saved from a government site:
a 文号, a title wrapped over two lines with a blank line between them, the issuing office and date under it,
numbered articles, and closing lines ("公开方式", "…办公室2025年6月9日印发") that read like headings. It is
placed in its district, city and province; most of its passages name no place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import engine_on

NOTICE = """吴兴科工信规字〔2025〕3号

湖州市吴兴区促进智能制造高质量发展的

若干措施（2025年版）

湖州市吴兴区科技工业和信息化局

2025年6月2日

第一条 为加快推动本区智能制造发展，结合实际，制定本措施。

第二条 对首次认定为省级智能工厂的企业，给予一次性奖励80万元；首次认定为市级智能工厂的，给予一次性奖励30万元。

第三条 对企业购置工业机器人的，按设备投资额的10%给予补助，单个企业每年最高不超过200万元。

第四条 本措施所述“最高”“不超过”均含本数，“超过”“以上”不含本数。

第五条 本措施自印发之日起施行，有效期根据产业发展情况动态调整。

公开方式：主动公开

湖州市吴兴区科技工业和信息化局办公室2025年6月9日印发
"""


# another district's measures, which name what the first never does (律师事务所)
OTHER = """湖州市南浔区支持法律服务业发展的若干措施

一、对新设立的律师事务所，给予一次性开办补助10万元。

二、本措施自2025年1月1日起施行。
"""


@pytest.fixture(scope="module")
def engine(built_home: Path, tmp_path_factory: pytest.TempPathFactory):
    texts = {"wuxing_zhineng_zhizao.txt": NOTICE, "nanxun_falv_fuwu.txt": OTHER}
    return engine_on(built_home, tmp_path_factory, "kinds", texts)


def _sources(a: dict) -> set[str]:
    return {Path(c["source"]).name for c in a["citations"]}


def test_a_title_over_two_lines_is_one_title(engine) -> None:
    doc = next(d for d in engine.catalog.all() if d.source.endswith("wuxing_zhineng_zhizao.txt"))
    assert doc.title == "湖州市吴兴区促进智能制造高质量发展的若干措施（2025年版）", doc.title


def test_a_passage_naming_no_place_is_found_by_the_district(engine) -> None:
    """Article 3 names no place; the document is placed in 吴兴区, 湖州市 and 浙江省: a question about 吴兴区 finds it."""
    a = engine.answer("吴兴区企业买工业机器人能补多少？", "k1").to_json()
    assert a["found"] and "10%" in a["answer"] and "200万元" in a["answer"], a["answer"]
    assert _sources(a) == {"wuxing_zhineng_zhizao.txt"}, a["citations"]


def test_the_date_of_the_act_asked_comes_from_the_closing_line(engine) -> None:
    a = engine.answer("吴兴区智能制造若干措施是哪天印发的？", "k2").to_json()
    assert a["found"] and "2025年6月9日" in a["answer"], a["answer"]


def test_two_facts_of_a_document_asked_at_once(engine) -> None:
    a = engine.answer("吴兴区智能制造若干措施的文号和印发日期是啥？", "k3").to_json()
    assert "吴兴科工信规字〔2025〕3号" in a["answer"] and "2025年6月" in a["answer"], a["answer"]


def test_a_validity_with_no_period_is_quoted(engine) -> None:
    a = engine.answer("吴兴区智能制造若干措施有效期多长？", "k4").to_json()
    assert a["found"] and "动态调整" in a["answer"], a["answer"]


def test_how_a_text_reads_its_own_words_is_a_definition(engine) -> None:
    a = engine.answer("吴兴区措施里“超过”含不含本数？", "k5").to_json()
    assert a["found"] and "不含本数" in a["answer"], a["answer"]


def test_a_weighty_word_no_text_of_the_place_uses_is_not_stated(engine) -> None:
    """律师 is what is asked; another district's text uses it, no 吴兴区 text does: the answer says so instead of
    quoting the nearest measure."""
    a = engine.answer("吴兴区对律师事务所有什么扶持政策？", "k6").to_json()
    assert not a["found"] and "律师" in a["answer"], a["answer"]
    a = engine.answer("吴兴区对智能工厂有什么奖励？", "k7").to_json()  # a word the text uses is answered
    assert a["found"] and "80万元" in a["answer"], a["answer"]


def test_a_policy_retold_by_a_report_is_cited_from_its_own_text(engine) -> None:
    """The 2025 target of 上海's plan is also quoted in a report on many places: the plan itself is cited."""
    a = engine.answer("What is Shanghai's metaverse industry target for 2025?", "k8").to_json()
    assert a["found"] and "3500亿元" in a["answer"], a["answer"]
    assert all(c["source"].endswith("001_1342eb87ee05b1a2.txt") for c in a["citations"][:1]), a["citations"]


def test_another_places_measure_is_no_answer(engine) -> None:
    """A report section on 武汉's plan must not answer a question about 上海."""
    a = engine.answer("上海对元宇宙企业有啥资金支持？", "k9").to_json()
    assert "武汉" not in a["answer"], a["answer"]
    assert all("武汉" not in c["title"] and "武汉" not in c["section"] for c in a["citations"]), a["citations"]


def test_a_follow_up_opening_with_na_keeps_its_topic(engine) -> None:
    engine.answer("宝山工业元宇宙产业规模目标多少？", "k10")
    a = engine.answer("那新材料产业呢？", "k10").to_json()
    assert a["found"] and "1500" in a["answer"], a["answer"]


def test_a_heading_quoted_alone_brings_what_it_heads(engine) -> None:
    a = engine.answer("上海元宇宙文旅方面有啥场景", "k11").to_json()
    assert a["found"] and "元旅上海" in a["answer"], a["answer"]
    assert "。”[" not in a["answer"], a["answer"]  # one full stop, after the citation

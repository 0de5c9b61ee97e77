"""Kinds of failure seen on texts taken from PDF pages and on residents' rules, each on a text written here.

The pension rule below is hard-wrapped the way a PDF page's text comes out (lines cut mid-sentence at
a fixed width, full-width digits with spaces); it states what a resident pays, a figure given by the
sentence after the one that names it, and when it takes effect and how long it holds in one sentence.
The car-subsidy notice sets its tiers as "X（含）万元-Y（不含）万元". The injury rule's table runs from
五级 to 十级 only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.fit import fit, own_figures
from knowledge.normalize import clean
from tests.conftest import engine_on

# cut at 28 characters a line, as a PDF page's text is
_PENSION_FLAT = (
    "宁波市城乡居民基本养老保险实施意见\n"
    "各镇人民政府，市政府各部门：\n"
    "为进一步完善全市城乡居民基本养老保险制度，现提出如下实施意见：\n"
    "一、个人缴费\n"
    "我市城乡居民养老保险个人缴费实行年度一次性缴纳，缴费档次由参保人员自主选择。"
    "从２０２２年起，每年最低标准为 ４００ 元，最高标准为 ６０００ 元，"
    "参保人员可在 ４００ 元至 ６０００ 元缴费区间内自主选择缴费档次，按年缴费，多缴多得。\n"
    "二、丧葬补助金\n"
    "参保人员在缴费或者待遇领取期间死亡的，其遗属可以领取一次性丧葬补助金。"
    "标准按照参保人员死亡当月我市城乡居民基础养老金标准的 １３ 个月确定，所需资金由市财政负担。\n"
    "三、其他\n"
    "本意见自２０２２年１月１日起正式施行，有效期５年，由市人力资源和社会保障局负责解释。\n"
)


def _wrapped(text: str, width: int = 28) -> str:
    out = []
    for line in text.splitlines():
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out) + "\n"


PENSION = _wrapped(_PENSION_FLAT)

CAR = """宁波市2025年汽车消费补贴活动公告

一、补贴标准
补贴标准为：
1. 购买新车发票金额10（不含）万元以下，可申领1900元的汽车消费礼包。
2. 购买新车发票金额为10（含）万元-25（不含）万元，可申领4800元的汽车消费礼包。
3. 购买新车发票金额为25（含）万元-40（不含）万元，可申领6400元的汽车消费礼包。
4. 购买新车发票金额为40（含）万元以上，可申领8500元的汽车消费礼包。
"""

INJURY = """宁波市工伤保险实施办法

第二十条 以统筹地区上年度职工月平均工资为基数，一次性伤残就业补助金标准：五级伤残为34个月，六级伤残为28个月，\
七级伤残为20个月，八级伤残为16个月，九级伤残为12个月，十级伤残为8个月。

第二十五条 用人单位未按规定提出工伤认定申请的，处二万元以上二十万元以下罚款。

第三十条 本办法自2023年3月1日起施行。
"""

TALENT = """宁波市人才公寓管理办法

第五条 申请人须与用人单位签订二年及以上劳动（聘用）合同，并在本市缴纳社会保险。

第六条 人才公寓租金按周边市场租金的70%确定。

第九条 本办法自2024年1月1日起施行。
"""


@pytest.fixture(scope="module")
def engine(built_home: Path, tmp_path_factory: pytest.TempPathFactory):
    texts = {
        "ningbo_jumin_yanglao_yijian.txt": PENSION,
        "ningbo_qiche_butie_gonggao.md": CAR,
        "ningbo_gongshang_banfa.txt": INJURY,
        "ningbo_rencai_gongyu_banfa.txt": TALENT,
    }
    return engine_on(built_home, tmp_path_factory, "kinds_s15", texts)


def test_a_hard_wrapped_text_is_read_as_whole_sentences() -> None:
    assert max(len(x) for x in PENSION.splitlines()) == 28  # the text really is cut mid-sentence
    text = clean(PENSION).text
    assert "每年最低标准为400元，最高标准为6000元" in text
    assert "其遗属可以领取一次性丧葬补助金。标准按照参保人员死亡当月" in text
    assert "\n二、丧葬补助金\n" in text  # a heading stays a line of its own


def test_a_text_of_paragraphs_is_not_joined() -> None:
    text = clean(_PENSION_FLAT.replace("意见：\n", "意见\n")).text
    assert "实施意见\n各镇人民政府" in text and "如下实施意见\n一、个人缴费" in text


def test_a_sum_the_asker_pays_is_answered_by_the_sum_stated(engine) -> None:
    a = engine.answer("宁波城乡居民养老保险，一年最少得交多少钱？", "s1").to_json()
    assert a["found"] and "400元" in a["answer"], a["answer"]
    assert "每年最低标准为400元" in a["citations"][0]["quote"], a["citations"]


def test_the_sentence_after_the_one_naming_the_support_gives_its_figure(engine) -> None:
    a = engine.answer("宁波城乡居民养老参保人去世了，家属能领多少丧葬补助金？", "s2").to_json()
    assert a["found"] and "13个月" in a["answer"], a["answer"]


def test_effect_and_validity_asked_together_are_both_answered(engine) -> None:
    a = engine.answer("宁波城乡居民养老保险实施意见什么时候施行？有效期多长？", "s3").to_json()
    assert a["found"], a["answer"]
    assert "2022年1月1日" in a["answer"] and "有效期5年" in a["answer"], a["answer"]
    assert a["answer"].count("2022年1月1日") == 1, a["answer"]  # said once, not once a part


def test_bounds_marked_included_or_not_place_the_askers_sum() -> None:
    mine = own_figures("发票金额刚好25万，算哪一档？")
    assert fit("为10（含）万元-25（不含）万元，可申领4800元", mine) == -1
    assert fit("为25（含）万元-40（不含）万元，可申领6400元", mine) == 1
    assert fit("10（不含）万元以下，可申领1900元", own_figures("发票10万元")) == -1


def test_the_tier_of_the_askers_invoice_answers(engine) -> None:
    a = engine.answer("宁波汽车消费补贴，发票金额刚好25万，算哪一档，能领多少？", "s4").to_json()
    assert a["found"] and "6400元" in a["answer"], a["answer"]
    assert "4800元" not in a["answer"], a["answer"]


def test_a_grade_the_table_does_not_list_is_not_stated(engine) -> None:
    a = engine.answer("宁波工伤一级伤残的一次性伤残就业补助金是几个月？", "s5").to_json()
    assert not a["found"], a["answer"]
    b = engine.answer("宁波工伤七级伤残的一次性伤残就业补助金是几个月？", "s6").to_json()
    assert b["found"] and "20个月" in b["answer"], b["answer"]


def test_a_fine_asked_as_how_much_is_the_fine_stated(engine) -> None:
    a = engine.answer("宁波用人单位不提出工伤认定申请，要罚多少？", "s7").to_json()
    assert a["found"] and "二万元以上二十万元以下" in a["answer"], a["answer"]


def test_a_word_split_by_a_short_aside_is_found(engine) -> None:
    a = engine.answer("宁波人才公寓申请人的劳动合同至少要签多长？", "s8").to_json()
    assert a["found"] and "二年及以上" in a["answer"], a["answer"]

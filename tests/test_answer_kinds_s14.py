"""Kinds of failure seen on social-insurance rules and on comparisons of two documents, each on a text written here.

The city's care-insurance rule sets its members' rates as numbered tiers by age under a heading, names an
allowance without its sum, and says when it takes effect but not how long it holds. Its rule for the elderly
says both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import engine_on

CARE = """宁波市长期护理保险试行办法

第一条 为了建立长期护理保险制度，制定本办法。

第五条 职工参保人员按月缴纳长期护理保险费，缴费费率按以下标准执行：
1.单位缴费费率为0.15%。
2.个人缴费费率：
（1）未满35周岁参保人员个人不缴费；
（2）满35周岁至未满45周岁参保人员为0.02%；
（3）满45周岁至退休前参保人员为0.08%；
（4）退休人员为0.12%。

第六条 失能人员的护理津贴按月发放，由社会保险经办机构负责审核。

第七条 本办法自2023年1月1日起施行。
"""

ELDERLY = """宁波市老年人优待办法

第一条 为了弘扬敬老传统，制定本办法。

第五条 65周岁以上的老年人免费乘坐市内公共汽车。

第十条 本办法自2021年5月1日起施行，有效期5年。
"""


# a step of a procedure, long enough that the whole list is too long to quote: its title is quoted
_STEP = "经办部门应当在规定时限内完成审核，审核结果书面告知申请人，申请人对结果有异议的，可以按规定申请复核。" * 4
HOUSING = f"""宁波市公共租赁住房管理办法

第八条 住房保障部门处理住房保障纠纷，依法行使下列职权：
（一）询问有关当事人；
（二）查阅、复制有关资料；
（三）对以欺骗手段取得的住房可以责令腾退或者收回。

第九条 公共租赁住房保障的申请、审核程序如下：
（一）申请。申请人到户籍所在地街道办事处提出申请，如实申报家庭收入、财产和住房情况。{_STEP}
（二）初审。街道办事处对申请材料进行初审。{_STEP}
（三）复审。区住房保障部门进行复审。{_STEP}
（四）公示。复审通过的，在申请人所在社区公示。{_STEP}

第十条 本办法自2024年3月1日起施行。
"""


@pytest.fixture(scope="module")
def engine(built_home: Path, tmp_path_factory: pytest.TempPathFactory):
    texts = {
        "ningbo_changhu_xian_banfa.txt": CARE,
        "ningbo_laonianren_youdai_banfa.txt": ELDERLY,
        "ningbo_gongzufang_banfa.txt": HOUSING,
    }
    return engine_on(built_home, tmp_path_factory, "kinds_s14", texts)


def test_the_tier_item_that_holds_the_askers_age_answers_a_bare_how_much(engine) -> None:
    a = engine.answer("我今年38岁，在宁波交的职工医保，长护险个人部分按多少费率扣？", "s1").to_json()
    assert a["found"] and "0.02%" in a["answer"], a["answer"]
    assert "0.08%" not in a["answer"] and "0.12%" not in a["answer"], a["answer"]
    assert "个人缴费费率" in a["answer"], a["answer"]  # the heading says what the item's figure is of


def test_a_figure_asked_of_a_passage_that_states_none_is_not_stated(engine) -> None:
    a = engine.answer("宁波失能人员的护理津贴每个月发多少？", "s2").to_json()
    assert not a["found"], a["answer"]
    assert "没有写明" in a["answer"], a["answer"]


def test_a_share_asked_is_answered_by_the_passage_that_states_it(engine) -> None:
    a = engine.answer("宁波长护险单位那部分的缴费费率是百分之多少？", "s3").to_json()
    assert a["found"] and "0.15%" in a["answer"], a["answer"]


def test_which_came_first_asks_each_documents_date(engine) -> None:
    a = engine.answer("宁波长期护理保险试行办法和老年人优待办法，哪个先施行？分别是什么日期？", "s4").to_json()
    assert a["found"], a["answer"]
    assert "2023年1月1日" in a["answer"] and "2021年5月1日" in a["answer"], a["answer"]


def test_a_compared_document_that_does_not_say_it_is_named(engine) -> None:
    a = engine.answer("宁波长期护理保险试行办法和老年人优待办法的有效期分别是多久？", "s5").to_json()
    assert a["found"] and "有效期5年" in a["answer"], a["answer"]
    assert "《宁波市长期护理保险试行办法》没有写明有效期" in a["answer"], a["answer"]


def test_a_lists_short_last_item_is_an_item_not_a_heading(engine) -> None:
    a = engine.answer("宁波住房保障部门处理住房保障纠纷可以行使哪些职权？", "s6").to_json()
    assert a["found"], a["answer"]
    assert all(x in a["answer"] for x in ("询问有关当事人", "查阅、复制有关资料", "责令腾退或者收回")), a["answer"]


def test_a_list_too_long_to_quote_is_told_by_its_items_titles(engine) -> None:
    a = engine.answer("宁波申请公租房要走哪些审核步骤？", "s7").to_json()
    assert a["found"], a["answer"]
    steps = ["（一）申请", "（二）初审", "（三）复审", "（四）公示"]
    assert all(x in a["answer"] for x in steps), a["answer"]
    assert [a["answer"].find(x) for x in steps] == sorted(a["answer"].find(x) for x in steps), a["answer"]

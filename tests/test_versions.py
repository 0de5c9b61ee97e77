"""Two versions of one policy, linked by what the newer text repeals, answered from the one in force.

The documents are written here (a county's old and new support measures; a province's yearly lists):
the old one has no title of its own, as texts copied from a web page often do, so the link must come
from the newer text's repeal sentence ("此前出台的…政策同时废止", "《…》（X〔2023〕3号）同时废止").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import engine_on

OLD = """一、财政支持
设立规模不低于5000万元的重点产业发展引导资金，用于通渭县重点产业发展补助和奖励。
二、企业上市奖励
对在主板上市企业，给予企业500万元奖励；对在新三板挂牌企业，给予企业80万元奖励。
三、附则
本政策自发布之日起施行，以前出台的招商项目相关支持奖励政策同时废止。
"""

NEW = """中共通渭县委 通渭县人民政府
关于支持重点产业加快发展的实施意见
（2024年3月1日）
第1条 设立总规模不低于1亿元的重点产业发展引导资金，用于重点产业发展补助和奖励。
第2条 对在主板上市企业，给予企业300万元奖励；对在新三板挂牌企业，给予企业100万元奖励。
第3条 本意见自发布之日起施行，暂定三年有效期。此前出台的支持重点产业发展相关支持奖励政策同时废止。
"""

LIST_2023 = """甘肃省2023年推动产业发展政策清单
甘政发〔2023〕3号
一、新建高标准农田300万亩，每亩补助1500元。
"""

LIST_2024 = """甘肃省人民政府关于印发2024年推动产业发展政策清单的通知
甘政发〔2024〕5号
各市州人民政府：
现将清单印发给你们，请认真抓好落实。《甘肃省人民政府关于印发2023年推动产业发展政策清单的通知》（甘政发〔2023〕3号）同时废止。
一、新建高标准农田420万亩，每亩补助1800元。
"""


# a regulation revised under the same title, with no repeal sentence: the revised text says only 修订
TCM_2012 = """宁夏回族自治区促进中医药发展条例
（2012年9月20日宁夏回族自治区第十届人民代表大会常务委员会第三十次会议通过）
第一条 为了促进中医药事业发展，制定本条例。
第二条 自治区人民政府设立中医药发展专项资金，每年不少于500万元。
第三条 本条例自2012年12月1日起施行。
"""

TCM_2023 = """宁夏回族自治区促进中医药发展条例
（2012年9月20日宁夏回族自治区第十届人民代表大会常务委员会第三十次会议通过　\
2023年7月27日宁夏回族自治区第十三届人民代表大会常务委员会第四次会议修订）
第一条 为了促进中医药传承创新发展，制定本条例。
第二条 自治区人民政府设立中医药发展专项资金，每年不少于2000万元。
第三条 本条例自2023年10月1日起施行。
"""


@pytest.fixture(scope="module")
def engine(built_home: Path, tmp_path_factory: pytest.TempPathFactory):
    texts = {
        "tongwei_old.txt": OLD,
        "tongwei_2024.txt": NEW,
        "gansu_2023.txt": LIST_2023,
        "gansu_2024.txt": LIST_2024,
        "ningxia_tcm_2012.txt": TCM_2012,
        "ningxia_tcm_2023.txt": TCM_2023,
    }
    return engine_on(built_home, tmp_path_factory, "versions", texts)


def test_the_version_in_force_answers_and_names_the_old_one_superseded(engine) -> None:
    a = engine.answer("通渭县企业主板上市奖励多少？", "v1").to_json()
    assert a["found"] and "300万元" in a["answer"] and "500万元" not in a["answer"], a["answer"]
    assert all("tongwei_2024" in s["source"] for s in a["citations"]), a["citations"]
    assert "取代" in a["answer"] and "《关于支持重点产业加快发展的实施意见》" in a["answer"], a["answer"]


def test_the_old_version_asked_for_by_name_answers_from_it(engine) -> None:
    a = engine.answer("通渭县旧版政策里主板上市奖励是多少？", "v2").to_json()
    assert a["found"] and "500万元" in a["answer"], a["answer"]
    assert all("tongwei_old" in s["source"] for s in a["citations"]), a["citations"]
    assert "旧版" in a["answer"] and "已被《关于支持重点产业加快发展的实施意见》取代" in a["answer"], a["answer"]


def test_a_version_word_does_not_turn_a_question_into_one_on_repeals(engine) -> None:
    a = engine.answer("通渭县旧版政策对新三板挂牌企业奖励多少？", "v3").to_json()
    assert "80万元" in a["answer"] and "同时废止" not in a["answer"], a["answer"]


def test_versions_side_by_side_when_asked_what_changed(engine) -> None:
    a = engine.answer("通渭县新旧版本比，主板上市奖励变了吗？", "v4").to_json()
    assert "300万元" in a["answer"] and "500万元" in a["answer"], a["answer"]
    assert a["answer"].index("300万元") < a["answer"].index("500万元"), "the version in force first"


def test_a_repeal_by_document_number_links_the_yearly_lists(engine) -> None:
    a = engine.answer("甘肃高标准农田每亩补助多少？", "v5").to_json()
    assert a["found"] and "1800元" in a["answer"] and "1500元" not in a["answer"], a["answer"]
    assert "取代" in a["answer"], a["answer"]


def test_is_the_old_one_still_valid_is_answered_by_the_new_ones_repeal(engine) -> None:
    a = engine.answer("通渭县以前的重点产业政策现在还有效吗？", "v6").to_json()
    assert a["found"] and "此前出台的支持重点产业发展相关支持奖励政策同时废止" in a["answer"], a["answer"]
    assert all("tongwei_2024" in s["source"] for s in a["citations"]), a["citations"]


def test_the_old_version_asked_for_is_read_whole(engine) -> None:
    # the search may find the old text's opening; the old version's own best clause answers
    a = engine.answer("通渭县旧版政策里新三板挂牌奖励多少？", "v7").to_json()
    assert "80万元" in a["answer"] and "旧版" in a["answer"], a["answer"]


def test_a_document_number_asked_is_its_own_not_one_it_cites(engine) -> None:
    a = engine.answer("甘肃2024年推动产业发展政策清单的文号是多少？", "v8").to_json()
    assert a["found"] and "甘政发〔2024〕5号" in a["answer"], a["answer"]
    assert "甘政发〔2024〕5号" in a["citations"][0]["quote"], a["citations"]  # its own number first


def test_is_a_revised_regulations_old_text_still_valid(engine) -> None:
    # no repeal sentence: each version's date of effect, the one in force first, and the note
    a = engine.answer("2012年的宁夏促进中医药发展条例还有效吗？", "v9").to_json()
    assert a["found"] and "2023年10月1日" in a["answer"] and "2012年12月1日" in a["answer"], a["answer"]
    assert a["answer"].index("2023年10月1日") < a["answer"].index("2012年12月1日"), a["answer"]
    assert "取代" in a["answer"], a["answer"]


def test_both_versions_asked_without_years(engine) -> None:
    a = engine.answer("宁夏中医药条例修订了吧？新版什么时候施行，老版当时是哪天施行的", "v10").to_json()
    assert "2023年10月1日" in a["answer"] and "2012年12月1日" in a["answer"], a["answer"]


def test_the_revised_regulation_in_force_answers(engine) -> None:
    a = engine.answer("宁夏中医药发展专项资金每年不少于多少？", "v11").to_json()
    assert a["found"] and "2000万元" in a["answer"] and "500万元" not in a["answer"], a["answer"]

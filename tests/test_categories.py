"""A figure given per category of person, and the table that says who is in which category.

The document is written here, in the shape of district talent-housing rules: a notice with two attached
rules, each opening with its table of categories ("3型保障对象：…全日制博士研究生…") and giving its sums per
category ("…3型保障对象50万元…"), a period of validity stated once, and a sentence that only mentions it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import engine_on

RULES = """青田县人才住房保障办法实施细则
附件1
青田县人才购房补贴的实施细则（试行）
一、保障对象类型
1型保障对象：省级高层次人才；
2型保障对象：全日制博士研究生、副高级及以上职称专业技术人才；
3型保障对象：全日制硕士研究生、中级职称专业技术人才；
4型保障对象：全日制本科学历毕业生。
二、补助标准
人才购房补贴按照人才层次，分别按1型保障对象100万元、2型保障对象60万元、3型保障对象30万元、4型保障对象8万元给予购房补贴。
三、其他事项
1.人才购房补贴政策实施期限为2024年1月1日-2026年12月31日，在政策有效期内获得购房资格的，应及时申请购房补贴。
附件2
青田县人才租赁补贴的实施细则（试行）
一、对象范围
1型保障对象：省级高层次人才；
2型保障对象：全日制博士研究生、副高级及以上职称专业技术人才；
3型保障对象：全日制硕士研究生、中级职称专业技术人才；
4型保障对象：全日制本科学历毕业生。
二、补助标准
分别按1型保障对象4000元/月，2型保障对象2600元/月，3型保障对象1800元/月，4型保障对象900元/月给予租赁补贴。
"""


@pytest.fixture(scope="module")
def engine(built_home: Path, tmp_path_factory: pytest.TempPathFactory):
    return engine_on(built_home, tmp_path_factory, "categories", {"qingtian_rencai_zhufang.txt": RULES})


def test_the_askers_category_is_quoted_beside_the_sums(engine) -> None:
    a = engine.answer("我是全日制博士，在青田县企业上班，人才购房补贴能拿多少？", "c1").to_json()
    assert a["found"] and "2型保障对象60万元" in a["answer"], a["answer"]
    assert "2型保障对象：全日制博士研究生" in a["answer"], a["answer"]  # why the second category is theirs
    assert "3型保障对象：" not in a["answer"], a["answer"]


def test_a_category_named_in_the_asking_part_answers_too(engine) -> None:
    a = engine.answer("青田县人才租房补贴，全日制本科毕业生每月给多少？", "c2").to_json()
    assert a["found"] and "4型保障对象900元/月" in a["answer"], a["answer"]
    assert "4型保障对象：全日制本科学历毕业生" in a["answer"], a["answer"]
    # the rental sums stand in the second attached rule, and are cited by its own title
    assert "青田县人才租赁补贴的实施细则" in a["answer"], a["answer"]


def test_a_period_of_validity_is_one_with_dates(engine) -> None:
    a = engine.answer("青田县人才购房补贴政策有效期到什么时候？", "c3").to_json()
    assert a["found"] and "2026年12月31日" in a["answer"], a["answer"]
    assert "有效期内获得" not in a["answer"], a["answer"]  # the sentence that only mentions it answers nothing

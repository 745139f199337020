"""Each repair step with a table of real snippets from the seed pages (input → expected)."""

import pytest

from pinghu_core.parse import repair


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "打一场打一场““以人民为中心以人民为中心””的擂台赛的擂台赛",
            "打一场“以人民为中心”的擂台赛",
        ),  # 003 line 7
        ("智创园智创园", "智创园"),
        ("我市开启民生共享工程立功竞赛2.0版", "我市开启民生共享工程立功竞赛2.0版"),  # not doubled
        ("人人为我 我为人人", "人人为我 我为人人"),  # contains repeats, is not doubled
        ("谢谢", "谢谢"),  # too short to judge
    ],
)
def test_undouble(raw, expected):
    assert repair.undouble(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # 000: half-width comma inside Chinese; decimals stay
        (
            "1至6月份分别完成年度计划的81.3%、86.4%和76.9%。9个项目列入嘉兴市“百年百项”计划,总投资45.37亿元",
            "1至6月份分别完成年度计划的81.3%、86.4%和76.9%。9个项目列入嘉兴市“百年百项”计划，总投资45.37亿元",
        ),
        # 001: parentheses around Chinese become full-width
        (
            "我市整治“低散乱”企业(作坊)2306家,完成年度目标的288.25%",
            "我市整治“低散乱”企业（作坊）2306家，完成年度目标的288.25%",
        ),
        # 001 ad: colon after Chinese; phone numbers keep their space
        ("招生热线:8508717 8508709 俞金明", "招生热线：8508717 8508709 俞金明"),
        # 000: exclamation marks inside a quote
        ("“这里太美了!古色古香!”", "“这里太美了！古色古香！”"),
        # numbers and Latin text keep half-width marks
        ("1,000 and 12:30", "1,000 and 12:30"),
        ("支持力度位列全省各县(市、区)第二", "支持力度位列全省各县（市、区）第二"),
    ],
)
def test_normalize_punctuation(raw, expected):
    assert repair.normalize_punctuation(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("裙房已完成 60%二层结构平面浇筑，计划在 9月", "裙房已完成60%二层结构平面浇筑，计划在9月"),  # 003
        ("于 3月 18日进行创建", "于3月18日进行创建"),  # 003, after joining the wrap
        ("其中注册资金 5000 万美元", "其中注册资金5000万美元"),  # 003
        ("本报讯 8月15日下午", "本报讯 8月15日下午"),  # the space after 本报讯 is the paper's own
        ("招生热线：8508717 8508709 俞金明", "招生热线：8508717 8508709 俞金明"),  # not a unit
    ],
)
def test_tighten_number_spaces(raw, expected):
    assert repair.tighten_number_spaces(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("# 平湖版", "平湖版"),
        ("### 争先创优 追梦奔跑", "争先创优 追梦奔跑"),
        ("**经济创新 | 追梦一体化 奔向高质量**", "经济创新 | 追梦一体化 奔向高质量"),
        ("深1度·经济创新  ", "深1度·经济创新"),
        ("本报讯 昨天上午", "本报讯 昨天上午"),
    ],
)
def test_strip_markdown(raw, expected):
    assert repair.strip_markdown(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected", "continued"),
    [
        (
            "…形成了颇具特色的‘平湖模式’。”市农业农村局农村合作经济指导服务中心主任夏竟舟介绍说。(下转2版)",
            "…形成了颇具特色的‘平湖模式’。”市农业农村局农村合作经济指导服务中心主任夏竟舟介绍说。",
            True,
        ),
        ("（下转3版）", "", True),
        ("下转二版的说明不在句末。", "下转二版的说明不在句末。", False),
    ],
)
def test_strip_continuation(raw, expected, continued):
    assert repair.strip_continuation(raw) == (expected, continued)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["本报讯 “市中医院迁建项", "目，十九层住院楼已完成十三层"],
            "本报讯 “市中医院迁建项目，十九层住院楼已完成十三层",
        ),
        (["DIYI", "PINGLUN"], "DIYI PINGLUN"),
        (["  ", "今天多云到阴，有分散性阵雨或雷", "雨。"], "今天多云到阴，有分散性阵雨或雷雨。"),
    ],
)
def test_join_wrapped(lines, expected):
    assert repair.join_wrapped(lines) == expected


def test_order_matters_undouble_before_punctuation():
    """Doubling hides the punctuation: normalising first would break the doubled runs."""
    raw = "打一场打一场((试点试点))"
    assert repair.repair_headline(raw) == "打一场（试点）"
    assert repair.undouble(repair.normalize_punctuation(raw)) != "打一场（试点）"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("沈志凤要求。", True),
        ("他说：“好。”", True),
        ("通天桥换“筋骨”", False),
        ("开启了强村新模式——", False),
        ("", False),
    ],
)
def test_ends_sentence(text, expected):
    assert repair.ends_sentence(text) is expected

"""Byline forms from the seed pages: input line → roles and names."""

import pytest

from pinghu_core import bylines

CASES = [
    # (line, reporters, correspondents, photographers, interns)
    ("■记者 冯思家", ["冯思家"], [], [], []),  # 000
    ("■记 者 李雨婷", ["李雨婷"], [], [], []),  # 003: spaced role
    ("记者 胡佳英", ["胡佳英"], [], [], []),  # 004: no ■
    ("■摄影 王 强", [], [], ["王强"], []),  # 003: padded two-character name
    ("■摄影 王 强 曹金凤", [], [], ["王强", "曹金凤"], []),  # 003
    ("■记者 石晓晨 汤智娟 通讯员 张晓慧", ["石晓晨", "汤智娟"], ["张晓慧"], [], []),  # 000: several roles
    ("■记者 李雨婷 通讯员 沈 斐", ["李雨婷"], ["沈斐"], [], []),  # 003
    ("见习记者 韩胜超", ["韩胜超"], [], [], []),  # 004
    ("实习生 王辰奕", [], [], [], ["王辰奕"]),  # 004
    ("通讯员 徐冰艳 张丹燕", [], ["徐冰艳", "张丹燕"], [], []),  # 004
    ("■摄影 王强 李唯忱", [], [], ["王强", "李唯忱"], []),  # 000
]


@pytest.mark.parametrize(("line", "reporters", "correspondents", "photographers", "interns"), CASES)
def test_parse_byline(line, reporters, correspondents, photographers, interns):
    assert bylines.is_byline(line)
    b = bylines.parse_byline(line)
    assert (b.reporters, b.correspondents, b.photographers, b.interns) == (
        reporters,
        correspondents,
        photographers,
        interns,
    )


@pytest.mark.parametrize(
    "line",
    [
        "记者们来到现场",
        "本报讯 昨天，记者从市经信局了解到",
        "“我们在服务重大项目推进过程中着力做好",
        "新埭让网格治理有精度更有温度",
    ],
)
def test_not_a_byline(line):
    assert not bylines.is_byline(line)


@pytest.mark.parametrize(
    ("line", "head", "tail"),
    [
        ("全力助企纾困 稳住经济大盘■记者 胡佳英  ", "全力助企纾困 稳住经济大盘", "■记者 胡佳英"),  # 002
        (
            "近日,在市区东湖景区内,享受午后的静谧时光。 ■摄影 王强",
            "近日,在市区东湖景区内,享受午后的静谧时光。",
            "■摄影 王强",
        ),  # 000
        ("■记者 胡佳英", "■记者 胡佳英", ""),
        ("平湖重点项目建设加速度", "平湖重点项目建设加速度", ""),
    ],
)
def test_split_trailing_byline(line, head, tail):
    assert bylines.split_trailing_byline(line) == (head, tail)

"""Byline forms from the seed pages: input line → roles and names."""

import pytest

from pinghu_core.parse import bylines

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
    ("line", "head", "byline", "rest"),
    [
        ("全力助企纾困 稳住经济大盘■记者 胡佳英  ", "全力助企纾困 稳住经济大盘", "■记者 胡佳英", ""),  # 002
        (
            "近日,在市区东湖景区内,享受午后的静谧时光。 ■摄影 王强",
            "近日,在市区东湖景区内,享受午后的静谧时光。",
            "■摄影 王强",
            "",
        ),  # 000
        ("■记者 胡佳英", "■记者 胡佳英", "", ""),
        ("平湖重点项目建设加速度", "平湖重点项目建设加速度", "", ""),
        # the text goes on after the names: it is text again, not reporters
        (
            "全力助企纾困 稳住经济大盘■记者 胡佳英 本报讯 今年以来，我市",
            "全力助企纾困 稳住经济大盘",
            "■记者 胡佳英",
            "本报讯 今年以来，我市",
        ),
        ("■记者 胡佳英 本报讯 今年以来，我市", "", "■记者 胡佳英", "本报讯 今年以来，我市"),
    ],
)
def test_split_line(line, head, byline, rest):
    assert bylines.split_line(line) == (head, byline, rest)


@pytest.mark.parametrize(
    ("line", "reporters", "photographers"),
    [
        ("黄春涛摄（人民视觉）", [], ["黄春涛"]),
        ("新华社记者  张玉薇摄", [], ["张玉薇"]),
        ("本报记者 苏 滨", ["苏滨"], []),
        ("（本报记者朱竞若、邓建胜、贺勇）", ["朱竞若", "邓建胜", "贺勇"], []),
        ("文/图 张三", ["张三"], ["张三"]),
        ("文/张三 图/李四", ["张三"], ["李四"]),
        ("张武军摄", [], ["张武军"]),
        ("本报记者  贺  勇摄  ", [], ["贺勇"]),
        # real People's Daily bylines: 整理 (compiled by) after a padded name, another paper's reporter
        ("本报记者\xa0王\xa0丹整理", ["王丹"], []),
        ("本报记者 韩 鑫整理", ["韩鑫"], []),
        ("本报记者  付  文采访", ["付文"], []),
        ("（本报记者李永群、马菲、敬宜采访整理）", ["李永群", "马菲", "敬宜"], []),
        ("（本报记者程远州、范昊天、鲜敢参与采写）", ["程远州", "范昊天", "鲜敢"], []),
        (
            "（本报记者汪晓东、付文、田豆豆、程远州、申少铁、韩鑫整理）",
            ["汪晓东", "付文", "田豆豆", "程远州", "申少铁", "韩鑫"],
            [],
        ),
        (
            "（本报记者汪晓东、付文、李昌禹、申少铁、韩鑫，健康时报记者赵安平）",
            ["汪晓东", "付文", "李昌禹", "申少铁", "韩鑫", "赵安平"],
            [],
        ),
    ],
)
def test_other_byline_forms(line, reporters, photographers):
    assert bylines.is_byline(line)
    b = bylines.parse_byline(line)
    assert (b.reporters, b.photographers) == (reporters, photographers)


@pytest.mark.parametrize(
    ("lead", "reporters", "correspondents"),
    [
        ("本报北京1月31日电  （记者胡浩、赵文君）国务院新闻办公室", ["胡浩", "赵文君"], []),
        ("新华社北京9月30日电  （记者朱基钗）中共中央总书记", ["朱基钗"], []),
        ("本报讯（记者 张三 通讯员 李四）昨天", ["张三"], ["李四"]),
        ("本报讯 昨天，记者从市经信局了解到", [], []),
        ("今年以来（记者了解到），", [], []),
    ],
)
def test_names_in_a_lead(lead, reporters, correspondents):
    b = bylines.lead_byline(lead)
    assert (b.reporters, b.correspondents) == (reporters, correspondents)


@pytest.mark.parametrize(
    "token",
    [
        "勇摄",
        "贺",
        "张武军摄",
        "核心阅读",
        "汪洋出席",
        "本报讯",
        "记者",
        "丹整理",
        "韩鑫整理",
        "王瑨采访",
        "手记",
        "人民网",
        "健康时报",
        "生命时报",
    ],
)
def test_never_a_name(token):
    assert not bylines.is_name(token)


def test_a_reporters_note_is_not_a_reporter():
    assert bylines.parse_byline("■记者手记").reporters == []

"""Headline lines → 引题 / 主题 / 副题, with the seeds' headlines."""

import pytest

from pinghu_core.parse.headlines import HeadLine, headline_parts, join_wrapped_title


def parts(lines, pdf=False, levels=None, doubled=None):
    levels = levels or [0] * len(lines)
    doubled = doubled or [False] * len(lines)
    p = headline_parts([HeadLine(t, lv, d) for t, lv, d in zip(lines, levels, doubled, strict=True)], pdf=pdf)
    return p.kicker, p.title, p.subtitle


@pytest.mark.parametrize(
    ("lines", "levels", "expected"),
    [
        (
            ["平湖重点项目建设加速度", "上半年交出亮眼成绩单"],
            [1, 2],
            ("", "平湖重点项目建设加速度", "上半年交出亮眼成绩单"),
        ),
        (
            ["争先创优 追梦奔跑", "民生共享工程半年度工作交流会召开"],
            [3, 2],
            ("争先创优 追梦奔跑", "民生共享工程半年度工作交流会召开", ""),
        ),
        (
            ["丰富文化服务供给 满足群众精神生活", "民生优享“连连看”聚焦丰富文化服务供给"],
            [2, 0],
            ("", "丰富文化服务供给 满足群众精神生活", "民生优享“连连看”聚焦丰富文化服务供给"),
        ),
    ],
)
def test_markdown_rank_decides(lines, levels, expected):
    assert parts(lines, levels=levels) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # 004: speech verb → kicker
        (
            ["仲旭东在全市“四大百日攻坚”动员大会上强调", "奋战百日 决胜全年 彰显“创新突破”新成效"],
            ("仲旭东在全市“四大百日攻坚”动员大会上强调", "奋战百日 决胜全年 彰显“创新突破”新成效", ""),
        ),
        # 002: trailing dash → kicker (the dash is dropped)
        (
            ["平湖建立“1+8”服务机制——", "全力助企纾困 稳住经济大盘"],
            ("平湖建立“1+8”服务机制", "全力助企纾困 稳住经济大盘", ""),
        ),
        # 004: parallel phrases → kicker
        (
            ["聚民力 汇民智 暖民心", "独山港“五群善治”探索共治共享新路径"],
            ("聚民力 汇民智 暖民心", "独山港“五群善治”探索共治共享新路径", ""),
        ),
        # 001: a longer first line is the kicker …
        (
            ["浙沪毗邻地区青年农创再添新平台", "广陈·廊下青创客联盟成立"],
            ("浙沪毗邻地区青年农创再添新平台", "广陈·廊下青创客联盟成立", ""),
        ),
        # … a longer second line is the subtitle
        (
            ["“低散乱”整治辟出高质量发展轨道", "我市前三季度“低散乱”企业整治完成206.7%，完成率列嘉兴首位"],
            (
                "",
                "“低散乱”整治辟出高质量发展轨道",
                "我市前三季度“低散乱”企业整治完成206.7%，完成率列嘉兴首位",
            ),
        ),
        (["平湖入选第六届 全国文明城市名单"], ("", "平湖入选第六届 全国文明城市名单", "")),
    ],
)
def test_plain_headlines(lines, expected):
    assert parts(lines) == expected


def test_pdf_bold_line_is_the_title():
    got = parts(
        ["我市开启民生共享工程立功竞赛2.0版", "打一场“以人民为中心”的擂台赛"], pdf=True, doubled=[False, True]
    )
    assert got == ("我市开启民生共享工程立功竞赛2.0版", "打一场“以人民为中心”的擂台赛", "")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["我市组织收看国家生态", "文明建设示范市创建暨", "爱国卫生运动推进会"],
            ["我市组织收看国家生态文明建设示范市创建暨爱国卫生运动推进会"],
        ),
        (["我市部署“破难扶企”", "专项行动"], ["我市部署“破难扶企”专项行动"]),
        (["落实房租减免政策", "激活市场发展活力"], ["落实房租减免政策 激活市场发展活力"]),
        (
            ["“小块头”展现“大实力”", "平湖经开生物技术（食品）产业产值同比增长8.7%"],
            ["“小块头”展现“大实力”", "平湖经开生物技术（食品）产业产值同比增长8.7%"],
        ),
    ],
)
def test_pdf_wrapped_titles(lines, expected):
    assert join_wrapped_title(lines, pdf=True) == expected


def test_wrapping_is_only_joined_on_pdf_pages():
    assert join_wrapped_title(["我市部署“破难扶企”", "专项行动"], pdf=False) == [
        "我市部署“破难扶企”",
        "专项行动",
    ]

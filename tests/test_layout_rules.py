"""Layout rules added for realistic pages, each with snippets where it must and must not fire.

Snippets are cut from the seed pages' shapes (plain pages print half-width punctuation).
"""

import pytest

from pinghu_core import bylines
from pinghu_core.layout import parse_page

NEWS_BEFORE = "■记者 冯思家\n\n本报讯 昨天上午,民生共享工程半年度工作交流会召开。\n\n"


def items(text):
    return [it for it in parse_page(text).items if it.kind != "masthead"]


def summary(text):
    return [(it.kind, it.kicker, it.title, it.subtitle, it.body) for it in items(text)]


# ---------------------------------------------------------------- a split paragraph is not a headline

FRAGMENT_CASES = [
    # (page, expected (kind, title, body) per item)
    # must merge: a comma-free first half between a finished paragraph and the rest of the text
    (
        "检查组先后来到德西福格汽车配件(平湖)有限公司和浙江锋源氢能科\n\n技有限公司开展现场检查,实地了解企业经营情况。\n",
        [("news", "", "本报讯 昨天上午，民生共享工程半年度工作交流会召开。\n"
          "检查组先后来到德西福格汽车配件（平湖）有限公司和浙江锋源氢能科技有限公司开展现场检查，实地了解企业经营情况。")],
    ),
    # must not: a photo title after a finished paragraph, its caption closed by the credit
    (
        "书画作品庆丰收\n\n昨天,一幅幅描绘丰收场景的书画作品在钟埭街道花园文化礼堂展出。\n\n■摄影 王强\n",
        [("news", "", "本报讯 昨天上午，民生共享工程半年度工作交流会召开。"),
         ("photo", "书画作品庆丰收", "昨天，一幅幅描绘丰收场景的书画作品在钟埭街道花园文化礼堂展出。")],
    ),
    # must not: the next article's headline, followed by its byline
    (
        "全市重大项目推进会召开\n\n■记者 李雨婷\n\n本报讯 昨天,全市重大项目推进会召开。\n",
        [("news", "", "本报讯 昨天上午，民生共享工程半年度工作交流会召开。"),
         ("news", "全市重大项目推进会召开", "本报讯 昨天，全市重大项目推进会召开。")],
    ),
    # must not: a headline set into the text after a lead-in ending with —— (seed 004)
    (
        "2007年,新仓镇率先实施“村村联合”抱团发展,开启了强村新模式——\n\n“抱团”蹚出致富路\n\n"
        "【时光记忆】新仓镇的金星路旁,矗立着一座“特殊”的三层标准厂房。\n",
        None,  # checked below: the headline stays a headline
    ),
]


@pytest.mark.parametrize(("tail", "expected"), FRAGMENT_CASES[:3])
def test_split_paragraph_is_not_a_headline(tail, expected):
    got = [(it.kind, it.title, it.body) for it in items(NEWS_BEFORE + tail)]
    assert got == expected


def test_headline_after_a_lead_in_stays_a_headline():
    got = items(NEWS_BEFORE + FRAGMENT_CASES[3][0])
    assert "“抱团”蹚出致富路" in [it.title for it in got]
    assert all("“抱团”蹚出致富路" not in it.body for it in got)


# ---------------------------------------------------------------- a comma line after a pen name is text

PEN_NAME_CASES = [
    # must: commentary title, pen name, then a first paragraph split at a blank line
    (
        "为平湖制造注入“高”“新”动能\n\n言成声\n\n推动制造业高质量发展,需要坚持以创新驱动为核心,推动长三\n\n"
        "角一体化不断取得新成效。\n",
        ("commentary", "", "为平湖制造注入“高”“新”动能", "",
         "推动制造业高质量发展，需要坚持以创新驱动为核心，推动长三角一体化不断取得新成效。"),
    ),
    # must not: a 副题 with a comma under a title stays a 副题
    (
        "“低散乱”整治辟出高质量发展轨道\n\n我市前三季度“低散乱”企业整治完成206.7%,完成率列嘉兴首位\n\n"
        "■记者 胡佳英\n\n本报讯 昨天,记者从市经信局了解到情况。\n",
        ("news", "", "“低散乱”整治辟出高质量发展轨道", "我市前三季度“低散乱”企业整治完成206.7%，完成率列嘉兴首位",
         "本报讯 昨天，记者从市经信局了解到情况。"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PEN_NAME_CASES)
def test_comma_line_after_pen_name_is_text(text, expected):
    assert summary(text) == [expected]


# ---------------------------------------------------------------- a credit glued without ■

@pytest.mark.parametrize(
    ("line", "head", "tail"),
    [
        ("昨天,施工现场一派繁忙。 摄影 王强 陈明远", "昨天,施工现场一派繁忙。", "摄影 王强 陈明远"),
        ("“这里变美了。” 摄影 李唯忱", "“这里变美了。”", "摄影 李唯忱"),
        # must not: role words inside a sentence, or no finished sentence before them
        ("他说。 记者们来到现场", "他说。 记者们来到现场", ""),
        ("今天。 记者 王强说,好", "今天。 记者 王强说,好", ""),
        ("施工现场一派繁忙 摄影 王强", "施工现场一派繁忙 摄影 王强", ""),
    ],
)
def test_unmarked_credit_after_caption(line, head, tail):
    assert bylines.split_trailing_byline(line) == (head, tail)


def test_caption_with_unmarked_credit_is_a_photo():
    got = items(NEWS_BEFORE + "\n昨天晚上,在农开区,一台台大型机械来回穿梭,施工现场一派繁忙。 摄影 王强 陈明远\n")
    assert [(it.kind, it.byline.photographers) for it in got] == [("news", []), ("photo", ["王强", "陈明远"])]

"""Layout rules added for realistic pages, each with snippets where it must and must not fire.

Snippets are cut from the seed pages' shapes (plain pages print half-width punctuation).
"""

import pytest

from pinghu_core.parse import bylines
from pinghu_core.parse.layout import parse_page

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
        [
            (
                "news",
                "",
                "本报讯 昨天上午，民生共享工程半年度工作交流会召开。\n"
                "检查组先后来到德西福格汽车配件（平湖）有限公司和浙江锋源氢能科技有限公司开展现场检查，实地了解企业经营情况。",
            )
        ],
    ),
    # must not: a photo title after a finished paragraph, its caption closed by the credit
    (
        "书画作品庆丰收\n\n昨天,一幅幅描绘丰收场景的书画作品在钟埭街道花园文化礼堂展出。\n\n■摄影 王强\n",
        [
            ("news", "", "本报讯 昨天上午，民生共享工程半年度工作交流会召开。"),
            ("photo", "书画作品庆丰收", "昨天，一幅幅描绘丰收场景的书画作品在钟埭街道花园文化礼堂展出。"),
        ],
    ),
    # must not: the next article's headline, followed by its byline
    (
        "全市重大项目推进会召开\n\n■记者 李雨婷\n\n本报讯 昨天,全市重大项目推进会召开。\n",
        [
            ("news", "", "本报讯 昨天上午，民生共享工程半年度工作交流会召开。"),
            ("news", "全市重大项目推进会召开", "本报讯 昨天，全市重大项目推进会召开。"),
        ],
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
        (
            "commentary",
            "",
            "为平湖制造注入“高”“新”动能",
            "",
            "推动制造业高质量发展，需要坚持以创新驱动为核心，推动长三角一体化不断取得新成效。",
        ),
    ),
    # must not: a 副题 with a comma under a title stays a 副题
    (
        "“低散乱”整治辟出高质量发展轨道\n\n我市前三季度“低散乱”企业整治完成206.7%,完成率列嘉兴首位\n\n"
        "■记者 胡佳英\n\n本报讯 昨天,记者从市经信局了解到情况。\n",
        (
            "news",
            "",
            "“低散乱”整治辟出高质量发展轨道",
            "我市前三季度“低散乱”企业整治完成206.7%，完成率列嘉兴首位",
            "本报讯 昨天，记者从市经信局了解到情况。",
        ),
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
    got_head, byline, rest = bylines.split_line(line)
    assert (got_head, byline + rest) == (head, tail)


def test_caption_with_unmarked_credit_is_a_photo():
    got = items(
        NEWS_BEFORE + "\n昨天晚上,在农开区,一台台大型机械来回穿梭,施工现场一派繁忙。 摄影 王强 陈明远\n"
    )
    assert [(it.kind, it.byline.photographers) for it in got] == [("news", []), ("photo", ["王强", "陈明远"])]


# ---------------------------------------------------------------- PDF pages

# A PDF page needs 40+ short lines to be read as one; this filler is a finished story of the
# seed-003 kind (headline under its text, byline under the headline).
PDF_FILLER = (
    "本报讯 昨天下午，平湖市“企业服\n务直通车”涉企党组织服务联盟\n“破难扶企”专项行动部署会在平\n"
    "湖经济技术开发区召开。市委常\n委、常务副市长钱勇彪出席会议。\n\n"
    "近年来，市委、市政府高度重视\n营商环境建设，先后开展了“三\n服务”“最多跑一次”改革等工\n"
    "作，特别是在去年重点打造了\n“企业服务直通车”，进一步畅\n通企业诉求渠道、为企业解困\n助力。\n\n"
    "我市部署“破难扶企”\n专项行动\n■记者 冯思家\n\n"
)
PDF_STORY = (
    "本报讯 当前，受新冠肺炎疫情影\n响，不少企业生产经营者遭受了\n一定的损失。我市也出台了相应\n"
    "的政策应对疫情支持企业稳定健\n康发展。近日，记者从市城投集\n团了解到，为使商户们尽快渡过\n"
    "难关，城投集团积极响应号召，\n认真贯彻落实减免企业房租的惠\n民举措，将符合政策条件的租金\n"
    "减免落实到位，提振商户经营信\n心。\n\n"
)


def pdf_items(*parts):
    page = parse_page(PDF_FILLER * 2 + "".join(parts))
    assert page.layout == "pdf"
    return page.items[2:]  # the filler's two stories come first


@pytest.mark.parametrize(
    ("head", "title"),
    [
        # must: a headline printed under its text heads that text, whatever words they share
        ("全市基层治理推进会召开\n■记者 李雨婷\n\n", "全市基层治理推进会召开"),
        # must: a title with no word in common with its body still goes to the body above it
        ("落实房租减免政策\n激活市场发展活力\n■记者 李雨婷\n\n", "落实房租减免政策 激活市场发展活力"),
    ],
)
def test_pdf_headline_under_a_body_heads_it(head, title):
    got = pdf_items(PDF_STORY, head)
    assert [(it.kind, it.title, it.byline.reporters) for it in got] == [("news", title, ["李雨婷"])]
    assert got[0].body.startswith("本报讯 当前")


def test_pdf_headline_above_a_body_is_matched_by_words():
    # seed 003: a headline at the top of the page, its text further down, bylines between
    got = pdf_items("我市部署房租减免\n■记者 李雨婷\n\n", "友情提醒：关注天气，注意交通安全\n\n", PDF_STORY)
    assert [(it.kind, it.title) for it in got] == [
        ("ad", "友情提醒：关注天气，注意交通安全"),
        ("news", "我市部署房租减免"),
    ]
    assert got[1].byline.reporters == ["李雨婷"]


@pytest.mark.parametrize(
    ("block", "is_title"),
    [
        # must: kicker, title and subtitle, each on its own line, too long together for one line
        (
            "平湖建立“1+8”服务机制——\n“阅享当湖·书香政协” 委员读书活动启动\n民生优享“连连看”聚焦丰富文化服务供给\n",
            True,
        ),
        # must not: four lines are running text, not a headline block
        (
            "平湖建立“1+8”服务机制\n“阅享当湖·书香政协” 委员读书\n民生优享“连连看”聚焦丰富\n文化服务供给\n",
            False,
        ),
    ],
)
def test_pdf_headline_block_of_separate_parts(block, is_title):
    got = pdf_items(PDF_STORY, block, "■记者 李雨婷\n\n")
    assert bool(got[0].title) is is_title


def test_pdf_block_standing_apart_above_a_caption_is_a_headline():
    caption = "近日，在新仓镇，农户们抢抓农时开展春耕备耕。对她来说，积极参与基层治理，就是一件幸福的事。"
    got = pdf_items(
        PDF_STORY, "农开区多措并举推进文明城市创建\n\n", caption + "\n\n■摄影 陈明远\n\n书画作品庆丰收\n\n"
    )
    assert [(it.kind, it.title) for it in got] == [
        ("news", "农开区多措并举推进文明城市创建"),
        ("photo", "书画作品庆丰收"),
    ]


def test_pdf_running_line_between_blank_lines_is_not_a_headline():
    # must not: a full-width line of running text cut off by blank lines on both sides
    text = PDF_STORY.replace("认真贯彻落实减免企业房租的惠\n", "\n认真贯彻落实减免企业房租的惠\n\n")
    got = pdf_items(text, "落实房租减免政策\n■记者 李雨婷\n\n")
    assert [(it.kind, it.title) for it in got] == [("news", "落实房租减免政策")]
    assert "认真贯彻落实减免企业房租的惠民举措" in got[0].body


def test_pdf_guide_and_psa_boxes_keep_their_lines():
    got = pdf_items(
        PDF_STORY,
        "落实房租减免政策\n\n导读\n深1度·经济创新\n追梦奔跑新时代\n»»»»» 详见二版\n\n",
        "光盘行动 从我做起\n讲文明 树新风 公益广告\n\n全力创建全国文明城市 大力推进金平湖新崛起\n平湖市传媒中心 宣\n\n",
    )
    assert [(it.kind, it.title, it.body) for it in got[1:]] == [
        ("guide", "深1度·经济创新 追梦奔跑新时代", "详见二版"),
        (
            "ad",
            "光盘行动 从我做起",
            "讲文明 树新风 公益广告\n全力创建全国文明城市 大力推进金平湖新崛起\n平湖市传媒中心 宣",
        ),
    ]


@pytest.mark.parametrize(
    ("lines", "reporters"),
    [
        # must: a role line without ■ under a ■ byline continues it, 见习记者 included
        ("■记者 石晓晨\n见习记者 韩胜超\n", ["石晓晨", "韩胜超"]),
        # must not: a second ■ line is another article's byline (left unattributed: counts differ)
        ("■记者 石晓晨\n■记者 韩胜超\n", ["石晓晨"]),
    ],
)
def test_pdf_byline_continuation_lines(lines, reporters):
    got = pdf_items(PDF_STORY, "落实房租减免政策\n", lines, "\n")
    assert got[0].byline.reporters == reporters


# ---------------------------------------------------------------- a hard break after a glued byline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # must not join: the break ends the byline glued to the title, so the next line is the 副题
        (
            "全市安全生产推进会召开■记者 胡佳英  \n去年四季度交出亮眼成绩单\n\n本报讯 昨天,会议召开。\n",
            ("", "全市安全生产推进会召开", "去年四季度交出亮眼成绩单"),
        ),
        # must join: a title line ending in a hard break runs on (seed 002)
        (
            "嘉兴人大来平开展  \n《浙江省综合行政执法条例》执法检查\n\n■记者 华婷婷\n\n本报讯 5月27日下午,检查组来平。\n",
            ("", "嘉兴人大来平开展《浙江省综合行政执法条例》执法检查", ""),
        ),
    ],
)
def test_hard_break_after_glued_byline_ends_the_title(text, expected):
    it = items(text)[0]
    assert (it.kicker, it.title, it.subtitle) == expected


# ---------------------------------------------------------------- boxes and indented paragraphs

BOX_PAGE = (
    "砥砺奋进的五年\n"
    "　　核心阅读\n"
    "　　全国粮食产量连续五年稳定在1.3万亿斤以上。\n"
    "　　本报北京1月31日电（记者杜一菲）今年以来，全国各地加快推进项目建设。会议强调，要坚持稳中求进。\n"
)


def test_a_box_label_is_its_own_paragraph_and_the_lead_under_it_credits_the_article():
    (it,) = items(BOX_PAGE)
    assert it.title == "砥砺奋进的五年"
    assert it.body.split("\n")[:2] == ["核心阅读", "全国粮食产量连续五年稳定在1.3万亿斤以上。"]
    assert it.byline.reporters == ["杜一菲"] and "核心阅读" not in it.byline.authors
    assert not it.doubts  # the first lead under a box is not a second story


def test_an_indent_starts_a_paragraph_even_after_an_unfinished_line():
    page = (
        "两地签约\n"
        "　　本报北京1月31日电（记者甲乙）今年以来，两地合作加快推进，签约项目十二个。\n"
        "　　一图读懂两地合作\n"
        "　　合作涵盖产业、交通和生态三个方面，总投资超过百亿元。\n"
    )
    (it,) = items(page)
    assert it.body.split("\n")[1:] == [
        "一图读懂两地合作",
        "合作涵盖产业、交通和生态三个方面，总投资超过百亿元。",
    ]


def test_a_second_lead_under_one_headline_is_a_doubt():
    page = (
        "两地签约\n"
        "　　本报北京1月31日电（记者甲乙）今年以来，两地合作加快推进。\n"
        "　　新华社上海1月31日电（记者丙丁）上海方面表示，将全力配合。\n"
    )
    (it,) = items(page)
    assert any(d.startswith("正文中另有电头") for d in it.doubts) and it.confidence < 1.0


# ---------------------------------------------------------------- pages whose paragraphs run line to line

PACKED_BODY = "".join(f"第{i}段正文讲述了当地推进项目建设的做法，取得了明显成效。\n" for i in range(1, 7))


def test_on_a_packed_page_a_line_set_apart_by_blank_lines_is_a_headline():
    page = "首篇报道的标题\n\n" + PACKED_BODY + "\n向奋战在一线的共产党员致敬\n\n" + PACKED_BODY
    titles = [it.title for it in items(page)]
    assert titles == ["首篇报道的标题", "向奋战在一线的共产党员致敬"]


def test_where_paragraphs_are_blank_separated_a_set_apart_line_stays_text():
    spread = PACKED_BODY.replace("\n", "\n\n")
    page = "首篇报道的标题\n\n" + spread + "一个没有标点的半句话\n\n" + spread
    assert [it.title for it in items(page)] == ["首篇报道的标题"]


def test_a_deck_between_a_headline_and_a_lead_goes_with_the_headline():
    page = (
        "首篇报道的标题\n\n" + PACKED_BODY + "\n李克强主持召开国务院常务会议\n"
        "部署不误农时切实抓好春季农业生产；决定阶段性减免企业社保费，多措并举稳企业稳就业\n"
        "新华社北京2月18日电 国务院总理李克强2月18日主持召开国务院常务会议。\n" + PACKED_BODY
    )
    last = items(page)[-1]
    assert last.title == "李克强主持召开国务院常务会议"
    assert last.subtitle.startswith("部署不误农时") and last.body.startswith("新华社北京2月18日电")


@pytest.mark.parametrize(
    "line",
    ["（相关报道见第十三版）", "2019年10月13日", "第一章 总 则", "王鸿义 陈严雪摄影报道", "7亿多"],
)
def test_notes_dates_sections_and_credits_are_never_headlines(line):
    page = "首篇报道的标题\n\n" + PACKED_BODY + f"\n{line}\n\n" + PACKED_BODY
    assert [it.title for it in items(page)] == ["首篇报道的标题"]

"""Progress extraction: tables of real sentences from the seed pages and variants, both directions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pinghu_core.common import schemas
from pinghu_core.corpus import ingest
from pinghu_core.parse import progress, projects
from pinghu_core.parse.progress import extract_article
from pinghu_core.progress import figures as progress_figures

SEED_DIR = ingest.settings.DATA_DIR / "corpus"


TITLE = "平湖市重点工程推进"  # a title that names a programme: figures without a subject of their own fall back on it
TITLE_SUBJECT = "平湖市重点工程"


def figures(text: str, title: str = TITLE) -> list[tuple]:
    """(subject, scope, metric, value, unit, period) of every non-milestone figure."""
    return [
        (f.subject, f.scope, f.metric, f.value, f.unit, f.period)
        for f in extract_article(text, title)
        if f.metric != progress.MILESTONE
    ]


def milestones(text: str, title: str = TITLE) -> list[tuple]:
    return [
        (f.subject, f.event, f.status, f.when)
        for f in extract_article(text, title)
        if f.metric == "milestone"
    ]


# ---------------------------------------------------------------- what must be found

FOUND = [
    # the three-in-a-row case: one figure per listed group, in order
    (
        "今年以来，我市10个省“4+1”重大项目、6个省重点建设项目、35个省“六个千亿”产业投资工程项目，"
        "1至6月份分别完成年度计划的81.3%、86.4%和76.9%。",
        [
            ("省“4+1”重大项目", "10个", "completion_pct", 81.3, "%", "1至6月份"),
            ("省重点建设项目", "6个", "completion_pct", 86.4, "%", "1至6月份"),
            ("省“六个千亿”产业投资工程项目", "35个", "completion_pct", 76.9, "%", "1至6月份"),
        ],
    ),
    (
        "9个项目列入嘉兴市“百年百项”计划，总投资45.37亿元，当年计划投资3.34亿元，1至6月份已完成投资3.74亿元，完成年度计划的111.8%。",
        [
            ("嘉兴市“百年百项”计划", "9个", "investment_total", 45.37, "亿元", ""),
            ("嘉兴市“百年百项”计划", "9个", "investment_planned", 3.34, "亿元", ""),
            ("嘉兴市“百年百项”计划", "9个", "investment_completed", 3.74, "亿元", "1至6月份"),
            ("嘉兴市“百年百项”计划", "9个", "completion_pct", 111.8, "%", "1至6月份"),
        ],
    ),
    (
        "今年是我市实施民生共享工程的第四年。截至6月底，118个项目总体完成进度为58.6%，其中已完成15个，进度超前6个，进度正常92个。",
        [
            ("民生共享工程118个项目", "118个", "completion_pct", 58.6, "%", "截至6月底"),
            ("民生共享工程118个项目", "118个", "count_done", 15.0, "个", "截至6月底"),
            ("民生共享工程118个项目", "118个", "count_ahead", 6.0, "个", "截至6月底"),
            ("民生共享工程118个项目", "118个", "count_on_schedule", 92.0, "个", "截至6月底"),
        ],
    ),
    (
        "据了解，平湖市博物馆新馆项目含主体工程与陈列布展工程两部分，总投资50559万元，占地面积31.1亩。",
        [("平湖市博物馆新馆项目", "", "investment_total", 5.0559, "亿元", "")],
    ),
    (
        "平湖市博物馆新馆2021年7月进入材料布展实施阶段，目前展陈工程施工量已完成约85%，预计今年8月将开馆试运行。",
        [("平湖市博物馆新馆", "", "completion_pct", 85.0, "%", "")],
    ),
    (
        "截至目前，已完成50%盘点任务，余下部分计划于8月底全部完成。",
        [(TITLE_SUBJECT, "", "completion_pct", 50.0, "%", "截至目前")],
    ),
    (
        "今年前三季度，我市整治“低散乱”企业（作坊）2306家，完成年度目标的288.25%，其中关停淘汰930家；"
        "“低散乱”企业整治完成嘉兴下达目标的206.7%，完成率列嘉兴市各县（市、区）首位。",
        [
            (TITLE_SUBJECT, "", "completion_pct", 288.25, "%", "前三季度"),
            (TITLE_SUBJECT, "", "completion_pct", 206.7, "%", ""),
        ],
    ),
    (
        "3月31日，占地面积40亩、总投资4500万美元的万纬平湖冷链产业园，正式开工建设。",
        [("万纬平湖冷链产业园", "", "investment_total", 0.45, "亿美元", "")],
    ),
    # own variants
    (
        "美国嘉吉新型食品项目总投资1亿美元。",
        [("美国嘉吉新型食品项目", "", "investment_total", 1.0, "亿美元", "")],
    ),
    (
        "上半年，金色阳光老年公寓项目累计完成投资8000万元，完成年度计划的66.5%。",
        [
            ("金色阳光老年公寓项目", "", "investment_completed", 0.8, "亿元", "上半年"),
            ("金色阳光老年公寓项目", "", "completion_pct", 66.5, "%", "上半年"),
        ],
    ),
    (
        "截至9月底，全市24个民生共享工程重点基建项目总体完成进度为72.4%，其中已完成3个，已开工20个。",
        [
            ("民生共享工程重点基建项目", "24个", "completion_pct", 72.4, "%", "截至9月底"),
            ("民生共享工程重点基建项目", "24个", "count_done", 3.0, "个", "截至9月底"),
            ("民生共享工程重点基建项目", "24个", "count_started", 20.0, "个", "截至9月底"),
        ],
    ),
    ("一季度，12个市重点项目完成率达95%。", [("市重点项目", "12个", "completion_pct", 95.0, "%", "一季度")]),
    (
        "市中医院迁建项目，裙房已完成60%二层结构平面浇筑。",
        [("市中医院迁建项目", "", "completion_pct", 60.0, "%", "")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t[:16] for t, _ in FOUND])
def test_figures_found(text: str, expected: list[tuple]) -> None:
    got = figures(text)
    assert [g[:3] for g in got] == [e[:3] for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g[3] == pytest.approx(e[3]) and g[4:] == e[4:]


MILESTONES = [
    (
        "“博物馆新馆建设工程主体结构已经封顶，公共区域二次结构也已经完成。",
        [("博物馆新馆建设工程", "主体结构封顶", "done", "")],
    ),
    (
        "平湖市博物馆新馆目前展陈工程施工量已完成约85%，预计今年8月将开馆试运行。",
        [("平湖市博物馆新馆", "开馆", "planned", "今年8月")],
    ),
    (
        "金色阳光老年公寓项目作为我市新建的养老项目，该项目于2018年11月开工建设，计划2021年6月建成并投入使用。",
        [
            ("金色阳光老年公寓项目", "开工", "done", "2018年11月"),
            ("金色阳光老年公寓项目", "投入使用", "planned", "2021年6月"),
        ],
    ),
    (
        "3月31日，占地面积40亩、总投资4500万美元的万纬平湖冷链产业园，正式开工建设。",
        [("万纬平湖冷链产业园", "开工", "done", "3月31日")],
    ),
    (
        "近日，平湖智创园一期主体项目已经完工，计划下半年投入使用。",
        [("平湖智创园一期", "主体完工", "done", ""), ("平湖智创园一期", "投入使用", "planned", "下半年")],
    ),
    ("独山港热电联产项目预计2025年底竣工。", [("独山港热电联产项目", "竣工", "planned", "2025年底")]),
    ("平湖智创园二期于今年5月投产。", [("平湖智创园二期", "投产", "done", "今年5月")]),
]


@pytest.mark.parametrize(("text", "expected"), MILESTONES, ids=[t[:16] for t, _ in MILESTONES])
def test_milestones(text: str, expected: list[tuple]) -> None:
    assert milestones(text) == expected


# Real sentences of the development corpus (another daily): is the event reported, and as what?
MILESTONE_STATUS = [
    ("今年底“汉产火箭”便能实现投产。", [("投产", "planned")]),  # 实现 reads done only without a plan word
    ("计划投资3亿元的平湖大桥已正式开工。", [("开工", "done")]),  # 已 is nearer the event than 计划
    ("重要节点工程已顺利竣工。", [("竣工", "done")]),  # 重要 holds no 要
    ("节点工程顺利竣工。", []),  # done, but no date and neither 已 nor 正式 (undated_done_words): when?
    ("2月2日上午，武汉火神山医院要正式交付使用。", []),  # 要: future or a demand, the letters cannot tell
    ("集中收治医院要尽快建成投入使用。", []),
    ("要加大新投资项目开工力度，积极推进在建项目。", []),
    ("在武汉，火神山医院正式交付使用之前，毛青和战友对口支援。", []),  # a time before the event
    (
        "山东省水利厅印发《关于加快重点水利工程复工开工的通知》，要求春节期间停工的已开工项目以及近期具备"
        "开工条件的项目，务必于2月15日前全面复工开工；",
        [],
    ),  # kinds of project (已开工项目, 具备开工条件的项目) and a demand (务必)
    ("今年全路计划投产和续建项目共116个。", []),  # a count of projects
]


@pytest.mark.parametrize(("text", "expected"), MILESTONE_STATUS, ids=[t[:16] for t, _ in MILESTONE_STATUS])
def test_milestone_status_on_real_sentences(text: str, expected: list[tuple]) -> None:
    assert [(event, status) for _, event, status, _ in milestones(text)] == expected


def test_subject_carries_over_from_the_previous_sentence() -> None:
    text = "万纬平湖冷链产业园能够落户平湖经开。据陈君城介绍，项目预计于明年7月竣工投产，全年营业收入将达到5000万元左右。"
    assert milestones(text) == [
        ("万纬平湖冷链产业园", "竣工", "planned", "明年7月"),
        ("万纬平湖冷链产业园", "投产", "planned", "明年7月"),
    ]


def test_title_fallback_uses_subtitle_or_kicker_when_there_is_no_title() -> None:
    article = {
        "article_id": "p-00",
        "page_id": "p",
        "source": "s.txt",
        "kind": "news",
        "title": "",
        "subtitle": "",
        "kicker": "“三改一拆”行动",
        "body": "今年前三季度完成年度目标的88.5%。",
    }
    rows = progress.article_rows(article, pd.Timestamp("2020-10-01"))
    assert [(r["subject"], r["metric"], r["value"]) for r in rows] == [
        ("“三改一拆”行动", "completion_pct", 88.5)
    ]


# A title is a subject only when it names a project, plan, campaign or programme (data/progress.toml);
# headings, datelines, column names and slogans are not, and the figures under them are left out.
TITLE_SUBJECTS = [
    ("我市部署“破难扶企”专项行动", "“破难扶企”专项行动"),  # sample page 2020-04-21
    ("“低散乱”整治辟出高质量发展轨道", "“低散乱”整治"),  # sample page 2020-11-10
    ("平湖市博物馆新馆主体结构封顶", "平湖市博物馆新馆"),
    ("嘉兴“615”计划推进有力", "“615”计划"),
    ("加快推进十四五规划", "十四五规划"),
    ("民生共享工程稳步推进", "民生共享工程"),
    ("长三角·平湖润泽国际信息港项目开工", "长三角·平湖润泽国际信息港项目"),
    ("平湖城投加快高质量市场化转型发展", ""),  # sample page: no project
    ("全市重大项目推进会召开", ""),  # 重大项目 names none in particular
    ("通天桥换“筋骨”", ""),
    ("“小块头”展现“大实力”", ""),
    ("各位代表：", ""),  # a speech's salutation (development corpus)
    ("七、对外经济", ""),  # a numbered heading
    ("数读", ""),  # a column name
    ("2020年5月22日在第十三届全国人民代表大会第三次会议上", ""),  # a dateline subtitle
    ("截至4月底", ""),
    ("消除贫困，我们在行动", ""),  # 行动 alone is not a campaign's name
    ("企业在行动", ""),
    ("经济增速有所放缓怎么看？（经济数据辩证看①）", ""),
]


@pytest.mark.parametrize(("title", "expected"), TITLE_SUBJECTS, ids=[t for t, _ in TITLE_SUBJECTS])
def test_title_subject(title: str, expected: str) -> None:
    assert progress.title_subject(title) == expected


@pytest.mark.parametrize(
    "title", [t for t, e in TITLE_SUBJECTS if not e], ids=[t for t, e in TITLE_SUBJECTS if not e]
)
def test_figures_under_a_title_that_names_no_project_are_left_out(title: str) -> None:
    body = (
        "截至4月底，已完成50%盘点任务。\n全市规上工业增加值同比增长8.7%，占全省的10.3%。\n项目预计年底竣工。"
    )
    assert extract_article(body, title) == []


NOT_PROJECT_SUBJECTS = [
    # statistics (growth, share, rate, reduction) belong to a project only when their sentence names one
    (
        "收治重症患者数量最多的同济医院，病亡率从5.85%下降至3.5%左右。",
        "我们在行动",
    ),  # a hospital, not a project
    ("从受表彰企业的规模看，大中型企业占比94%，小微企业占比6%。", "“万企帮万村”精准扶贫行动"),
    ("2月17日全国口罩产能利用率已达110%。", "企业在行动"),
    # verbs, particles and quantifiers before 项目 are not a name
    ("这份干事创业的劲头，刷新着项目建设的“宁德速度”：总投资约200亿元。", "标题"),
    ("“一趟不用跑、最多跑一趟”审批事项目前已占比约94%。", "标题"),  # 事项 + 目前
    ("大多数项目已经完工或正在快速推进。", "标题"),
    ("眼瞅着项目即将开工，干劲十足。", "标题"),
    # a completion above 100% that is not against a plan or target
    ("截至9月底，25个中选药品已完成约定采购量的183%。", "药品集中采购试点工程"),
]


@pytest.mark.parametrize(
    ("text", "title"), NOT_PROJECT_SUBJECTS, ids=[t[:16] for t, _ in NOT_PROJECT_SUBJECTS]
)
def test_no_project_no_figure(text: str, title: str) -> None:
    assert [(f.subject, f.metric, f.value) for f in extract_article(text, title)] == []


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("对口帮扶项目已经全部竣工交付。", "对口帮扶项目"),  # 对口 is one word: not trimmed at 对
        (
            "18日，苏州市吴江区43个重大项目集中开工，总投资达465亿元。",
            "苏州市吴江区重大项目",
        ),  # a generic group keeps its place
        ("2月2日，武汉火神山医院正式交付使用。", "武汉火神山医院"),  # a hospital's milestone is a project's
        (
            "今年1—9月已完成投资581.9亿元，完成率106.6%。",
            TITLE_SUBJECT,
        ),  # 完成率 above 100% is against a plan
        (
            "市住建局统筹城市更新项目审批和建设，今年1—9月已完成城市更新项目固定资产投资581.9亿元，完成率106.6%。",
            "城市更新项目",
        ),  # the agency and its verb (统筹) are not the project's name
    ],
)
def test_named_subjects_on_real_sentences(text: str, subject: str) -> None:
    assert {f.subject for f in extract_article(text, TITLE)} == {subject}


def test_values_said_to_be_respectively_of_things_not_found_go_to_no_subject() -> None:
    # 53% is the WHO's funding, 35% the global health programmes': one subject found, two values
    text = "白宫提议大幅削减提供给世界卫生组织的经费和全球卫生项目拨款，削减幅度分别达53%和35%。"
    assert extract_article(text, "") == []
    # as many groups as values: each its own (the 4+1 sentence of the sample pages)
    listed = "10个省“4+1”重大项目、6个省重点建设项目完成率分别为81.3%和86.4%。"
    assert [(f.subject, f.value) for f in extract_article(listed, "")] == [
        ("省“4+1”重大项目", 81.3),
        ("省重点建设项目", 86.4),
    ]


def test_a_name_that_starts_with_a_verb_is_no_project() -> None:
    # 牵头标准化项目: standards projects China leads, a share of all, not one project's progress
    text = "截至2018年3月，中国提交的5G国际标准文稿占全球32%，牵头标准化项目占比达40%。"
    assert extract_article(text, "") == []


@pytest.mark.parametrize(
    ("value", "clause", "ok"),
    [
        (111.8, "完成年度计划的", True),
        (288.25, "完成年度目标的", True),
        (106.6, "完成率", True),
        (120.0, "超额完成", True),
        (183.0, "完成约定采购量的", False),
        (100.0, "完成", True),
        (1200.0, "完成年度计划的", False),
    ],
)
def test_plausible_completion(value: float, clause: str, ok: bool) -> None:
    assert progress.plausible_completion(value, clause) is ok


# ---------------------------------------------------------------- what must not be a completion figure

NOT_COMPLETION = [
    ("该区22家规上生物技术（食品）企业，一季度实现产值10.3亿元，同比增长8.7%。", ["growth_pct"]),
    ("1至4月，全市固定资产投资完成122.57亿元，增长9.6%。", ["growth_pct"]),
    ("4月单月产出实现了28.6%的增长，企业为表达感谢还送来了锦旗。", ["growth_pct"]),
    ("能够在疫情之下实现8.7%的正增长速度。", ["growth_pct"]),
    ("总计获得能耗49.34万吨标准煤，占省支持能耗总数的10.3%。", ["share_pct"]),
    ("只占全区规上工业企业总数的9.6%。", ["share_pct"]),
    ("收到企业评价560条，满意率达到99.64%。", ["rate_pct"]),
    ("沈家弄村作为试点，目前正在有序推进，使用率近50%。", ["rate_pct"]),
    ("单位GDP能耗下降18.8%。", ["reduction_pct"]),
    ("完成投资后，能耗较去年下降12.5%。", ["reduction_pct"]),
    ("项目完成后，产值同比增长15%。", ["growth_pct"]),
    ("获取每年10%的固定收益。", []),
    ("每年稳定7%的获利。", []),
    ("年收益率10%的分红。", ["rate_pct"]),
    ("嘉吉再投资1亿美元在平湖经开建设新型食品项目。", []),  # 投资 alone is not 总投资
    ("确保项目拿地即开工、开工即入库。", []),  # no milestone either
    ("“什么时候正式开馆？", []),
]


@pytest.mark.parametrize(("text", "metrics"), NOT_COMPLETION, ids=[t[:16] for t, _ in NOT_COMPLETION])
def test_not_completion(text: str, metrics: list[str]) -> None:
    # statistics belong to a project only when their sentence names one: name one before each
    found = extract_article("平湖智创园项目，" + text, TITLE)
    assert [f.metric for f in found] == metrics
    assert progress.COMPLETION not in [f.metric for f in found]


# ---------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一。二！三？四；五", ["一。", "二！", "三？", "四；", "五"]),
        ("甲\n乙。", ["甲", "乙。"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert progress.split_sentences(text) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (50559, "万元", (5.0559, "亿元")),
        (3.74, "亿元", (3.74, "亿元")),
        (1, "亿美元", (1, "亿美元")),
        (4500, "万美元", (0.45, "亿美元")),
    ],
)
def test_to_yi(value: float, unit: str, expected: tuple) -> None:
    got = progress.to_yi(value, unit)
    assert got[0] == pytest.approx(expected[0]) and got[1] == expected[1]


@pytest.mark.parametrize(
    ("when", "page", "expected"),
    [
        ("今年8月", "2022-05-28", "2022-08-01"),
        ("明年7月", "2020-04-01", "2021-07-01"),
        ("2018年9月底", "2022-05-28", "2018-09-01"),
        ("3月31日", "2020-04-01", "2020-03-31"),
        ("2025年底", "2024-01-01", "2025-12-01"),
        ("下半年", "2024-01-01", None),
        ("今年8月", None, None),
    ],
)
def test_resolve_when(when: str, page: str | None, expected: str | None) -> None:
    got = progress.resolve_when(when, pd.Timestamp(page) if page else None)
    assert (pd.isna(got) and expected is None) or got == pd.Timestamp(expected)


def test_value_offsets_point_at_the_value() -> None:
    for f in extract_article(FOUND[0][0] + FOUND[1][0] + MILESTONES[2][0], "标题"):
        word = f.sentence[f.value_start : f.value_end]
        if f.metric == "milestone":
            assert word in progress.EVENTS
        else:
            assert float(word) in (f.value, f.value * 10_000)


def test_highlight() -> None:
    assert (
        progress_figures.highlight("完成年度计划的81.3%", 7, 11) == "完成年度计划的【81.3%】"
    )  # the unit goes with it
    assert progress_figures.highlight("总投资50559万元，占地", 3, 8) == "总投资【50559万元】，占地"
    assert progress_figures.highlight("已完成15个项目", 3, 5) == "已完成【15个】项目"
    assert progress_figures.highlight("增长8.7倍", 2, 5) == "增长【8.7】倍"  # not a unit we print
    assert progress_figures.highlight("abc", 2, 2) == "abc"
    assert progress_figures.highlight("abc", 0, 9) == "abc"


# ---------------------------------------------------------------- frames and views


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    corpus = ingest.load_files(sorted(SEED_DIR.glob("*.txt")), workers=1)
    return corpus.progress


def test_seed_frame_conforms_and_links_projects(seeds: pd.DataFrame) -> None:
    schemas.check(seeds, schemas.PROGRESS)
    museum = progress_figures.trajectory(seeds, "museum-new")
    # three names (平湖市博物馆新馆项目, 平湖市博物馆新馆, 博物馆新馆建设工程) on two dates, one project
    assert museum["subject"].nunique() >= 2 and museum["date"].nunique() == 2
    assert museum["date"].is_monotonic_increasing
    events = museum[museum["metric"] == "milestone"]
    assert set(events["event"]) >= {"主体结构封顶", "开馆"}
    opening = events[events["event"] == "开馆"].iloc[0]
    assert opening["status"] == "planned" and opening["when_date"] == pd.Timestamp("2022-08-01")
    total = museum[museum["metric"] == "investment_total"].iloc[0]
    assert total["value"] == pytest.approx(5.0559) and total["unit"] == "亿元"


def test_seed_frame_has_no_false_completion(seeds: pd.DataFrame) -> None:
    done = seeds[seeds["metric"] == progress.COMPLETION]
    for word in ("增长", "满意率", "使用率", "下降", "占"):
        bad = done[
            [word in s[max(0, a - 8) : a] for s, a in zip(done["sentence"], done["value_start"], strict=True)]
        ]
        assert bad.empty, bad["sentence"].tolist()


def test_latest_completion(seeds: pd.DataFrame) -> None:
    latest = progress_figures.latest_completion(seeds)
    assert latest["project_id"].is_unique or (latest["project_id"] == "").any()
    row = latest[latest["project_id"] == "minsheng-shared"].iloc[0]
    assert row["value"] == 58.6 and row["period"] == "截至6月底" and row["date"] == pd.Timestamp("2020-07-22")
    assert progress_figures.latest_completion(schemas.PROGRESS.empty()).empty


def test_latest_completion_takes_the_latest_date() -> None:
    rows = pd.DataFrame(
        {
            **{c: [""] * 2 for c in schemas.PROGRESS.names},
            "figure_id": ["a-000", "b-000"],
            "subject": ["博物馆新馆", "平湖市博物馆新馆"],
            "project_id": ["museum-new"] * 2,
            "metric": ["completion_pct"] * 2,
            "value": [40.0, 85.0],
            "date": [pd.Timestamp("2021-01-01"), pd.Timestamp("2022-05-28")],
            "when_date": [pd.NaT] * 2,
            "value_start": [0, 0],
            "value_end": [0, 0],
        }
    )
    frame = schemas.conform(rows, schemas.PROGRESS)
    latest = progress_figures.latest_completion(frame.iloc[::-1])
    assert len(latest) == 1 and latest.iloc[0]["value"] == 85.0


def test_investment_pairs(seeds: pd.DataFrame) -> None:
    pairs = progress_figures.investment_pairs(seeds)
    assert list(pairs.columns) == ["subject", "project_id", "date", "period", "planned", "completed", "unit"]
    row = pairs[pairs["project_id"] == "jx-100-100"].iloc[0]
    assert (row["planned"], row["completed"], row["unit"], row["period"]) == (3.34, 3.74, "亿元", "1至6月份")
    assert progress_figures.investment_pairs(schemas.PROGRESS.empty()).empty


def test_extract_frame_matches_ingest(seeds: pd.DataFrame) -> None:
    corpus = ingest.load_files(sorted(SEED_DIR.glob("*.txt")), workers=1)
    direct = projects.assign_ids(progress.extract_frame(corpus.articles), projects.load_projects())
    pd.testing.assert_frame_equal(direct, seeds)


def test_milestone_values_are_nan(seeds: pd.DataFrame) -> None:
    ms = seeds[seeds["metric"] == "milestone"]
    assert len(ms) and all(math.isnan(v) for v in ms["value"]) and set(ms["status"]) <= {"done", "planned"}


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("我市长三角平湖润泽国际信息港项目获得省级用能支持。", ["长三角平湖润泽国际信息港项目"]),
        ("位于新仓镇的中以设施农业示范园项目总投资3亿元。", ["中以设施农业示范园项目"]),
        ("实地查看了市“微改造·精提升”工作及博物馆新馆建设情况。", ["博物馆新馆"]),
        ("而作为街区重要一部分的建国南路隧道工程，也于近日传来了好消息。", ["建国南路隧道工程"]),
        # verbs, function words and generic stems are not project names
        ("我市召开重大项目推进会。", []),
        ("要进一步落实好项目。", []),
        ("让民生项目真正成为民心工程。", []),
        ("成为最早的复工项目之一。", []),
        ("今年新上马的超亿美元项目。", []),
        ("动态掌握项目的推进情况。", []),
    ],
)
def test_named_subjects(sentence: str, names: list[str]) -> None:
    assert [s.name for s in progress.subjects_in(sentence) if not s.scope] == names


def test_count_after_the_group_name() -> None:
    text = "乍浦镇共排定重大项目140个，总投资65.54亿元，目前已有36个项目开工建设。"
    assert figures(text) == [
        ("乍浦镇重大项目", "140个", "investment_total", 65.54, "亿元", ""),
        ("乍浦镇重大项目", "140个", "count_started", 36.0, "个", ""),
    ]
    assert milestones(text) == []


def test_no_carry_over_across_paragraphs_or_without_a_reference() -> None:
    text = "万纬平湖冷链产业园能够落户平湖经开。\n截至目前，已完成50%盘点任务。"
    assert figures(text) == [(TITLE_SUBJECT, "", "completion_pct", 50.0, "%", "截至目前")]
    assert figures(text, "标题") == []  # and a title that names no project is no subject
    text = "万纬平湖冷链产业园能够落户平湖经开。今年前三季度完成年度目标的88.5%。"
    assert figures(text) == [(TITLE_SUBJECT, "", "completion_pct", 88.5, "%", "前三季度")]


def test_a_word_file_without_the_milestone_words_is_refused_in_chinese() -> None:
    # an edited copy from before [milestones] existed would silently lose every milestone
    import tomllib

    data = tomllib.loads(progress.RULES_FILE.path().read_text(encoding="utf-8"))
    assert progress.build_rules(data).planned is not None
    del data["milestones"]
    with pytest.raises(ValueError, match="缺少 \\[milestones\\]"):
        progress.build_rules(data)

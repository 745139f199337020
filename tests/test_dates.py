"""Page dates: manifest, file names and folders, inference from text (docs/DATES.md).

The snippets are written for these tests in the formulaic style of Chinese dailies; none is
copied from a real paper.
"""

import os
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinghu_core.overview import summary as overview
from pinghu_core.parse import dates
from pinghu_core.parse.dates import CONFIRM_BELOW, ManifestEntry, page_date

TODAY = date(2026, 1, 1)  # inference is checked against an injected today


def infer(text):
    return dates.infer_date(text, today=TODAY)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("2020-07-22.txt", date(2020, 7, 22)),
        ("20200722.txt", date(2020, 7, 22)),
        ("20200722_1.txt", date(2020, 7, 22)),
        ("2020/07/22/page1.txt", date(2020, 7, 22)),
        ("2020/7/2/a.txt", date(2020, 7, 2)),
        ("平湖版2020年7月22日.txt", date(2020, 7, 22)),
        ("archive/2020年7月22日/头版.txt", date(2020, 7, 22)),
        ("2020_07_22.txt", date(2020, 7, 22)),
        ("000_a298d888743d6040.txt", None),  # a hash is not a date
        ("ab20200722cd.txt", None),  # digits inside a word are not a date
        ("2020-13-45.txt", None),  # impossible date
        ("2021/02/29.txt", None),
    ],
)
def test_date_from_path(path, expected):
    assert dates.date_from_path(path) == expected


def test_manifest_beats_file_name_beats_text():
    text = "本报讯 8月15日下午，2025年度……昨天"
    assert (
        page_date("2020-07-22.txt", text, ManifestEntry(date(2019, 1, 2)), today=TODAY).source == "manifest"
    )
    r = page_date("2020-07-22.txt", text, today=TODAY)
    assert (r.date, r.source, r.confidence) == (date(2020, 7, 22), "filename", 1.0)
    r = page_date("page.txt", text, today=TODAY)
    assert (r.date, r.source) == (date(2025, 8, 16), "inferred")


def test_manifest_and_file_name_out_of_range_fall_through_with_a_problem():
    text = "新华社北京9月29日电 2019年9月27日，……2019年9月28日，……"
    r = page_date("3021-06-01.txt", text, ManifestEntry(date(3021, 6, 1)), today=TODAY)
    assert (r.date, r.source) == (date(2019, 9, 30), "inferred")
    assert r.problems[0] == "清单文件的日期“3021-06-01”超出1949年至今的范围，已忽略"
    assert "文件名" in r.problems[1]
    r = page_date("1900-01-01.txt", "", ManifestEntry(date(1900, 1, 1)), today=TODAY)
    assert (r.date, r.source) == (None, "unknown") and len(r.problems) == 2
    tomorrow = TODAY + timedelta(days=1)  # a page may carry tomorrow's date, not later
    assert page_date("x.txt", "", ManifestEntry(tomorrow), today=TODAY).date == tomorrow
    assert page_date("x.txt", "", ManifestEntry(tomorrow + timedelta(days=1)), today=TODAY).problems


HIGH, LOW = "high", "low"  # confidence at or above CONFIRM_BELOW, or below it


@pytest.mark.parametrize(
    ("text", "expected", "band"),
    [
        # datelines: the wire of the day before; two recent full dates fix the year
        (
            "新华社北京1月31日电　记者某某报道：2020年1月28日，……2020年1月30日，会议召开。",
            date(2020, 2, 1),
            HIGH,
        ),
        ("本报北京9月30日电（记者 王某）2019年9月28日起……2019年9月29日，展览开幕。", date(2019, 10, 1), HIGH),
        # the latest dateline of a page counts; an older quoted wire does not hold it back
        (
            "本报北京10月8日电 ……（据新华社北京9月24日电）……2019年10月7日，2019年10月6日",
            date(2019, 10, 9),
            HIGH,
        ),
        # plan and target years are never the year (到2035年, “十四五”, 2063年议程)
        (
            "本报北京9月30日电 ……到2035年基本实现；2063年议程……2019年9月29日，2019年9月27日",
            date(2019, 10, 1),
            HIGH,
        ),
        # 昨天（7月21日）: the page's own day counted back
        ("本报讯 昨天（7月21日）上午，2020年民生共享工程推进会召开。", date(2020, 7, 22), LOW),
        # a weekday named with the date picks the year among the latest years named
        ("本报讯 10月9日（周三）上午……2018年，全市产值增长。", date(2019, 10, 10), HIGH),
        # the lunar calendar names the year: 2020年1月25日 was 正月初一
        ("新华社北京1月25日电 1月25日农历正月初一，……", date(2020, 1, 26), HIGH),
        (
            "本报北京2月12日电 会议强调，今年是全面建成小康社会和“十三五”规划收官之年。",
            date(2020, 2, 13),
            HIGH,
        ),
        ("新华社北京3月2日电 今年（2021年）……", date(2021, 3, 3), HIGH),
        # a past month later in the year than the day: the page is a year on (a guess)
        ("新华社北京2月4日电 2019年7月，公司成立。", date(2020, 2, 5), LOW),
        # a year told as done (2018年，全市……) is before the page's year (a guess)
        ("本报北京10月4日电 2018年，全市粮食总产量创新高。", date(2019, 10, 5), LOW),
        # only the latest year named: the page is in it or later (a guess)
        ("2020年。7月20日下午……7月21日，在社区", date(2020, 7, 22), LOW),
        # another year's date is history, not news (seed 004: 1937年11月5日)
        ("2025年度名单。1937年11月5日，日军登陆。本报讯 8月15日上午", date(2025, 8, 16), LOW),
        # plans are not events (seed 003: 计划2021年6月建成; seed 002: 2025年三个重要节点)
        ("2022年首次活动。按照8月底、12月底、2025年三个重要节点推进。5月27日上午", date(2022, 5, 28), LOW),
        ("2020年项目计划9月15日完工。3月2日开工", date(2020, 3, 3), LOW),
        # an anniversary of data/anniversaries.toml near its day names the year
        (
            "新华社北京10月1日电 庆祝中华人民共和国成立70周年大会在京举行。站在新中国成立70周年的历史起点",
            date(2019, 10, 2),
            HIGH,
        ),
        ("新华社北京10月3日电 在新中国成立七十周年之际", date(2019, 10, 4), LOW),
        # 零 and 两 are numerals too (一百零五, 两百): read, never a crash
        ("新华社北京10月10日电 纪念辛亥革命一百零八周年", date(2019, 10, 11), LOW),
        # a year followed by a goal is a target (2020年全面建成小康社会), not a past year
        (
            "新华社北京10月5日电 2020年全面建成小康社会，2035年基本实现现代化。2018年，全市产值增长。",
            date(2019, 10, 6),
            LOW,
        ),
        # 今年2月18日 is some earlier day of the year, not the latest event
        (
            "2019年。今年2月18日，纲要公布。10月22日，上海18家企业签约。截至10月28日20时，水位达175米",
            date(2019, 10, 29),
            LOW,
        ),
        # a finished period's results come after the period
        ("2020年。一季度实现产值10.3亿元。3月10日签约", date(2020, 4, 21), LOW),
        ("2020年前三季度完成206.7%。11月9日晚", date(2020, 11, 10), LOW),
    ],
)
def test_infer_date(text, expected, band):
    r = infer(text)
    assert r.date == expected, r.evidence
    assert (r.confidence >= CONFIRM_BELOW) == (band == HIGH), r.evidence
    assert r.source == "inferred" and r.evidence.endswith("）")


@pytest.mark.parametrize(
    "text",
    [
        # an anniversary's date is not the year, even right before the day
        "新华社北京10月1日电 1949年10月1日，中华人民共和国成立。今天我们庆祝成立70周年，1949年以来……",
        # one old full date that happens to fall near the day
        "新华社北京10月11日电 2014年9月18日，他在该委员会发表演讲。",
        # an obituary is often printed weeks after the wire
        "某某同志逝世\n新华社北京6月4日电 某某同志于2019年5月30日在北京逝世，2019年享年九十岁。",
        # an anniversary recalled months after its day says nothing of the year
        "新华社北京2月3日电 他在庆祝中华人民共和国成立70周年大会上的讲话中指出",
        # someone else's 今天, quoted
        "2月1日，她发布通知：“定于今日（2月1日）举办线上运动会。”2020年",
    ],
)
def test_doubtful_clues_stay_below_the_threshold(text):
    r = infer(text)
    assert r.date is None or r.confidence < CONFIRM_BELOW, r.evidence


def test_no_year_no_date():
    r = infer("本报讯 昨天上午，活动举行。")
    assert (r.date, r.source, r.confidence) == (None, "unknown", 0.0)
    r = infer("新华社北京10月3日电 今年8月，大熊猫顺利诞生。")
    assert r.date is None and "没有可信的年份" in r.evidence


def test_far_future_years_are_ignored_with_a_problem():
    r = infer("2025年度名单公布。项目计划3021年6月建成。本报讯 8月15日上午，活动举行。")
    assert r.date == date(2025, 8, 16)
    assert r.problems == ("正文中的日期“3021年6月”超出1949年至今的范围，已忽略",)
    r = infer("新华社北京9月1日电 2030年9月1日，大会闭幕。")  # an unmarked date after today
    assert r.date is None and "2030年9月1日" in r.problems[0]


def test_temperature_check_lowers_confidence():
    base = "2020年。7月21日，活动举行。今天白天最高气温{}℃。"
    summer = infer(base.format(33))
    odd = infer(base.format(5))
    assert summer.date == odd.date
    assert odd.confidence < summer.confidence
    assert "不太相符" in odd.evidence


def test_latest_month_day_wraps_the_year():
    md = [
        dates.MonthDay(12, 30, 0, "event"),
        dates.MonthDay(1, 25, 1, "event"),
        dates.MonthDay(2, 3, 2, "event"),
    ]
    assert (dates.latest(md).month, dates.latest(md).day) == (2, 3)
    r = infer("新华社北京12月31日电 2019年12月30日……2019年12月29日；新华社北京1月1日电")
    assert r.date == date(2020, 1, 2)


def test_spring_festival_table():
    assert dates.SPRING_FESTIVAL[2019] == date(2019, 2, 5)
    assert dates.SPRING_FESTIVAL[2020] == date(2020, 1, 25)
    assert dates.SPRING_FESTIVAL[2025] == date(2025, 1, 29)


def test_overview_uses_the_threshold():
    assert overview.LOW_CONFIDENCE == CONFIRM_BELOW == 0.6


def test_a_large_text_keeps_its_answer():
    """5 MB of text with clues of every kind gets the same date as one copy (speed is measured by
    bench/big_page.py, not here: timed tests fail on a busy machine)."""
    # a paper's density of dates (one every few hundred characters), clues of every kind, 5 MB
    prose = "会议强调，要坚持稳中求进工作总基调，扎实做好各项工作，推动经济社会高质量发展。" * 4
    unit = (
        prose
        + "新华社北京9月30日电 2019年9月29日，计划2035年建成。10月1日（星期二）3021年13月45日昨天（0月0日）“今日（"
    )
    text = unit * (5_000_000 // len(unit.encode("utf-8")))
    assert infer(text).date == date(2019, 10, 1)
    dense = "新华社北京9月30日电 2019年9月29日，3021年13月45日“今日（" * 2_000  # only dates
    assert infer(dense).date == date(2019, 10, 1)


# ---------------------------------------------------------------- properties

ALPHABET = st.sampled_from(
    list(
        "0123456789年月日号电讯星期周一二三四五六日天今昨明农历正初十除夕本报北京（）()“”，。 \n计划到2035周"
    )
    + ["新华社", "本报讯", "3021年", "0月0日", "13月45日", "2月29日", "1949年", "9999年"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join) | st.text(max_size=200))
def test_infer_date_never_raises_and_stays_in_range(text):
    r = infer(text)
    assert r.date is None or dates.EARLIEST <= r.date <= TODAY + timedelta(days=1)
    assert 0.0 <= r.confidence <= 1.0
    assert isinstance(r.evidence, str) and all(isinstance(p, str) for p in r.problems)


@settings(max_examples=200, deadline=None)
@given(st.dates(), st.text(max_size=40), st.text(max_size=60))
def test_page_date_never_raises_with_any_manifest_date(when, path, text):
    r = page_date(path, text, ManifestEntry(when), today=TODAY)
    assert r.date is None or dates.EARLIEST <= r.date <= TODAY + timedelta(days=1)
    if not dates.EARLIEST <= when <= TODAY + timedelta(days=1):
        assert r.problems and r.source != "manifest"


# ---------------------------------------------------------------- the year from the corpus


def frames_of(named_texts: list[tuple[str, str]]):
    from pinghu_core.parse import pipeline

    parts = [pipeline.process_text(text, name, page_id=f"p{k}") for k, (name, text) in enumerate(named_texts)]
    return pipeline.PageFrames(
        pd.concat([p.articles for p in parts], ignore_index=True),
        pd.concat([p.page for p in parts], ignore_index=True),
        pd.concat([p.progress for p in parts], ignore_index=True),
    )


def test_a_page_without_a_year_takes_the_year_of_its_neighbours():
    from pinghu_core.parse import pipeline

    frames = frames_of(
        [
            ("2020-02-04.txt", "新华社北京2月3日电 会议召开。"),
            ("2020-02-15.txt", "新华社北京2月14日电 会议召开。"),
            ("a.txt", "新华社北京2月2日电 记者报道，会议召开。"),  # no year at all
            ("b.txt", "新华社北京2月9日电 2018年，全市产值增长。"),  # a guessed year (2019), below 0.6
            ("c.txt", "新华社北京7月1日电 会议召开。"),  # no dated page near 7月: stays without a date
        ]
    )
    assert frames.page.loc[2, "date_day"] == "02-02+1" and pd.isna(frames.page.loc[2, "date"])
    settled, n = pipeline.settle_years(frames)
    pages = settled.page.set_index("source")
    assert n == 2
    assert pages.loc["a.txt", "date"] == pd.Timestamp("2020-02-03")
    assert pages.loc["b.txt", "date"] == pd.Timestamp("2020-02-10")
    assert pd.isna(pages.loc["c.txt", "date"])
    assert (pages.loc[["a.txt", "b.txt"], "date_confidence"] < CONFIRM_BELOW).all()  # still 待确认
    assert "按语料推定" in pages.loc["a.txt", "date_evidence"]
    arts = settled.articles.set_index("source")
    assert arts.loc["a.txt", "date"] == pd.Timestamp("2020-02-03")
    assert pages.loc["2020-02-04.txt", "date"] == pd.Timestamp("2020-02-04")  # sure pages untouched


def test_two_years_near_the_day_leave_the_page_alone():
    from pinghu_core.parse import pipeline

    frames = frames_of(
        [
            ("2019-02-04.txt", "新华社北京2月3日电 会议召开。"),
            ("2020-02-04.txt", "新华社北京2月3日电 会议召开。"),
            ("a.txt", "新华社北京2月2日电 会议召开。"),
        ]
    )
    settled, n = pipeline.settle_years(frames)
    assert n == 0 and pd.isna(settled.page.set_index("source").loc["a.txt", "date"])


def test_the_ingest_settles_years_across_the_corpus(tmp_path, monkeypatch):
    from pinghu_core.corpus.ingest import load_corpus

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "2020-02-04.txt").write_text("新华社北京2月3日电 会议召开。", encoding="utf-8")
    (folder / "a.txt").write_text("新华社北京2月2日电 记者报道，会议召开。", encoding="utf-8")
    old = 1_600_000_000
    for f in folder.iterdir():
        os.utime(f, (old, old))
    monkeypatch.setenv("PINGHU_WORKERS", "1")
    c = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert c.pages.set_index("source").loc["a.txt", "date"] == pd.Timestamp("2020-02-03")
    assert c.stats["years_from_corpus"] == 1
    again = load_corpus(folder, cache_dir=tmp_path / "cache")  # from the cache: settled again
    assert (
        again.stats["from_cache"] == 2 and again.pages.set_index("source").loc["a.txt", "date"].year == 2020
    )

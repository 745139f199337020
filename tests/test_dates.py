"""Page dates: manifest, file names and folders, inference from text."""

from datetime import date

import pytest

from pinghu_core import dates
from pinghu_core.dates import ManifestEntry, page_date


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
    assert page_date("2020-07-22.txt", text, ManifestEntry(date(2019, 1, 2))).source == "manifest"
    r = page_date("2020-07-22.txt", text)
    assert (r.date, r.source, r.confidence) == (date(2020, 7, 22), "filename", 1.0)
    r = page_date("page.txt", text)
    assert (r.date, r.source) == (date(2025, 8, 16), "inferred")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the latest event + 1 day
        ("2020年。7月20日下午……7月21日，在社区", date(2020, 7, 22)),
        # another year's date is history, not news (004: 1937年11月5日)
        ("2025年度名单。1937年11月5日，日军登陆。本报讯 8月15日上午", date(2025, 8, 16)),
        # plans are not events (003: 计划 2021年 6月建成; 002: 2025年三个重要节点)
        ("2022年首次活动。按照8月底、12月底、2025年三个重要节点推进。5月27日上午", date(2022, 5, 28)),
        ("2020年，项目计划9月15日完工。3月2日开工", date(2020, 3, 3)),
        # a finished period's results come after the period
        ("2020年。一季度实现产值10.3亿元。3月10日签约", date(2020, 4, 21)),
        ("2020年前三季度完成206.7%。11月9日晚", date(2020, 11, 10)),
    ],
)
def test_infer_date(text, expected):
    assert dates.infer_date(text).date == expected


def test_no_year_no_date():
    r = dates.infer_date("本报讯 昨天上午，活动举行。")
    assert (r.date, r.source, r.confidence) == (None, "unknown", 0.0)
    assert "没有年份" in r.evidence


def test_temperature_check_lowers_confidence():
    base = "2020年。7月21日，活动举行。今天白天最高气温{}℃。"
    summer = dates.infer_date(base.format(33))
    odd = dates.infer_date(base.format(5))
    assert summer.date == odd.date
    assert odd.confidence < summer.confidence
    assert "不太相符" in odd.evidence

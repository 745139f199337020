"""CSV and XLSX downloads: Chinese survives, numbers stay numbers, formula-like text never runs."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from pinghu_core import exports


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 123", "'+86 123"),
        ("-3.5%", "'-3.5%"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("完成年度计划的81.3%", "完成年度计划的81.3%"),
        ("a=b", "a=b"),  # only the first character matters
        ("", ""),
    ],
)
def test_neutralise_text(text, shown):
    assert exports.neutralise(text) == shown


def test_neutralise_leaves_numbers_and_missing_alone():
    assert exports.neutralise(-3.5) == -3.5
    assert exports.neutralise(None) is None


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "句子": pd.Series(["=1+1", "1至6月份已完成投资3.74亿元", None], dtype="string"),
            "数值": [-2.5, 3.74, float("nan")],
            "日期": pd.to_datetime(["2020-07-22", None, "2021-01-01"]),
        }
    )


def test_xlsx_round_trip_keeps_chinese_numbers_dates_and_never_a_formula():
    data = exports.xlsx_bytes(frame(), "项目进度")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "项目进度"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("句子", "数值", "日期")
    assert rows[1][0] == "'=1+1" and ws["A2"].data_type == "s"  # text, not a formula
    assert rows[1][1] == -2.5 and rows[2][1] == 3.74  # numbers stay numbers
    assert rows[2][0] == "1至6月份已完成投资3.74亿元"
    assert rows[1][2].date().isoformat() == "2020-07-22" and rows[2][2] is None
    assert rows[3][0] is None and rows[3][1] is None
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    assert ws.freeze_panes == "A2"


def test_xlsx_of_an_empty_frame_has_its_header():
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(frame().head(0), "空"))).active
    assert list(ws.iter_rows(values_only=True)) == [("句子", "数值", "日期")]


@pytest.mark.parametrize(("name", "title"), [("a/b:c", "a_b_c"), ("", "Sheet1"), ("长" * 40, "长" * 31)])
def test_sheet_names_are_valid(name, title):
    assert exports.sheet_title(name) == title


def test_csv_has_bom_and_neutralised_text():
    data = exports.csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1].startswith("'=1+1,-2.5,2020-07-22")

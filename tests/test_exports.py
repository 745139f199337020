"""CSV and XLSX downloads: Chinese survives, numbers stay numbers, formula-like text never runs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from pinghu_core.common import exports, schemas


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


# ---------------------------------------------------------------- downloads for people (Excel users)

D = dt.date


@pytest.mark.parametrize(
    ("column", "cells"),
    [
        (pd.Series([True, False]), ["是", "否"]),
        (pd.Series([True, None], dtype=object), ["是", ""]),
        (pd.Series([2.0, float("nan")]), ["2", ""]),  # counts held as floats: no 2.0, no nan
        (pd.Series([2.0, 2.5]), ["2.0", "2.5"]),  # a real fraction keeps the column's decimals
        (pd.Series([-3.5, 4.0]), ["-3.5", "4.0"]),  # a negative number stays a number
        (pd.Series(["=1+1", None], dtype="string"), ["'=1+1", ""]),
        (pd.Series(["甲", None], dtype=object), ["甲", ""]),
        (pd.Series([["甲", "乙"], []], dtype=object), ["甲、乙", ""]),
        (pd.to_datetime(pd.Series(["2022-05-28", None])), ["2022-05-28", ""]),
        (pd.Series([D(2022, 5, 28), None], dtype=object), ["2022-05-28", ""]),
        (pd.to_datetime(pd.Series(["2022-05-28 08:30"])), ["2022-05-28 08:30:00"]),
    ],
)
def test_csv_cells_for_people(column, cells):
    text = exports.csv_bytes(pd.DataFrame({"列": column, "序号": range(len(column))})).decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(text, newline=""))][1:] == cells


@pytest.mark.parametrize(
    ("columns", "headers"),
    [
        (
            ["series_id", "period_start", "has_pages"],
            ["序列编号", "时期起始", "有版面"],
        ),  # schemas.TIMELINE labels
        (schemas.COOCCURRENCE.names, [c.label_zh for c in schemas.COOCCURRENCE.columns]),
        (["主题", "文章数"], ["主题", "文章数"]),  # already Chinese
    ],
)
def test_headers_are_translated_from_the_schemas(columns, headers):
    assert exports.headers_zh(columns) == headers


def hostile_row(spec: schemas.FrameSpec) -> pd.DataFrame:
    """One row of every declared frame with the cells a spreadsheet or a person could trip on."""
    row: dict[str, object] = {}
    for c in spec.columns:
        if c.dtype == schemas.STR:
            row[c.name] = "=1+1"
        elif c.dtype == schemas.DATE:
            row[c.name] = pd.Timestamp("2020-07-22")
        elif c.dtype == "bool":
            row[c.name] = True
        elif c.dtype == "list":
            row[c.name] = ["-甲", "乙"]
        elif c.dtype == "category":
            row[c.name] = (c.categories or ("x",))[0]
        elif c.dtype.startswith("float"):
            row[c.name] = 2.0
        else:
            row[c.name] = 3
    return schemas.conform(
        pd.DataFrame([row, {**row, **{c.name: None for c in spec.columns if c.dtype.startswith("float")}}]),
        spec,
    )


@pytest.mark.parametrize("spec", list(schemas.SPECS.values()), ids=list(schemas.SPECS))
def test_every_declared_frame_downloads_in_chinese_without_machine_cells(spec):
    frame = hostile_row(spec)
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert not [h for h in rows[0] if re.fullmatch(r"[A-Za-z_0-9 ]+", h)], rows[0]  # Chinese headers
    cells = [c for r in rows[1:] for c in r]
    assert not {"True", "False", "None", "nan", "NaN", "<NA>", "NaT", "2.0"} & set(cells)
    assert not [c for c in cells if c.startswith(exports.FORMULA_STARTS)]
    assert ("2020-07-22" in cells) == (schemas.DATE in {c.dtype for c in spec.columns})
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(frame, spec.name))).active
    values = [c.value for r in ws.iter_rows(min_row=2) for c in r]
    assert not [v for v in values if isinstance(v, str) and v.startswith(exports.FORMULA_STARTS)]
    assert not {True, False} & {v for v in values if isinstance(v, bool)}


def test_xlsx_dates_are_date_cells_with_an_iso_format():
    frame = pd.DataFrame(
        {
            "见报日期": [D(2022, 5, 28), None],
            "日期": pd.to_datetime(["2020-07-22", "2021-01-01"]),
            "时间": pd.to_datetime(["2020-07-22 08:30", None]),
        }
    )
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(frame, "项目进度"))).active
    assert isinstance(ws["A2"].value, dt.datetime) and ws["A2"].value.date() == D(2022, 5, 28)
    assert ws["A2"].number_format == ws["B2"].number_format == "yyyy-mm-dd" and ws["A2"].is_date
    assert ws["A3"].value is None and ws["B3"].value.date() == D(2021, 1, 1)
    assert (
        ws["C2"].value == dt.datetime(2020, 7, 22, 8, 30) and ws["C2"].number_format == "yyyy-mm-dd hh:mm:ss"
    )


def test_text_kept_once_per_value_is_neutralised_too():
    """A categorical text column (a mention's sentence, name or post: schemas' open categories) is
    text in a spreadsheet like any other: a formula-like value is written as text."""
    df = pd.DataFrame({"sentence": pd.Categorical(["=1+1", "平湖", "=1+1", "@SUM(A1)"])})
    assert exports.neutralise_frame(df)["sentence"].tolist() == ["'=1+1", "平湖", "'=1+1", "'@SUM(A1)"]
    assert "'=1+1" in exports.csv_bytes(df).decode("utf-8-sig").splitlines()[1]
    ws = load_workbook(io.BytesIO(exports.xlsx_bytes(df, "原句"))).active
    assert [c.value for c in ws["A"]][1:] == ["'=1+1", "平湖", "'=1+1", "'@SUM(A1)"]
    assert all(c.data_type == "s" for c in ws["A"])


def test_cli_csv_writer_keeps_machine_names_and_neutralises():
    buf = io.StringIO()
    recs = [
        {"source": "=1+1.txt", "date": D(2020, 7, 22), "value": -3.5, "reporters": ["@甲", "乙"], "n": None}
    ]
    assert exports.write_csv(recs, ["source", "date", "value", "reporters", "n"], buf, list_sep="；") == 1
    assert buf.getvalue().splitlines() == [
        "source,date,value,reporters,n",
        "'=1+1.txt,2020-07-22,-3.5,'@甲；乙,",
    ]


def test_a_list_with_gaps_keeps_them_empty_in_a_cell():
    """A slogan's 每月文章数 has None for months without pages: an empty item, never the word None."""
    import pandas as pd

    from pinghu_core.common import exports

    text = exports.csv_bytes(pd.DataFrame({"口号": ["八八战略"], "每月文章数": [[1, None, 2]]})).decode(
        "utf-8-sig"
    )
    assert text.splitlines()[1] == "八八战略,1、、2"

"""Download bytes for tables: CSV (UTF-8 with BOM), XLSX (openpyxl) that never run a formula, and JSON Lines.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel (and LibreOffice) as a formula — a sentence quoted from a page could then run one.  Such
text is written with a leading apostrophe, so the spreadsheet shows it as text.  Numbers stay
numbers: a negative growth rate of -3.5 is the number -3.5, not text.

Downloads from the app are for people opening them in Excel (:func:`for_people`): Chinese column
headers (a machine name is translated with the labels declared in ``schemas.py``), 是/否 for
booleans, whole-number columns as integers (``2``, not ``2.0``), empty cells for missing values,
lists joined with '、', and dates as real dates — ISO ``YYYY-MM-DD`` text in CSV, date cells with a
``yyyy-mm-dd`` number format in XLSX.  The command line's CSV (:func:`write_csv`) keeps the machine
names, but its dates are ISO and its text is neutralised the same way.

JSON Lines is data for programs, not a spreadsheet: its text is written exactly as printed
(no apostrophe), so a title starting with ``=`` stays ``=…`` in the JSON string.

Every CSV and XLSX the app or the command line writes goes through this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

import pandas as pd

from pinghu_core.common import schemas

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES_NO_ZH = {True: "是", False: "否"}
PEOPLE_LIST_SEP = "、"  # lists in the app's downloads
DATE_FORMAT = "yyyy-mm-dd"  # Excel number format of date cells
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def neutralise(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell passed through :func:`neutralise` (numbers, dates untouched)."""
    out = df.copy()
    for i in range(out.shape[1]):  # by position: two columns may share a header
        col = out.iloc[:, i]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            out.isetitem(i, col.map(neutralise, na_action="ignore"))
    return out


def headers_zh(columns: Sequence[str]) -> list[str]:
    """Chinese headers for ``columns``: a machine name gets its label from ``schemas.py`` (the labels of
    the declared frame with exactly these columns first, else of any frame), a Chinese header stays."""
    names = [str(c) for c in columns]
    whole = next((s for s in schemas.SPECS.values() if s.names == names), None)
    labels = schemas.labels_zh(whole) if whole is not None else {}
    return [labels.get(n) or _ANY_LABEL.get(n, n) for n in names]


_ANY_LABEL: dict[str, str] = {}
for _spec in schemas.SPECS.values():
    for _name, _label in schemas.labels_zh(_spec).items():
        _ANY_LABEL.setdefault(_name, _label)


def for_people(df: pd.DataFrame) -> pd.DataFrame:
    """The frame as an Excel user gets it: Chinese headers, 是/否, whole numbers as integers, dates as
    ``datetime.date`` (times kept only where a value has one), lists joined with '、', missing → empty."""
    out = pd.DataFrame({i: _people_column(df.iloc[:, i]) for i in range(df.shape[1])}, index=df.index)
    out.columns = headers_zh(list(df.columns))
    return out.reset_index(drop=True)


def _people_column(s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s):
        return s.map(lambda v: YES_NO_ZH.get(bool(v)) if pd.notna(v) else None).astype(object)
    if pd.api.types.is_datetime64_any_dtype(s):
        return _dates(s)
    if pd.api.types.is_float_dtype(s):
        values = s.dropna()
        whole = len(values) and bool(((values % 1) == 0).all()) and bool((values.abs() < 2**53).all())
        return s.astype("Int64") if whole else s
    if s.dtype != object:
        return s
    values = s.dropna()
    if len(values) and all(isinstance(v, bool) for v in values):
        return s.map(lambda v: YES_NO_ZH.get(v) if isinstance(v, bool) else None).astype(object)
    if len(values) and all(isinstance(v, dt.date | pd.Timestamp) for v in values):
        return _dates(pd.to_datetime(s))
    return s.map(lambda v: _joined(v, PEOPLE_LIST_SEP) if isinstance(v, list | tuple) else v)


def _dates(s: pd.Series) -> pd.Series:
    """Datetimes → ``datetime.date`` when every value is at midnight, else ``datetime``; NaT → None."""
    values = s.dropna()
    midnight = bool((values == values.dt.normalize()).all())
    return pd.Series(
        [None if pd.isna(v) else (v.date() if midnight else v.to_pydatetime()) for v in s],
        index=s.index,
        dtype=object,
    )


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV for people (:func:`for_people`: Chinese headers, ISO dates …), UTF-8 with a BOM
    (Excel reads the Chinese), without the index; formula-like text neutralised.

    Lines end with CRLF (RFC 4180): a cell holding a bare carriage return is then quoted, so a
    spreadsheet does not break the row there (with "\n" endings pandas leaves "\r" unquoted)."""
    table = neutralise_frame(for_people(df))
    table.columns = [str(neutralise(str(c))) for c in table.columns]
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def write_csv(records: Iterable[Mapping], fields: Sequence[str], out: TextIO, list_sep: str = "；") -> int:
    """The command line's CSV: a header of machine names, one row per record (lists joined with
    ``list_sep``, None → empty, dates ISO, formula-like text neutralised); returns the rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    n = 0
    for rec in records:
        writer.writerow([_csv_cell(rec[f], list_sep) for f in fields])
        n += 1
    return n


def _csv_cell(value: object, list_sep: str) -> object:
    if isinstance(value, list | tuple):
        value = list_sep.join(str(v) for v in value)
    elif value is None or (isinstance(value, float) and value != value):
        return ""
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return neutralise(value)


def sheet_title(name: str) -> str:
    """A valid Excel sheet name: forbidden characters replaced, at most 31 characters, never empty."""
    return (name.translate(_SHEET_FORBIDDEN).strip("'") or "Sheet1")[:SHEET_NAME_MAX]


def xlsx_bytes(df: pd.DataFrame, sheet_name: str, extra: Mapping[str, pd.DataFrame] | None = None) -> bytes:
    """The frame as an XLSX sheet (header row frozen, no index), formula-like text written as text;
    ``extra`` adds more sheets after it (sheet name → frame), e.g. the 查询条件 of a download."""
    from openpyxl import Workbook  # openpyxl is slow to import; only downloads need it

    wb = Workbook()
    _fill_sheet(wb.active, df, sheet_name)
    for name, frame in (extra or {}).items():
        _fill_sheet(wb.create_sheet(), frame, name)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill_sheet(ws, df: pd.DataFrame, sheet_name: str) -> None:
    ws.title = sheet_title(sheet_name)
    df = for_people(df)
    ws.append([str(neutralise(str(c))) for c in df.columns])
    for r, row in enumerate(neutralise_frame(df).itertuples(index=False, name=None), start=2):
        ws.append([_cell(v) for v in row])
        for cell in ws[r]:
            if isinstance(cell.value, dt.date):  # a real date cell, shown yyyy-mm-dd, sorts as a date
                cell.number_format = DATETIME_FORMAT if isinstance(cell.value, dt.datetime) else DATE_FORMAT
    for cell in ws[1]:
        cell.data_type = "s"
    ws.freeze_panes = "A2"
    for i, col in enumerate(df.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) if len(df) else len(str(col))
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, 4 + 1.6 * width)


def jsonl_bytes(records: Iterable[Mapping]) -> bytes:
    """One JSON object per line, UTF-8 (no BOM), Chinese not escaped, text exactly as given."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def _joined(values: list | tuple, sep: str) -> str:
    """A list in one cell: its items joined; a missing item (a month without pages) stays empty."""
    return sep.join("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in values)


def _cell(value: object) -> object:
    """A value openpyxl can write: missing → empty, timestamps → datetimes, numpy scalars → Python."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, list | tuple):
        return _joined(value, PEOPLE_LIST_SEP)
    if hasattr(value, "item"):
        return value.item()
    return value

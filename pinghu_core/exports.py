"""Download bytes for tables: CSV (UTF-8 with BOM), XLSX (openpyxl) that never run a formula, and JSON Lines.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel (and LibreOffice) as a formula — a sentence quoted from a page could then run one.  Such
text is written with a leading apostrophe, so the spreadsheet shows it as text.  Numbers stay
numbers: a negative growth rate of -3.5 is the number -3.5, not text.

JSON Lines is data for programs, not a spreadsheet: its text is written exactly as printed
(no apostrophe), so a title starting with ``=`` stays ``=…`` in the JSON string.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise, na_action="ignore")
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV, UTF-8 with a BOM (Excel reads the Chinese), without the index; formula-like text neutralised.

    Lines end with CRLF (RFC 4180): a cell holding a bare carriage return is then quoted, so a
    spreadsheet does not break the row there (with "\n" endings pandas leaves "\r" unquoted)."""
    return neutralise_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


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
    ws.append([str(neutralise(str(c))) for c in df.columns])
    for row in neutralise_frame(df).itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    for cell in ws[1]:
        cell.data_type = "s"
    ws.freeze_panes = "A2"
    for i, col in enumerate(df.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) if len(df) else len(str(col))
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, 4 + 1.6 * width)


def jsonl_bytes(records: Iterable[Mapping]) -> bytes:
    """One JSON object per line, UTF-8 (no BOM), Chinese not escaped, text exactly as given."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def _cell(value: object) -> object:
    """A value openpyxl can write: missing → empty, timestamps → datetimes, numpy scalars → Python."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if hasattr(value, "item"):
        return value.item()
    return value

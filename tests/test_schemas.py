"""Frames are declared once and every builder conforms to the declaration."""

import doctest
import importlib
import pkgutil

import pandas as pd
import pytest

import pinghu_core
from pinghu_core.common import schemas
from pinghu_core.parse.pipeline import line_spans, process_text


def test_conform_orders_columns_and_sets_dtypes():
    df = pd.DataFrame({c: [None] for c in reversed(schemas.ARTICLES.names)})
    df["kind"] = "news"
    df["date_source"] = "inferred"
    out = schemas.conform(df, schemas.ARTICLES)
    schemas.check(out, schemas.ARTICLES)
    assert out.loc[0, "reporters"] == [] and out.loc[0, "title"] == "" and out.loc[0, "chars"] == 0


def test_conform_rejects_missing_columns_and_unknown_categories():
    with pytest.raises(ValueError, match="missing columns"):
        schemas.conform(pd.DataFrame({"title": ["x"]}), schemas.ARTICLES)
    df = schemas.ARTICLES.empty()
    row = {c: None for c in schemas.ARTICLES.names} | {"kind": "rumour", "date_source": "filename"}
    with pytest.raises(ValueError, match="rumour"):
        schemas.conform(pd.concat([df, pd.DataFrame([row])]), schemas.ARTICLES)


OPEN = schemas.FrameSpec("open", (schemas.Column("sentence", "category", "原句", "a repeated text"),))


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["乙句。", "甲句。", "乙句。"], dtype="string"),  # text, as a builder gives it
        pd.Series(["乙句。", "甲句。", "乙句。"], dtype="str"),
        # read back as a dictionary: categories in the order met, one no row uses, Arrow's text dtype
        pd.Series(pd.Categorical(["乙句。", "甲句。", "乙句。"], categories=["乙句。", "丙句。", "甲句。"])),
        pd.Series(pd.Categorical(["乙句。", "甲句。", "乙句。"])).astype(
            pd.CategoricalDtype(pd.Index(["甲句。", "乙句。"], dtype="str"))
        ),
    ],
)
def test_an_open_category_is_the_values_present_sorted_whatever_it_was_read_as(values):
    """A text column whose values repeat is kept once per distinct value: the same frame (values,
    categories and their order) however it was built or read, and conformed again as it is."""
    out = schemas.conform(pd.DataFrame({"sentence": values}), OPEN)
    schemas.check(out, OPEN)
    assert out["sentence"].tolist() == ["乙句。", "甲句。", "乙句。"]
    assert out["sentence"].cat.categories.tolist() == sorted(["甲句。", "乙句。"])
    assert out["sentence"].cat.categories.dtype == pd.StringDtype()
    pd.testing.assert_frame_equal(schemas.conform(out, OPEN), out)
    assert schemas._conformed(out["sentence"], "category", (), "")  # kept as it is from now on


@pytest.mark.parametrize("spec", list(schemas.SPECS.values()), ids=lambda s: s.name)
def test_empty_frames_match_their_spec(spec):
    schemas.check(spec.empty(), spec)


def test_page_frames_from_the_pipeline_match_their_specs():
    frames = process_text("本报讯 昨天上午，活动举行。", "x.txt", page_id="p")
    schemas.check(frames.articles, schemas.ARTICLES)
    schemas.check(frames.page, schemas.PAGES)
    # pages of different content concatenate without losing the declared categories
    both = pd.concat([frames.articles, process_text("今天晴，最高气温20℃。", "y.txt", page_id="q").articles])
    schemas.check(both.reset_index(drop=True), schemas.ARTICLES)


def test_every_column_has_a_chinese_label():
    for spec in schemas.SPECS.values():
        for col in spec.columns:
            assert col.label_zh and any("\u4e00" <= ch <= "\u9fff" for ch in col.label_zh), col.name


@pytest.mark.parametrize(("indices", "text"), [([2, 3, 4, 8], "3-5,9"), ([0], "1"), ([], "")])
def test_line_spans(indices, text):
    assert line_spans(indices) == text


MODULES = [
    m.name
    for m in pkgutil.walk_packages(pinghu_core.__path__, "pinghu_core.")
    if m.name != "pinghu_core.__main__" and not m.ispkg
]


def test_every_core_module_is_checked() -> None:
    assert len(MODULES) >= 50 and "pinghu_core.parse.layout" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0

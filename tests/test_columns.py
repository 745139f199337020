"""Column (栏目) labels from data/columns.toml: which bracketed tails are labels, which are commentary."""

from __future__ import annotations

import pytest

from pinghu_core.parse.columns import is_commentary, is_label

COMMENTARY = [
    ("今日谈", True),
    ("人民论坛·70华诞·倾听历史的回声", True),
    ("评论员观察", True),
    ("暖闻热评", True),  # by its ending …评
    ("国际时评·观潮", True),
    ("现场评论", True),
    ("金台锐评", True),
    ("大家手笔", True),
    ("评", False),  # the ending alone is not a column
    ("健康焦点", False),
    ("经济聚焦", False),
    ("人民眼", False),  # a reportage column
    ("访谈", False),
    ("", False),
]


@pytest.mark.parametrize(("label", "expected"), COMMENTARY)
def test_is_commentary(label: str, expected: bool) -> None:
    assert is_commentary(label) is expected


LABELS = [
    ("今日谈", True),
    ("来自疫情防控一线的报道", True),
    ("走近国医大师", True),
    ("草案", False),
    ("2016—2020年", False),
    ("二", False),
    ("之三", False),
    ("这是一个远远超过二十四个字长度限制的句子而不是栏目标签的样子啊", False),
]


@pytest.mark.parametrize(("text", "expected"), LABELS)
def test_is_label(text: str, expected: bool) -> None:
    assert is_label(text) is expected

"""The full-text query parser: table-driven, with quote and width variants and bad queries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinghu_core.search import query as qy

C = qy.Clause

PARSES = [
    # (query as typed, clauses)
    ("项目", [C(("项目",))]),
    ("项目 投资", [C(("项目",)), C(("投资",))]),
    ("项目　投资", [C(("项目",)), C(("投资",))]),  # ideographic space
    ("  项目   投资  ", [C(("项目",)), C(("投资",))]),
    ("投资|融资", [C(("投资", "融资"))]),
    ("投资 | 融资", [C(("投资", "融资"))]),  # spaces around | do not split
    ("投资｜融资", [C(("投资", "融资"))]),  # full-width bar
    ("项目 投资|融资 -疫情", [C(("项目",)), C(("投资", "融资")), C(("疫情",), negated=True)]),
    ("-疫情", [C(("疫情",), negated=True)]),  # only negative: every article without it
    ("－疫情", [C(("疫情",), negated=True)]),  # full-width minus
    ("-疫情|新冠", [C(("疫情", "新冠"), negated=True)]),
    ('"长三角 一体化"', [C(("长三角 一体化",))]),
    ("“长三角 一体化”", [C(("长三角 一体化",))]),  # curly quotes
    ("「长三角 一体化」", [C(("长三角 一体化",))]),  # corner brackets
    ("‘长三角 一体化’", [C(("长三角 一体化",))]),
    ("＂长三角 一体化＂", [C(("长三角 一体化",))]),  # full-width straight quotes
    ('-"新冠 疫情"', [C(("新冠 疫情",), negated=True)]),
    ('"a|b" c', [C(("a|b",)), C(("c",))]),  # operators inside a phrase are text
    ("COVID-19", [C(("covid-19",))]),  # a minus inside a word is text; Latin lower-cased
    ("ＣＯＶＩＤ－１９", [C(("covid-19",))]),  # full-width Latin and digits
    ("项目 项目", [C(("项目",))]),  # repeated clause once
    ("投资|投资", [C(("投资",))]),
    ("", []),
    ("   ", []),
]


@pytest.mark.parametrize(("text", "clauses"), PARSES)
def test_parse(text: str, clauses: list[qy.Clause]) -> None:
    assert list(qy.parse(text).clauses) == clauses


DESCRIBED = [
    ("项目 投资 -疫情", "包含“项目”且包含“投资”，不含“疫情”"),
    ("项目 投资|融资", "包含“项目”且包含（“投资”或“融资”）"),
    ("投资|融资", "包含（“投资”或“融资”）"),
    ("-疫情", "不含“疫情”"),
    ("-疫情|新冠", "不含“疫情”、“新冠”中的任何一个"),
    ("项目 -疫情 -新冠", "包含“项目”，不含“疫情”，不含“新冠”"),
    ("“长三角 一体化”", "包含“长三角 一体化”"),
    ("", "未输入检索词：不按文字筛选"),
]


@pytest.mark.parametrize(("text", "zh"), DESCRIBED)
def test_describe(text: str, zh: str) -> None:
    assert qy.describe(qy.parse(text)) == zh


BAD = [
    ('"长三角', "引号没有配对"),
    ("项目 “长三角", "引号没有配对"),
    ('""', "引号里没有内容"),
    ("“ ”", "引号里没有内容"),
    ("-", "“-”后面缺少要排除的词"),
    ("项目 - 疫情", "“-”后面缺少要排除的词"),
    ("|", "“|”两边都需要有词"),
    ("投资|", "“|”两边都需要有词"),
    ("|投资", "“|”两边都需要有词"),
    ("投资||融资", "“|”两边都需要有词"),
    ("投资 | ", "“|”两边都需要有词"),
    ("投资|-融资", "“-”只能写在一组词的最前面"),
    ("项" * (qy.MAX_QUERY_CHARS + 1), "检索式太长"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_queries_give_a_chinese_message(text: str, message: str) -> None:
    with pytest.raises(qy.QueryError, match=message):
        qy.parse(text)
    query, problem = qy.try_parse(text)
    assert not query and message in problem


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("ＡＢＣ１２３", "abc123"),
        ("COVID－19", "covid-19"),
        ("平湖　项目", "平湖 项目"),
        ("⼀", "一"),  # Kangxi radical → the ordinary character
        ("①㈱½", "1㈱½"),  # ① is one character in NFKC; ㈱ and ½ would grow, so they stay
        ("“平湖”", "“平湖”"),  # curly quotes are text in articles
    ],
)
def test_normalise_keeps_length(text: str, normalised: str) -> None:
    assert qy.normalise(text) == normalised
    assert len(qy.normalise(text)) == len(text)


def test_normalise_keeps_length_in_long_texts_too() -> None:
    """A long text takes the array path (``ARRAY_CHARS``): the same table cases, repeated past it."""
    text = "ＡＢＣ１２３COVID－19平湖　项目⼀①㈱½“平湖”𠀀\ud800"  # an astral character, a lone surrogate
    long = text * (qy.ARRAY_CHARS // len(text) + 1)
    assert len(long) >= qy.ARRAY_CHARS
    expected = ("abc123covid-19平湖 项目一1㈱½“平湖”𠀀\ud800") * (qy.ARRAY_CHARS // len(text) + 1)
    assert qy.normalise(long) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(codec=None),  # every code point, surrogates included
            st.sampled_from("ＡＢＣａｚ０９－＋　，。：；（）【】①⑳⼀⻓ﬁＫµ平湖项目"),
        ),
        min_size=0,
        max_size=2 * qy.ARRAY_CHARS,
    )
)
def test_normalise_is_the_table_applied_to_each_character(text: str) -> None:
    """Both paths (short: ``str.translate``; long: the code-point array) give exactly the table's
    mapping, one character for one."""
    assert qy.normalise(text) == text.translate(qy._table())
    times = qy.ARRAY_CHARS // max(1, len(text)) + 1  # long enough for the array path
    assert qy.normalise(text * times) == text.translate(qy._table()) * times


def test_hit_terms_are_positive_longest_first() -> None:
    assert qy.parse("项目 项目建设|投资 -疫情").hit_terms == ("项目建设", "投资", "项目")

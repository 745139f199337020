"""The pure helpers of bench/real_accuracy.py, on invented snippets (the real corpus is not in CI)."""

import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "bench" / "real_accuracy.py"
spec = importlib.util.spec_from_file_location("real_accuracy", PATH)
ra = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ra)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("春风 十里，“好”", '春风十里,"好"'),  # whitespace, full-width comma, curly quotes
        ("ＡＢ１２３", "AB123"),  # full-width letters and digits
        ("一路——向前", "一路－向前"),  # a dash run and a full-width hyphen
        ("等等……", "等等..."),  # ellipses
        ("阿依·买买提", "阿依・买买提"),  # middle dots
    ],
)
def test_canon_makes_repaired_punctuation_equal(a, b):
    assert ra.canon(a) == ra.canon(b)


def test_canon_keeps_different_words_apart():
    assert ra.canon("春风十里") != ra.canon("春风千里")


@pytest.mark.parametrize(
    ("title", "base", "label"),
    [
        ("小城故事多（今日谈）", "小城故事多", "今日谈"),
        ("小城故事多(快评)", "小城故事多", "快评"),
        ("小城故事多（人民论坛·乡村篇）", "小城故事多", "人民论坛·乡村篇"),
        ("小城故事多", "小城故事多", ""),
        ("（今日谈）", "（今日谈）", ""),  # a title that is only a label keeps it
    ],
)
def test_split_label(title, base, label):
    assert ra.split_label(title) == (base, label)


def test_title_variants_accept_the_title_with_or_without_its_label():
    assert ra.title_variants("小城故事多（人民时评）") == {ra.canon("小城故事多（人民时评）"), "小城故事多"}
    assert ra.title_variants("小城故事多") == {"小城故事多"}


@pytest.mark.parametrize(
    ("label", "expected"),
    [("今日谈", True), ("人民论坛·乡村篇", True), ("评论员观察", True), ("一线见闻", False), ("", False)],
)
def test_is_commentary_label(label, expected):
    assert ra.is_commentary_label(label) is expected


def test_split_sentences_keeps_closing_quotes_and_drops_final_punctuation():
    text = "他说：“好。”我们走吧！\n第二段，没有句号\n　　“第三句？”\n。"
    assert ra.split_sentences(text) == ['他说:"好', "我们走吧", "第二段,没有句号", '"第三句']


def test_split_sentences_drops_edge_dashes():
    # a line ending with —— may become a 引题, one starting with —— a 副题; the parser drops the dashes
    assert ra.split_sentences("某地多措并举——\n　　——记某某\n") == ["某地多措并举", "记某某"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("王小明、张三", ["王小明", "张三"]),
        ("王小明 张三", ["王小明", "张三"]),
        ("李\xa0\xa0舸", ["李舸"]),  # a two-character name printed three wide
        ("赵大海\xa0钱\xa0多", ["赵大海", "钱多"]),
        ("韩\u3000鑫、吴君", ["韩鑫", "吴君"]),
        ("王小明 Tom", ["王小明"]),  # not Chinese: not a name
    ],
)
def test_split_names(text, names):
    assert ra.split_names(text) == names


ARTICLE = (
    "引题行\n主题行\n\n"
    "　　本报北京1月2日电\xa0\xa0（记者王小明、张三）今天，某地举行活动。\n"
    "　　第二段提到（记者李四）也在场。\n"
    "　　本报记者\xa0\xa0赵\xa0\xa0六\n"
    "　　本报记者\xa0孙七摄\n"
    "　　本报记者\xa0周八整理\n"
    "　　记者：请问有什么考虑？\n"
)


def test_truth_reporters_read_narrowly():
    # first paragraph's （记者…） and whole 本报记者 lines; not a later paragraph, a photo
    # credit, a compiler, or an interview question
    assert ra.truth_reporters(ARTICLE) == ["王小明", "张三", "赵六"]


def test_truth_reporters_stop_before_correspondents():
    text = "\n主题\n\n　　（记者王小明\xa0通讯员张三）正文。\n"
    assert ra.truth_reporters(text) == ["王小明"]


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("王小明", False),
        ("阿依·买买提江", False),
        ("勇摄", True),
        ("王", True),
        ("王小明出席", True),
        ("核心阅读", True),
        ("王小明等", True),
        ("欧阳小明明", True),
        ("A君", True),
    ],
)
def test_implausible_name(name, bad):
    assert bool(ra.implausible_name(name)) is bad


def item(kind="news", kicker="", title="", subtitle="", body="", column_name="", byline_text=""):
    return {
        "kind": kind,
        "kicker": kicker,
        "title": title,
        "subtitle": subtitle,
        "body": body,
        "column_name": column_name,
        "byline_text": byline_text,
        "reporters": [],
    }


def test_match_headlines_one_to_one_in_order():
    truths = [{"title": "甲"}, {"title": "乙（今日谈）"}, {"title": "甲"}, {"title": "丙"}]
    items = [item(title="乙"), item(title="甲"), item(title="丁"), item(title="甲")]
    assert ra.match_headlines(truths, items) == [1, 0, 3, None]


def test_parts_exact_ignores_edge_dashes_of_kicker_and_subtitle():
    truth = {"kicker": "某地多措并举——", "title": "好日子", "subtitle": "——记某某"}
    assert ra.parts_exact(truth, item(kicker="某地多措并举", title="好日子", subtitle="记某某"))
    assert not ra.parts_exact(truth, item(kicker="", title="好日子", subtitle="记某某"))


def test_sentence_kept_across_fields_and_after_byline_moved():
    items = [item(title="好日子", body="本报北京1月2日电今天，某地举行活动。", byline_text="记者 王小明")]
    hay = ra.haystack(items)
    assert ra.sentence_kept(ra.canon("今天，某地举行活动"), hay)
    assert ra.sentence_kept(ra.canon("本报北京1月2日电（记者王小明）今天，某地举行活动"), hay)
    assert not ra.sentence_kept(ra.canon("本报北京1月2日电（记者李四）今天，某地举行活动"), hay)
    # fields are kept apart: a sentence never matches across two fields
    assert not ra.sentence_kept(ra.canon("好日子本报北京"), hay)


def test_dates():
    assert ra.diff_days("2020-02-03", "2020-02-01") == 2
    assert ra.diff_days(None, "2020-02-01") is None
    assert ra.year_only_wrong("2019-02-02", "2020-02-01")
    assert not ra.year_only_wrong("2020-05-02", "2020-02-01")
    assert not ra.year_only_wrong("2020-02-02", "2020-02-01")
    assert [ra.bucket(c) for c in (0.0, 0.45, 0.6, 1.0)] == ["0.0–0.3", "0.3–0.5", "0.6–0.8", "0.8–1.0"]

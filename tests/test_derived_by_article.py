"""Results made article by article, kept across corpora (pinghu_core.corpus.derived.load_or_build_by_article):
when the corpus changes — a day's page added, a page edited or removed — an earlier corpus' rows are
kept for every article that reads the same and only the others are computed, and the result is
the same frame as computing it all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_CORPUS, outputs_under_hash_seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinghu_core.common import schemas
from pinghu_core.corpus import derived, ingest
from pinghu_core.corpus import prominence as pr
from pinghu_core.people import directory as people_directory
from pinghu_core.people import rules as people_rules
from pinghu_core.people import tables as people_tables
from pinghu_core.search import places as pl
from pinghu_core.themes import dictionary as th
from pinghu_core.themes import slogans as sl

SPEC = schemas.FrameSpec(
    "toy_rows",
    (
        schemas.Column("article_id", schemas.STR, "编号", "the article"),
        schemas.Column("word", schemas.STR, "词", "a word of its text"),
        schemas.Column("n", "int64", "次数", "how often"),
    ),
)


def words_of(articles: pd.DataFrame, seen: list[str] | None = None) -> pd.DataFrame:
    """A per-article result: one row per distinct character of the text, in order (none for some)."""
    rows = []
    for aid, text in zip(articles["article_id"], articles["text"].fillna(""), strict=True):
        if seen is not None:
            seen.append(aid)
        for ch in dict.fromkeys(text):
            rows.append((aid, ch, text.count(ch)))
    return pd.DataFrame(rows, columns=SPEC.names)


def toy(ids: list[str], texts: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {"article_id": pd.Series(ids, dtype="string"), "text": pd.Series(texts, dtype="string")}
    )


def build(root: Path, corpus: str, articles: pd.DataFrame, seen: list[str] | None = None) -> pd.DataFrame:
    return derived.load_or_build_by_article(
        root,
        "toy",
        ("toy", corpus, "rules1"),
        ("toy", "rules1"),
        lambda: articles,
        lambda a: words_of(a, seen),
        SPEC,
    )


# ---------------------------------------------------------------- invariants over changed corpora

texts = st.one_of(st.none(), st.text(alphabet="平湖新闻村镇一二三\n", max_size=12))


@st.composite
def corpus_change(draw):
    """An earlier corpus and a later one: articles kept (maybe edited), removed, added, reordered."""
    n = draw(st.integers(0, 12))
    earlier = {f"p{i}-{i % 3:02d}": draw(texts) for i in range(n)}
    later = {}
    for aid, text in earlier.items():
        fate = draw(st.sampled_from(["keep", "keep", "edit", "drop"]))
        if fate == "keep":
            later[aid] = text
        elif fate == "edit":
            later[aid] = draw(texts)
    for j in range(draw(st.integers(0, 5))):
        later[f"new{j}-00"] = draw(texts)
    order = draw(st.permutations(list(later)))
    return earlier, {aid: later[aid] for aid in order}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=corpus_change())
def test_a_changed_corpus_gives_what_computing_it_all_gives(tmp_path_factory, change) -> None:
    earlier, later = change
    root = tmp_path_factory.mktemp("derived")
    before = toy(list(earlier), list(earlier.values()))
    after = toy(list(later), list(later.values()))
    build(root, "corpus1", before)
    seen: list[str] = []
    got = build(root, "corpus2", after, seen)
    pd.testing.assert_frame_equal(got, schemas.conform(words_of(after), SPEC))
    same = {aid for aid, text in later.items() if aid in earlier and earlier[aid] == text}
    if same:  # only the articles that do not read as before are computed again
        assert sorted(seen) == sorted(set(later) - same)
    # and what was stored for the later corpus is read back as it is
    pd.testing.assert_frame_equal(build(root, "corpus2", after, seen := []), got)
    assert seen == []


def test_a_day_added_computes_that_day_only(tmp_path: Path) -> None:
    before = toy(["a-00", "a-01", "b-00"], ["平湖", None, "新闻新闻"])
    build(tmp_path, "c1", before)
    seen: list[str] = []
    after = toy(["a-00", "a-01", "b-00", "c-00"], ["平湖", None, "新闻新闻", "村镇"])
    got = build(tmp_path, "c2", after, seen)
    assert seen == ["c-00"]
    assert got["article_id"].tolist() == ["a-00", "a-00", "b-00", "b-00", "c-00", "c-00"]
    # the earlier corpus' files are gone: one result and its rows
    assert sorted(p.suffix for p in (tmp_path / derived.FOLDER).iterdir()) == [
        ".parquet",
        derived.ROWS_SUFFIX,
    ]


def test_other_rules_damaged_rows_or_repeated_ids_compute_it_all(tmp_path: Path) -> None:
    before = toy(["a-00", "b-00"], ["平湖", "新闻"])
    after = toy(["a-00", "b-00", "c-00"], ["平湖", "新闻", "村"])
    build(tmp_path, "c1", before)
    seen: list[str] = []  # another family (rules2): nothing of rules1 is used
    derived.load_or_build_by_article(
        tmp_path,
        "toy",
        ("toy", "c2", "rules2"),
        ("toy", "rules2"),
        lambda: after,
        lambda a: words_of(a, seen),
        SPEC,
    )
    assert seen == ["a-00", "b-00", "c-00"]
    for rows in (tmp_path / derived.FOLDER).glob(f"*{derived.ROWS_SUFFIX}"):
        rows.write_bytes(b"PAR1 damaged")
    seen = []
    got = derived.load_or_build_by_article(
        tmp_path,
        "toy",
        ("toy", "c3", "rules2"),
        ("toy", "rules2"),
        lambda: after,
        lambda a: words_of(a, seen),
        SPEC,
    )
    assert seen == ["a-00", "b-00", "c-00"]
    pd.testing.assert_frame_equal(got, schemas.conform(words_of(after), SPEC))
    twice = toy(["a-00", "a-00", "d-00"], ["平湖", "新闻", "村"])  # ids that do not tell articles apart
    seen = []
    got = build(tmp_path, "c4", twice, seen)
    assert seen == ["a-00", "a-00", "d-00"]
    assert not list((tmp_path / derived.FOLDER).glob(f"*{derived.ROWS_SUFFIX}"))  # nothing for later ones
    pd.testing.assert_frame_equal(got, schemas.conform(words_of(twice), SPEC))


def test_an_earlier_result_of_another_shape_is_not_kept(tmp_path: Path) -> None:
    before = toy(["a-00", "b-00"], ["平湖", "新闻"])
    build(tmp_path, "c1", before)
    (result,) = (tmp_path / derived.FOLDER).glob("toy-*.parquet")
    derived.write(result, pd.DataFrame({"article_id": ["a-00"], "other": [1]}))  # as an older version might
    seen: list[str] = []
    got = build(tmp_path, "c2", before, seen)
    assert seen == ["a-00", "b-00"]
    pd.testing.assert_frame_equal(got, schemas.conform(words_of(before), SPEC))


def test_a_stored_result_is_read_without_making_the_inputs(tmp_path: Path) -> None:
    """The pages read stored results on their first open: no copy of the articles' columns for it."""
    articles = toy(["a-00", "b-00"], ["平湖", "新闻"])
    made: list[int] = []

    def inputs() -> pd.DataFrame:
        made.append(1)
        return articles

    for _ in range(2):
        derived.load_or_build_by_article(
            tmp_path, "toy", ("toy", "c1"), ("toy",), inputs, lambda a: words_of(a), SPEC
        )
    assert made == [1]


def test_no_cache_folder_computes_it_all() -> None:
    seen: list[str] = []
    articles = toy(["a-00"], ["平湖"])
    got = derived.load_or_build_by_article(
        None, "toy", ("x",), ("x",), lambda: articles, lambda a: words_of(a, seen), SPEC
    )
    assert seen == ["a-00"] and got["word"].tolist() == ["平", "湖"]


# ---------------------------------------------------------------- digests of rows


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ({"a": [None]}, {"a": ["None"]}),
        ({"a": [""]}, {"a": [None]}),
        ({"a": ["ab"], "b": ["c"]}, {"a": ["a"], "b": ["bc"]}),
        ({"a": [["张三", "李四"]]}, {"a": [["张三李四"]]}),
        ({"a": [["张三"]]}, {"a": ["张三"]}),
        ({"a": [[]]}, {"a": [None]}),
        ({"a": pd.to_datetime(["2020-01-02"])}, {"a": pd.to_datetime([None])}),
        ({"a": [True]}, {"a": [False]}),
        ({"a": ["平湖\n"]}, {"a": ["平湖"]}),
    ],
)
def test_rows_that_read_differently_get_different_digests(left: dict, right: dict) -> None:
    assert derived.row_digests(pd.DataFrame(left))[0] != derived.row_digests(pd.DataFrame(right))[0]


def test_a_row_digest_is_its_values_not_its_dtypes_or_process() -> None:
    frame = pd.DataFrame(
        {"id": ["a-00", "b-01"], "names": [["张三"], None], "day": pd.to_datetime(["2020-01-02", None])}
    )
    again = frame.assign(id=frame["id"].astype("string"), names=[np.array(["张三"], dtype=object), None])
    assert derived.row_digests(frame).tolist() == derived.row_digests(again).tolist()
    assert derived.row_digests(frame.iloc[:0]).tolist() == []
    code = (
        "import pandas as pd; from pinghu_core.corpus import derived;"
        "f = pd.DataFrame({'id': ['a-00', 'b-01'], 'names': [['张三'], None],"
        " 'day': pd.to_datetime(['2020-01-02', None])});"
        "print(derived.row_digests(f).tolist())"
    )
    out = outputs_under_hash_seeds(code, ("1", "2"))
    assert out == {str(derived.row_digests(frame).tolist())}


# ---------------------------------------------------------------- the real results


@pytest.fixture(scope="module")
def corpus() -> ingest.Corpus:
    return ingest.load_corpus(SAMPLE_CORPUS, use_cache=False, workers=1)


def halves(corpus: ingest.Corpus) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample corpus without its last page (an earlier day), and all of it with one article edited."""
    articles = corpus.articles
    last_page = articles["page_id"] == articles["page_id"].iloc[-1]
    earlier = articles[~last_page].reset_index(drop=True)
    later = articles.copy()
    later.loc[later.index[0], "body"] = (
        str(later["body"].iloc[0]) + "新仓镇芦湾村召开会议，张三村长说明情况。"
    )
    return earlier, later


def test_places_themes_and_people_of_a_grown_corpus_equal_computing_them(
    corpus: ingest.Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier, later = halves(corpus)
    gaz, themes = pl.load_gazetteer(), th.load_themes()
    rules, directory = people_rules.rules(), people_directory.current()[0]
    prominence = pr.prominence(later, corpus.pages, pr.rules())
    pl.stored_article_places(earlier, gaz, tmp_path, "earlier")
    th.stored_tags(earlier, themes, tmp_path, "earlier")
    sl.stored_slogans(earlier, tmp_path, "earlier")
    people_tables.stored_mentions(
        earlier,
        pr.prominence(earlier, corpus.pages, pr.rules()),
        rules,
        directory,
        ["新仓镇"],
        tmp_path,
        "earlier",
    )
    computed: dict[str, int] = {}
    for module, name in (
        (pl, "article_places"),
        (th, "tag_articles"),
        (people_tables, "mentions"),
        (sl, "quote_hits"),
    ):
        real = getattr(module, name)

        def counting(articles, *args, _real=real, _name=name, **kwargs):
            computed[_name] = computed.get(_name, 0) + len(articles)
            return _real(articles, *args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    places = pl.stored_article_places(later, gaz, tmp_path, "later")
    hits = th.stored_tags(later, themes, tmp_path, "later")
    quoted = sl.stored_slogans(later, tmp_path, "later")
    found = people_tables.stored_mentions(later, prominence, rules, directory, ["新仓镇"], tmp_path, "later")
    monkeypatch.undo()
    pd.testing.assert_frame_equal(places, pl.article_places(later, gaz))
    pd.testing.assert_frame_equal(hits, th.tag_articles(later, themes))
    pd.testing.assert_frame_equal(quoted, sl.find_slogans(later))
    pd.testing.assert_frame_equal(
        found, people_tables.mentions(later, rules, directory, ["新仓镇"], prominence)
    )
    new_page = len(later) - len(earlier)
    assert computed["article_places"] == computed["tag_articles"] == computed["quote_hits"] == new_page + 1
    # the people: those two, and every article whose 头版/头条 flags the new page changed
    assert new_page + 1 <= computed["mentions"] < len(later)


def test_places_theme_hits_and_quotes_read_one_digest_of_each_article(
    corpus: ingest.Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pinghu_core.search import shared

    passes: list[int] = []
    real = derived.row_digests

    def counting(frame: pd.DataFrame) -> np.ndarray:
        passes.append(len(frame))
        return real(frame)

    monkeypatch.setattr(derived, "row_digests", counting)
    todo = shared.steps(
        corpus, tmp_path, gazetteer=pl.load_gazetteer(), themes=th.load_themes(), rules=pr.rules()
    )
    shared.compute(todo, len(corpus.articles))
    assert passes == [len(corpus.articles)]  # one pass for 地点, 政策主题 and 口号
    with pytest.raises(ValueError, match="digests for"):
        build_with = derived.load_or_build_by_article
        build_with(
            tmp_path,
            "toy",
            ("x",),
            ("x",),
            lambda: toy(["a-00"], ["平湖"]),
            words_of,
            SPEC,
            lambda: np.zeros(2),
        )

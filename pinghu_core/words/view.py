"""The 词云 page's state and tables, as pure functions (no streamlit).

A :class:`WordView` is what the page shows: the article filter (dates, themes, kinds, towns),
the cloud's weighting, size and part of speech, the two compared periods, the picked word and
the article opened in full.  It travels in the URL (:func:`view_params` / :func:`parse_view`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote_plus, urlencode

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pinghu_core.common import schemas, viewspec
from pinghu_core.common.daterange import in_range
from pinghu_core.common.viewspec import BOOL, CORPUS, DATE_END, DATE_START, INT, KEEP, MANY, param
from pinghu_core.common.wording import capped_zh, dates_zh, day_values, format_date_zh
from pinghu_core.themes import view as views
from pinghu_core.words import index as words

DEFAULT_KINDS: tuple[str, ...] = ("news", "commentary")
TOP_CHOICES: tuple[int, ...] = (50, 100, 150, 200)
TOP_DEFAULT = 100
BAR_TERMS = 30  # terms in the bar chart
TABLE_TERMS = 500  # rows of the term table
KWIC_LIMIT = 500  # lines listed for one word (the download has every line)
# part-of-speech tags (jieba's, ICTCLAS style) → Chinese, by the longest matching prefix
POS_LABELS_ZH: dict[str, str] = {
    "ns": "地名",
    "nt": "机构名",
    "nr": "人名",
    "nz": "专名",
    "vn": "名动词",
    "n": "名词",
    "v": "动词",
    "a": "形容词",
    "d": "副词",
    "l": "习用语",
    "i": "成语",
    "eng": "外文",
    "m": "数词",
    "q": "量词",
    "t": "时间词",
    "f": "方位词",
    "s": "处所词",
    "x": "未知",
}


def pos_label(tag: str) -> str:
    """'ns' → '地名 ns'; an unlisted tag keeps its code."""
    for n in range(len(tag), 0, -1):
        if tag[:n] in POS_LABELS_ZH:
            return f"{POS_LABELS_ZH[tag[:n]]} {tag}"
    return tag


@dataclass(frozen=True)
class WordView:
    """What the page shows; each field declares its URL parameter and widget
    (:mod:`pinghu_core.common.viewspec`).  The compared periods are in the URL only while
    ``compare`` is on, and always inside the date range (:meth:`finished`)."""

    start: dt.date | None = param(None, "start", widget="words.dates", kind=DATE_START, ends=CORPUS)
    end: dt.date | None = param(None, "end", widget="words.dates", kind=DATE_END, ends=CORPUS)
    themes: tuple[str, ...] = param((), "themes", widget="words.themes", kind=MANY, options="themes")
    kinds: tuple[str, ...] = param(
        DEFAULT_KINDS, "kinds", widget="words.kinds", kind=MANY, options="kinds", always_in_url=True
    )
    towns: tuple[str, ...] = param((), "towns", widget="words.towns", kind=MANY, options="towns")
    weight: str = param("count", "weight", widget="words.weight", options="weights", omit_default=True)
    top: int = param(TOP_DEFAULT, "top", widget="words.top", kind=INT, options="tops", omit_default=True)
    pos: str = param("all", "pos", widget="words.pos", options="pos", omit_default=True)
    compare: bool = param(False, "compare", widget="words.compare", kind=BOOL)
    word: str = param("", "word", widget="words.word", widget_none=True, rows=False)
    whole_word: bool = param(False, "whole_word", widget="words.whole_word", kind=BOOL, rows=False)  # KWIC
    article: str = param("", "article", widget="words.article", widget_none=True, rows=False)
    a_start: dt.date | None = param(  # earlier period
        None, "a_start", widget="words.period_a", kind=DATE_START, group="a", ends=KEEP, only_if="compare"
    )
    a_end: dt.date | None = param(
        None, "a_end", widget="words.period_a", kind=DATE_END, group="a", ends=KEEP, only_if="compare"
    )
    b_start: dt.date | None = param(  # later period
        None, "b_start", widget="words.period_b", kind=DATE_START, group="b", ends=KEEP, only_if="compare"
    )
    b_end: dt.date | None = param(
        None, "b_end", widget="words.period_b", kind=DATE_END, group="b", ends=KEEP, only_if="compare"
    )

    def finished(self) -> WordView:
        """The compared periods fitted into the date range (:func:`fit_periods`)."""
        return fit_periods(self)


def halves(first: dt.date | None, last: dt.date | None) -> tuple[dt.date | None, ...]:
    """(a_start, a_end, b_start, b_end): the range split in the middle."""
    if first is None or last is None:
        return (first, last, first, last)
    mid = first + (last - first) / 2
    return (first, mid, min(mid + dt.timedelta(days=1), last), last)  # a one-day range: that day twice


def fit_periods(view: WordView) -> WordView:
    """The two compared periods inside the view's date range (the other filters, dates included,
    apply to both): a period reaching outside is cut to the range; a missing one, or one wholly
    outside, becomes that half of the range."""
    start, end = view.start, view.end
    if start is None or end is None:
        return view
    a_half, b_half = halves(start, end)[:2], halves(start, end)[2:]

    def fit(s: dt.date | None, e: dt.date | None, half: tuple) -> tuple:
        if s is None or e is None or e < start or s > end:
            return half
        return max(s, start), min(e, end)

    (a0, a1), (b0, b1) = fit(view.a_start, view.a_end, a_half), fit(view.b_start, view.b_end, b_half)
    return replace(view, a_start=a0, a_end=a1, b_start=b0, b_end=b1)


def period_view(view: WordView, which: str) -> WordView:
    """The view with the dates of its earlier (``"a"``) or later (``"b"``) compared period: the other
    filters apply to both periods."""
    start, end = (view.a_start, view.a_end) if which == "a" else (view.b_start, view.b_end)
    return replace(view, start=start, end=end)


def towns_named(names: Sequence[str], places: pd.DataFrame) -> list[str]:
    """The place file's ``names`` (in its order) that some article names (``places``: schemas.ARTICLE_PLACES)."""
    named = set(places["place"].astype(str))
    return [n for n in names if n in named]


def context(
    *,
    theme_ids: Iterable[str],
    towns: Iterable[str],
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> viewspec.Context:
    """What the view's checks need: themes, towns, kinds, weights, sizes and parts of speech that exist."""
    options = {"themes": list(theme_ids), "towns": list(towns), "kinds": schemas.KINDS}
    options |= {
        "weights": list(words.WEIGHTS),
        "tops": [str(n) for n in TOP_CHOICES],
        "pos": list(words.POS_FILTERS),
    }
    return viewspec.Context(options, first, last)


def parse_view(params: Mapping[str, str | Sequence[str]], **ctx) -> WordView:
    """The view a URL asks for, keeping only what exists (unknown values fall back to defaults)."""
    return viewspec.from_url(WordView, params, context(**ctx))


def view_params(view: WordView) -> dict[str, str]:
    """The URL parameters of a view (defaults and empty values left out; kinds always given)."""
    return viewspec.to_url(view)


def article_url(view: WordView, article_id: str) -> str:
    """A relative link to this page showing ``view`` with the article opened in full."""
    return "?" + urlencode(view_params(replace(view, article=article_id)))


def article_urls(view: WordView, article_ids: Iterable[str]) -> list[str]:
    """:func:`article_url` of each id: the view's other parameters encoded once, not once a link (a
    KWIC list has 500 links, and encoding the whole view for each was a sixth of a second on every
    run of the list)."""
    params = view_params(replace(view, article="-"))
    names = list(params)
    at = names.index("article")
    before = urlencode({k: params[k] for k in names[:at]})
    after = urlencode({k: params[k] for k in names[at + 1 :]})
    head = "?" + before + ("&" if before else "") + quote_plus("article") + "="
    tail = "&" + after if after else ""
    return [head + quote_plus(a) + tail if a else article_url(view, a) for a in map(str, article_ids)]


# ---------------------------------------------------------------- filtering


def filtered_ids(
    articles: pd.DataFrame,
    view: WordView,
    *,
    theme_hits: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> list[str]:
    """Ids of the articles the view selects: kinds, dates, any of the themes (``theme_hits``:
    schemas.ARTICLE_THEMES), any of the towns (``places``: schemas.ARTICLE_PLACES)."""
    keep = (
        in_range(articles["date"], view.start, view.end)
        & articles["kind"].astype("string").isin(view.kinds).to_numpy()
    )
    ids = articles["article_id"].astype(str)
    if view.themes and theme_hits is not None:
        chosen = theme_hits.loc[theme_hits["theme_id"].isin(view.themes), "article_id"].astype(str)
        keep &= ids.isin(set(chosen)).to_numpy()
    if view.towns and places is not None:
        chosen = places.loc[places["place"].astype(str).isin(view.towns), "article_id"].astype(str)
        keep &= ids.isin(set(chosen)).to_numpy()
    return ids[keep].tolist()


def _arrow_strings(values: pd.Series) -> pa.Array:
    """``values`` as one Arrow string array: Arrow-backed strings as they are, others as ``str``."""
    if (
        not isinstance(values.dtype, pd.StringDtype | pd.ArrowDtype)
        or getattr(values.dtype, "storage", "") == "python"
    ):
        values = values.astype(str)
    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.string()) if arr.type != pa.string() else arr


def _positions(values: pd.Series, known: pa.Array) -> np.ndarray:
    """The position of each of ``values`` among the distinct strings ``known`` (int64, -1 for one that
    is not there or missing) — Arrow's hash lookup: no Python string per value (a million theme
    hits on ten times the corpus made 200+ MB of them, the peak of 词云's first open)."""
    found = pc.index_in(_arrow_strings(values), value_set=known)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _codes_by_key(codes: np.ndarray, keys: pd.Series) -> dict[str, np.ndarray]:
    """Key → the sorted distinct ``codes`` of its rows (rows with code -1 or a missing key left out);
    only keys with such rows.  The keys are factorised (Arrow's dictionary encoding when they are
    Arrow strings), not turned into a Python string per row."""
    key_codes, names = pd.factorize(keys, use_na_sentinel=True)
    key_codes = np.asarray(key_codes, dtype=np.int64)
    keep = (codes >= 0) & (key_codes >= 0)
    if not keep.any():  # no rows, or none with a known article and a key
        return {}
    codes, key_codes = codes[keep], key_codes[keep]
    order = np.argsort(key_codes, kind="stable")
    parts = np.split(codes[order], np.cumsum(np.bincount(key_codes, minlength=len(names)))[:-1])
    return {str(name): np.unique(part) for name, part in zip(names, parts, strict=True) if len(part)}


@dataclass(frozen=True)
class ArticleFilter:
    """What :func:`filtered_ids` reads, made once per corpus (and theme dictionary, and place file) as
    numpy arrays in the articles frame's order, so that a view's articles are a boolean mask made
    in about a millisecond — :func:`filtered_ids` compares strings (theme hits and places against
    every article id, the kinds), 0.1–0.3 s a filter on ten years.  ``mask(view)`` is
    ``articles["article_id"].isin(filtered_ids(articles, view, …))`` row for row (a test compares them)."""

    ids: np.ndarray  # str (object), the articles' ids
    dates: np.ndarray  # datetime64[ns]
    kind_codes: np.ndarray  # int64 codes into kinds, -1 for a missing kind
    kinds: tuple[str, ...]
    id_codes: np.ndarray  # int64 codes of the ids (an id printed twice has one code)
    theme_codes: Mapping[str, np.ndarray] | None  # theme id → codes of the ids it tags (None: no hits)
    town_codes: Mapping[str, np.ndarray] | None  # place → codes of the ids naming it (None: no places)

    @classmethod
    def build(
        cls,
        articles: pd.DataFrame,
        *,
        theme_hits: pd.DataFrame | None = None,
        places: pd.DataFrame | None = None,
    ) -> ArticleFilter:
        ids = articles["article_id"].astype(str)
        id_codes, uniques = pd.factorize(ids)
        known = _arrow_strings(pd.Series(uniques))
        kind_codes, kinds = pd.factorize(articles["kind"].astype("string"), use_na_sentinel=True)

        def grouped(frame: pd.DataFrame | None, column: str) -> dict[str, np.ndarray] | None:
            if frame is None:
                return None
            return _codes_by_key(_positions(frame["article_id"], known), frame[column])

        return cls(
            ids=ids.to_numpy(dtype=object),
            dates=np.asarray(articles["date"], dtype="datetime64[ns]"),
            kind_codes=np.asarray(kind_codes, dtype=np.int64),
            kinds=tuple(str(k) for k in kinds),
            id_codes=np.asarray(id_codes, dtype=np.int64),
            theme_codes=grouped(theme_hits, "theme_id"),
            town_codes=grouped(places, "place"),
        )

    def _any_of(self, groups: Mapping[str, np.ndarray], chosen: Iterable[str]) -> np.ndarray:
        parts = [groups[c] for c in chosen if c in groups]
        codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return np.isin(self.id_codes, codes)

    def mask(self, view: WordView) -> np.ndarray:
        """Bool per article: kept by the view's dates, kinds, any of its themes, any of its towns."""
        wanted = [i for i, k in enumerate(self.kinds) if k in set(view.kinds)]
        keep = in_range(self.dates, view.start, view.end) & np.isin(self.kind_codes, wanted)
        if view.themes and self.theme_codes is not None:
            keep &= self._any_of(self.theme_codes, view.themes)
        if view.towns and self.town_codes is not None:
            keep &= self._any_of(self.town_codes, view.towns)
        return keep

    def ids_of(self, mask: np.ndarray) -> list[str]:
        """The ids of a :meth:`mask`, in the articles' order (what :func:`filtered_ids` gives)."""
        return self.ids[mask].tolist()


# ---------------------------------------------------------------- tables for people


def term_table_zh(table: pd.DataFrame) -> pd.DataFrame:
    """schemas.TERM_COUNTS with Chinese headers (TF-IDF rounded)."""
    out = table[["rank", "term", "pos", "count", "documents", "tfidf", "corpus_documents"]].copy()
    out["tfidf"] = out["tfidf"].round(1)
    out["pos"] = [pos_label(str(p)) for p in out["pos"]]
    return out.rename(columns=schemas.labels_zh(schemas.TERM_COUNTS))


def bar_table_zh(table: pd.DataFrame) -> pd.DataFrame:
    """The data of 词频's bar chart: its :data:`BAR_TERMS` words as :func:`term_table_zh` rows."""
    return term_table_zh(table.head(BAR_TERMS))


def rising_table_zh(table: pd.DataFrame) -> pd.DataFrame:
    """schemas.RISING_TERMS with Chinese headers (rates and G² rounded; a new term's ratio shown as 新出现)."""
    out = table.copy()
    for c in ("earlier_per_million", "later_per_million", "change_per_million", "g2"):
        out[c] = out[c].round(1)
    out["ratio"] = [f"{r:.1f}" if pd.notna(r) else "新出现" for r in out["ratio"]]
    out["pos"] = [pos_label(str(p)) for p in out["pos"]]
    return out.rename(columns=schemas.labels_zh(schemas.RISING_TERMS))


def trend_words_zh(table: pd.DataFrame, *, fell: bool = False, top: int = 20) -> pd.DataFrame:
    """Words that rose (``schemas.RISING_TERMS`` from the comparison period to the period looked at)
    or, with ``fell``, fell (the same computed the other way round: its "earlier" is the period looked
    at) for 政策主题's 上升与下降 — columns in that page's words, the comparison period first.

    >>> t = pd.DataFrame({"rank": [1], "term": ["复工"], "pos": ["v"], "earlier_count": [0], "later_count": [9],
    ...     "earlier_per_million": [0.0], "later_per_million": [30.0], "change_per_million": [30.0],
    ...     "ratio": [float("nan")], "g2": [12.345]})
    >>> [str(v) for v in trend_words_zh(t).iloc[0]]
    ['复工', '动词 v', '0.0', '30.0', '30.0', '12.3', '新出现', '0', '9']
    >>> [str(v) for v in trend_words_zh(t, fell=True).iloc[0]]
    ['复工', '动词 v', '30.0', '0.0', '-30.0', '12.3', '消失', '9', '0']
    """
    rows = table.head(top)
    before, after = ("later", "earlier") if fell else ("earlier", "later")
    new = rows[f"{before}_count"].astype("int64") == 0
    gone = rows[f"{after}_count"].astype("int64") == 0
    return pd.DataFrame(
        {
            "词语": rows["term"].astype(str).tolist(),
            "词性": [pos_label(str(p)) for p in rows["pos"]],
            "对照期每百万词": rows[f"{before}_per_million"].round(1).tolist(),
            "关注期每百万词": rows[f"{after}_per_million"].round(1).tolist(),
            "变化(每百万词)": ((-1 if fell else 1) * rows["change_per_million"]).round(1).tolist(),
            "对数似然G²": rows["g2"].round(1).tolist(),
            "标记": ["新出现" if n else ("消失" if g else "") for n, g in zip(new, gone, strict=True)],
            "对照期次数": rows[f"{before}_count"].astype("int64").tolist(),
            "关注期次数": rows[f"{after}_count"].astype("int64").tolist(),
        }
    )


def compare_link(later: tuple[dt.date, dt.date], earlier: tuple[dt.date, dt.date]) -> str:
    """A link to 词云 comparing the two periods (earlier first), from any page of the dashboard."""
    view = WordView(compare=True, a_start=earlier[0], a_end=earlier[1], b_start=later[0], b_end=later[1])
    return "words?" + urlencode(view_params(view))


def trend_word_caption_zh(start: dt.date | None, end: dt.date | None, total: int) -> str:
    """Above a ticked word's sentences in one period of 上升与下降: the period, how many times the
    word occurs there (as the table counts it), and how many are listed.

    >>> trend_word_caption_zh(dt.date(2020, 1, 1), dt.date(2020, 12, 31), 3)
    '2020年1月1日 – 2020年12月31日：3 次'
    >>> trend_word_caption_zh(dt.date(2020, 1, 1), dt.date(2020, 12, 31), 1234)
    '2020年1月1日 – 2020年12月31日：1,234 次（列出前 500 次，下载见词云页）'
    >>> trend_word_caption_zh(dt.date(2020, 1, 1), dt.date(2020, 12, 31), 0)
    '2020年1月1日 – 2020年12月31日：没有出现'
    """
    head = dates_zh(start, end)
    if not total:
        return f"{head}：没有出现"
    more = f"（列出前 {KWIC_LIMIT} 次，下载见词云页）" if total > KWIC_LIMIT else ""
    return f"{head}：{total:,} 次{more}"


def kwic_table(lines: pd.DataFrame, view: WordView) -> pd.DataFrame:
    """KWIC lines for people: 日期, 标题, 上下文 (the word in 【】), 全文 (a link opening the article)."""
    return pd.DataFrame(
        {
            "日期": [format_date_zh(d) for d in lines["date"]],
            "标题": lines["title"].astype("string").tolist(),
            "上下文": lines["line"].astype("string").tolist(),
            "全文": article_urls(view, lines["article_id"]),
        }
    )


def kwic_csv_frame(lines: pd.DataFrame) -> pd.DataFrame:
    """The KWIC lines as downloaded: date, title, left, word, right, article_id (Chinese headers)."""
    out = lines[["date", "title", "left", "word", "right", "article_id"]].copy()
    out["date"] = day_values(out["date"])
    return out.rename(columns=schemas.labels_zh(schemas.KWIC))


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    return f"{format_date_zh(start)}—{format_date_zh(end)}"


def highlight(text: str, word: str) -> str:
    """``text`` with every occurrence of ``word`` wrapped in 【】 (plain text, never markup)."""
    return text.replace(word, f"【{word}】") if word else text


def article_options(lines: pd.DataFrame, current: str = "") -> dict[str, str]:
    """article_id → '2020年7月22日 · 标题' for the articles of the KWIC lines (and the article opened
    from a link, even when it is not among them)."""
    out = views.article_choices(lines.drop_duplicates("article_id"))
    if current and current not in out:
        out[current] = f"文章 {current}"
    return out


def word_choices(word: str, table: pd.DataFrame) -> list[str]:
    """The KWIC word box's options: the chosen word (even one typed in) first, then the table's terms."""
    return list(dict.fromkeys([*([word] if word else []), *table["term"].astype(str)]))


def kwic_caption_zh(
    word_md: str, whole_word: bool, articles: int, lines: int, total: int | None = None
) -> str:
    """What the KWIC list counts (``word_md``: the word already escaped for Markdown); a capped list
    says how many it shows of how many, and where the rest is.

    >>> kwic_caption_zh("独山港", False, 12, 6)
    '“独山港”在所选 12 篇文章中出现 6 次。'
    >>> kwic_caption_zh("平湖", False, 900, 2000, 4512)
    '“平湖”在所选 900 篇文章中出现 4,512 次。显示前 2,000 处，共 4,512 处；下载的文件包含全部 4,512 处。'
    """
    total = lines if total is None else total
    how = "作为完整的词" if whole_word else ""
    return f"“{word_md}”在所选 {articles:,} 篇文章中{how}出现 {total:,} 次。" + capped_zh(lines, total, "处")

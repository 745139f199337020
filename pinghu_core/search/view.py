"""The 文章检索 page's state, tables, reader and downloads, as pure functions (no streamlit).

The view (:class:`search.SearchView`) travels in the page URL (:func:`view_params` / :func:`parse_view`)
so a copied link restores the filters, the query and the opened article.  ``pinghu export`` uses
:func:`download_table` and :func:`export_records` on the same ``search.filter_articles`` rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from pinghu_core.common import schemas, settings, viewspec
from pinghu_core.common.chart_base import ACCENT, base_layout, wan_axis
from pinghu_core.common.url_params import iso
from pinghu_core.common.wording import capped_zh, dates_zh, day_values, format_date_zh
from pinghu_core.corpus import shapes
from pinghu_core.search import index as search
from pinghu_core.search import query as qy
from pinghu_core.themes.charts import count_step

LIST_SEP = ","
LEAD_HELP = (
    "头条：每个头版按印刷顺序的第一篇新闻（PDF 提取的版面取字数最多的一篇）。"
    "哪些版次算头版、权重多少，见 data/prominence.toml。"
)
TABLE_LIMIT = 500  # rows shown on the page; downloads have all
CHART_LIMIT = 20  # places in the bar chart
KIND_CHOICES: tuple[str, ...] = schemas.KINDS
# Static help (our own text, never article text) shown with st.markdown; docs/SEARCH.md says the same.
SYNTAX_HELP_MD = r"""
| 写法 | 含义 | 例子 |
|---|---|---|
| 空格 | 并且：每个词都要出现 | `项目 投资` |
| `\|` | 或者：出现其中一个即可；比空格优先结合 | `项目 投资\|融资` ＝ 项目 并且（投资 或 融资） |
| `-词` | 不含这个词（减号和词之间不空格）；`-词1\|词2` 两个都不含 | `项目 -疫情` |
| `"短语"` | 整段文字原样查找，可含空格 | `"长三角 一体化"` |

- 查找范围：引题、主题、副题和正文；一段短语不会跨越标题和正文。
- 中文引号“”‘’「」和英文引号一样；全角、半角字符（｜－＂、全角空格、全角字母数字）一样；英文字母不分大小写。
- 按字查找，不分词：“项目”也会找到“项目部”。
- 只写排除词（如 `-疫情`）表示“其余筛选条件下不含这个词的全部文章”。
- 检索式写错（引号不成对、单独的 `|` 或 `-`）时，页面给出提示，不显示结果。
"""


# ---------------------------------------------------------------- URL ↔ view (declared on SearchView)


def context(
    *, first: dt.date | None = None, last: dt.date | None = None, **options: Iterable[str]
) -> viewspec.Context:
    """What the view's checks need: the values that exist for each field with ``options`` (by that
    name: ``themes=``, ``places=``, ``reporters=``, ``page_nos=`` …; the page's kinds are fixed; a
    name not given allows nothing), and the corpus' first and last day."""
    names = {p.options for _, p, _ in viewspec.params_of(search.SearchView) if p.options}
    given = {"theme_ids": "themes"}  # the older keyword for the theme ids
    lists = {given.get(k, k): list(v) for k, v in options.items()}
    return viewspec.Context(
        {**{n: () for n in names}, **lists, "kinds": KIND_CHOICES, "sorts": tuple(search.SORTS)}, first, last
    )


def parse_view(params: Mapping[str, str | Sequence[str]], **ctx) -> search.SearchView:
    """The view a URL asks for, keeping only values that exist (a 版次 as the corpus writes it: ``1``
    finds ``01``); dates clamped to ``first``..``last``.  No ``kinds`` parameter: news and
    commentary; ``kinds=`` (empty): every kind."""
    return viewspec.from_url(search.SearchView, params, context(**ctx))


def view_params(view: search.SearchView) -> dict[str, str]:
    """The URL parameters of a view: kinds always (empty = every kind), the rest when set."""
    return viewspec.to_url(view)


def with_article(view: search.SearchView, article: str | None) -> search.SearchView:
    return replace(view, article=article or "")


# ---------------------------------------------------------------- options


def kind_label(kind: str) -> str:
    return schemas.KIND_LABELS_ZH.get(kind, kind)


def place_options(places: pd.DataFrame, town_order: Sequence[str] = ()) -> dict[str, str]:
    """place → '乍浦镇（2,855 篇）': towns, streets and zones in gazetteer order, then villages and
    communities by articles."""
    from pinghu_core.search.places import place_counts

    counts = place_counts(places)
    n = dict(zip(counts["place"].astype(str), counts["articles"].astype(int), strict=True))
    towns = [t for t in town_order if t in n]
    others = [p for p in counts["place"].astype(str) if p not in set(towns)]
    return {p: f"{p}（{n[p]:,} 篇）" for p in (*towns, *others)}


def reporter_options(articles: pd.DataFrame) -> dict[str, str]:
    """reporter → '冯思家（123 篇）', most articles first."""
    names = articles["reporters"].explode().dropna().astype(str)
    counts = names.value_counts(sort=False)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {name: f"{name}（{n:,} 篇）" for name, n in ordered}


# ---------------------------------------------------------------- what the page says


def filters_zh(
    view: search.SearchView, theme_labels: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(what, value) for each filter, in Chinese: the 查询条件 of downloads and of the page — every
    field of the view that declares a ``label_zh``, in declaration order (a list filter without a
    rule here is written as its values, 、-separated, or 不限)."""
    theme_labels = theme_labels or {}
    parsed, problem = qy.try_parse(view.query)
    special = {
        "start": lambda: (
            dates_zh(view.start, view.end) if view.start or view.end else "全部日期（含日期未知的文章）"
        ),
        "kinds": lambda: "、".join(kind_label(k) for k in view.kinds) or "全部类型",
        "page_nos": lambda: page_nos_zh(view.page_nos) or "不限",
        "themes": lambda: "、".join(theme_labels.get(t, t) for t in view.themes) or "不限",
        "query": lambda: view.query or "（无）",
        "lead": lambda: "只要头条" if view.lead else "不限",
        "sort": lambda: search.SORTS.get(view.sort, view.sort),
    }
    out = []
    for name, p, _ in viewspec.params_of(search.SearchView):
        if not p.label_zh:
            continue
        out.append(
            (p.label_zh, special[name]() if name in special else "、".join(getattr(view, name)) or "不限")
        )
        if name == "query":
            out.append(("检索式解读", f"检索式有误：{problem}" if problem else qy.describe(parsed)))
    return out


def page_nos_zh(page_nos: Sequence[str]) -> str:
    """('01', '02') → '第01、02版'; () → ''."""
    return f"第{'、'.join(page_nos)}版" if page_nos else ""


def counts_zh(c: search.SearchCounts, view: search.SearchView) -> str:
    """'**12** 篇文章符合条件 / 全部日期内共 40 篇文章（新闻、评论）': articles in both layouts; the other
    items of whole-page files (导读, 广告 …, when those kinds are chosen) are counted apart as 条目."""
    kinds = "、".join(kind_label(k) for k in view.kinds) or "全部类型"
    span = dates_zh(view.start, view.end) if view.start or view.end else "全部日期"
    found = f"**{c.articles:,}** 篇文章符合条件" + (f"，另有 {c.others:,} 条其他条目" if c.others else "")
    scope = (
        f"{span}{'、' + page_nos_zh(view.page_nos) if view.page_nos else ''}内共 {c.scope_articles:,} 篇文章"
    )
    scope += f"、{c.scope_others:,} 条其他条目" if c.scope_others else ""
    return f"{found} / {scope}（{kinds}）"


def table_limit_zh(n: int) -> str:
    return capped_zh(TABLE_LIMIT, n)


def order_zh(view: search.SearchView) -> str:
    """How the table is ordered, for its caption.

    >>> order_zh(search.SearchView(sort="hits", query="项目"))
    '按检索词命中次数由多到少排列（次数相同按日期由近及远）'
    """
    if view.sort == "hits" and view.query:
        return "按检索词命中次数由多到少排列（次数相同按日期由近及远）"
    if view.sort == "prominence":
        return "按显著度排列：头条在前，其次头版文章、其他版面的文章，同等的按占版面字数、再按日期"
    return "按日期由近及远排列" + ("（没有检索式，无法按命中次数排序）" if view.sort == "hits" else "")


def prominence_zh(front: bool, lead: bool, rank: int, page_no: str) -> str:
    """Where the article stood: '头条', '头版第3篇', '第02版第1篇', '第2篇' (版次 unknown), '' (not ranked).

    >>> [prominence_zh(True, True, 1, ""), prominence_zh(True, False, 3, "01"), prominence_zh(False, False, 1, "02")]
    ['头条', '头版第3篇', '第02版第1篇']
    """
    if lead:
        return "头条"
    if rank <= 0:
        return ""
    where = "头版" if front else (shapes.page_no_label(page_no) if page_no else "")
    return f"{where}第{rank}篇"


def prominence_column(results: pd.DataFrame) -> list[str]:
    return [
        prominence_zh(bool(f), bool(ld), int(r), str(p))
        for f, ld, r, p in zip(
            results["front"], results["lead"], results["rank"], results["page_no"].astype(str), strict=True
        )
    ]


# ---------------------------------------------------------------- tables


def headline(kicker: str, title: str, subtitle: str) -> str:
    """'引题｜主题｜副题' without the empty parts; '（无标题）' when all are empty."""
    return "｜".join(p for p in (kicker, title, subtitle) if p) or "（无标题）"


def dates_zh_column(dates: pd.Series) -> list[str]:
    """format_date_zh for a whole column ('2020年7月22日'; unknown → '日期不详'), vectorised."""
    d = pd.to_datetime(dates)
    text = d.dt.year.astype("Int64").astype(str) + "年" + d.dt.month.astype("Int64").astype(str) + "月"
    text = text + d.dt.day.astype("Int64").astype(str) + "日"
    return [t if ok else format_date_zh(None) for t, ok in zip(text, d.notna(), strict=True)]


def result_table(results: pd.DataFrame, page_no: bool = False, hits: bool = False) -> pd.DataFrame:
    """The rows for ``st.dataframe``: Chinese headers, date (and 版次 when ``page_no``: the corpus has them),
    title with kicker/subtitle, where it stood (头条, 头版第3篇 …; the hits of the query's words when
    ``hits``), then the snippet with the hit in 【】 (next to the title, so it is seen
    without scrolling), kind, themes, reporters, places, characters."""
    table = pd.DataFrame(
        {
            "日期": dates_zh_column(results["date"]),
            "标题": [
                headline(k, t, s)
                for k, t, s in zip(results["kicker"], results["title"], results["subtitle"], strict=True)
            ],
            "摘要（命中处以【】标出）": results["snippet"].astype("string").to_numpy(),
            "类型": [kind_label(str(k)) for k in results["kind"]],
            "政策主题": results["themes"].astype("string").to_numpy(),
            "记者": results["reporters"].astype("string").to_numpy(),
            "地点": results["places"].astype("string").to_numpy(),
            "字数": results["chars"].astype("int64").to_numpy(),
        }
    )
    table.insert(1, "位置", prominence_column(results))
    if hits:
        table.insert(2, "命中次数", results["hits"].astype("int64").to_numpy())
    if page_no:
        table.insert(1, "版次", results["page_no"].astype("string").to_numpy())
    return table


def _bodies(results: pd.DataFrame, articles: pd.DataFrame) -> list[str]:
    body = articles.set_index("article_id")["body"]
    return [str(body.get(a, "")) for a in results["article_id"].astype(str)]


def download_table(
    results: pd.DataFrame, articles: pd.DataFrame | None = None, *, bodies: bool = False
) -> pd.DataFrame:
    """Every result row for CSV/XLSX: Chinese headers, names joined with '、'; 正文 when ``bodies``."""
    out = pd.DataFrame(
        {
            "编号": results["article_id"].astype("string").to_numpy(),
            "日期": day_values(results["date"]),
            "版次": results["page_no"].astype("string").to_numpy(),
            "类型": [kind_label(str(k)) for k in results["kind"]],
            "引题": results["kicker"].astype("string").to_numpy(),
            "主题": results["title"].astype("string").to_numpy(),
            "副题": results["subtitle"].astype("string").to_numpy(),
            "政策主题": results["themes"].astype("string").to_numpy(),
            "记者": results["reporters"].astype("string").to_numpy(),
            "地点": results["places"].astype("string").to_numpy(),
            "字数": results["chars"].astype("int64").to_numpy(),
            "位置": prominence_column(results),
            "头条": ["是" if x else "否" for x in results["lead"]],
            "版面位次": results["rank"].astype("int64").to_numpy(),
            "显著度权重": results["weight"].astype("float64").to_numpy(),
            "命中次数": results["hits"].astype("int64").to_numpy(),
            "摘要": results["snippet"].astype("string").to_numpy(),
            "来源文件": results["source"].astype("string").to_numpy(),
        }
    )
    if bodies and articles is not None:
        out["正文"] = _bodies(results, articles)
    return out


def _names(cell: object) -> list[str]:
    return [x for x in str(cell).split(search.LIST_SEP) if x]


def export_records(
    results: pd.DataFrame, articles: pd.DataFrame | None = None, *, bodies: bool = False
) -> list[dict]:
    """One JSON record per result row (English keys, names as lists, text exactly as printed)."""
    body = _bodies(results, articles) if bodies and articles is not None else None
    records = []
    for i, row in enumerate(results.to_dict("records")):
        rec = {
            "id": str(row["article_id"]),
            "date": row["date"].date().isoformat() if pd.notna(row["date"]) else None,
            "page_no": str(row["page_no"]),
            "kind": str(row["kind"]),
            "kicker": str(row["kicker"]),
            "title": str(row["title"]),
            "subtitle": str(row["subtitle"]),
            "themes": _names(row["themes"]),
            "reporters": _names(row["reporters"]),
            "places": _names(row["places"]),
            "chars": int(row["chars"]),
            "front": bool(row["front"]),
            "lead": bool(row["lead"]),
            "rank": int(row["rank"]),
            "weight": float(row["weight"]),
            "hits": int(row["hits"]),
            "snippet": str(row["snippet"]),
            "source": str(row["source"]),
        }
        if body is not None:
            rec["body"] = body[i]
        records.append(rec)
    return records


@dataclass(frozen=True)
class Snapshot:
    """The corpus and dictionaries a download was made from."""

    files: int
    newest: dt.date | None
    themes_version: str
    places_version: str


def snapshot(report: pd.DataFrame, pages: pd.DataFrame, themes_version: str, places_version: str) -> Snapshot:
    dates = pages["date"].dropna()
    return Snapshot(len(report), dates.max().date() if len(dates) else None, themes_version, places_version)


def conditions_table(
    view: search.SearchView,
    rows: int,
    snap: Snapshot,
    theme_labels: Mapping[str, str] | None = None,
    *,
    bodies: bool = False,
    made: dt.datetime | None = None,
) -> pd.DataFrame:
    """The 查询条件 sheet: the filters, the query as parsed, the corpus snapshot and versions."""
    made = made or dt.datetime.now().replace(microsecond=0)
    items = [
        *filters_zh(view, theme_labels),
        ("结果篇数", f"{rows:,}"),
        ("含正文", "是" if bodies else "否"),
        ("语料文件数", f"{snap.files:,}"),
        ("语料最新日期", format_date_zh(snap.newest)),
        ("主题词典版本", snap.themes_version or "（主题词典不可用）"),
        ("地名词表版本", snap.places_version or "（地名词表不可用）"),
        ("看板版本", settings.APP_VERSION),
        ("导出时间", made.isoformat(sep=" ")),
    ]
    return pd.DataFrame(items, columns=["项目", "内容"])


def file_stem(view: search.SearchView) -> str:
    return f"文章检索_{(iso(view.start) or '全部')}_{(iso(view.end) or '全部')}"


# ---------------------------------------------------------------- reader


@dataclass(frozen=True)
class ArticleDetail:
    article_id: str
    headline: list[tuple[str, str]]  # (引题/主题/副题, text), only those printed
    bylines: list[tuple[str, str]]  # (记者/通讯员/…, names)
    meta: list[str]  # date (and how it was found), page, kind, column
    body: str  # hits in 【】
    same_page: pd.DataFrame  # the other items (article files: articles) of its 版面: 顺序, 类型, 标题
    same_page_ids: list[str]
    same_page_label: str = "同一版面的其他条目"  # what same_page lists, in Chinese


BYLINES = (
    ("reporters", "记者"),
    ("correspondents", "通讯员"),
    ("photographers", "摄影"),
    ("interns", "实习生"),
    ("authors", "作者"),
)


def confidence_line(confidence: float, doubts: str) -> str:
    """'解析置信度：100%' or '解析置信度：60%（疑点：…）' for the reader."""
    return f"解析置信度：{confidence:.0%}" + (f"（疑点：{doubts}）" if doubts else "")


def _date_line(row: Mapping) -> str:
    date = format_date_zh(row["date"])
    source = str(row["date_source"])
    label = schemas.DATE_SOURCE_LABELS_ZH.get(source, source)
    if source == "inferred":
        return f"日期：{date}（由正文推断，置信度 {float(row['date_confidence']):.0%}）"
    if source == "unknown":
        return "日期：无法确定"
    return f"日期：{date}（来自{label}）"


def article_detail(
    articles: pd.DataFrame,
    pages: pd.DataFrame,
    article_id: str,
    query_text: str = "",
    paper: shapes.PaperPages | None = None,
) -> ArticleDetail | None:
    """Everything the reader shows of one article; None when there is no such article.

    ``paper``: ``shapes.paper_pages(pages, articles)`` when the caller has it (else it is computed):
    the other articles of an article file's 版面 are the files with the same date and 版次."""
    rows = articles[articles["article_id"] == article_id]
    if rows.empty:
        return None
    paper = paper if paper is not None else shapes.paper_pages(pages, articles)
    row = rows.iloc[0].to_dict()
    parsed, _ = qy.try_parse(query_text)
    terms = parsed.hit_terms
    headline_parts = [
        (label, search.mark_hits(str(row[c]), terms))
        for c, label in (("kicker", "引题"), ("title", "主题"), ("subtitle", "副题"))
        if row[c]
    ]
    bylines = [(label, "、".join(row[c])) for c, label in BYLINES if len(row[c])]
    page = pages[pages["page_id"] == row["page_id"]]
    page_no = str(row["page_no"])
    article_file = len(page) > 0 and str(page["shape"].iloc[0]) == shapes.ARTICLE
    meta = [
        _date_line(row),
        f"{'文章文件' if article_file else '版面文件'}：{row['source']}"
        + (f"（第{page_no}版）" if page_no else ""),
        f"类型：{kind_label(str(row['kind']))}"
        + (f" · 栏目：{row['column_name']}" if row["column_name"] else ""),
        f"字数：{int(row['chars']):,}" + ("（署名为推断）" if row["byline_inferred"] else ""),
        *([f"署名原文：{row['byline_text']}"] if row["byline_text"] else []),
        confidence_line(float(row["confidence"]), str(row["doubts"])),
    ]
    on_page = (paper.of_article == paper.of_article.loc[rows.index[0]]).fillna(False).to_numpy(dtype=bool)
    others = articles[on_page & (articles["article_id"] != article_id).to_numpy()]
    others = others.sort_values(["order", "source"])
    same = pd.DataFrame(
        {
            "顺序": (others["order"].astype("int64") + 1).to_numpy(),
            "类型": [kind_label(str(k)) for k in others["kind"]],
            "标题": [
                headline(k, t, s) if (k or t or s) else str(b)[:40]
                for k, t, s, b in zip(
                    others["kicker"], others["title"], others["subtitle"], others["body"], strict=True
                )
            ],
        }
    )
    return ArticleDetail(
        article_id=article_id,
        headline=headline_parts,
        bylines=bylines,
        meta=meta,
        body=search.mark_hits(str(row["body"]), terms),
        same_page=same,
        same_page_ids=others["article_id"].astype(str).tolist(),
        same_page_label="同一版面的其他文章" if article_file else "同一版面的其他条目",
    )


# ---------------------------------------------------------------- chart


def place_chart(counts: pd.DataFrame, total: int) -> go.Figure:
    """Horizontal bars: articles naming each place among the matching ones (the top CHART_LIMIT)."""
    top = counts.head(CHART_LIMIT).iloc[::-1]
    labels = [f"{p}（{k}）" for p, k in zip(top["place"], top["place_kind"], strict=True)]
    values = [int(v) for v in top["articles"]]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            text=[f"{v:,}" for v in values],
            textposition="outside",
            cliponaxis=False,
            marker={"color": ACCENT},
            customdata=[[int(m)] for m in top["mentions"]],
            hovertemplate="%{y}<br>提到它的文章：%{x:,} 篇<br>提及次数：%{customdata[0]:,}<extra></extra>",
            name="文章数",
        )
    )
    shown = f"前 {CHART_LIMIT} 个" if len(counts) > CHART_LIMIT else f"{len(counts)} 个"
    base_layout(
        fig,
        f"提到各地点的文章数（当前 {total:,} 篇符合条件的文章中；{shown}地点）",
        height=max(260, 60 + 26 * len(values)),
    )
    top = max(values, default=1)
    fig.update_xaxes(
        title_text="文章数（篇；一篇提到多次只算一篇）",
        rangemode="tozero",
        gridcolor="#e5e5e5",
        tickformat=",d",
        tick0=0,
        dtick=count_step(top),
        range=[0, top * 1.15],
    )
    fig.update_yaxes(title_text="", automargin=True)
    return wan_axis(fig, "x", top)


# ---------------------------------------------------------------- downloads (the page and pinghu export)

FORMATS: dict[str, tuple[str, str]] = {  # format → (file suffix, MIME type)
    "csv": (".csv", "text/csv"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jsonl": (".jsonl", "application/jsonl"),
}
RESULT_SHEET, CONDITIONS_SHEET = "文章", "查询条件"


def download_bytes(
    fmt: str,
    results: pd.DataFrame,
    articles: pd.DataFrame,
    view: search.SearchView,
    snap: Snapshot,
    theme_labels: Mapping[str, str] | None = None,
    *,
    bodies: bool = False,
) -> bytes:
    """The matching articles as CSV (UTF-8 with BOM), XLSX (sheet 文章 + sheet 查询条件) or JSON Lines;
    spreadsheet cells that look like formulas are neutralised (exports.py), JSON keeps the text as is."""
    from pinghu_core.common import exports

    if fmt == "jsonl":
        return exports.jsonl_bytes(export_records(results, articles, bodies=bodies))
    table = download_table(results, articles, bodies=bodies)
    if fmt == "csv":
        return exports.csv_bytes(table)
    if fmt == "xlsx":
        conditions = conditions_table(view, len(results), snap, theme_labels, bodies=bodies)
        return exports.xlsx_bytes(table, RESULT_SHEET, {CONDITIONS_SHEET: conditions})
    raise ValueError(f"unknown format {fmt!r}")

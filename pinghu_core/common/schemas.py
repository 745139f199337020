"""The one place that says what each frame contains.

Every builder ends with ``conform(df, SPEC)``: columns in the declared order, the declared
dtypes, and nothing else.  Column names are English snake_case; the Chinese labels shown
to people live in ``LABELS_ZH``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Kinds of items on a page.  Order matters: it is the order the dashboard lists them in.
KINDS: tuple[str, ...] = ("news", "photo", "commentary", "guide", "ad", "weather", "masthead", "other")
# ingest_report.status in words.
STATUS_LABELS_ZH: dict[str, str] = {"ok": "正常", "warning": "警告", "error": "错误"}
KIND_LABELS_ZH: dict[str, str] = {
    "news": "新闻",
    "photo": "图片新闻",
    "commentary": "评论",
    "guide": "导读",
    "ad": "广告",
    "weather": "天气",
    "masthead": "报头",
    "other": "其他",
}
DATE_SOURCES: tuple[str, ...] = ("manifest", "filename", "inferred", "unknown")
LAYOUTS: tuple[str, ...] = ("clean", "pdf")
# A file holds a whole page (several items) or one article (an e-paper crawl: one article a file).
SHAPES: tuple[str, ...] = ("page", "article")
# In a whole-page file, the items that are articles (the rest are guides, ads, weather, mastheads …);
# in an article file the file is the article, whatever its kind.
ARTICLE_KINDS: tuple[str, ...] = ("news", "photo", "commentary")
STATUSES: tuple[str, ...] = ("ok", "warning", "error")
DATE_SOURCE_LABELS_ZH: dict[str, str] = {
    "manifest": "清单文件",
    "filename": "文件名",
    "inferred": "正文推断",
    "unknown": "无法确定",
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # a pandas dtype string, or "list" for a column of lists of str
    label_zh: str
    doc: str
    # fixed categories for dtype "category"; none: an open set — a text column whose values repeat
    # (a sentence naming three people is on three rows, a name on thousands), kept once per value
    categories: tuple[str, ...] = ()
    default: str = ""  # for dtype "category": the value a missing cell takes ('' = none)


@dataclass(frozen=True)
class FrameSpec:
    name: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def empty(self) -> pd.DataFrame:
        return conform(pd.DataFrame({c.name: [] for c in self.columns}), self)


STR = "string"
DATE = "datetime64[ns]"

ARTICLES = FrameSpec(
    "articles",
    (
        Column("article_id", STR, "编号", "stable id: page_id + '-' + two-digit order on the page"),
        Column("page_id", STR, "版面编号", "first 16 hex digits of the SHA-256 of the file's bytes"),
        Column("source", STR, "来源文件", "path of the file, relative to the corpus folder (or as given)"),
        Column("date", DATE, "日期", "page date (NaT when unknown)"),
        Column(
            "date_source", "category", "日期来源", "manifest, filename, inferred or unknown", DATE_SOURCES
        ),
        Column("date_confidence", "float64", "日期置信度", "0..1; 1.0 for manifest and filename"),
        Column("kind", "category", "类型", "one of KINDS", KINDS),
        Column("column_name", STR, "栏目", "series or column banner printed with the item (栏目)"),
        Column("kicker", STR, "引题", "引题, the line above the title"),
        Column("title", STR, "主题", "主题, the main title"),
        Column("subtitle", STR, "副题", "副题, the line below the title"),
        Column("reporters", "list", "记者", "记者 and 见习记者, in print order"),
        Column("correspondents", "list", "通讯员", "通讯员"),
        Column("photographers", "list", "摄影", "摄影"),
        Column("interns", "list", "实习生", "实习生"),
        Column("authors", "list", "作者", "pen names and other signed authors (评论员 言成声)"),
        Column(
            "byline_inferred", "bool", "署名为推断", "byline was printed away from the item and matched to it"
        ),
        Column(
            "body",
            STR,
            "正文",
            "repaired text: hard wraps joined, doubled runs undone, punctuation normalised",
        ),
        Column(
            "page_no", STR, "版次", "page number (版次) from the manifest or the file name ('' when unknown)"
        ),
        Column(
            "byline_text", STR, "署名原文", "the byline lines as printed (■记者 …); names are parsed from it"
        ),
        Column(
            "confidence",
            "float64",
            "解析置信度",
            "0..1: how sure the parser is of this item's boundaries and parts",
        ),
        Column(
            "doubts", STR, "解析疑点", "why the parser is unsure, in Chinese, '；'-separated ('' when sure)"
        ),
        Column("order", "int32", "版面顺序", "0-based order of the item on the page (or in its file)"),
        Column("chars", "int32", "字数", "characters in body (no whitespace)"),
        Column("continued", "bool", "转版", "the item continues on another page (下转X版)"),
        Column("duplicates_dropped", "int32", "删除重复段", "repeated passages dropped from body"),
        Column("lines", STR, "原文行", "1-based line numbers of the raw file this item owns, e.g. '3-9,12'"),
        Column("raw_chars", "int32", "原文字符", "characters of the raw file owned by this item"),
    ),
)

PAGES = FrameSpec(
    "pages",
    (
        Column("page_id", STR, "版面编号", "first 16 hex digits of the SHA-256 of the file's bytes"),
        Column("source", STR, "来源文件", "path relative to the corpus folder (or as given)"),
        Column("date", DATE, "日期", "page date (NaT when unknown)"),
        Column(
            "date_source", "category", "日期来源", "manifest, filename, inferred or unknown", DATE_SOURCES
        ),
        Column("date_confidence", "float64", "日期置信度", "0..1"),
        Column("date_evidence", STR, "日期依据", "human-readable evidence for the date, in Chinese"),
        Column(
            "date_day",
            STR,
            "正文日期线索",
            "inferred dates: the month-day the text gives and the days after it, '10-01+1' ('' otherwise)",
        ),
        Column("page_no", STR, "版次", "page number from the manifest, if given"),
        Column("edition", STR, "版别", "edition from the manifest, if given"),
        Column("encoding", STR, "编码", "encoding the file was read with"),
        Column(
            "shape",
            "category",
            "文件形态",
            "page (a whole page a file) or article (one article a file)",
            SHAPES,
            "page",
        ),
        Column("layout", "category", "版式", "clean or pdf (hard-wrapped extraction)", LAYOUTS),
        Column("items", "int32", "条目数", "items found on the page"),
        *(Column(f"n_{k}", "int32", f"{KIND_LABELS_ZH[k]}数", f"items of kind {k}") for k in KINDS),
        Column("raw_chars", "int64", "原文字符", "characters in the decoded file"),
        Column(
            "coverage",
            "float64",
            "覆盖率",
            "share of the file's non-blank characters accounted for exactly once: in an item's field or a recorded repair",
        ),
        Column("repair_count", "int32", "修复处数", "repairs made to the extracted text (see repairs)"),
        Column("repairs", STR, "修复记录", "repairs by kind with counts, in Chinese ('' when none)"),
        Column("problems", STR, "问题", "problems found while parsing, '；'-separated, in Chinese"),
    ),
)

INGEST_REPORT = FrameSpec(
    "ingest_report",
    (
        Column("source", STR, "文件", "path relative to the corpus folder (or as given)"),
        Column("status", "category", "状态", "ok, warning or error", STATUSES),
        Column("code", STR, "代码", "machine-readable problem code ('' when ok)"),
        Column("message", STR, "说明", "what happened, in Chinese"),
        Column("encoding", STR, "编码", "detected encoding"),
        Column("bytes", "int64", "字节数", "file size"),
        Column("cached", "bool", "来自缓存", "loaded from the cache without re-parsing"),
    ),
)

ARTICLE_COPIES = FrameSpec(
    "article_copies",
    (
        Column("article_id", STR, "编号", "the copy left out of the frames (corpus.copies)"),
        Column("source", STR, "来源文件", "the file it was in"),
        Column("kept_article_id", STR, "计入的编号", "the article of the same 版面 and text that is counted"),
        Column("kept_source", STR, "计入的文件", "the file that article is in"),
    ),
)

ARTICLE_THEMES = FrameSpec(
    "article_themes",
    (
        Column("article_id", STR, "编号", "article_id of the tagged item (news, photo or commentary only)"),
        Column("theme_id", STR, "主题编号", "theme id from data/themes.toml, or 'slogan:' + slogan"),
        Column("theme_label", STR, "主题", "the theme's Chinese label (a slogan in quotation marks)"),
        Column("theme_group", STR, "主题分组", "the theme's group (经济发展, 民生 …; 口号 for slogans)"),
        Column("title_hits", "int32", "标题命中", "keyword/alias hits in kicker + title + subtitle"),
        Column("body_hits", "int32", "正文命中", "keyword/alias hits in the body"),
        Column("hits", "int32", "命中次数", "title_hits + body_hits"),
        Column("weight", "float64", "加权命中", "TITLE_WEIGHT (3) * title_hits + body_hits"),
        Column("in_title", "bool", "标题中出现", "at least one hit in kicker, title or subtitle"),
        Column(
            "terms", STR, "命中词", "distinct matched keywords/aliases, in order of first hit, joined by '、'"
        ),
    ),
)

SLOGAN_KINDS: tuple[str, ...] = ("quote", "document")
SLOGANS = FrameSpec(
    "slogans",
    (
        Column(
            "slogan", STR, "口号", "quoted term without its quotation marks; document titles keep their 《》"
        ),
        Column("kind", "category", "类别", "quote (“…”) or document (《…》)", SLOGAN_KINDS),
        Column("first_date", DATE, "首次出现", "earliest dated article quoting it"),
        Column("last_date", DATE, "最近出现", "latest dated article quoting it"),
        Column("articles", "int32", "文章数", "distinct articles quoting it"),
        Column("mentions", "int32", "出现次数", "quoted occurrences over all articles"),
        Column("article_ids", "list", "文章编号", "article_id of those articles, by date"),
    ),
)

TIMELINE = FrameSpec(
    "timeline",
    (
        Column("series_id", STR, "序列编号", "theme id or 'slogan:' + slogan"),
        Column("series_label", STR, "序列", "Chinese label of the theme or slogan"),
        Column("period", STR, "时期", "period label: 2020年第30周, 2020年7月, 2020年第3季度, 2020年"),
        Column("period_start", DATE, "时期起始", "first day of the period (weeks start on Monday)"),
        Column("value", "float64", "数值", "the measure; NaN when the corpus has no page in the period"),
        Column(
            "numerator",
            "float64",
            "分子",
            "matching articles (count, share_news) or their body characters (share_chars); NaN without pages",
        ),
        Column(
            "denominator",
            "float64",
            "分母",
            "news+photo+commentary items (share_news) or body characters of all items (share_chars) in the period; count: same as share_news; NaN without pages",
        ),
        Column("has_pages", "bool", "有版面", "the corpus has at least one dated page in the period"),
    ),
)

SERIES_TOTALS = FrameSpec(
    "series_totals",
    (
        Column("series_id", STR, "序列编号", "theme id, 'slogan:' + slogan or 'query:' + query"),
        Column("series_label", STR, "序列", "the series' Chinese label"),
        Column(
            "numerator", "float64", "分子合计", "the timeline's numerators summed over the periods with pages"
        ),
        Column(
            "denominator", "float64", "分母合计", "the timeline's denominators summed over the same periods"
        ),
        Column("value", "float64", "占比", "numerator / denominator (NaN when the denominator is 0)"),
        Column("periods", "int64", "有版面的时段数", "periods with pages"),
        Column("active", "int64", "出现的时段数", "periods with a numerator above 0"),
    ),
)

PERIOD_ARTICLES = FrameSpec(
    "period_articles",
    (
        Column("article_id", STR, "编号", "article_id"),
        Column("date", DATE, "日期", "page date"),
        Column("source", STR, "来源文件", "page file"),
        Column(
            "title", STR, "标题", "main title (or subtitle, kicker, start of the body when there is none)"
        ),
        Column("kind", "category", "类型", "one of KINDS", KINDS),
        Column("series_label", STR, "主题", "the theme or slogan it matched"),
        Column("terms", STR, "命中词", "matched keywords, '、'-separated"),
        Column(
            "kwic",
            STR,
            "上下文",
            "keyword in context: hits wrapped in 【】, ~30 characters each side, ' … ' between lines",
        ),
    ),
)

COOCCURRENCE = FrameSpec(
    "cooccurrence",
    (
        Column("theme_a", STR, "主题甲编号", "theme id"),
        Column("theme_b", STR, "主题乙编号", "theme id"),
        Column("label_a", STR, "主题甲", "label of theme_a"),
        Column("label_b", STR, "主题乙", "label of theme_b"),
        Column(
            "articles",
            "int32",
            "共同文章数",
            "articles tagged with both (theme_a == theme_b: with that theme)",
        ),
    ),
)

KEYWORD_REPORT = FrameSpec(
    "keyword_report",
    (
        Column("keyword", STR, "关键词", "a keyword or alias of a theme"),
        Column("theme_id", STR, "主题编号", "theme id"),
        Column("theme_label", STR, "主题", "theme label"),
        Column(
            "occurrences",
            "int32",
            "出现句数",
            "sentences of the corpus containing it (outside a longer keyword)",
        ),
        Column("sampled", "int32", "检查句数", "sentences segmented to check it (at most the sample size)"),
        Column(
            "whole", "int32", "完整句数", "sampled sentences where jieba kept every occurrence as one token"
        ),
        Column("survives", "bool", "保持完整", "whole > 0"),
        Column(
            "split_example",
            STR,
            "切分示例",
            "how jieba split it, e.g. '民生 / 共享 / 工程' ('' when never split)",
        ),
        Column(
            "sentence", STR, "例句", "an example sentence (one where it was split, if any), keyword in 【】"
        ),
    ),
)

PROGRESS_STATUSES: tuple[str, ...] = ("", "done", "planned")
PROGRESS = FrameSpec(
    "progress",
    (
        Column(
            "figure_id", STR, "数据编号", "article_id + '-' + three-digit order of the figure in the article"
        ),
        Column("article_id", STR, "文章编号", "article the figure comes from"),
        Column("page_id", STR, "版面编号", "page of that article"),
        Column("source", STR, "来源文件", "page file"),
        Column("date", DATE, "日期", "page date (NaT when unknown)"),
        Column("subject", STR, "项目", "named project or project group as printed (or the article title)"),
        Column("project_id", STR, "项目编号", "id from data/projects.toml, 'auto:' + normalised name, or ''"),
        Column("scope", STR, "数量", "how many projects a group counts, e.g. '118个' ('' for one project)"),
        Column(
            "metric",
            STR,
            "指标",
            "completion_pct, investment_total/planned/completed, count_*, growth_pct, share_pct, rate_pct, reduction_pct or milestone",
        ),
        Column("value", "float64", "数值", "the figure (亿元 for amounts; NaN for milestones)"),
        Column("unit", STR, "单位", "%, 亿元, 亿美元, 个 ('' for milestones)"),
        Column("period", STR, "统计期", "reference period as printed: 1至6月份, 上半年, 前三季度, 截至6月底"),
        Column("sentence", STR, "原句", "the sentence the figure comes from"),
        Column("value_start", "int32", "起始位置", "offset of the value (or event word) in sentence"),
        Column("value_end", "int32", "结束位置", "offset just after the value (or event word) in sentence"),
        Column(
            "event",
            STR,
            "节点",
            "milestone: 开工, 主体结构封顶, 主体完工, 竣工, 投产, 开馆, 投入使用 ('' for figures)",
        ),
        Column(
            "status", "category", "状态", "milestone: done or planned ('' for figures)", PROGRESS_STATUSES
        ),
        Column("when", STR, "时间", "the date or month the milestone names, as printed (今年8月)"),
        Column(
            "when_date",
            DATE,
            "时间（日期）",
            "when resolved against the page date (first of the month); NaT if unknown",
        ),
    ),
)

TERM_COUNTS = FrameSpec(
    "term_counts",
    (
        Column("rank", "int32", "排名", "1 = the heaviest term by the chosen weight"),
        Column(
            "term",
            STR,
            "词语",
            "a token of the segmented text (stopwords, numbers, punctuation, one-character tokens left out)",
        ),
        Column(
            "pos",
            STR,
            "词性",
            "part-of-speech tag: user dictionary, jieba dictionary, else a guess from the ending (x = unknown)",
        ),
        Column("count", "int64", "出现次数", "occurrences in the filtered articles"),
        Column("documents", "int64", "文章数", "filtered articles containing it"),
        Column("tfidf", "float64", "TF-IDF权重", "count × ln(all articles / corpus articles containing it)"),
        Column("corpus_documents", "int64", "全库文章数", "articles of the whole corpus containing it"),
    ),
)

RISING_TERMS = FrameSpec(
    "rising_terms",
    (
        Column("rank", "int32", "排名", "1 = the largest G² among the terms that rose"),
        Column("term", STR, "词语", "the term"),
        Column("pos", STR, "词性", "part-of-speech tag"),
        Column("earlier_count", "int64", "前期次数", "occurrences in the earlier period's articles"),
        Column("later_count", "int64", "后期次数", "occurrences in the later period's articles"),
        Column(
            "earlier_per_million",
            "float64",
            "前期每百万词",
            "earlier_count per million counted tokens of the earlier period",
        ),
        Column(
            "later_per_million",
            "float64",
            "后期每百万词",
            "later_count per million counted tokens of the later period",
        ),
        Column("change_per_million", "float64", "每百万词变化", "later_per_million − earlier_per_million"),
        Column(
            "ratio",
            "float64",
            "倍数",
            "later rate / earlier rate (NaN when the term is new in the later period)",
        ),
        Column(
            "g2",
            "float64",
            "对数似然G²",
            "Dunning's log-likelihood of the difference (larger = more certain)",
        ),
    ),
)

KWIC = FrameSpec(
    "kwic",
    (
        Column("article_id", STR, "文章编号", "article_id"),
        Column("date", DATE, "日期", "page date"),
        Column("title", STR, "标题", "main title (or subtitle, kicker)"),
        Column("left", STR, "左侧上下文", "up to 40 characters before the word, within its sentence"),
        Column("word", STR, "词语", "the word, as one token of the segmentation"),
        Column("right", STR, "右侧上下文", "up to 40 characters after the word, within its sentence"),
        Column("line", STR, "上下文", "left + 【word】 + right"),
    ),
)

QUOTE_HITS = FrameSpec(
    "quote_hits",
    (
        Column("article_id", STR, "编号", "article_id of a news, photo or commentary item quoting it"),
        Column("slogan", STR, "口号", "as in SLOGANS: the quoted term, or the document title with its 《》"),
        Column("kind", "category", "类别", "quote (“…”) or document (《…》)", SLOGAN_KINDS),
    ),
)

ARTICLE_DOCUMENTS = FrameSpec(
    "article_documents",
    (
        Column("article_id", STR, "编号", "article_id of a news, photo or commentary item naming it"),
        Column("title", STR, "文件名", "the title with its 《》, as printed (slogans.document_titles)"),
    ),
)

TEXT_DIGESTS = FrameSpec(
    "text_digests",
    (
        Column("article_id", STR, "编号", "article_id, in the articles' order"),
        Column(
            "digest",
            STR,
            "文本摘要",
            "blake2b (10 bytes, hex) of the text the word index segments: titles and body (words.index.text_digest)",
        ),
    ),
)

ARTICLE_PLACES = FrameSpec(
    "article_places",
    (
        Column("article_id", STR, "编号", "article_id of the item naming the place"),
        Column(
            "place",
            STR,
            "地点",
            "standard name from data/places.toml, or the village/community as written (芦湾村)",
        ),
        Column(
            "place_kind",
            STR,
            "地点类型",
            "街道, 镇, 开发区, 度假区, 园区 (from data/places.toml), 村 or 社区",
        ),
        Column(
            "parent",
            STR,
            "所属镇街",
            "for a village/community: the town or street written right before it ('' if none)",
        ),
        Column("mentions", "int32", "提及次数", "times the place is named in 引题 + 主题 + 副题 + 正文"),
    ),
)

PLACE_COUNTS = FrameSpec(
    "place_counts",
    (
        Column("place", STR, "地点", "as in article_places"),
        Column("place_kind", STR, "地点类型", "as in article_places"),
        Column("articles", "int64", "文章数", "articles naming the place"),
        Column("mentions", "int64", "提及次数", "mentions over those articles"),
    ),
)

SEARCH_RESULTS = FrameSpec(
    "search_results",
    (
        Column("article_id", STR, "编号", "article_id"),
        Column("page_id", STR, "版面编号", "page of the article"),
        Column("source", STR, "来源文件", "page file"),
        Column("date", DATE, "日期", "page date (NaT when unknown)"),
        Column(
            "date_source", "category", "日期来源", "manifest, filename, inferred or unknown", DATE_SOURCES
        ),
        Column("date_confidence", "float64", "日期置信度", "0..1"),
        Column("kind", "category", "类型", "one of KINDS", KINDS),
        Column("column_name", STR, "栏目", "栏目 printed with the item"),
        Column("kicker", STR, "引题", "引题"),
        Column("title", STR, "主题", "主题 (main title)"),
        Column("subtitle", STR, "副题", "副题"),
        Column("reporters", STR, "记者", "记者 and 见习记者, joined by '、'"),
        Column(
            "page_no", STR, "版次", "page number (版次) from the manifest or the file name ('' when unknown)"
        ),
        Column("order", "int32", "版面顺序", "0-based order on the page"),
        Column("chars", "int32", "字数", "characters in the body"),
        Column(
            "themes", STR, "政策主题", "labels of the policy themes tagged (data/themes.toml), joined by '、'"
        ),
        Column("places", STR, "地点", "places named (data/places.toml), towns first, joined by '、'"),
        Column("front", "bool", "头版", "on a 头版 (corpus.prominence)"),
        Column("lead", "bool", "头条", "the 头条 of its 头版 (corpus.prominence)"),
        Column("rank", "int32", "版面位次", "1-based order among its 版面's articles; 0 for other items"),
        Column("weight", "float64", "显著度权重", "prominence weight (data/prominence.toml)"),
        Column(
            "hits",
            "int32",
            "命中次数",
            "occurrences of the query's words (not the excluded ones); 0 without a query",
        ),
        Column(
            "snippet",
            STR,
            "摘要",
            "~30 characters either side of the first query hit (in 【】); without a query the start of the body",
        ),
    ),
)

UPLOAD_REPORT = FrameSpec(
    "upload_report",
    (
        Column("source", STR, "文件", "the file as written, relative to the corpus folder"),
        Column("original", STR, "上传的文件名", "the name the browser sent"),
        Column("status", "category", "状态", "ok, warning or error (the ingest's verdict)", STATUSES),
        Column("message", STR, "说明", "what happened, in Chinese"),
        Column("encoding", STR, "编码", "detected encoding"),
        Column("bytes", "int64", "字节数", "file size"),
        Column("date", DATE, "版面日期", "page date the ingest found (NaT when unknown)"),
        Column(
            "date_source", "category", "日期来源", "manifest, filename, inferred or unknown", DATE_SOURCES
        ),
        Column("items", "int32", "条目数", "items found on the page"),
    ),
)

ABOUT = FrameSpec(
    "about",
    (
        Column("item", STR, "项目", "what is in use"),
        Column("value", STR, "内容", "its version, digest or value, in Chinese"),
        Column("location", STR, "位置", "file or folder ('' for plain values)"),
        Column("source", STR, "设置来源", "default, config file, secrets or environment variable"),
    ),
)

TREND_DIRECTIONS = ("上升", "下降", "持平")
TREND_FLAGS = ("新出现", "消失", "")
TRENDS = FrameSpec(
    "trends",
    (
        Column("series_id", STR, "序列编号", "theme id, 'slogan:' + slogan"),
        Column("series_label", STR, "序列", "Chinese label of the theme or slogan"),
        Column("series_kind", STR, "类型", "主题, 口号 or 检索式"),
        Column(
            "earlier_count",
            "int64",
            "前期数量",
            "matching articles (or their characters) in the earlier period",
        ),
        Column(
            "later_count", "int64", "后期数量", "matching articles (or their characters) in the later period"
        ),
        Column(
            "earlier_total",
            "int64",
            "前期总数",
            "the earlier period's news articles (or front-page characters)",
        ),
        Column(
            "later_total", "int64", "后期总数", "the later period's news articles (or front-page characters)"
        ),
        Column("earlier_share", "float64", "前期占比", "earlier_count / earlier_total (0.25 = 25%)"),
        Column("later_share", "float64", "后期占比", "later_count / later_total"),
        Column("change", "float64", "占比变化", "later_share − earlier_share (0.05 = 5 percentage points)"),
        Column(
            "g2",
            "float64",
            "对数似然G²",
            "log-likelihood G² of the 2×2 table (matched or not × period; ≥ 3.84: p < 0.05)",
        ),
        Column("direction", "category", "方向", "上升, 下降 or 持平", TREND_DIRECTIONS),
        Column("flag", "category", "标记", "新出现 (none earlier), 消失 (none later) or ''", TREND_FLAGS),
    ),
)

PROMINENCE = FrameSpec(
    "prominence",
    (
        Column("article_id", STR, "编号", "the item's article_id (one row per item, in the articles' order)"),
        Column(
            "page_key",
            STR,
            "版面",
            "its 版面 (shapes.paper_pages: a page file, or date|版别|版次 of article files)",
        ),
        Column(
            "page_no",
            STR,
            "版次",
            "版次 from the name or manifest ('01' as '1'); '1' when unknown in a front-pages-only corpus",
        ),
        Column(
            "front",
            "bool",
            "头版",
            "on a 头版 (data/prominence.toml; every 版面 of a front-pages-only corpus)",
        ),
        Column(
            "rank",
            "int32",
            "版面位次",
            "1-based order among the 版面's articles in print order; 0 for other items",
        ),
        Column("lead", "bool", "头条", "the 头条 (lead story) of its 头版"),
        Column(
            "page_share",
            "float64",
            "占版面字数",
            "body characters over those of every item of the 版面 (0..1)",
        ),
        Column(
            "weight",
            "float64",
            "显著度权重",
            "weight in the 按显著度加权 measure (0 for items that are not articles)",
        ),
    ),
)


PEOPLE_KINDS: tuple[str, ...] = ("official", "person", "organisation")
PEOPLE_KIND_LABELS_ZH: dict[str, str] = {"official": "官员", "person": "人物", "organisation": "机构"}
PEOPLE_HOWS: tuple[str, ...] = (
    "printed",
    "list",
    "before_list",
    "after",
    "article",
    "directory",
    "organisation",
)
PEOPLE_MENTIONS = FrameSpec(
    "people_mentions",
    (
        Column("article_id", STR, "编号", "article_id of the article naming them (news, photo, commentary)"),
        Column("date", DATE, "日期", "page date (NaT when unknown)"),
        Column(
            "name",
            "category",
            "名称",
            "the person's name (an alias of data/people.toml as its standard name) or the organisation",
        ),
        Column(
            "kind", "category", "类别", "official (官员), person (人物) or organisation (机构)", PEOPLE_KINDS
        ),
        Column(
            "post",
            "category",
            "职务",
            "the post as printed ('、' between several), from the article or data/people.toml ('' none)",
        ),
        Column(
            "org",
            "category",
            "所属机构",
            "the organisation of the (first) post, e.g. 市发改局节能行政执法队; an organisation: itself",
        ),
        Column(
            "how",
            "category",
            "识别方式",
            "printed (post before the name), list (a 、 list after a post), before_list (names before 等 + a collective post), "
            "after (a title after the name), article (the name again in the article), directory (data/people.toml), organisation",
            PEOPLE_HOWS,
        ),
        Column(
            "start",
            "int32",
            "起始位置",
            "offset of the name in kicker + '\\n' + title + '\\n' + subtitle + '\\n' + body",
        ),
        Column("end", "int32", "结束位置", "offset just after the name in that text"),
        Column(
            "sentence_start",
            "int32",
            "原句起始位置",
            "offset of the sentence naming them in that text (people.tables.mention_sentences reads it:"
            " the text is the corpus', never a copy per mention)",
        ),
        Column("sentence_end", "int32", "原句结束位置", "offset just after that sentence"),
        Column(
            "first_in_sentence",
            "bool",
            "句中首次",
            "no earlier mention of this name in the article has this sentence's text (a sentence list"
            " shows it once)",
        ),
        Column("front", "bool", "头版", "the article is on a 头版 (corpus.prominence)"),
        Column("lead", "bool", "头条", "the article is the 头条 of its 头版 (corpus.prominence)"),
    ),
)

# Every mention as a download or ``pinghu people --mentions`` gives it: the sentence as text in place
# of its offsets (people.tables.mention_rows).
PEOPLE_MENTION_ROWS = FrameSpec(
    "people_mention_rows",
    (
        *(
            c
            for c in PEOPLE_MENTIONS.columns
            if c.name not in ("sentence_start", "sentence_end", "first_in_sentence", "front", "lead")
        ),
        Column("sentence", STR, "原句", "the sentence naming them, as printed"),
        *(c for c in PEOPLE_MENTIONS.columns if c.name in ("front", "lead")),
    ),
)

PEOPLE_TABLE = FrameSpec(
    "people_table",
    (
        Column("name", STR, "名称", "person or organisation, as in people_mentions"),
        Column("kind", "category", "类别", "official, person or organisation", PEOPLE_KINDS),
        Column("appearances", "int64", "出现次数", "mentions in the chosen articles"),
        Column("articles", "int64", "文章数", "distinct articles naming them"),
        Column("first_date", DATE, "首次出现", "earliest dated article"),
        Column("last_date", DATE, "最近出现", "latest dated article"),
        Column("lead_appearances", "int64", "头条次数", "articles that are the 头条 of their 头版"),
        Column("posts_seen", STR, "职务", "distinct posts, most frequent first, joined by '；'"),
    ),
)

PERSON_TIMELINE = FrameSpec(
    "person_timeline",
    (
        Column("name", STR, "名称", "the person or organisation"),
        Column("period_start", DATE, "时期起始", "first day of the period (weeks start on Monday)"),
        Column("appearances", "int64", "出现次数", "mentions in the period"),
        Column("articles", "int64", "文章数", "articles naming them in the period"),
        Column("lead_articles", "int64", "头条文章数", "of those, 头条 of their 头版"),
        Column("front_pages", "int64", "出现的头版数", "头版 版面 with an article naming them"),
        Column("pages", "int64", "头版数", "头版 版面 of the corpus in the period (0: no pages)"),
        Column("share", "float64", "头版占比", "front_pages / pages (NaN when the period has no pages)"),
    ),
)

CO_APPEARANCES = FrameSpec(
    "co_appearances",
    (
        Column("name_a", STR, "名称甲", "the first name (in Unicode order)"),
        Column("name_b", STR, "名称乙", "the second name"),
        Column("articles", "int64", "共同文章数", "articles naming both"),
    ),
)

PEOPLE_SENTENCES = FrameSpec(
    "people_sentences",
    (
        Column("article_id", STR, "编号", "article naming them"),
        Column("date", DATE, "日期", "page date"),
        Column("name", STR, "名称", "the person or organisation"),
        Column("post", STR, "职务", "the post of that mention ('' none)"),
        Column("how", "category", "识别方式", "as in people_mentions", PEOPLE_HOWS),
        Column("lead", "bool", "头条", "the article is a 头条"),
        Column("kwic", STR, "原句", "the sentence with the name in 【】"),
    ),
)

PEOPLE_SUGGESTIONS = FrameSpec(
    "people_suggestions",
    (
        Column("name", STR, "姓名", "a name printed with a post"),
        Column("kind", "category", "类别", "official or person", PEOPLE_KINDS),
        Column("post", STR, "职务", "the post as printed"),
        Column(
            "status", STR, "建议", "新人物 (not in data/people.toml) or 新职务 (in it, without this post)"
        ),
        Column("first_date", DATE, "首次出现", "earliest dated article printing it"),
        Column("last_date", DATE, "最近出现", "latest dated article printing it"),
        Column("articles", "int64", "文章数", "articles printing the name with this post"),
    ),
)


SPECS: dict[str, FrameSpec] = {
    s.name: s
    for s in (
        ARTICLES,
        PAGES,
        INGEST_REPORT,
        ARTICLE_COPIES,
        ARTICLE_THEMES,
        SLOGANS,
        TIMELINE,
        SERIES_TOTALS,
        PERIOD_ARTICLES,
        COOCCURRENCE,
        KEYWORD_REPORT,
        PROGRESS,
        TERM_COUNTS,
        RISING_TERMS,
        TRENDS,
        PROMINENCE,
        KWIC,
        ARTICLE_PLACES,
        PLACE_COUNTS,
        SEARCH_RESULTS,
        UPLOAD_REPORT,
        ABOUT,
        PEOPLE_MENTIONS,
        PEOPLE_MENTION_ROWS,
        PEOPLE_TABLE,
        PERSON_TIMELINE,
        CO_APPEARANCES,
        PEOPLE_SENTENCES,
        PEOPLE_SUGGESTIONS,
    )
}


def _conformed(series: pd.Series, dtype: str, categories: tuple[str, ...], default: str) -> bool:
    """``series`` already is what :func:`_coerce` would make of it (then it is kept as it is: a
    frame of search results or figures is conformed without converting every value again)."""
    if dtype == STR:
        return series.dtype == pd.StringDtype() and not series.hasnans
    if dtype == "category" and not categories:  # an open set: the values present, in sorted order
        got = series.dtype
        return (
            isinstance(got, pd.CategoricalDtype)
            and not got.ordered
            and got.categories.dtype == pd.StringDtype()
            and not series.hasnans
            and got.categories.is_monotonic_increasing
            and bool((np.bincount(series.cat.codes.to_numpy(), minlength=len(got.categories)) > 0).all())
        )
    if dtype == "category":
        got = series.dtype
        return (
            bool(categories)
            and isinstance(got, pd.CategoricalDtype)
            and not got.ordered
            and list(got.categories) == list(categories)
            and not series.hasnans
            and not (default and "" in categories)
        )
    if dtype in (DATE, "float64", "bool") or dtype.startswith("int"):
        return str(series.dtype) == dtype
    return False


def _open_categories(series: pd.Series) -> bool:
    """``series`` is categorical with text categories and no missing value."""
    got = series.dtype
    return (
        isinstance(got, pd.CategoricalDtype)
        and pd.api.types.is_string_dtype(got.categories.dtype)
        and not series.hasnans
    )


def _coerce(series: pd.Series, dtype: str, categories: tuple[str, ...] = (), default: str = "") -> pd.Series:
    if _conformed(series, dtype, categories, default):
        return series
    if dtype == "list":
        return series.map(
            lambda v: [] if v is None or (isinstance(v, float) and pd.isna(v)) else [str(x) for x in v]
        ).astype(object)
    if dtype == STR:
        return series.astype("string").fillna("")
    if dtype == DATE:
        return pd.to_datetime(series, errors="coerce").astype(DATE)
    if dtype == "bool":
        return series.fillna(False).astype(bool)
    if dtype.startswith("int"):
        return series.fillna(0).astype(dtype)
    if dtype == "category" and not categories and _open_categories(series):
        # text categories already (a stored result read as a dictionary): made canonical without
        # turning every row into text first
        kept = series.cat.remove_unused_categories()
        text = kept.cat.categories.astype("string").sort_values()
        return kept.astype(pd.CategoricalDtype(text, ordered=False))
    if dtype == "category":
        values = series.astype("string").fillna(default)
        if default:
            values = values.replace("", default)
        unknown = set(values.unique()) - set(categories)
        if categories and unknown:
            raise ValueError(f"values {sorted(unknown)} not in categories {categories}")
        return values.astype(pd.CategoricalDtype(list(categories) or None))
    return series.astype(dtype)


def conform(df: pd.DataFrame, spec: FrameSpec) -> pd.DataFrame:
    """Return a copy of ``df`` with exactly the columns of ``spec`` in order and with their dtypes.

    A missing column is an error: builders must produce every declared column.  A column already
    conformed is shared with ``df``, not copied (pandas' copy-on-write copies it if either changes).
    """
    missing = [c for c in spec.names if c not in df.columns]
    if missing:
        raise ValueError(f"{spec.name}: missing columns {missing}")
    out = pd.DataFrame(
        {c.name: _coerce(df[c.name], c.dtype, c.categories, c.default) for c in spec.columns},
        index=df.index,
        copy=False,
    )
    return out.reset_index(drop=True)


def check(df: pd.DataFrame, spec: FrameSpec) -> None:
    """Raise if ``df`` does not match ``spec`` exactly (names, order, dtypes)."""
    if list(df.columns) != spec.names:
        raise AssertionError(f"{spec.name}: columns {list(df.columns)} != {spec.names}")
    for c in spec.columns:
        got = str(df[c.name].dtype)
        want = "object" if c.dtype == "list" else c.dtype
        if c.dtype == "category" and c.categories and list(df[c.name].cat.categories) != list(c.categories):
            raise AssertionError(f"{spec.name}.{c.name}: categories differ from {c.categories}")
        if got != want:
            raise AssertionError(f"{spec.name}.{c.name}: dtype {got} != {want}")


def labels_zh(spec: FrameSpec) -> dict[str, str]:
    return {c.name: c.label_zh for c in spec.columns}

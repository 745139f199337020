"""词云: the words of the filtered articles — cloud, bars, table, two periods compared, rising terms, KWIC."""

import functools
from dataclasses import replace

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import events as app_events
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app import widgets
from pinghu_app import words as app_words
from pinghu_app.state import Keys
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import schemas, wording
from pinghu_core.events import view as event_view
from pinghu_core.themes import view as views
from pinghu_core.words import index as wd
from pinghu_core.words import view as wv

key = app_shell.current_key()
corpus = app_corpus.get_corpus(key)
themes, problem = app_corpus.theme_dictionary()
first, last = app_corpus.date_bounds(key)
lex = app_words.lexicon_key(themes)
towns = app_words.town_options(key, app_corpus.places_file_key())

st.title("词云")
st.caption(
    "头版文章里出现最多的词：先按日期、主题、类型、镇街筛选文章，再看词云、柱状图和词频表；"
    "点选一个词，可看到它出现的每一句话。分词、停用词和统计方法见 docs/WORDS.md。"
)
if problem is not None:
    st.warning(md.escape(views.theme_problem_zh(problem, themes)), icon=":material/warning:")

labels = themes.choice_labels if themes else {}
view = app_state.bind(wv.WordView, wv.context(theme_ids=labels, towns=towns, first=first, last=last))

with st.container(border=True):
    c1, c2, c3, c4 = st.columns([4, 3, 3, 3])
    if first:
        app_state.date_range_input(
            c1, "日期范围", Keys.WORDS_DATES, first, last, then=app_words.fit_compare_periods
        )
    c2.multiselect(
        "主题（任一）",
        list(labels),
        format_func=labels.get,
        select_all=False,
        key=Keys.WORDS_THEMES,
        placeholder="全部文章",
    )
    c3.multiselect(
        "类型",
        schemas.KINDS,
        format_func=schemas.KIND_LABELS_ZH.get,
        key=Keys.WORDS_KINDS,
        select_all=False,
        placeholder="选择条目类型",
    )
    c4.multiselect(
        "镇街（任一）",
        towns,
        select_all=False,
        key=Keys.WORDS_TOWNS,
        placeholder="全部镇街" if towns else "语料中没有提到镇街",
        disabled=not towns,
    )
    c5, c6, c7, c8 = st.columns([3, 2, 5, 3])
    c5.radio("字号依据", list(wd.WEIGHTS), format_func=wd.WEIGHTS.get, horizontal=True, key=Keys.WORDS_WEIGHT)
    c6.selectbox("词数", wv.TOP_CHOICES, key=Keys.WORDS_TOP, placeholder="选择词数")
    c7.radio(
        "词性",
        list(wd.POS_FILTERS),
        format_func=lambda p: wd.POS_FILTERS[p][0],
        horizontal=True,
        key=Keys.WORDS_POS,
    )
    c8.toggle("两个时期对比", key=Keys.WORDS_COMPARE)
    c8.toggle("允许竖排的词", key=Keys.WORDS_ROTATE, help="默认每个词都横排；打开后少数词竖排，词云更紧凑。")

app_words.wait_for_word_index(key, themes, lex)  # cold: built in the background, progress shown
ss = st.session_state
what = wd.WEIGHTS[view.weight]

table, n_articles = app_words.term_table(key, themes, lex, view)
if not view.compare:
    st.subheader("词云")
    st.caption(
        f"所选 {n_articles:,} 篇文章中{wd.POS_FILTERS[view.pos][0]}按{what}排列的前 {view.top} 个词；"
        "字号与权重的平方根成正比（面积与权重成正比）。"
    )
    freqs = wd.frequencies(table.head(view.top), view.weight)
    png = app_words.cloud_png(key, freqs, None, bool(st.session_state.get(Keys.WORDS_ROTATE)))
    if png is None:
        st.info("所选文章中没有可统计的词。请放宽筛选条件。")
    else:
        st.image(png, width="stretch")
        d1, d2 = st.columns(2)
        widgets.file_download("下载词云图片（PNG）", png, "词云.png", Keys.WORDS_PNG, fmt="png", where=d1)
        widgets.table_download(
            "下载词频表（CSV）",
            functools.partial(wv.term_table_zh, table.head(view.top)),
            "词频.csv",
            Keys.WORDS_CSV,
            where=d2,
        )
else:
    st.subheader("两个时期对比")
    p1, p2 = st.columns(2)
    if first:
        app_state.date_range_input(p1, "前期", Keys.WORDS_PERIOD_A, view.start, view.end)
        app_state.date_range_input(p2, "后期", Keys.WORDS_PERIOD_B, view.start, view.end)
    ta, na = app_words.term_table(key, themes, lex, wv.period_view(view, "a"))
    tb, nb = app_words.term_table(key, themes, lex, wv.period_view(view, "b"))
    fa, fb = wd.frequencies(ta.head(view.top), view.weight), wd.frequencies(tb.head(view.top), view.weight)
    scale = max([*fa.values(), *fb.values()], default=None)
    events, _ = app_events.event_list()  # data/events.toml: what happened in each period
    st.caption(
        f"两幅词云用同一比例尺：同样的{what}画成同样大的字（两期中最大的{what}对应最大字号）。"
        "其他筛选条件对两期都适用。"
    )
    for col, freqs, terms, n, (s0, s1), (k, k_csv) in (
        (p1, fa, ta, na, (view.a_start, view.a_end), (Keys.WORDS_PNG_A, Keys.WORDS_CSV_A)),
        (p2, fb, tb, nb, (view.b_start, view.b_end), (Keys.WORDS_PNG_B, Keys.WORDS_CSV_B)),
    ):
        col.markdown(f"**{wv.period_label(s0, s1)}**（{n:,} 篇文章）")
        during = event_view.events_in_zh(events, s0, s1)
        if during:
            col.caption(md.escape(during))
        png = app_words.cloud_png(key, freqs, scale, bool(st.session_state.get(Keys.WORDS_ROTATE)))
        if png is None:
            col.info("这一时期没有可统计的词。")
        else:
            col.image(png, width="stretch")
            widgets.file_download("下载这幅词云（PNG）", png, f"词云_{s0}_{s1}.png", k, fmt="png", where=col)
            widgets.table_download(
                "下载这幅词云的词频（CSV）",
                functools.partial(wv.term_table_zh, terms.head(view.top)),
                f"词频_{s0}_{s1}.csv",
                k_csv,
                where=col,
            )
    st.subheader("上升词")
    st.caption(
        f"后期比前期用得多的词，按对数似然 G² 排序（G² 越大，差别越不像偶然）；两期合计不足 {wd.MIN_RISING} 次的词不列出。"
        "“每百万词”= 该词次数 ÷ 该时期统计的总词数 × 100 万。"
    )
    rising = app_words.rising_terms(key, themes, lex, view)
    if rising.empty:
        st.info("两个时期之间没有明显上升的词（或其中一期没有文章）。")
    else:
        rows = wv.rising_table_zh(rising)
        st.dataframe(
            rows,
            hide_index=True,
            placeholder=wording.MISSING,
            **app_state.row_picker(
                Keys.WORDS_RISING_TABLE,
                rising["term"].astype(str).tolist(),
                Keys.WORDS_WORD,
                clears=[Keys.WORDS_ARTICLE],
            ),
        )
        widgets.table_download("下载上升词（CSV）", rows, "上升词.csv", Keys.WORDS_RISING_CSV)


@st.fragment
def terms_context_and_reader(view: wv.WordView, table, n_articles: int) -> None:
    """词频 (bars and table), 关键词上下文 and the article reader: picking a word (a bar, a row, the
    select box), 整词 or an article reruns this part only, not the clouds and rising terms above."""
    if not table.empty:
        st.subheader("词频")
        left, right = st.columns(2)
        left.plotly_chart(
            app_words.terms_bar(key, themes, lex, view),
            key=Keys.WORDS_BAR,
            on_select=app_words.pick_word_from_bar,
            selection_mode="points",
        )
        widgets.table_download(
            "下载柱状图数据（CSV）",
            functools.partial(wv.bar_table_zh, table),
            "词频柱状图.csv",
            Keys.WORDS_BAR_CSV,
            where=left,
        )
        right.caption(
            f"前 {len(table):,} 个词（{wv.period_label(view.start, view.end)}）。点选一行，下方列出它的上下文。"
        )
        right.dataframe(
            wv.term_table_zh(table),
            hide_index=True,
            placeholder=wording.MISSING,
            height=520,
            **app_state.row_picker(
                Keys.WORDS_TABLE,
                table["term"].astype(str).tolist(),
                Keys.WORDS_WORD,
                clears=[Keys.WORDS_ARTICLE],
            ),
        )

    st.subheader("关键词上下文")
    terms = wv.word_choices(view.word, table)
    k1, k2 = st.columns([5, 1], vertical_alignment="bottom")
    k1.selectbox(
        "选择一个词（或在词频表、柱状图中点选；也可输入任意文字）",
        terms,
        key=Keys.WORDS_WORD,
        placeholder="未选择词语",
        accept_new_options=True,
    )
    k2.checkbox(
        "整词",
        key=Keys.WORDS_WHOLE_WORD,
        help="勾选：只列出分词结果中恰好是这个词的地方（“独山港”不匹配“独山港镇”）；不勾选：按字查找每一处",
    )
    view = replace(view, word=ss.get(Keys.WORDS_WORD) or "", whole_word=bool(ss.get(Keys.WORDS_WHOLE_WORD)))
    if view.word:
        lines = app_words.kwic(key, themes, lex, view)
        total = app_words.kwic_total(key, themes, lex, view) if len(lines) >= wv.KWIC_LIMIT else len(lines)
        st.caption(wv.kwic_caption_zh(md.escape(view.word), view.whole_word, n_articles, len(lines), total))
        if not lines.empty:
            st.dataframe(
                wv.kwic_table(lines, view),
                hide_index=True,
                placeholder=wording.MISSING,
                key=Keys.WORDS_KWIC_TABLE,
                column_config={
                    "全文": st.column_config.LinkColumn("全文", display_text="打开全文"),
                    "上下文": st.column_config.TextColumn("上下文", width="large"),
                },
            )
            widgets.file_download(
                f"下载全部 {total:,} 处上下文（CSV）",
                functools.partial(app_words.kwic_csv_all, key, themes, lex, view),
                f"上下文_{view.word}.csv",
                Keys.WORDS_KWIC_CSV,
                fmt="csv",
            )
            widgets.article_picker(Keys.WORDS_ARTICLE, wv.article_options(lines, view.article))
    view = replace(view, article=ss.get(Keys.WORDS_ARTICLE) or "")
    shown = views.article_text(corpus.articles, view.article) if view.article else None
    if shown is not None:
        lines = (shown[0], shown[1], wv.highlight(shown[2], view.word))
        widgets.article_reader(lines, Keys.WORDS_CLOSE_ARTICLE, app_words.close_word_article)
    app_state.write_url(view)


terms_context_and_reader(view, table, n_articles)

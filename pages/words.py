"""词云: the words of the filtered articles — cloud, bars, table, two periods compared, rising terms, KWIC."""

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import shared as app_shared
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app import words as app_words
from pinghu_core.common import safe_markdown as md
from pinghu_core.themes import view as views
from pinghu_core.words import view as wv

key = app_shell.current_key()
app_shared.wait_for_shared(key)  # cold: places, theme hits … found in the background, progress shown
corpus = app_corpus.get_corpus(key)
themes, problem = app_corpus.theme_dictionary()
first, last = app_corpus.date_bounds(key)
lex = app_words.lexicon_key(themes)
towns = app_words.town_options(key, app_corpus.places_file_key())

st.title("词云")
st.caption(
    f"{app_corpus.pages_word(key)}文章里出现最多的词：先按日期、主题、类型、镇街筛选文章，再看词云、柱状图和词频表；"
    "点选一个词，可看到它出现的每一句话。分词、停用词和统计方法见 docs/WORDS.md。"
)
if problem is not None:
    st.warning(md.escape(views.theme_problem_zh(problem, themes)), icon=":material/warning:")

labels = themes.choice_labels if themes else {}
view = app_state.bind(wv.WordView, wv.context(theme_ids=labels, towns=towns, first=first, last=last))

app_words.filter_form(first, last, labels, towns)
app_words.wait_for_word_index(key, themes, lex)  # cold: built in the background, progress shown
table, n_articles = app_words.term_table(key, themes, lex, view)
if view.compare:
    app_words.compare_section(key, themes, lex, view, first)
else:
    app_words.cloud_section(key, themes, view, table, n_articles)
app_words.terms_context_and_reader(key, themes, lex, corpus.articles, view, table, n_articles)

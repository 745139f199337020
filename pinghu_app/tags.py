"""Theme hits of every article for a dictionary: below the search index and the pages that filter
by theme (文章检索, 词云) and the 政策主题 page, which also counts 文章检索 queries."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pinghu_app.corpus import CorpusKey, derived_root, load_corpus, theme_digest
from pinghu_core.themes import dictionary as th


@st.cache_resource(
    show_spinner="正在按主题词典标注文章…", max_entries=2, hash_funcs={th.ThemeDict: theme_digest}
)
def theme_hits(key: CorpusKey, themes: th.ThemeDict) -> pd.DataFrame:
    """schemas.ARTICLE_THEMES of every article for this dictionary (kept with the corpus cache) —
    shared, not unpickled on every call (a million rows on ten times the corpus): do not modify."""
    corpus = load_corpus(key)
    return th.stored_tags(corpus.articles, themes, derived_root(key), corpus.fingerprint)

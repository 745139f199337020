"""总览 says which corpus, dictionaries, settings and versions are in use (pinghu_core.overview.about)."""

from __future__ import annotations

from conftest import ROOT
from streamlit.testing.v1 import AppTest

from pinghu_app.state import Keys
from pinghu_core.common import settings
from pinghu_core.overview import about


def test_overview_shows_corpus_dictionaries_and_versions(corpus_env, monkeypatch, tmp_path):
    lexicon = tmp_path / "lexicon"
    lexicon.mkdir()
    (lexicon / "userdict.txt").write_text("乍浦港 10 ns\n", encoding="utf-8")
    monkeypatch.setenv("PINGHU_LEXICON_DIR", str(lexicon))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    at.session_state[Keys.OVERVIEW_ABOUT_OPEN] = True  # the table is built when its expander opens
    at.run()
    table = next(d.value for d in at.dataframe if "设置来源" in d.value.columns).set_index("项目")
    assert table.loc["语料文件夹", "位置"] == str(corpus_env)
    assert table.loc["语料文件夹", "设置来源"] == "环境变量 PINGHU_DATA_DIR"
    assert (
        "5 个文件" in table.loc["语料文件夹", "内容"] and "最新版面日期 20" in table.loc["语料文件夹", "内容"]
    )
    assert table.loc["主题词典", "内容"].startswith("版本 ") and "摘要 " in table.loc["主题词典", "内容"]
    assert table.loc["项目名录", "内容"].startswith("版本 ")
    assert table.loc["词表（自定义词典、停用词）", "内容"] == f"摘要 {about.folder_digest(lexicon)}"
    assert table.loc["看板版本", "内容"] == settings.APP_VERSION
    assert table.loc["解析器版本", "内容"] == settings.PARSER_VERSION
    assert table.loc["访问方式", "内容"].startswith("本地")
    line = " ".join(c.value for c in at.caption)
    assert (
        str(corpus_env) in line and f"解析器版本 {settings.PARSER_VERSION}" in line and "主题词典版本" in line
    )


def test_lexicon_digest_follows_the_files(tmp_path):
    assert about.folder_digest(tmp_path) == "" and about.folder_digest(tmp_path / "missing") == ""
    (tmp_path / "userdict.txt").write_text("a 1\n", encoding="utf-8")
    first = about.folder_digest(tmp_path)
    (tmp_path / "stopwords.txt").write_text("的\n", encoding="utf-8")
    assert first and about.folder_digest(tmp_path) not in ("", first)

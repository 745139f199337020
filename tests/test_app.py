"""AppTest (in-process) tests of the dashboard: every page in dashboard.NAV, then 总览 in detail."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, copy_corpus, shown
from streamlit.testing.v1 import AppTest

import dashboard
from pinghu_app import corpus as app_corpus
from pinghu_app import overview as app_overview
from pinghu_app.state import Keys
from pinghu_core.common import schemas, wording
from pinghu_core.corpus import ingest
from pinghu_core.overview.summary import LOW_CONFIDENCE

APP = str(ROOT / "dashboard.py")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Note: with a pages/ folder next to dashboard.py, AppTest runs only the page script (not
# dashboard.py) on every run after the first (Streamlit's automatic pages/ mode; see
# pinghu_app.shell.current_key).  Tests that need dashboard.py again start a new AppTest.


def run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_keys(at: AppTest) -> set[str]:
    """The keys of the Plotly charts drawn (a chart's element id holds its key)."""
    return {
        k
        for c in at.get("plotly_chart")
        for k in vars(Keys).values()
        if isinstance(k, str) and k in c.proto.id
    }


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def point_app_at(monkeypatch: pytest.MonkeyPatch, corpus_dir: Path, cache_dir: Path) -> None:
    monkeypatch.setenv("PINGHU_DATA_DIR", str(corpus_dir))
    monkeypatch.setenv("PINGHU_CACHE_DIR", str(cache_dir))


def frame(spec: schemas.FrameSpec, n: int, **columns) -> pd.DataFrame:
    """A conformed frame of ``n`` rows: the given columns, every other column empty."""
    return schemas.conform(pd.DataFrame({c: [None] * n for c in spec.names}).assign(**columns), spec)


def serve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pages: pd.DataFrame, kinds: list[str]) -> None:
    """Serve these frames to the app as the corpus, without parsing anything."""
    articles = frame(schemas.ARTICLES, len(kinds), kind=kinds, date_source="unknown")
    report = frame(schemas.INGEST_REPORT, len(pages), source=pages["source"], status="ok")
    corpus = ingest.Corpus(articles, pages, report, tmp_path, "served", {})
    point_app_at(monkeypatch, tmp_path, tmp_path / "cache")
    monkeypatch.setattr(ingest, "corpus_fingerprint", lambda *a, **k: f"served-{id(corpus)}")
    monkeypatch.setattr(ingest, "load_corpus", lambda *a, **k: corpus)


@pytest.fixture(scope="module")
def expected(sample_corpus, tmp_path_factory) -> ingest.Corpus:
    """The sample corpus loaded directly (not through the app), to compare the page with."""
    return ingest.load_corpus(sample_corpus, cache_dir=tmp_path_factory.mktemp("expected-cache"), workers=1)


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize("nav", dashboard.NAV, ids=[p.url_path for p in dashboard.NAV])
def test_every_page_renders(corpus_env, nav):
    at = run(nav.path)
    assert not at.exception, [e.value for e in at.exception]
    titles = [t.value for t in at.title]
    assert any(nav.title in t and CJK.search(t) for t in titles), titles
    # an empty cell reads “—”, never Streamlit's English “None”
    assert all(d.proto.placeholder == wording.MISSING for d in at.dataframe), nav.path


def test_every_table_call_sets_the_missing_value_placeholder():
    """Tables the default views do not open (toggles, an open article) too: every st.dataframe call of
    the pages and of the sections they call in pinghu_app."""
    import ast

    calls = []
    for path in sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "pinghu_app").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "dataframe":
                calls.append((path.name, node.lineno, {kw.arg for kw in node.keywords}))
    assert len(calls) >= 25
    assert [c[:2] for c in calls if "placeholder" not in c[2]] == []


def test_navigation_pages_exist_once():
    paths = [p.path for p in dashboard.NAV]
    assert len(set(paths)) == len(paths) and len({p.url_path for p in dashboard.NAV}) == len(paths)
    assert len({p.title for p in dashboard.NAV}) == len(paths)
    for p in dashboard.NAV:
        assert (ROOT / p.path).is_file(), p.path
        assert CJK.search(p.title) and CJK.search(p.section)


# ---------------------------------------------------------------- 总览 on the sample corpus


def test_overview_metrics_match_the_corpus(corpus_env, expected):
    at = run()
    assert not at.exception
    m = metrics(at)
    assert m["版面数"] == "5" == f"{len(expected.pages)}"
    assert m["条目数"] == f"{len(expected.articles):,}"
    assert m["新闻数"] == f"{int((expected.articles['kind'] == 'news').sum()):,}"
    dates = expected.pages["date"].dropna()
    if dates.empty:
        assert m["日期范围"] == "无可确定日期"
    else:
        first, last = dates.min(), dates.max()
        assert m["日期范围"].startswith(f"{first.year}年{first.month}月{first.day}日")
        assert m["日期范围"].endswith(f"{last.year}年{last.month}月{last.day}日")
        span = (last.normalize() - first.normalize()).days + 1
        assert m["缺失日期数"] == f"{span - dates.dt.normalize().nunique():,}"


def test_overview_kind_chart_counts_items_by_kind(corpus_env, expected):
    spec = figures(run())[0]
    bar = spec["data"][0]
    counts = expected.articles["kind"].astype("string").value_counts()
    assert bar["x"] == [schemas.KIND_LABELS_ZH[k] for k in schemas.KINDS]
    assert bar["y"] == [int(counts.get(k, 0)) for k in schemas.KINDS]
    assert spec["layout"]["title"]["text"] == "条目数（按类型）"
    assert sum(bar["y"]) == len(expected.articles)


def test_overview_tables_have_chinese_headers(corpus_env, expected):
    at = run()
    report = at.dataframe[-1].value
    labels = [c.label_zh for c in schemas.INGEST_REPORT.columns]
    assert list(report.columns) == labels
    assert len(report) == len(expected.report)
    statuses = report["状态"].tolist()
    assert statuses == sorted(statuses, key=["错误", "警告", "正常"].index)  # problems first
    low = [d.value for d in at.dataframe if "推断日期" in d.value.columns]
    p = expected.pages
    n_low = int(
        (
            (p["date_source"] == "unknown")
            | ((p["date_source"] == "inferred") & (p["date_confidence"] < LOW_CONFIDENCE))
        ).sum()
    )
    assert (len(low[0]) if low else 0) == n_low


def test_overview_builds_the_configuration_table_when_its_expander_opens(corpus_env):
    # a collapsed expander draws its table all the same: 总览 builds it only when opened
    headers = list(schemas.labels_zh(schemas.ABOUT).values())
    at = run()
    assert not [d for d in at.dataframe if list(d.value.columns) == headers]
    at.session_state[Keys.OVERVIEW_ABOUT_OPEN] = True
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if list(d.value.columns) == headers)
    assert "主题词典" in " ".join(table.iloc[:, 0].astype(str))


def test_sidebar_shows_corpus_and_refresh_clears_cache(corpus_env):
    at = run()
    assert str(corpus_env) in [t.value for t in at.sidebar.text]
    assert any("版面数" in c.value and "5" in c.value for c in at.sidebar.caption)
    at.button(key=Keys.REFRESH).click().run()
    assert not at.exception
    assert metrics(at)["版面数"] == "5"


def test_changing_the_corpus_folder_refreshes_without_restart(monkeypatch, tmp_path):
    """A change is seen within the check interval (refresh_seconds, 30): the clock is moved past it."""
    clock = [1000.0]
    monkeypatch.setattr(app_corpus, "monotonic", lambda: clock[0])
    corpus = copy_corpus(tmp_path / "corpus")
    point_app_at(monkeypatch, corpus, tmp_path / "cache")
    assert metrics(run())["版面数"] == "5"
    first = sorted(corpus.glob("*.txt"))[0]
    extra = corpus / "zz_extra_copy.txt"
    extra.write_text(first.read_text(encoding="utf-8") + "\n补充一行。\n", encoding="utf-8")
    clock[0] += 31
    at = run()  # just written: maybe still being written, so not read yet
    assert metrics(at)["版面数"] == "5"
    assert any("1 个文件正在写入" in c.value for c in at.sidebar.caption)
    os.utime(extra, (time.time() - 10, time.time() - 10))  # it has settled
    clock[0] += 31
    at = run()  # a new session: same process, so the same caches, keyed by the new fingerprint
    assert not at.exception
    assert metrics(at)["版面数"] == "6"
    assert any("6" in c.value for c in at.sidebar.caption)


# ---------------------------------------------------------------- corpus problems


def test_missing_corpus_folder_shows_chinese_error(monkeypatch, tmp_path):
    missing = tmp_path / "没有这个文件夹"
    point_app_at(monkeypatch, missing, tmp_path / "cache")
    at = run()
    assert not at.exception
    assert len(at.error) == 1
    msg = at.error[0].value
    from pinghu_core.common import safe_markdown

    # the path is shown as text: escaped in the Markdown source (a folder name cannot become markup)
    assert (
        "找不到语料文件夹" in msg and safe_markdown.escape(str(missing)) in msg and str(missing) in shown(msg)
    )
    assert "PINGHU_DATA_DIR" in msg
    assert not at.metric  # the page itself did not run


def test_corpus_path_that_is_a_file_is_explained(monkeypatch, tmp_path):
    not_a_folder = tmp_path / "corpus.txt"
    not_a_folder.write_text("不是文件夹", encoding="utf-8")
    point_app_at(monkeypatch, not_a_folder, tmp_path / "cache")
    at = run()
    assert not at.exception
    assert str(not_a_folder) in shown(at.error[0].value) and "PINGHU_DATA_DIR" in at.error[0].value


def test_empty_corpus_folder_renders(monkeypatch, tmp_path):
    (tmp_path / "corpus").mkdir()
    point_app_at(monkeypatch, tmp_path / "corpus", tmp_path / "cache")
    at = run()
    assert not at.exception, [e.value for e in at.exception]
    if at.error:  # an empty folder may be reported as a corpus problem: then it must be explained
        assert "PINGHU_DATA_DIR" in at.error[0].value
    else:
        assert metrics(at)["版面数"] == "0"


# ---------------------------------------------------------------- 总览 at the edges


def test_overview_with_ten_years_of_pages(monkeypatch, tmp_path):
    days = pd.date_range("2011-01-01", periods=3670, freq="D")
    days = days[(days < "2015-03-01") | (days >= "2015-03-21")]  # a 20-day gap
    pages = frame(
        schemas.PAGES,
        len(days),
        page_id=[f"{i:016x}" for i in range(len(days))],
        source=[f"{d:%Y/%Y-%m-%d}.txt" for d in days],
        date=days,
        date_source="filename",
        date_confidence=1.0,
        layout="clean",
        items=2,
    )
    serve(monkeypatch, tmp_path, pages, ["news", "ad"] * len(days))
    at = run()
    assert not at.exception, [e.value for e in at.exception]
    m = metrics(at)
    assert (m["版面数"], m["缺失日期数"], m["日期范围"]) == ("3,650", "20", "2011年1月1日 – 2021年1月17日")
    months = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("每月有版面"))
    assert months["data"][0]["y"] == [f"{y}年" for y in range(2011, 2022)]  # one row per year
    # the daily calendar's tab is built only when opened (sent hidden, it cost every open of 总览)
    assert not at.get("segmented_control") and Keys.OVERVIEW_CALENDAR not in chart_keys(at)
    at.session_state[Keys.OVERVIEW_CALENDAR_TABS] = app_overview.DAYS_TAB
    at.run()
    years = at.segmented_control(key=Keys.OVERVIEW_YEARS)
    assert years.value == [2019, 2020, 2021]  # the daily calendar starts with the last three years
    assert Keys.OVERVIEW_MONTHS not in chart_keys(at)  # only the open tab is built
    years.set_value([2015]).run()
    assert not at.exception
    daily = figures(at)[-1]
    assert [a["text"] for a in daily["layout"]["annotations"]] == ["2015年：345 天有版面，20 天缺失"]
    assert daily["layout"]["height"] < 400  # one strip stays compact
    # to the month grid and back: the years chosen are still chosen
    at.session_state[Keys.OVERVIEW_CALENDAR_TABS] = app_overview.MONTHS_TAB
    at.run()
    assert not at.get("segmented_control") and Keys.OVERVIEW_MONTHS in chart_keys(at)
    at.session_state[Keys.OVERVIEW_CALENDAR_TABS] = app_overview.DAYS_TAB
    at.run()
    assert at.segmented_control(key=Keys.OVERVIEW_YEARS).value == [2015]
    # the gaps table waits for its expander too (a collapsed expander would draw it all the same)
    assert not [d for d in at.dataframe if "缺失天数" in d.value.columns]
    at.session_state[Keys.OVERVIEW_GAPS_OPEN] = True
    at.run()
    gaps = next(d.value for d in at.dataframe if "缺失天数" in d.value.columns)
    assert gaps["缺失天数"].tolist() == [20]  # the one 20-day gap


def test_overview_when_no_page_has_a_date(monkeypatch, tmp_path):
    """Before dates are known (or for a folder of undated files) the page explains instead of drawing."""
    pages = frame(
        schemas.PAGES,
        2,
        page_id=["a", "b"],
        source=["a.txt", "b.txt"],
        date_source="unknown",
        layout="clean",
        items=1,
    )
    serve(monkeypatch, tmp_path, pages, ["other", "other"])
    at = run()
    assert not at.exception, [e.value for e in at.exception]
    m = metrics(at)
    assert (m["版面数"], m["日期范围"], m["缺失日期数"], m["待确认版面"]) == (
        "2",
        "无可确定日期",
        "0",
        "2",
    )
    assert any("无法绘制出版日历" in i.value for i in at.info)
    assert len(figures(at)) == 1  # only the kind chart
    low = next(d.value for d in at.dataframe if "推断日期" in d.value.columns)
    assert low["推断日期"].tolist() == ["日期不详", "日期不详"]


def test_overview_lists_items_the_parser_is_unsure_of(monkeypatch, tmp_path):
    """Items with low parse confidence are listed with their doubts; a sure corpus says so."""
    pages = frame(schemas.PAGES, 1, source="p.txt", page_id="p", date_source="unknown", layout="clean")
    articles = frame(
        schemas.ARTICLES,
        3,
        kind=["news"] * 3,
        date_source="unknown",
        page_id="p",
        source="p.txt",
        order=[0, 1, 2],
        title=["稳", "", "两篇"],
        confidence=[1.0, 0.6, 0.75],
        doubts=["", "未识别出标题", "正文中另有电头"],
    )
    report = frame(schemas.INGEST_REPORT, 1, source=["p.txt"], status="ok")
    corpus = ingest.Corpus(articles, pages, report, tmp_path, "served", {})
    point_app_at(monkeypatch, tmp_path, tmp_path / "cache")
    monkeypatch.setattr(ingest, "corpus_fingerprint", lambda *a, **k: f"served-{id(corpus)}")
    monkeypatch.setattr(ingest, "load_corpus", lambda *a, **k: corpus)
    at = run()
    assert "解析存疑的条目" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "疑点" in d.value.columns)
    assert list(table["标题"]) == ["（无标题）", "两篇"] and "未识别出标题" in list(table["疑点"])
    assert any("共 2 个条目的解析置信度低于 80%" in c.value for c in at.caption)
    assert not any("显示前" in c.value for c in at.caption)
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("下载全部")]

    from pinghu_core.overview import summary as ov

    monkeypatch.setattr(ov, "DOUBTFUL_LIMIT", 1)  # issue 12.2: a capped list says so and offers all
    at = run()
    table = next(d.value for d in at.dataframe if "疑点" in d.value.columns)
    assert list(table["标题"]) == ["（无标题）"]
    assert any("显示前 1 条，共 2 条" in c.value for c in at.caption)
    assert [b.proto.label for b in at.get("download_button") if b.proto.label.startswith("下载全部")] == [
        "下载全部 2 条（CSV）"
    ]


def test_overview_names_the_paper_of_the_corpus(corpus_env, monkeypatch):
    """Issue 12.11: the subtitle names the corpus' paper from the setting, not always 嘉兴日报·平湖版."""
    at = run()
    assert any(c.value.startswith("嘉兴日报·平湖版：版面") for c in at.caption)
    monkeypatch.setenv("PINGHU_CORPUS_TITLE", "人民日报")
    at = run()
    assert any(c.value.startswith("人民日报：版面") for c in at.caption)
    assert not any("嘉兴日报" in c.value for c in at.caption)

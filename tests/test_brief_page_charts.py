"""简报's two charts as the page draws them (Plotly): the same data, colours and wording as the Word
file's pictures; a day without pages is a grey band, never a zero bar; names from the data escaped."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from pinghu_core.brief import charts as word_charts
from pinghu_core.brief import page_charts as pc


def spec(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def daily(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range("2020-07-01", periods=len(values)), "articles": values})


def test_a_day_without_pages_is_a_grey_band_as_tall_as_the_tallest_day() -> None:
    out = spec(pc.daily_chart(daily([3, np.nan, 7, 0])))
    gap, bars = out["data"]
    assert (gap["name"], gap["marker"]["color"]) == ("无版面", word_charts.GAP_COLOR)
    assert gap["x"] == ["2020-07-02"] and gap["y"] == [7.0]
    assert gap["customdata"] == ["2020年7月2日"]
    assert (bars["name"], bars["marker"]["color"]) == ("文章篇数", word_charts.LATER_COLOR)
    assert bars["x"] == ["2020-07-01", "2020-07-03", "2020-07-04"]
    assert bars["y"] == [3, 7, 0]  # a day with pages and no article is a zero; a day without pages is not
    assert out["layout"]["title"]["text"] == "每日文章篇数"
    assert out["layout"]["yaxis"]["title"]["text"] == "文章（篇）"


@pytest.mark.parametrize(
    ("values", "names"),
    [
        ([1, 2], ["文章篇数"]),  # a page every day: no grey entry in the legend
        ([np.nan, np.nan], ["无版面"]),  # no page at all: no red entry
    ],
)
def test_each_series_only_when_it_has_days(values: list[float], names: list[str]) -> None:
    out = spec(pc.daily_chart(daily(values)))
    assert [t["name"] for t in out["data"]] == names


def test_no_days_and_no_themes_draw_nothing() -> None:
    assert pc.daily_chart(daily([])) is None
    empty = pd.DataFrame({"label": [], "later_share": [], "earlier_share": []})
    assert pc.theme_shares_chart(empty, "2020年7月", "2020年6月") is None


def shares(earlier: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"label": ["乡村振兴", "<b>共同富裕</b>"], "later_share": [0.25, 0.125], "earlier_share": earlier}
    )


def test_theme_shares_put_this_period_first_and_write_its_percentages() -> None:
    out = spec(pc.theme_shares_chart(shares([0.2, 0.1]), "2020年7月", "2020年6月"))
    now, before = out["data"]
    assert (now["name"], before["name"]) == ("2020年7月", "2020年6月")
    assert now["x"] == [25.0, 12.5] and now["text"] == ["25.0%", "12.5%"]
    assert before["x"] == [20.0, 10.0] and "text" not in before
    assert (now["marker"]["color"], before["marker"]["color"]) == (
        word_charts.LATER_COLOR,
        word_charts.EARLIER_COLOR,
    )
    assert now["y"] == ["乡村振兴", "&lt;b&gt;共同富裕&lt;/b&gt;"]  # a tag in a label is text, not markup
    assert out["layout"]["xaxis"]["title"]["text"] == "占当期新闻报道（新闻、图片新闻、评论）的比例（%）"
    assert out["layout"]["yaxis"]["autorange"] == "reversed"  # the first theme on top


def test_an_earlier_period_without_news_says_so_and_draws_no_zero_bars() -> None:
    out = spec(pc.theme_shares_chart(shares([np.nan, np.nan]), "2020年7月", "2020年6月"))
    before = out["data"][1]
    assert before["name"] == "2020年6月（无新闻报道）"
    assert before["x"] == [None, None]


def test_a_period_label_cannot_write_into_the_hover_template() -> None:
    out = spec(pc.theme_shares_chart(shares([0.2, 0.1]), "%{x}<script>", "6月"))
    now = out["data"][0]
    assert now["name"] == "%{x}&lt;script&gt;"
    assert now["hovertemplate"] == "%{y}<br>%{fullData.name}：%{x:.1f}%<extra></extra>"

"""Synthetic front pages of 嘉兴日报·平湖版, deterministic from a seed.

``generate_corpus`` writes one ``.txt`` file per published day; ``generate_page`` makes one
page and says, in ``truth``, what a careful reader sees on it.  Everything is drawn from a
``random.Random`` built from ``(seed, day)``: the same seed gives byte-identical files on
every machine, and a page does not depend on the pages before it.

Three shapes copy the five real seed pages in ``data/corpus``:

* ``markdown`` (seed 000): ``#``/``##``/``###`` headlines, ``**banners**``, hard breaks;
* ``plain`` (seeds 001, 002, 004): no markup, bylines in their many printed forms;
* ``pdf`` (seed 003): lines hard-wrapped every 13–15 characters, bold titles with every run
  doubled, bylines gathered at the top, headlines printed after their bodies.

Markdown and plain pages print ``,`` ``:`` ``;`` ``!`` ``?`` ``(`` ``)`` half-width, as the
seeds do; pdf pages print them full-width.

Truth conventions (``GeneratedPage.truth``, a plain JSON-able dict):

* ``date`` (ISO), ``shape``, ``layout`` (``pdf`` or ``clean``), ``filename`` and ``items``
  in page order: the order in which each item's text (its body, or its only lines) is
  printed.  In pdf pages headlines and detached bylines do not change that order.
* every item has ``kind``, ``column_name``, ``kicker``, ``title``, ``subtitle``,
  ``reporters`` (记者 and 见习记者), ``correspondents``, ``photographers``, ``interns``,
  ``authors`` (pen names), ``body``, ``continued``, ``duplicates_dropped`` (1 when the
  extraction printed a passage of the body twice: one copy is expected),
  ``byline_detached`` (pdf: the byline sits in the block at the top) and ``extra``.
* ``body`` is clean text: full-width Chinese punctuation, paragraphs joined by ``\\n``, no
  hard wraps, no doubled runs, no continuation mark (``continued`` says it).  Names carry no
  padding (``王 强`` → ``王强``).  Titles keep the space printed between their two halves;
  compare titles and bodies with whitespace removed when a layout may break them.
* news, photo, commentary: headline parts as above, body = the paragraphs (a photo's body is
  its caption).  ad: ``title`` = the advertiser (嘉兴市交通学校) or a 公益广告's first line, ``body`` =
  the other lines in print order.  guide:
  ``title`` = the teaser lines joined by a space, ``body`` = the pointer (``详见二版``).
  masthead, weather, other: ``title`` empty, ``body`` = the printed lines joined by ``\\n``.
* a Markdown/plain paragraph split across a blank line, a pdf hard wrap, digits spaced
  apart by the pdf extraction and doubled bold runs are layout, not text: truth has none.

Command line: ``python bench/synth.py OUT_DIR --years 10 --seed 0``.  Used by the tests and the benches
(never by the app), so it lives here, with its users.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

SYNTH_VERSION = "1"
SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"
# The five real pages and the year each was printed in (years in their sentences are
# shifted by the page's distance from it).
SEED_FILES: dict[str, int] = {
    "000_a298d888743d6040.txt": 2020,
    "001_9b8e91649bcfa4b4.txt": 2020,
    "002_695e9bb9faad4e4f.txt": 2022,
    "003_29a27f5c4b9ee554.txt": 2020,
    "004_525199ea1aea63ef.txt": 2025,
}
PDF_SEEDS = frozenset({"003_29a27f5c4b9ee554.txt"})

SHAPES: tuple[str, ...] = ("markdown", "plain", "pdf")
DEFAULT_SHAPE_WEIGHTS: dict[str, float] = {"plain": 0.45, "markdown": 0.30, "pdf": 0.25}
KINDS: tuple[str, ...] = ("news", "photo", "commentary", "guide", "ad", "weather", "masthead", "other")

# ------------------------------------------------------------------------------ word lists

PLACES: tuple[str, ...] = (
    "当湖街道",
    "钟埭街道",
    "曹桥街道",
    "新埭镇",
    "新仓镇",
    "乍浦镇",
    "独山港镇",
    "广陈镇",
    "林埭镇",
    "平湖经济技术开发区",
    "农开区",
)
PLACE_RE = re.compile("|".join(sorted((*PLACES, "平湖经开"), key=len, reverse=True)))
THEMES: tuple[str, ...] = (
    "民生共享工程",
    "全国文明城市创建",
    "“低散乱”整治",
    "重大项目建设",
    "助企纾困",
    "基层治理",
    "乡村振兴",
    "共同富裕",
    "营商环境优化",
    "数字化改革",
    "美丽乡村建设",
    "垃圾分类",
    "科技创新",
    "招大引强",
    "强村计划",
    "长三角一体化",
    "生态文明建设",
    "安全生产",
    "平安建设",
    "文化惠民",
)
ACTIONS: tuple[str, ...] = (
    "压实工作责任、强化要素保障",
    "倒排任务抓紧干、统筹安排科学干",
    "加快项目建设进度",
    "持续优化营商环境",
    "推动各项工作落地见效",
    "补短板、强弱项、固优势",
    "以更大力度攻坚克难",
    "坚持问题导向、目标导向和结果导向",
    "创新机制、强化举措、全力攻坚",
    "整合资源、形成合力",
    "主动服务、靠前指导",
    "聚焦群众急难愁盼问题精准施策",
)
SCENES: tuple[str, ...] = (
    "工作人员正在对道路两侧的绿化带进行修剪",
    "志愿者们身穿红马甲为居民提供义诊服务",
    "一台台大型机械来回穿梭，施工现场一派繁忙",
    "党员志愿者挨家挨户宣传垃圾分类知识",
    "网格员正在走访辖区企业，了解生产经营情况",
    "孩子们在老师的带领下体验传统手工艺",
    "村民们在文化礼堂里观看送戏下乡演出",
    "企业生产车间内机器轰鸣，工人们正在赶制订单",
    "环卫工人正在清理河道里的漂浮物",
    "居民们在家门口的口袋公园里散步健身",
)
SEASON_SCENES: dict[int, tuple[str, ...]] = {
    0: ("农户们正在田间忙着给油菜施肥", "市民们在东湖边赏梅踏青"),
    1: ("农户们抢抓农时开展春耕备耕", "盛开的油菜花吸引了不少游客"),
    2: ("荷塘里荷花竞相绽放，吸引市民驻足观赏", "孩子们在泳池里学习游泳技能"),
    3: ("金黄的稻田里，收割机来回穿梭", "果农们正在采摘成熟的葡萄"),
}
SHORT_NAMES: tuple[str, ...] = ("善治宝", "连心包", "红管家", "共富工坊", "微网格", "直通车", "连连看")
PERSON_TITLES: tuple[str, ...] = (
    "市委副书记、市长",
    "市委常委、常务副市长",
    "市人大常委会主任",
    "市政协主席",
    "副市长",
    "市委常委、宣传部部长",
)
LEADERS: tuple[str, ...] = ("仲旭东", "胡水良", "石云良", "胡泓恬", "沈志凤", "周军波", "钱勇彪", "蔡国平")
REPORTERS: tuple[str, ...] = (
    "冯思家",
    "李雨婷",
    "居丹荔",
    "石晓晨",
    "汤智娟",
    "金睿敏",
    "胡佳英",
    "华婷婷",
    "吴振浩",
    "林旭东",
    "徐玉霞",
    "荣怡婷",
)
TRAINEES: tuple[str, ...] = ("韩胜超",)
INTERNS: tuple[str, ...] = ("王辰奕",)
CORRESPONDENTS: tuple[str, ...] = (
    "张晓慧",
    "赵泽曦",
    "彭凯军",
    "徐冰艳",
    "陈明远",
    "倪颖",
    "屠东君",
    "王璧恒",
    "徐佳丽",
    "顾秋叶",
    "沈斐",
    "曹金凤",
    "张丹燕",
)
PHOTOGRAPHERS: tuple[str, ...] = ("王强", "王强", "王强", "李唯忱", "陈明远", "曹金凤", "张叶")
PEN_NAMES: tuple[str, ...] = ("言成声", "言成声", "言成声", "平湖言")

TITLES: tuple[str, ...] = (
    "平湖重点项目建设加速度",
    "民生共享工程半年度工作交流会召开",
    "市人大常委会视察农村全域秀美人居环境建设管理情况",
    "平湖城投加快高质量市场化转型发展",
    "当湖打造互融共享社区治理新模式",
    "平湖入选第六届 全国文明城市名单",
    "“低散乱”整治辟出高质量发展轨道",
    "第八十一期 创新学堂举行",
    "“阅享当湖·书香政协” 委员读书活动启动",
    "广陈·廊下青创客联盟成立",
    "全力助企纾困 稳住经济大盘",
    "全市重大项目推进会召开",
    "共富路上澎湃科普力量",
    "打一场“以人民为中心”的擂台赛",
    "新埭让网格治理有精度更有温度",
    "“小块头”展现“大实力”",
    "我市部署“破难扶企”专项行动",
    "落实房租减免政策 激活市场发展活力",
    "奋战百日 决胜全年 彰显“创新突破”新成效",
    "市领导走进 工会驿站当站长",
    "平湖抗战史实图片展暨观展教育活动启动",
    "独山港“五群善治”探索共治共享新路径",
    "“抱团”蹚出致富路",
)
TITLE_TEMPLATES: tuple[str, ...] = (
    "{place}跑出项目建设“加速度”",
    "{place}打造{theme}新样板",
    "{theme}跑出“加速度”",
    "全市{theme}推进会召开",
    "{place}多措并举推进{theme}",
    "聚力{theme} 奋力争先创优",
    "我市召开{theme}工作部署会",
    "{place}“{short}”助推{theme}",
    "{theme}交出亮眼成绩单",
    "{place}：{theme}进行时",
)
KICKERS: tuple[str, ...] = (
    "争先创优 追梦奔跑",
    "以存量带增量 以匠心致初心",
    "凤凰筑巢来 民族一家亲",
    "浙沪毗邻地区青年农创再添新平台",
    "我市开启民生共享工程立功竞赛2.0版",
    "入网定格 认亲串门 服务到家",
    "寻抗战印记 明强国之志",
    "聚民力 汇民智 暖民心",
    "丰富文化服务供给 满足群众精神生活",
)
KICKER_TEMPLATES: tuple[str, ...] = (
    "聚焦{theme}",
    "{place}深化{theme}",
    "{leader}在全市{theme}推进会上强调",
    "平湖建立“1+8”服务机制——",
    "{place}探索{theme}新路径——",
)
SUBTITLES: tuple[str, ...] = (
    "民生优享“连连看”聚焦丰富文化服务供给",
    "我市全力推进全国科普示范市创建工作",
    "推动新就业群体与城市发展双向奔赴",
    "钟埭探索农村基层治理新模式",
)
SUBTITLE_TEMPLATES: tuple[str, ...] = (
    "{period}交出亮眼成绩单",
    "{ytd}完成年度计划的{pct}%",
    "{n}个项目完成投资{amt}亿元",
    "我市全力推进{theme}工作",
    "{place}{theme}工作取得阶段性成效",
)
COLUMN_BANNERS: tuple[str, ...] = (
    "经济创新 | 追梦一体化 奔向高质量",
    "砥砺实干 镇在突破",
    "深1度 | 民生实事",
    "共同富裕 | 平湖实践",
    "奋进新征程 建功新时代",
)
COMMENTARY_TITLES: tuple[str, ...] = (
    "为平湖制造注入“高”“新”动能",
    "让{theme}成色更足",
    "以实干实绩答好{theme}答卷",
    "{theme}要久久为功",
    "把{theme}办到群众心坎上",
)
COMMENTARY_TEMPLATES: tuple[str, ...] = (
    "推动{theme}，需要坚持以人民为中心的发展思想。",
    "推动{theme}，需要硬性的产业根基支撑，更需要久久为功的韧劲。",
    "{theme}不是一时一事，而是一项长期工程，必须一张蓝图绘到底。",
    "做好{theme}，关键在落实，要把“纸上的规划”变成“身边的变化”。",
    "只有{action}，才能让群众真正感受到{theme}带来的获得感。",
)
PHOTO_TITLES: tuple[str, ...] = (
    "书画作品庆丰收",
    "“我是挑战王”",
    "通天桥换“筋骨”",
    "智创园主体完工",
    "东湖夏日",
    "志愿服务进社区",
)
SEASON_PHOTO_TITLES: dict[int, tuple[str, ...]] = {
    0: ("腊味飘香", "喜迎新春"),
    1: ("春耕备耕忙", "油菜花开"),
    2: ("夏练三伏", "荷香满塘"),
    3: ("稻谷飘香", "秋收正忙"),
}
GUIDE_TOPICS: tuple[str, ...] = ("深1度·经济创新", "深1度·铁军打造", "深1度·乡村振兴", "深1度·民生实事")
GUIDE_TEASERS: tuple[tuple[str, ...], ...] = (
    ("追梦奔跑新时代", "产业工人有力量"),
    ("从一线来，到“新一线”去",),
    ("走进{place}", "感受{theme}新变化"),
    ("{place}：{theme}进行时",),
)
SCHOOL_ADS: tuple[tuple[str, ...], ...] = (
    (
        "嘉兴市交通学校",
        "地址：平湖市当湖街道青年大道中段111号（西桥广场南侧）",
        "诚信、敬业、务实、创新是我们永恒的追求！",
        "招生热线：8508717 8508709 俞金明",
        "友情提醒：关注天气，注意交通安全",
    ),
    (
        "友情提醒：关注天气，注意交通安全",
        "招生热线：85087171 85087979驾培 全日制",
        "嘉兴市交通学校",
        "诚信、廉教、优质服务是我们永远的追求！",
        "地址：平湖市当湖街道乍王线大胜段88号（吾悦广场南侧）",
    ),
)
PSA_BANNERS: tuple[str, ...] = (
    "再掀爱国卫生运动热潮 高分争创全国文明城市",
    "文明出行 礼让斑马线",
    "垃圾分类 人人有责",
    "光盘行动 从我做起",
    "移风易俗 文明节俭",
)
PSA_SLOGANS: tuple[str, ...] = (
    "全力创建全国文明城市 大力推进金平湖新崛起",
    "巩固全国文明城市创建成果 共建共享美好家园",
    "弘扬社会主义核心价值观 共筑文明平湖",
)
CREDIT_EDITORS: tuple[str, ...] = ("黄金凤", "黄金凤", "朱晓燕")
# Average daily high and low (℃) in Pinghu, by month.
CLIMATE: dict[int, tuple[int, int]] = {
    1: (8, 1),
    2: (10, 3),
    3: (15, 7),
    4: (21, 12),
    5: (26, 17),
    6: (29, 21),
    7: (33, 26),
    8: (32, 25),
    9: (28, 21),
    10: (23, 15),
    11: (17, 9),
    12: (11, 3),
}
WEATHER_TODAY: dict[int, tuple[str, ...]] = {
    0: ("今天阴有小雨，夜里转多云", "今天多云，夜里阴", "今天阴有雨夹雪", "今天晴到多云"),
    1: ("今天多云到阴，有分散性阵雨", "今天晴到多云", "今天阴有小雨"),
    2: ("今天多云到阴，有分散性阵雨或雷雨", "今天晴到多云，午后局部有雷阵雨", "今天多云"),
    3: ("今天晴到少云", "今天多云到晴", "今天阴有时有小雨"),
}
WEATHER_TOMORROW: tuple[str, ...] = ("明天晴到多云", "明天多云", "明天阴有时有阵雨", "明天多云转阴")
WINDS: tuple[str, ...] = ("偏东风3到4级", "东南风4到5级阵风6级，沿海阵风7级", "偏北风3到4级", "西北风4到5级")
# First day of the Spring Festival (no paper that day and the two after it).
SPRING_FESTIVAL: dict[int, date] = {
    y: date(y, m, d)
    for y, m, d in (
        (2010, 2, 14),
        (2011, 2, 3),
        (2012, 1, 23),
        (2013, 2, 10),
        (2014, 1, 31),
        (2015, 2, 19),
        (2016, 2, 8),
        (2017, 1, 28),
        (2018, 2, 16),
        (2019, 2, 5),
        (2020, 1, 25),
        (2021, 2, 12),
        (2022, 2, 1),
        (2023, 1, 22),
        (2024, 2, 10),
        (2025, 1, 29),
        (2026, 2, 17),
        (2027, 2, 6),
        (2028, 1, 26),
        (2029, 2, 13),
        (2030, 2, 3),
    )
}
SUNDAY_GAP_SHARE = 0.2
# (path template, weight): the default mix keeps most pages in YYYY/MM folders.
FILENAME_FORMS: tuple[tuple[str, int], ...] = (
    ("{y:04d}/{m:02d}/{y:04d}-{m:02d}-{d:02d}.txt", 70),
    ("{y:04d}/{m:02d}/{y:04d}{m:02d}{d:02d}_1.txt", 9),
    ("{y:04d}/{m:02d}/{d:02d}/page1.txt", 7),
    ("{y:04d}/{m:02d}/{y}年{m}月{d}日.txt", 8),
    ("{y:04d}/{m:02d}/嘉兴日报平湖版_{y:04d}{m:02d}{d:02d}.txt", 3),
    ("{y:04d}-{m:02d}-{d:02d}.txt", 3),
)

HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"})
FULL_TO_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"})

SENTENCE_RE = re.compile(r"[^。！？]+[。！？]+[”’]?")
DOUBLED_RE = re.compile(r"([\u4e00-\u9fff“”]{3,})\1")
REJECT_RE = re.compile(
    r"友情提醒|招生热线|地址：|晴到|多云|阵雨|雷雨|℃|\d到\d级|■|#|\*|»|下转|详见|栏目统筹|JIAXING|本报讯|[A-Za-z]{5,}"
)
LEAD_TIME_RE = re.compile(r"^(?:昨天|今天|日前|近日|眼下|当前|\d{1,2}月\d{1,2}日)(?:上午|下午|晚上|晚)?，")
MONTH_DAY_RE = re.compile(r"(?<![\d.])(?<!\d年)\d{1,2}月\d{1,2}日")
YEAR_RE = re.compile(r"(?<!\d)(20[0-3]\d)年")
YTD_RE = re.compile(r"(今年)?1至\d{1,2}月份?")
CUTOFF_RE = re.compile(r"截至\d{1,2}月底")
PERIOD_RE = re.compile(r"(今年)?(?:一季度|上半年|前三季度)")
AMOUNT_RE = re.compile(
    r"(?<![\d.第])(\d+(?:\.\d+)?)(?=亿元|万元|亿美元|万美元|万平方米|平方米|亩|个|家|户|人次|人|%|万吨|余|多|张|件|名)"
)
DIGITS_RE = re.compile(r"\d+(?:\.\d+)?%?")
QUOTE_RUN_RE = re.compile(r"[“”‘’《》]+|[^“”‘’《》]+")
NO_LINE_START = "，。、；：！？”’）》…"
NUMBER_CHARS = "0123456789.%"
NO_SPLIT_AFTER = "。！？” "
NO_SPLIT_BEFORE = " ，、。；：！？”）》"
ATTRIBUTION_RE = re.compile(r"^[^“].{1,40}(?:说|表示|介绍|告诉记者|要求|指出)。$")
PAIRS = (("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"))


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class GeneratedPage:
    text: str
    filename: str  # relative path, "/"-separated
    truth: dict

    @property
    def day(self) -> date:
        return date.fromisoformat(self.truth["date"])


@dataclass
class _Item:
    """One printed item while the page is being made; ``truth()`` is what a reader sees."""

    kind: str
    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    column_name: str = ""
    groups: list[tuple[str, list[str]]] = field(default_factory=list)  # (role, names) in print order
    authors: list[str] = field(default_factory=list)
    paras: list[str] = field(default_factory=list)
    variant: str = ""  # ad: school/psa; other: video/credit; masthead: its printed lines' style
    lead: bool = False
    continued: bool = False
    dup: tuple[int, str] | None = None  # (paragraph that gets a repeated passage appended, passage)
    detached: bool = False  # pdf: byline printed in the block at the top of the page
    extra: dict = field(default_factory=dict)

    def raw_paras(self, continuation: str = "（下转2版）") -> list[str]:
        paras = list(self.paras)
        if self.dup:
            k, passage = self.dup
            paras[k] += passage
        if self.continued:
            paras[-1] += continuation
        return paras

    def truth(self) -> dict:
        roles: dict[str, list[str]] = {
            "reporters": [],
            "correspondents": [],
            "photographers": [],
            "interns": [],
        }
        for role, names in self.groups:
            roles[ROLE_FIELDS[role]].extend(names)
        title, body = self.title, "\n".join(self.paras)
        if self.kind == "ad":
            title = self.title or self.paras[0]
            body = "\n".join(p for p in self.paras if p != title)
        elif self.kind == "guide":
            title, body = " ".join(self.paras[:-1]), self.paras[-1].lstrip("» ")
        return {
            "kind": self.kind,
            "column_name": self.column_name,
            "kicker": self.kicker,
            "title": title,
            "subtitle": self.subtitle,
            **roles,
            "authors": list(self.authors),
            "body": body,
            "continued": self.continued,
            "duplicates_dropped": int(self.dup is not None),
            "byline_detached": self.detached,
            "extra": dict(self.extra),
        }


ROLE_FIELDS = {
    "记者": "reporters",
    "见习记者": "reporters",
    "通讯员": "correspondents",
    "实习生": "interns",
    "摄影": "photographers",
}


# ------------------------------------------------------------------------------ sentence pool


@dataclass(frozen=True)
class _Pool:
    sentences: tuple[tuple[str, int], ...]  # (sentence, year of its seed page)
    leads: tuple[tuple[str, int], ...]  # sentences that followed 本报讯, time phrase removed


def _seed_stream(text: str, pdf: bool) -> list[str]:
    """Prose of a seed page as chunks, paragraphs split across lines joined again."""
    chunks, cur = [], []
    for raw in text.split("\n"):
        line = raw.strip()
        prose = bool(line) and not line.startswith(("■", "#", "*", "»")) and (pdf or _prose_line(line))
        if prose:
            cur.append(line)
        elif line and cur:
            chunks.append("".join(cur))
            cur = []
    if cur:
        chunks.append("".join(cur))
    return chunks


def _prose_line(line: str) -> bool:
    return len(line) >= 25 or line.startswith("本报讯") or "，" in line


def _seed_sentences(chunk: str) -> list[str]:
    """Sentences of a chunk; a short attribution after a closing quote stays with the quote."""
    out: list[str] = []
    for m in SENTENCE_RE.finditer(chunk):
        s = m.group(0).strip()
        if out and out[-1].endswith("”") and ATTRIBUTION_RE.match(s):
            out[-1] += s
        else:
            out.append(s)
    return out


def _clean_seed_text(text: str, pdf: bool) -> str:
    text = text.replace(" and ", "和").translate(HALF_TO_FULL)
    if pdf:
        text = re.sub(r"(?<=\S) (?=\d)|(?<=[\d%]) (?=\S)", "", text)
    return text


def _usable(sentence: str, pdf: bool) -> bool:
    if not 12 <= len(sentence) <= 180 or REJECT_RE.search(sentence) or DOUBLED_RE.search(sentence):
        return False
    if sentence[0] in "，、。”’）》；：" or (pdf and " " in sentence):
        return False
    return all(sentence.count(a) == sentence.count(b) for a, b in PAIRS)


@cache
def _pool() -> _Pool:
    sentences: dict[str, int] = {}
    leads: dict[str, int] = {}
    for name, year in SEED_FILES.items():
        path = SEED_DIR / name
        if not path.exists():
            raise FileNotFoundError(f"seed page {path} is missing: the generator reuses its sentences")
        pdf = name in PDF_SEEDS
        for chunk in _seed_stream(_clean_seed_text(path.read_text(encoding="utf-8"), pdf), pdf):
            for s in _seed_sentences(chunk):
                is_lead = s.startswith("本报讯")
                s = s.removeprefix("本报讯").strip()
                if not _usable(s, pdf):
                    continue
                lead = is_lead and LEAD_TIME_RE.match(s) and len(LEAD_TIME_RE.sub("", s)) >= 15
                (leads if lead else sentences).setdefault(s, year)
    return _Pool(tuple(sentences.items()), tuple(leads.items()))


# ------------------------------------------------------------------------------ text writer


REPEAT_MIN = 30


def _shingles(text: str) -> set[str]:
    return {text[i : i + REPEAT_MIN] for i in range(len(text) - REPEAT_MIN + 1)}


def _season(month: int) -> int:
    return {12: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2}.get(month, 3)


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


class _Writer:
    """Sentences, paragraphs and items for one page, all drawn from one ``rng``."""

    def __init__(self, day: date, rng: random.Random) -> None:
        self.day, self.rng = day, rng
        self.pool = _pool()
        self.place = rng.choice(PLACES)
        self.theme = rng.choice(THEMES)
        self.used: set[str] = set()  # seed sentences already printed on this page
        self.titles: set[str] = set()
        self.cursor = -1  # position in the pool: runs of consecutive seed sentences read naturally

    # -- small pieces
    def pick(self, seq: Sequence):
        return self.rng.choice(seq)

    def past_day(self, max_back: int = 2) -> date:
        return self.day - timedelta(days=self.rng.randint(1, max_back))

    def time_phrase(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return "昨天" + self.pick(("", "上午", "下午", "晚上"))
        if r < 0.75:
            return _md(self.past_day()) + self.pick(("上午", "下午", ""))
        return self.pick(("日前", "近日"))

    def ytd(self) -> str:
        m = self.day.month - 1
        return "去年全年" if m == 0 else ("1月份" if m == 1 else f"1至{m}月份")

    def period(self, m: re.Match | None = None) -> str:
        """The latest finished part of the year: 一季度, 上半年, 前三季度 or 去年四季度."""
        quarter = (self.day.month - 1) // 3
        if quarter == 0:
            return "去年四季度"
        return (m.group(1) or "" if m else "") + ("一季度", "上半年", "前三季度")[quarter - 1]

    def cutoff(self) -> str:
        m = self.day.month - 1
        return "截至去年底" if m == 0 else f"截至{m}月底"

    def slots(self) -> dict[str, str]:
        r = self.rng
        return {
            "place": self.place,
            "theme": self.theme,
            "action": self.pick(ACTIONS),
            "scene": self.pick(SCENES + SEASON_SCENES[_season(self.day.month)]),
            "short": self.pick(SHORT_NAMES),
            "leader": self.pick(LEADERS),
            "year": str(self.day.year),
            "n": str(r.randint(12, 160)),
            "k": str(r.randint(3, 40)),
            "k2": str(r.randint(1, 9)),
            "pct": f"{r.uniform(35, 99.5):.1f}",
            "pct_small": f"{r.uniform(2, 18):.1f}",
            "amt": f"{r.uniform(3, 120):.2f}",
            "amt2": f"{r.uniform(1, 20):.2f}",
            "amt3": f"{r.uniform(0.5, 15):.2f}",
            "ytd": self.ytd(),
            "cutoff": self.cutoff(),
            "period": self.period(),
            "time": self.time_phrase(),
            "title": self.pick(PERSON_TITLES),
            "person": self.pick(LEADERS),
        }

    def fill(self, template: str) -> str:
        return template.format_map(self.slots())

    # -- sentences
    def shift(self, sentence: str, seed_year: int) -> str:
        """Re-date, re-number and re-place a seed sentence for this page."""
        rng, year = self.rng, self.day.year

        def _year(m: re.Match) -> str:
            y = int(m.group(1))
            shifted = y + year - seed_year
            return f"{shifted}年" if seed_year - 12 <= y <= seed_year + 5 and shifted >= 1990 else m.group(0)

        def _amount(m: re.Match) -> str:
            text = m.group(1)
            value = float(text) * rng.uniform(0.6, 1.6)
            if "." in text:
                return f"{value:.{len(text.split('.')[1])}f}"
            return str(max(1, round(value)))

        s = YEAR_RE.sub(_year, sentence)
        s = MONTH_DAY_RE.sub(lambda _m: _md(self.past_day(3)), s)
        s = YTD_RE.sub(lambda m: ("" if self.day.month == 1 else m.group(1) or "") + self.ytd(), s)
        s = CUTOFF_RE.sub(self.cutoff(), s)
        s = PERIOD_RE.sub(self.period, s)
        s = AMOUNT_RE.sub(_amount, s)
        return PLACE_RE.sub(self.place, s)

    def pool_sentence(self) -> str:
        n = len(self.pool.sentences)
        for _ in range(8):
            self.cursor = (
                (self.cursor + 1) % n
                if self.cursor >= 0 and self.rng.random() < 0.6
                else self.rng.randrange(n)
            )
            text, year = self.pool.sentences[self.cursor]
            if text not in self.used:
                self.used.add(text)
                return self.shift(text, year)
        return self.fill(self.pick(SENTENCE_TEMPLATES))

    def sentence(self) -> str:
        if self.rng.random() < 0.7:
            return self.pool_sentence()
        return self.fill(self.pick(SENTENCE_TEMPLATES))

    def lead(self) -> str:
        if self.pool.leads and self.rng.random() < 0.55:
            s = LEAD_TIME_RE.sub("", self.shift(*self.pick(self.pool.leads)), count=1)
        else:
            s = self.fill(self.pick(LEAD_TEMPLATES))
        return f"本报讯 {self.time_phrase()}，{s}"

    def fresh(self, make: Callable[[], str], done: list[str]) -> str:
        """A sentence that repeats no 30-character stretch of the item so far (so the only
        repeated passage on a page is the one put there on purpose), appended to ``done``;
        "" when six tries all repeat."""
        so_far = "".join(done)
        tail = so_far[-(REPEAT_MIN - 1) :]
        for _ in range(6):
            s = make()
            if not any(chunk in so_far for chunk in _shingles(tail + s)):
                done.append(s)
                return s
        return ""

    def paragraphs(self, target: int, *, lead: bool, extra: Callable[[], str] | None = None) -> list[str]:
        r, done = self.rng, []
        paras: list[str] = []
        size = 0
        progress_at = r.randint(1, 3) if r.random() < 0.45 else -1
        while size < target:
            sents = [self.fresh(self.lead if lead else self.sentence, done)] if not paras else []
            sents += [self.fresh(self.sentence, done) for _ in range(r.randint(2, 5) - len(sents))]
            if len(paras) == progress_at:
                sents.append(self.fresh(lambda: self.fill(self.pick(PROGRESS_TEMPLATES)), done))
            if extra is not None and r.random() < 0.4:
                sents.append(self.fresh(extra, done))
            paras.append("".join(sents))
            size += len(paras[-1])
        return paras

    # -- bylines
    def news_byline(self) -> list[tuple[str, list[str]]]:
        r = self.rng
        groups = [("记者", r.sample(REPORTERS, r.choice((1, 1, 1, 2))))]
        if r.random() < 0.08:
            groups.append(("见习记者", [self.pick(TRAINEES)]))
        if r.random() < 0.5:
            groups.append(("通讯员", r.sample(CORRESPONDENTS, r.choice((1, 1, 2)))))
        if r.random() < 0.05:
            groups.append(("实习生", [self.pick(INTERNS)]))
        return groups

    def photo_byline(self) -> list[tuple[str, list[str]]]:
        names = list(
            dict.fromkeys(self.rng.choice(PHOTOGRAPHERS) for _ in range(self.rng.choice((1, 1, 2, 3))))
        )
        return [("摄影", names)]

    # -- items
    def news(self, *, lead: bool = False) -> _Item:
        r = self.rng
        self.place, self.theme = self.pick(PLACES), self.pick(THEMES)
        kicker = ""
        if r.random() < (0.6 if lead else 0.3):
            kicker = self.pick(KICKERS) if r.random() < 0.4 else self.fill(self.pick(KICKER_TEMPLATES))
        subtitle = ""
        if r.random() < (0.6 if lead else 0.2):
            subtitle = self.pick(SUBTITLES) if r.random() < 0.3 else self.fill(self.pick(SUBTITLE_TEMPLATES))
        title = self.title()
        target = r.randint(800, 1400) if lead else r.choice((r.randint(150, 300), r.randint(300, 900)))
        return _Item(
            "news",
            title=title,
            kicker=kicker,
            subtitle=subtitle,
            groups=self.news_byline(),
            column_name=self.pick(COLUMN_BANNERS) if r.random() < 0.08 else "",
            paras=self.paragraphs(target, lead=r.random() < 0.92),
            lead=lead,
            continued=r.random() < (0.1 if lead else 0.04),
        )

    def title(self) -> str:
        """A news title not yet used on this page."""
        for _ in range(8):
            title = self.pick(TITLES) if self.rng.random() < 0.35 else self.fill(self.pick(TITLE_TEMPLATES))
            if title not in self.titles:
                break
        self.titles.add(title)
        return title

    def photo(self) -> _Item:
        r = self.rng
        season = _season(self.day.month)
        title = self.pick(PHOTO_TITLES + SEASON_PHOTO_TITLES[season]) if r.random() < 0.8 else ""
        caption = (
            f"{self.time_phrase()}，在{self.pick(PLACES)}，{self.pick(SCENES + SEASON_SCENES[season])}。"
        )
        caption += "".join(self.sentence() for _ in range(r.randint(0, 2)))
        return _Item("photo", title=title, paras=[caption], groups=self.photo_byline())

    def commentary(self) -> _Item:
        self.theme = self.pick(THEMES)
        paras = self.paragraphs(
            self.rng.randint(500, 900), lead=False, extra=lambda: self.fill(self.pick(COMMENTARY_TEMPLATES))
        )
        return _Item(
            "commentary",
            title=self.fill(self.pick(COMMENTARY_TITLES)),
            authors=[self.pick(PEN_NAMES)],
            paras=paras,
        )

    def guide(self) -> _Item:
        teasers = [self.fill(t) for t in self.pick(GUIDE_TEASERS)]
        page = self.pick(("二", "二", "三", "四"))
        return _Item("guide", paras=[self.pick(GUIDE_TOPICS), *teasers, f"»»»»» 详见{page}版"])

    def school_ad(self) -> _Item:
        return _Item("ad", variant="school", title="嘉兴市交通学校", paras=list(self.pick(SCHOOL_ADS)))

    def psa(self) -> _Item:
        lines = [
            self.pick(PSA_BANNERS),
            "讲文明 树新风 公益广告",
            self.pick(PSA_SLOGANS),
            "平湖市传媒中心 宣",
        ]
        return _Item("ad", variant="psa", paras=lines)

    def weather(self) -> _Item:
        r, month = self.rng, self.day.month
        high, low = CLIMATE[month]
        high, low = high + r.randint(-3, 3), low + r.randint(-3, 3)
        low = min(low, high - 3)
        today = self.pick(WEATHER_TODAY[_season(month)])
        text = f"{today}。{self.pick(WEATHER_TOMORROW)}，{self.pick(WINDS)}。今天白天最高气温{high}℃，明天早晨最低气温{low}℃。"
        return _Item("weather", paras=[text], extra={"high_c": high, "low_c": low})

    def masthead(self, shape: str) -> _Item:
        client = "智慧平湖客户端" if self.day < date(2020, 9, 1) else "今平湖客户端"
        if shape == "plain" and self.rng.random() < 0.5:
            return _Item(
                "masthead", variant="joined", paras=["平湖版", f"平湖发布 {client}", "JIAXING DAILY"]
            )
        return _Item("masthead", paras=["平湖版", "平湖发布", client, "JIAXING DAILY"])

    def video(self) -> _Item:
        return _Item("other", variant="video", paras=["扫一扫 看视频"])

    def credit(self) -> _Item:
        prefix = "DIYI PINGLUN " if self.rng.random() < 0.6 else ""
        return _Item("other", variant="credit", paras=[f"{prefix}栏目统筹：{self.pick(CREDIT_EDITORS)}"])


SENTENCE_TEMPLATES: tuple[str, ...] = (
    "今年以来，{place}紧紧围绕{theme}目标任务，{action}，各项工作取得明显成效。",
    "{cutoff}，全市{n}个{theme}项目总体完成进度为{pct}%，其中已完成{k}个，进度超前{k2}个。",
    "{place}共排定重大项目{n}个，总投资{amt}亿元，目前已有{k}个项目开工建设。",
    "“接下来，我们将继续聚焦{theme}，{action}，确保各项任务落地见效。”{place}相关负责人告诉记者。",
    "会议强调，要坚持问题导向，{action}，以更大力度推进{theme}。",
    "{year}年是{place}推进{theme}的关键之年，{action}是当前的重点任务。",
    "目前，{place}已累计走访企业{n}家，帮助解决问题{k}个，满意率达{pct}%。",
    "记者在{place}看到，{scene}。",
    "近年来，{place}以{theme}为抓手，{action}，群众的获得感、幸福感、安全感不断增强。",
    "截至目前，{place}共完成{theme}相关任务{n}项，完成率达{pct}%。",
    "下一步，{place}将持续深化{theme}，{action}，为打造“重要窗口”最精彩板块贡献力量。",
    "活动现场，{scene}，吸引了不少市民驻足观看。",
    "据统计，{ytd}{place}新增市场主体{n}户，同比增长{pct_small}%。",
    "此次活动共吸引{n}余名群众参与，发放宣传资料{k}00余份。",
    "{title}{person}强调，要{action}，推动{theme}不断取得新成效。",
)
LEAD_TEMPLATES: tuple[str, ...] = (
    "我市召开{theme}推进会，总结前阶段工作，部署下一阶段任务。",
    "{title}{person}带队赴{place}调研{theme}工作。",
    "{place}举行{theme}集中签约活动，共签约项目{k}个，总投资{amt}亿元。",
    "记者从市发改局了解到，{ytd}全市有效投资保持较快增长，{theme}各项指标稳中有进。",
    "{place}启动{theme}专项行动，进一步{action}。",
)
PROGRESS_TEMPLATES: tuple[str, ...] = (
    "{cutoff}，{n}个项目总体完成进度为{pct}%。",
    "该项目总投资{amt}亿元，当年计划投资{amt2}亿元，{ytd}已完成投资{amt3}亿元，完成年度计划的{pct}%。",
    "{ytd}，全市固定资产投资完成{amt}亿元，同比增长{pct_small}%。",
    "{n}个项目列入年度重点建设计划，总投资{amt}亿元，{ytd}完成年度计划的{pct}%。",
)


# ------------------------------------------------------------------------------ page plan


def _plan_page(day: date, rng: random.Random, shape: str) -> list[_Item]:
    """The items of one page in print order, sized to about 12–16 KB."""
    w = _Writer(day, rng)
    masthead_share = {"markdown": 1.0, "plain": 0.75, "pdf": 0.15}[shape]
    head = [w.masthead(shape)] if rng.random() < masthead_share else []
    middle = [w.photo() for _ in range(rng.choice((0, 1, 1, 1, 2)))]
    optional = ((0.3, w.commentary), (0.5, w.guide), (0.2, w.video))
    middle += [make() for share, make in optional if rng.random() < share]
    tail = [
        make()
        for share, make in ((0.3, w.school_ad), (0.2, w.psa), (0.45, w.weather))
        if rng.random() < share
    ]
    if any(it.kind == "commentary" for it in middle) and rng.random() < 0.6:
        tail.append(w.credit())
    lead = w.news(lead=True)
    budget = rng.randint(3900, 4900) - sum(len(p) for it in [lead, *middle, *tail] for p in it.paras)
    news = []
    while budget > 0 or len(news) < 2:
        news.append(w.news())
        budget -= sum(len(p) for p in news[-1].paras)
    middle += news
    rng.shuffle(middle)
    if rng.random() < 0.3:
        rng.shuffle(tail)
    items = [*head, lead, *middle, *tail]
    if rng.random() < 0.15:
        _add_repeated_passage(items, rng)
    return items


def _add_repeated_passage(items: list[_Item], rng: random.Random) -> None:
    """The extraction prints a long stretch of an earlier paragraph again (seed 002)."""
    candidates = [it for it in items if it.kind == "news" and len(it.paras) >= 3 and len(it.paras[0]) >= 90]
    if not candidates:
        return
    item = rng.choice(candidates)
    source = item.paras[0]
    start = rng.randint(10, len(source) - 70)
    item.dup = (rng.randint(1, len(item.paras) - 2), source[start:])  # not the last: 下转 ends that


# ------------------------------------------------------------------------------ bylines in print


def _pad(name: str) -> str:
    return f"{name[0]} {name[1]}" if len(name) == 2 else name


def _role(role: str, rng: random.Random, spaced_share: float) -> str:
    return " ".join(role) if len(role) == 2 and rng.random() < spaced_share else role


@dataclass(frozen=True)
class _BylineStyle:
    marker: str = "■"  # printed before the first role, or ""
    pad_share: float = 0.1  # share of two-character names printed as "王 强"
    spaced_share: float = 0.08  # share of roles printed as "记 者"
    one_line_share: float = 0.5  # all roles on one line, else one role per line


def _byline_lines(groups: list[tuple[str, list[str]]], rng: random.Random, style: _BylineStyle) -> list[str]:
    if not groups:
        return []
    pad = rng.random() < style.pad_share
    parts = [
        f"{_role(role, rng, style.spaced_share)} {' '.join(_pad(n) if pad else n for n in names)}"
        for role, names in groups
    ]
    if rng.random() < style.one_line_share:
        return [style.marker + " ".join(parts)]
    return [style.marker + parts[0], *parts[1:]]


# ------------------------------------------------------------------------------ clean shapes


def _split_paragraph(p: str, rng: random.Random) -> list[str]:
    """A paragraph split mid-sentence across a blank line, as the seeds often show."""
    if len(p) < 60:
        return [p]
    for _ in range(4):
        i = rng.randint(len(p) // 5, len(p) * 9 // 10)
        if p[i - 1] not in NO_SPLIT_AFTER and p[i] not in NO_SPLIT_BEFORE:
            return [p[:i], p[i:]]
    return [p]


def _prose(paras: list[str], rng: random.Random, split_share: float = 0.25) -> list[str]:
    out: list[str] = []
    for p in paras:
        for part in _split_paragraph(p, rng) if rng.random() < split_share else [p]:
            out += [part, ""]
    return out


def _clean_news(it: _Item, rng: random.Random, md: bool, style: _BylineStyle) -> list[str]:
    out: list[str] = []
    if it.column_name:
        out += [f"**{it.column_name}**" if md else it.column_name, ""]
    if it.kicker:
        out += [("### " if md else "") + it.kicker, ""]
        if not md and rng.random() < 0.3:  # "平湖建立“1+8”服务机制——  " right above the title
            out[-2:] = [it.kicker + "  "]
    byline = _byline_lines(it.groups, rng, style)
    if md:
        out += [("# " if it.lead else "## ") + it.title, ""]
    elif rng.random() < 0.12 and style.marker:  # headline and byline run together
        out += [f"{it.title}{byline[0]}  "]
        byline = byline[1:]
    else:
        out += [("## " if rng.random() < 0.08 else "") + it.title, ""]
    if it.subtitle:
        out += [("## " if md and it.lead else "") + it.subtitle, ""]
    if byline:
        if rng.random() < 0.15:
            byline[0] += "  "
        out += [*byline, ""]
    return out + _prose(it.raw_paras(), rng)


def _clean_photo(it: _Item, rng: random.Random, md: bool, style: _BylineStyle) -> list[str]:
    photo_style = _BylineStyle(style.marker, style.pad_share, 0.0, 1.0)
    byline = _byline_lines(it.groups, rng, photo_style)[0]
    caption = it.paras[0]
    if not it.title:
        return ["", "", f"{caption} {byline}", ""]
    if md:
        return [f"### {it.title}", "", "", "", caption, "", byline, ""]
    return ["", "", ("## " if rng.random() < 0.15 else "") + it.title, "", caption, "", byline, ""]


def _clean_commentary(it: _Item, rng: random.Random, md: bool) -> list[str]:
    return [("## " if md else "") + it.title, "", it.authors[0], "", *_prose(it.paras, rng)]


def _clean_ad(it: _Item, rng: random.Random, md: bool) -> list[str]:
    if it.variant == "school":
        return ["", *it.paras, ""]
    banner, label, slogan, signoff = it.paras
    if md:
        return [f"**{banner}**", "", label, "", f"## {slogan}", "", signoff, ""]
    return [banner, "", label, "", slogan, "", signoff, ""]


def _clean_guide(it: _Item, rng: random.Random, md: bool) -> list[str]:
    head = "### 导读" if md else rng.choice(("导读", "导 读"))
    teasers = it.paras[:-1]
    return [head, "", *(t + "  " for t in teasers[:-1]), teasers[-1], "", it.paras[-1], ""]


def _clean_masthead(it: _Item, md: bool) -> list[str]:
    lines = ["", ""]
    for text in it.paras:
        gap = 1 if it.paras[-1] in (text, *it.paras[it.paras.index(text) + 1 :][:1]) else 3
        if md and text in ("平湖版", "JIAXING DAILY"):
            text = ("# " if text == "平湖版" else "## ") + text
        lines += [text, *[""] * gap]
    return lines


def _render_clean(items: list[_Item], rng: random.Random, shape: str) -> list[str]:
    md = shape == "markdown"
    marker = "■" if md or rng.random() < 0.75 else ""
    style = _BylineStyle(marker=marker, pad_share=0.1, spaced_share=0.08, one_line_share=0.55)
    out: list[str] = [] if items[0].kind == "masthead" else ["", ""]
    for it in items:
        if it.kind == "news":
            out += _clean_news(it, rng, md, style)
        elif it.kind == "photo":
            out += _clean_photo(it, rng, md, style)
        elif it.kind == "commentary":
            out += _clean_commentary(it, rng, md)
        elif it.kind == "ad":
            out += _clean_ad(it, rng, md)
        elif it.kind == "guide":
            out += _clean_guide(it, rng, md)
        elif it.kind == "masthead":
            out += _clean_masthead(it, md)
        else:  # weather, other
            out += [it.paras[0], ""]
    return out


# ------------------------------------------------------------------------------ pdf shape


def _space_digits(text: str, rng: random.Random) -> str:
    """PDF extraction puts spaces around some numbers: ``已完成 60%``, ``于 3月 18日``."""

    def _sub(m: re.Match) -> str:
        before = " " if m.start() > 0 and text[m.start() - 1] not in " （“" and rng.random() < 0.35 else ""
        after = " " if rng.random() < 0.1 else ""
        return before + m.group(0) + after

    return DIGITS_RE.sub(_sub, text)


def _wrap(text: str, rng: random.Random, lo: int = 13, hi: int = 15, blank_share: float = 0.1) -> list[str]:
    """Hard-wrap like the PDF extraction: closing punctuation hangs on the line before and
    numbers are not broken."""
    lines: list[str] = []
    i = 0
    while i < len(text):
        end = i + rng.randint(lo, hi)
        while end < len(text) and (
            text[end] in NO_LINE_START or (text[end] in NUMBER_CHARS and text[end - 1] in NUMBER_CHARS)
        ):
            end += 1
        lines.append(text[i:end])
        i = end
        if i < len(text) and rng.random() < blank_share:
            lines.append("")
    return lines


def _pdf_prose(paras: list[str], rng: random.Random, lo: int = 13, hi: int = 15) -> list[str]:
    out: list[str] = []
    for p in paras:
        out += _wrap(_space_digits(p, rng), rng, lo, hi)
        if rng.random() < 0.88:
            out.append("")
    if out and out[-1]:
        out.append("")
    return out


def _double_runs(text: str) -> str:
    """Bold headline runs printed twice: ``打一场打一场““以人民为中心以人民为中心””…``."""
    return "".join(run * 2 for run in QUOTE_RUN_RE.findall(text))


def _pdf_headline(it: _Item, rng: random.Random) -> list[str]:
    lines = [it.kicker] if it.kicker else []
    title_lines = it.title.split(" ") if " " in it.title and rng.random() < 0.5 else [it.title]
    if rng.random() < 0.35:
        title_lines = [_double_runs(t) for t in title_lines]
    lines += title_lines
    if it.subtitle:
        lines.append(it.subtitle)
    return lines


PDF_STYLE = _BylineStyle(marker="■", pad_share=0.5, spaced_share=0.25, one_line_share=0.5)


def _pdf_news(it: _Item, rng: random.Random, first: bool) -> list[str]:
    byline = [] if it.detached else _byline_lines(it.groups, rng, PDF_STYLE)
    head = [*(_pdf_headline(it, rng) if it.kind == "news" else [it.title, *it.authors]), *byline, ""]
    body = _pdf_prose(it.raw_paras(), rng)
    return head + body if first else body + head


def _pdf_photo(it: _Item, rng: random.Random) -> list[str]:
    byline = _byline_lines(it.groups, rng, _BylineStyle("■", 0.6, 0.0, 1.0))
    out = _wrap(it.paras[0], rng, 44, 50, 0.0) + ["", *byline, ""]
    return out + ([*it.title.split(" "), ""] if it.title else [])


def _pdf_block(it: _Item, rng: random.Random) -> list[str]:
    if it.kind == "weather":
        return _wrap(_space_digits(it.paras[0], rng), rng, 16, 19, 0.0) + [""]
    if it.kind == "guide":
        return ["导读", *it.paras, ""]
    lines: list[str] = []
    for text in it.paras:
        lines.append(text)
        if rng.random() < 0.3:
            lines.append("")
    return lines + [""]


def _detach_bylines(items: list[_Item], rng: random.Random) -> list[str]:
    """Bylines of about half the articles after the first, gathered at the top of the page."""
    top: list[str] = []
    articles = [it for it in items if it.kind == "news"]
    for it in articles[1:]:
        if rng.random() < 0.5:
            it.detached = True
            lines = _byline_lines(it.groups, rng, PDF_STYLE)
            if rng.random() < 0.2:
                lines[0] = " " + lines[0]
            top += lines + ([""] if rng.random() < 0.5 else [])
    return top + [""] if top else []


def _render_pdf(items: list[_Item], rng: random.Random) -> list[str]:
    out = _detach_bylines(items, rng)
    first_article = True
    for it in items:
        if it.kind in ("news", "commentary"):
            out += _pdf_news(it, rng, first_article and it.kind == "news")
            first_article = first_article and it.kind != "news"
        elif it.kind == "photo":
            out += _pdf_photo(it, rng)
        else:
            out += _pdf_block(it, rng)
    return out + ["", ""]


# ------------------------------------------------------------------------------ files and days


def page_filename(day: date, rng: random.Random) -> str:
    forms = [f for f, _ in FILENAME_FORMS]
    form = rng.choices(forms, weights=[w for _, w in FILENAME_FORMS])[0]
    return form.format(y=day.year, m=day.month, d=day.day)


def is_gap_day(day: date, seed: int = 0) -> bool:
    """No paper that day: New Year's Day, the first three days of the Spring Festival, 2–3
    October, and about one Sunday in five."""
    festival = SPRING_FESTIVAL.get(day.year)
    if (day.month, day.day) in ((1, 1), (10, 2), (10, 3)):
        return True
    if festival and 0 <= (day - festival).days < 3:
        return True
    return (
        day.weekday() == 6
        and random.Random(f"pinghu-gap:{seed}:{day.isoformat()}").random() < SUNDAY_GAP_SHARE
    )


def publishing_days(start: date, days: int, seed: int = 0) -> list[date]:
    """The days in ``[start, start + days)`` that have a paper."""
    return [d for d in (start + timedelta(days=k) for k in range(days)) if not is_gap_day(d, seed)]


def days_for_pages(start: date, pages: int, seed: int = 0) -> int:
    """The calendar span from ``start`` that holds exactly ``pages`` published days."""
    span, found = 0, 0
    while found < pages:
        found += not is_gap_day(start + timedelta(days=span), seed)
        span += 1
    return span


def _shape_chooser(shapes: Sequence[str] | Mapping[str, float] | None) -> tuple[list[str], list[float]]:
    if shapes is None:
        shapes = DEFAULT_SHAPE_WEIGHTS
    names = list(shapes)
    weights = [float(shapes[s]) for s in names] if isinstance(shapes, Mapping) else [1.0] * len(names)
    unknown = set(names) - set(SHAPES)
    if unknown or not names:
        raise ValueError(f"unknown shapes {sorted(unknown)}; choose from {SHAPES}")
    return names, weights


def page_rng(day: date, seed: int) -> random.Random:
    return random.Random(f"pinghu-synth:{SYNTH_VERSION}:{seed}:{day.isoformat()}")


# ------------------------------------------------------------------------------ public API


def generate_page(day: date, rng: random.Random, shape: str = "plain") -> GeneratedPage:
    """One front page for ``day`` in ``shape`` (markdown, plain or pdf) and its truth."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; choose from {SHAPES}")
    items = _plan_page(day, rng, shape)
    if shape == "pdf":
        text = "\n".join(_render_pdf(items, rng))
    else:
        text = "\n".join(_render_clean(items, rng, shape)).translate(FULL_TO_HALF)
    text = text.rstrip("\n") + rng.choice(("", "\n", "\n\n"))
    filename = page_filename(day, rng)
    truth = {
        "date": day.isoformat(),
        "shape": shape,
        "layout": "pdf" if shape == "pdf" else "clean",
        "filename": filename,
        "items": [it.truth() for it in items],
    }
    return GeneratedPage(text=text, filename=filename, truth=truth)


def generate_corpus(
    out_dir: Path,
    *,
    start: date,
    days: int,
    seed: int = 0,
    shapes: Sequence[str] | Mapping[str, float] | None = None,
) -> list[GeneratedPage]:
    """Write one ``.txt`` per published day in ``[start, start + days)`` under ``out_dir``.

    ``shapes``: names to choose among evenly, or a mapping name → weight; the default mix
    is ``DEFAULT_SHAPE_WEIGHTS``.  A few days have no paper (see ``is_gap_day``).
    """
    names, weights = _shape_chooser(shapes)
    out_dir = Path(out_dir)
    pages = []
    for day in publishing_days(start, days, seed):
        rng = page_rng(day, seed)
        page = generate_page(day, rng, rng.choices(names, weights=weights)[0])
        path = out_dir / page.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page.text.encode("utf-8"))
        pages.append(page)
    return pages


def write_truth(pages: Sequence[GeneratedPage], path: Path) -> None:
    """The truth of every page, one JSON object per line."""
    with Path(path).open("w", encoding="utf-8") as fh:
        for page in pages:
            fh.write(json.dumps(page.truth, ensure_ascii=False) + "\n")


def _years_to_days(start: date, years: int) -> int:
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return (end - start).days


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/synth.py", description="生成合成的平湖版头版语料")
    parser.add_argument("out_dir", type=Path, help="folder to write the pages into")
    parser.add_argument("--years", type=int, default=10, help="calendar years to cover (default 10)")
    parser.add_argument("--days", type=int, default=None, help="calendar days to cover (overrides --years)")
    parser.add_argument(
        "--start", type=date.fromisoformat, default=date(2016, 1, 1), help="first day, YYYY-MM-DD"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--shapes", default=None, help="comma-separated shapes to use (default: the usual mix)"
    )
    parser.add_argument(
        "--truth", type=Path, default=None, help="also write every page's truth as JSON lines here"
    )
    args = parser.parse_args(argv)
    days = args.days if args.days is not None else _years_to_days(args.start, args.years)
    shapes = args.shapes.split(",") if args.shapes else None
    t0 = time.perf_counter()
    pages = generate_corpus(args.out_dir, start=args.start, days=days, seed=args.seed, shapes=shapes)
    seconds = time.perf_counter() - t0
    if args.truth:
        write_truth(pages, args.truth)
    size = sum(len(p.text.encode("utf-8")) for p in pages)
    print(f"{len(pages)} pages, {size / 1e6:.1f} MB in {seconds:.1f} s → {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

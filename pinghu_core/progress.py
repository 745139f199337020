"""Project progress: figures and milestones from article bodies (rules in docs/PROGRESS.md).

``extract_article`` splits a body into sentences (。！？；), finds in each sentence

* percentages, classified by the words right before them in their clause: completion words
  (完成, 进度) give ``completion_pct``; growth, share, rate and reduction words give
  ``growth_pct``, ``share_pct``, ``rate_pct`` and ``reduction_pct``; a percentage with no such
  word is left out.  The negative rules run first, so 同比增长8.7% is never a completion figure.
  A list (81.3%、86.4%和76.9%) inherits the first figure's metric and maps, in order, to as many
  project groups (10个省“4+1”重大项目 …) listed before it;
* amounts right after 总投资 / 计划投资 / 完成投资 (亿元; 万元 ÷ 10,000; 亿美元 kept, 万美元 → 亿美元);
* project counts by status (已完成15个, 进度超前6个, 进度正常92个, 已有3个项目开工);
* milestones (开工, 主体结构封顶, 主体完工, 竣工, 投产, 开馆, 投入使用), ``planned`` after
  预计/计划/将/力争 …, else ``done``, with the date or month they name.

The subject is the nearest project group or named project before the figure in its sentence,
else the last named project of the article so far, else the article's title.  All regexes are
compiled once here; every function is pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from . import schemas
from .projects import normalise

MILESTONE = "milestone"
COMPLETION = "completion_pct"
COUNT_METRICS: dict[str, str] = {
    "已完成": "count_done",
    "已竣工": "count_done",
    "进度超前": "count_ahead",
    "超前": "count_ahead",
    "进度正常": "count_on_schedule",
    "正常推进": "count_on_schedule",
    "进度滞后": "count_behind",
    "滞后": "count_behind",
    "已开工": "count_started",
    "新开工": "count_started",
}
INVESTMENT_METRICS: dict[str, str] = {
    "总投资": "investment_total",
    "计划投资": "investment_planned",
    "完成投资": "investment_completed",
}
EVENTS: dict[str, str] = {
    "开工建设": "开工",
    "开工": "开工",
    "动工": "开工",
    "主体结构封顶": "主体结构封顶",
    "结构封顶": "主体结构封顶",
    "封顶": "主体结构封顶",
    "主体完工": "主体完工",
    "完工": "主体完工",
    "竣工投产": "竣工",
    "竣工": "竣工",
    "投产": "投产",
    "开馆试运行": "开馆",
    "开馆": "开馆",
    "试运行": "开馆",
    "投入使用": "投入使用",
    "交付使用": "投入使用",
}
BOTH_EVENTS: dict[str, tuple[str, ...]] = {"竣工投产": ("竣工", "投产")}  # one phrase, two milestones

_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_NUM = r"(\d+(?:\.\d+)?)"
_PCT_RE = re.compile(_NUM + r"\s*%")
_AMOUNT_RE = re.compile(r"(总投资|计划投资|完成投资)(?:额)?(?:约|达|为|近|超|共)?\s*" + _NUM + r"\s*(亿元|万元|亿美元|万美元)")
_COUNT_RE = re.compile(r"(已完成|已竣工|进度超前|超前|进度正常|正常推进|进度滞后|滞后|已开工|新开工)\s*(\d+)\s*个(?!百分点)")
_STARTED_RE = re.compile(r"已有\s*(\d+)\s*个项目(?:开工|动工)")
_EVENT_RE = re.compile("|".join(sorted(EVENTS, key=len, reverse=True)))
_GROUP_RE = re.compile(
    r"(?P<scope>\d+)\s*个(?P<name>[^，。；、：,:%]{0,24}?(?:项目|工程(?![^，。；、]{0,6}项目)))"
    r"(?:列入(?P<plan>[^，。；]{1,20}?计划))?"
)
# 乍浦镇共排定重大项目140个: the count after the name
_GROUP_AFTER_RE = re.compile(
    r"(?:^|(?<=[，。；：\s]))(?P<place>[\u4e00-\u9fff]{2,12}?)共?(?:排定|安排|实施|谋划|推进)"
    r"(?P<name>[\u4e00-\u9fff“”]{0,10}?项目)(?P<scope>\d+)个"
)
_ANAPHOR_RE = re.compile(r"项目|工程|该馆|该园")
_NAMED_RE = re.compile(
    r"(?:^|(?<=[，。；：、“”（）\s的,:]))(?P<name>[\u4e00-\u9fff·]{2,24}?"
    r"(?:迁建项目|建设工程|项目|新馆|公寓|产业园|智创园|医院|隧道)(?:[一二三四]期)?(?:迁建项目|建设工程|项目|工程)?)"
)
_BAD_NAME_RE = re.compile(
    r"^(?:该|此|这|各|一批|多个|重大|重点|相关|民生|产业|建设|新建|项目|其中|在建|目前|今年|全面|加快|推进|确保|"
    r"协调|做到|详细|了解|解决|抓|推动|实施|开展|完成|实现|启动|服务|参与|获取|谋划|招引|引进|签约|落实|优化)"
)
_LEAD_RE = re.compile(r"^(?:我市|全市|本市|据了解|目前)")
# a candidate name keeps only what follows the last function word or verb in it:
# 位于新仓镇的中以设施农业示范园项目 → 中以设施农业示范园项目 (as 以 is trimmed too: 设施农业示范园项目)
_TRIM_RE = re.compile(
    r"^.*(?:的|了|在|把|将|要|对|为|让|是|等|与|和|及|从|到|共|于|由|被|向|给|跟|继|好|我们|进一步|落实|抓|"
    r"推进|推动|加快|优化|引进|招引|签约|覆盖|聚焦|对接|介绍|了解|来自|位于|作为|成为|涉及|需要|如何|融入|谋|找|"
    r"送上|召开|排定|打造|提高|加大|投入|掌握|挖潜|个)"
)
_GENERIC_STEM_RE = re.compile(
    r"(?:重大|重点|民生|服务|产业|建设|各|相关|所有|主题|认领|复工|物业|经营业务|超亿美元|超亿元|竞赛活动|新上马|在建|"
    r"市级|省级|县级|村级)$"
)
_GROUP_CONTEXT_RE = re.compile(r"民生[共优]享工程|民生实事工程|“[^”]{2,12}”工程")
_PERIOD_RE = re.compile(
    r"\d{1,2}\s*[至\-—~]\s*\d{1,2}\s*月份?|上半年|下半年|前三季度|第?[一二三四1-4]季度|"
    r"截至(?:目前|今年底|年底|\d{4}年\d{1,2}月底|\d{4}年底|今年\d{1,2}月底|\d{1,2}月底|\d{1,2}月末|"
    r"\d{1,2}月\d{1,2}日)|今年以来|全年"
)
_WHEN_RE = re.compile(
    r"(?:\d{4}年|今年|明年|去年)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底|初|中旬|上旬|下旬|份)?|"
    r"\d{4}年(?:底|内)?|今年(?:底|内)?|明年(?:底|内)?|年底|年内|上半年|下半年"
)
_PLANNED_RE = re.compile(r"预计|计划|将|力争|有望|争取|拟|年内|即将")
_DONE_RE = re.compile(r"已经|已|正式|顺利|完成了|实现")
_CLAUSE_SPLIT_RE = re.compile(r"[，,：:]")
_LIST_GAP_RE = re.compile(r"^\s*[、和及与]\s*$")
_GROWTH_RE = re.compile(r"增长|增速|同比|环比|提高|提升|上升|增幅|增加")
_REDUCTION_RE = re.compile(r"下降|减少|降低|降幅|削减|压减")
_SHARE_RE = re.compile(r"占|比重|份额")
_RATE_RE = re.compile(r"满意|使用率|覆盖率|收益率|达标率|合格率|利用率|参与率|知晓率|率达|率为|率")
_COMPLETION_RE = re.compile(r"完成|进度|完工")
_AFTER_GROWTH_RE = re.compile(r"^\s*的(?:正)?增长|^\s*的(?:下降|降幅)")
_YMD_RE = re.compile(r"(?:(\d{4})年|(今年|明年|去年))?(?:(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")


@dataclass(frozen=True)
class Subject:
    name: str
    scope: str
    start: int
    end: int


@dataclass(frozen=True)
class Figure:
    """One figure or milestone found in a sentence (offsets are into the sentence)."""

    subject: str
    scope: str
    metric: str
    value: float
    unit: str
    period: str
    sentence: str
    value_start: int
    value_end: int
    event: str = ""
    status: str = ""
    when: str = ""


# ---------------------------------------------------------------- small pieces


def split_sentences(text: str) -> list[str]:
    """Sentences of a body: split after 。！？；, and at line ends; blanks dropped."""
    return [s.strip() for s in _SENTENCE_RE.findall(text or "") if s.strip()]


def clause_before(sentence: str, pos: int) -> str:
    """The text of ``sentence`` from the last comma/colon before ``pos`` up to ``pos``."""
    head = sentence[:pos]
    cuts = [m.end() for m in _CLAUSE_SPLIT_RE.finditer(head)]
    return head[cuts[-1] :] if cuts else head


def to_yi(value: float, unit: str) -> tuple[float, str]:
    """An amount in 亿元 (万元 ÷ 10,000) or 亿美元 (万美元 ÷ 10,000)."""
    if unit == "万元":
        return round(value / 10_000, 6), "亿元"
    if unit == "万美元":
        return round(value / 10_000, 6), "亿美元"
    return value, unit


def classify_pct(clause: str, after: str) -> str:
    """The metric of a percentage from its clause's words before it and the text after it; '' to omit."""
    if _REDUCTION_RE.search(clause) or after.startswith(("的下降", "的降幅")):
        return "reduction_pct"
    if _GROWTH_RE.search(clause) or _AFTER_GROWTH_RE.match(after):
        return "growth_pct"
    if _SHARE_RE.search(clause):
        return "share_pct"
    if "完成率" in clause:
        return COMPLETION
    if _RATE_RE.search(clause):
        return "rate_pct"
    if _COMPLETION_RE.search(clause):
        return COMPLETION
    return ""


def find_period(sentence: str, pos: int) -> str:
    """The nearest reference period (1至6月份, 上半年, 截至6月底 …) before ``pos`` in the sentence."""
    found = [m.group(0) for m in _PERIOD_RE.finditer(sentence, 0, pos)]
    return re.sub(r"\s+", "", found[-1]) if found else ""


def _clean_name(name: str) -> str:
    """A candidate project name after trimming leading function words and verbs; '' when generic."""
    name = _LEAD_RE.sub("", _TRIM_RE.sub("", name))
    stem = normalise(name)
    if len(stem) < 3 or _GENERIC_STEM_RE.search(stem) or _BAD_NAME_RE.match(name) or re.search(r"\d", name):
        return ""
    return name


def subjects_in(sentence: str) -> list[Subject]:
    """Project groups (10个省“4+1”重大项目) and named projects (平湖市博物馆新馆) in a sentence."""
    out: list[Subject] = []
    if not _NAME_HINT_RE.search(sentence):
        return out
    for m in _GROUP_RE.finditer(sentence):
        name = m.group("plan") or m.group("name").strip()
        out.append(Subject(name, f"{m.group('scope')}个", m.start(), m.end()))
    for m in _GROUP_AFTER_RE.finditer(sentence):
        name = _LEAD_RE.sub("", m.group("place")) + m.group("name")
        out.append(Subject(name, f"{m.group('scope')}个", m.start("place"), m.end()))
    for m in _NAMED_RE.finditer(sentence):
        name = _clean_name(m.group("name"))
        if len(name) < 4:
            continue
        if any(s.start <= m.start("name") < s.end for s in out):
            continue
        out.append(Subject(name, "", m.start("name"), m.end("name")))
    return sorted(out, key=lambda s: s.end)


def nearest_subject(subjects: list[Subject], pos: int, sentence: str = "", end: int = -1) -> Subject | None:
    """The subject ending nearest before ``pos``; or one right after the value (总投资4500万美元的X)."""
    before = [s for s in subjects if s.end <= pos]
    if end >= 0 and sentence[end : end + 1] == "的":
        after = [s for s in subjects if s.start in (end + 1, end + 2) and not s.scope]
        if after:
            return after[0]
    return before[-1] if before else None


# ---------------------------------------------------------------- per-sentence finders


@dataclass
class Context:
    """What a sentence's figures fall back on: the article's title, named project and group word."""

    title: str
    last_named: str = ""
    group_word: str = ""

    def subject(self, found: Subject | None, sentence: str = "") -> tuple[str, str]:
        if found is None:
            carry = self.last_named and _ANAPHOR_RE.search(sentence)  # 项目预计… refers back
            return (self.last_named if carry else self.title), ""
        if found.scope and found.name in ("项目", "工程") and self.group_word:
            return f"{self.group_word}{found.scope}{found.name}", found.scope
        return found.name, found.scope


def _pct_runs(sentence: str) -> list[list[re.Match]]:
    """Percentages grouped into lists (81.3%、86.4%和76.9% is one run of three)."""
    runs: list[list[re.Match]] = []
    for m in _PCT_RE.finditer(sentence):
        if runs and _LIST_GAP_RE.match(sentence[runs[-1][-1].end() : m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _run_subjects(run: list[re.Match], subjects: list[Subject], sentence: str, ctx: Context) -> list[tuple[str, str]]:
    """One (subject, scope) per figure of a run: a list maps in order onto the groups listed before it."""
    groups = [s for s in subjects if s.scope and s.end <= run[0].start()]
    if len(run) > 1 and len(groups) >= len(run):
        return [ctx.subject(g, sentence) for g in groups[-len(run) :]]
    first = nearest_subject(subjects, run[0].start(), sentence, run[-1].end())
    return [ctx.subject(first, sentence)] * len(run)


def percent_figures(sentence: str, subjects: list[Subject], ctx: Context) -> Iterator[Figure]:
    for run in _pct_runs(sentence):
        head = run[0]
        metric = classify_pct(clause_before(sentence, head.start()), sentence[run[-1].end() :])
        if not metric:
            continue
        period = find_period(sentence, head.start())
        for m, (subject, scope) in zip(run, _run_subjects(run, subjects, sentence, ctx), strict=True):
            yield Figure(subject, scope, metric, float(m.group(1)), "%", period, sentence, m.start(1), m.end(1))


def amount_figures(sentence: str, subjects: list[Subject], ctx: Context) -> Iterator[Figure]:
    for m in _AMOUNT_RE.finditer(sentence):
        value, unit = to_yi(float(m.group(2)), m.group(3))
        subject, scope = ctx.subject(nearest_subject(subjects, m.start(), sentence, m.end()), sentence)
        period = find_period(sentence, m.start())
        metric = INVESTMENT_METRICS[m.group(1)]
        yield Figure(subject, scope, metric, value, unit, period, sentence, m.start(2), m.end(2))


def count_figures(sentence: str, subjects: list[Subject], ctx: Context) -> Iterator[Figure]:
    found = [(COUNT_METRICS[m.group(1)], m, 2) for m in _COUNT_RE.finditer(sentence)]
    found += [("count_started", m, 1) for m in _STARTED_RE.finditer(sentence)]
    for metric, m, g in sorted(found, key=lambda t: t[1].start()):
        subject, scope = ctx.subject(nearest_subject(subjects, m.start()), sentence)
        yield Figure(subject, scope, metric, float(m.group(g)), "个", find_period(sentence, m.start()),
                     sentence, m.start(g), m.end(g))  # fmt: skip


def _milestone_status(clause: str) -> str:
    """'planned', 'done' or '' (no marker: not reported) from the clause before the event."""
    if _PLANNED_RE.search(clause):
        return "planned"
    if _DONE_RE.search(clause) or re.search(r"于.{0,14}$", clause):
        return "done"
    return ""


def milestone_figures(sentence: str, subjects: list[Subject], ctx: Context) -> Iterator[Figure]:
    if sentence.endswith(("？", "?")):
        return  # 什么时候正式开馆？ is a question, not a milestone
    previous = 0
    for m in _EVENT_RE.finditer(sentence):
        clause = clause_before(sentence, m.start())
        if re.search(r"\d+\s*个", clause) or sentence[m.end() : m.end() + 1] in ("”", "在"):
            continue  # 已有3个项目开工 is a count; “开工在建” a list name
        status = _milestone_status(clause)
        whens = list(_WHEN_RE.finditer(sentence, previous, m.start()))
        previous = m.end()
        when = re.sub(r"\s+", "", whens[-1].group(0)) if whens and whens[-1].start() >= m.start() - 40 else ""
        if not status or (status == "done" and not when and "已" not in clause and "正式" not in clause):
            continue
        subject, scope = ctx.subject(nearest_subject(subjects, m.start()), sentence)
        period = find_period(sentence, m.start())
        for event in BOTH_EVENTS.get(m.group(0), (EVENTS[m.group(0)],)):
            yield Figure(subject, scope, MILESTONE, float("nan"), "", period, sentence,
                         m.start(), m.end(), event, status, when)  # fmt: skip


FINDERS = (percent_figures, amount_figures, count_figures, milestone_figures)
_TRIGGER_RE = re.compile(r"%|亿|万元|万美元|\d\s*个|" + _EVENT_RE.pattern)
_NAME_HINT_RE = re.compile(r"项目|工程|新馆|公寓|园|医院|隧道")  # a sentence without these names no project


def extract_article(body: str, title: str = "") -> list[Figure]:
    """Every figure and milestone of one article, in sentence order."""
    ctx = Context(title, "", (m.group(0) if (m := _GROUP_CONTEXT_RE.search(f"{title}\n{body}")) else ""))
    out: list[Figure] = []
    for paragraph in (body or "").split("\n"):
        ctx.last_named = ""  # a project named in another paragraph is not carried over
        out.extend(_paragraph_figures(paragraph, ctx))
    return out


def _paragraph_figures(paragraph: str, ctx: Context) -> list[Figure]:
    out: list[Figure] = []
    for sentence in split_sentences(paragraph):
        if not _TRIGGER_RE.search(sentence):
            named = [s for s in subjects_in(sentence) if not s.scope]
            ctx.last_named = named[-1].name if named else ctx.last_named
            continue
        subjects = subjects_in(sentence)
        found = [f for finder in FINDERS for f in finder(sentence, subjects, ctx)]
        out.extend(sorted(found, key=lambda f: f.value_start))
        named = [s for s in subjects if not s.scope]
        if named:
            ctx.last_named = named[-1].name
    return out


# ---------------------------------------------------------------- dates


def resolve_when(when: str, page_date: pd.Timestamp | None) -> pd.Timestamp:
    """今年8月 / 2018年9月底 / 3月31日 → a date (first day of the month when no day), NaT if unknown."""
    m = _YMD_RE.match(when or "")
    if not m or not (m.group(1) or m.group(2) or m.group(3)):
        return pd.NaT
    year = int(m.group(1)) if m.group(1) else None
    has_page = page_date is not None and not pd.isna(page_date)
    if year is None and has_page:
        year = page_date.year + {"今年": 0, "明年": 1, "去年": -1}.get(m.group(2) or "今年", 0)
    if year is None:
        return pd.NaT
    month = int(m.group(3)) if m.group(3) else (12 if "底" in when else 1)
    day = int(m.group(4)) if m.group(4) else 1
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return pd.NaT


# ---------------------------------------------------------------- rows and frames


def article_rows(article: dict, page_date: pd.Timestamp | None) -> list[dict]:
    """PROGRESS rows (project_id left '') of one article dict with article_id, page_id, source, title, body."""
    title = article.get("title") or article.get("subtitle") or article.get("kicker") or ""
    figures = extract_article(str(article.get("body") or ""), str(title))
    rows = []
    for k, f in enumerate(figures):
        rows.append(
            {
                "figure_id": f"{article['article_id']}-{k:03d}",
                "article_id": article["article_id"],
                "page_id": article["page_id"],
                "source": article["source"],
                "date": page_date,
                "subject": f.subject,
                "project_id": "",
                "scope": f.scope,
                "metric": f.metric,
                "value": f.value,
                "unit": f.unit,
                "period": f.period,
                "sentence": f.sentence,
                "value_start": f.value_start,
                "value_end": f.value_end,
                "event": f.event,
                "status": f.status,
                "when": f.when,
                "when_date": resolve_when(f.when, page_date) if f.when else pd.NaT,
            }
        )
    return rows


EXTRACTED_KINDS = ("news", "photo", "commentary")


def page_rows(articles: list[dict], page_date: pd.Timestamp | None) -> list[dict]:
    """PROGRESS rows of one page's article dicts (news, photo and commentary items only)."""
    return [row for a in articles if a.get("kind") in EXTRACTED_KINDS for row in article_rows(a, page_date)]


def extract_frame(articles: pd.DataFrame) -> pd.DataFrame:
    """The PROGRESS frame of an articles frame (project_id '' — see projects.assign_ids)."""
    rows = [
        row
        for a in articles.to_dict("records")
        if str(a["kind"]) in EXTRACTED_KINDS
        for row in article_rows(a, a["date"])
    ]
    return schemas.conform(pd.DataFrame(rows, columns=schemas.PROGRESS.names), schemas.PROGRESS)


# ---------------------------------------------------------------- views for the page


def _key(progress: pd.DataFrame) -> pd.Series:
    return progress["project_id"].where(progress["project_id"] != "", progress["subject"])


def latest_completion(progress: pd.DataFrame) -> pd.DataFrame:
    """The latest ``completion_pct`` per project (or subject when it has no id), with its period and date."""
    cols = ["subject", "project_id", "scope", "metric", "value", "unit", "period", "date", "figure_id",
            "article_id", "source", "sentence", "value_start", "value_end"]  # fmt: skip
    done = progress[progress["metric"] == COMPLETION]
    if done.empty:
        return done[cols].reset_index(drop=True)
    done = done.assign(_key=_key(done)).sort_values(["date", "figure_id"], kind="stable", na_position="first")
    latest = done.groupby("_key", sort=False).tail(1)
    return latest.sort_values("date", ascending=False, kind="stable")[cols].reset_index(drop=True)


def trajectory(progress: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """Figures and milestones of one project, ordered by page date (then by position)."""
    rows = progress[progress["project_id"] == project_id]
    return rows.sort_values(["date", "figure_id"], kind="stable").reset_index(drop=True)


def investment_pairs(progress: pd.DataFrame) -> pd.DataFrame:
    """Planned and completed investment of a subject given in the same article, side by side."""
    cols = ["subject", "project_id", "date", "period", "planned", "completed", "unit"]
    inv = progress[progress["metric"].isin(["investment_planned", "investment_completed"])]
    if inv.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("planned", "completed") else "object") for c in cols})
    keys = ["article_id", "subject", "project_id", "unit"]
    first = inv.groupby([*keys, "metric"], sort=False).agg(value=("value", "first"), date=("date", "first"),
                                                            period=("period", "last")).reset_index()  # fmt: skip
    wide = first.pivot_table(index=keys, columns="metric", values="value", aggfunc="first").reset_index()
    if not {"investment_planned", "investment_completed"} <= set(wide.columns):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    wide = wide.dropna(subset=["investment_planned", "investment_completed"])
    meta = first[first["metric"] == "investment_completed"][[*keys, "date", "period"]]
    out = wide.merge(meta, on=keys, how="left").rename(
        columns={"investment_planned": "planned", "investment_completed": "completed"}
    )
    return out.sort_values("date", kind="stable")[cols].reset_index(drop=True)


_PRINTED_UNITS = ("%", "％", "亿美元", "万美元", "亿元", "万元", "个")


def highlight(sentence: str, start: int, end: int) -> str:
    """The sentence with the value ``sentence[start:end]`` and the unit printed right after it
    wrapped in 【】 (unchanged when the span is empty).

    >>> highlight("施工量已完成约85%，预计", 7, 9)
    '施工量已完成约【85%】，预计'
    """
    if not (0 <= start < end <= len(sentence)):
        return sentence
    end += next((len(u) for u in _PRINTED_UNITS if sentence.startswith(u, end)), 0)
    return f"{sentence[:start]}【{sentence[start:end]}】{sentence[end:]}"


def with_project_ids(progress: pd.DataFrame, resolve) -> pd.DataFrame:
    """``progress`` with ``project_id = resolve(subject)`` (one call per distinct subject)."""
    subjects = progress["subject"].astype(str)
    ids = {s: resolve(s) for s in subjects.unique()}
    out = progress.copy()
    out["project_id"] = subjects.map(ids).astype("string") if len(out) else out["project_id"]
    return out


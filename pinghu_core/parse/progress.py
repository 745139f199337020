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
else the last named project of the paragraph so far (when the sentence refers back), else the
project, plan or campaign the article's title names (``data/progress.toml``); a figure with none
of these is not project progress and is left out.  All fixed regexes are compiled once here; the
word lists of ``data/progress.toml`` are compiled when the file changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from pinghu_core.common import schemas
from pinghu_core.common.datafiles import DataFile
from pinghu_core.parse.dates import EARLIEST
from pinghu_core.parse.projects import normalise

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
_AMOUNT_RE = re.compile(
    r"(总投资|计划投资|完成投资)(?:额)?(?:约|达|为|近|超|共)?\s*" + _NUM + r"\s*(亿元|万元|亿美元|万美元)"
)
_COUNT_RE = re.compile(
    r"(已完成|已竣工|进度超前|超前|进度正常|正常推进|进度滞后|滞后|已开工|新开工)\s*(\d+)\s*个(?!百分点)"
)
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
_LEAD_RE = re.compile(r"^(?:我市|全市|本市|据了解|目前)")
# 加快推进十四五规划 → 十四五规划: the verbs a headline puts before the project it names
_TITLE_VERB_RE = re.compile(
    r"^(?:加快|加速|全力|全面|扎实|持续|深入|大力|推进|推动|部署|启动|实施|开展|深化|做好|抓好|打好|打赢|决战|召开|举行|"
    r"谋划|聚焦|实现|完成|力推|助推|高质量)+"
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
_CLAUSE_SPLIT_RE = re.compile(r"[，,：:]")
_LIST_GAP_RE = re.compile(r"^\s*[、和及与]\s*$")
_GROWTH_RE = re.compile(r"增长|增速|同比|环比|提高|提升|上升|增幅|增加")
_REDUCTION_RE = re.compile(r"下降|减少|降低|降幅|削减|压减")
_SHARE_RE = re.compile(r"占|比重|份额")
_RATE_RE = re.compile(r"满意|使用率|覆盖率|收益率|达标率|合格率|利用率|参与率|知晓率|率达|率为|率")
_COMPLETION_RE = re.compile(r"完成|进度|完工")
_AFTER_GROWTH_RE = re.compile(r"^\s*的(?:正)?增长|^\s*的(?:下降|降幅)")
_YMD_RE = re.compile(r"(?:(\d{4})年|(今年|明年|去年))?(?:(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")
# a name that starts with when it was (截至4月底、2020年5月22日在…) starts with a time, not a project
_TIME_LEAD_RE = re.compile(
    r"^(?:截至|截止|到|至|自|从|在)?(?:\d{4}\s*年)?(?:\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:底|末|初|份|以来|前|中旬|上旬|下旬)?"
)


@dataclass(frozen=True)
class Rules:
    """The word lists of ``data/progress.toml``, compiled."""

    version: str
    title_name: re.Pattern | None  # a project, plan or campaign named in a title
    generic: frozenset[str]
    over_100: re.Pattern | None  # words that let a completion figure exceed 100%
    max_pct: float
    named: re.Pattern | None  # a named project in a sentence (平湖市博物馆新馆)
    hint: re.Pattern | None  # a sentence without these names no project
    institution: re.Pattern | None  # 新馆, 医院 …: a project only for milestones, investment, completion
    trim: re.Pattern | None  # the name keeps what follows the last of these words
    bad_start: re.Pattern | None
    generic_end: re.Pattern | None
    planned: re.Pattern | None = None  # a milestone still to come (预计, 将, 便能 …)
    done: re.Pattern | None = None  # a milestone reached (已, 已经)
    done_weak: re.Pattern | None = None  # reached, unless a planned word is in the clause (正式, 实现 …)
    required: re.Pattern | None = None  # a requirement, not a report (务必, 确保 …)
    undated_done: re.Pattern | None = None  # besides 已: enough for a reached milestone without a date
    not_marker: re.Pattern | None = None  # words holding a marker that are none (重要, 需要 …)
    not_after: re.Pattern | None = None  # right after the event: no report (开工前, 开工条件)


def _alternation(words) -> str:
    return "|".join(map(re.escape, sorted({str(w) for w in words if str(w)}, key=len, reverse=True)))


def build_rules(data: dict) -> Rules:
    subjects, completion = data.get("subjects", {}), data.get("completion", {})
    heads, quoted = (
        _alternation(subjects.get("title_heads", [])),
        _alternation(subjects.get("quoted_heads", [])),
    )
    parts = []
    if heads:  # 平湖市博物馆新馆, 嘉兴“615”计划, “破难扶企”专项行动
        parts.append(rf"(?:“[^“”]{{1,16}}”)?[\u4e00-\u9fff·0-9+]{{0,24}}?(?:{heads})(?:[一二三四]期)?")
    if quoted:  # “低散乱”整治, “四大百日攻坚”
        parts.append(rf"“[^“”]{{1,16}}”(?:{quoted})|“[^“”]{{0,16}}(?:{quoted}|{heads or quoted})”")
    over = _alternation(completion.get("over_100_words", []))
    names = data.get("names", {})
    projects, places = (
        _alternation(names.get("project_suffixes", [])),
        _alternation(names.get("institution_suffixes", [])),
    )
    suffixes = "|".join(x for x in (projects, places) if x)
    trim, keep = _alternation(names.get("trim_after", [])), _alternation(names.get("not_trimmed", []))
    bad, generic_end = _alternation(names.get("bad_starts", [])), _alternation(names.get("generic_ends", []))
    stones = data.get("milestones")
    if not isinstance(stones, dict) or not stones.get("planned_words") or not stones.get("done_words"):
        # a file from before the section: every milestone would be lost without a word
        raise ValueError(
            "缺少 [milestones] 一节或其中的 planned_words、done_words（建设节点的计划词和完成词）"
        )
    planned, done, weak, required, undated, not_marker, not_after = (
        _alternation(stones.get(k, []))
        for k in (
            "planned_words",
            "done_words",
            "weak_done_words",
            "required_words",
            "undated_done_words",
            "not_markers",
            "not_after",
        )
    )
    return Rules(
        version=str(data.get("version", "")),
        title_name=re.compile("|".join(parts)) if parts else None,
        generic=frozenset(str(w) for w in subjects.get("generic", [])),
        over_100=re.compile(over) if over else None,
        max_pct=float(completion.get("max_pct", 1000)),
        # 事项目前 is 事项 + 目前, not a 项目; 项目前期 is
        named=re.compile(
            r"(?:^|(?<=[，。；：、“”（）\s的,:]))(?P<name>[\u4e00-\u9fff·]{2,24}?"
            rf"(?:{suffixes})(?!前(?!期))(?:[一二三四]期)?(?:{projects or suffixes}|工程)?)"
        )
        if suffixes
        else None,
        hint=re.compile(f"{suffixes}|工程|园") if suffixes else None,
        institution=re.compile(rf"(?:{places})(?:[一二三四]期)?$") if places else None,
        trim=re.compile(rf"^.*(?:{'(?!' + keep + ')' if keep else ''}(?:{trim}))") if trim else None,
        bad_start=re.compile(f"^(?:{bad})") if bad else None,
        generic_end=re.compile(f"(?:{generic_end})$") if generic_end else None,
        planned=re.compile(planned) if planned else None,
        done=re.compile(done) if done else None,
        done_weak=re.compile(weak) if weak else None,
        required=re.compile(required) if required else None,
        undated_done=re.compile(undated) if undated else None,
        not_marker=re.compile(not_marker) if not_marker else None,
        not_after=re.compile(f"^(?:{not_after})") if not_after else None,
    )


_EMPTY_RULES = Rules("", None, frozenset(), None, 1000.0, None, None, None, None, None, None)
RULES_FILE = DataFile("progress.toml", "项目进度词表", build_rules, _EMPTY_RULES)


def rules_problem() -> str:
    """Why data/progress.toml could not be used ("" when it was)."""
    return RULES_FILE.problem()


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


def plausible_completion(value: float, clause: str, rules: Rules | None = None) -> bool:
    """A completion figure above 100% only against a plan or target (完成年度计划的111.8%, 超额完成);
    never above ``max_pct``.

    >>> plausible_completion(111.8, "完成年度计划的"), plausible_completion(183, "完成约定采购量的")
    (True, False)
    """
    rules = rules or RULES_FILE.get()
    if value > rules.max_pct:
        return False
    return value <= 100 or bool(rules.over_100 and rules.over_100.search(clause))


def find_period(sentence: str, pos: int) -> str:
    """The nearest reference period (1至6月份, 上半年, 截至6月底 …) before ``pos`` in the sentence."""
    found = [m.group(0) for m in _PERIOD_RE.finditer(sentence, 0, pos)]
    return re.sub(r"\s+", "", found[-1]) if found else ""


def _clean_name(name: str, rules: Rules) -> str:
    """A candidate project name after trimming leading function words and verbs; '' when generic."""
    if rules.trim is not None:
        name = rules.trim.sub("", name)
    name = _TIME_LEAD_RE.sub("", _LEAD_RE.sub("", name))
    stem = normalise(name)
    if len(stem) < 3 or re.search(r"\d", name):
        return ""
    if (rules.generic_end and rules.generic_end.search(stem)) or (
        rules.bad_start and rules.bad_start.match(name)
    ):
        return ""
    return name


def _group_place(before: str, rules: Rules) -> str:
    """The place written right before a group's count (苏州市吴江区 of 苏州市吴江区43个重大项目), or ''."""
    m = re.search(r"[\u4e00-\u9fff]{2,12}$", before)
    if not m:
        return ""
    place = _LEAD_RE.sub("", rules.trim.sub("", m.group(0)) if rules.trim else m.group(0))
    return place if len(place) >= 2 and not (rules.bad_start and rules.bad_start.match(place)) else ""


def subjects_in(sentence: str, rules: Rules | None = None) -> list[Subject]:
    """Project groups (10个省“4+1”重大项目) and named projects (平湖市博物馆新馆) in a sentence."""
    out: list[Subject] = []
    rules = rules or RULES_FILE.get()
    if rules.hint is None or not rules.hint.search(sentence):
        return out
    counted = "个" in sentence  # both group patterns need it (10个…项目, …项目140个)
    for m in _GROUP_RE.finditer(sentence) if counted else ():
        name = m.group("plan") or m.group("name").strip()
        if not m.group("plan") and rules.generic_end and rules.generic_end.search(normalise(name)):
            name = _group_place(sentence[: m.start()], rules) + name  # 苏州市吴江区43个重大项目
        out.append(Subject(name, f"{m.group('scope')}个", m.start(), m.end()))
    for m in _GROUP_AFTER_RE.finditer(sentence) if counted else ():
        name = _LEAD_RE.sub("", m.group("place")) + m.group("name")
        out.append(Subject(name, f"{m.group('scope')}个", m.start("place"), m.end()))
    for m in rules.named.finditer(sentence) if rules.named else ():
        name = _clean_name(m.group("name"), rules)
        if len(name) < 4:
            continue
        if any(s.start <= m.start("name") < s.end for s in out):
            continue
        out.append(Subject(name, "", m.start("name"), m.end("name")))
    return sorted(out, key=lambda s: s.end)


def title_subject(title: str, rules: Rules | None = None) -> str:
    """The project, plan, campaign or programme a title names ('' when it names none).

    >>> title_subject("我市部署“破难扶企”专项行动")
    '“破难扶企”专项行动'
    >>> title_subject("平湖城投加快高质量市场化转型发展")
    ''
    """
    rules = rules or RULES_FILE.get()
    if rules.title_name is None or not title:
        return ""
    for m in rules.title_name.finditer(title):
        name = m.group(0)
        if rules.trim is not None and not name.startswith("“"):  # 企业在行动 → 行动 (too generic)
            name = rules.trim.sub("", name)
        name = _TITLE_VERB_RE.sub("", _LEAD_RE.sub("", name))
        stem = normalise(name)
        if len(stem) >= 2 and not stem.isdigit() and name not in rules.generic and stem not in rules.generic:
            return name
    return ""


def nearest_subject(subjects: list[Subject], pos: int, sentence: str = "", end: int = -1) -> Subject | None:
    """The subject ending nearest before ``pos``; or one right after the value (总投资4500万美元的X)."""
    before = [s for s in subjects if s.end <= pos]
    if end >= 0 and sentence[end : end + 1] == "的":
        after = [s for s in subjects if s.start in (end + 1, end + 2) and not s.scope]
        if after:
            return after[0]
    return before[-1] if before else None


# ---------------------------------------------------------------- per-sentence finders


_COUNTED_RE = re.compile(r"\d+\s*个")


@dataclass
class Context:
    """What a sentence's figures fall back on: the project its title names, the paragraph's last
    named project and the article's programme word; subject '' means the figure is left out."""

    title_subject: str
    last_named: str = ""
    group_word: str = ""
    rules: Rules | None = None

    def subject(self, found: Subject | None, sentence: str = "") -> tuple[str, str]:
        if found is None:
            carry = self.last_named and _ANAPHOR_RE.search(sentence)  # 项目预计… refers back
            return (self.last_named if carry else self.title_subject), ""
        if found.scope and found.name in ("项目", "工程"):  # 118个项目: whose projects?
            group = self.group_word or ("" if _COUNTED_RE.search(self.title_subject) else self.title_subject)
            return (f"{group}{found.scope}{found.name}" if group else ""), found.scope
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


def _run_subjects(
    run: list[re.Match], subjects: list[Subject], sentence: str, ctx: Context, *, own: bool = False
) -> list[tuple[str, str]]:
    """One (subject, scope) per figure of a run: a list maps in order onto the groups listed before it;
    a list said to be 分别 (respectively) of fewer groups than values maps onto none.

    ``own``: the figures are statistics (growth, share, rate, reduction), which belong to a project
    only when the sentence itself names one (not a 新馆/医院 …) — no title or carried subject."""
    groups = [s for s in subjects if s.scope and s.end <= run[0].start()]
    if len(run) > 1 and len(groups) >= len(run):
        return [ctx.subject(g, sentence) for g in groups[-len(run) :]]
    if len(run) > 1 and "分别" in clause_before(sentence, run[0].start()):
        # 经费和全球卫生项目拨款，削减幅度分别达53%和35%: each value is another thing's, and fewer
        # groups were found than values — none can be given to one subject
        return [("", "")] * len(run)
    first = nearest_subject(subjects, run[0].start(), sentence, run[-1].end())
    if own and (first is None or (not first.scope and _is_institution(first.name, ctx.rules))):
        return [("", "")] * len(run)
    return [ctx.subject(first, sentence)] * len(run)


def _is_institution(name: str, rules: Rules | None) -> bool:
    rules = rules or RULES_FILE.get()
    return bool(rules.institution and rules.institution.search(name))


def percent_figures(sentence: str, subjects: list[Subject], ctx: Context) -> Iterator[Figure]:
    for run in _pct_runs(sentence):
        head = run[0]
        metric = classify_pct(clause_before(sentence, head.start()), sentence[run[-1].end() :])
        if not metric:
            continue
        period = find_period(sentence, head.start())
        clause = clause_before(sentence, head.start())
        pairs = _run_subjects(run, subjects, sentence, ctx, own=metric != COMPLETION)
        for m, (subject, scope) in zip(run, pairs, strict=True):
            value = float(m.group(1))
            if metric == COMPLETION and not plausible_completion(value, clause, ctx.rules):
                continue
            yield Figure(subject, scope, metric, value, "%", period, sentence, m.start(1), m.end(1))


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
        yield Figure(
            subject,
            scope,
            metric,
            float(m.group(g)),
            "个",
            find_period(sentence, m.start()),
            sentence,
            m.start(g),
            m.end(g),
        )


def _last(pattern: re.Pattern | None, text: str) -> int:
    """Where the last match of ``pattern`` in ``text`` ends (-1: none)."""
    ends = [m.end() for m in pattern.finditer(text)] if pattern is not None else []
    return ends[-1] if ends else -1


def _milestone_status(clause: str, rules: Rules) -> str:
    """'planned', 'done' or '' (no marker: not reported) from the clause before the event.

    The marker nearest the event decides between a planned word (预计, 将, 便能 …) and 已/已经
    (计划投资的项目已开工 is done); 正式, 顺利, 实现 or a 于… date say done only when no planned
    word is in the clause (今年底便能实现投产 is planned).  Words that
    hold a marker but are none (重要, 需要, 主要 …) are not read as one.  A requirement (务必, 确保, 要 …)
    is no report: ''.
    """
    if rules.not_marker is not None:
        clause = rules.not_marker.sub(lambda m: "\u3000" * len(m.group()), clause)
    if rules.required is not None and rules.required.search(clause):
        return ""
    planned, done = _last(rules.planned, clause), _last(rules.done, clause)
    if planned >= 0 and planned > done:
        return "planned"
    if done >= 0:
        return "done"
    if _last(rules.done_weak, clause) >= 0 or re.search(r"于.{0,14}$", clause):
        return "done"
    return ""


def _undated_done(clause: str, rules: Rules) -> bool:
    """A milestone reached with no date named counts only with 已/已经 or one of ``undated_done_words``
    (正式开工): 顺利竣工 alone says nothing of when."""
    return bool(
        (rules.done and rules.done.search(clause))
        or (rules.undated_done and rules.undated_done.search(clause))
    )


def _reported(sentence: str, end: int, rules: Rules) -> bool:
    """False when the words right after an event make it no report of one: a time before it
    (交付使用之前, 开工前), a condition or a kind of project (具备开工条件, 已开工项目), or a count of
    projects in the rest of its clause (计划投产和续建项目共116个)."""
    after = sentence[end:]
    if rules.not_after is not None and rules.not_after.match(after):
        return False
    rest = _CLAUSE_SPLIT_RE.split(after, 1)[0]
    return not re.search(r"项目\s*[共有]?\s*\d+\s*个", rest)


def milestone_figures(sentence: str, subjects: list[Subject], ctx: Context) -> Iterator[Figure]:
    if sentence.endswith(("？", "?")):
        return  # 什么时候正式开馆？ is a question, not a milestone
    previous = 0
    rules = ctx.rules or RULES_FILE.get()
    for m in _EVENT_RE.finditer(sentence):
        clause = clause_before(sentence, m.start())
        if re.search(r"\d+\s*个", clause) or sentence[m.end() : m.end() + 1] in ("”", "在"):
            continue  # 已有3个项目开工 is a count; “开工在建” a list name
        status = _milestone_status(clause, rules) if _reported(sentence, m.end(), rules) else ""
        whens = list(_WHEN_RE.finditer(sentence, previous, m.start()))
        previous = m.end()
        when = re.sub(r"\s+", "", whens[-1].group(0)) if whens and whens[-1].start() >= m.start() - 40 else ""
        if not status or (status == "done" and not when and not _undated_done(clause, rules)):
            continue
        subject, scope = ctx.subject(nearest_subject(subjects, m.start()), sentence)
        period = find_period(sentence, m.start())
        for event in BOTH_EVENTS.get(m.group(0), (EVENTS[m.group(0)],)):
            yield Figure(
                subject,
                scope,
                MILESTONE,
                float("nan"),
                "",
                period,
                sentence,
                m.start(),
                m.end(),
                event,
                status,
                when,
            )


FINDERS = (percent_figures, amount_figures, count_figures, milestone_figures)
# A sentence a finder could read a figure from holds one of these words, or a count (3个): two
# tests, as one pattern starting with \d could not be searched for by its first characters.
_TRIGGER_RE = re.compile(r"%|亿|万元|万美元|" + _EVENT_RE.pattern)
_COUNT_TRIGGER_RE = re.compile(r"\d\s*个")


def _has_trigger(sentence: str) -> bool:
    return bool(_TRIGGER_RE.search(sentence)) or (
        "个" in sentence and bool(_COUNT_TRIGGER_RE.search(sentence))
    )


def extract_article(body: str, title: str = "", rules: Rules | None = None) -> list[Figure]:
    """Every figure and milestone of one article, in sentence order (``rules``: the lists of
    data/progress.toml, read by the caller once for many articles; read here when not given)."""
    group = m.group(0) if (m := _GROUP_CONTEXT_RE.search(f"{title}\n{body}")) else ""
    rules = rules or RULES_FILE.get()  # once per article (a stat), not per sentence
    ctx = Context(title_subject(title, rules), "", group, rules)
    out: list[Figure] = []
    for paragraph in (body or "").split("\n"):
        ctx.last_named = ""  # a project named in another paragraph is not carried over
        out.extend(f for f in _paragraph_figures(paragraph, ctx) if f.subject)
    return out


def _paragraph_figures(paragraph: str, ctx: Context) -> list[Figure]:
    out: list[Figure] = []
    for sentence in split_sentences(paragraph):
        if not _has_trigger(sentence):
            named = [s for s in subjects_in(sentence, ctx.rules) if not s.scope]
            ctx.last_named = named[-1].name if named else ctx.last_named
            continue
        subjects = subjects_in(sentence, ctx.rules)
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
    if year is None and has_page and page_date is not None:
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


def article_rows(article: dict, page_date: pd.Timestamp | None, rules: Rules | None = None) -> list[dict]:
    """PROGRESS rows (project_id left '') of one article dict with article_id, page_id, source, title, body."""
    title = article.get("title") or article.get("subtitle") or article.get("kicker") or ""
    figures = extract_article(str(article.get("body") or ""), str(title), rules)
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
    rules = RULES_FILE.get()  # once per page (a stat and a path resolve), not per article
    return [
        row for a in articles if a.get("kind") in EXTRACTED_KINDS for row in article_rows(a, page_date, rules)
    ]


LAST_PLAN_DATE = date(2100, 12, 31)  # a milestone planned later than this is a typo (计划3021年6月建成)


def plausible_milestones(figures: list[dict]) -> tuple[list[dict], list[str]]:
    """Progress rows with every ``when_date`` outside 1949-01-01 … ``LAST_PLAN_DATE`` dropped
    (NaT; ``when`` keeps the printed words), and one problem per dropped date, in Chinese."""
    problems = []
    for row in figures:
        when = row.get("when_date")
        if when is None or pd.isna(when):
            continue
        day = when.date() if isinstance(when, datetime) else when
        if not (isinstance(day, date) and EARLIEST <= day <= LAST_PLAN_DATE):
            printed = row.get("when", "")
            problems.append(f"进度时间“{printed}”（{day}）不在{EARLIEST}至{LAST_PLAN_DATE}之间，已舍弃")
            row["when_date"] = pd.NaT
    return figures, problems


def extract_frame(articles: pd.DataFrame) -> pd.DataFrame:
    """The PROGRESS frame of an articles frame (project_id '' — see projects.assign_ids)."""
    rules = RULES_FILE.get()
    rows = [
        row
        for a in articles.to_dict("records")
        if str(a["kind"]) in EXTRACTED_KINDS
        for row in article_rows(a, a["date"], rules)
    ]
    rows, _ = plausible_milestones(rows)
    return schemas.conform(pd.DataFrame(rows, columns=schemas.PROGRESS.names), schemas.PROGRESS)

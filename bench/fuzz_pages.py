"""Fuzz the parser with mutated pages: no exception, no page over 5 s (a script, not a test).

    .venv/bin/python bench/fuzz_pages.py [--pages 10000] [--seed 0] [--workers 2]
    .venv/bin/python bench/fuzz_pages.py --case 1234          # rerun one case, print what happens
    .venv/bin/python bench/fuzz_pages.py --replay bench/out/fuzz/crash-000123.txt --shape page
    .venv/bin/python bench/fuzz_pages.py --known                # time the known slow paths by size

Every case is made from ``(seed, index)`` alone, so any case can be rebuilt and rerun:

1. a base text: one of the five sample pages in ``data/corpus``, a ``bench/synth.py`` page
   (markdown, plain or pdf), or — when the git-ignored development corpus exists at
   ``bench/real_corpus`` (of this checkout or of /work/main) — one of its pages or article files;
   sometimes two bases glued together, sometimes an empty or whitespace-only page;
2. one to five mutations (``MUTATIONS``): lines deleted, duplicated, shuffled, split, joined;
   special characters and tokens inserted (■, ——, 《》, “”, 【】, 本报讯, 新华社北京1月31日电,
   （记者X）, 下转2版, 导读, 公益广告, impossible dates such as 3021年6月, 0月0日, 13月45日,
   星期八 …); very long lines (up to 40,000 characters); long doubled runs; repeated paragraphs;
   control characters; half/full-width mixtures; Markdown marks; one giant paragraph;
3. ``pipeline.process_text(text, source, shape=…)`` with shape ``page`` or ``article`` (and a
   file name with or without a date), under a 60 s hard budget so a hang is reported, not waited
   for.  Each result is checked: no exception, frames conform (``process_text`` conforms them),
   the page date (if any) lies in 1949-01-01 … tomorrow, coverage lies in [0, 1].

Prints the counts, the median / p99 / max seconds per page (wall, and CPU — the limit is judged
on CPU time, which a busy machine disturbs least), the slowest cases and the load average; writes ``bench/out/fuzz/report.json``, and the text of every failing case and of the
slowest ones to ``bench/out/fuzz/`` (git-ignored: texts from the development corpus must never be
committed or quoted).  A failing case is shrunk (lines, then characters) to a minimal input
that fails the same way, and the innermost parser function of the traceback is named; a slow
case is profiled and its parser functions with the most own time are listed.  ``--known`` times
minimal reproducers of the slow paths found so far (``KNOWN``) at doubling sizes.  Exit status 1
when a case fails or takes over ``--limit`` seconds (default 5).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "fuzz"
SEED_DIR = ROOT / "data" / "corpus"
REAL_CORPORA = (ROOT / "bench" / "real_corpus", Path("/work/main/bench/real_corpus"))
HANG_SECONDS = 60.0
MAX_REAL_ARTICLES = 400  # article files sampled from the development corpus (it has thousands)
PARSER_MODULES = ("layout", "units", "headlines", "bylines", "repair", "passages", "similarity", "dates")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from bench import synth  # noqa: E402
from pinghu_core.parse import budget, pipeline  # noqa: E402

# ---------------------------------------------------------------- base texts


@dataclass(frozen=True)
class Base:
    name: str  # seed:000_…, synth:pdf:2017-03-02, real:pages/…, real:articles/… (never its text)
    text: str
    article: bool  # an article-per-file text


@cache
def bases() -> tuple[Base, ...]:
    """Every base text: the sample pages, 60 synth pages, the development corpus if present."""
    out = [
        Base(f"seed:{p.stem}", p.read_text(encoding="utf-8"), False) for p in sorted(SEED_DIR.glob("*.txt"))
    ]
    day = date(2016, 1, 1)
    for k in range(60):
        shape = synth.SHAPES[k % len(synth.SHAPES)]
        out.append(
            Base(f"synth:{shape}:{day}", synth.generate_page(day, synth.page_rng(day, 7), shape).text, False)
        )
        day += timedelta(days=37)
    real = next((r for r in REAL_CORPORA if (r / "pages").is_dir()), None)
    if real is not None:
        for sub, article in (
            ("pages", False),
            ("pages_undated", False),
            ("articles", True),
            ("articles_undated", True),
        ):
            files = sorted((real / sub).rglob("*.txt")) if (real / sub).is_dir() else []
            if article and len(files) > MAX_REAL_ARTICLES:
                files = random.Random(0).sample(files, MAX_REAL_ARTICLES)
            out += [
                Base(f"real:{sub}/{p.relative_to(real / sub)}", p.read_text(encoding="utf-8"), article)
                for p in files
            ]
    return tuple(out)


@cache
def by_kind() -> dict[str, list[Base]]:
    """Base texts by kind (seed, synth, real)."""
    out: dict[str, list[Base]] = {}
    for b in bases():
        out.setdefault(b.name.split(":")[0], []).append(b)
    return out


# ---------------------------------------------------------------- mutations

TOKENS = (
    "■",
    "——",
    "《》",
    "《",
    "》",
    "“”",
    "“",
    "”",
    "【】",
    "【",
    "】",
    "本报讯",
    "本报讯（记者 王强）",
    "新华社北京1月31日电",
    "（记者X）",
    "（记者 张三 通讯员 李四）",
    "记者",
    "摄",
    "本报记者 王强 摄",
    "下转2版",
    "（下转2版）",
    "(下转第3版)",
    "上接1版",
    "导读",
    "公益广告",
    "详见二版",
    "» 详见3版",
    "3021年6月",
    "计划3021年6月建成",
    "0月0日",
    "13月45日",
    "2035年",
    "2099年12月31日",
    "1900年1月1日",
    "星期八",
    "2020年2月30日",
    "一季度",
    "前三季度",
    "最高气温99℃",
    "今天",
    "昨天",
    "99999999999999999999亿元",
    "300%",
    "第0版",
    "责任编辑",
    "平湖新闻",
    "嘉兴日报",
    "**",
    "##",
    "#",
    "> ",
    "- ",
    "|",
    "`",
    "[链接](x)",
)
CONTROL = (
    "\x00",
    "\x01",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\u200b",
    "\ufeff",
    "\u3000",
    "\t",
    "\r",
    "\u2028",
    "\x85",
)
CJK_SAMPLE = "平湖市召开经济工作会议部署下一阶段重点工作新区建设项目推进记者摄报讯版"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _pick(rng: random.Random, lines: list[str]) -> int:
    return rng.randrange(len(lines)) if lines else 0


def m_delete(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = _pick(rng, lines)
    del lines[i : i + rng.randint(1, 8)]
    return "\n".join(lines)


def m_duplicate(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = _pick(rng, lines)
    chunk = lines[i : i + rng.randint(1, 6)]
    lines[i:i] = chunk * rng.randint(1, 3)
    return "\n".join(lines)


def m_shuffle(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = _pick(rng, lines)
    window = lines[i : i + rng.randint(2, 30)]
    rng.shuffle(window)
    lines[i : i + len(window)] = window
    return "\n".join(lines)


def m_split(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 20)):
        i = _pick(rng, lines)
        if len(lines[i]) > 1:
            cut = rng.randrange(1, len(lines[i]))
            lines[i : i + 1] = [lines[i][:cut], lines[i][cut:]]
    return "\n".join(lines)


def m_join(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 20)):
        i = _pick(rng, lines)
        if i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + rng.choice(("", " ", "　")) + lines[i + 1]]
    return "\n".join(lines)


def m_tokens(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 12)):
        i = _pick(rng, lines)
        token = rng.choice(TOKENS)
        where = rng.random()
        if where < 0.3:
            lines.insert(i, token)
        elif where < 0.6:
            lines[i] = token + lines[i]
        elif where < 0.8:
            lines[i] = lines[i] + token
        else:
            line = lines[i]
            cut = rng.randrange(len(line) + 1)
            lines[i] = line[:cut] + token + line[cut:]
    return "\n".join(lines)


def m_long_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    source = "".join(lines) or CJK_SAMPLE
    n = rng.choice((2_000, 10_000, 40_000))
    line = (source * (n // max(1, len(source)) + 1))[:n]
    lines.insert(_pick(rng, lines), line)
    return "\n".join(lines)


def m_doubled(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = _pick(rng, lines)
    base = lines[i] if lines and lines[i].strip() else CJK_SAMPLE
    n = rng.choice((8, 30, 200, 600, 2_500, 4_000))
    run = (base * (n // max(1, len(base)) + 1))[:n]
    style = rng.random()
    if style < 0.4:
        doubled = "".join(c + c for c in run)
    elif style < 0.7:
        doubled = run + run
    else:  # bold doubling of runs of 2–6 characters, as the pdf extraction prints it
        parts, k = [], 0
        while k < len(run):
            size = rng.randint(2, 6)
            parts.append(run[k : k + size] * 2)
            k += size
        doubled = "".join(parts)
    lines.insert(i, rng.choice(("{}", "**{}**", "## {}")).format(doubled))
    return "\n".join(lines)


def m_repeat_paragraph(text: str, rng: random.Random) -> str:
    paras = text.split("\n\n") if "\n\n" in text else _lines(text)
    i = _pick(rng, paras)
    paras[i:i] = [paras[i]] * rng.randint(2, 20) if paras else []
    return ("\n\n" if "\n\n" in text else "\n").join(paras)


def m_control(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 40)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(CONTROL))
    return "".join(chars)


def m_width(text: str, rng: random.Random) -> str:
    to_full = rng.random() < 0.5

    def flip(c: str) -> str:
        if to_full and "!" <= c <= "~" and rng.random() < 0.5:
            return chr(ord(c) + 0xFEE0)
        if not to_full and "！" <= c <= "～" and rng.random() < 0.5:
            return chr(ord(c) - 0xFEE0)
        return c

    return "".join(flip(c) for c in text)


def m_markdown(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 15)):
        i = _pick(rng, lines)
        if lines:
            mark = rng.choice(("# ", "## ", "###### ", "**", "> ", "- ", "1. ", "| ", "```", "  "))
            lines[i] = (
                f"**{lines[i]}**" if mark == "**" else lines[i] + mark if mark == "  " else mark + lines[i]
            )
    return "\n".join(lines)


def m_giant_paragraph(text: str, rng: random.Random) -> str:
    return rng.choice(("", " ", "　")).join(x.strip() for x in _lines(text))


def m_byline_storm(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    names = ("王强", "李 娜", "张三", "欧阳明月", "X")
    storm = [
        f"{rng.choice(('记者', '本报记者', '通讯员', '见习记者', '摄'))} {rng.choice(names)}"
        for _ in range(rng.randint(5, 80))
    ]
    lines[_pick(rng, lines) : _pick(rng, lines)] = storm
    return "\n".join(lines)


MUTATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "delete": m_delete,
    "duplicate": m_duplicate,
    "shuffle": m_shuffle,
    "split": m_split,
    "join": m_join,
    "tokens": m_tokens,
    "long_line": m_long_line,
    "doubled": m_doubled,
    "repeat_paragraph": m_repeat_paragraph,
    "control": m_control,
    "width": m_width,
    "markdown": m_markdown,
    "giant_paragraph": m_giant_paragraph,
    "byline_storm": m_byline_storm,
}


@dataclass
class Case:
    index: int
    base: str  # base name(s), never text
    recipe: list[str]
    shape: str
    source: str
    text: str = field(repr=False)


def make_case(index: int, seed: int) -> Case:
    """Case ``index`` of run ``seed``: the same on every machine with the same base texts."""
    rng = random.Random(f"pinghu-fuzz:{seed}:{index}")
    special = rng.random()
    if special < 0.01:
        base, text, article = "empty", rng.choice(("", "\n", "\n\n\n")), False
    elif special < 0.02:
        base, text, article = (
            "whitespace",
            "".join(rng.choice(" \t\u3000\n\r") for _ in range(rng.randint(1, 500))),
            False,
        )
    else:
        groups = by_kind()  # real, seed, synth: each as likely, whatever their sizes
        first = rng.choice(groups[rng.choice(sorted(groups))])
        base, text, article = first.name, first.text, first.article
        if rng.random() < 0.1:
            second = rng.choice(bases())
            base, text = f"{base}+{second.name}", text + rng.choice(("\n", "\n\n", "")) + second.text
    recipe = [rng.choice(list(MUTATIONS)) for _ in range(rng.randint(1, 5))] if text.strip() else []
    for name in recipe:
        text = MUTATIONS[name](text, rng)
    shape = "article" if (article and rng.random() < 0.8) or rng.random() < 0.2 else "page"
    source = rng.choice(("fuzz.txt", "2020-07-21.txt", "2020/07/21/p1.txt", "30210601.txt", "page.txt"))
    return Case(index, base, recipe, shape, source, text)


# ---------------------------------------------------------------- running one case


@dataclass
class Result:
    index: int
    seconds: float  # wall
    error: str = ""  # exception type and message, or a broken property
    where: str = ""  # innermost pinghu_core frame of the traceback: module.function:line
    kind: str = ""  # crash, hang, property
    chars: int = 0
    lines: int = 0
    base: str = ""
    recipe: list[str] = field(default_factory=list)
    shape: str = ""
    cpu_seconds: float = 0.0  # this process's CPU time: what a busy machine disturbs least


def _where(tb) -> str:  # noqa: ANN001
    frames = [f for f in traceback.extract_tb(tb) if "pinghu_core" in f.filename]
    inner = next(
        (f for f in reversed(frames) if Path(f.filename).stem in PARSER_MODULES),
        frames[-1] if frames else None,
    )
    return f"{Path(inner.filename).stem}.{inner.name}:{inner.lineno}" if inner else ""


def check_frames(frames: pipeline.PageFrames) -> str:
    """'' when the result keeps its promises, else what is broken."""
    page = frames.page.iloc[0]
    tomorrow = pd.Timestamp(date.today() + timedelta(days=1))
    if pd.notna(page["date"]) and not (pd.Timestamp("1949-01-01") <= page["date"] <= tomorrow):
        return f"page date {page['date'].date()} outside 1949-01-01 … tomorrow"
    if not 0.0 <= float(page["coverage"]) <= 1.0:
        return f"coverage {page['coverage']} outside [0, 1]"
    if int(page["items"]) != len(frames.articles):
        return f"items {page['items']} != {len(frames.articles)} article rows"
    return ""


def run_text(text: str, shape: str, source: str) -> tuple[float, str, str, str]:
    """(seconds, error, where, kind) of one parse."""
    started = time.perf_counter()
    try:
        frames = budget.call(HANG_SECONDS, pipeline.process_text, text, source, page_id="fuzz", shape=shape)
    except budget.ParseTimeout as exc:
        return (
            time.perf_counter() - started,
            f"no result after {HANG_SECONDS:g} s",
            _where(exc.__traceback__),
            "hang",
        )
    except Exception as exc:  # noqa: BLE001 - what we are looking for
        return (
            time.perf_counter() - started,
            f"{type(exc).__name__}: {exc}"[:300],
            _where(exc.__traceback__),
            "crash",
        )
    seconds = time.perf_counter() - started
    broken = check_frames(frames)
    return seconds, broken, "", "property" if broken else ""


def run_case(case: Case) -> Result:
    cpu = time.process_time()
    seconds, error, where, kind = run_text(case.text, case.shape, case.source)
    cpu = time.process_time() - cpu
    return Result(
        case.index,
        seconds,
        error,
        where,
        kind,
        len(case.text),
        case.text.count("\n") + 1,
        case.base,
        case.recipe,
        case.shape,
        cpu,
    )


def run_range(args: tuple[int, int, int]) -> list[Result]:
    """Cases ``start`` … ``stop`` - 1 of run ``seed`` (one pool task)."""
    start, stop, seed = args
    return [run_case(make_case(i, seed)) for i in range(start, stop)]


# ---------------------------------------------------------------- shrinking and profiling


def same_failure(text: str, case: Case, want: Result) -> bool:
    seconds, error, where, kind = run_text(text, case.shape, case.source)
    return kind == want.kind and where == want.where and error.split(":")[0] == want.error.split(":")[0]


def shrink(case: Case, want: Result, budget_seconds: float = 120.0) -> str:
    """A smaller text that fails the same way (same kind, exception type and parser function):
    delete chunks of lines, then chunks of characters, halving the chunk size (ddmin-like)."""
    deadline = time.monotonic() + budget_seconds
    text = case.text
    for sep in ("\n", ""):
        units = text.split("\n") if sep else list(text)
        size = max(1, len(units) // 2)
        while size >= 1 and time.monotonic() < deadline:
            i, changed = 0, False
            while i < len(units) and time.monotonic() < deadline:
                trial = units[:i] + units[i + size :]
                if trial and same_failure(sep.join(trial), case, want):
                    units, changed = trial, True
                else:
                    i += size
            if not changed:
                size //= 2
        text = sep.join(units)
    return text


def hot_spots(case: Case, n: int = 5) -> list[tuple[str, float, int]]:
    """The parser functions with the most own time on this case: (module.function:line, s, calls)."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        budget.call(
            HANG_SECONDS, pipeline.process_text, case.text, case.source, page_id="fuzz", shape=case.shape
        )
    except (Exception, budget.ParseTimeout):  # noqa: BLE001 - profiled anyway
        pass
    profiler.disable()
    rows = [
        (f"{Path(f[0]).stem}.{f[2]}:{f[1]}", round(tt, 3), nc)
        for f, (_, nc, tt, _, _) in pstats.Stats(profiler).stats.items()
        if "pinghu_core" in f[0]
    ]
    return sorted(rows, key=lambda r: -r[1])[:n]


# ---------------------------------------------------------------- known slow paths (for the parser owner)


def _article_with_paragraphs(n: int) -> str:
    """One article of ``n`` distinct short paragraphs (a long report printed in full)."""
    paras = [
        f"平湖市第{i}次召开经济工作会议，部署下一阶段重点工作，推进项目建设和民生实事落地见效。"
        for i in range(n)
    ]
    return "平湖召开经济工作会议\n本报讯（记者 王强）\n" + "\n".join(paras) + "\n"


def _pdf_pages(n: int) -> str:
    """``n`` synth pdf pages glued into one file (many headline groups and runs on one page)."""
    day = date(2018, 1, 1)
    return "\n".join(
        synth.generate_page(day + timedelta(days=k), synth.page_rng(day, k), "pdf").text for k in range(n)
    )


def _plain_lines(n: int) -> str:
    """``n`` ordinary 150-character lines, none doubled (each still goes through ``undouble``)."""
    sentence = "平湖市召开经济工作会议，部署下一阶段重点工作，推进“两新”融合发展和项目建设。"
    return "\n".join((f"{k}" + sentence * 5)[:150] for k in range(n))


# name → (what to tell the parser owner, (module, attribute) to clock, input builder, sizes, shape)
KNOWN: dict[str, tuple[str, tuple[str, str], Callable[[int], str], tuple[int, ...], str]] = {
    "passages.drop_repeated_passages": (
        "rebuilds the shingle set of all earlier text of the item for every paragraph: O(paragraphs × item length)",
        ("layout", "drop_repeated_passages"),
        _article_with_paragraphs,
        (100, 200, 400, 800),
        "article",
    ),
    "layout.match_headlines": (
        "scores every unmatched headline group against every run: O(groups × runs) set intersections",
        ("layout", "match_headlines"),
        _pdf_pages,
        (10, 20, 40, 80, 160),
        "page",
    ),
    "repair.undouble (from units.line_units)": (
        "every line up to 400 characters is tried as a doubled headline (_greedy_split, then the exhaustive "
        "split for lines up to 200 characters): linear, but a large cost per character of big pages",
        ("repair", "undouble"),
        _plain_lines,
        (2_000, 4_000, 8_000),
        "page",
    ),
}


def run_known() -> dict[str, list[dict]]:
    """CPU seconds of each known slow path at doubling sizes: the whole parse and the clocked
    function inside it (×2 per doubling is linear, ×4 quadratic)."""
    import importlib

    out: dict[str, list[dict]] = {}
    for name, (why, (module_name, attr), build, sizes, shape) in KNOWN.items():
        print(f"{name}: {why}")
        module = importlib.import_module(f"pinghu_core.{module_name}")
        real = getattr(module, attr)
        inside = [0.0]

        def clocked(*args, _real=real, _inside=inside, **kwargs):
            started = time.process_time()
            try:
                return _real(*args, **kwargs)
            finally:
                _inside[0] += time.process_time() - started

        rows: list[dict] = []
        setattr(module, attr, clocked)
        try:
            for n in sizes:
                text = build(n)
                inside[0] = 0.0
                started = time.process_time()
                pipeline.process_text(text, "known.txt", page_id="k", shape=shape)
                cpu = time.process_time() - started
                growth = (
                    f"×{inside[0] / rows[-1]['in_function']:.1f}"
                    if rows and rows[-1]["in_function"] > 0
                    else ""
                )
                rows.append(
                    {
                        "n": n,
                        "chars": len(text),
                        "cpu_seconds": round(cpu, 3),
                        "in_function": round(inside[0], 3),
                    }
                )
                print(
                    f"  n={n:<6} {len(text):>9,} chars  parse {cpu:7.2f} s CPU, in {attr} {inside[0]:7.2f} s {growth}"
                )
        finally:
            setattr(module, attr, real)
        out[name] = rows
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "known.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


# ---------------------------------------------------------------- the run


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_all(n: int, seed: int, workers: int) -> tuple[list[Result], float]:
    bases()  # read once before the workers fork
    tasks = [(i, min(i + 50, n), seed) for i in range(0, n, 50)]
    started = time.perf_counter()
    results: list[Result] = []
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for k, chunk in enumerate(pool.map(run_range, tasks)):
                results += chunk
                if (k + 1) % 20 == 0:
                    print(f"  {len(results):,} / {n:,} cases", flush=True)
    else:
        for task in tasks:
            results += run_range(task)
    return results, time.perf_counter() - started


def write_case(name: str, case: Case, text: str | None = None) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text(case.text if text is None else text, encoding="utf-8")
    return path


def report(results: list[Result], wall: float, args: argparse.Namespace, load_before: tuple) -> dict:
    times = [r.seconds for r in results]
    cpu = [r.cpu_seconds for r in results]
    failures = [r for r in results if r.kind]
    slowest = sorted(results, key=lambda r: -r.cpu_seconds)[:10]
    summary = {
        "pages": len(results),
        "seed": args.seed,
        "bases": Counter(b.name.split(":")[0] for b in bases()),
        "shapes": Counter(r.shape for r in results),
        "crashes": sum(r.kind == "crash" for r in results),
        "hangs": sum(r.kind == "hang" for r in results),
        "property_failures": sum(r.kind == "property" for r in results),
        "median_seconds": statistics.median(times),
        "p99_seconds": percentile(times, 0.99),
        "max_seconds": max(times),
        "cpu_median_seconds": statistics.median(cpu),
        "cpu_p99_seconds": percentile(cpu, 0.99),
        "cpu_max_seconds": max(cpu),
        "over_limit": sum(t > args.limit for t in cpu),
        "over_limit_wall": sum(t > args.limit for t in times),
        "limit_seconds": args.limit,
        "wall_seconds": wall,
        "workers": args.workers,
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "mutations": Counter(m for r in results for m in r.recipe),
    }
    print(
        f"\n{summary['pages']:,} pages in {wall:.0f} s ({args.workers} processes); bases: {dict(summary['bases'])}"
    )
    print(
        f"crashes {summary['crashes']}, hangs {summary['hangs']}, broken properties {summary['property_failures']}"
    )
    print(
        f"wall seconds per page: median {summary['median_seconds']:.3f}, p99 {summary['p99_seconds']:.3f}, "
        f"max {summary['max_seconds']:.3f}; over {args.limit:g} s: {summary['over_limit_wall']}"
    )
    print(
        f"CPU seconds per page:  median {summary['cpu_median_seconds']:.3f}, p99 {summary['cpu_p99_seconds']:.3f}, "
        f"max {summary['cpu_max_seconds']:.3f}; over {args.limit:g} s: {summary['over_limit']}"
    )
    print("slowest cases by CPU (index, CPU s, wall s, chars, lines, shape, base kind, mutations):")
    for r in slowest:
        kind = r.base.split(":")[0]
        print(
            f"  #{r.index:<6} {r.cpu_seconds:7.2f} {r.seconds:7.2f}  {r.chars:>9,}  {r.lines:>6,}  {r.shape:<7} "
            f"{kind:<6} {'+'.join(r.recipe)}"
        )
    summary["slowest"] = [asdict(r) for r in slowest]
    summary["failures"] = []
    by_where: dict[tuple[str, str], Result] = {}
    for r in failures:
        by_where.setdefault((r.kind, r.where or r.error), r)
    for (kind, where), r in by_where.items():
        case = make_case(r.index, args.seed)
        write_case(f"{kind}-{r.index:06d}.txt", case)
        small = shrink(case, r) if args.shrink else case.text
        path = write_case(f"{kind}-{r.index:06d}-min.txt", case, small)
        same = sum(1 for x in failures if (x.kind, x.where or x.error) == (kind, where))
        print(
            f"{kind} ×{same} in {where or '?'}: {r.error}  (case #{r.index}, shrunk to {len(small):,} chars: {path.name})"
        )
        summary["failures"].append(
            {**asdict(r), "count": same, "min_chars": len(small), "min_file": str(path)}
        )
    for r in ([x for x in slowest if x.cpu_seconds > args.limit] or slowest)[:5]:
        case = make_case(r.index, args.seed)
        write_case(f"slow-{r.index:06d}.txt", case)
        spots = hot_spots(case) if args.profile else []
        print(f"  #{r.index} hot spots: " + ", ".join(f"{n} {s:.2f}s/{c:,}" for n, s, c in spots))
        summary.setdefault("slow_hot_spots", {})[r.index] = spots
    print(
        f"load average before {' '.join(f'{x:.2f}' for x in load_before)}, after {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--limit", type=float, default=5.0, help="seconds a page may take")
    ap.add_argument("--case", type=int, help="rerun one case of --seed and print it")
    ap.add_argument("--replay", type=Path, help="parse this file (e.g. a shrunk case) and print what happens")
    ap.add_argument("--shape", default="page", choices=("page", "article"), help="with --replay")
    ap.add_argument(
        "--known", action="store_true", help="time the known slow paths at growing sizes, then stop"
    )
    ap.add_argument("--no-shrink", dest="shrink", action="store_false")
    ap.add_argument("--no-profile", dest="profile", action="store_false")
    args = ap.parse_args(argv)
    if args.known:
        run_known()
        return 0
    if args.replay or args.case is not None:
        if args.replay:
            text, shape, source, label = (
                args.replay.read_text(encoding="utf-8"),
                args.shape,
                "fuzz.txt",
                str(args.replay),
            )
        else:
            c = make_case(args.case, args.seed)
            text, shape, source, label = (
                c.text,
                c.shape,
                c.source,
                f"#{c.index} {c.base} {'+'.join(c.recipe)}",
            )
        seconds, error, where, kind = run_text(text, shape, source)
        print(f"{label}: {len(text):,} chars, shape {shape}: {seconds:.3f} s {kind or 'ok'} {where} {error}")
        return 1 if kind else 0
    load_before = os.getloadavg()
    print(
        f"fuzzing {args.pages:,} pages, seed {args.seed}, {len(bases())} base texts, load average {load_before[0]:.2f}"
    )
    results, wall = run_all(args.pages, args.seed, args.workers)
    summary = report(results, wall, args, load_before)
    bad = summary["crashes"] + summary["hangs"] + summary["property_failures"] + summary["over_limit"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

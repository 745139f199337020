"""Load driver without browsers: N concurrent sessions over Streamlit's websocket protocol (a script,
not a test).

    .venv/bin/python bench/bench_load.py --sessions 50 --think 5 --duration 60
    .venv/bin/python bench/bench_load.py --sessions 50 --think 5 --duration 60 --arrivals lockstep
    .venv/bin/python bench/bench_load.py --sessions 10 --think 0 --duration 60 --processes 2
    .venv/bin/python bench/bench_load.py --sessions 20 --url http://127.0.0.1:8080   # a running server

Each session speaks to ``/_stcore/stream`` as the browser's frontend does: subprotocol ``streamlit``,
one ``BackMsg.rerun_script`` per action (``ClientState``: query string, page script hash — or the
page's URL path as ``page_name`` on the first load —, widget states, the hashes of the cacheable
messages it already holds, context info), then it reads ``ForwardMsg``s until ``script_finished``
(a ``FINISHED_EARLY_FOR_RERUN`` — the app's own ``st.rerun()`` — does not end the action).  A visit:

    总览 → 文章检索 (sidebar) → a query (the text box) → a place or theme filter (a multiselect)
    → 政策主题 (a link: themes, granularity and a period in the URL) → 项目进度 (sidebar)
    → 词云 (a link: one year), the word-cloud images fetched from /media as a browser does

each step one script run, ``--think`` seconds ± 40 % apart (0: back to back, saturation).  The
sessions arrive one after another over one whole visit (``--arrivals mixed``, the default: at any
moment they are at different steps, as people who did not all come in at once) and the runs are
measured for ``--duration`` seconds once all have arrived; ``--arrivals lockstep`` lets them arrive
within one think time and count from the first, so that all take the same step together — fifty
people opening 政策主题 within seconds, the worst case (the only way before 2026-12-04: the expensive
steps then queue behind each other while the cheap ones leave the server idle).  The
sidebar's ``st.fragment(run_every=…)`` (the corpus check) is rerun when its interval has passed, as
the browser's timer does (between actions here), and counted apart (step ``auto-rerun``).

Every run is checked: the page drawn is the one asked for (its ``st.title``), and the URL the app
wrote back (``page_info_changed``) carries what the step set (the query word, the filter, the
granularity and period, the year) — a run that silently drew another page or ignored the change is
an error (``check``).  Errors are counted apart by kind: ``exception`` (an exception element in the
deltas: a traceback in the page), ``check``, ``timeout``, ``connection``, ``media`` (an image URL
that did not answer 200: a session not stuck to its process behind a proxy), ``compile``; an
``st.error`` is content (a Chinese explanation) and is only counted (``st_error``), with its text.

The driver starts the server itself — ``--processes K`` Streamlit processes on consecutive ports,
behind a generated nginx config with cookie stickiness when K > 1 — on ``--corpus`` with a copy of
``--cache`` (made once in bench/out), warms each process with one visit (timed apart), then runs
the sessions for ``--duration`` seconds; or ``--url`` drives a server that is already running.
It samples the resident memory and CPU time of the server processes' trees from /proc every 0.5 s
and prints per step and overall p50/p95/max per script run, runs/s, errors, bytes per run, the
server's peak RSS and CPU, and the load average before and after; figures go to ``--json``
(bench/out/load.json, one entry per run appended under ``runs``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULT = OUT / "load.json"
DEFAULT_CORPUS = OUT / "corpus10y"  # bench_pages.py's: generated when missing
DEFAULT_CACHE = OUT / "pages-cache"  # bench_pages.py's: warmed with `pinghu ingest` when missing

ROUTE_COOKIE = "pinghu_route"  # the stickiness cookie of deploy/nginx-pinghu-multi.conf
RUN_TIMEOUT_S = 120.0
TARGET_P95_MS = 1000.0

# ---------------------------------------------------------------- the scenario (pure)

# url path of a page → the text its st.title contains (the check that the right page was drawn)
TITLES = {
    "": "语料总览",
    "articles": "文章检索",
    "themes": "政策主题",
    "progress": "项目进度",
    "words": "词云",
}
QUERIES = (
    "项目",
    "乡村振兴",
    "招商引资",
    "垃圾分类",
    "民生",
    "开发区 -工业",
    "乍浦|独山港",
    '"重点项目"',
    "疫情",
    "文明城市",
)
GRANULARITIES = ("month", "quarter", "year")
# Whole years inside the ten-year corpus (2016-01-02 … 2025-12-31): the app clamps a date range to
# the corpus' days, so a range starting 2016-01-01 comes back as 2016-01-02 (correct, not an error).
YEARS = tuple(range(2017, 2025))
STEPS = ("总览", "文章检索", "检索式", "筛选", "政策主题", "项目进度", "词云")
AUTO = "auto-rerun"


@dataclass(frozen=True)
class Step:
    """One user action = one script run.

    ``page``: the URL path of the page to open (a navigation, with ``query`` as the URL's query
    string); None: stay on the page and change the widget whose key is ``widget`` to ``value``
    (a string, or a list for a multiselect; ``pick`` = one option chosen from those the page offers).
    ``expect``: URL parameter → the value the app must write back (``*``: any non-empty value)."""

    name: str
    page: str | None = None
    query: str = ""
    widget: str = ""
    value: str | tuple[str, ...] = ""
    pick: bool = False
    expect: tuple[tuple[str, str], ...] = ()
    title: str = ""
    fetch_images: bool = False


def period_start(granularity: str, year: int, index: int) -> dt.date:
    """The first day of a period: ``index`` is the month (1–12), quarter (1–4) or ignored (year)."""
    if granularity == "month":
        return dt.date(year, index, 1)
    if granularity == "quarter":
        return dt.date(year, 3 * (index - 1) + 1, 1)
    if granularity == "year":
        return dt.date(year, 1, 1)
    raise ValueError(granularity)


def visit(rng: random.Random, theme_ids: Sequence[str], years: Sequence[int] = YEARS) -> list[Step]:
    """The seven steps of one visit, with this visit's random choices."""
    word = rng.choice(QUERIES)
    by_place = rng.random() < 0.5
    themes = rng.sample(list(theme_ids), k=min(2, len(theme_ids))) if theme_ids else []
    gran = rng.choice(GRANULARITIES)
    year = rng.choice(list(years))
    period = period_start(gran, year, rng.randint(1, 12 if gran == "month" else 4))
    themes_q = {"themes": ",".join(themes), "granularity": gran, "period": period.isoformat()}
    words_year = rng.choice(list(years))
    words_q = {"start": f"{words_year}-01-01", "end": f"{words_year}-12-31"}
    return [
        Step("总览", page="", title=TITLES[""]),
        Step("文章检索", page="articles", title=TITLES["articles"], expect=(("kinds", "*"),)),
        Step("检索式", widget="articles.query", value=word, title=TITLES["articles"], expect=(("q", word),)),
        Step(
            "筛选",
            widget="articles.places" if by_place else "articles.themes",
            pick=True,
            title=TITLES["articles"],
            expect=(("places" if by_place else "themes", "*"), ("q", word)),
        ),
        Step(
            "政策主题",
            page="themes",
            query=urllib.parse.urlencode(themes_q),
            title=TITLES["themes"],
            expect=tuple((k, v) for k, v in themes_q.items()),
        ),
        Step("项目进度", page="progress", title=TITLES["progress"], expect=(("project", "*"),)),
        Step(
            "词云",
            page="words",
            query=urllib.parse.urlencode(words_q),
            title=TITLES["words"],
            expect=tuple(words_q.items()),
            fetch_images=True,
        ),
    ]


def theme_ids(themes_file: Path) -> list[str]:
    try:
        data = tomllib.loads(themes_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    return [str(t["id"]) for t in data.get("theme", []) if "id" in t]


def check_url(query_string: str, expect: Iterable[tuple[str, str]]) -> list[str]:
    """What the URL the app wrote back lacks of ``expect`` (empty: all there).  Multi-valued
    parameters are comma-separated; an expected value matches when every comma part is present."""
    got = {k: v[-1] for k, v in urllib.parse.parse_qs(query_string, keep_blank_values=True).items()}
    missing = []
    for key, want in expect:
        have = got.get(key)
        if have is None or have == "":
            missing.append(f"{key} missing")
        elif want != "*" and set(want.split(",")) - set(have.split(",")):
            missing.append(f"{key}={have!r}, expected {want!r}")
    return missing


# ---------------------------------------------------------------- statistics (pure)


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0–100), linear between closest ranks; None for no values."""
    if not values:
        return None
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(values: Sequence[float]) -> dict:
    r = lambda x: None if x is None else round(x, 1)  # noqa: E731
    return {
        "n": len(values),
        "p50": r(percentile(values, 50)),
        "p95": r(percentile(values, 95)),
        "max": r(max(values, default=None)),
    }


@dataclass
class RunRecord:
    session: int
    step: str
    t: float  # seconds since the measurement started, when the run was asked for
    ms: float  # from sending the rerun to script_finished
    first_ms: float  # to the first delta
    bytes: int  # websocket payload received during the run
    messages: int
    refs: int  # cached-message references received instead of the element
    errors: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)
    st_errors: list[str] = field(default_factory=list)  # st.error texts shown (content)
    media_ms: float = 0.0
    media_bytes: int = 0
    upstream: str = ""


def aggregate(records: Sequence[RunRecord], wall: float) -> dict:
    """The figures of one run: overall and per step (auto-reruns apart), errors by kind."""
    user = [r for r in records if r.step != AUTO]
    by_step = {}
    for name in [*STEPS, AUTO]:
        rs = [r for r in records if r.step == name]
        if rs:
            by_step[name] = {
                **summary([r.ms for r in rs]),
                "bytes_mean": round(sum(r.bytes for r in rs) / len(rs)),
            }
    kinds: dict[str, int] = {}
    first: list[str] = []
    for r in records:
        for kind, msg in r.errors:
            kinds[kind] = kinds.get(kind, 0) + 1
            if len(first) < 8:
                first.append(f"[{r.step}] {kind}: {msg[:300]}")
    st_errors: dict[str, int] = {}
    for r in records:
        for text in r.st_errors:
            st_errors[text[:120]] = st_errors.get(text[:120], 0) + 1
    upstreams: dict[str, int] = {}
    for r in user:
        if r.upstream:
            upstreams[r.upstream] = upstreams.get(r.upstream, 0) + 1
    return {
        "runs": len(user),
        "auto_reruns": len(records) - len(user),
        "runs_per_s": round(len(user) / wall, 2) if wall > 0 else None,
        "ms": summary([r.ms for r in user]),
        "first_delta_ms": summary([r.first_ms for r in user]),
        "by_step": by_step,
        "runs_with_errors": sum(1 for r in records if r.errors),
        "errors": kinds,
        "first_errors": first,
        "st_error_texts": st_errors,
        "bytes_per_run_mean": round(sum(r.bytes for r in user) / len(user)) if user else 0,
        "bytes_per_run_p50": percentile([r.bytes for r in user], 50),
        "cached_refs_per_run_mean": round(sum(r.refs for r in user) / len(user), 1) if user else 0,
        "media": summary([r.media_ms for r in user if r.media_bytes]),
        "runs_by_upstream": upstreams,
    }


# ---------------------------------------------------------------- nginx (pure)


def nginx_config(prefix: Path, listen: int, ports: Sequence[int]) -> str:
    """A self-contained nginx.conf for ``nginx -p prefix -c nginx.conf`` (foreground, no system
    files): K Streamlit upstreams, sticky by the ``pinghu_route`` cookie as in
    deploy/nginx-pinghu-multi.conf (a first request without the cookie is hashed by its request id,
    which the response sets as the cookie, so it stays where it went), websocket upgrade, and the
    upstream's address in ``X-Pinghu-Upstream`` so the driver can see the spread."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in ports)
    return f"""# generated by bench/bench_load.py — do not edit
daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/tmp-body;
    proxy_temp_path {prefix}/tmp-proxy;
    fastcgi_temp_path {prefix}/tmp-fastcgi;
    uwsgi_temp_path {prefix}/tmp-uwsgi;
    scgi_temp_path {prefix}/tmp-scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    map $cookie_{ROUTE_COOKIE} $pinghu_route {{ '' $request_id; default $cookie_{ROUTE_COOKIE}; }}
    map $cookie_{ROUTE_COOKIE} $pinghu_set_route {{ '' "{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax"; default ''; }}
    upstream pinghu_dashboard {{
        hash $pinghu_route consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{listen};
        location / {{
            proxy_pass http://pinghu_dashboard;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie $pinghu_set_route;
            add_header X-Pinghu-Upstream $upstream_addr always;
        }}
    }}
}}
"""


# ---------------------------------------------------------------- one session (websocket client)


def _protos():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return BackMsg, ForwardMsg, WidgetState


WIDGET_TYPES = {"text_input", "multiselect", "selectbox", "radio", "date_input", "checkbox", "button_group"}
COMPILE_ERROR, EARLY_FOR_RERUN = 1, 2  # ForwardMsg.ScriptFinishedStatus
ALERT_ERROR = 1


@dataclass
class Seen:
    """What the driver keeps of a cacheable element (to resolve a ref_hash): enough for the checks."""

    kind: str
    widget: tuple[str, str, tuple[str, ...]] | None = None  # (key, id, options)
    heading: str = ""
    image_urls: tuple[str, ...] = ()


def widget_key(element_id: str) -> str:
    """The user key of a widget from its element id ``$$ID-<hash>-<key>`` ('' when it has none)."""
    if not element_id.startswith("$$ID-"):
        return ""
    parts = element_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] != "None" else ""


def seen_of(element) -> Seen:
    kind = element.WhichOneof("type") or ""
    sub = getattr(element, kind) if kind else None
    if kind in WIDGET_TYPES and sub is not None and getattr(sub, "id", ""):
        return Seen(kind, widget=(widget_key(sub.id), sub.id, tuple(getattr(sub, "options", ()))))
    if kind == "heading":
        return Seen(kind, heading=sub.body)
    if kind == "imgs":
        return Seen(kind, image_urls=tuple(i.url for i in sub.imgs if i.url))
    return Seen(kind)


@dataclass
class Drawn:
    """What one script run drew, as far as the checks need it."""

    widgets: dict[str, tuple[str, str, tuple[str, ...]]] = field(
        default_factory=dict
    )  # key → (kind, id, options)
    headings: list[str] = field(default_factory=list)  # of the main area, in order
    images: list[str] = field(default_factory=list)
    url: str | None = None  # the query string the app wrote (page_info_changed)
    finished: bool = False

    def reset(self) -> None:
        self.widgets, self.headings, self.images = {}, [], []

    def note(self, seen: Seen, msg) -> None:
        main = not msg.metadata.delta_path or msg.metadata.delta_path[0] == 0  # 0: main, 1: sidebar
        if seen.widget is not None and seen.widget[0]:
            key, wid, options = seen.widget
            self.widgets[key] = (seen.kind, wid, options)
        elif seen.heading and main:
            self.headings.append(seen.heading)
        self.images.extend(seen.image_urls)

    def problems(self, step: Step, query_string: str) -> list[str]:
        """Why the run is not what the step asked for (empty: it is)."""
        out = []
        if step.title and (not self.headings or step.title not in self.headings[0]):
            out.append(f"expected page {step.title!r}, first title {self.headings[:1]!r}")
        out += [f"URL {query_string!r}: {miss}" for miss in check_url(query_string, step.expect)]
        if step.fetch_images and not self.images:
            out.append("no image on the page")
        return out


class Session:
    """One browser tab: one websocket, its page, its widgets, its message cache."""

    def __init__(self, index: int, base: str, rng: random.Random, themes: Sequence[str], t0: float) -> None:
        self.index, self.base, self.rng, self.themes, self.t0 = index, base.rstrip("/"), rng, themes, t0
        self.ws = None
        self.http = None
        self.cookie = ""
        self.upstream = ""
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.reader: asyncio.Task | None = None
        self.page_hashes: dict[str, str] = {}  # url path → page script hash (from the navigation message)
        self.page_hash = ""
        self.page = None  # url path of the page shown
        self.query_string = ""
        self.widgets: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # key → (kind, id, options)
        self.widget_states: dict[str, object] = {}  # id → WidgetState sent (the page's widgets)
        self.cache: dict[str, Seen] = {}
        self.fragments: dict[str, float] = {}  # fragment id → interval (s)
        self.fragment_due: dict[str, float] = {}

    async def open(self) -> None:
        import httpx
        import websockets

        self.http = httpx.AsyncClient(base_url=self.base, timeout=30.0)
        # As a browser: the page's HTML first (behind nginx this sets the route cookie), then the
        # health and host-config requests, then the websocket, all with the cookie.
        r = await self.http.get("/")
        r.raise_for_status()
        self.cookie = self.http.cookies.get(ROUTE_COOKIE) or ""
        for path in ("/_stcore/health", "/_stcore/host-config"):
            (await self.http.get(path)).raise_for_status()
        url = "ws" + self.base[4:] + "/_stcore/stream"
        headers = {"Cookie": f"{ROUTE_COOKIE}={self.cookie}"} if self.cookie else {}
        self.ws = await websockets.connect(
            url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, open_timeout=30
        )
        self.upstream = (self.ws.response.headers.get("X-Pinghu-Upstream") or "") if self.ws.response else ""
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                self.inbox.put_nowait((time.perf_counter(), raw))
        except Exception as exc:  # noqa: BLE001 - reported by the run waiting for it
            self.inbox.put_nowait((time.perf_counter(), exc))
        else:
            self.inbox.put_nowait((time.perf_counter(), ConnectionError("websocket closed")))

    async def close(self) -> None:
        if self.reader:
            self.reader.cancel()
        if self.ws is not None:
            await self.ws.close()
        if self.http is not None:
            await self.http.aclose()

    def _back(self, *, query: str, page_hash: str = "", page_name: str = "", fragment: str = "") -> bytes:
        BackMsg, _, _ = _protos()
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query
        cs.page_script_hash = page_hash
        cs.page_name = page_name
        if fragment:
            cs.fragment_id = fragment
            cs.is_auto_rerun = True
        cs.widget_states.widgets.extend(self.widget_states.values())
        cs.cached_message_hashes.extend(self.cache.keys())
        ci = cs.context_info
        ci.timezone, ci.timezone_offset, ci.locale = "Asia/Shanghai", -480, "zh-CN"
        ci.url = f"{self.base}/{self.page or ''}" + (f"?{query}" if query else "")
        ci.is_embedded = False
        ci.color_scheme = "light"
        return msg.SerializeToString()

    def _set_widget(self, key: str, value, pick: bool) -> str:
        """Put the widget's new value into the states sent; returns '' or why it cannot."""
        _, _, WidgetState = _protos()
        if key not in self.widgets:
            return f"widget {key!r} not on the page (widgets: {sorted(self.widgets)[:12]})"
        kind, wid, options = self.widgets[key]
        state = WidgetState(id=wid)
        if kind == "multiselect":
            if pick:
                if not options:
                    return f"widget {key!r} offers no options"
                value = (self.rng.choice(options),)
            state.string_array_value.data.extend(list(value))
        elif kind in ("text_input", "selectbox", "radio"):
            state.string_value = str(value)
        else:
            return f"widget {key!r} of kind {kind} not supported by the driver"
        self.widget_states[wid] = state
        return ""

    async def act(self, step: Step) -> RunRecord:
        """Ask for one script run and read it to its end."""
        problem = ""
        if step.page is not None:
            # A navigation: the browser sends only the widgets still on the page (the sidebar's
            # button has no lasting value), the target page's hash once it knows it — on the first
            # load the URL path as page name —, and the link's query string.
            self.widget_states = {}
            page_hash = self.page_hashes.get(step.page, "")
            self.page = step.page
            payload = self._back(
                query=step.query, page_hash=page_hash, page_name="" if page_hash else step.page
            )
        else:
            problem = self._set_widget(step.widget, step.value, step.pick)
            payload = self._back(query=self.query_string, page_hash=self.page_hash)
        return await self._run(step, payload, problem)

    async def auto_rerun(self) -> RunRecord | None:
        """The fragments whose run_every interval has passed: one fragment run each (the browser's timer)."""
        now = time.perf_counter()
        for fid, due in list(self.fragment_due.items()):
            if now >= due:
                self.fragment_due[fid] = now + self.fragments[fid]
                payload = self._back(query=self.query_string, page_hash=self.page_hash, fragment=fid)
                return await self._run(Step(AUTO), payload, "", fragment=True)
        return None

    async def _run(self, step: Step, payload: bytes, problem: str, fragment: bool = False) -> RunRecord:
        while not self.inbox.empty():  # late messages of the previous run (status changes)
            self.inbox.get_nowait()
        started = time.perf_counter()
        rec = RunRecord(self.index, step.name, started - self.t0, 0.0, 0.0, 0, 0, 0, upstream=self.upstream)
        if problem:
            rec.errors.append(("check", problem))
        drawn = Drawn()
        await self.ws.send(payload)
        deadline = started + RUN_TIMEOUT_S
        while not drawn.finished:
            try:
                left = max(0.1, deadline - time.perf_counter())
                at, raw = await asyncio.wait_for(self.inbox.get(), timeout=left)
            except TimeoutError:
                rec.errors.append(("timeout", f"no script_finished within {RUN_TIMEOUT_S:.0f} s"))
                break
            if isinstance(raw, BaseException):
                rec.errors.append(("connection", f"{type(raw).__name__}: {raw}"))
                break
            rec.bytes += len(raw)
            rec.messages += 1
            self._handle(raw, at - started, rec, drawn, fragment)
        rec.ms = (time.perf_counter() - started) * 1000
        if drawn.url is not None:
            self.query_string = drawn.url
        if drawn.finished and not fragment:
            self.widgets = drawn.widgets
            rec.errors += [("check", p) for p in drawn.problems(step, self.query_string)]
            if step.fetch_images:
                await self._fetch(drawn.images, rec)
        return rec

    def _handle(self, raw: bytes, since: float, rec: RunRecord, drawn: Drawn, fragment: bool) -> None:
        """One ForwardMsg of the run."""
        _, ForwardMsg, _ = _protos()
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta":
            rec.first_ms = rec.first_ms or since * 1000
            if msg.delta.WhichOneof("type") == "new_element":
                self._element(msg, rec, drawn)
        elif kind == "ref_hash":
            rec.refs += 1
            seen = self.cache.get(msg.ref_hash)
            if seen is None:
                rec.errors.append(("check", f"reference to a message never received ({msg.ref_hash})"))
            else:
                drawn.note(seen, msg)
        elif kind == "navigation":
            self._navigation(msg.navigation)
        elif kind == "page_info_changed":
            drawn.url = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            self._auto_rerun(msg.auto_rerun.fragment_id, float(msg.auto_rerun.interval))
        elif kind == "new_session" and not fragment:
            drawn.reset()  # a run the app restarted (st.rerun): only the last one counts
            self.fragments, self.fragment_due = {}, {}  # fragment ids belong to a run
        elif kind == "script_finished" and msg.script_finished != EARLY_FOR_RERUN:
            if msg.script_finished == COMPILE_ERROR:
                rec.errors.append(("compile", "FINISHED_WITH_COMPILE_ERROR"))
            drawn.finished = True

    def _navigation(self, nav) -> None:
        """The page list (url path → page script hash, the default page also under '') and the page run."""
        self.page_hashes = {"" if p.is_default else p.url_pathname: p.page_script_hash for p in nav.app_pages}
        for p in nav.app_pages:
            self.page_hashes.setdefault(p.url_pathname, p.page_script_hash)
        self.page_hash = nav.page_script_hash

    def _auto_rerun(self, fragment_id: str, every: float) -> None:
        """A fragment with run_every: the browser reruns it every ``every`` seconds from now on."""
        if fragment_id not in self.fragments:
            self.fragment_due[fragment_id] = time.perf_counter() + every
        self.fragments[fragment_id] = every

    def _element(self, msg, rec: RunRecord, drawn: Drawn) -> None:
        el = msg.delta.new_element
        seen = seen_of(el)
        if msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = seen
        drawn.note(seen, msg)
        if seen.kind == "exception":
            e = el.exception
            rec.errors.append(("exception", f"{e.type}: {e.message} | {' / '.join(e.stack_trace[-3:])}"))
        elif seen.kind == "alert" and el.alert.format == ALERT_ERROR:
            rec.st_errors.append(el.alert.body)

    async def _fetch(self, urls: Sequence[str], rec: RunRecord) -> None:
        t = time.perf_counter()
        for url in urls:
            try:
                r = await self.http.get(url if url.startswith("http") else "/" + url.lstrip("/"))
                if r.status_code != 200:
                    rec.errors.append(
                        (
                            "media",
                            f"{url}: HTTP {r.status_code} (upstream {r.headers.get('X-Pinghu-Upstream', '?')}, session's {self.upstream or '?'})",
                        )
                    )
                rec.media_bytes += len(r.content)
            except Exception as exc:  # noqa: BLE001
                rec.errors.append(("media", f"{url}: {type(exc).__name__}: {exc}"))
        rec.media_ms = (time.perf_counter() - t) * 1000


async def session_loop(
    index: int,
    base: str,
    seed: int,
    themes: Sequence[str],
    think: float,
    t0: float,
    stop_at: float,
    start_delay: float,
) -> list[RunRecord]:
    rng = random.Random(seed * 1000 + index)
    await asyncio.sleep(start_delay)
    records: list[RunRecord] = []
    s = Session(index, base, rng, themes, t0)
    try:
        await s.open()
    except Exception as exc:  # noqa: BLE001
        records.append(
            RunRecord(
                index,
                STEPS[0],
                time.perf_counter() - t0,
                0,
                0,
                0,
                0,
                0,
                errors=[("connection", f"{type(exc).__name__}: {exc}")],
            )
        )
        return records
    try:
        while time.perf_counter() < stop_at:
            for step in visit(rng, themes):
                if time.perf_counter() >= stop_at:
                    break
                rec = await s.act(step)
                records.append(rec)
                if any(k in ("connection", "timeout") for k, _ in rec.errors):
                    return records
                wait_until = time.perf_counter() + (think * rng.uniform(0.6, 1.4) if think > 0 else 0.0)
                while True:
                    if (auto := await s.auto_rerun()) is not None:
                        records.append(auto)
                        continue
                    left = wait_until - time.perf_counter()
                    if left <= 0 or time.perf_counter() >= stop_at:
                        break
                    await asyncio.sleep(min(left, 1.0))
    finally:
        await s.close()
    return records


def arrival_spread(think: float, arrivals: str) -> float:
    """Seconds over which the sessions arrive, one after another at even intervals.  ``mixed``: one
    whole visit (its steps × the think time), so that at any moment the sessions are at different
    steps, as people who did not all come in at once; ``lockstep``: one think time (at most 5 s),
    so that all sessions take the same step within a few seconds — everyone opening 政策主题 at
    once, the worst case.  Back to back (think 0): 2 s either way."""
    if think <= 0:
        return 2.0
    return len(STEPS) * think if arrivals == "mixed" else min(5.0, think)


async def drive(
    base: str,
    sessions: int,
    think: float,
    duration: float,
    seed: int,
    themes: Sequence[str],
    *,
    arrivals: str = "mixed",
    on_measure: Callable[[], None] | None = None,
) -> tuple[list[RunRecord], float]:
    """The sessions' runs asked for in the measured ``duration`` and its length.  With ``mixed``
    arrivals the measurement starts once every session has arrived (the steady state; the runs of
    the ramp are not counted) and ``on_measure`` is called then; with ``lockstep`` it starts with
    the first session, as before."""
    t0 = time.perf_counter()
    spread = arrival_spread(think, arrivals)
    skip = spread if arrivals == "mixed" and think > 0 else 0.0
    stop_at = t0 + skip + duration
    if on_measure is not None:
        asyncio.get_running_loop().call_later(skip, on_measure)
    tasks = [
        session_loop(i, base, seed, themes, think, t0, stop_at, spread * i / max(1, sessions))
        for i in range(sessions)
    ]
    results = await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0 - skip
    return [r for rs in results for r in rs if r.t >= skip], wall


COLD_LIMIT_S = 1800.0  # the longest a warm-up waits for the server's background builds


def still_building(recs: Sequence[RunRecord]) -> bool:
    """A page that drew no title: the server is still reading a cold cache (the corpus, the word
    index, the people) in its background build and shows a progress bar instead."""
    return any(k == "check" and "first title []" in m for r in recs for k, m in r.errors)


async def warm(base: str, themes: Sequence[str], seed: int) -> list[RunRecord]:
    """One visit, timed apart: the first computation of each page's shared cached results.  While
    a page draws only the progress bar of a background build (a cache made by another parser
    version is read again), the visit is repeated every 2 s — up to ``COLD_LIMIT_S`` — and the
    last, complete one is returned; the wait is printed."""
    started = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        s = Session(-1, base, random.Random(seed), themes, t0)
        await s.open()
        try:
            recs = [await s.act(step) for step in visit(s.rng, themes)]
        finally:
            await s.close()
        waited = time.perf_counter() - started
        if not still_building(recs) or waited > COLD_LIMIT_S:
            if t0 - started > 1:
                print(f"{base}: background builds (cold cache) took {t0 - started:.0f} s", flush=True)
            return recs
        await asyncio.sleep(2.0)


# ---------------------------------------------------------------- servers and sampling


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(k: int) -> list[int]:
    """k consecutive free ports."""
    for _ in range(50):
        base = free_port()
        ports = list(range(base, base + k))
        if all(_port_free(p) for p in ports[1:]):
            return ports
    raise RuntimeError("no consecutive free ports")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def wait_health(base: str, timeout: float = 120.0) -> None:
    import httpx

    end = time.time() + timeout
    while time.time() < end:
        try:
            if httpx.get(base + "/_stcore/health", timeout=2).text.strip() == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base} did not become healthy in {timeout:.0f} s")


def cache_copy(cache: Path) -> Path:
    """bench/out/load-cache-<name>: a copy of the warm cache made once (the original stays untouched);
    an empty folder when there is no such cache (the caller's ``pinghu ingest`` fills it)."""
    dest = OUT / f"load-cache-{cache.name}"
    if not dest.exists():
        tmp = dest.with_name(dest.name + ".part")
        shutil.rmtree(tmp, ignore_errors=True)
        if cache.exists():
            shutil.copytree(cache, tmp)
        else:
            tmp.mkdir(parents=True)
        tmp.rename(dest)
    return dest


def start_streamlit(port: int, env: dict, log: Path) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).parent / "streamlit"), "run", "dashboard.py",
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
        "--browser.gatherUsageStats=false",
    ]  # fmt: skip
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def start_nginx(listen: int, ports: Sequence[int]) -> subprocess.Popen:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("--processes > 1 needs nginx in front (Debian: apt-get install nginx)")
    prefix = OUT / f"load-nginx-{listen}"
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(prefix, listen, ports), encoding="utf-8")
    subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(conf)], check=True, capture_output=True)
    return subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=(prefix / "stderr.log").open("w"),
        start_new_session=True,
    )


class Sampler:
    """Resident memory (summed) and CPU time of process trees, from /proc via psutil, every 0.5 s."""

    def __init__(self, pids: Sequence[int], every: float = 0.5) -> None:
        import psutil

        self.roots = [psutil.Process(p) for p in pids]
        self.every = every
        self.peak_rss = 0
        self.cpu_seen: dict[int, float] = {}
        self._task: asyncio.Task | None = None

    def _procs(self):
        import psutil

        out = []
        for root in self.roots:
            try:
                out += [root, *root.children(recursive=True)]
            except psutil.Error:
                pass
        return out

    def sample(self) -> tuple[int, float]:
        import psutil

        rss = 0
        for p in self._procs():
            try:
                with p.oneshot():
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    self.cpu_seen[p.pid] = t.user + t.system
            except psutil.Error:
                pass
        self.peak_rss = max(self.peak_rss, rss)
        return rss, sum(self.cpu_seen.values())

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.every)

    def start(self) -> None:
        self.peak_rss = 0
        self._task = asyncio.create_task(self.run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        self.sample()


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------- report


def fmt(x: float | None, unit: str = "") -> str:
    return "–" if x is None else f"{x:,.0f}{unit}"


def print_report(res: dict) -> None:
    o = res["overall"]
    print(
        f"\n{res['sessions']} sessions, think {res['think_s']} s, arrivals {res.get('arrivals', 'lockstep')} "
        f"(over {res.get('arrival_spread_s', 0):.0f} s), {res['processes']} process(es), {res['wall_s']:.0f} s measured — "
        f"load average before {res['loadavg_before']}, when measuring began {res.get('loadavg_measured')}, "
        f"after {res['loadavg_after']}"
    )
    print(
        f"  runs {o['runs']} ({o['runs_per_s']}/s) + {o['auto_reruns']} auto-reruns; per run p50/p95/max "
        f"{fmt(o['ms']['p50'])} / {fmt(o['ms']['p95'])} / {fmt(o['ms']['max'])} ms; "
        f"first delta p50 {fmt(o['first_delta_ms']['p50'])} ms; {o['bytes_per_run_mean'] / 1e3:,.0f} kB/run "
        f"({o['cached_refs_per_run_mean']} cached refs/run)"
    )
    s = res.get("server")
    if s:
        print(
            f"  server: peak RSS {s['peak_rss_mb']:,.0f} MB ({res['processes']} process(es), at start {s['rss_start_mb']:,.0f} MB); "
            f"CPU {s['cpu_s']:.0f} s = {s['cpu_pct_of_cores']:.0f} % of {s['cores']} cores; "
            f"saturation {o['runs_per_s']} runs/s = {res['runs_per_s_per_process']} per process"
        )
    print(
        f"  driver CPU {res['driver_cpu_s']:.1f} s; errors {o['errors'] or 'none'} in {o['runs_with_errors']} runs; st.error shown {sum(o['st_error_texts'].values())}"
    )
    for e in o["first_errors"]:
        print("    " + e)
    for text, n in list(o["st_error_texts"].items())[:5]:
        print(f"    st.error ×{n}: {text}")
    if o["runs_by_upstream"]:
        print(f"  runs by upstream: {o['runs_by_upstream']}")
    print(f"  {'step':<10} {'n':>5} {'p50':>7} {'p95':>7} {'max':>7} {'kB/run':>8}")
    for name, st in o["by_step"].items():
        print(
            f"  {name:<10} {st['n']:>5} {fmt(st['p50']):>7} {fmt(st['p95']):>7} {fmt(st['max']):>7} {st['bytes_mean'] / 1e3:>8,.0f}"
        )
    verdict = "PASS" if o["ms"]["p95"] is not None and o["ms"]["p95"] <= TARGET_P95_MS else "MISS"
    print(f"  target p95 ≤ {TARGET_P95_MS:.0f} ms per script run: {verdict}")


def write_json(path: Path, res: dict) -> None:
    data = {"runs": []}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data.get("runs"), list):
                data = {"runs": []}
        except (OSError, ValueError):
            data = {"runs": []}
    data["runs"].append(res)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


# ---------------------------------------------------------------- main


@dataclass
class Servers:
    base: str  # what the sessions connect to (a process, or nginx in front of several)
    backends: list[str]  # each process (warmed up directly)
    procs: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


def start_servers(args: argparse.Namespace, res: dict) -> Servers:
    """``--url``: nothing to start; else K Streamlit processes (and nginx in front when K > 1)."""
    if args.url:
        return Servers(args.url.rstrip("/"), [args.url.rstrip("/")])
    from bench_pages import ensure_cache, ensure_corpus

    corpus = Path(args.corpus).resolve()
    ensure_corpus(corpus)
    cache = cache_copy(Path(args.cache).resolve())
    ensure_cache(corpus, cache)  # fills an empty copy; brings one made by an earlier checkout up to date
    res.update(corpus=str(corpus), cache=str(cache))
    env = {
        **os.environ,
        "PINGHU_DATA_DIR": str(corpus),
        "PINGHU_CACHE_DIR": str(cache),
        "PYTHONPATH": str(ROOT),
    }
    ports = free_ports(args.processes)
    t = time.perf_counter()
    servers = Servers("", [f"http://127.0.0.1:{p}" for p in ports])
    try:
        for p in ports:
            servers.procs.append(start_streamlit(p, env, OUT / f"load-server-{p}.log"))
        for b in servers.backends:
            wait_health(b)
        res["server_start_s"] = round(time.perf_counter() - t, 1)
        servers.base = servers.backends[0]
        if args.processes > 1:
            listen = free_port()
            servers.nginx = start_nginx(listen, ports)
            servers.base = f"http://127.0.0.1:{listen}"
            wait_health(servers.base)
    except BaseException:
        servers.stop()
        raise
    return servers


async def warm_all(servers: Servers, themes: Sequence[str], seed: int) -> list[dict]:
    """One visit on each process (directly, so that every process gets one), timed apart."""
    figs = []
    for b in servers.backends:
        t = time.perf_counter()
        recs = await warm(b, themes, seed)
        figs.append(
            {
                "backend": b,
                "s": round(time.perf_counter() - t, 1),
                "steps": {r.step: round(r.ms) for r in recs},
                "errors": [f"[{r.step}] {k}: {m[:200]}" for r in recs for k, m in r.errors],
            }
        )
        print(
            f"warm-up {b}: {figs[-1]['s']} s {figs[-1]['steps']} errors {figs[-1]['errors'] or 'none'}",
            flush=True,
        )
    return figs


async def amain(args: argparse.Namespace) -> dict:
    themes = theme_ids(ROOT / "data" / "themes.toml")
    cores = os.cpu_count() or 1
    res: dict = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "sessions": args.sessions, "think_s": args.think, "duration_s": args.duration, "arrivals": args.arrivals,
        "processes": args.processes if not args.url else None, "url": args.url,
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
    }  # fmt: skip
    servers = start_servers(args, res)
    try:
        sampler = Sampler([p.pid for p in servers.procs]) if servers.procs else None
        res["warmup"] = await warm_all(servers, themes, args.seed)
        res["loadavg_before"] = loadavg()
        rss0, _ = sampler.sample() if sampler else (0, 0.0)
        if sampler:
            sampler.start()
        start: dict = {}

        def measure() -> None:  # the measured part begins: the server's and the driver's CPU from here
            start["cpu"] = sampler.sample()[1] if sampler else 0.0
            start["ru"] = resource.getrusage(resource.RUSAGE_SELF)
            start["loadavg"] = loadavg()

        records, wall = await drive(
            servers.base,
            args.sessions,
            args.think,
            args.duration,
            args.seed,
            themes,
            arrivals=args.arrivals,
            on_measure=measure,
        )
        ru0, ru1 = start["ru"], resource.getrusage(resource.RUSAGE_SELF)
        res["wall_s"] = round(wall, 1)
        res["arrival_spread_s"] = arrival_spread(args.think, args.arrivals)
        res["loadavg_measured"] = start["loadavg"]
        res["loadavg_after"] = loadavg()
        res["driver_cpu_s"] = round((ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime), 1)
        if sampler:
            await sampler.stop()
            cpu = sum(sampler.cpu_seen.values()) - start["cpu"]
            res["server"] = {
                "peak_rss_mb": round(sampler.peak_rss / 2**20), "rss_start_mb": round(rss0 / 2**20),
                "cpu_s": round(cpu, 1), "cores": cores, "cpu_pct_of_cores": round(100 * cpu / (wall * cores), 1),
            }  # fmt: skip
        res["overall"] = aggregate(records, wall)
        per_s = res["overall"]["runs_per_s"]
        res["runs_per_s_per_process"] = round(per_s / len(servers.backends), 2) if per_s else None
        if args.records:
            res["records"] = [asdict(r) for r in records]
        return res
    finally:
        servers.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    ap.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="seconds between a session's actions, ±40 %% (0: saturation; default 5)",
    )
    ap.add_argument(
        "--duration", type=float, default=60.0, help="seconds of load after the warm-up (default 60)"
    )
    ap.add_argument(
        "--processes",
        type=int,
        default=1,
        help="Streamlit processes; > 1: behind nginx with sticky sessions (default 1)",
    )
    ap.add_argument(
        "--url",
        help="drive this running server (or nginx) instead of starting one, e.g. http://127.0.0.1:8501",
    )
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help=f"corpus folder (default {DEFAULT_CORPUS})")
    ap.add_argument(
        "--cache",
        default=str(DEFAULT_CACHE),
        help=f"warm cache to copy into bench/out once; the copy is brought up to date by pinghu ingest (default {DEFAULT_CACHE})",
    )
    ap.add_argument(
        "--json", default=str(RESULT), help=f"append the figures here (default {RESULT.relative_to(ROOT)})"
    )
    ap.add_argument(
        "--arrivals",
        choices=("mixed", "lockstep"),
        default="mixed",
        help="mixed (default): the sessions arrive over one whole visit, so they are at different "
        "steps at any moment, and the runs are measured once all have arrived; lockstep: they arrive "
        "within one think time and take the same step together (the worst case)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--records", action="store_true", help="also write every run's record into the JSON")
    args = ap.parse_args(argv)
    if args.processes < 1 or args.sessions < 1:
        ap.error("--processes and --sessions must be at least 1")
    res = asyncio.run(amain(args))
    print_report(res)
    write_json(Path(args.json), res)
    print(f"figures appended to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One declaration per page view: each field of a view dataclass says its URL parameter, its widget
key, its default, how it is read and checked — and that one declaration drives reading the URL,
seeding the widgets, reading the widgets back, writing the URL, the cache key and the CLI flags
(pure; no Streamlit).

A view is a frozen dataclass whose fields are made with :func:`param`::

    @dataclass(frozen=True)
    class SearchView:
        start: dt.date | None = param(None, "start", widget="articles.dates", kind=DATE_START)
        themes: tuple[str, ...] = param((), "themes", widget="articles.themes", options="themes")

Kinds of field:

* ``ONE`` — one string (stripped); with ``options`` only a known value is kept;
* ``MANY`` — a tuple of strings, ``,``-separated in the URL, each kept only when known;
* ``INT`` — a whole number (with ``options``: one of them);
* ``BOOL`` — ``1`` in the URL when on, absent when off; a toggle;
* ``DATE`` — one day (a period's start), ISO in the URL and in its select box;
* ``DATE_START`` / ``DATE_END`` — the two ends of one date box (pairs told apart by ``group``):
  clamped to the corpus' days and put in order when read from a URL.  ``ends`` says what an end
  means: ``OPEN`` (the default) — a missing end is open and a box showing the whole corpus means
  no date filter; ``CORPUS`` — a missing end is the corpus' first or last day and the view keeps
  the days the box shows; ``KEEP`` — a missing end stays missing for the view to complete (its
  ``finished()`` method, called after every build).

A field can stay out of the URL when it has its default (``omit_default``) or while a BOOL field is
off (``only_if``).

A :class:`Context` carries what the checks need: the allowed values of each ``options`` name (a
mapping or set; a mapping's keys), the corpus' first and last day, and defaults that depend on the
corpus (``defaults``: field name → the value when the URL does not name the field).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pinghu_core.common import url_params as up

ONE, MANY, INT, BOOL, DATE, DATE_START, DATE_END = (
    "one",
    "many",
    "int",
    "bool",
    "date",
    "date_start",
    "date_end",
)
KINDS = (ONE, MANY, INT, BOOL, DATE, DATE_START, DATE_END)
OPEN, CORPUS, KEEP = "open", "corpus", "keep"  # what a date range's ends mean (module docstring)
META = "view_param"

V = TypeVar("V")


@dataclass(frozen=True)
class Param:
    url: str  # URL parameter name
    widget: str = ""  # session-state key of the widget that shows it ('' = none)
    kind: str = ONE
    options: str = ""  # the Context.options entry that says which values exist ('' = any)
    match: Callable[[str], str] | None = None  # a value matches an option when match(a) == match(b)
    always_in_url: bool = False  # written even when empty (an empty value then means "every …")
    omit_default: bool = False  # left out of the URL while it has its default
    only_if: str = ""  # a BOOL field: this one is in the URL only while that is on
    rows: bool = True  # decides the rows (part of the cache key); False for e.g. the opened article
    widget_none: bool = False  # an empty ONE value seeds its widget with None (a selection)
    group: str = ""  # DATE_START/DATE_END: the two ends of one box share a group
    ends: str = OPEN  # DATE_START: see the module docstring
    cli: str = ""  # the command-line flag ('' = none)
    cli_metavar: str | None = None
    cli_help: str = ""
    label_zh: str = ""  # what the filter is called in the 查询条件 of downloads ('' = not listed)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown view field kind {self.kind!r}")
        if self.ends not in (OPEN, CORPUS, KEEP):
            raise ValueError(f"unknown date ends {self.ends!r}")


def param(default: Any, url: str, **kw: Any) -> Any:
    """A view field: its default and its :class:`Param` (see the module docstring)."""
    return field(default=default, metadata={META: Param(url, **kw)})


@dataclass(frozen=True)
class Context:
    options: Mapping[str, Collection[str]] = field(default_factory=dict)
    first: dt.date | None = None
    last: dt.date | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)


def params_of(cls: type) -> list[tuple[str, Param, Any]]:
    """(field name, Param, default) of every declared field, in field order."""
    out = []
    for f in dataclasses.fields(cls):
        p = f.metadata.get(META)
        if p is not None:
            out.append((f.name, p, f.default))
    return out


def _declared(cls: type) -> dict[str, Param]:
    return {n: p for n, p, _ in params_of(cls)}


def _date_pairs(cls: type) -> list[tuple[str, str]]:
    """(start field, end field) of each date box."""
    starts = {p.group: n for n, p, _ in params_of(cls) if p.kind == DATE_START}
    ends = {p.group: n for n, p, _ in params_of(cls) if p.kind == DATE_END}
    if starts.keys() != ends.keys():
        raise ValueError(f"{cls.__name__}: every DATE_START needs its DATE_END (same group)")
    return [(starts[g], ends[g]) for g in starts]


def _finished(view: V) -> V:
    finish = getattr(view, "finished", None)
    return finish() if callable(finish) else view


def _known(p: Param, ctx: Context) -> dict[str, str] | None:
    """match(value) → the value as the corpus spells it, or None when any value goes."""
    if not p.options or p.options not in ctx.options:
        return None
    key = p.match or (lambda s: s)
    return {key(str(v)): str(v) for v in ctx.options[p.options]}


def _keep(values: list[str], p: Param, ctx: Context) -> tuple[str, ...]:
    known = _known(p, ctx)
    if known is None:
        return tuple(values)
    key = p.match or (lambda s: s)
    return tuple(dict.fromkeys(known[key(v)] for v in values if key(v) in known))


# ---------------------------------------------------------------- URL → view → URL


def _from_text(value: str, p: Param, default: Any, ctx: Context, name: str) -> Any:
    """One ONE/INT value from the URL: kept when it exists, else the (corpus or field) default."""
    kept = _keep([value], p, ctx) if value else ()
    if p.kind == INT:
        kept = tuple(k for k in kept if k.isdigit())
        return int(kept[0]) if kept else ctx.defaults.get(name, default)
    return kept[0] if kept else ctx.defaults.get(name, default)


def from_url(cls: type[V], params: Mapping[str, up.Value], ctx: Context = Context()) -> V:
    """The view a URL asks for: unknown values dropped, dates clamped to the corpus and in order; a
    missing parameter is the corpus default (``ctx.defaults``) or the field's default."""
    values: dict[str, Any] = {}
    for name, p, default in params_of(cls):
        if p.kind in (DATE_START, DATE_END):
            continue
        if p.url not in params:
            if name in ctx.defaults:
                values[name] = ctx.defaults[name]
            continue
        raw = params[p.url]
        if p.kind == MANY:
            values[name] = _keep(up.many(raw), p, ctx)
        elif p.kind == DATE:
            values[name] = up.parse_date(raw)
        elif p.kind == BOOL:
            values[name] = up.one(raw) == "1"
        else:
            values[name] = _from_text(up.one(raw), p, default, ctx, name)
    decl = _declared(cls)
    for start, end in _date_pairs(cls):
        missing = (ctx.first, ctx.last) if decl[start].ends == CORPUS else (None, None)
        values[start], values[end] = up.date_range(
            params, decl[start].url, decl[end].url, ctx.first, ctx.last, missing
        )
    return _finished(cls(**values))


def _text(value: Any, p: Param) -> str:
    if p.kind in (DATE, DATE_START, DATE_END):
        return up.iso(value) or ""
    if p.kind == MANY:
        return up.LIST_SEP.join(value)
    if p.kind == BOOL:
        return "1" if value else ""
    return str(value if value is not None else "")


def to_url(view: object) -> dict[str, str]:
    """The URL parameters of a view: every field that is not empty (or is ``always_in_url``), less
    those at their default (``omit_default``) or switched off (``only_if``)."""
    out: dict[str, str] = {}
    for name, p, default in params_of(type(view)):
        value = getattr(view, name)
        if (p.only_if and not getattr(view, p.only_if)) or (p.omit_default and value == default):
            continue
        text = _text(value, p)
        if text or p.always_in_url:
            out[p.url] = text
    return out


# ---------------------------------------------------------------- widgets


def widget_values(view: object, ctx: Context = Context()) -> dict[str, Any]:
    """Session-state key → the value its widget shows for this view (a date box: the corpus' first
    and last day for open ends)."""
    out: dict[str, Any] = {}
    for name, p, _ in params_of(type(view)):
        if not p.widget or p.kind in (DATE_START, DATE_END):
            continue
        value = getattr(view, name)
        if p.kind == MANY:
            out[p.widget] = list(value)
        elif p.kind == DATE:
            out[p.widget] = up.iso(value)
        elif p.kind == ONE and p.widget_none:
            out[p.widget] = value or None
        else:
            out[p.widget] = value
    decl = _declared(type(view))
    for start, end in _date_pairs(type(view)):
        if decl[start].widget:
            days = (getattr(view, start) or ctx.first, getattr(view, end) or ctx.last)
            out[decl[start].widget] = tuple(d for d in days if d is not None)
    return out


def widget_options(cls: type, ctx: Context) -> dict[str, Collection[str]]:
    """Session-state key → the values its widget offers (a seeded value outside them is dropped)."""
    return {
        p.widget: ctx.options[p.options]
        for _, p, _ in params_of(cls)
        if p.widget and p.kind in (ONE, MANY) and p.options in ctx.options
    }


def from_widgets(cls: type[V], state: Mapping[str, Any], ctx: Context = Context()) -> V:
    """The view the widgets show.  A date range being picked (one day so far) counts as that day
    onward; what a whole-corpus box or an open end means is the pair's ``ends``."""
    values: dict[str, Any] = {}
    decl = _declared(cls)
    for name, p, default in params_of(cls):
        if not p.widget or p.kind in (DATE_START, DATE_END):
            continue
        value = state.get(p.widget)
        if p.kind == MANY:
            values[name] = tuple(value or ())
        elif p.kind == DATE:
            values[name] = up.parse_date(value)
        elif p.kind == BOOL:
            values[name] = bool(value)
        elif p.kind == INT:
            values[name] = int(value) if value is not None else default
        else:  # an empty box of a field with a default (a radio not drawn yet) is the default
            values[name] = str(value or "").strip() or default
    for start, end in _date_pairs(cls):
        if not decl[start].widget:
            continue
        a, b = up.widget_dates(state.get(decl[start].widget))
        if decl[start].ends == OPEN and (a, b) == (ctx.first, ctx.last):
            a = b = None
        elif decl[start].ends == CORPUS:  # a range being picked runs to the corpus' last day
            a, b = a or ctx.first, b or ctx.last
        values[start], values[end] = a, b
    return _finished(cls(**values))


def rows_key(view: object) -> tuple:
    """The fields that decide the rows, in order: a small, hashable cache key."""
    return tuple(getattr(view, n) for n, p, _ in params_of(type(view)) if p.rows)


# ---------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser, cls: type) -> None:
    """One flag per field that declares one, its value stored under the field's name (MANY:
    repeatable; a date is left as written, for the command to read with its own message)."""
    for name, p, default in params_of(cls):
        if not p.cli:
            continue
        kw: dict[str, Any] = {"dest": name, "help": p.cli_help}
        if p.kind == BOOL:
            kw.update(action="store_true")
        else:
            kw["metavar"] = p.cli_metavar
            if p.kind == MANY:
                kw.update(action="append", default=None)
            elif p.kind in (DATE, DATE_START, DATE_END):
                kw.update(default=None)  # read by the command (its own message for a bad date)
            elif p.kind == INT:
                kw.update(type=int, default=default)
            else:
                kw.update(default=default)
        parser.add_argument(p.cli, **kw)


def from_args(cls: type[V], args: argparse.Namespace) -> V:
    """The view the flags ask for (a MANY flag given as ``a,b`` or repeated; an absent MANY flag is the
    field's default)."""
    values: dict[str, Any] = {}
    for name, p, _ in params_of(cls):
        if not p.cli or getattr(args, name, None) is None:
            continue
        value = getattr(args, name)
        values[name] = tuple(up.many(value)) if p.kind == MANY else value
    return cls(**values)


def widget_of(cls: type, name: str) -> str:
    """The session-state key a field's widget uses (the page's ``key=`` for it)."""
    return next(p.widget for n, p, _ in params_of(cls) if n == name)

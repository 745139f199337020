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
* ``DATE_START`` / ``DATE_END`` — the two ends of one date box: clamped to the corpus' days and
  put in order when read from a URL.  With ``open_ends`` (the default) a missing end is open and a
  box showing the whole corpus means no date filter; without, a missing end is the corpus' first
  or last day and the view keeps the days the box shows;
* ``DATE`` — one day (a period's start), ISO in the URL and in its select box.

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

ONE, MANY, DATE, DATE_START, DATE_END = "one", "many", "date", "date_start", "date_end"
KINDS = (ONE, MANY, DATE, DATE_START, DATE_END)
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
    rows: bool = True  # decides the rows (part of the cache key); False for e.g. the opened article
    widget_none: bool = False  # an empty ONE value seeds its widget with None (a selection)
    cli: str = ""  # the command-line flag ('' = none)
    cli_metavar: str | None = None
    cli_help: str = ""
    label_zh: str = ""  # what the filter is called in the 查询条件 of downloads ('' = not listed)
    open_ends: bool = True  # DATE_START/DATE_END: see the module docstring

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown view field kind {self.kind!r}")


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


def _date_fields(cls: type) -> tuple[str, str] | None:
    names = {p.kind: n for n, p, _ in params_of(cls) if p.kind in (DATE_START, DATE_END)}
    return (names[DATE_START], names[DATE_END]) if names else None


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


def from_url(cls: type[V], params: Mapping[str, up.Value], ctx: Context = Context()) -> V:
    """The view a URL asks for: unknown values dropped, dates clamped to the corpus and in order; a
    missing parameter is the field's default."""
    values: dict[str, Any] = {}
    dates = _date_fields(cls)
    for name, p, default in params_of(cls):
        if p.kind in (DATE_START, DATE_END):
            continue
        if p.url not in params:
            if name in ctx.defaults:
                values[name] = ctx.defaults[name]
            continue
        if p.kind == MANY:
            values[name] = _keep(up.many(params[p.url]), p, ctx)
        elif p.kind == DATE:
            values[name] = up.parse_date(params[p.url])
        else:
            value = up.one(params[p.url])
            kept = _keep([value], p, ctx) if value else ()
            values[name] = kept[0] if kept else ctx.defaults.get(name, default)  # empty or unknown
    if dates is not None:
        decl = dict((n, p) for n, p, _ in params_of(cls))
        missing = (None, None) if decl[dates[0]].open_ends else (ctx.first, ctx.last)
        start, end = up.date_range(
            params, decl[dates[0]].url, decl[dates[1]].url, ctx.first, ctx.last, missing
        )
        values[dates[0]], values[dates[1]] = start, end
    return cls(**values)


def to_url(view: object) -> dict[str, str]:
    """The URL parameters of a view: every field that is not empty (or is ``always_in_url``)."""
    out: dict[str, str] = {}
    for name, p, _ in params_of(type(view)):
        value = getattr(view, name)
        if p.kind in (DATE, DATE_START, DATE_END):
            text = up.iso(value) or ""
        elif p.kind == MANY:
            text = up.LIST_SEP.join(value)
        else:
            text = str(value or "")
        if text or p.always_in_url:
            out[p.url] = text
    return out


def url_names(cls: type) -> tuple[str, ...]:
    return tuple(p.url for _, p, _ in params_of(cls))


# ---------------------------------------------------------------- widgets


def widget_values(view: object, ctx: Context = Context()) -> dict[str, Any]:
    """Session-state key → the value its widget shows for this view (a date box: the corpus' first
    and last day for open ends)."""
    out: dict[str, Any] = {}
    dates = _date_fields(type(view))
    for name, p, _ in params_of(type(view)):
        if not p.widget or p.kind in (DATE_START, DATE_END):
            continue
        value = getattr(view, name)
        if p.kind == MANY:
            out[p.widget] = list(value)
        elif p.kind == DATE:
            out[p.widget] = up.iso(value)
        else:
            out[p.widget] = (value or None) if p.widget_none else value
    if dates is not None:
        box = dict((n, p) for n, p, _ in params_of(type(view)))[dates[0]].widget
        if box:
            start, end = getattr(view, dates[0]) or ctx.first, getattr(view, dates[1]) or ctx.last
            out[box] = tuple(d for d in (start, end) if d is not None)
    return out


def widget_options(cls: type, ctx: Context) -> dict[str, Collection[str]]:
    """Session-state key → the values its widget offers (a seeded value outside them is dropped)."""
    return {
        p.widget: ctx.options[p.options]
        for _, p, _ in params_of(cls)
        if p.widget and p.options in ctx.options
    }


def from_widgets(cls: type[V], state: Mapping[str, Any], ctx: Context = Context()) -> V:
    """The view the widgets show.  A date box showing the whole corpus means no date filter; a range
    being picked (one day so far) counts as that day onward."""
    values: dict[str, Any] = {}
    dates = _date_fields(cls)
    decl = {n: p for n, p, _ in params_of(cls)}
    defaults = {n: d for n, _, d in params_of(cls)}
    for name, p in decl.items():
        if not p.widget or p.kind in (DATE_START, DATE_END):
            continue
        value = state.get(p.widget)
        if p.kind == MANY:
            values[name] = tuple(value or ())
        elif p.kind == DATE:
            values[name] = up.parse_date(value)
        else:  # an empty box of a field with a default (a radio not drawn yet) is the default
            values[name] = str(value or "").strip() or defaults[name]
    if dates is not None and decl[dates[0]].widget:
        start, end = up.widget_dates(state.get(decl[dates[0]].widget))
        if decl[dates[0]].open_ends and (start, end) == (ctx.first, ctx.last):
            start = end = None
        elif not decl[dates[0]].open_ends:  # a range being picked runs to the corpus' last day
            start, end = start or ctx.first, end or ctx.last
        values[dates[0]], values[dates[1]] = start, end
    return cls(**values)


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
        kw: dict[str, Any] = {"dest": name, "help": p.cli_help, "metavar": p.cli_metavar}
        if p.kind == MANY:
            kw.update(action="append", default=None)
        elif p.kind in (DATE_START, DATE_END):
            kw.update(default=None)  # read by the command (its own message for a bad date)
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

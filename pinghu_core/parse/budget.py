"""A time budget for parsing one file: ``budget.call(30, parse, text)``.

Two ways to stop a file that takes too long, both ending in :class:`ParseTimeout`:

* **cooperative**: the parser calls :func:`check` inside its loops (per line, per unit, per
  draft, never per character); it raises once the innermost active deadline has passed.  A
  context-variable read and a clock read (about a microsecond), and it works everywhere, also
  inside Streamlit's script threads.
* **hard**: code that never calls :func:`check` is interrupted as well — in the main thread
  (the CLI, each pool worker) by ``SIGALRM`` from ``signal.setitimer``, which also stops a
  runaway regular-expression match; in any other thread (Streamlit runs scripts in one) by a
  watchdog timer that raises ``ParseTimeout`` asynchronously in the parsing thread.  There it
  takes effect at the next Python bytecode: one long call into C (a regular-expression match,
  which also holds the GIL) ends first.

A hard stop is injected at most once per deadline, and may land anywhere, even in the clean-up
of the ``with`` statement itself.  So :func:`call` (or ``with`` inside ``try … finally:
d.close()``) is the safe form: ``close`` is idempotent and cannot be interrupted, because by
the time it runs the one exception has been either raised or cleared.  Deadlines nest: an
inner one never extends an outer one, and only the outermost arms a hard stop.

``seconds`` ≤ 0 or ``None`` means no budget.  This module imports nothing from the project.
"""

from __future__ import annotations

import contextvars
import ctypes
import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

if TYPE_CHECKING:
    from types import FrameType

T = TypeVar("T")
# what signal.signal() takes and returns: a handler, SIG_DFL / SIG_IGN, or None (not set from Python)
_Handler: TypeAlias = "Callable[[int, FrameType | None], Any] | int | signal.Handlers | None"


class ParseTimeout(BaseException):  # noqa: N818 - the name says what happened, as TimeoutError does
    """A file's time budget ran out.

    A ``BaseException`` (as ``asyncio.CancelledError`` is), so an ``except Exception`` inside the
    parser cannot swallow the stop; whoever opens a :class:`deadline` catches it by name.
    """


_expires: contextvars.ContextVar[float | None] = contextvars.ContextVar("pinghu_parse_deadline", default=None)
_hard = threading.local()  # .active: a hard stop is armed in this thread


def remaining() -> float | None:
    """Seconds left of the innermost active deadline (negative once passed); None without one."""
    expires = _expires.get()
    return None if expires is None else expires - time.monotonic()


def check() -> None:
    """Raise :class:`ParseTimeout` when the active deadline has passed; else return at once."""
    expires = _expires.get()
    if expires is not None and time.monotonic() >= expires:
        raise ParseTimeout("解析超时")


# ---------------------------------------------------------------- hard stops


class _Alarm:
    """SIGALRM after ``seconds`` raises ParseTimeout in the main thread (old handler/timer restored)."""

    def __init__(self) -> None:
        self.armed = False
        self.fired = False
        self.old_handler: _Handler = signal.SIG_DFL
        self.old_timer = (0.0, 0.0)

    def arm(self, seconds: float) -> None:
        self.old_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        self.armed = True
        self.old_timer = signal.setitimer(signal.ITIMER_REAL, seconds)

    def _on_alarm(self, signum, frame) -> None:  # noqa: ANN001 - signal handler signature
        if self.armed and not self.fired:
            self.fired = True
            raise ParseTimeout("解析超时")

    def disarm(self) -> bool:
        was_armed, self.armed = self.armed, False  # first: a handler that still runs does nothing
        if was_armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old_handler)
            delay, interval = self.old_timer
            if delay > 0:  # someone else's timer was running: give it back (its elapsed part is lost)
                signal.setitimer(signal.ITIMER_REAL, delay, interval)
        return self.fired


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


class _Watchdog:
    """A timer thread that raises ParseTimeout in this thread after ``seconds``."""

    def __init__(self) -> None:
        self.ident = threading.get_ident()
        self.lock = threading.Lock()
        self.armed = False
        self.fired = False
        self.timer: threading.Timer | None = None

    def arm(self, seconds: float) -> None:
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True
        self.timer.name = "pinghu-parse-deadline"
        self.armed = True
        self.timer.start()

    def _fire(self) -> None:
        with self.lock:
            if not self.armed:
                return
            self.fired = True
            _set_async_exc(ctypes.c_ulong(self.ident), ctypes.py_object(ParseTimeout))

    def disarm(self) -> bool:
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            self.armed = False
            if self.fired:  # still pending if the thread ran no bytecode since: clear it
                _set_async_exc(ctypes.c_ulong(self.ident), None)
        return self.fired


def _hard_stop() -> _Alarm | _Watchdog | None:
    """The hard stop that fits this thread, not armed yet (None if one is armed already in it)."""
    if getattr(_hard, "active", False):
        return None
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _Alarm()
    return _Watchdog()


class deadline:  # noqa: N801 - used like a function: ``with deadline(30):``
    """Run the block with a budget of ``seconds``; :class:`ParseTimeout` when it runs out.

    With ``hard=False`` only :func:`check` enforces it.  The exception comes out of the
    ``with`` statement, also when the block finished after a hard stop fired but before it
    took effect (the block did exceed its budget).  See the module doc for :meth:`close`.
    """

    def __init__(self, seconds: float | None, *, hard: bool = True) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self.hard = hard
        self.token: contextvars.Token | None = None
        self.stop: _Alarm | _Watchdog | None = None

    def __enter__(self) -> deadline:
        if self.seconds is None:
            return self
        outer = _expires.get()
        expires = time.monotonic() + self.seconds
        self.token = _expires.set(expires if outer is None else min(outer, expires))
        stop = _hard_stop() if self.hard else None
        if stop is not None:
            self.stop = stop  # known before it is armed, so close() can always disarm it
            _hard.active = True
            stop.arm(self.seconds)
        return self

    def close(self) -> bool:
        """Disarm and forget this deadline (idempotent); True when its hard stop fired."""
        fired = False
        try:  # self.stop is dropped only once disarmed: an interrupted close() can run again
            if self.stop is not None:
                fired = self.stop.disarm()
        except ParseTimeout:  # the one injected exception arrived just now
            if self.stop is None:  # not this deadline's (it armed none): an outer one's stop
                raise
            fired = self.stop.disarm()
        if self.stop is not None:
            self.stop = None
            _hard.active = False
        if self.token is not None:
            _expires.reset(self.token)
            self.token = None
        return fired

    def __exit__(self, exc_type, exc, tb) -> Literal[False]:  # noqa: ANN001 - never swallows
        if self.close() and exc_type is None:
            raise ParseTimeout("解析超时")
        return False


def call(seconds: float | None, fn: Callable[..., T], /, *args, **kwargs) -> T:
    """``fn(*args, **kwargs)`` within ``seconds``; raises :class:`ParseTimeout` when it runs out.

    The safe way to use a hard stop: whatever moment it lands, nothing of it outlives this call.
    """
    limit = deadline(seconds)
    try:
        with limit:
            return fn(*args, **kwargs)
    finally:
        limit.close()

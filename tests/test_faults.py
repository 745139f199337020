"""Issue 12 #18/#19: what in the corpus folder is read, what is skipped (each with a report row),
workers that die with their parent, cache writes that leave nothing half-written, cache checksums.

The tests run as root here, where chmod 000 does not stop reading: unreadable folders and files are
simulated by making ``os.scandir``/``os.open`` raise PermissionError for them (a real chmod 000 is
tried as well when not root)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from conftest import SAMPLE_CORPUS

from pinghu_core.cli import main as cli
from pinghu_core.corpus import files as corpus
from pinghu_core.corpus import ingest
from pinghu_core.parse import reading

SEEDS = sorted(p.name for p in SAMPLE_CORPUS.glob("*.txt"))
SEED = (SAMPLE_CORPUS / SEEDS[0]).read_bytes()


def load_within(folder: Path, cache: Path, seconds: float = 60) -> ingest.Corpus:
    """load_corpus in a thread; fails (instead of hanging the test run) when it does not finish."""
    box: dict = {}

    def run() -> None:
        try:
            box["corpus"] = ingest.load_corpus(folder, cache_dir=cache, workers=1)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "ingest hung (blocked on a FIFO?)"
    if "error" in box:
        raise box["error"]
    return box["corpus"]


def rows(c: ingest.Corpus) -> dict[str, tuple[str, str, str]]:
    return {r.source: (r.status, r.code, r.message) for r in c.report.itertuples()}


# ---------------------------------------------------------------- #18 what is read


def test_fifos_devices_and_links_are_never_read_and_each_is_reported(env: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SEED.replace("平湖".encode(), "外面".encode()))
    os.mkfifo(env / "pipe.txt")
    os.mkfifo(env / ".fifo")
    os.symlink(env / ".fifo", env / "to-fifo.txt")  # a link to a FIFO inside the folder
    os.symlink(outside / "secret.txt", env / "outside.txt")
    os.symlink(env / "nowhere", env / "broken.txt")
    (env / ".store").mkdir()
    (env / ".store" / "kept.txt").write_bytes(SEED.replace("平湖".encode(), "嘉兴".encode()))
    os.symlink(env / ".store" / "kept.txt", env / "inside.txt")  # a link to a regular file inside: read
    device = False
    try:
        os.mknod(env / "dev.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        device = True
    except (PermissionError, OSError):
        pass

    c = load_within(env, tmp_path / "cache")
    got = rows(c)
    assert got["pipe.txt"][:2] == ("error", corpus.NOT_REGULAR) and "命名管道" in got["pipe.txt"][2]
    assert (
        got["to-fifo.txt"][:2] == ("error", corpus.NOT_REGULAR)
        and "链接指向的是命名管道" in got["to-fifo.txt"][2]
    )
    assert (
        got["outside.txt"][:2] == ("error", corpus.OUTSIDE_LINK) and "语料文件夹之外" in got["outside.txt"][2]
    )
    assert got["broken.txt"][:2] == ("error", corpus.BROKEN_LINK) and "符号链接失效" in got["broken.txt"][2]
    if device:
        assert got["dev.txt"][:2] == ("error", corpus.NOT_REGULAR) and "字符设备" in got["dev.txt"][2]
    assert got["inside.txt"][0] != "error"
    assert set(c.pages["source"]) == {*SEEDS, "inside.txt"}
    assert not c.articles["body"].str.contains("外面").any()  # the outside file was never read
    assert c.stats["skipped"] == 4 + device
    again = load_within(env, tmp_path / "cache")  # from the cache: the same rows
    assert rows(again) == {k: v for k, v in got.items()} and again.stats["from_cache"] == len(SEEDS) + 1


def test_a_page_turned_into_a_fifo_after_the_scan_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.txt")
    box: dict = {}
    t = threading.Thread(
        target=lambda: box.update(r=reading.read_page(tmp_path / "p.txt", 1000)), daemon=True
    )
    t.start()
    t.join(10)
    assert not t.is_alive() and box["r"].refused and box["r"].problem_code == reading.NOT_REGULAR
    (tmp_path / "real.txt").write_bytes(SEED)
    os.symlink(tmp_path / "real.txt", tmp_path / "swapped.txt")
    with pytest.raises(reading.ReadError, match="符号链接"):  # scanned as a file, a link when read
        reading.read_bytes(tmp_path / "swapped.txt", 10**7, nofollow=True)


def test_an_unreadable_folder_is_reported_and_the_rest_loads(env: Path, tmp_path: Path, monkeypatch) -> None:
    locked = env / "2021"
    locked.mkdir()
    (locked / "a.txt").write_bytes(SEED.replace("平湖".encode(), "嘉兴".encode()))
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.realpath(path) == os.path.realpath(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    c = load_within(env, tmp_path / "cache")
    status, code, message = rows(c)["2021/"]
    assert (status, code) == (
        "error",
        corpus.UNREADABLE_FOLDER,
    ) and "无法读取文件夹（没有读取权限）" in message
    assert set(c.pages["source"]) == set(SEEDS)


def test_an_unreadable_file_is_reported_and_the_rest_loads(env: Path, tmp_path: Path, monkeypatch) -> None:
    locked = env / "locked.txt"
    locked.write_bytes(SEED.replace("平湖".encode(), "嘉兴".encode()))
    if os.geteuid() != 0:
        locked.chmod(0)
    else:  # root reads anything: simulate the refusal
        real_open = os.open

        def fake_open(path, flags, *args, **kwargs):
            if os.path.realpath(path) == os.path.realpath(locked):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)
    c = load_within(env, tmp_path / "cache")
    assert rows(c)["locked.txt"] == ("error", reading.UNREADABLE, "无法读取文件：没有读取权限")
    assert set(c.pages["source"]) == set(SEEDS)


def test_pinghu_ingest_names_a_bad_theme_file_with_its_line(
    env: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    bad = tmp_path / "themes.toml"
    bad.write_text('version = "1"\n[[theme]]\nid = "x"\nlabel = \n', encoding="utf-8")
    monkeypatch.setenv("PINGHU_THEMES_FILE", str(bad))
    assert cli.main(["ingest", "--no-words"]) == 0
    out = capsys.readouterr().out
    assert "主题词典不能使用" in out and "第4行" in out and str(bad) in out
    monkeypatch.delenv("PINGHU_THEMES_FILE")
    assert cli.main(["ingest", "--no-words"]) == 0
    assert "主题词典" not in capsys.readouterr().out


# ---------------------------------------------------------------- #19 faults

SLOW_MODULE = r"""
import os, time
from pinghu_core.corpus import ingest

def slow(jobs, timeout=None, hook=None):  # a worker busy for a long time (as with a huge page)
    print("worker", os.getpid(), flush=True)
    time.sleep(600)

ingest.parse_chunk = slow
"""
ORPHAN_SCRIPT = r"""
import sys, threading, os, time
from pathlib import Path
import slowmod  # noqa: F401 - patches ingest.parse_chunk here and (preloaded) in the forkserver
from pinghu_core.corpus import ingest



def main():  # workers started through the forkserver import this file again: nothing at import time
    folder, cache, method = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    if method == "forkserver":  # a thread running, as inside Streamlit: the pool uses the forkserver
        threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
        real = ingest.pool_context

        def ctx():
            c = real()
            assert c.get_start_method() == "forkserver", c.get_start_method()
            c.set_forkserver_preload(["slowmod"])
            return c

        ingest.pool_context = ctx
    print("parent", os.getpid(), flush=True)
    ingest.load_corpus(folder, cache_dir=cache, workers=2)


if __name__ == "__main__":
    main()
"""


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(stat_file.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _parallel_corpus(tmp_path: Path, n: int) -> Path:
    """A folder of ``n`` distinct pages: enough for the ingest to use a process pool."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i:02d}.txt").write_bytes(SEED + f"\n第{i}版\n".encode())
    return folder


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc (Linux)")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_pool_workers_die_when_the_ingest_is_killed(tmp_path: Path, method: str) -> None:
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT

    folder = _parallel_corpus(tmp_path, ingest.MIN_PARALLEL + 4)
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN_SCRIPT, encoding="utf-8")
    (tmp_path / "slowmod.py").write_text(SLOW_MODULE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}", "PINGHU_WORKERS": "2"}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(folder), str(tmp_path / "cache"), method],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    workers: set[int] = set()

    def kill_tree() -> None:
        """Never hang the test run: the ingest and everything under it (a forkserver inherits the
        ingest's stdout, so killing the ingest alone leaves the pipe open and the read below blocked —
        as on 2026-12-03, when a forkserver outlived a killed ingest that had not started its workers)."""
        for pid in _descendants(proc.pid):
            with __import__("contextlib").suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        proc.kill()

    watchdog = threading.Timer(120, kill_tree)
    watchdog.start()
    try:
        for line in proc.stdout:
            if line.startswith("worker"):
                workers.add(int(line.split()[1]))
            if len(workers) == 2:
                break
        # usually both workers report; under a loaded test run the ingest may have ended its pool
        # with one (its output closed early): the property holds for whichever workers started
        assert workers, "no pool worker started"
        everything = _descendants(proc.pid) | workers  # workers, forkserver, resource tracker …
        with __import__("contextlib").suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        # read the killed ingest's output to its end *before* reaping it, as a parent blocked on
        # that read would: its workers must not take the unreaped ingest (a zombie) for alive, or
        # they and the forkserver (which holds the output) wait for a reaping that never comes
        killed = time.monotonic()
        proc.stdout.read()
        assert time.monotonic() - killed < 30, "the killed ingest's output stayed open (workers waited)"
        proc.wait(10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_running(p) for p in everything):
            time.sleep(0.1)
        assert not [p for p in everything if _running(p)], "processes outlived the killed ingest"
    finally:
        watchdog.cancel()
        proc.kill()
        for pid in _descendants(proc.pid) | workers:
            with __import__("contextlib").suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def cache_root_files(tmp_path: Path) -> set[str]:
    return {p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()}


@pytest.mark.parametrize("fail_at", ["write", "replace"])
def test_a_failed_cache_write_leaves_no_partial_files(
    env: Path, tmp_path: Path, monkeypatch, fail_at
) -> None:
    """Disk full while the third file of a generation is written: nothing of it stays, the previous
    generation is untouched, and the next load works."""
    import errno
    import warnings

    good = ingest.load_corpus()
    before = cache_root_files(tmp_path)
    (env / "new.txt").write_bytes(SEED.replace("平湖".encode(), "嘉兴".encode()))
    calls = {"n": 0}
    real = {"write": ingest.write_table_file, "replace": os.replace}[fail_at]

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            if fail_at == "write":  # the file made it out before the disk filled up
                real(*args, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    with monkeypatch.context() as patch, pytest.warns(ingest.CacheWarning, match="无法写入缓存"):
        patch.setattr(
            ingest if fail_at == "write" else os,
            "write_table_file" if fail_at == "write" else "replace",
            failing,
        )
        c = ingest.load_corpus()
    assert calls["n"] >= 3 and len(c.pages) == 6
    assert cache_root_files(tmp_path) == before  # no half generation, no temporary file
    assert rows(c)[ingest.CACHE_SOURCE][:2] == ("warning", ingest.CACHE)  # said in the report too
    with warnings.catch_warnings():
        warnings.simplefilter("error", ingest.CacheWarning)
        assert ingest.load_corpus().stats["from_cache"] == 5  # the old generation still serves
        again = ingest.load_corpus()
    assert again.stats["from_cache"] == 6 and again.stats["parsed"] == 0
    assert set(good.pages["source"]) | {"new.txt"} == set(again.pages["source"])


def test_a_first_cache_write_that_fails_leaves_nothing(env: Path, tmp_path: Path, monkeypatch) -> None:
    import errno

    calls = {"n": 0}
    real = os.replace

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.EROFS, "Read-only file system")
        return real(*args, **kwargs)

    with monkeypatch.context() as patch, pytest.warns(ingest.CacheWarning, match="无法写入缓存"):
        patch.setattr(os, "replace", failing)
        ingest.load_corpus()
    assert cache_root_files(tmp_path) == set()
    assert ingest.load_corpus().stats["parsed"] == 5 and ingest.load_corpus().stats["from_cache"] == 5


@pytest.mark.parametrize("victim", ["articles", "pages", "files"])
def test_a_flipped_bit_in_the_cache_is_detected_and_rebuilt(env: Path, tmp_path: Path, victim: str) -> None:
    fresh = ingest.load_corpus(use_cache=False)
    ingest.load_corpus()
    target = next(p for p in (tmp_path / "cache").rglob(f"{victim}-*.arrow"))
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x10  # one bit, in the middle of the data
    target.write_bytes(bytes(data))
    with pytest.warns(ingest.CacheWarning, match="校验失败"):
        rebuilt = ingest.load_corpus()
    assert rebuilt.stats["parsed"] == 5 and "校验失败" in rebuilt.stats["cache_problem"]
    assert "校验失败" in rows(rebuilt)[ingest.CACHE_SOURCE][2]
    assert rebuilt.articles["body"].tolist() == fresh.articles["body"].tolist()
    import pandas as pd

    pd.testing.assert_frame_equal(rebuilt.articles, fresh.articles)
    again = ingest.load_corpus()  # the rebuilt cache is good
    assert again.stats["from_cache"] == 5 and ingest.CACHE_SOURCE not in rows(again)
    assert again.articles["body"].tolist() == fresh.articles["body"].tolist()


FORK_COUNT_SCRIPT = r"""
import os, sys, threading
from pathlib import Path
from pinghu_core.corpus import ingest
seen = []
os.register_at_fork(before=lambda: seen.append(threading.active_count()))
ingest.load_files(sorted(Path(sys.argv[1]).glob("*.txt")), workers=2)
print("threads at fork", seen)
"""


def test_the_pool_forks_a_single_threaded_process(tmp_path: Path) -> None:
    """fork is chosen only for a single-threaded process; nothing (tqdm's monitor) may start a
    thread between that choice and the forks — a lock held by it at fork time can hang a worker."""
    import subprocess
    import sys

    from conftest import ROOT

    folder = _parallel_corpus(tmp_path, ingest.MIN_PARALLEL + 2)
    script = tmp_path / "count.py"
    script.write_text(FORK_COUNT_SCRIPT, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PINGHU_WORKERS": "2"},
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("threads at fork"))
    counts = eval(line.split(" ", 3)[3])  # noqa: S307 - our own printed list
    assert counts and set(counts) == {1}, line


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc (Linux)")
def test_a_zombie_is_not_alive_for_the_workers() -> None:
    import subprocess
    import sys
    import time

    assert ingest._alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while _running(child.pid) and time.monotonic() < deadline:  # exited, not reaped: a zombie
        time.sleep(0.05)
    assert Path(f"/proc/{child.pid}/stat").exists(), "the child was reaped too early"
    assert not ingest._alive(child.pid)
    child.wait()
    assert not ingest._alive(child.pid)

"""serve.py (the hosted server) imports the dashboard's modules when it starts, before any visit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT, SAMPLE_CORPUS

PROBE = """
import json, sys
import serve
assert "pinghu_app.words" not in sys.modules and "pyarrow" not in sys.modules  # not at import
seconds = serve.import_dashboard_modules()
import pyarrow as pa
print(json.dumps({
    "seconds": seconds,
    "modules": sorted(m for m in sys.modules if m == "dashboard" or m.startswith("pinghu_app.")),
    "pool": pa.default_memory_pool().backend_name,
    "lifespan": serve.app._user_lifespan is serve.warm_up,
}))
"""


def test_the_hosted_server_imports_the_dashboards_modules_before_any_visit():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    app_modules = {f"pinghu_app.{p.stem}" for p in (ROOT / "pinghu_app").glob("*.py") if p.stem != "__init__"}
    assert app_modules | {"dashboard"} <= set(figures["modules"])
    assert figures["pool"] == "system"  # the entry point's memory setting came before pyarrow
    assert figures["lifespan"]  # st.App runs it once the runtime has started
    assert figures["seconds"] > 0


READ_AHEAD = """
import json
from pinghu_app import corpus as app_corpus
first = app_corpus.read_ahead()
again = app_corpus.read_ahead()
key = app_corpus.corpus_key()
print(json.dumps({
    "pages": len(first.pages),
    "shared": again is first and app_corpus.load_corpus(key) is first,  # the build the page runs use
}))
"""


def test_reading_ahead_reads_the_corpus_once_for_the_page_runs(tmp_path):
    """What serve.warm_up reads at start is the very corpus the page runs then use (no second read)."""
    env = {**os.environ, "PINGHU_DATA_DIR": str(SAMPLE_CORPUS), "PINGHU_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", READ_AHEAD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures == {"pages": len(list(SAMPLE_CORPUS.glob("*.txt"))), "shared": True}

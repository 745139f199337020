"""serve.py (the hosted server) imports the dashboard's modules when it starts, before any visit."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

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

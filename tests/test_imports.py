"""pinghu_core never imports streamlit: checked in a fresh interpreter over every module."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

SCRIPT = """
import importlib, json, pkgutil, sys
import pinghu_core
names = sorted(m.name for m in pkgutil.walk_packages(pinghu_core.__path__, "pinghu_core.") if not m.name.endswith("__main__"))
failed = {}
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"modules": names, "failed": failed, "streamlit": sorted(m for m in sys.modules if m.split(".")[0] == "streamlit")}))
"""


def test_core_modules_import_without_streamlit():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert (
        "pinghu_core.overview.summary" in result["modules"]
        and "pinghu_core.overview.charts" in result["modules"]
    )
    assert result["failed"] == {}, result["failed"]
    assert result["streamlit"] == [], f"streamlit imported by pinghu_core: {result['streamlit'][:5]}"

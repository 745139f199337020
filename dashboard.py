"""平湖头版数据看板 — entry point: ``streamlit run dashboard.py``.

The app shell (:mod:`pinghu_app.shell`) does everything: settings, the sign-in gate, the page list
``NAV`` (one line per page; re-exported here for the tests), the corpus key, the sidebar, the page.
"""

from __future__ import annotations

from pinghu_core.common import memory

memory.prefer_system_allocator()  # before anything loads pyarrow (pinghu_core.common.memory)

from pinghu_app.shell import APP_TITLE, NAV, run, url_of  # noqa: E402, F401 (APP_TITLE, NAV, url_of: tests)

if __name__ == "__main__":  # streamlit runs this file as __main__; tests import it for NAV
    run()

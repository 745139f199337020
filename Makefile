# The developer interface: every command a developer or CI runs.  `make help` lists them.
# Run `make install` once (a .venv with the test tools); the README's two commands stay the
# fresh-machine way in.

PY := .venv/bin/python
BIN := .venv/bin

.PHONY: help install test test-fast lint serve bench golden

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install:  ## a .venv with the app, the test tools and the bench tools
	python3 -m venv .venv && $(BIN)/pip install -q -e '.[test,bench]'

test-fast:  ## unit, property and golden tests: no AppTest, browser or subprocess (about a minute)
	$(PY) -m pytest -n 2 -m "not slow and not browser"

test:  ## every test, as CI runs it (the README's test command, without the install)
	$(PY) -m pytest -n 2

lint:  ## ruff check and format, the import contracts and mypy on the core (pyproject.toml), the layer rules (tests/test_layers.py)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(PY) -m pytest -q -p no:xdist tests/test_layers.py tests/test_imports.py

serve:  ## the dashboard on the configured corpus (the sample corpus by default)
	$(BIN)/streamlit run dashboard.py

bench:  ## the speed and memory benches (figures printed; see bench/README.md)
	$(PY) bench/bench_ingest.py
	$(PY) bench/bench_load.py
	$(PY) bench/bench_search.py
	$(PY) bench/bench_themes.py
	$(PY) bench/bench_words.py
	$(PY) bench/big_page.py

golden:  ## rewrite tests/golden/ from the sample pages (then read the diff before committing)
	$(PY) tests/golden/update.py

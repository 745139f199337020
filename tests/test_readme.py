"""The README's two fresh-machine commands are real: CI runs the test command verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## On a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_fresh_machine_commands():
    start, test = readme_commands()
    assert "streamlit run dashboard.py" in start and "pip install -e ." in start
    assert "pytest" in test and "chromium" in test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci
    assert "    make lint" in ci  # and the lint step (Makefile; its recipe inline where make is missing)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ruff check ." in makefile and "ruff format --check ." in makefile and "lint-imports" in makefile
    assert "/mypy" in makefile and any(".venv/bin/mypy" in line for line in ci)  # the core's type check


def test_readme_names_every_cli_command():
    from pinghu_core.cli import main as cli

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    subcommands = next(a for a in cli.build_parser()._actions if a.choices and isinstance(a.choices, dict))
    assert set(subcommands.choices) >= {"articles", "pages", "ingest"}
    for name in subcommands.choices:
        assert f"pinghu {name}" in text

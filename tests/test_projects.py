"""Project names across pages: normalisation, automatic matching, data/projects.toml and its errors."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

from pinghu_core.common import schemas
from pinghu_core.parse import projects
from pinghu_core.parse.projects import (
    ProjectFileError,
    ProjectStore,
    load_projects,
    normalise,
    parse_projects,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("博物馆新馆", "博物馆新馆"),
        ("平湖市博物馆新馆", "博物馆新馆"),
        ("博物馆新馆建设工程", "博物馆新馆"),
        ("平湖市博物馆新馆项目", "博物馆新馆"),
        ("市中医院迁建项目", "中医院"),
        ("金色阳光老年公寓建设工程", "金色阳光老年公寓"),
        ("省“4+1”重大项目", "省4+1重大"),
        ("项目", ""),
    ],
)
def test_normalise(name: str, expected: str) -> None:
    assert normalise(name) == expected


@pytest.fixture(scope="module")
def starter() -> projects.ProjectFile:
    return load_projects(projects.DEFAULT_PROJECTS_PATH)


@pytest.mark.parametrize(
    ("subject", "project_id"),
    [
        ("博物馆新馆", "museum-new"),
        ("平湖市博物馆新馆", "museum-new"),
        ("博物馆新馆建设工程", "museum-new"),
        ("平湖市博物馆新馆项目", "museum-new"),
        ("金色阳光老年公寓项目", "golden-sun-elderly"),
        ("市中医院迁建项目", "tcm-hospital"),
        ("平湖智创园一期", "zhichuang-park"),
        ("万纬平湖冷链产业园", "vanwei-cold-chain"),
        ("民生共享工程118个项目", "minsheng-shared"),
        ("省“4+1”重大项目", "prov-4plus1"),
        ("省重点建设项目", "prov-key"),
        ("省“六个千亿”产业投资工程项目", "prov-six-100bn"),
        ("钟溪酒文化乡村博物馆", "auto:钟溪酒文化乡村博物馆"),  # an exclusion of museum-new
        ("独山港热电联产项目", "auto:独山港热电联产"),
        ("项目", ""),
    ],
)
def test_resolve(starter: projects.ProjectFile, subject: str, project_id: str) -> None:
    assert starter.resolve(subject) == project_id


def test_longest_key_wins() -> None:
    pf = parse_projects(
        'version = "1"\n[[project]]\nid = "a"\nname = "智创园"\n[[project]]\nid = "b"\nname = "平湖智创园二期"\n'
    )
    assert pf.resolve("平湖智创园二期项目") == "b" and pf.resolve("平湖智创园") == "a"
    assert pf.label("b") == "平湖智创园二期" and pf.label("auto:某某") == "某某"


def test_assign_ids() -> None:
    frame = schemas.PROGRESS.empty()
    frame = schemas.conform(
        pd.DataFrame({**{c: frame[c] for c in frame}, "subject": pd.Series([], dtype="string")}),
        schemas.PROGRESS,
    )
    assert projects.assign_ids(frame, projects.EMPTY).empty
    rows = schemas.conform(
        pd.DataFrame(
            {c: [""] for c in schemas.PROGRESS.names}
            | {
                "subject": ["博物馆新馆建设工程"],
                "value": [1.0],
                "value_start": [0],
                "value_end": [0],
                "date": [pd.NaT],
                "when_date": [pd.NaT],
            }
        ),
        schemas.PROGRESS,
    )
    assert projects.assign_ids(rows, projects.EMPTY)["project_id"].tolist() == ["auto:博物馆新馆"]


BAD = [
    ('version = "1"\n[[project]]\nid = "a"\nname = "甲"\n[[project\n', 5, "格式错误"),
    ('[[project]]\nid = "a"\nname = "甲"\n', 1, "版本号"),
    ('version = "1"\n[[project]]\nid = "a"\n', 2, "缺少 name"),
    ('version = "1"\n[[project]]\nid = "A b"\nname = "甲"\n', 3, "只能用小写"),
    ('version = "1"\n[[project]]\nid = "a"\nname = "甲"\n[[project]]\nid = "a"\nname = "乙"\n', 6, "重复"),
    ('version = "1"\n[[project]]\nid = "a"\nname = "甲"\nalias = ["乙"]\n', 5, "未知的字段"),
    ('version = "1"\n[[project]]\nid = "a"\nname = "甲"\naliases = "乙"\n', 5, "字符串列表"),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD, ids=[w for _, _, w in BAD])
def test_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ProjectFileError) as info:
        parse_projects(text)
    assert info.value.line == line and words in info.value.message_zh


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="找不到"):
        load_projects(tmp_path / "none.toml")


def test_store_keeps_last_good(tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text('version = "1"\n[[project]]\nid = "a"\nname = "甲工程"\n', encoding="utf-8")
    store = ProjectStore()
    good, error = store.get(path)
    assert error is None and good.by_id["a"].name == "甲工程"
    path.write_text('version = "1"\n[[project]\n', encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    kept, error = store.get(path)
    assert kept is good and error is not None and error.line == 2
    with pytest.raises(ProjectFileError):
        ProjectStore().get(path)


def test_starter_file_is_valid(starter: projects.ProjectFile) -> None:
    names = {p.name for p in starter.projects}
    assert {
        "平湖市博物馆新馆",
        "金色阳光老年公寓",
        "市中医院迁建项目",
        "平湖智创园",
        "万纬平湖冷链产业园",
        "民生共享工程",
    } <= names

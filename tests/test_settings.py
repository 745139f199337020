"""pinghu_core.common.settings: defaults, config file, secrets [pinghu], environment; errors; docs/DEPLOY.md."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from conftest import ROOT

from pinghu_core.common import settings
from pinghu_core.common.settings import SPECS, Settings, SettingsError, resolve


@pytest.fixture
def cwd(tmp_path, monkeypatch) -> Path:
    """An empty working folder (no .streamlit/secrets.toml) and no default pinghu.toml."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(settings, "DEFAULT_CONFIG", tmp_path / "absent.toml")
    monkeypatch.setattr(settings, "secrets_paths", lambda cwd=None: [work / ".streamlit" / "secrets.toml"])
    return work


def test_defaults_work_locally(cwd):
    r = resolve({}, cwd)
    s = r.settings
    assert s.corpus_dir == ROOT / "data" / "corpus" and s.corpus_dir.is_dir()
    assert s.themes_file.is_file() and s.projects_file.is_file() and s.userdict_path.is_file()
    assert s.allowed == () and s.editors == () and s.max_file_bytes == 5_000_000
    assert set(r.sources.values()) == {settings.DEFAULT_SOURCE} and r.config_file is None


def test_config_file_then_secrets_then_environment(cwd, tmp_path):
    config = tmp_path / "conf" / "pinghu.toml"
    config.parent.mkdir()
    config.write_text(
        'corpus_dir = "corpus"\nmax_file_bytes = 1_000\nallowed = ["pinghu.gov.cn"]\nrefresh_seconds = 10\n',
        encoding="utf-8",
    )
    secrets = cwd / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[auth]\nclient_id = "x"\n[pinghu]\nmax_file_bytes = 2000\neditors = ["a@b.cn"]\n')
    env = {"PINGHU_CONFIG": str(config), "PINGHU_REFRESH_SECONDS": "5", "PINGHU_ALLOWED": " x.cn , @y.cn ,"}
    r = resolve(env, cwd)
    s = r.settings
    assert s.corpus_dir == config.parent / "corpus"  # relative to the config file's folder
    assert s.max_file_bytes == 2000 and s.editors == ("a@b.cn",)  # secrets over the config file
    assert s.refresh_seconds == 5 and s.allowed == ("x.cn", "@y.cn")  # environment over both
    assert r.sources["corpus_dir"] == f"配置文件 {config}"
    assert r.sources["refresh_seconds"] == "环境变量 PINGHU_REFRESH_SECONDS"
    assert "secrets.toml [pinghu]" in r.sources["editors"]


def test_config_may_use_a_pinghu_table(cwd, tmp_path):
    config = tmp_path / "p.toml"
    config.write_text('[pinghu]\ncache_dir = "/srv/cache"\n', encoding="utf-8")
    assert resolve({"PINGHU_CONFIG": str(config)}, cwd).settings.cache_dir == Path("/srv/cache")


def test_empty_list_variable_clears_the_list(cwd, tmp_path):
    config = tmp_path / "p.toml"
    config.write_text('editors = ["a@b.cn"]\n', encoding="utf-8")
    assert resolve({"PINGHU_CONFIG": str(config), "PINGHU_EDITORS": ""}, cwd).settings.editors == ()


BAD = [
    ('max_file_bytes = "lots"\n', "max_file_bytes 应为正整数"),
    ("max_file_bytes = 0\n", "不能小于 1"),
    ("refresh_seconds = 1.5\n", "refresh_seconds 应为非负整数"),
    ('allowed = "x.cn"\nallowed = 1\n', "第2行格式错误"),
    ('data_dri = "x"\n', "未知的配置项“data_dri”"),
    ("allowed = [1, 2]\n", "allowed 应为字符串列表"),
    ("corpus_dir = ''\n", "corpus_dir 应为路径"),
    ("settle_seconds = true\n", "settle_seconds 应为非负数字"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[b[1] for b in BAD])
def test_bad_config_file_is_explained_in_chinese(cwd, tmp_path, text, message):
    config = tmp_path / "p.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        resolve({"PINGHU_CONFIG": str(config)}, cwd)
    assert message in str(err.value) and str(config) in str(err.value)


def test_bad_environment_and_missing_config_are_explained(cwd, tmp_path):
    with pytest.raises(SettingsError, match="环境变量 PINGHU_WORKERS.*正整数"):
        resolve({"PINGHU_WORKERS": "two"}, cwd)
    with pytest.raises(SettingsError, match="找不到配置文件.*PINGHU_CONFIG"):
        resolve({"PINGHU_CONFIG": str(tmp_path / "nope.toml")}, cwd)
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('corpus_dir = "语料"\n'.encode("gbk"))
    with pytest.raises(SettingsError, match="不是 UTF-8 编码"):
        resolve({"PINGHU_CONFIG": str(gbk)}, cwd)


def test_get_settings_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PINGHU_LEXICON_DIR", str(tmp_path))
    assert settings.get_settings().stopwords_path == tmp_path / "stopwords.txt"
    monkeypatch.setenv("PINGHU_LEXICON_DIR", str(tmp_path / "b"))
    assert settings.get_settings().lexicon_dir == tmp_path / "b"


def test_every_setting_is_documented_in_deploy_md():
    text = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    for f in fields(Settings):
        spec = SPECS[f.name]
        assert any(f"`{spec.env}`" in r for r in rows), f"{spec.env} ({f.name}) is not in the DEPLOY.md table"
    assert "PINGHU_CONFIG" in text and "[pinghu]" in text


def test_the_corpus_title_is_a_setting(monkeypatch):
    """Issue 12.11: the paper's name is not hard-coded (another paper's corpus gets its own)."""
    monkeypatch.delenv("PINGHU_CORPUS_TITLE", raising=False)
    assert settings.get_settings().corpus_title == "嘉兴日报·平湖版"
    monkeypatch.setenv("PINGHU_CORPUS_TITLE", "  人民日报  ")
    assert settings.get_settings().corpus_title == "人民日报"
    monkeypatch.setenv("PINGHU_CORPUS_TITLE", "   ")  # blank: as if unset (as every variable)
    assert settings.get_settings().corpus_title == "嘉兴日报·平湖版"
    monkeypatch.setenv("PINGHU_CORPUS_TITLE", "长" * 41)
    with pytest.raises(SettingsError, match="corpus_title 应为不超过 40 个字的文字"):
        settings.get_settings()

"""docs/DEPLOY.md is runnable: the nginx site (nginx -t, then a live proxy with websocket), the systemd
unit (systemd-analyze verify), the backup script and the example files in the guide."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import ssl
import subprocess
import sys
import tarfile
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_CORPUS
from test_browser import free_port, start_streamlit, stop, wait_healthy

from pinghu_core.common import settings

DEPLOY = ROOT / "deploy"
GUIDE = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
SITE = DEPLOY / "nginx-pinghu.conf"
UNIT = DEPLOY / "pinghu-dashboard.service"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(
            f"{tool} is not installed here (apt-get install -y {tool}); the file is checked where it is"
        )
    return path


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.+?)\n```", GUIDE, re.S)


def self_signed(folder: Path) -> tuple[Path, Path]:
    need("openssl")
    crt, key = folder / "dashboard.crt", folder / "dashboard.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(crt),
        ],
        check=True,
        capture_output=True,
    )
    return crt, key


def nginx_conf(tmp: Path, site: str) -> Path:
    """A whole nginx.conf that includes ``site`` and keeps every file nginx writes in ``tmp``."""
    (tmp / "site.conf").write_text(site, encoding="utf-8")
    conf = tmp / "nginx.conf"
    temps = "\n".join(
        f"    {name}_temp_path {tmp / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf.write_text(
        f"pid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\nevents {{}}\n"
        f"http {{\n    access_log {tmp / 'access.log'};\n{temps}\n    include {tmp / 'site.conf'};\n}}\n",
        encoding="utf-8",
    )
    return conf


def local_site(
    tmp: Path, http_port: int = 80, https_port: int = 443, app_port: int = 8501, site: Path = SITE
) -> str:
    crt, key = self_signed(tmp)
    text = site.read_text(encoding="utf-8")
    text = text.replace("/etc/pinghu/tls/dashboard.crt", str(crt)).replace(
        "/etc/pinghu/tls/dashboard.key", str(key)
    )
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    return text.replace("server 127.0.0.1:8501;", f"server 127.0.0.1:{app_port};")


@pytest.mark.parametrize("site", [SITE, DEPLOY / "nginx-pinghu-multi.conf"], ids=["one", "several"])
def test_nginx_site_passes_nginx_t(tmp_path, site):
    nginx = need("nginx")
    conf = nginx_conf(tmp_path, local_site(tmp_path, site=site))
    out = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 0 and "test is successful" in out.stderr, out.stderr


def test_both_nginx_sites_compress_the_same_static_files():
    def gzip_lines(path: Path) -> list[str]:
        return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if "gzip" in line]

    one = gzip_lines(SITE)
    assert "gzip on;" in one and any("application/javascript" in line for line in one)
    assert not any(
        "text/csv" in line or "text/html" in line for line in one
    )  # only the app's scripts and styles
    assert gzip_lines(DEPLOY / "nginx-pinghu-multi.conf") == one


def test_nginx_site_has_websocket_proxying_and_health():
    site = SITE.read_text(encoding="utf-8")
    for needed in (
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_read_timeout 1d;",
        "location = /_stcore/health",
        "server 127.0.0.1:8501;",
    ):
        assert needed in site, needed


def test_nginx_proxies_the_app_health_and_websocket(tmp_path):
    """The site in front of a running dashboard: health through HTTPS, HTTP redirected, websocket upgraded."""
    nginx = need("nginx")
    from websockets.sync.client import connect

    app_port, http_port, https_port = free_port(), free_port(), free_port()
    env = {**os.environ, "PINGHU_DATA_DIR": str(SAMPLE_CORPUS), "PINGHU_CACHE_DIR": str(tmp_path / "cache")}
    log = tmp_path / "streamlit.log"
    conf = nginx_conf(tmp_path, local_site(tmp_path, http_port, https_port, app_port))
    app = start_streamlit(app_port, env, log, cwd=tmp_path)
    proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"])
    try:
        wait_healthy(f"http://127.0.0.1:{app_port}", app, log)
        unverified = ssl.create_default_context()
        unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(
                    f"https://127.0.0.1:{https_port}/_stcore/health", context=unverified, timeout=5
                ) as r:
                    assert r.read().decode().strip() == "ok"
                    break
            except OSError:
                if time.monotonic() > deadline or proxy.poll() is not None:
                    raise
                time.sleep(0.3)
        # Streamlit's scripts compressed by nginx (Streamlit sends them as they are): the same bytes.
        with urllib.request.urlopen(f"https://127.0.0.1:{https_port}/", context=unverified, timeout=10) as r:
            script = re.search(r'static/js/[^"]+\.js', r.read().decode("utf-8")).group(0)
        direct = urllib.request.urlopen(f"http://127.0.0.1:{app_port}/{script}", timeout=10)
        assert direct.headers.get("Content-Encoding") is None
        plain = direct.read()
        asked = urllib.request.Request(
            f"https://127.0.0.1:{https_port}/{script}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(asked, context=unverified, timeout=10) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            packed = r.read()
        assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 2
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"http://127.0.0.1:{http_port}/themes", timeout=5)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == "https://127.0.0.1/themes"
        with connect(f"wss://127.0.0.1:{https_port}/_stcore/stream", ssl=unverified, open_timeout=20) as ws:
            assert ws.response.status_code == 101
    finally:
        for proc in (proxy, app):
            stop(proc)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_systemd_unit_verifies(tmp_path):
    analyze = need("systemd-analyze")
    text = UNIT.read_text(encoding="utf-8").replace("/opt/pinghu/app/.venv/bin/python", sys.executable)
    unit = tmp_path / "pinghu-dashboard.service"
    unit.write_text(text, encoding="utf-8")
    out = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    problems = [line for line in (out.stdout + out.stderr).splitlines() if "pinghu-dashboard.service" in line]
    assert out.returncode == 0 and not problems, out.stdout + out.stderr


def test_systemd_unit_runs_what_the_guide_says():
    unit = UNIT.read_text(encoding="utf-8")
    assert (
        "WorkingDirectory=/etc/pinghu" in unit and "Environment=PINGHU_CONFIG=/etc/pinghu/pinghu.toml" in unit
    )
    assert (
        "--server.address=127.0.0.1 --server.port=8501" in unit
        and "streamlit run /opt/pinghu/app/serve.py" in unit
    )
    assert "CacheDirectory=pinghu" in unit and "ReadWritePaths=/srv/pinghu/corpus" in unit


def test_backup_script_keeps_corpus_and_config_but_not_files_being_written(tmp_path):
    corpus, config, dest = tmp_path / "corpus", tmp_path / "etc", tmp_path / "backups"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    (corpus / "half.txt.part").write_text("half", encoding="utf-8")
    (corpus / ".upload-1.txt.tmp").write_text("half", encoding="utf-8")
    (config / ".streamlit").mkdir(parents=True)
    (config / "pinghu.toml").write_text('corpus_dir = "/srv/pinghu/corpus"\n', encoding="utf-8")
    (config / ".streamlit" / "secrets.toml").write_text("[pinghu]\n", encoding="utf-8")
    out = subprocess.run(
        ["bash", str(DEPLOY / "backup.sh"), str(corpus), str(config), str(dest)],
        capture_output=True,
        text=True,
        check=True,
    )
    archive = Path(out.stdout.strip())
    assert archive.parent == dest and archive.name.endswith(".tar.gz") and not list(dest.glob("*.part"))
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    pages = {f"corpus/{p.name}" for p in SAMPLE_CORPUS.glob("*.txt")}
    assert pages <= names and "config/pinghu.toml" in names and "config/.streamlit/secrets.toml" in names
    assert not any(n.endswith((".part", ".tmp")) for n in names)


def test_backup_script_fails_loudly_on_a_missing_folder(tmp_path):
    out = subprocess.run(
        ["bash", str(DEPLOY / "backup.sh"), str(tmp_path / "nope"), str(tmp_path), str(tmp_path / "b")],
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert not list((tmp_path / "b").glob("*.tar.gz"))


def test_example_files_in_the_guide_are_valid(tmp_path, monkeypatch):
    config_text, secrets_text = blocks("toml")
    config = tmp_path / "pinghu.toml"
    config.write_text(config_text, encoding="utf-8")
    work = tmp_path / "work"
    (work / ".streamlit").mkdir(parents=True)
    (work / ".streamlit" / "secrets.toml").write_text(secrets_text, encoding="utf-8")
    monkeypatch.setattr(settings, "secrets_paths", lambda cwd=None: [work / ".streamlit" / "secrets.toml"])
    r = settings.resolve({"PINGHU_CONFIG": str(config)}, work)
    assert r.settings.corpus_dir == Path("/srv/pinghu/corpus") and r.settings.cache_dir == Path(
        "/var/cache/pinghu"
    )
    assert r.settings.editors == ("editor@pinghu.gov.cn",) and "pinghu.gov.cn" in r.settings.allowed
    auth = tomllib.loads(secrets_text)["auth"]
    assert set(auth) == {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
    assert auth["redirect_uri"].endswith("/oauth2callback")


def test_guide_names_only_files_that_exist():
    for rel in set(re.findall(r"deploy/[\w.@-]+", GUIDE)):
        assert (ROOT / rel).is_file(), rel
    for sh in blocks("sh"):
        for rel in re.findall(r"/opt/pinghu/app/([\w./@-]+)", sh):
            if not rel.startswith(".venv"):
                assert (ROOT / rel).exists(), rel
    assert subprocess.run(["bash", "-n", str(DEPLOY / "backup.sh")]).returncode == 0

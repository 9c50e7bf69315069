"""The production image's own steps: `collectstatic` with the manifest storage, then the
production stack (gunicorn, production settings, the collected static files) serving the
login page. Each process gets its environment spelled out, never the test run's."""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "p7$Lq2vX!m9Tr4Wz8Nc1Ky6Hb3Jd5Fg0Ks-Ua_Ee+Oi=Pl@Rq#St%Vw^Xy&Zz*B"
HOST = "127.0.0.1"


def production_env(var_dir):
    """What the Dockerfile and a deployment give: production mode, a key, a host, and a
    scratch var/ (SQLite, no Redis) and STATIC_ROOT of the test's own."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "copkit.settings",
        "COPKIT_PRODUCTION": "true",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "COPKIT_VAR_DIR": str(var_dir),
        "COPKIT_STATIC_ROOT": str(var_dir / "staticfiles"),
    }


def manage(env, *args):
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("production")
    env = production_env(var_dir)
    result = manage(env, "collectstatic", "--noinput")
    return env, var_dir, result


def test_collectstatic_in_production_mode_builds_the_manifest(collected):
    _env, var_dir, result = collected
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((var_dir / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/bootstrap/bootstrap.bundle.min.js"]
    assert re.fullmatch(r"vendor/bootstrap/bootstrap\.bundle\.min\.[0-9a-f]{12}\.js", hashed)
    assert (var_dir / "staticfiles" / hashed).is_file()
    assert "css/copkit.css" in manifest["paths"]


def test_every_vendored_source_map_reference_is_shipped():
    """The manifest storage follows `sourceMappingURL` comments: a map named but missing
    stops collectstatic, and with it the image build."""
    vendor = ROOT / "static" / "vendor"
    pattern = re.compile(r"sourceMappingURL=([^\s*]+)")
    checked = 0
    for path in vendor.rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            checked += 1
            assert (path.parent / name).is_file(), f"{path.relative_to(ROOT)} names {name}"
    assert checked >= 1  # the CSS map is shipped and named


def _free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _get(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    # The proxy in front of a deployment terminates TLS and says so (SECURE_PROXY_SSL_HEADER).
    connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def _wait_for(process, port, log, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"gunicorn stopped at start:\n{log.read()[-3000:]}")
        try:
            if _get(port, "/healthz/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    log.seek(0)
    pytest.fail(f"gunicorn did not answer within {seconds} s:\n{log.read()[-3000:]}")


@pytest.mark.stack
def test_the_production_stack_serves_the_login_page_and_its_hashed_css(collected):
    env, _var_dir, result = collected
    assert result.returncode == 0, result.stdout + result.stderr
    # No migrate: the login page and the static files need no table, and a page that began
    # to need one without a session would show here as "no such table".
    port = _free_port()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "copkit.wsgi:application",
        f"--bind={HOST}:{port}",
        "--workers=1",
        "--timeout=30",
        "--graceful-timeout=5",
    ]
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(  # noqa: S603 - our own server, no shell
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_for(process, port, log)
            status, _headers, body = _get(port, "/accounts/login/")
            assert status == 200, body[:2000]
            page = body.decode()
            assert 'name="password"' in page
            stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page)
            stylesheets += re.findall(r'<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"', page)
            ours = [href for href in stylesheets if "copkit" in href]
            assert ours, stylesheets
            for href in stylesheets:
                # The manifest's hashed name, not the source name: a cache can keep it forever.
                assert re.search(r"\.[0-9a-f]{12}\.css$", href), href
                css_status, css_headers, css = _get(port, href)
                assert css_status == 200, href
                assert css_headers["Content-Type"].startswith("text/css")
                assert "max-age=315360000" in css_headers.get("Cache-Control", "")
                assert css
            # A name that is not in the manifest is not served.
            assert _get(port, "/static/css/copkit.0123456789ab.css")[0] == 404
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

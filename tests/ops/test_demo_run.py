"""The demo (`make run`) shows the production error pages: its server runs with
debugging off, answers a stale link with the site's Chinese 404 page (never Django's
technical page listing the URL patterns), and serves static files through WhiteNoise
over plain HTTP. The 500 page is the site's too."""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path

from config.urls import urlpatterns as site_urls

from .servers import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


def make_run_exports() -> dict[str, str]:
    """The variables the Makefile's run and serve targets export, as they would be
    with HOST=127.0.0.1."""
    found = dict(
        re.findall(
            r"^run serve: export (\w+) \?= (.+)$",
            (ROOT / "Makefile").read_text(),
            re.MULTILINE,
        )
    )
    return {k: v.replace("$(HOST)", "127.0.0.1") for k, v in found.items()}


def test_make_run_serves_the_demo_configuration():
    exports = make_run_exports()
    assert exports.get("DJANGO_DEMO") == "true"
    assert {"127.0.0.1", "localhost"} <= set(exports["DJANGO_ALLOWED_HOSTS"].split(","))


def _get(url: str):
    """The status, the headers (an ``email.message.Message``) and the text."""
    request = urllib.request.Request(url, headers={"Accept": "text/html"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """``runserver`` in the demo configuration on a scratch SQLite database, with no
    other Django variable from this environment."""
    var = tmp_path_factory.mktemp("demo-var")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(make_run_exports(), DJANGO_VAR_DIR=str(var))
    manage = [sys.executable, "manage.py"]
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*manage, "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def answers():
        try:
            return _get(f"{base}/healthz")[0] in (200, 503)
        except OSError:
            return False

    try:
        wait_until(answers, timeout=60, what="the demo server")
        yield base, var
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_stale_link_shows_the_chinese_404_page(demo_server):
    base, _var = demo_server
    status, headers, body = _get(f"{base}/suggestions/999999/no-such-page/")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert "未找到" in body
    assert "返回首页" in body
    assert 'class="navbar-brand"' in body  # the site's layout
    assert "URLconf" not in body
    assert "api/v1/" not in body  # no list of URL patterns


def test_static_files_are_served_by_whitenoise(demo_server):
    base, _var = demo_server
    status, headers, body = _get(f"{base}/static/css/app.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "public" in headers["Cache-Control"]  # WhiteNoise's, not runserver's
    assert body == (ROOT / "static" / "css" / "app.css").read_text()


def test_the_demo_serves_plain_http_with_a_key_of_its_own(demo_server):
    """No redirect to HTTPS, and the secret key is the one made into var/, not the
    development key that the repository publishes."""
    base, var = demo_server
    status, headers, _body = _get(f"{base}/accounts/login/")
    assert status == 200
    assert "Strict-Transport-Security" not in headers
    cookies = headers.get_all("Set-Cookie")
    assert any(c.startswith("csrftoken=") for c in cookies)
    assert not any("; secure" in c.lower() for c in cookies)
    key = (var / "secret_key").read_text().strip()
    assert len(key) >= 50
    assert "insecure" not in key
    assert (var / "secret_key").stat().st_mode & 0o077 == 0


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), *site_urls]
handler404 = "config.errors.page_not_found"
handler500 = "congress.health.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_the_chinese_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器错误" in body
    assert "请稍后再试" in body
    assert "返回首页" in body
    assert 'class="navbar-brand"' in body
    assert "Server Error (500)" not in body

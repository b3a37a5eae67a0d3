"""Production settings: ``check --deploy`` passes with the documented variables and
the app refuses to start without a secret key; every response carries the headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k7Qm2-test-only-" + "x9" * 30,
    "DJANGO_ALLOWED_HOSTS": "suggestions.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://suggestions.example.org",
}


def _manage(env_vars: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(env_vars)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_variables(tmp_path):
    result = _manage(
        {**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path)},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path)}
    del env["DJANGO_SECRET_KEY"]
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_development_runs_without_any_variable(tmp_path):
    result = _manage({"DJANGO_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_behind_a_tls_proxy_the_redirect_can_be_switched_off(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS)"
    )
    result = _manage(
        {
            **PRODUCTION,
            "DJANGO_VAR_DIR": str(tmp_path),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        },
        "shell",
        "-c",
        code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "True",
        "31536000",
    ]


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _directives(policy: str) -> set[str]:
    return {part.strip() for part in policy.split(";")}


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/public/", "/api/v1/me/", "/no-such-page/"]
)
def test_every_response_carries_the_security_headers(client, db, url):
    response = client.get(url)
    assert _directives(response["Content-Security-Policy"]) == _directives(CSP)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only(client, db):
    response = client.get("/accounts/login/")
    assert response.cookies["csrftoken"]["httponly"]
    response = client.post(
        "/accounts/login/", {"username": "nobody", "password": "wrong"}
    )
    assert response.status_code == 200


def test_api_docs_get_a_narrow_relaxation(client, db):
    """Swagger UI and Redoc inject styles at run time: only their pages allow inline
    styles (and Redoc's blob worker); scripts stay 'self'."""
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in _directives(policy)
        assert "style-src 'self' 'unsafe-inline'" in _directives(policy)
    assert "unsafe-inline" not in client.get("/public/")["Content-Security-Policy"]


def test_a_csrf_failure_gets_the_sites_page(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert 'data-testid="csrf-failure"' in response.content.decode()
    assert "<style" not in response.content.decode()

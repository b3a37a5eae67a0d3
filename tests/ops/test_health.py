"""``GET /healthz`` and the structured logs (congress/health.py, config/settings.py)."""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.models.query import QuerySet
from django.utils import timezone

from congress import health
from congress.models import WorkerHeartbeat

from .servers import free_port


@pytest.fixture
def fresh_heartbeat(db):
    return WorkerHeartbeat.objects.create(
        name="worker", beat_at=timezone.now() - timedelta(seconds=30)
    )


def get(client, **headers):
    return client.get("/healthz", **headers)


def test_all_up_answers_200_with_each_part(client, fresh_heartbeat):
    response = get(client)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["last_heartbeat"] == fresh_heartbeat.beat_at.isoformat()
    assert 29 <= body["worker"]["age_seconds"] < 60
    assert "no-store" in response["Cache-Control"]


def test_one_query_no_session_no_host_check_no_redirect(
    client, fresh_heartbeat, settings, django_assert_num_queries
):
    """Answered before the other middleware: a load balancer probing by IP over
    plain HTTP gets the answer, no cookie is set and only the heartbeat is read."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["suggestions.example.gov.cn"]
    with django_assert_num_queries(1):
        response = get(client, HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_database_down_answers_503(client, fresh_heartbeat):
    with mock.patch.object(
        QuerySet, "first", side_effect=OperationalError("connection refused")
    ):
        response = get(client)

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("error", "error")
    assert body["worker"]["status"] == "unknown"
    assert "refused" not in response.content.decode()  # details only in the log


def test_redis_broker_unreachable_answers_503_within_the_timeout(
    client, fresh_heartbeat, settings
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.HEALTH_BROKER_TIMEOUT = 1.0
    started = time.monotonic()
    response = get(client)

    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a Redis that answers)"
)
def test_redis_broker_that_answers_is_ok(client, fresh_heartbeat, settings):
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    assert get(client).json()["broker"] == "ok"


def test_file_broker_with_its_queue_folder_gone_answers_503(
    client, fresh_heartbeat, settings, tmp_path
):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    assert get(client).json()["broker"] == "ok"

    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing")
    }
    response = get(client)
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_a_stale_heartbeat_answers_503(client, fresh_heartbeat, settings):
    settings.HEALTH_HEARTBEAT_MAX_AGE = 20
    response = get(client)

    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "stale"
    assert response.json()["database"] == "ok"


def test_no_heartbeat_yet_answers_503(client, db):
    response = get(client)

    assert response.status_code == 503
    assert response.json()["worker"] == {
        "status": "missing",
        "last_heartbeat": None,
        "age_seconds": None,
    }


def test_the_heartbeat_task_makes_it_healthy(client, db):
    from congress.tasks import record_worker_heartbeat

    assert get(client).status_code == 503
    record_worker_heartbeat.apply()
    assert get(client).status_code == 200


def test_post_is_not_answered_by_the_health_check(client, db):
    assert client.post("/healthz").status_code == 405


# --- logs -----------------------------------------------------------------------------


def test_every_response_carries_a_request_id_and_reuses_the_proxys(client, db):
    first = client.get("/public/")
    assert len(first["X-Request-ID"]) == 32
    assert client.get("/public/")["X-Request-ID"] != first["X-Request-ID"]
    assert (
        client.get("/public/", HTTP_X_REQUEST_ID="lb-1234")["X-Request-ID"] == "lb-1234"
    )


def run_logging(env: dict) -> str:
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('ops.test').warning('hello %s', 'world')"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    environment.pop("DJANGO_LOG_FORMAT", None)
    environment.update(env)
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_production_logs_are_json_lines_on_stdout():
    out = run_logging({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 50})
    [line] = [x for x in out.splitlines() if "ops.test" in x]
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["logger"] == "ops.test"
    assert record["message"] == "hello world"
    assert record["request_id"] == "-"
    assert "time" in record


def test_development_logs_are_text_and_json_can_be_forced():
    text = run_logging({"DJANGO_DEBUG": "true", "DJANGO_LOG_FORMAT": "text"})
    assert "WARNING [-] ops.test: hello world" in text

    forced = run_logging({"DJANGO_DEBUG": "true", "DJANGO_LOG_FORMAT": "json"})
    [line] = [x for x in forced.splitlines() if "ops.test" in x]
    assert json.loads(line)["message"] == "hello world"


def test_health_module_constant_matches_the_route():
    from django.urls import reverse

    assert reverse("healthz") == health.PATH


# --- the database unreachable during a request ---------------------------------------


@pytest.fixture
def no_raise(client):
    client.raise_request_exception = False
    return client


def test_a_page_whose_database_is_unreachable_answers_503_with_retry_after(no_raise):
    from suggestions import selectors

    with mock.patch.object(
        selectors, "public_bodies", side_effect=OperationalError("server closed")
    ):
        response = no_raise.get("/public/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "server closed" not in response.content.decode()


def test_an_api_call_whose_database_is_unreachable_answers_503_json(no_raise, staff):
    from suggestions.api.views import SuggestionListApi

    no_raise.force_login(staff)
    with mock.patch.object(
        SuggestionListApi, "get_listing", side_effect=OperationalError("gone")
    ):
        response = no_raise.get("/api/v1/suggestions/")

    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert response["Retry-After"] == "5"


def test_other_errors_stay_500(no_raise):
    from suggestions.views.common import PublicListView

    with mock.patch.object(
        PublicListView, "filtered", side_effect=RuntimeError("a bug")
    ):
        response = no_raise.get("/public/")

    assert response.status_code == 500
    assert "Retry-After" not in response

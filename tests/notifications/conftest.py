"""Fixtures of the notification tests: Celery run in-process (eager), and an SMS log of
each test's own, away from ``var/``."""

import pytest

from config.celery import app as celery_app

from .helpers import parse_sms_log


@pytest.fixture(autouse=True)
def _sms_log_file(settings, tmp_path):
    settings.SMS_BACKEND = "notifications.sms.LogSmsBackend"
    settings.SMS_LOG_FILE = str(tmp_path / "sms.log")
    return tmp_path / "sms.log"


@pytest.fixture
def sms_log(_sms_log_file):
    """``sms_log()``: the SMS messages written so far, as (phone, text) pairs."""

    def read():
        if not _sms_log_file.exists():
            return []
        return parse_sms_log(_sms_log_file.read_text(encoding="utf-8"))

    return read


@pytest.fixture
def eager():
    """Celery tasks run in this process as they are sent (``task_always_eager``)."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield celery_app
    conf.task_always_eager, conf.task_eager_propagates = saved

"""Letters in object storage: ``MEDIA_STORAGE_URL`` (config/storage.py) chooses the
S3 backend and its options; the letters are read back through the storage, so the
downloads and their permission checks work with any storage, not only a folder."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from config.storage import READ_MEMORY_LIMIT, S3_BACKEND, media_storage
from suggestions import services
from suggestions.models import Status
from tests.api.contract import ContractClient
from tests.suggestions.test_letters import PDF

ROOT = Path(__file__).resolve().parents[2]
URL = (
    "s3://suggestion-letters/changji/prod/"
    "?endpoint_url=https://oss.example.gov.cn&region=cn-north-1"
)


# --- parsing ---------------------------------------------------------------------------


def test_without_a_url_the_letters_stay_in_the_local_folder():
    assert media_storage("") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_the_url_gives_the_s3_backend_and_its_options():
    assert media_storage(URL) == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "suggestion-letters",
            "location": "changji/prod",
            "endpoint_url": "https://oss.example.gov.cn",
            "region_name": "cn-north-1",
            "querystring_auth": True,
            "default_acl": None,
            "file_overwrite": False,
            "max_memory_size": READ_MEMORY_LIMIT,
        },
    }


def test_a_bare_bucket_on_amazon_itself():
    options = media_storage("s3://letters")["OPTIONS"]
    assert options["bucket_name"] == "letters"
    assert options["location"] == ""
    assert "endpoint_url" not in options and "region_name" not in options


def test_self_hosted_services_take_path_addressing():
    options = media_storage(
        "s3://letters?endpoint_url=http://minio:9000&region_name=us-east-1"
        "&addressing_style=path&signature_version=s3v4"
    )["OPTIONS"]
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["region_name"] == "us-east-1"
    assert options["addressing_style"] == "path"
    assert options["signature_version"] == "s3v4"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://oss.example.gov.cn/letters", "must start with s3://"),
        ("s3://key:secret@letters", "must not hold credentials"),
        ("s3:///prefix", "names no bucket"),
        ("s3://letters?acl=public-read", "unknown parameter 'acl'"),
        ("s3://letters?region=a&region=b", "exactly one value"),
        ("s3://letters?region=", "exactly one value"),
    ],
)
def test_what_it_does_not_understand_stops_the_start(url, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        media_storage(url)


def test_the_options_make_a_private_storage_that_signs_its_urls(monkeypatch):
    """The backend takes the options as they are (no network: a URL is signed
    locally); the keys come from the environment."""
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv(
        "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    )
    config = media_storage(URL + "&addressing_style=path")
    storage = S3Storage(**config["OPTIONS"])
    assert storage.bucket_name == "suggestion-letters"
    assert storage.file_overwrite is False and storage.default_acl is None
    url = urlsplit(storage.url("letters/2026/03/abc.pdf"))
    assert url.netloc == "oss.example.gov.cn"
    assert url.path == "/suggestion-letters/changji/prod/letters/2026/03/abc.pdf"
    query = parse_qs(url.query)
    assert query["X-Amz-Credential"][0].startswith("AKIDEXAMPLE/")
    assert "X-Amz-Signature" in query


def _settings_storage(**extra) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_URL", "MEDIA_", "AWS_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **extra)
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages;"
        "d = storages['default'];"
        "print(type(d).__name__, getattr(d, 'bucket_name', '-'), d.location)"
    )
    result = subprocess.run(  # noqa: S603 - our own settings, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_settings_choose_the_storage_from_the_environment(tmp_path):
    assert _settings_storage(DJANGO_VAR_DIR=str(tmp_path)).startswith(
        "FileSystemStorage - "
    )
    assert (
        _settings_storage(DJANGO_VAR_DIR=str(tmp_path), MEDIA_STORAGE_URL=URL)
        == "S3Storage suggestion-letters changji/prod"
    )
    assert S3_BACKEND == "storages.backends.s3.S3Storage"


# --- downloads through any storage ------------------------------------------------------


@pytest.fixture
def remote(settings):
    """A storage with no local files at all (no ``path()``), as a bucket is."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return default_storage


@pytest.fixture
def replied(journey, remote):
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    reply = services.assignment_reply(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        outcome="resolved",
        body="答复。",
        letter=SimpleUploadedFile("答复函.pdf", PDF),
    )
    journey.reply = reply
    return journey


def test_a_letter_is_stored_in_and_served_from_the_storage(replied, remote, settings):
    reply = replied.reply
    assert type(remote._wrapped).__name__ == "InMemoryStorage"
    assert remote.exists(reply.letter.name)
    # Nothing on the local disk: the download cannot have read a file there.
    assert not Path(settings.MEDIA_ROOT).exists()
    client = Client()
    client.force_login(replied.deputy)
    response = client.get(f"/replies/{reply.pk}/letter/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    api = ContractClient()
    api.force_authenticate(replied.clerk)
    response = api.get(f"/api/v1/replies/{reply.pk}/letter/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_permission_checks_stay(replied, other_clerk, other_deputy):
    reply = replied.reply
    for user in (other_clerk, other_deputy):
        client = Client()
        client.force_login(user)
        assert client.get(f"/replies/{reply.pk}/letter/").status_code == 404
    assert Client().get(f"/replies/{reply.pk}/letter/").status_code == 404


def test_a_letter_missing_from_the_storage_is_404(replied, remote):
    remote.delete(replied.reply.letter.name)
    client = Client()
    client.force_login(replied.deputy)
    assert client.get(f"/replies/{replied.reply.pk}/letter/").status_code == 404

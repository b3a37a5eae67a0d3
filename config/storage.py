"""Where uploaded files (the reply letters) are kept: ``MEDIA_STORAGE_URL``.

Empty: the local folder ``MEDIA_ROOT`` (Django's FileSystemStorage). Set, an
S3-compatible bucket through django-storages::

    s3://<bucket>[/<prefix>]?endpoint_url=https://oss.example.gov.cn&region=cn-north-1

The path is the prefix every file is stored under (``location``). The query takes
``endpoint_url`` (any S3-compatible service: MinIO, Ceph, a cloud's object storage;
left out, Amazon S3 itself), ``region`` (or ``region_name``), ``addressing_style``
(``path`` for most self-hosted services) and ``signature_version``. The keys come
from the environment, as boto3 reads them (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``), never from the URL, which appears in logs and process
listings.

The objects stay private (no ACL, signed URLs only), and a name never overwrites
another file. The app reads a letter back through the storage and hands it out
itself, after its permission check (``suggestions/letters.py``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
# A letter larger than this is spooled to a temporary file when it is read back,
# not held in memory (letters are at most 20 MB).
READ_MEMORY_LIMIT = 5 * 1024 * 1024

# Query parameter → S3Storage option.
_QUERY_OPTIONS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "region_name": "region_name",
    "addressing_style": "addressing_style",
    "signature_version": "signature_version",
}

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage(url: str) -> dict:
    """``STORAGES["default"]`` for ``MEDIA_STORAGE_URL``: the local folder when it
    is empty, else the S3 backend with its options. Raises ``ImproperlyConfigured``
    for anything it does not understand, rather than storing letters elsewhere than
    meant."""
    if not url:
        return dict(LOCAL)
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL must start with s3:// (got {parts.scheme or url!r})."
        )
    if parts.username or parts.password:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must not hold credentials: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY in the environment."
        )
    bucket = parts.hostname
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE_URL names no bucket: s3://<bucket>")
    options = {
        "bucket_name": bucket,
        "location": unquote(parts.path).strip("/"),
        "querystring_auth": True,
        "default_acl": None,
        "file_overwrite": False,
        "max_memory_size": READ_MEMORY_LIMIT,
    }
    for name, values in parse_qs(parts.query, keep_blank_values=True).items():
        option = _QUERY_OPTIONS.get(name)
        if option is None:
            known = ", ".join(sorted(_QUERY_OPTIONS))
            raise ImproperlyConfigured(
                f"MEDIA_STORAGE_URL: unknown parameter {name!r} (known: {known})."
            )
        if len(values) != 1 or not values[0]:
            raise ImproperlyConfigured(
                f"MEDIA_STORAGE_URL: {name} needs exactly one value."
            )
        options[option] = values[0]
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}

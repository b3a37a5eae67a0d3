"""The names of files handed out, sent as RFC 6266 says: the UTF-8 name in
``filename*`` (昌吉州十六届人大二次会议_办理情况统计.xlsx) and an ASCII fallback in
``filename`` for the few clients that cannot read it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.http import content_disposition_header

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# What no file name may hold on Windows, macOS or Linux, nor a header.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_file_name(text: str) -> str:
    """``text`` fit to be a file name: no path separators, no characters Windows
    refuses, no control characters, no leading dots."""
    return _FORBIDDEN.sub("_", text).strip(" .") or "download"


@dataclass(frozen=True)
class DownloadName:
    """A download's name (``name``, any language) and its ASCII ``fallback``."""

    name: str
    fallback: str

    def __str__(self) -> str:
        return self.name


def content_disposition(name: DownloadName | str, *, as_attachment=True) -> str:
    """``attachment; filename="<ascii>"; filename*=utf-8''<name>``: Django's RFC 6266
    header for the name, with the ASCII fallback added when the name is not ASCII."""
    if isinstance(name, str):
        name = DownloadName(name, name)
    fallback = _UNSAFE.sub("_", name.fallback).strip("_") or "download"
    header = content_disposition_header(as_attachment, safe_file_name(name.name))
    if "filename*=" not in header:
        return header
    disposition, _sep, encoded = header.partition("; ")
    return f'{disposition}; filename="{fallback}"; {encoded}'

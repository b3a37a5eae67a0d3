"""Reading a download's name back from its Content-Disposition header (RFC 6266)."""

import re
from urllib.parse import unquote

ENCODED = re.compile(r"filename\*=utf-8''([^;\s]+)", re.I)
PLAIN = re.compile(r'filename="((?:[^"\\]|\\.)*)"')


def download_name(response) -> str:
    """The UTF-8 name (``filename*``), checking the ASCII fallback is there too."""
    header = response["Content-Disposition"]
    assert header.startswith("attachment;"), header
    encoded = ENCODED.search(header)
    fallback = PLAIN.search(header)
    assert fallback is not None, header
    assert fallback.group(1).isascii(), header
    if encoded is None:
        return fallback.group(1)
    return unquote(encoded.group(1), encoding="utf-8", errors="strict")

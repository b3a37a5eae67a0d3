"""Template context every page needs from the accounts app."""

from . import text_size


def text_size_choice(request):
    """``large_text``: whether the page is drawn in the large text size (大字版)."""
    return {"large_text": text_size.is_large(request)}

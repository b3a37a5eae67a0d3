"""The reader's text size: standard or large (大字版). Signed-in users keep the choice
on their account, so it follows them to any browser; anonymous visitors keep it in
their session."""

SESSION_KEY = "large_text"


def is_large(request) -> bool:
    """Whether pages for this request use the large text size."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY, False))


def choose(request, large: bool) -> None:
    """Remember the reader's choice: on the account if signed in, else in the session."""
    user = request.user
    if user.is_authenticated:
        if user.large_text != large:
            user.large_text = large
            user.save(update_fields=["large_text"])
    else:
        request.session[SESSION_KEY] = large

"""One-time tokens for the HTML forms that change something, so that a double click
or a resent form never does it twice.

A page renders the token with ``{% load once %}{% form_token %}`` inside the form: a
random nonce signed for the signed-in user, valid 24 hours, written nowhere (a page
view writes nothing). The view's POST consumes it inside the transaction of its
change, by inserting the nonce into ``FormSubmission``, whose unique column makes
the insert the decision: a second POST with the same token (at once or later) finds
it taken, writes nothing, and is led where the first led with the first one's
success message (``Submission.done``), so a double click reads as one success. A change refused by
a rule rolls the insert back with it, so the token stays unused.

``OneTimeSubmitMixin`` is the piece a view uses; ``static/js/submit-once.js`` also
disables a form's buttons after its first submit, as a courtesy.
"""

import contextlib
import secrets
from collections.abc import Iterator
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

FIELD = "form_token"
LIFETIME = timedelta(hours=24)
_SALT = "common.once.form-token"

ALREADY_SUBMITTED = _(
    "This form has already been submitted; please do not submit it twice."
)
INVALID_TOKEN = _(
    "This form has expired or did not come from its page; "
    "please check it and submit it again."
)


class AlreadySubmitted(Exception):
    """The token was used before; ``url`` is where its first POST led and
    ``message`` the success it showed (empty if it showed none)."""

    def __init__(self, url: str, message: str = ""):
        self.url = url
        self.message = message
        super().__init__(url)


def issue(user) -> str:
    """A new token for ``user``."""
    return signing.dumps({"u": user.pk, "n": secrets.token_urlsafe(18)}, salt=_SALT)


def nonce_of(request) -> str | None:
    """The nonce of the request's token, or None when it is missing, forged,
    expired or issued to somebody else."""
    token = request.POST.get(FIELD, "")
    if not token or len(token) > 200 or not request.user.is_authenticated:
        return None
    try:
        data = signing.loads(token, salt=_SALT, max_age=LIFETIME)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != request.user.pk:
        return None
    nonce = data.get("n")
    return nonce if isinstance(nonce, str) and 0 < len(nonce) <= 64 else None


class Submission:
    """The token's row while the change runs; ``done`` says where it led."""

    def __init__(self, record: FormSubmission):
        self.record = record

    def done(self, url: str, message: str = "") -> None:
        """Remember where the first POST led and the success message it showed."""
        self.record.result_url = url[:500]
        self.record.result_message = str(message or "")
        self.record.save(update_fields=["result_url", "result_message"])


def used(nonce: str | None) -> AlreadySubmitted | None:
    """The first use of ``nonce`` if it has been used (and committed), else None: a
    view asks before anything else, so a second POST is answered as the first was
    even where the first one's change now forbids the action itself."""
    if not nonce:
        return None
    first = (
        FormSubmission.objects.filter(nonce=nonce)
        .values_list("result_url", "result_message")
        .first()
    )
    return AlreadySubmitted(*first) if first else None


@contextlib.contextmanager
def submission(request, nonce: str) -> Iterator[Submission]:
    """Consume the token and run the block in one transaction: the block's change
    and the token's use commit together or not at all. Raises ``AlreadySubmitted``
    (nothing written) when the token was used; a concurrent duplicate waits for the
    first one's commit (the unique insert) and then sees it used."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = FormSubmission.objects.create(
                    nonce=nonce, user=request.user, created_at=timezone.now()
                )
        except IntegrityError:
            first = FormSubmission.objects.filter(nonce=nonce).first()
            if first is None:
                raise AlreadySubmitted("") from None
            raise AlreadySubmitted(first.result_url, first.result_message) from None
        yield Submission(record)


def purge(*, older_than: timedelta = LIFETIME) -> int:
    """Forget used tokens older than a token lives (their signature has expired)."""
    deleted, _by_model = FormSubmission.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


class OneTimeSubmitMixin:
    """For a view whose POST changes something: ``one_time`` views require a token
    (``once_nonce``) and run their change in ``once_submission``."""

    one_time = False

    def once_nonce(self, request) -> str | None:
        """The nonce to consume; None means the POST must be refused (a one-time
        view without a valid token)."""
        return nonce_of(request)

    def once_submission(self, request, nonce: str | None):
        if not self.one_time or nonce is None:
            return contextlib.nullcontext(None)
        return submission(request, nonce)

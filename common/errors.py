"""Domain errors. The web pages show them as messages; the API maps them to status codes
(``InvalidTransition`` 409, ``NotPermitted`` 403, ``NotFound`` 404, ``InvalidInput`` 400)."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    default_message = _("The action cannot be done.")
    code = "error"

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    """The object's current state forbids the action."""

    default_message = _("This action is not allowed in the current state.")
    code = "invalid_transition"


class NotPermitted(DomainError):
    """The actor's role may never do this."""

    default_message = _("Your role does not allow this action.")
    code = "permission_denied"


class NotFound(DomainError):
    """The object does not exist or is not the actor's to see (never say which)."""

    default_message = _("Not found.")
    code = "not_found"


class InvalidInput(DomainError):
    """The input is malformed or breaks a rule; ``field`` names the culprit."""

    default_message = _("Invalid input.")
    code = "invalid"


class SessionSealed(InvalidTransition):
    """The suggestion's session is sealed: its figures are final until staff reopen
    it."""

    default_message = _(
        "This session's figures are sealed and can no longer be changed; staff must "
        "reopen the session first."
    )
    code = "session_sealed"


class IdempotencyConflict(InvalidTransition):
    """A repeated request key names another request, or its first request is still
    running."""

    default_message = _(
        "This Idempotency-Key was already used with a different request."
    )
    code = "idempotency_conflict"

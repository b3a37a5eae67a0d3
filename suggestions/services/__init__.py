"""Every change to a suggestion, one function per transition (DESIGN.md §4).

Each function runs in one transaction with the suggestion row locked (``SELECT … FOR
UPDATE``; locks always taken suggestion first, then its assignment or request, and
several suggestions in id order), checks the actor's role and ownership and the current
state, appends an ``Event`` and returns the changed object. Failures raise the errors of
``errors.py`` and leave nothing half-written.
"""

from .drafting import (
    suggestion_cosign,
    suggestion_create,
    suggestion_submit,
    suggestion_update,
    suggestion_withdraw,
)
from .evaluation import suggestion_evaluate, suggestion_publish
from .handling import (
    adjustment_approve,
    adjustment_deny,
    assignment_acknowledge,
    assignment_record_contact,
    assignment_reply,
    assignment_request_extension,
    assignment_request_reassignment,
    reply_fulfil,
)
from .intake import (
    suggestion_assign,
    suggestion_mark_key,
    suggestion_merge,
    suggestion_register,
    suggestion_reject,
)

__all__ = [
    "adjustment_approve",
    "adjustment_deny",
    "assignment_acknowledge",
    "assignment_record_contact",
    "assignment_reply",
    "assignment_request_extension",
    "assignment_request_reassignment",
    "reply_fulfil",
    "suggestion_assign",
    "suggestion_cosign",
    "suggestion_create",
    "suggestion_evaluate",
    "suggestion_mark_key",
    "suggestion_merge",
    "suggestion_publish",
    "suggestion_register",
    "suggestion_reject",
    "suggestion_submit",
    "suggestion_update",
    "suggestion_withdraw",
]

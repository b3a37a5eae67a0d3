"""Every change to a suggestion, one function per transition (docs/workflow.md).

Each function runs in one transaction with the suggestion row locked (``SELECT … FOR
UPDATE``; locks always taken suggestion first, then its assignment or request, and
several suggestions in id order), asks ``actions.require`` whether the actor may do
this now (role and ownership, the state, the live round, windows, limits, pending
requests: the same answer the pages and the API offer), then checks its input,
appends an ``Event`` and returns the changed object. Failures raise the errors of
``common.errors`` and leave nothing half-written.
"""

from .drafting import (
    suggestion_cosign,
    suggestion_create,
    suggestion_decline_cosign,
    suggestion_submit,
    suggestion_update,
    suggestion_withdraw,
)
from .evaluation import (
    evaluation_meeting_create,
    evaluation_meeting_rate,
    suggestion_evaluate,
    suggestion_publish,
)
from .handling import (
    adjustment_approve,
    adjustment_deny,
    assignment_acknowledge,
    assignment_record_contact,
    assignment_reply,
    assignment_request_extension,
    assignment_request_reassignment,
    reply_fulfil,
    reply_letter_draft,
)
from .intake import (
    suggestion_assign,
    suggestion_enter_on_behalf,
    suggestion_mark_key,
    suggestion_merge,
    suggestion_register,
    suggestion_reject,
)
from .planning import assignment_file_plan, assignment_report_progress
from .promises import promise_report
from .sealing import session_reopen, session_seal
from .supervision import (
    suggestion_record_supervision,
    suggestion_set_leaders,
    suggestion_supervision_opinion,
    suggestion_urge,
)

__all__ = [
    "adjustment_approve",
    "adjustment_deny",
    "assignment_acknowledge",
    "assignment_file_plan",
    "assignment_record_contact",
    "assignment_reply",
    "assignment_report_progress",
    "assignment_request_extension",
    "assignment_request_reassignment",
    "evaluation_meeting_create",
    "evaluation_meeting_rate",
    "promise_report",
    "reply_fulfil",
    "reply_letter_draft",
    "session_reopen",
    "session_seal",
    "suggestion_assign",
    "suggestion_cosign",
    "suggestion_create",
    "suggestion_decline_cosign",
    "suggestion_enter_on_behalf",
    "suggestion_evaluate",
    "suggestion_mark_key",
    "suggestion_merge",
    "suggestion_publish",
    "suggestion_record_supervision",
    "suggestion_register",
    "suggestion_reject",
    "suggestion_set_leaders",
    "suggestion_submit",
    "suggestion_supervision_opinion",
    "suggestion_update",
    "suggestion_urge",
    "suggestion_withdraw",
]

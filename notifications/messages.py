"""The texts of every notification, in English source strings translated to the
recipient's language when the message is written."""

from django.utils.translation import gettext_lazy as _

# kind: (title, body); both are %-formatted with the parameters the caller gives.
MESSAGES = {
    "cosign_invitation": (
        _("Invitation to co-sign: %(title)s"),
        _("Deputy %(deputy)s invites you to co-sign the suggestion “%(title)s”."),
    ),
    "registered": (
        _("Filed as No. %(number)s: %(title)s"),
        _("Your suggestion “%(title)s” has been filed as No. %(number)s."),
    ),
    "rejected": (
        _("Not accepted as a suggestion: %(title)s"),
        _("“%(title)s” was not accepted as a suggestion (%(disposition)s): %(reason)s"),
    ),
    "merged": (
        _("Merged: %(title)s"),
        _(
            "“%(title)s” is handled together with No. %(into_number)s “%(into_title)s”;"
            " you will receive its reply."
        ),
    ),
    "assigned": (
        _("New assignment: %(title)s"),
        _(
            "Your unit has been assigned “%(title)s” as %(role)s. Please acknowledge it"
            " and reply by %(due)s."
        ),
    ),
    "assigned_deputy": (
        _("Assigned for handling: %(title)s"),
        _("“%(title)s” has been assigned to %(unit)s, to reply by %(due)s."),
    ),
    "acknowledged": (
        _("Acknowledged by %(unit)s: %(title)s"),
        _("%(unit)s has acknowledged “%(title)s” and is handling it."),
    ),
    "reassignment_requested": (
        _("Reassignment requested: %(title)s"),
        _("%(unit)s asks to hand “%(title)s” to another unit: %(reason)s"),
    ),
    "extension_requested": (
        _("Extension requested: %(title)s"),
        _(
            "%(unit)s asks to extend the deadline of “%(title)s” to %(until)s: %(reason)s"
        ),
    ),
    "request_approved": (
        _("Request approved: %(title)s"),
        _("Your request about “%(title)s” was approved. %(result)s"),
    ),
    "request_denied": (
        _("Request denied: %(title)s"),
        _("Your request about “%(title)s” was denied: %(reason)s"),
    ),
    "replied": (
        _("Reply received: %(title)s"),
        _("%(unit)s has replied to “%(title)s” (%(outcome)s). %(rate_hint)s"),
    ),
    "opinion": (
        _("Co-unit opinion: %(title)s"),
        _("%(unit)s has sent its opinion on “%(title)s”."),
    ),
    "evaluated": (
        _("Rated %(rating)s: %(title)s"),
        _("The deputy rated the reply to “%(title)s”: %(rating)s. %(comment)s"),
    ),
    "rehandling": (
        _("Re-handling required: %(title)s"),
        _(
            "The deputy is dissatisfied with the reply to “%(title)s”: %(comment)s"
            " Please handle it again and reply by %(due)s."
        ),
    ),
    "escalated": (
        _("Still dissatisfied after re-handling: %(title)s"),
        _(
            "The deputy remains dissatisfied with “%(title)s” after the last"
            " re-handling round; it needs escalation."
        ),
    ),
    "due_soon": (
        _("Reminder: due in %(days)s days: %(title)s"),
        _("“%(title)s” must be replied to by %(due)s (%(days)s days left)."),
    ),
    "overdue": (
        _("Overdue: %(title)s"),
        _("The reply to “%(title)s” was due on %(due)s and is %(days)s days late."),
    ),
    "rating_awaited": (
        _("Please rate the reply: %(title)s"),
        _(
            "The reply to “%(title)s” arrived on %(replied)s. Please rate it; an unrated"
            " reply is never counted as satisfied."
        ),
    ),
    "digest_overdue": (
        _("Weekly digest: %(count)s overdue suggestions"),
        _("%(count)s suggestions are overdue:\n%(items)s"),
    ),
    "digest_key": (
        _("Weekly digest: key supervised suggestions"),
        _(
            "%(count)s key supervised suggestions: %(open)s being handled, %(overdue)s"
            " overdue, %(closed)s closed.\n%(items)s"
        ),
    ),
}

"""The texts of every notification, in English source strings translated to the
recipient's language when the message is written.

Each kind is written for one kind of recipient (the lead deputy, the co-signers, the
lead unit, a co-unit, the staff, the leaders) and says what happened and what that
recipient may or should do now. Only the lead deputy rates a reply, so only the
lead deputy's texts ask for a rating. A date that is a deadline is named as one
("reply by", "the new reply deadline is"); dates are formatted in the reader's
language (2027年2月9日 / February 9, 2027), by ``services.local_date``.
"""

from django.utils.translation import gettext_lazy as _

# kind: (title, body); both are %-formatted with the parameters the caller gives.
MESSAGES = {
    # --- to deputies --------------------------------------------------------------
    "cosign_invitation": (
        _("Invitation to co-sign: %(title)s"),
        _(
            "Deputy %(deputy)s invites you to co-sign the suggestion “%(title)s”. You"
            " may co-sign it on the suggestion's page until it is filed."
        ),
    ),
    "cosign_declined": (
        _("Co-signing declined: %(title)s"),
        _(
            "Deputy %(deputy)s has declined to co-sign your suggestion “%(title)s”."
            " %(reason)s You may invite another deputy, or invite them again, while"
            " editing the draft."
        ),
    ),
    "entered_on_behalf": (
        _("Entered for you: %(title)s"),
        _(
            "The congress staff (%(staff)s) have entered your suggestion “%(title)s”"
            " handed in on paper, with the scan of its signed original. It is"
            " submitted and awaits review; you can follow it under My suggestions."
        ),
    ),
    "entered_on_behalf_cosigner": (
        _("Entered with your co-signature: %(title)s"),
        _(
            "The congress staff (%(staff)s) have entered the suggestion “%(title)s”"
            " led by deputy %(deputy)s, handed in on paper; you are its co-signer by"
            " your signature on the original. It is submitted and awaits review."
        ),
    ),
    "supervision_opinion": (
        _("Supervision opinion: %(title)s"),
        _(
            "%(leader)s has given a supervision opinion on the key suggestion"
            " “%(title)s”: %(opinion)s Please take it into account in your handling"
            " and reply."
        ),
    ),
    "urged": (
        _("Reminder to handle: %(title)s"),
        _(
            "%(leader)s urges your unit to handle the key suggestion “%(title)s”;"
            " the reply is due by %(due)s. %(note)s"
        ),
    ),
    "urged_co": (
        _("Reminder to give your opinion: %(title)s"),
        _(
            "%(leader)s urges your unit to send its opinion on the key suggestion"
            " “%(title)s” to the lead unit; the opinion is due by %(due)s. %(note)s"
        ),
    ),
    "registered": (
        _("Filed as No. %(number)s: %(title)s"),
        _(
            "Your suggestion “%(title)s” has been filed as No. %(number)s. The"
            " congress staff will assign it to a handling unit; you will be told."
        ),
    ),
    "rejected": (
        _("Not accepted as a suggestion: %(title)s"),
        _(
            "“%(title)s” was not accepted as a suggestion (%(disposition)s):"
            " %(reason)s If you have questions, contact the congress staff."
        ),
    ),
    "merged": (
        _("Merged: %(title)s"),
        _(
            "“%(title)s” is handled together with No. %(into_number)s “%(into_title)s”."
            " Its reply will be sent to you too; the lead deputy of No."
            " %(into_number)s rates it."
        ),
    ),
    "assigned_deputy": (
        _("Assigned for handling: %(title)s"),
        _(
            "“%(title)s” has been assigned to %(unit)s; the reply deadline is %(due)s."
            " The unit will contact you before it replies, and you will rate its"
            " reply."
        ),
    ),
    "assigned_cosigner": (
        _("Assigned for handling: %(title)s"),
        _(
            "“%(title)s” has been assigned to %(unit)s; the reply deadline is %(due)s."
            " The reply goes to the lead deputy, who rates it."
        ),
    ),
    "reassigned_deputy": (
        _("Now handled by %(unit)s: %(title)s"),
        _(
            "“%(title)s” has been handed from %(old_unit)s to %(unit)s, which now"
            " handles it; the reply deadline is %(due)s."
        ),
    ),
    "acknowledged": (
        _("Acknowledged by %(unit)s: %(title)s"),
        _(
            "%(unit)s has acknowledged “%(title)s” and is handling it; it will"
            " contact you before it replies."
        ),
    ),
    "replied": (
        _("Reply received: %(title)s"),
        _("%(unit)s has replied to “%(title)s” (%(outcome)s). %(rate_hint)s"),
    ),
    "replied_cosigner": (
        _("Reply received: %(title)s"),
        _(
            "%(unit)s has replied to “%(title)s” (%(outcome)s). The reply has been"
            " delivered to the lead deputy, who rates it; you need not rate it."
        ),
    ),
    "rating_awaited": (
        _("Please rate the reply: %(title)s"),
        _(
            "The reply to “%(title)s” arrived on %(replied)s. Please rate it; an unrated"
            " reply is never counted as satisfied."
        ),
    ),
    # --- to units -----------------------------------------------------------------
    "assigned": (
        _("New assignment: %(title)s"),
        _(
            "Your unit has been assigned “%(title)s” as the lead unit. Please"
            " acknowledge it, contact the deputy and reply by %(due)s (the reply"
            " deadline)."
        ),
    ),
    "assigned_co": (
        _("New assignment (co-unit): %(title)s"),
        _(
            "Your unit has been assigned “%(title)s” as a co-unit of %(lead_unit)s."
            " Please acknowledge it and send your opinion to the lead unit by %(due)s"
            " (the opinion deadline)."
        ),
    ),
    "reassigned_in": (
        _("Handed to your unit: %(title)s"),
        _(
            "“%(title)s” has been handed to your unit from %(old_unit)s; your unit is"
            " now its lead unit. Please acknowledge it now and reply by %(due)s (the"
            " reply deadline)."
        ),
    ),
    "reassigned_in_co": (
        _("Handed to your unit (co-unit): %(title)s"),
        _(
            "“%(title)s” has been handed to your unit from %(old_unit)s as a co-unit"
            " of %(lead_unit)s. Please acknowledge it now and send your opinion to the"
            " lead unit by %(due)s (the opinion deadline)."
        ),
    ),
    "extension_approved": (
        _("Extension approved: %(title)s"),
        _(
            "Your request to extend the deadline of “%(title)s” has been approved; the"
            " new reply deadline is %(due)s."
        ),
    ),
    "extension_denied": (
        _("Extension denied: %(title)s"),
        _(
            "Your request to extend the deadline of “%(title)s” has been denied:"
            " %(reason)s The reply deadline stays %(due)s."
        ),
    ),
    "reassignment_approved": (
        _("Reassignment approved: %(title)s"),
        _(
            "Your request to hand “%(title)s” to another unit has been approved: it is"
            " now handled by %(new_unit)s, and your unit no longer handles it."
        ),
    ),
    "reassignment_denied": (
        _("Reassignment denied: %(title)s"),
        _(
            "Your request to hand “%(title)s” to another unit has been denied:"
            " %(reason)s Your unit still handles it; the reply deadline is %(due)s."
        ),
    ),
    "reassignment_denied_co": (
        _("Reassignment denied: %(title)s"),
        _(
            "Your request to hand “%(title)s” to another unit has been denied:"
            " %(reason)s Your unit remains its co-unit; the opinion deadline is"
            " %(due)s."
        ),
    ),
    "opinion": (
        _("Co-unit opinion: %(title)s"),
        _(
            "%(unit)s has sent its opinion on “%(title)s”. Read it on your"
            " assignment's page and take it into account in your reply; the reply"
            " deadline is %(due)s."
        ),
    ),
    "round_ended_co": (
        _("Lead unit replied: %(title)s"),
        _(
            "The lead unit %(unit)s has replied to “%(title)s”. This round of handling"
            " has ended, and your unit's assignment with it; no opinion is taken any"
            " more."
        ),
    ),
    "evaluated": (
        _("Rated %(rating)s: %(title)s"),
        _(
            "The lead deputy rated your reply to “%(title)s”: %(rating)s. %(comment)s"
            " The suggestion is closed; nothing more is asked of your unit."
        ),
    ),
    "rehandling": (
        _("Re-handling required: %(title)s"),
        _(
            "The lead deputy is dissatisfied with the reply to “%(title)s”:"
            " %(comment)s Your unit handles it again: please acknowledge the new"
            " round and reply by %(due)s (the new reply deadline)."
        ),
    ),
    "due_soon": (
        _("Reminder: due in %(days)s days: %(title)s"),
        _(
            "Your unit's reply to “%(title)s” is due by %(due)s (%(days)s days left)."
            " Please reply in time, or ask the congress staff for an extension."
        ),
    ),
    "due_soon_co": (
        _("Reminder: opinion due in %(days)s days: %(title)s"),
        _(
            "Your unit's opinion on “%(title)s” is due by %(due)s (%(days)s days"
            " left). Please send it to the lead unit in time."
        ),
    ),
    "overdue": (
        _("Overdue: %(title)s"),
        _(
            "Your unit's reply to “%(title)s” was due by %(due)s; it is %(days)s days"
            " late. Please reply as soon as possible."
        ),
    ),
    "overdue_co": (
        _("Opinion overdue: %(title)s"),
        _(
            "Your unit's opinion on “%(title)s” was due by %(due)s; it is %(days)s"
            " days late. Please send it to the lead unit before it replies."
        ),
    ),
    "milestone_unreported": (
        _("Progress awaited: %(title)s"),
        _(
            "The milestone “%(milestone)s” of your unit's handling plan for"
            " “%(title)s” was due by %(due)s, and no progress has been reported"
            " against it. Please report the progress on the assignment's page."
        ),
    ),
    "promise_overdue": (
        _("Promise overdue: %(title)s"),
        _(
            "Your unit's reply to “%(title)s” promised by %(due)s: %(promise)s. It is"
            " %(days)s days past that date and not yet reported on. Please report"
            " whether it was kept."
        ),
    ),
    # --- to the congress staff and leaders ------------------------------------------
    "reassignment_requested": (
        _("Reassignment requested: %(title)s"),
        _(
            "%(unit)s asks to hand “%(title)s” to another unit: %(reason)s Please"
            " approve it (naming the new unit) or deny it."
        ),
    ),
    "extension_requested": (
        _("Extension requested: %(title)s"),
        _(
            "%(unit)s asks to extend the reply deadline of “%(title)s” from %(due)s to"
            " %(until)s: %(reason)s Please approve or deny the request."
        ),
    ),
    "evaluated_staff": (
        _("Rated %(rating)s: %(title)s"),
        _(
            "The lead deputy rated the reply to “%(title)s”: %(rating)s. %(comment)s"
            " The suggestion is closed; you may publish the reply."
        ),
    ),
    "rehandling_staff": (
        _("Rated %(rating)s: %(title)s"),
        _(
            "The lead deputy is dissatisfied with the reply to “%(title)s”:"
            " %(comment)s %(unit)s handles it again; the new reply deadline is"
            " %(due)s."
        ),
    ),
    "escalated": (
        _("Still dissatisfied after re-handling: %(title)s"),
        _(
            "The lead deputy remains dissatisfied with “%(title)s” after the last"
            " re-handling round. It is closed and flagged for supervision; please"
            " decide how to follow it up."
        ),
    ),
    "digest_overdue": (
        _("Weekly digest: %(count)s overdue suggestions"),
        _(
            "%(count)s suggestions are past their reply deadline; you may urge the"
            " units concerned:\n%(items)s"
        ),
    ),
    "digest_key": (
        _("Weekly digest: key supervised suggestions"),
        _(
            "%(count)s key supervised suggestions: %(open)s being handled, %(overdue)s"
            " overdue, %(closed)s closed. Their progress is on the dashboard.\n"
            "%(items)s"
        ),
    ),
}

# Who each kind is written for (the test walks every kind and checks its text).
AUDIENCE = {
    "cosign_invitation": "cosigner",
    "cosign_declined": "lead_deputy",
    "entered_on_behalf": "lead_deputy",
    "entered_on_behalf_cosigner": "cosigner",
    "supervision_opinion": "lead_unit",
    "urged": "lead_unit",
    "urged_co": "co_unit",
    "registered": "lead_deputy",
    "rejected": "lead_deputy",
    "merged": "deputy",
    "assigned_deputy": "lead_deputy",
    "assigned_cosigner": "cosigner",
    "reassigned_deputy": "deputy",
    "acknowledged": "deputy",
    "replied": "lead_deputy",
    "replied_cosigner": "cosigner",
    "rating_awaited": "lead_deputy",
    "assigned": "lead_unit",
    "assigned_co": "co_unit",
    "reassigned_in": "lead_unit",
    "reassigned_in_co": "co_unit",
    "extension_approved": "lead_unit",
    "extension_denied": "lead_unit",
    "reassignment_approved": "unit",
    "reassignment_denied": "lead_unit",
    "reassignment_denied_co": "co_unit",
    "opinion": "lead_unit",
    "round_ended_co": "co_unit",
    "evaluated": "lead_unit",
    "rehandling": "lead_unit",
    "due_soon": "lead_unit",
    "due_soon_co": "co_unit",
    "overdue": "lead_unit",
    "overdue_co": "co_unit",
    "milestone_unreported": "lead_unit",
    "promise_overdue": "lead_unit",
    "reassignment_requested": "staff",
    "extension_requested": "staff",
    "evaluated_staff": "staff",
    "rehandling_staff": "staff",
    "escalated": "staff",
    "digest_overdue": "staff",
    "digest_key": "leader",
}
if set(AUDIENCE) != set(MESSAGES):
    raise ImportError("every message kind needs its audience")

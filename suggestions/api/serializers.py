"""Input serializers parse and type-check a request (ids bounded, dates real dates);
output serializers render the objects the selectors fetched. No rules live here: the
services decide, and ``allowed_actions`` asks ``suggestions.actions``, which makes
the services' own checks."""

import json

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common import clock
from common.api.fields import DateTimeField, IdField, IdListField, RefSerializer
from congress.api.serializers import DeputyRefSerializer

from .. import actions, rules
from ..models import (
    AdjustmentKind,
    AssignmentRole,
    Category,
    Complexity,
    ContactMethod,
    Decision,
    Disposition,
    Outcome,
    PromiseState,
    Rating,
    Status,
)

# --- shared output pieces -------------------------------------------------------------

# The actions the API offers, named by their URL segments: under /suggestions/{id}/
# ("edit" is PATCH on the suggestion itself; key supervision is marked on the web
# pages only) and under /assignments/{id}/.
SUGGESTION_API_ACTIONS = actions.SUGGESTION_ACTIONS - {"mark-key"}
ASSIGNMENT_API_ACTIONS = actions.ASSIGNMENT_ACTIONS


def _caller(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _allowed_actions_field(names) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(names)),
        help_text="The actions the caller may take now, sorted, each named by the "
        "URL segment that does it; any other is refused (403, 404 or 409).",
    )


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class SuggestionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)


class CoSignerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deputy.id")
    name = serializers.CharField(source="deputy.name")
    delegation = RefSerializer(source="deputy.delegation")
    signed_at = serializers.DateTimeField()


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deputy.id")
    name = serializers.CharField(source="deputy.name")
    delegation = RefSerializer(source="deputy.delegation")
    invited_at = serializers.DateTimeField()


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    contacted_at = serializers.DateTimeField()
    note = serializers.CharField()


class ReplySerializer(serializers.Serializer):
    """A lead reply (the official answer) or a co-unit's opinion (``is_lead`` false).
    ``letter`` is the API's download URL, which checks who may read the reply."""

    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    unit = RefSerializer(source="assignment.unit")
    round = serializers.IntegerField()
    is_lead = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    body = serializers.CharField()
    letter = serializers.SerializerMethodField()
    letter_name = serializers.CharField()
    signed_by = serializers.CharField()
    contact_person = serializers.CharField(
        help_text="Whom the deputy may call about the reply (the letter's note); "
        "empty for those who do not take part in the suggestion."
    )
    contact_phone = serializers.CharField(
        help_text="The contact person's telephone; empty for those who do not take "
        "part in the suggestion."
    )
    sent_at = serializers.DateTimeField()
    is_public = serializers.BooleanField()
    public_summary = serializers.CharField()
    fulfilled_at = serializers.DateTimeField(allow_null=True)
    fulfilment_note = serializers.CharField()
    co_opinion_note = serializers.CharField(
        help_text="Why the lead unit replied before every co-unit had given its "
        "opinion or reached its opinion deadline; empty for those who do not take "
        "part in the suggestion."
    )

    def to_representation(self, reply):
        data = super().to_representation(reply)
        # A note on the handling itself: for those who take part (as the contacts).
        if not self.context.get("show_handling_notes", True):
            data["co_opinion_note"] = ""
            data["contact_person"] = data["contact_phone"] = ""
        return data

    @extend_schema_field(
        {"type": "string", "format": "uri", "nullable": True, "readOnly": True}
    )
    def get_letter(self, reply) -> str | None:
        if not reply.letter:
            return None
        url = reverse("api:reply-letter", args=[reply.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AdjustmentRequestBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AdjustmentKind.choices)
    reason = serializers.CharField()
    requested_until = serializers.DateField(allow_null=True)
    requested_at = serializers.DateTimeField()
    decision = serializers.ChoiceField(choices=Decision.choices)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    new_unit = RefSerializer(allow_null=True)
    new_due_at = serializers.DateField(allow_null=True)


class AssignmentBriefSerializer(serializers.Serializer):
    """An assignment as listed on its suggestion."""

    id = serializers.IntegerField()
    unit = RefSerializer()
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    round = serializers.IntegerField()
    assigned_at = serializers.DateTimeField()
    due_at = serializers.DateField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    active = serializers.BooleanField()
    is_overdue = serializers.BooleanField()


class AssignmentWithContactsSerializer(AssignmentBriefSerializer):
    """An assignment on its suggestion's detail; ``contacts`` is empty unless the
    context's ``show_contacts`` (``rules.may_see_contacts``) lets the caller read
    them."""

    contacts = ContactSerializer(many=True)
    adjustment_requests = AdjustmentRequestBriefSerializer(many=True)

    def to_representation(self, assignment):
        data = super().to_representation(assignment)
        if not self.context.get("show_contacts"):
            data["contacts"] = []
        return data


class EvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    actor = UserRefSerializer(allow_null=True)
    from_status = serializers.CharField()
    to_status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField()
    data = serializers.JSONField()
    created_at = serializers.DateTimeField()


# --- suggestions ----------------------------------------------------------------------


class SuggestionListOutputSerializer(serializers.Serializer):
    """A row of the suggestion list (``selectors.suggestion_list`` joins it all)."""

    id = serializers.IntegerField()
    session = RefSerializer()
    number = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    category = RefSerializer(allow_null=True)
    lead_deputy = DeputyRefSerializer()
    status = serializers.ChoiceField(choices=Status.choices)
    complexity = serializers.ChoiceField(choices=Complexity.choices)
    key_supervised = serializers.BooleanField()
    is_public = serializers.BooleanField()
    round = serializers.IntegerField()
    lead_unit = RefSerializer(allow_null=True)
    outcome = serializers.CharField()
    rating = serializers.CharField()
    is_overdue = serializers.BooleanField()
    entered_by = UserRefSerializer(
        allow_null=True,
        help_text="The congress staff member who entered the suggestion on behalf of "
        "its deputies from the paper original (代录); null for a deputy's own.",
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    registered_at = serializers.DateTimeField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class SuggestionDetailOutputSerializer(SuggestionListOutputSerializer):
    """The whole suggestion (``selectors.suggestion_detail`` prefetches it): confirmed
    ``co_signers`` and pending ``invited`` deputies, every assignment, the replies
    the caller may read, the ratings and the timeline."""

    body = serializers.CharField()
    merged_into = SuggestionRefSerializer(allow_null=True)
    merged_suggestions = SuggestionRefSerializer(many=True)
    rejection_reason = serializers.CharField()
    disposition = serializers.CharField()
    escalated = serializers.BooleanField()
    co_signers = serializers.SerializerMethodField()
    invited = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()
    evaluations = EvaluationSerializer(many=True)
    events = EventSerializer(many=True)
    original = serializers.SerializerMethodField()
    original_name = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    def _shows_original(self, suggestion) -> bool:
        """The scan carries the deputies' signatures: for those who take part in
        the suggestion (``selectors.original_of``)."""
        return bool(suggestion.original) and rules.takes_part(_caller(self), suggestion)

    @extend_schema_field(
        {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "readOnly": True,
            "description": "The download of the scanned original of a suggestion "
            "entered on behalf (代录), for those who take part in it; else null.",
        }
    )
    def get_original(self, suggestion) -> str | None:
        if not self._shows_original(suggestion):
            return None
        url = reverse("api:suggestion-original", args=[suggestion.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(OpenApiTypes.STR)
    def get_original_name(self, suggestion) -> str:
        return suggestion.original_name if self._shows_original(suggestion) else ""

    @extend_schema_field(_allowed_actions_field(SUGGESTION_API_ACTIONS))
    def get_allowed_actions(self, suggestion) -> list[str]:
        allowed = actions.suggestion_actions(_caller(self), suggestion)
        return sorted(allowed & SUGGESTION_API_ACTIONS)

    def _cosignatures(self, suggestion):
        return list(suggestion.cosignatures.all())

    @staticmethod
    def _reply_of(assignment):
        return getattr(assignment, "reply", None)

    @extend_schema_field(CoSignerSerializer(many=True))
    def get_co_signers(self, suggestion):
        rows = [c for c in self._cosignatures(suggestion) if c.signed_at is not None]
        return CoSignerSerializer(rows, many=True).data

    @extend_schema_field(InvitationSerializer(many=True))
    def get_invited(self, suggestion):
        # Pending only: a declined invitation is no longer awaited.
        rows = [
            c
            for c in self._cosignatures(suggestion)
            if c.signed_at is None and c.declined_at is None
        ]
        return InvitationSerializer(rows, many=True).data

    @extend_schema_field(AssignmentWithContactsSerializer(many=True))
    def get_assignments(self, suggestion):
        show_contacts = rules.may_see_contacts(_caller(self), suggestion)
        return AssignmentWithContactsSerializer(
            suggestion.assignments.all(),
            many=True,
            context={**self.context, "show_contacts": show_contacts},
        ).data

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, suggestion):
        replies = [
            reply
            for a in suggestion.assignments.all()
            if (reply := self._reply_of(a)) is not None
        ]
        replies.sort(key=lambda r: (r.sent_at, r.pk))
        show = rules.may_see_contacts(_caller(self), suggestion)
        return ReplySerializer(
            replies, many=True, context={**self.context, "show_handling_notes": show}
        ).data


class SuggestionCreateInputSerializer(serializers.Serializer):
    """A deputy's new draft; or staff's entry on behalf of deputies (代录) of a
    suggestion handed in on paper, which also names ``lead_deputy`` and carries
    the scan of the signed ``original`` (both required then)."""

    session = IdField()
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50_000)
    category = IdField(required=False, allow_null=True)
    co_signers = IdListField(
        required=False,
        help_text="A deputy's draft: the deputies invited to co-sign. Entry on "
        "behalf: the deputies who signed the original; they count at once.",
    )
    lead_deputy = IdField(
        required=False,
        help_text="Entry on behalf (staff only, required): the deputy who leads "
        "the suggestion.",
    )
    original = serializers.FileField(
        required=False,
        max_length=200,
        help_text="Entry on behalf (staff only, required): the scan of the signed "
        "original, a PDF, JPEG or PNG judged by content, at most 20 MB.",
    )


class SuggestionUpdateInputSerializer(serializers.Serializer):
    # Moves the draft; only to a session open for suggestions.
    session = IdField(required=False)
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(max_length=50_000, required=False)
    category = IdField(required=False, allow_null=True)
    co_signers = IdListField(required=False)


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=5_000, default=""
    )


class DeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )


class UrgeInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2_000, default=""
    )


class SupervisionOpinionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2_000)


class RegisterInputSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5_000)
    disposition = serializers.ChoiceField(
        choices=Disposition.choices, default=Disposition.RETURNED
    )


class MergeInputSerializer(serializers.Serializer):
    into = IdField()


class AssignInputSerializer(serializers.Serializer):
    lead_unit = IdField()
    co_units = IdListField(required=False, default=list)
    complexity = serializers.ChoiceField(
        choices=Complexity.choices, default=Complexity.NORMAL
    )
    key_supervised = serializers.BooleanField(default=False)


class EvaluateInputSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5_000, default=""
    )


class PublishInputSerializer(serializers.Serializer):
    is_public = serializers.BooleanField()


# --- assignments ----------------------------------------------------------------------


class AssignmentListOutputSerializer(AssignmentBriefSerializer):
    suggestion = SuggestionRefSerializer()


class CoUnitWithoutOpinionSerializer(serializers.Serializer):
    """A co-unit of the lead assignment's round that has not given its opinion."""

    assignment = serializers.IntegerField(source="pk")
    unit = RefSerializer()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateField(help_text="The co-unit's opinion deadline.")
    awaited = serializers.SerializerMethodField(
        help_text="The deadline has not passed: under the congress's rules the lead "
        "unit waits for this opinion, or replies with `co_opinion_note`."
    )

    def get_awaited(self, assignment) -> bool:
        return assignment.due_at >= self.context["today"]


class AssignmentDetailOutputSerializer(AssignmentListOutputSerializer):
    """An assignment with its contacts, its reply (``replies``, at most one per
    assignment), its adjustment requests and, for a lead assignment, the co-units
    of its round whose opinion has not come (``co_units_without_opinion``)."""

    contacts = ContactSerializer(many=True)
    replies = serializers.SerializerMethodField()
    adjustment_requests = AdjustmentRequestBriefSerializer(many=True)
    allowed_actions = serializers.SerializerMethodField()
    co_units_without_opinion = serializers.SerializerMethodField()

    @extend_schema_field(CoUnitWithoutOpinionSerializer(many=True))
    def get_co_units_without_opinion(self, assignment):
        rows = actions.co_units_without_opinion(assignment)
        context = {**self.context, "today": clock.today()}
        return CoUnitWithoutOpinionSerializer(rows, many=True, context=context).data

    @extend_schema_field(_allowed_actions_field(ASSIGNMENT_API_ACTIONS))
    def get_allowed_actions(self, assignment) -> list[str]:
        allowed = actions.assignment_actions(_caller(self), assignment)
        return sorted(allowed & ASSIGNMENT_API_ACTIONS)

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, assignment):
        reply = getattr(assignment, "reply", None)
        return ReplySerializer(
            [reply] if reply is not None else [], many=True, context=self.context
        ).data


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5_000)


class ExtensionInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5_000)
    until = serializers.DateField()


class ContactInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    contacted_at = DateTimeField()
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, default=""
    )


class SignatureFields(serializers.Serializer):
    """Who signs a reply and whom the deputy may call: the reply and its 答复函
    draft take them alike."""

    signed_by = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default=""
    )
    contact_person = serializers.CharField(
        required=False, allow_blank=True, max_length=50, default=""
    )
    contact_phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        default="",
        help_text="A telephone number, such as 0994-2345678 or 13912345678.",
    )


class PromiseInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2_000)
    due_on = serializers.DateField()


class PromisesField(serializers.ListField):
    """A class-B reply's promises: a JSON list, or in a multipart request the same
    list as one JSON string (multipart has no nested fields)."""

    child = PromiseInputSerializer()

    def get_value(self, dictionary):
        if hasattr(dictionary, "getlist"):
            # A form or multipart body: the list as one JSON string.
            return dictionary.get(self.field_name, serializers.empty)
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else []
            except ValueError:
                raise serializers.ValidationError(
                    _("Enter the promises as a list of {text, due_on}.")
                ) from None
        return super().to_internal_value(data)


class ReplyInputSerializer(SignatureFields):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    body = serializers.CharField(max_length=100_000)
    co_opinion_note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5_000,
        default="",
        help_text="Lead reply only: why the unit replies before every co-unit has "
        "given its opinion or reached its deadline (required when the congress's "
        "rules say `note` and such a co-unit exists).",
    )
    letter = serializers.FileField(required=False, allow_null=True, max_length=200)
    promises = PromisesField(
        required=False,
        default=list,
        max_length=20,
        help_text="A lead reply classed `in_progress` (B) only: its promises, each "
        "`{text, due_on}`, due no earlier than the reply's day.",
    )


class ReplyLetterDraftInputSerializer(SignatureFields):
    """The reply's fields the 答复函 draft shows (a reply's other fields, such as
    ``letter`` and ``co_opinion_note``, may be sent too and are ignored)."""

    outcome = serializers.ChoiceField(choices=Outcome.choices)
    body = serializers.CharField(max_length=100_000)


class FulfilInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=10_000)


# --- the promise ledger -------------------------------------------------------------


class PromiseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    suggestion = SuggestionRefSerializer(source="reply.assignment.suggestion")
    session = RefSerializer(source="reply.assignment.suggestion.session")
    unit = RefSerializer(source="reply.assignment.unit")
    reply = serializers.IntegerField(source="reply_id")
    replied_at = serializers.DateTimeField(source="reply.sent_at")
    text = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(source="state", choices=PromiseState.choices)
    overdue = serializers.SerializerMethodField()
    note = serializers.CharField(source="report_note")
    reported_on = serializers.DateField(allow_null=True)
    corrected = serializers.SerializerMethodField()

    def get_overdue(self, promise) -> bool:
        return promise.is_overdue(clock.today())

    def get_corrected(self, promise) -> bool:
        return promise.corrected_by_id is not None


class PromiseReportInputSerializer(serializers.Serializer):
    kept = serializers.ChoiceField(
        choices=[s for s in PromiseState.choices if s[0] != PromiseState.OPEN],
        help_text="How the promise ended: `kept`, `partly` or `not_kept`.",
    )
    note = serializers.CharField(max_length=5_000)
    reported_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The day the report speaks of (default: today).",
    )


# --- adjustment requests --------------------------------------------------------------


class AssignmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    suggestion = SuggestionRefSerializer()
    unit = RefSerializer()
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    due_at = serializers.DateField()


class AdjustmentRequestOutputSerializer(AdjustmentRequestBriefSerializer):
    assignment = AssignmentRefSerializer()
    requested_by = UserRefSerializer()
    decided_by = UserRefSerializer(allow_null=True)


class ApproveInputSerializer(serializers.Serializer):
    new_unit = IdField(required=False, allow_null=True)
    extend_to = serializers.DateField(required=False, allow_null=True)

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

from .. import actions, deadlines, plans, rules
from ..models import (
    AdjustmentKind,
    AssignmentRole,
    Category,
    Complexity,
    ContactMethod,
    ContactStage,
    Decision,
    Disposition,
    Outcome,
    PromiseState,
    Rating,
    RatingChannel,
    Status,
    SupervisionKind,
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
    stage = serializers.ChoiceField(
        choices=ContactStage.choices,
        help_text="Which of the three meetings (三见面) it was: before handling, "
        "during it, before replying.",
    )
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


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due_on = serializers.DateField()
    reported = serializers.SerializerMethodField(
        help_text="Progress has been reported against this milestone."
    )

    def get_reported(self, milestone) -> bool:
        return any(r.milestone_id == milestone.pk for r in self.context["reports"])


class ProgressReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    milestone = serializers.IntegerField(source="milestone_id", allow_null=True)
    milestone_title = serializers.CharField()
    note = serializers.CharField()
    reported_at = serializers.DateTimeField()


class HandlingPlanSerializer(serializers.Serializer):
    """The lead unit's 五定 plan with its milestones and the progress reported."""

    id = serializers.IntegerField()
    responsible_leader = serializers.CharField()
    officer = serializers.CharField()
    officer_phone = serializers.CharField()
    measures = serializers.CharField()
    complete_by = serializers.DateField()
    due_on = serializers.DateField(
        help_text="The day the plan was due (working days after acknowledging)."
    )
    filed_late = serializers.BooleanField()
    late_reason = serializers.CharField()
    filed_at = serializers.DateTimeField()
    revised_at = serializers.DateTimeField(allow_null=True)
    revisions = serializers.IntegerField()
    milestones = serializers.SerializerMethodField()
    progress = ProgressReportSerializer(many=True, source="reports.all")

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, plan):
        context = {**self.context, "reports": list(plan.reports.all())}
        return MilestoneSerializer(
            plan.milestones.all(), many=True, context=context
        ).data


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
    plan = serializers.SerializerMethodField(
        help_text="The lead unit's 五定 plan with its progress, for those who take "
        "part in the suggestion (as the contacts); null until filed."
    )

    @extend_schema_field(HandlingPlanSerializer(allow_null=True))
    def get_plan(self, assignment):
        plan = plans.plan_of(assignment)
        if plan is None or not self.context.get("show_contacts"):
            return None
        return HandlingPlanSerializer(plan).data

    def to_representation(self, assignment):
        data = super().to_representation(assignment)
        if not self.context.get("show_contacts"):
            data["contacts"] = []
        return data


class EvaluationSerializer(serializers.Serializer):
    """A round's ratings: ``result`` (办理结果; ``rating`` is its former name, the
    same value) and ``attitude`` (办理态度; null where it was not asked), how it
    was given (``channel``) and who entered it."""

    id = serializers.IntegerField()
    round = serializers.IntegerField()
    rating = serializers.ChoiceField(
        choices=Rating.choices, help_text="The result's rating (its former name)."
    )
    result = serializers.ChoiceField(choices=Rating.choices)
    attitude = serializers.ChoiceField(
        choices=Rating.choices,
        allow_null=True,
        help_text="Null for a rating given before the attitude was asked (未评).",
    )
    comment = serializers.CharField()
    channel = serializers.ChoiceField(choices=RatingChannel.choices)
    deputy = RefSerializer()
    entered_by = UserRefSerializer(
        allow_null=True,
        help_text="The deputy's own account online; the staff member who entered an "
        "on-site rating; null for ratings given before this was kept.",
    )
    meeting = serializers.IntegerField(
        source="meeting_id", allow_null=True, help_text="The evaluation meeting."
    )
    form_scan = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def to_representation(self, evaluation):
        data = super().to_representation(evaluation)
        data["attitude"] = evaluation.attitude or None
        return data

    @extend_schema_field(
        {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "readOnly": True,
            "description": "The download of the signed 征询意见表 of an on-site "
            "rating, for those who take part in the suggestion; else null.",
        }
    )
    def get_form_scan(self, evaluation) -> str | None:
        if not evaluation.form_scan or not self.context.get("show_form_scan", True):
            return None
        url = reverse("api:evaluation-form-scan", args=[evaluation.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


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


class LeadingLeaderSerializer(serializers.Serializer):
    name = serializers.CharField()
    post = serializers.CharField()


class SupervisionActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SupervisionKind.choices)
    held_on = serializers.DateField()
    place = serializers.CharField()
    participants = serializers.CharField()
    notes = serializers.CharField()
    recorded_by = UserRefSerializer()


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
    evaluations = serializers.SerializerMethodField()
    events = EventSerializer(many=True)
    original = serializers.SerializerMethodField()
    original_name = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    supervising_leader = UserRefSerializer(allow_null=True)
    leading_leader = serializers.SerializerMethodField()
    supervision_activities = serializers.SerializerMethodField()

    @extend_schema_field(LeadingLeaderSerializer(allow_null=True))
    def get_leading_leader(self, suggestion):
        """The government leader who leads a key suggestion's handling (领办领导)."""
        leader = getattr(suggestion, "handling_leader", None)
        if leader is None or not suggestion.key_supervised:
            return None
        return LeadingLeaderSerializer(leader).data

    @extend_schema_field(SupervisionActivitySerializer(many=True))
    def get_supervision_activities(self, suggestion):
        # Read only for a key suggestion: the others have none, and cost no query.
        if not suggestion.key_supervised:
            return []
        rows = suggestion.supervision_activities.select_related("recorded_by")
        return SupervisionActivitySerializer(rows, many=True).data

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

    @extend_schema_field(EvaluationSerializer(many=True))
    def get_evaluations(self, suggestion):
        # The scan of a signed form carries the deputy's signature: only for those
        # who take part in the suggestion (``selectors.form_scan_of``).
        show = rules.takes_part(_caller(self), suggestion)
        return EvaluationSerializer(
            suggestion.evaluations.all(),
            many=True,
            context={**self.context, "show_form_scan": show},
        ).data

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


class LeadersInputSerializer(serializers.Serializer):
    leading_leader_name = serializers.CharField(
        max_length=50,
        allow_blank=True,
        help_text="The government leader who leads the handling (领办领导); empty "
        "removes it.",
    )
    leading_leader_post = serializers.CharField(
        max_length=100, allow_blank=True, required=False, default=""
    )
    supervising_leader = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The standing-committee leader who supervises it (领衔督办): an "
        "account with the leader role in the suggestion's body; null for none.",
    )


class SupervisionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=SupervisionKind.choices,
        help_text="visit: 调研视察; forum: 座谈会; on_site: 现场督办.",
    )
    held_on = serializers.DateField(help_text="Not after today.")
    place = serializers.CharField(max_length=200)
    participants = serializers.CharField(
        max_length=2_000, allow_blank=True, required=False, default=""
    )
    notes = serializers.CharField(
        max_length=10_000, allow_blank=True, required=False, default=""
    )


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
    """The deputy's two ratings; ``rating``, the result's former name, is still
    accepted as the result (an attitude is then optional)."""

    attitude = serializers.ChoiceField(
        choices=Rating.choices,
        required=False,
        help_text="The handling attitude (办理态度); required with `result`.",
    )
    result = serializers.ChoiceField(
        choices=Rating.choices, required=False, help_text="The result (办理结果)."
    )
    rating = serializers.ChoiceField(
        choices=Rating.choices,
        required=False,
        help_text="Deprecated: the result, as before the attitude was asked.",
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5_000, default=""
    )

    def validate(self, attrs):
        if "result" not in attrs and "rating" not in attrs:
            raise serializers.ValidationError(
                {"result": [serializers.Field.default_error_messages["required"]]}
            )
        if "result" in attrs and "attitude" not in attrs:
            raise serializers.ValidationError(
                {"attitude": [serializers.Field.default_error_messages["required"]]}
            )
        return attrs


# --- on-site evaluation (现场测评) -------------------------------------------------------


class EvaluationMeetingInputSerializer(serializers.Serializer):
    session = IdField()
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    deputies = IdListField(allow_empty=False, help_text="The deputies present.")
    units = IdListField(required=False, default=list, help_text="The units reporting.")


class EvaluationMeetingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = RefSerializer()
    held_on = serializers.DateField()
    place = serializers.CharField()
    deputies = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()
    ratings = serializers.IntegerField(source="n_ratings")
    created_by = UserRefSerializer()
    created_at = serializers.DateTimeField()

    @extend_schema_field(IdListField())
    def get_deputies(self, meeting) -> list[int]:
        return sorted(d.pk for d in meeting.deputies.all())

    @extend_schema_field(IdListField())
    def get_units(self, meeting) -> list[int]:
        return sorted(u.pk for u in meeting.units.all())


class MeetingEvaluationSerializer(EvaluationSerializer):
    """A rating entered at the meeting, with its suggestion."""

    suggestion = SuggestionRefSerializer()


class EvaluationMeetingDetailSerializer(EvaluationMeetingOutputSerializer):
    """A meeting with the ratings entered from it."""

    evaluations = MeetingEvaluationSerializer(many=True)


class OnSiteRatingInputSerializer(serializers.Serializer):
    suggestion = IdField()
    deputy = IdField()
    attitude = serializers.ChoiceField(choices=Rating.choices)
    result = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5_000, default=""
    )
    form_scan = serializers.FileField(
        max_length=200,
        help_text="The scan of the signed 征询意见表 (PDF, JPEG or PNG).",
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
    plan = serializers.SerializerMethodField(
        help_text="The lead unit's 五定 plan with its milestones and progress; null "
        "until filed."
    )
    plan_due_on = serializers.SerializerMethodField(
        help_text="Lead assignment, acknowledged: the last day to file the plan on "
        "time (null otherwise)."
    )
    missing_contact_stages = serializers.SerializerMethodField()

    @extend_schema_field(HandlingPlanSerializer(allow_null=True))
    def get_plan(self, assignment):
        plan = plans.plan_of(assignment)
        return HandlingPlanSerializer(plan).data if plan is not None else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_plan_due_on(self, assignment) -> str | None:
        plan = plans.plan_of(assignment)
        if plan is not None:
            return plan.due_on.isoformat()
        if not assignment.is_lead or not assignment.is_live:
            return None
        due = plans.plan_due_on(assignment, deadlines.rules_of(assignment.suggestion))
        return due.date.isoformat() if due is not None else None

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=ContactStage.choices),
            help_text="The meetings with the deputy the congress's rules require "
            "before the lead unit's reply that have no contact record yet; a "
            "reply is refused (409) while any is missing.",
        )
    )
    def get_missing_contact_stages(self, assignment) -> list[str]:
        return actions.missing_contact_stages(assignment)

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
    stage = serializers.ChoiceField(
        choices=ContactStage.choices,
        required=False,
        default=ContactStage.BEFORE_REPLY,
        help_text="Which of the three meetings (三见面) it was; clients of the "
        "first version that send none record the contact before replying.",
    )
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


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class PlanInputSerializer(serializers.Serializer):
    responsible_leader = serializers.CharField(max_length=100)
    officer = serializers.CharField(max_length=50)
    officer_phone = serializers.CharField(
        max_length=30, help_text="A telephone number, such as 0994-2345678."
    )
    measures = serializers.CharField(max_length=20_000)
    milestones = MilestoneInputSerializer(many=True, allow_empty=False, max_length=20)
    complete_by = serializers.DateField(
        help_text="No later than the assignment's deadline."
    )
    late_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5_000,
        default="",
        help_text="Required when the plan is first filed after its due day.",
    )


class ProgressInputSerializer(serializers.Serializer):
    milestone = IdField(
        required=False, allow_null=True, help_text="One of the plan's milestones."
    )
    note = serializers.CharField(max_length=10_000)


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

"""The dashboard API's query and answer shapes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.api.fields import IdField, RefSerializer
from congress.models import CongressBody

from ..assessment import clean_weights
from ..models import AssessmentFormula

# --- dashboard ------------------------------------------------------------------------


class DashboardQuerySerializer(serializers.Serializer):
    """A body (default: the session's, else the caller's first) and a session
    (default: the body's current one), or a date range of submission."""

    body = IdField(required=False)
    session = IdField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        has_from, has_to = "date_from" in attrs, "date_to" in attrs
        if has_from != has_to:
            missing = "date_to" if has_from else "date_from"
            raise serializers.ValidationError(
                {missing: [_("Give both dates of the range.")]}
            )
        if has_from and "session" in attrs:
            raise serializers.ValidationError(
                {"session": [_("Give a session or a date range, not both.")]}
            )
        if has_from and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError(
                {"date_to": [_("The end of the range is before its start.")]}
            )
        if has_from and (attrs["date_to"] - attrs["date_from"]).days > 3660:
            raise serializers.ValidationError(
                {"date_to": [_("A range of at most ten years.")]}
            )
        return attrs


class TrendQuerySerializer(serializers.Serializer):
    body = IdField(required=False)
    session = IdField(required=False)


class _Count(serializers.Serializer):
    count = serializers.IntegerField()
    share = serializers.FloatField(
        allow_null=True,
        help_text="Percent of the breakdown's whole, one decimal; a breakdown's "
        "shares add up to 100.0 (largest remainder). null when the whole is 0.",
    )


class CategoryCountSerializer(_Count):
    category = serializers.CharField()
    id = serializers.IntegerField()


class GroupCountSerializer(_Count):
    group = serializers.CharField()


class KindCountSerializer(_Count):
    kind = serializers.CharField()


class UnitRefSerializer(RefSerializer):
    kind = serializers.CharField(read_only=True)


class UnitCountSerializer(_Count):
    unit = UnitRefSerializer()


class DelegationCountSerializer(_Count):
    delegation = RefSerializer()


class OutcomesSerializer(serializers.Serializer):
    resolved = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    explained = serializers.IntegerField()
    reference = serializers.IntegerField()


class RatingsSerializer(serializers.Serializer):
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()


class RatingsByChannelSerializer(serializers.Serializer):
    """How the latest ratings were given: online by the deputy, or on site at an
    evaluation meeting (现场测评, entered by staff)."""

    online = serializers.IntegerField()
    on_site = serializers.IntegerField()


def _share():
    return serializers.FloatField(allow_null=True)


class OutcomeSharesSerializer(serializers.Serializer):
    """Each class's percent of the replied, one decimal, adding up to 100.0 (null
    when nothing is replied)."""

    resolved = _share()
    in_progress = _share()
    explained = _share()
    reference = _share()


class RatingSharesSerializer(serializers.Serializer):
    """Each rating's percent of the rated, one decimal, adding up to 100.0 (null
    when nothing is rated)."""

    satisfied = _share()
    basically_satisfied = _share()
    dissatisfied = _share()


def _rate():
    return serializers.FloatField(allow_null=True)


class UnitLeagueSerializer(serializers.Serializer):
    """One row of the unit league table (承办单位办理情况)."""

    unit = UnitRefSerializer()
    assigned = serializers.IntegerField(help_text="Suggestions it leads.")
    acknowledged_late = serializers.IntegerField(
        help_text="First assignments acknowledged after the reassignment window, "
        "or not acknowledged with the window past."
    )
    replied = serializers.IntegerField()
    on_time = serializers.IntegerField()
    resolved = serializers.IntegerField()
    completion_rate = _rate()
    evaluated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfaction_rate = _rate()
    rehandled = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Overdue now (counted live).")


class ContactStagesSerializer(serializers.Serializer):
    before = serializers.IntegerField(allow_null=True)
    during = serializers.IntegerField(allow_null=True)
    before_reply = serializers.IntegerField(allow_null=True)


class ContactStageRatesSerializer(serializers.Serializer):
    before = _rate()
    during = _rate()
    before_reply = _rate()


class SupervisionCountsSerializer(serializers.Serializer):
    visit = serializers.IntegerField(allow_null=True, help_text="调研视察")
    forum = serializers.IntegerField(allow_null=True, help_text="座谈会")
    on_site = serializers.IntegerField(allow_null=True, help_text="现场督办")


class DashboardOutputSerializer(serializers.Serializer):
    """``statistics.session_statistics`` (docs/statistics.md). Rates are percentages with
    one decimal, ``null`` where the denominator is 0."""

    session = serializers.IntegerField(allow_null=True)
    date_from = serializers.DateField(required=False, help_text="Date-range mode only.")
    date_to = serializers.DateField(required=False, help_text="Date-range mode only.")
    as_of = serializers.DateTimeField(
        allow_null=True, help_text="When the figures were computed."
    )
    stale = serializers.BooleanField(
        help_text="True when changes made since ``as_of`` are not counted yet "
        "(a large session being recomputed in the background)."
    )
    deputies = serializers.IntegerField()
    deputies_with_suggestions = serializers.IntegerField()
    suggestions = serializers.IntegerField()
    previous_session = serializers.IntegerField(allow_null=True)
    previous_session_suggestions = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(allow_null=True)
    by_category = CategoryCountSerializer(many=True)
    by_handler_group = GroupCountSerializer(many=True)
    by_unit_kind = KindCountSerializer(many=True)
    by_unit = UnitCountSerializer(many=True)
    by_delegation = DelegationCountSerializer(many=True)
    outcomes = OutcomesSerializer()
    outcome_shares = OutcomeSharesSerializer()
    completion_rate = _rate()
    resolved_or_planned_rate = _rate()
    ratings = RatingsSerializer(
        help_text="The deputies' ratings of the result (办理结果), the latest of each."
    )
    rating_shares = RatingSharesSerializer()
    attitude_ratings = RatingsSerializer(
        help_text="Their ratings of the handling attitude (办理态度); ratings given "
        "before the attitude was asked count in neither."
    )
    attitude_satisfaction_rate = _rate()
    ratings_by_channel = RatingsByChannelSerializer()
    evaluated = serializers.IntegerField()
    satisfaction_rate = _rate()
    first_round_satisfaction_rate = _rate()
    assigned = serializers.IntegerField()
    replied = serializers.IntegerField()
    reply_rate = _rate()
    first_replies = serializers.IntegerField(
        help_text="First-round replies of the lead units: the on-time rate's "
        "denominator."
    )
    on_time = serializers.IntegerField()
    on_time_rate = _rate()
    contact_rate = _rate()
    lead_assignments = serializers.IntegerField(
        allow_null=True,
        help_text="First-round lead assignments: the denominator of the rates per "
        "contact stage.",
    )
    contacts_by_stage = ContactStagesSerializer(
        help_text="The three meetings (三见面): lead assignments with at least one "
        "contact of each stage."
    )
    contact_stage_rates = ContactStageRatesSerializer(
        help_text="The same as shares of ``lead_assignments``."
    )
    key_with_leading_leader = serializers.IntegerField(
        allow_null=True,
        help_text="Key suggestions whose handling a government leader leads (领办).",
    )
    supervision_activities = SupervisionCountsSerializer(
        help_text="Leaders' supervision activities on the key suggestions, by kind."
    )
    acknowledged_late = serializers.IntegerField()
    acknowledged = serializers.IntegerField(
        help_text="First-round lead assignments acknowledged: the plan rate's "
        "denominator."
    )
    plans_on_time = serializers.IntegerField(
        help_text="Of them, those whose 五定 plan was filed by its due day."
    )
    plan_on_time_rate = _rate()
    drafts = serializers.IntegerField()
    submitted = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    rejected = serializers.IntegerField()
    merged = serializers.IntegerField()
    rehandled = serializers.IntegerField()
    escalated = serializers.IntegerField()
    extensions = serializers.IntegerField()
    open_promises = serializers.IntegerField()
    overdue = serializers.IntegerField()
    key_supervised = serializers.IntegerField()
    key_supervised_replied = serializers.IntegerField()
    key_supervised_closed = serializers.IntegerField()
    units = UnitLeagueSerializer(many=True)


class TrendSessionSerializer(RefSerializer):
    short_name = serializers.CharField(
        read_only=True, help_text="昌吉州十六届人大二次会议."
    )
    label = serializers.CharField(
        read_only=True, help_text="Short, for a chart's axis: 2023年."
    )


class TrendRowSerializer(serializers.Serializer):
    session = TrendSessionSerializer()
    year = serializers.IntegerField()
    suggestions = serializers.IntegerField()
    deputies_with_suggestions = serializers.IntegerField()
    completion_rate = _rate()
    satisfaction_rate = _rate()
    on_time_rate = _rate()
    key_supervised = serializers.IntegerField()
    as_of = serializers.DateTimeField()
    stale = serializers.BooleanField()


# --- the roll-up ----------------------------------------------------------------------


class RollupQuerySerializer(serializers.Serializer):
    body = IdField(required=False)
    year = serializers.IntegerField(required=False, min_value=1950, max_value=2999)


class RollupBodySerializer(RefSerializer):
    short_name = serializers.CharField(read_only=True)


class RollupSessionSerializer(TrendSessionSerializer):
    pass


class RollupTrendSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    label = serializers.CharField(help_text="2023年.")
    session = serializers.IntegerField()
    suggestions = serializers.IntegerField()
    completion_rate = _rate()
    satisfaction_rate = _rate()
    on_time_rate = _rate()


class RollupFiguresSerializer(serializers.Serializer):
    """A body's headline figures (its dashboard's), or their total: each rate with
    the counts it is made of."""

    suggestions = serializers.IntegerField()
    resolved = serializers.IntegerField()
    completion_rate = _rate()
    evaluated = serializers.IntegerField()
    satisfied = serializers.IntegerField(help_text="Satisfied or basically.")
    satisfaction_rate = _rate()
    first_replies = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = _rate()
    overdue = serializers.IntegerField()
    key_supervised = serializers.IntegerField()
    deputies_with_suggestions = serializers.IntegerField()


class RollupRowSerializer(RollupFiguresSerializer):
    body = RollupBodySerializer()
    session = RollupSessionSerializer(
        allow_null=True, help_text="null: no session that year (all counts 0)."
    )
    trend = RollupTrendSerializer(
        many=True, help_text="The body's sessions up to the year, at most five."
    )


class RollupTotalSerializer(RollupFiguresSerializer):
    """The children's counts summed; each rate made again from the summed counts
    (weighted, not a mean of the rates). The parent's own figures are not in it."""

    bodies = serializers.IntegerField(help_text="Bodies below.")
    sessions = serializers.IntegerField(help_text="Of them, with a session that year.")


class RollupSerializer(serializers.Serializer):
    body = RollupBodySerializer()
    year = serializers.IntegerField()
    own = RollupRowSerializer(help_text="The body's own figures.")
    total = RollupTotalSerializer()
    children = RollupRowSerializer(many=True)


# --- unit assessment ------------------------------------------------------------------


class AssessmentQuerySerializer(serializers.Serializer):
    body = IdField(required=False)
    session = IdField(required=False)


class AssessmentItemSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The scoring rule's key.")
    label = serializers.CharField(help_text="The rule's name, translated.")
    points = serializers.FloatField(help_text="Negative for a deduction.")
    suggestion = serializers.IntegerField(help_text="The suggestion's id.")
    number = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    explanation = serializers.CharField()


class AssessmentUnitSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    rank = serializers.IntegerField(help_text="1 for the highest score; ties share.")
    score = serializers.FloatField(help_text="The sum of the items' points.")
    items = AssessmentItemSerializer(many=True)


class AssessmentFormulaSerializer(serializers.ModelSerializer):
    """A version of a body's formula. ``weights`` maps rule keys to points per item
    (0 to 100, at most two decimals; a deduction rule subtracts them); rules left
    out get their default points."""

    weights = serializers.JSONField(
        required=False,
        help_text="{rule key: points}; see GET /assessment-formulas/rules/.",
    )

    class Meta:
        model = AssessmentFormula
        fields = ["id", "body", "effective_from", "weights", "note", "created_at"]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        field = self.fields["body"]
        if self.instance is not None and not isinstance(self.instance, list):
            field.read_only = True
        elif request is not None:
            user = request.user
            # The schema generator asks with an anonymous user: no body.
            bodies = getattr(user, "staff_body_ids", ())
            field.queryset = (
                CongressBody.objects.all()
                if user.is_superuser
                else CongressBody.objects.filter(pk__in=bodies)
            )

    def validate_weights(self, value):
        try:
            clean_weights(value)
        except ValueError as error:
            raise serializers.ValidationError(error.args[0]) from None
        return value


class AssessmentRuleSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    default = serializers.FloatField(help_text="Points in the built-in formula.")
    deduction = serializers.BooleanField()

"""Smart intake (docs/api.md, Smart intake): suggestions similar to a draft's text or
to a suggestion, and the recommended handling of a suggestion. The engine
(``suggestions.intake``) decides; these views check who asks, parse the input and
render its answer. Every list holds only what the caller may see."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.fields import (
    ERROR_400,
    ERROR_401,
    ERROR_403,
    ERROR_404,
    IdField,
    RefSerializer,
)
from common.api.permissions import IsCongressStaff
from congress.models import CongressBody, Session
from congress.selectors import bodies_for

from .. import intake, rules
from ..models import Status, Suggestion

# A draft's text is compared by its words; more than a suggestion's worth adds
# nothing but work (the drafting form takes 50,000 characters).
MAX_TEXT = 50_000
SCOPES = ("all", "same_session", "earlier")


# --- input and output -----------------------------------------------------------------


class ScoreField(serializers.FloatField):
    """A score to three decimals: more says nothing to a reader."""

    def to_representation(self, value):
        return round(float(value), 3)


class SimilarTextInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="The draft's text (optional).",
    )
    session = IdField(
        required=False,
        help_text="Only this session's suggestions, and the congress body of it; "
        "without it, the caller's body (required when the caller belongs to "
        "several).",
    )


class SimilarScopeInputSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=SCOPES,
        required=False,
        default="all",
        help_text="`same_session`: likely duplicates at intake; `earlier`: repeats "
        "from earlier sessions of its body; `all` (default) both.",
    )


class SimilarSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="suggestion.pk")
    session = RefSerializer(source="suggestion.session")
    number = serializers.IntegerField(source="suggestion.number", allow_null=True)
    title = serializers.CharField(source="suggestion.title")
    score = ScoreField(help_text="Similarity of the texts, 0 to 1.")
    status = serializers.ChoiceField(source="suggestion.status", choices=Status.choices)


class SimilarListOutputSerializer(serializers.Serializer):
    results = SimilarSerializer(many=True)


class CategoryChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="category.pk")
    name = serializers.CharField(source="category.name")
    score = ScoreField()


class ReasonSerializer(serializers.Serializer):
    """A past similar suggestion behind a unit's place in the ranking."""

    suggestion = serializers.IntegerField(source="suggestion.pk")
    session = serializers.IntegerField(source="suggestion.session_id")
    number = serializers.IntegerField(source="suggestion.number", allow_null=True)
    title = serializers.CharField(source="suggestion.title")
    score = ScoreField(help_text="Its similarity, 0 to 1.")
    rating = serializers.CharField(
        help_text="Its result rating (satisfied, basically_satisfied, "
        "dissatisfied), empty when not rated."
    )
    reassigned_away = serializers.BooleanField(
        help_text="The unit was chosen first and the suggestion was reassigned "
        "away from it (曾改办): it counts against the unit."
    )


class UnitChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit.pk")
    name = serializers.CharField(source="unit.name")
    score = ScoreField(help_text="Its share of the evidence, 0 to 1.")
    because = serializers.SerializerMethodField(
        help_text="The ids of the past similar suggestions behind it."
    )
    duties_match = ScoreField(
        help_text="Similarity of the text to the unit's responsibilities (职责)."
    )
    reasons = ReasonSerializer(many=True, source="because")

    def get_because(self, choice) -> list[int]:
        return [b.suggestion.pk for b in choice.because]


class RecommendationOutputSerializer(serializers.Serializer):
    category = CategoryChoiceSerializer(allow_null=True)
    categories = CategoryChoiceSerializer(many=True)
    lead_units = UnitChoiceSerializer(many=True)
    co_units = UnitChoiceSerializer(many=True)


# --- reads ----------------------------------------------------------------------------


def _named(similar: list, body: CongressBody) -> list:
    """Each result's session named without a query: they are all of ``body``."""
    for item in similar:
        item.suggestion.session.congress.body = body
    return similar


def _sessions_seen(user) -> QuerySet[Session]:
    """The sessions of the congress bodies the caller belongs to (the superuser:
    all)."""
    sessions = Session.objects.select_related("congress__body")
    if user.is_superuser:
        return sessions
    return sessions.filter(congress__body__in=bodies_for(user))


def _body_of(user, session: Session | None) -> CongressBody:
    """The session's body, or the caller's only one; a 400 that says what to give
    otherwise."""
    if session is not None:
        return session.congress.body
    bodies = list(bodies_for(user)[:2])
    if len(bodies) == 1:
        return bodies[0]
    if bodies:
        message = _(
            "You belong to several congress bodies: give the session to compare with."
        )
    else:
        message = _("Give the session to compare with.")
    raise serializers.ValidationError({"session": [message]})


def _visible(user, pk: int) -> Suggestion:
    """The suggestion if the caller may see it: by its key, without the list's
    ordering (which made PostgreSQL walk the session's rows: 29 ms at 100,000)."""
    suggestion = (
        Suggestion.objects.visible_to(user)
        .select_related("session__congress__body")
        .filter(pk=pk)
        .order_by()
        .first()
    )
    if suggestion is None:
        raise Http404
    return suggestion


TEXT_EXAMPLE = OpenApiExample(
    "A draft",
    value={
        "title": "关于加快老旧小区加装电梯的建议",
        "body": "建议简化审批，加大补贴，推进老旧小区加装电梯。",
        "session": 2,
    },
    request_only=True,
)


class SimilarToTextApi(APIView):
    """Suggestions like a draft's title and text, most similar first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["smart intake"],
        operation_id="suggestions_similar_to_text",
        summary="Suggestions similar to a draft's title and text",
        request=SimilarTextInputSerializer,
        responses={
            200: SimilarListOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
        },
        examples=[TEXT_EXAMPLE],
        description="At most 10 suggestions of the congress body (never drafts) "
        "most like the text, only those the caller may see: a deputy drafting "
        "finds what was raised before, and its published reply.",
    )
    def post(self, request):
        data = SimilarTextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = None
        if "session" in values:
            session = _sessions_seen(request.user).filter(pk=values["session"]).first()
            if session is None:
                raise serializers.ValidationError({"session": [_("No such session.")]})
        body = _body_of(request.user, session)
        found = intake.similar_to_text(
            request.user, body, values["title"], values["body"], session=session
        )
        results = _named(found, body)
        return Response(SimilarListOutputSerializer({"results": results}).data)


class SimilarToSuggestionApi(APIView):
    """Suggestions like one the caller may see, itself left out."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["smart intake"],
        operation_id="suggestions_similar",
        summary="Suggestions similar to a suggestion",
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=list(SCOPES),
                description="`same_session`: likely duplicates; `earlier`: repeats "
                "from earlier sessions; `all` (default).",
            )
        ],
        responses={
            200: SimilarListOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            404: ERROR_404,
        },
    )
    def get(self, request, pk: int):
        suggestion = _visible(request.user, pk)
        data = SimilarScopeInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        found = intake.similar_to(
            request.user, suggestion, scope=data.validated_data["scope"]
        )
        results = _named(found, suggestion.session.congress.body)
        return Response(SimilarListOutputSerializer({"results": results}).data)


class RecommendationApi(APIView):
    """The recommended handling: advice for staff, who decide (交办 is theirs)."""

    permission_classes = [IsCongressStaff]

    @extend_schema(
        tags=["smart intake"],
        operation_id="suggestions_recommendation",
        summary="Staff: the recommended category, lead units and co-units",
        responses={
            200: RecommendationOutputSerializer,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
        description="Learned from the body's own past assignments: each unit with "
        "its share of the evidence, the past similar suggestions it handled "
        "(`because`; `reasons` with their ratings and 曾改办), and how well its "
        "responsibilities match. Advice only: nothing is assigned.",
    )
    def get(self, request, pk: int):
        suggestion = _visible(request.user, pk)
        rules.require_staff_on(request.user, suggestion)
        found = intake.recommend(suggestion)
        return Response(
            RecommendationOutputSerializer(
                {
                    "category": found.category,
                    "categories": found.categories,
                    "lead_units": found.lead_units,
                    "co_units": found.co_units,
                }
            ).data
        )

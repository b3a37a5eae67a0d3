"""The suggestions API (docs/api.md): one view per action, each parsing its input with an
input serializer, calling one service and rendering with an output serializer.

Order of refusals: no credentials 401; a role that may never do this 403 (the view's
permission classes); an object outside the caller's scope 404 (the ``*_scope``
functions below, the one place per resource); bad input 400; a state that forbids the
action 409 (the services' ``InvalidTransition``).
"""

import django_filters
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.downloads import download
from common.api.fields import (
    ACTION_ERRORS,
    ERROR_400,
    ERROR_401,
    ERROR_403,
    ERROR_404,
    OBJECT_READ_ERRORS,
    READ_ERRORS,
)
from common.api.parsers import JSONParser
from common.api.permissions import (
    DeputyOrStaffCreates,
    DeputyWrites,
    IsCongressStaff,
    IsDeputy,
    IsStaffLeaderOrUnit,
    IsStaffOrLeader,
    IsStaffOrUnit,
    IsUnitMember,
)
from common.api.renderers import (
    DOCX,
    XLSX,
    DocxRenderer,
    DownloadMixin,
    XlsxRenderer,
)
from common.db import replica_reads
from common.errors import InvalidTransition, NotFound, NotPermitted
from common.filters import YesNoFilter
from congress.api.serializers import SessionSerializer
from congress.models import Deputy, HandlingUnit, Session

from .. import deadlines, reply_letters, selectors, services, unit_summary
from ..exports import file_name, suggestion_workbook
from ..filters import PromiseFilter, SuggestionFilter
from ..letters import CONTENT_TYPES as LETTER_CONTENT_TYPES
from ..letters import (
    ORIGINAL_CONTENT_TYPES,
    download_response,
    form_scan_response,
    original_response,
)
from ..models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    ContactRecord,
    Decision,
    Evaluation,
    EvaluationMeeting,
    Suggestion,
)
from . import serializers as s


def _require_in(queryset: QuerySet, pk) -> None:
    """404 unless ``pk`` is among the rows the caller may reach."""
    if not queryset.filter(pk=pk).exists():
        raise Http404


# --- suggestions ----------------------------------------------------------------------


def suggestion_scope(user) -> QuerySet[Suggestion]:
    """The suggestions the caller may see (``Suggestion.objects.visible_to``)."""
    return selectors.suggestion_list(user=user)


def _suggestion_response(request, pk, *, status_code=status.HTTP_200_OK) -> Response:
    try:
        suggestion = selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    data = s.SuggestionDetailOutputSerializer(
        suggestion, context={"request": request}
    ).data
    return Response(data, status=status_code)


CREATE_EXAMPLE = OpenApiExample(
    "New draft",
    value={
        "session": 2,
        "title": "关于加快老旧小区改造的建议",
        "body": "建议加大财政投入，分批推进老旧小区改造。",
        "category": 1,
        "co_signers": [12, 15],
    },
    request_only=True,
    media_type="multipart/form-data",
)


@extend_schema_field(OpenApiTypes.INT)
class DeputyIdFilter(django_filters.ModelChoiceFilter):
    """A deputy given by id (typed for the schema: the filter uses a method)."""


class ApiSuggestionFilter(SuggestionFilter):
    """The web list's filters, the same for the API."""

    deputy = DeputyIdFilter(
        queryset=Deputy.objects.all(),
        method="filter_deputy",
        label=_("Deputy (lead or co-signer)"),
    )


def _session_named(session_id: int) -> Session:
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise serializers.ValidationError({"session": [_("No such session.")]})
    return session


ENTER_EXAMPLE = OpenApiExample(
    "Entered on behalf (staff)",
    value={
        "session": 2,
        "lead_deputy": 7,
        "co_signers": [12, 15],
        "title": "关于加快老旧小区改造的建议",
        "body": "建议加大财政投入，分批推进老旧小区改造。",
        "category": 1,
    },
    request_only=True,
    media_type="multipart/form-data",
)


def _enters_on_behalf(request) -> bool:
    """Whether a ``POST /suggestions/`` is staff's entry on behalf (代录) rather
    than a deputy's own draft: staff who are no deputy always enter on behalf;
    staff who are also deputies when they name a lead deputy or send a scan."""
    user = request.user
    if not user.is_congress_staff:
        return False
    if not user.is_deputy:
        return True
    return "lead_deputy" in request.data or "original" in request.data


class SuggestionListApi(generics.GenericAPIView):
    """Visible suggestions, filtered and ordered; a deputy drafts a new one, staff
    enter one handed in on paper (代录)."""

    permission_classes = [IsAuthenticated, DeputyOrStaffCreates]
    filterset_class = ApiSuggestionFilter
    # A deputy's draft is JSON; staff's entry on behalf carries the scan.
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_listing(self) -> selectors.SuggestionList:
        """The list before the caller's filters (its rows, scope and count apart)."""
        listing = selectors.suggestion_listing(user=self.request.user)
        return listing.order_by("-created_at", "-pk")

    def get_queryset(self):
        return self.get_listing().queryset

    @extend_schema(
        tags=["suggestions"],
        operation_id="suggestions_list",
        responses={200: s.SuggestionListOutputSerializer(many=True), 401: ERROR_401},
    )
    def get(self, request):
        # The filters applied here rather than by the filter backend: the list
        # keeps its scope and its search apart, to say how it is counted.
        listing = self.get_listing()
        filterset = listing.filters(
            self.filterset_class, request.query_params, request=request
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        listing = listing.filtered_by(filterset)
        page = self.paginator.paginate_queryset(
            listing.queryset, request, view=self, count_plan=listing.count_plan
        )
        data = s.SuggestionListOutputSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        tags=["suggestions"],
        operation_id="suggestions_create",
        # One content type: the one that carries the scan (as the reply's letter).
        request={"multipart/form-data": s.SuggestionCreateInputSerializer},
        responses={201: s.SuggestionDetailOutputSerializer, **ACTION_ERRORS},
        examples=[CREATE_EXAMPLE, ENTER_EXAMPLE],
        description="A deputy drafts a suggestion and leads it (`status` "
        "`draft`); `co_signers` are invitations, listed under `invited` until each "
        "deputy co-signs; a draft may also be sent as JSON. Congress staff enter "
        "a suggestion handed in on paper on behalf of its deputies (代录): "
        "`lead_deputy` and the scan of the signed `original` (PDF, JPEG or PNG "
        "judged by content, at most 20 MB) are required, `co_signers` signed the "
        "paper and count at once; it is `submitted` at once and `entered_by` "
        "names who entered it.",
    )
    def post(self, request):
        data = s.SuggestionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if _enters_on_behalf(request):
            return self._enter_on_behalf(request, values)
        if "lead_deputy" in values or "original" in values:
            raise NotPermitted(
                _("Only congress staff may enter a suggestion on behalf of deputies.")
            )
        suggestion = services.suggestion_create(
            actor=request.user,
            session=_session_named(values["session"]),
            title=values["title"],
            body=values["body"],
            category=values.get("category"),
            co_signers=values.get("co_signers", ()),
        )
        return _suggestion_response(
            request, suggestion.pk, status_code=status.HTTP_201_CREATED
        )

    def _enter_on_behalf(self, request, values):
        suggestion = services.suggestion_enter_on_behalf(
            actor=request.user,
            session=_session_named(values["session"]),
            lead_deputy=values.get("lead_deputy"),
            co_signers=values.get("co_signers", ()),
            title=values["title"],
            body=values["body"],
            category=values.get("category"),
            original=values.get("original"),
        )
        return _suggestion_response(
            request, suggestion.pk, status_code=status.HTTP_201_CREATED
        )


class SuggestionDetailApi(APIView):
    permission_classes = [IsAuthenticated, DeputyWrites]

    @extend_schema(
        tags=["suggestions"],
        operation_id="suggestions_retrieve",
        responses={
            200: s.SuggestionDetailOutputSerializer,
            401: ERROR_401,
            404: ERROR_404,
        },
    )
    def get(self, request, pk: int):
        return _suggestion_response(request, pk)

    @extend_schema(
        tags=["suggestions"],
        operation_id="suggestions_update",
        request=s.SuggestionUpdateInputSerializer,
        responses={200: s.SuggestionDetailOutputSerializer, **ACTION_ERRORS},
        description="Edit a draft (lead deputy only); `co_signers` replaces the "
        "invitations.",
    )
    def patch(self, request, pk: int):
        _require_in(suggestion_scope(request.user), pk)
        data = s.SuggestionUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "session" in values:
            values["session"] = _session_named(values["session"])
        services.suggestion_update(suggestion_id=pk, actor=request.user, **values)
        return _suggestion_response(request, pk)


class SuggestionActionApi(APIView):
    """``POST /suggestions/{id}/<action>/``: scope, input, one service, the updated
    suggestion."""

    input_serializer: type[serializers.Serializer] | None = None

    def perform(self, request, pk: int, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        _require_in(suggestion_scope(request.user), pk)
        data = {}
        if self.input_serializer is not None:
            parsed = self.input_serializer(data=request.data)
            parsed.is_valid(raise_exception=True)
            data = parsed.validated_data
        self.perform(request, pk, data)
        return _suggestion_response(request, pk)


def suggestion_action(name: str, summary: str, input_serializer=None, examples=()):
    """The schema of one suggestion action."""
    return extend_schema_view(
        post=extend_schema(
            tags=["suggestion actions"],
            operation_id=f"suggestions_{name.replace('-', '_')}",
            summary=summary,
            request=input_serializer,
            responses={200: s.SuggestionDetailOutputSerializer, **ACTION_ERRORS},
            examples=list(examples),
        )
    )


@suggestion_action("submit", "Lead deputy: draft → submitted")
class SuggestionSubmitApi(SuggestionActionApi):
    permission_classes = [IsDeputy]

    def perform(self, request, pk, data):
        services.suggestion_submit(suggestion_id=pk, actor=request.user)


@suggestion_action(
    "withdraw", "Lead deputy: draft or submitted → withdrawn", s.WithdrawInputSerializer
)
class SuggestionWithdrawApi(SuggestionActionApi):
    permission_classes = [IsDeputy]
    input_serializer = s.WithdrawInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_withdraw(suggestion_id=pk, actor=request.user, **data)


@suggestion_action("cosign", "Invited deputy: confirm the co-signature")
class SuggestionCosignApi(SuggestionActionApi):
    permission_classes = [IsDeputy]

    def perform(self, request, pk, data):
        services.suggestion_cosign(suggestion_id=pk, actor=request.user)


@suggestion_action(
    "decline",
    "Invited deputy: decline to co-sign (the lead deputy is told)",
    s.DeclineInputSerializer,
)
class SuggestionDeclineApi(SuggestionActionApi):
    permission_classes = [IsDeputy]
    input_serializer = s.DeclineInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_decline_cosign(suggestion_id=pk, actor=request.user, **data)


@suggestion_action(
    "urge",
    "Leaders and staff: remind the units handling a key suggestion (once a day)",
    s.UrgeInputSerializer,
)
class SuggestionUrgeApi(SuggestionActionApi):
    permission_classes = [IsStaffOrLeader]
    input_serializer = s.UrgeInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_urge(suggestion_id=pk, actor=request.user, **data)


@suggestion_action(
    "supervision-opinion",
    "Leaders and staff: a supervision opinion on a key suggestion, to the lead unit",
    s.SupervisionOpinionInputSerializer,
    [
        OpenApiExample(
            "Opinion",
            value={"text": "请加快办理进度，按期答复代表。"},
            request_only=True,
        )
    ],
)
class SuggestionSupervisionOpinionApi(SuggestionActionApi):
    permission_classes = [IsStaffOrLeader]
    input_serializer = s.SupervisionOpinionInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_supervision_opinion(
            suggestion_id=pk, actor=request.user, text=data["text"]
        )


@suggestion_action(
    "leaders",
    "Staff: name the leaders of a key suggestion (领衔办理, 领衔督办)",
    s.LeadersInputSerializer,
    [
        OpenApiExample(
            "Leaders",
            value={
                "leading_leader_name": "王某某",
                "leading_leader_post": "州人民政府副州长",
                "supervising_leader": 7,
            },
            request_only=True,
        )
    ],
)
class SuggestionLeadersApi(SuggestionActionApi):
    permission_classes = [IsCongressStaff]
    input_serializer = s.LeadersInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_set_leaders(suggestion_id=pk, actor=request.user, **data)


@suggestion_action(
    "supervision",
    "Leaders and staff: record a supervision activity on a key suggestion",
    s.SupervisionInputSerializer,
    [
        OpenApiExample(
            "Visit",
            value={
                "kind": "visit",
                "held_on": "2023-06-15",
                "place": "奇台县",
                "participants": "州人大常委会副主任、农业农村委",
                "notes": "实地查看项目进展。",
            },
            request_only=True,
        )
    ],
)
class SuggestionSupervisionApi(SuggestionActionApi):
    permission_classes = [IsStaffOrLeader]
    input_serializer = s.SupervisionInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_record_supervision(
            suggestion_id=pk, actor=request.user, **data
        )


@suggestion_action(
    "register",
    "Staff: submitted → registered (numbered)",
    s.RegisterInputSerializer,
    [OpenApiExample("File it", value={"category": 1}, request_only=True)],
)
class SuggestionRegisterApi(SuggestionActionApi):
    permission_classes = [IsCongressStaff]
    input_serializer = s.RegisterInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_register(
            suggestion_id=pk, actor=request.user, category=data["category"]
        )


@suggestion_action(
    "reject",
    "Staff: submitted → rejected",
    s.RejectInputSerializer,
    [
        OpenApiExample(
            "Not a suggestion",
            value={"reason": "属于个人诉求，不作为建议办理。", "disposition": "letter"},
            request_only=True,
        )
    ],
)
class SuggestionRejectApi(SuggestionActionApi):
    permission_classes = [IsCongressStaff]
    input_serializer = s.RejectInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_reject(suggestion_id=pk, actor=request.user, **data)


@suggestion_action(
    "merge",
    "Staff: submitted or registered → merged into another",
    s.MergeInputSerializer,
    [OpenApiExample("Merge", value={"into": 17}, request_only=True)],
)
class SuggestionMergeApi(SuggestionActionApi):
    permission_classes = [IsCongressStaff]
    input_serializer = s.MergeInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_merge(
            suggestion_id=pk, actor=request.user, into=data["into"]
        )


@suggestion_action(
    "assign",
    "Staff: registered → assigned to a lead unit and co-units",
    s.AssignInputSerializer,
    [
        OpenApiExample(
            "Assign",
            value={
                "lead_unit": 3,
                "co_units": [5],
                "complexity": "normal",
                "key_supervised": False,
            },
            request_only=True,
        )
    ],
)
class SuggestionAssignApi(SuggestionActionApi):
    permission_classes = [IsCongressStaff]
    input_serializer = s.AssignInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_assign(suggestion_id=pk, actor=request.user, **data)


@suggestion_action(
    "evaluate",
    "Lead deputy: rate the handling attitude and the result (replied → closed, "
    "or → rehandling as the congress's rules say)",
    s.EvaluateInputSerializer,
    [
        OpenApiExample(
            "Satisfied",
            value={"attitude": "satisfied", "result": "satisfied"},
            request_only=True,
        ),
        OpenApiExample(
            "Dissatisfied with the result",
            value={
                "attitude": "basically_satisfied",
                "result": "dissatisfied",
                "comment": "问题没有解决。",
            },
            request_only=True,
        ),
    ],
)
class SuggestionEvaluateApi(SuggestionActionApi):
    permission_classes = [IsDeputy]
    input_serializer = s.EvaluateInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_evaluate(suggestion_id=pk, actor=request.user, **data)


@suggestion_action(
    "publish",
    "Staff: make the replies public or withdraw them",
    s.PublishInputSerializer,
    [OpenApiExample("Publish", value={"is_public": True}, request_only=True)],
)
class SuggestionPublishApi(SuggestionActionApi):
    permission_classes = [IsCongressStaff]
    input_serializer = s.PublishInputSerializer

    def perform(self, request, pk, data):
        services.suggestion_publish(suggestion_id=pk, actor=request.user, **data)


class ReplyLetterApi(APIView):
    """Download a reply letter: for whoever may read the reply (``selectors.
    replies_visible_to``: co-unit opinions only for staff, leaders and the units of
    the suggestion), as an attachment the browser must not sniff."""

    @extend_schema(
        tags=["suggestions"],
        operation_id="replies_letter",
        responses={
            # The type of the letter's kind, judged from its content when uploaded.
            (200, *sorted(set(LETTER_CONTENT_TYPES.values()))): OpenApiResponse(
                OpenApiTypes.BINARY, description="The letter, as an attachment."
            ),
            **OBJECT_READ_ERRORS,
        },
    )
    def get(self, request, pk: int):
        reply = (
            selectors.replies_visible_to(request.user)
            .exclude(letter="")
            .filter(pk=pk)
            .first()
        )
        if reply is None:
            raise Http404
        return download_response(reply)


class SuggestionOriginalApi(APIView):
    """Download the scanned original of a suggestion entered on behalf (代录): for
    those who take part in it (``selectors.original_of``), as an attachment the
    browser must not sniff."""

    @extend_schema(
        tags=["suggestions"],
        operation_id="suggestions_original",
        responses={
            (200, *sorted(set(ORIGINAL_CONTENT_TYPES))): OpenApiResponse(
                OpenApiTypes.BINARY, description="The scan, as an attachment."
            ),
            **OBJECT_READ_ERRORS,
        },
    )
    def get(self, request, pk: int):
        try:
            suggestion = selectors.original_of(user=request.user, pk=pk)
        except Suggestion.DoesNotExist:
            raise Http404 from None
        return original_response(suggestion)


# --- on-site evaluation (现场测评) -------------------------------------------------------


class EvaluationMeetingFilter(django_filters.FilterSet):
    # A choice of session (as the assignments' filter): a malformed or huge id is
    # a 400, never the database driver's overflow.
    session = django_filters.ModelChoiceFilter(queryset=Session.objects.all())

    class Meta:
        model = EvaluationMeeting
        fields = []


def _meeting_response(request, pk, *, status_code=status.HTTP_200_OK) -> Response:
    try:
        meeting = selectors.evaluation_meeting_detail(user=request.user, pk=pk)
    except EvaluationMeeting.DoesNotExist:
        raise Http404 from None
    data = s.EvaluationMeetingDetailSerializer(
        meeting, context={"request": request}
    ).data
    return Response(data, status=status_code)


class EvaluationMeetingListApi(generics.GenericAPIView):
    """Staff: the evaluation meetings (现场测评会) of their bodies' sessions, and
    recording one."""

    permission_classes = [IsCongressStaff]
    filterset_class = EvaluationMeetingFilter

    def get_queryset(self):
        return (
            selectors.evaluation_meetings(user=self.request.user)
            .prefetch_related("deputies", "units")
            .select_related("created_by")
        )

    @extend_schema(
        tags=["evaluation meetings"],
        operation_id="evaluation_meetings_list",
        parameters=[OpenApiParameter("session", OpenApiTypes.INT)],
        responses={200: s.EvaluationMeetingOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            s.EvaluationMeetingOutputSerializer(page, many=True).data
        )

    @extend_schema(
        tags=["evaluation meetings"],
        operation_id="evaluation_meetings_create",
        request=s.EvaluationMeetingInputSerializer,
        responses={
            201: s.EvaluationMeetingDetailSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
        },
        examples=[
            OpenApiExample(
                "Meeting",
                value={
                    "session": 2,
                    "held_on": "2023-11-20",
                    "place": "州人大常委会第一会议室",
                    "deputies": [12, 15, 31],
                    "units": [3, 5],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        parsed = s.EvaluationMeetingInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        meeting = services.evaluation_meeting_create(
            actor=request.user, **parsed.validated_data
        )
        return _meeting_response(request, meeting.pk, status_code=201)


class EvaluationMeetingDetailApi(APIView):
    permission_classes = [IsCongressStaff]

    @extend_schema(
        tags=["evaluation meetings"],
        operation_id="evaluation_meetings_retrieve",
        responses={200: s.EvaluationMeetingDetailSerializer, **OBJECT_READ_ERRORS},
    )
    def get(self, request, pk: int):
        return _meeting_response(request, pk)


class EvaluationMeetingRatingApi(APIView):
    """Staff enter a deputy's ratings given on site, from the signed 征询意见表."""

    permission_classes = [IsCongressStaff]
    # JSON parses too, so that a rating without its scan is a 400 naming the field.
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=["evaluation meetings"],
        operation_id="evaluation_meetings_ratings_create",
        request={"multipart/form-data": s.OnSiteRatingInputSerializer},
        responses={201: s.MeetingEvaluationSerializer, **ACTION_ERRORS},
        description="Multipart with `form_scan`, the scan of the signed 征询意见表 (PDF, "
        "JPEG or PNG judged by content, at most 20 MB). Only for the suggestion's "
        "lead deputy, present at the meeting, while the reply may be rated (409 "
        "otherwise); the suggestion closes or goes back for re-handling as after "
        "the deputy's own rating.",
    )
    def post(self, request, pk: int):
        _require_in(selectors.evaluation_meetings(user=request.user), pk)
        parsed = s.OnSiteRatingInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        evaluation = services.evaluation_meeting_rate(
            meeting_id=pk,
            actor=request.user,
            suggestion_id=data["suggestion"],
            deputy_id=data["deputy"],
            attitude=data["attitude"],
            result=data["result"],
            comment=data["comment"],
            form_scan=data["form_scan"],
        )
        evaluation = Evaluation.objects.select_related(
            "suggestion", "deputy", "entered_by"
        ).get(pk=evaluation.pk)
        return Response(
            s.MeetingEvaluationSerializer(
                evaluation, context={"request": request}
            ).data,
            status=201,
        )


class EvaluationFormScanApi(APIView):
    """Download the signed 征询意见表 of an on-site rating: for those who take part
    in the suggestion (``selectors.form_scan_of``), as an attachment the browser
    must not sniff."""

    @extend_schema(
        tags=["suggestions"],
        operation_id="evaluations_form_scan",
        responses={
            (200, *sorted(set(ORIGINAL_CONTENT_TYPES))): OpenApiResponse(
                OpenApiTypes.BINARY, description="The scan, as an attachment."
            ),
            **OBJECT_READ_ERRORS,
        },
    )
    def get(self, request, pk: int):
        try:
            evaluation = selectors.form_scan_of(user=request.user, pk=pk)
        except Evaluation.DoesNotExist:
            raise Http404 from None
        return form_scan_response(evaluation)


# --- assignments ----------------------------------------------------------------------


def assignment_scope(user) -> QuerySet[Assignment]:
    """Staff and leaders reach their bodies' assignments; a unit member its
    unit's (``selectors.assignment_scope``)."""
    return selectors.assignment_scope(user)


def assignment_detail(user, pk) -> Assignment:
    try:
        return (
            assignment_scope(user)
            # The suggestion's rules too: ``allowed_actions`` weighs the windows.
            .select_related(
                f"suggestion__{deadlines.RULES_PATH}", "unit", "reply", "plan"
            )
            .prefetch_related(
                Prefetch("contacts", queryset=ContactRecord.objects.all()),
                # Only read when there is a plan: no query for an assignment without.
                "plan__milestones",
                "plan__reports",
                Prefetch(
                    "adjustment_requests",
                    queryset=AdjustmentRequest.objects.select_related("new_unit"),
                ),
            )
            .get(pk=pk)
        )
    except Assignment.DoesNotExist:
        raise Http404 from None


def _assignment_response(request, pk) -> Response:
    assignment = assignment_detail(request.user, pk)
    return Response(
        s.AssignmentDetailOutputSerializer(
            assignment, context={"request": request}
        ).data
    )


class AssignmentFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=HandlingUnit.objects.all())
    role = django_filters.ChoiceFilter(choices=AssignmentRole.choices)
    session = django_filters.ModelChoiceFilter(
        field_name="suggestion__session", queryset=Session.objects.all()
    )
    acknowledged = YesNoFilter(
        field_name="acknowledged_at", lookup_expr="isnull", exclude=True
    )
    replied = YesNoFilter(field_name="replied_at", lookup_expr="isnull", exclude=True)
    active = YesNoFilter()
    overdue = YesNoFilter(method="filter_overdue")
    due_before = django_filters.DateFilter(field_name="due_at", lookup_expr="lte")

    class Meta:
        model = Assignment
        fields = []

    def filter_overdue(self, queryset, name, value):
        """Live work past its due date (``Assignment.objects.overdue``), or all
        the rest."""
        if value is None:
            return queryset
        overdue = Assignment.objects.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class AssignmentListApi(generics.GenericAPIView):
    permission_classes = [IsStaffLeaderOrUnit]
    filterset_class = AssignmentFilter

    def get_queryset(self):
        return (
            assignment_scope(self.request.user)
            .select_related("suggestion", "unit")
            .order_by("due_at", "pk")
        )

    @extend_schema(
        tags=["assignments"],
        operation_id="assignments_list",
        responses={200: s.AssignmentListOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            s.AssignmentListOutputSerializer(page, many=True).data
        )


class AssignmentDetailApi(APIView):
    permission_classes = [IsStaffLeaderOrUnit]

    @extend_schema(
        tags=["assignments"],
        operation_id="assignments_retrieve",
        responses={200: s.AssignmentDetailOutputSerializer, **OBJECT_READ_ERRORS},
    )
    def get(self, request, pk: int):
        return _assignment_response(request, pk)


class AssignmentActionApi(APIView):
    """``POST /assignments/{id}/<action>/`` by a member of the assignment's unit;
    answers the updated assignment."""

    permission_classes = [IsUnitMember]
    input_serializer: type[serializers.Serializer] | None = None

    def parse(self, request) -> dict:
        if self.input_serializer is None:
            return {}
        parsed = self.input_serializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        return parsed.validated_data

    def perform(self, request, pk: int, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        _require_in(assignment_scope(request.user), pk)
        self.perform(request, pk, self.parse(request))
        return _assignment_response(request, pk)


def assignment_action(name, summary, request=None, examples=(), description=""):
    return extend_schema_view(
        post=extend_schema(
            tags=["assignment actions"],
            operation_id=f"assignments_{name.replace('-', '_')}",
            summary=summary,
            description=description,
            request=request,
            responses={200: s.AssignmentDetailOutputSerializer, **ACTION_ERRORS},
            examples=list(examples),
        )
    )


@assignment_action("acknowledge", "The unit signs for the assignment")
class AssignmentAcknowledgeApi(AssignmentActionApi):
    def perform(self, request, pk, data):
        services.assignment_acknowledge(assignment_id=pk, actor=request.user)


@assignment_action(
    "request-reassignment",
    "Ask staff to give the assignment to another unit",
    s.ReasonInputSerializer,
    description="Within the reassignment window (10 working days by default); the "
    "pending request appears under `adjustment_requests`.",
)
class AssignmentRequestReassignmentApi(AssignmentActionApi):
    input_serializer = s.ReasonInputSerializer

    def perform(self, request, pk, data):
        services.assignment_request_reassignment(
            assignment_id=pk, actor=request.user, **data
        )


@assignment_action(
    "request-extension",
    "Lead unit: ask for a later deadline",
    s.ExtensionInputSerializer,
    [
        OpenApiExample(
            "Extension",
            value={"reason": "涉及多个部门协调。", "until": "2026-09-01"},
            request_only=True,
        )
    ],
)
class AssignmentRequestExtensionApi(AssignmentActionApi):
    input_serializer = s.ExtensionInputSerializer

    def perform(self, request, pk, data):
        services.assignment_request_extension(
            assignment_id=pk, actor=request.user, **data
        )


@assignment_action(
    "contact",
    "Record a contact with the deputy",
    s.ContactInputSerializer,
    [
        OpenApiExample(
            "Phone call",
            value={
                "method": "phone",
                "contacted_at": "2026-03-12T10:00:00+08:00",
                "note": "电话沟通，代表同意办理思路。",
            },
            request_only=True,
        )
    ],
)
class AssignmentContactApi(AssignmentActionApi):
    input_serializer = s.ContactInputSerializer

    def perform(self, request, pk, data):
        services.assignment_record_contact(assignment_id=pk, actor=request.user, **data)


@assignment_action(
    "plan",
    "Lead unit: file or revise the 五定 plan",
    s.PlanInputSerializer,
    [
        OpenApiExample(
            "Plan",
            value={
                "responsible_leader": "王副局长",
                "officer": "李明",
                "officer_phone": "0994-2345678",
                "measures": "实地调研，会同财政部门制定改造方案。",
                "milestones": [
                    {"title": "完成实地调研", "due_on": "2026-04-15"},
                    {"title": "制定改造方案", "due_on": "2026-05-20"},
                ],
                "complete_by": "2026-06-10",
            },
            request_only=True,
        )
    ],
    description="Within the working days the congress's rules allow after "
    "acknowledging (10 by default); later, `late_reason` is required and the plan "
    "is marked late. `complete_by` no later than the deadline; each milestone "
    "between the acknowledgement and `complete_by`. Posting again revises the plan.",
)
class AssignmentPlanApi(AssignmentActionApi):
    input_serializer = s.PlanInputSerializer

    def perform(self, request, pk, data):
        services.assignment_file_plan(
            assignment_id=pk,
            actor=request.user,
            responsible_leader=data["responsible_leader"],
            officer=data["officer"],
            officer_phone=data["officer_phone"],
            measures=data["measures"],
            milestones=[dict(m) for m in data["milestones"]],
            complete_by=data["complete_by"],
            late_reason=data.get("late_reason", ""),
        )


@assignment_action(
    "progress",
    "Lead unit: report progress on the plan",
    s.ProgressInputSerializer,
    [
        OpenApiExample(
            "Milestone reached",
            value={"milestone": 12, "note": "已完成实地调研。"},
            request_only=True,
        )
    ],
    description="Against one of the plan's milestones (which ends its reminders) "
    "or, without `milestone`, in general.",
)
class AssignmentProgressApi(AssignmentActionApi):
    input_serializer = s.ProgressInputSerializer

    def perform(self, request, pk, data):
        services.assignment_report_progress(
            assignment_id=pk,
            actor=request.user,
            milestone=data.get("milestone"),
            note=data["note"],
        )


@assignment_action(
    "reply",
    "Send the reply (lead unit) or the opinion (co-unit)",
    # One content type: the one that carries the letter. Client generators cope
    # badly with a body declared under several (openapi-python-client writes code
    # that does not import).
    {"multipart/form-data": s.ReplyInputSerializer},
    [
        OpenApiExample(
            "Resolved",
            value={"outcome": "resolved", "body": "经研究，问题已基本解决。"},
            request_only=True,
            media_type="multipart/form-data",
        )
    ],
    description="Multipart with an optional `letter` (PDF, Word, JPEG or PNG judged "
    "by content, at most 20 MB); a reply without a letter may also be sent as JSON. "
    "A lead reply moves the suggestion to `replied`; a co-unit's reply is an opinion "
    "to the lead unit.",
)
class AssignmentReplyApi(AssignmentActionApi):
    # The one endpoint that takes a file; JSON and plain forms still work without one.
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    input_serializer = s.ReplyInputSerializer

    def perform(self, request, pk, data):
        services.assignment_reply(
            assignment_id=pk,
            actor=request.user,
            outcome=data["outcome"],
            body=data["body"],
            letter=data.get("letter"),
            signed_by=data.get("signed_by", ""),
            contact_person=data.get("contact_person", ""),
            contact_phone=data.get("contact_phone", ""),
            co_opinion_note=data.get("co_opinion_note", ""),
            promises=data.get("promises") or (),
        )


class _LetterReaders(BasePermission):
    message = _("Only handling units and congress staff may download reply letters.")

    def has_permission(self, request, view):
        user = request.user
        if request.method == "POST":
            return IsUnitMember().has_permission(request, view)
        return bool(
            user.is_authenticated and (user.is_congress_staff or user.is_unit_member)
        )


class AssignmentReplyLetterApi(DownloadMixin, APIView):
    """The 答复函 (a co-unit's: 协办意见) in 公文 form (``suggestions.reply_letters``).
    ``GET``: of the reply the unit has sent, for the unit's members and the staff of
    the suggestion's body. ``POST``: the draft of the reply about to be sent, from
    the reply's fields checked as the send checks them, for the unit's members;
    nothing is saved."""

    permission_classes = [_LetterReaders]
    renderer_classes = [JSONRenderer, DocxRenderer]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def _assignment(self, request, pk) -> Assignment:
        try:
            assignment = (
                assignment_scope(request.user)
                .select_related(
                    "suggestion__session__congress",
                    "suggestion__lead_deputy",
                    "suggestion__lead_unit",
                    "unit",
                    "reply",
                )
                .get(pk=pk)
            )
        except Assignment.DoesNotExist:
            raise Http404 from None
        if not reply_letters.may_read_letter(request.user, assignment):
            raise Http404
        return assignment

    @extend_schema(
        tags=["assignments"],
        operation_id="assignments_reply_letter",
        summary="The 答复函 of the reply sent (404 while none is)",
        responses={
            (200, DOCX): OpenApiResponse(
                OpenApiTypes.BINARY, description="The letter, as an attachment."
            ),
            **OBJECT_READ_ERRORS,
        },
    )
    def get(self, request, pk: int) -> HttpResponse:
        assignment = self._assignment(request, pk)
        reply = getattr(assignment, "reply", None)
        if reply is None:
            raise Http404
        return download(
            request,
            reply_letters.docx_bytes(reply),
            reply_letters.letter_file_name(reply),
            DOCX,
        )

    @extend_schema(
        tags=["assignment actions"],
        operation_id="assignments_reply_letter_draft",
        summary="The draft 答复函 of a reply about to be sent; saves nothing",
        # One content type declared (the schema's rule); forms and multipart (the
        # reply's own payload, a letter included) are taken too.
        request={"application/json": s.ReplyLetterDraftInputSerializer},
        responses={
            (200, DOCX): OpenApiResponse(
                OpenApiTypes.BINARY, description="The draft, as an attachment."
            ),
            **ACTION_ERRORS,
        },
    )
    def post(self, request, pk: int) -> HttpResponse:
        assignment = self._assignment(request, pk)
        parsed = s.ReplyLetterDraftInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        reply = services.reply_letter_draft(
            assignment_id=assignment.pk, actor=request.user, **parsed.validated_data
        )
        return download(
            request,
            reply_letters.docx_bytes(reply),
            reply_letters.letter_file_name(reply, draft=True),
            DOCX,
        )


class UnitSummaryApi(DownloadMixin, APIView):
    """A unit's 办理情况汇总表 of a session (``suggestions.unit_summary``): one row
    per suggestion it handled, as lead or co-unit, and a sheet of totals. For the
    unit's members and the staff and leaders of its body; another unit or body
    404."""

    permission_classes = [IsStaffLeaderOrUnit]
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        tags=["assignments"],
        operation_id="units_summary",
        summary="The unit's 办理情况汇总表 of a session (Excel)",
        parameters=[
            OpenApiParameter(
                "session",
                OpenApiTypes.INT,
                description="A session of the unit's body (default: its current one).",
            )
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY, **OBJECT_READ_ERRORS},
    )
    @replica_reads
    def get(self, request, pk: int) -> HttpResponse:
        try:
            content, name = unit_summary.download_parts(
                request.user, pk, request.query_params.get("session")
            )
        except NotFound:
            raise Http404 from None
        return download(request, content, name, XLSX)


@assignment_action(
    "fulfil",
    "Report that a promise (a lead reply classed in_progress) has been kept",
    s.FulfilInputSerializer,
)
class AssignmentFulfilApi(AssignmentActionApi):
    input_serializer = s.FulfilInputSerializer

    def perform(self, request, pk, data):
        reply_id = (
            Assignment.objects.filter(pk=pk).values_list("reply", flat=True).first()
        )
        if reply_id is None:
            raise InvalidTransition(_("This assignment has no reply yet."))
        services.reply_fulfil(reply_id=reply_id, actor=request.user, **data)


# --- the promise ledger ---------------------------------------------------------------


def promise_scope(user) -> QuerySet:
    """The promises the caller may read (``selectors.promise_scope``): those of the
    suggestions the caller takes part in; any other 404."""
    return selectors.promise_ledger(user=user)


def _promise_response(request, pk) -> Response:
    row = promise_scope(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return Response(s.PromiseOutputSerializer(row).data)


class PromiseListApi(generics.GenericAPIView):
    """The promise ledger: the promises of class-B replies the caller may read, by
    due date."""

    permission_classes = [IsAuthenticated]
    filterset_class = PromiseFilter

    def get_queryset(self):
        return promise_scope(self.request.user)

    @extend_schema(
        tags=["promises"],
        operation_id="promises_list",
        responses={200: s.PromiseOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            s.PromiseOutputSerializer(page, many=True).data
        )


class PromiseDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["promises"],
        operation_id="promises_retrieve",
        responses={200: s.PromiseOutputSerializer, **OBJECT_READ_ERRORS},
    )
    def get(self, request, pk: int):
        return _promise_response(request, pk)


class PromiseReportApi(APIView):
    """``POST /promises/{id}/report/``: the lead unit reports how the promise ended;
    on a promise already reported, staff of its body correct the report (the unit
    gets 403). Answers the promise."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["promises"],
        operation_id="promises_report",
        summary="Report how a promise ended (the lead unit; staff correct)",
        request=s.PromiseReportInputSerializer,
        responses={200: s.PromiseOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request, pk: int):
        _require_in(promise_scope(request.user), pk)
        parsed = s.PromiseReportInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        services.promise_report(
            promise_id=pk,
            actor=request.user,
            state=data["kept"],
            note=data["note"],
            reported_on=data.get("reported_on"),
        )
        return _promise_response(request, pk)


# --- adjustment requests --------------------------------------------------------------


def adjustment_request_scope(user) -> QuerySet[AdjustmentRequest]:
    """Staff reach every request; a unit member its unit's."""
    if not user.is_authenticated:
        return AdjustmentRequest.objects.none()
    return selectors.adjustment_request_list(user=user).select_related(
        "assignment__suggestion"
    )


class AdjustmentRequestFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AdjustmentKind.choices)
    decision = django_filters.ChoiceFilter(choices=Decision.choices)

    class Meta:
        model = AdjustmentRequest
        fields = []


def _request_response(request, pk) -> Response:
    row = adjustment_request_scope(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return Response(s.AdjustmentRequestOutputSerializer(row).data)


class AdjustmentRequestListApi(generics.GenericAPIView):
    permission_classes = [IsStaffOrUnit]
    filterset_class = AdjustmentRequestFilter

    def get_queryset(self):
        return adjustment_request_scope(self.request.user)

    @extend_schema(
        tags=["adjustment requests"],
        operation_id="adjustment_requests_list",
        responses={200: s.AdjustmentRequestOutputSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            s.AdjustmentRequestOutputSerializer(page, many=True).data
        )


class AdjustmentRequestDetailApi(APIView):
    permission_classes = [IsStaffOrUnit]

    @extend_schema(
        tags=["adjustment requests"],
        operation_id="adjustment_requests_retrieve",
        responses={200: s.AdjustmentRequestOutputSerializer, **OBJECT_READ_ERRORS},
    )
    def get(self, request, pk: int):
        return _request_response(request, pk)


class AdjustmentDecisionApi(APIView):
    permission_classes = [IsCongressStaff]
    input_serializer: type[serializers.Serializer]

    def perform(self, request, pk: int, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        _require_in(adjustment_request_scope(request.user), pk)
        parsed = self.input_serializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        self.perform(request, pk, parsed.validated_data)
        return _request_response(request, pk)


def decision_schema(name, summary, request, examples=()):
    return extend_schema_view(
        post=extend_schema(
            tags=["adjustment requests"],
            operation_id=f"adjustment_requests_{name}",
            summary=summary,
            request=request,
            responses={200: s.AdjustmentRequestOutputSerializer, **ACTION_ERRORS},
            examples=list(examples),
        )
    )


@decision_schema(
    "approve",
    "Staff: grant a reassignment ({new_unit, extend_to?}) or an extension "
    "({extend_to?}, default the date asked for)",
    s.ApproveInputSerializer,
    [
        OpenApiExample("Reassign", value={"new_unit": 4}, request_only=True),
        OpenApiExample("Extend", value={"extend_to": "2026-09-01"}, request_only=True),
    ],
)
class AdjustmentApproveApi(AdjustmentDecisionApi):
    input_serializer = s.ApproveInputSerializer

    def perform(self, request, pk, data):
        services.adjustment_approve(
            request_id=pk,
            actor=request.user,
            new_unit=data.get("new_unit"),
            extend_to=data.get("extend_to"),
        )


@decision_schema("deny", "Staff: refuse the request", s.ReasonInputSerializer)
class AdjustmentDenyApi(AdjustmentDecisionApi):
    input_serializer = s.ReasonInputSerializer

    def perform(self, request, pk, data):
        services.adjustment_deny(request_id=pk, actor=request.user, **data)


# --- export ---------------------------------------------------------------------------


class SuggestionExportApi(DownloadMixin, generics.GenericAPIView):
    """The visible suggestions, with the list's filters, as an Excel workbook (at
    most ``EXPORT_LIMIT`` rows; a last row says when there were more)."""

    permission_classes = [IsStaffOrLeader]
    renderer_classes = [JSONRenderer, XlsxRenderer]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiSuggestionFilter
    pagination_class = None

    def get_queryset(self):
        return suggestion_scope(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        tags=["suggestions"],
        operation_id="suggestions_export",
        filters=True,
        responses={
            (200, XLSX): OpenApiTypes.BINARY,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
        },
    )
    @replica_reads
    def get(self, request) -> HttpResponse:
        rows = self.filter_queryset(self.get_queryset())
        return download(
            request,
            suggestion_workbook(rows),
            file_name(request.query_params.get("session", "")),
            XLSX,
        )


# --- sealing sessions -----------------------------------------------------------------


class SessionReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5_000)


class SessionSealInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=5_000, default=""
    )


class SessionSealingApi(APIView):
    """``POST /sessions/{id}/seal/`` and ``/reopen/``: staff only, the session
    answered."""

    permission_classes = [IsCongressStaff]
    input_serializer: type[serializers.Serializer]

    def perform(self, request, pk: int, data: dict) -> Session:
        raise NotImplementedError

    def post(self, request, pk: int):
        parsed = self.input_serializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        session = self.perform(request, pk, parsed.validated_data)
        return Response(SessionSerializer(session).data)


@extend_schema_view(
    post=extend_schema(
        tags=["sessions"],
        operation_id="sessions_seal",
        summary="Staff: seal the session's figures",
        description="Once the annual review is final. While sealed, every change to "
        "the session's suggestions answers 409 `session_sealed`; the current "
        "session cannot be sealed (409).",
        request=SessionSealInputSerializer,
        responses={200: SessionSerializer, **ACTION_ERRORS},
    )
)
class SessionSealApi(SessionSealingApi):
    input_serializer = SessionSealInputSerializer

    def perform(self, request, pk, data):
        return services.session_seal(
            session_id=pk, actor=request.user, reason=data["reason"]
        )


@extend_schema_view(
    post=extend_schema(
        tags=["sessions"],
        operation_id="sessions_reopen",
        summary="Staff: reopen a sealed session, with a reason",
        request=SessionReopenInputSerializer,
        responses={200: SessionSerializer, **ACTION_ERRORS},
    )
)
class SessionReopenApi(SessionSealingApi):
    input_serializer = SessionReopenInputSerializer

    def perform(self, request, pk, data):
        return services.session_reopen(
            session_id=pk, actor=request.user, reason=data["reason"]
        )

"""The dashboard's API: a session's figures (or a date range's), the trend across
sessions, the dashboard as an Excel workbook and the annual review as a Word
document. Staff and leaders only; bad parameters are a 400 with field errors."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.downloads import download
from common.api.fields import (
    ERROR_400,
    ERROR_401,
    ERROR_403,
    ERROR_404,
    ERROR_409,
    OBJECT_READ_ERRORS,
    READ_ERRORS,
    IdField,
)
from common.api.permissions import IsCongressStaff, IsStaffOrLeader
from common.api.renderers import (
    DOCX,
    XLSX,
    DocxRenderer,
    DownloadMixin,
    XlsxRenderer,
)
from common.db import replica_reads
from congress.models import Session

from .. import assessment, exports, figures, review, rollup, services
from ..models import AssessmentFormula
from ..rules import dashboard_bodies
from ..statistics import trend
from . import serializers as s


class SessionQuerySerializer(serializers.Serializer):
    body = IdField(required=False)
    session = IdField(required=False)


SESSION_PARAMETER = OpenApiParameter(
    "session",
    int,
    description="A session id; the body's current session if left out.",
)
BODY_PARAMETER = OpenApiParameter(
    "body",
    int,
    description="A congress body id: one the caller is staff or leader of, or one "
    "below it (read-only). Default: the session's body, else the caller's first. "
    "Another body's id, or a session of another body, answers 404.",
)
DOWNLOAD_ERRORS = {
    400: ERROR_400,
    401: ERROR_401,
    403: ERROR_403,
    404: OpenApiResponse(
        description="Another body's id or session, or no session given and no "
        "current session."
    ),
}


def _scope(request, data: dict) -> figures.Scope:
    """The scope the caller asked for (``figures.Scope.choose``, the pages' rule):
    an unknown session id is a 400, another body's body or session a 404, and so
    is no session given with none current."""
    session = None
    if data.get("session") is not None:
        session = (
            Session.objects.select_related("congress__body")
            .filter(pk=data["session"])
            .first()
        )
        if session is None:
            raise serializers.ValidationError({"session": [_("No such session.")]})
    scope = figures.Scope.choose(
        request.user,
        body_id=data.get("body"),
        session=session,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    if scope.empty:
        raise Http404
    return scope


def _session_scope(request) -> figures.Scope:
    query = SessionQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return _scope(request, query.validated_data)


class DashboardExportApi(DownloadMixin, APIView):
    """The dashboard's tables as an Excel workbook (概况, 分类, 承办机关, 承办单位,
    代表团, 趋势)."""

    permission_classes = [IsStaffOrLeader]
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard_export",
        parameters=[BODY_PARAMETER, SESSION_PARAMETER],
        responses={(200, XLSX): OpenApiTypes.BINARY, **DOWNLOAD_ERRORS},
    )
    @replica_reads
    def get(self, request) -> HttpResponse:
        scope = _session_scope(request)
        return download(
            request,
            exports.dashboard_workbook(scope),
            exports.dashboard_file_name(scope),
            XLSX,
        )


class DashboardReviewApi(DownloadMixin, APIView):
    """The annual review (年度办理情况综述) of a session as a Word document, in the
    request's language (Chinese by default)."""

    permission_classes = [IsStaffOrLeader]
    renderer_classes = [JSONRenderer, DocxRenderer]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard_review",
        parameters=[BODY_PARAMETER, SESSION_PARAMETER],
        responses={(200, DOCX): OpenApiTypes.BINARY, **DOWNLOAD_ERRORS},
    )
    @replica_reads
    def get(self, request) -> HttpResponse:
        session = _session_scope(request).session
        document = review.build(session)
        return download(request, review.docx(document), review.file_name(session), DOCX)


class DashboardApi(APIView):
    """The figures of one session (default: the current one), or of the suggestions
    submitted in a date range, for staff and leaders. ``stale`` says a large
    session's figures are being recomputed; ``as_of`` when they were."""

    permission_classes = [IsStaffOrLeader]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard",
        parameters=[
            BODY_PARAMETER,
            SESSION_PARAMETER,
            OpenApiParameter(
                "date_from",
                OpenApiTypes.DATE,
                description="Instead of a session: suggestions submitted from this "
                "day (with date_to).",
            ),
            OpenApiParameter(
                "date_to",
                OpenApiTypes.DATE,
                description="… up to and including this day.",
            ),
        ],
        responses={
            200: s.DashboardOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    @replica_reads
    def get(self, request):
        query = s.DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(_scope(request, query.validated_data).statistics())


class DashboardTrendApi(APIView):
    """One row per session of the chosen session's congress body, by opening
    date: suggestions, deputies, completion, satisfaction and on-time rates."""

    permission_classes = [IsStaffOrLeader]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard_trend",
        parameters=[BODY_PARAMETER, SESSION_PARAMETER],
        responses={
            200: s.TrendRowSerializer(many=True),
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    @replica_reads
    def get(self, request):
        query = s.TrendQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(trend(_scope(request, query.validated_data).session))


class DashboardRollupApi(APIView):
    """The roll-up (汇总) of a parent body for a year: its own headline figures,
    each body below it for its session of that year (its own dashboard's figures,
    zeros and a null session when it held none) and their total."""

    permission_classes = [IsStaffOrLeader]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard_rollup",
        parameters=[
            OpenApiParameter(
                "body",
                int,
                description="A body the caller is staff or leader of; default: the "
                "caller's first body with bodies below it. Any other: 404.",
            ),
            OpenApiParameter(
                "year",
                int,
                description="Default: the year of the body's current session.",
            ),
        ],
        responses={
            200: s.RollupSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    def get(self, request):
        query = s.RollupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        body = rollup.choose_body(dashboard_bodies(request.user), data.get("body"))
        if body is None:
            raise Http404
        year = data.get("year") or rollup.default_year(body, rollup.rollup_years(body))
        return Response(rollup.as_data(rollup.rollup(body, year)))


# --- unit assessment (绩效考核) --------------------------------------------------------


def _reader(request) -> assessment.Reader:
    """Whose scores of which session the caller asked for (``assessment.choose``):
    an unknown session id is a 400, another body's session or body a 404, a role
    that never reads scores a 403; no session given with none current is a 404."""
    query = s.AssessmentQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    session = None
    if data.get("session") is not None:
        session = (
            Session.objects.select_related("congress__body")
            .filter(pk=data["session"])
            .first()
        )
        if session is None:
            raise serializers.ValidationError({"session": [_("No such session.")]})
    reader = assessment.choose(request.user, body_id=data.get("body"), session=session)
    if reader.scope.session is None:
        raise Http404
    return reader


def assessment_rows(result: assessment.Assessment) -> list[dict]:
    return [
        {
            "unit": {"id": row.unit.pk, "name": row.unit.name, "kind": row.unit.kind},
            "rank": row.rank,
            "score": assessment.number(row.score),
            "items": [
                {
                    "rule": item.rule.key,
                    "label": str(item.rule.label),
                    "points": assessment.number(item.points),
                    "suggestion": item.suggestion.pk,
                    "number": item.suggestion.number,
                    "title": item.suggestion.title,
                    "explanation": item.explanation,
                }
                for item in row.items
            ],
        }
        for row in result.scores
    ]


class DashboardAssessmentApi(APIView):
    """The units' scores in one session (default: the body's current one) under the
    formula in force for it, highest first, each point an item naming its rule and
    suggestion (docs/statistics.md, "Unit assessment"). Staff and leaders read
    every unit's of their bodies; a unit's clerk its own unit's row."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard_assessment",
        parameters=[BODY_PARAMETER, SESSION_PARAMETER],
        responses={
            200: s.AssessmentUnitSerializer(many=True),
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    @replica_reads
    def get(self, request):
        reader = _reader(request)
        result = assessment.assess(reader.scope.session, unit_id=reader.unit_id)
        return Response(assessment_rows(result))


class DashboardAssessmentExportApi(DownloadMixin, APIView):
    """The units' scores as an Excel workbook: the ranking (a column per rule), the
    items and the formula."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard_assessment_export",
        parameters=[BODY_PARAMETER, SESSION_PARAMETER],
        responses={(200, XLSX): OpenApiTypes.BINARY, **DOWNLOAD_ERRORS},
    )
    @replica_reads
    def get(self, request) -> HttpResponse:
        reader = _reader(request)
        result = assessment.assess(reader.scope.session, unit_id=reader.unit_id)
        return download(
            request,
            exports.assessment_workbook(result),
            exports.assessment_file_name(reader.scope.session),
            XLSX,
        )


class FormulaQuery:
    serializer_class = s.AssessmentFormulaSerializer
    permission_classes = [IsCongressStaff]

    def get_queryset(self):
        rows = AssessmentFormula.objects.select_related("body").order_by(
            "body", "-effective_from"
        )
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return rows.none()
        user = self.request.user
        if user.is_superuser:
            return rows
        return rows.filter(body__in=user.staff_body_ids)


@extend_schema_view(
    get=extend_schema(
        tags=["assessment"],
        responses={200: s.AssessmentFormulaSerializer(many=True), **READ_ERRORS},
    ),
    post=extend_schema(
        tags=["assessment"],
        description="A new version of a body's formula, in force for the sessions "
        "opening on or after effective_from. Rules left out of weights get their "
        "default points. A version may not take effect on or before a sealed "
        "session that another version (or the default) scores (400).",
        responses={201: s.AssessmentFormulaSerializer, 400: ERROR_400, **READ_ERRORS},
    ),
)
class AssessmentFormulaListApi(FormulaQuery, generics.ListCreateAPIView):
    filterset_fields = ["body"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.formula_create(
            actor=self.request.user,
            body_id=data["body"].pk,
            effective_from=data["effective_from"],
            weights=data.get("weights"),
            note=data.get("note", ""),
        )


@extend_schema_view(
    get=extend_schema(
        tags=["assessment"],
        responses={200: s.AssessmentFormulaSerializer, **OBJECT_READ_ERRORS},
    ),
    patch=extend_schema(
        tags=["assessment"],
        description="Change a version that has scored no sealed session; one that "
        "has is history (409 session_sealed): add a new version instead.",
        responses={
            200: s.AssessmentFormulaSerializer,
            400: ERROR_400,
            409: ERROR_409,
            **OBJECT_READ_ERRORS,
        },
    ),
    delete=extend_schema(
        tags=["assessment"],
        description="Remove a version that has scored no sealed session (else 409).",
        responses={204: None, 409: ERROR_409, **OBJECT_READ_ERRORS},
    ),
)
class AssessmentFormulaDetailApi(FormulaQuery, generics.RetrieveUpdateDestroyAPIView):
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.formula_update(
            formula_id=serializer.instance.pk,
            actor=self.request.user,
            effective_from=data.get("effective_from"),
            weights=data.get("weights"),
            note=data.get("note"),
        )

    def perform_destroy(self, instance):
        services.formula_delete(formula_id=instance.pk, actor=self.request.user)


class AssessmentRulesApi(APIView):
    """The scoring rules a formula weighs, in order, with their default points."""

    permission_classes = [IsCongressStaff]

    @extend_schema(
        tags=["assessment"],
        operation_id="assessment_rules",
        responses={200: s.AssessmentRuleSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        return Response(
            [
                {
                    "key": r.key,
                    "label": str(r.label),
                    "description": str(r.description),
                    "default": assessment.number(r.default),
                    "deduction": r.deduction,
                }
                for r in assessment.RULES.values()
            ]
        )

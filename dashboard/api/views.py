"""The dashboard's API: a session's figures (or a date range's), the trend across
sessions, the dashboard as an Excel workbook and the annual review as a Word
document. Staff and leaders only; bad parameters are a 400 with field errors."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.downloads import download
from common.api.fields import ERROR_400, ERROR_401, ERROR_403, ERROR_404, IdField
from common.api.permissions import IsStaffOrLeader
from common.api.renderers import (
    DOCX,
    XLSX,
    DocxRenderer,
    DownloadMixin,
    XlsxRenderer,
)
from common.db import replica_reads
from congress.models import Session

from .. import exports, figures, review, rollup
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

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

from .. import exports, figures, review
from ..statistics import period_statistics, session_statistics, trend
from . import serializers as s


class SessionQuerySerializer(serializers.Serializer):
    session = IdField(required=False)


SESSION_PARAMETER = OpenApiParameter(
    "session", int, description="A session id; the current session if left out."
)
DOWNLOAD_ERRORS = {
    400: ERROR_400,
    401: ERROR_401,
    403: ERROR_403,
    404: OpenApiResponse(description="No session given and no current session."),
}


def _session(request) -> Session:
    query = SessionQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return _dashboard_session(query.validated_data.get("session"))


class DashboardExportApi(DownloadMixin, APIView):
    """The dashboard's tables as an Excel workbook (概况, 分类, 承办机关, 承办单位,
    代表团, 趋势)."""

    permission_classes = [IsStaffOrLeader]
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard_export",
        parameters=[SESSION_PARAMETER],
        responses={(200, XLSX): OpenApiTypes.BINARY, **DOWNLOAD_ERRORS},
    )
    @replica_reads
    def get(self, request) -> HttpResponse:
        scope = figures.Scope(session=_session(request))
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
        parameters=[SESSION_PARAMETER],
        responses={(200, DOCX): OpenApiTypes.BINARY, **DOWNLOAD_ERRORS},
    )
    @replica_reads
    def get(self, request) -> HttpResponse:
        session = _session(request)
        document = review.build(session)
        return download(request, review.docx(document), review.file_name(session), DOCX)


def _dashboard_session(session_id) -> Session:
    """The session asked for, or the current one (404 when none is marked)."""
    if session_id is None:
        session = Session.objects.select_related("congress__body").current()
        if session is None:
            raise Http404
        return session
    session = (
        Session.objects.select_related("congress__body").filter(pk=session_id).first()
    )
    if session is None:
        raise serializers.ValidationError({"session": [_("No such session.")]})
    return session


class DashboardApi(APIView):
    """The figures of one session (default: the current one), or of the suggestions
    submitted in a date range, for staff and leaders. ``stale`` says a large
    session's figures are being recomputed; ``as_of`` when they were."""

    permission_classes = [IsStaffOrLeader]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard",
        parameters=[
            OpenApiParameter(
                "session",
                int,
                description="A session id; the current session if left out.",
            ),
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
        data = query.validated_data
        if "date_from" in data:
            return Response(period_statistics(data["date_from"], data["date_to"]))
        return Response(session_statistics(_dashboard_session(data.get("session"))))


class DashboardTrendApi(APIView):
    """One row per session of the chosen session's congress body, by opening
    date: suggestions, deputies, completion, satisfaction and on-time rates."""

    permission_classes = [IsStaffOrLeader]

    @extend_schema(
        tags=["dashboard"],
        operation_id="dashboard_trend",
        parameters=[
            OpenApiParameter(
                "session",
                int,
                description="A session id; the current session if left out.",
            )
        ],
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
        return Response(trend(_dashboard_session(query.validated_data.get("session"))))

"""The API's downloads (API.md "Dashboard"): the dashboard as an Excel workbook, the
annual review as a Word document, and the filtered suggestion list as a workbook.
Staff and leaders only; bad parameters are a 400 with field errors."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from common.api.fields import ERROR_400, ERROR_401, ERROR_403, IdField
from common.api.permissions import IsStaffOrLeader
from congress.models import Session
from suggestions.api.views import ApiSuggestionFilter, suggestion_scope

from . import exports, figures, review
from .views import DOCX, XLSX, download


class _BinaryRenderer(BaseRenderer):
    """Lets a client ask for the file's type in ``Accept``; errors still go out as
    JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class XlsxRenderer(_BinaryRenderer):
    media_type = XLSX
    format = "xlsx"


class DocxRenderer(_BinaryRenderer):
    media_type = DOCX
    format = "docx"


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
    session_id = query.validated_data.get("session")
    if session_id is None:
        session = Session.objects.select_related("congress").current()
        if session is None:
            from django.http import Http404

            raise Http404
        return session
    session = Session.objects.select_related("congress").filter(pk=session_id).first()
    if session is None:
        raise serializers.ValidationError({"session": [_("No such session.")]})
    return session


class DashboardExportApi(APIView):
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
    def get(self, request) -> HttpResponse:
        scope = figures.Scope(session=_session(request))
        return download(
            request,
            exports.dashboard_workbook(scope),
            exports.filename("dashboard"),
            XLSX,
        )


class DashboardReviewApi(APIView):
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
    def get(self, request) -> HttpResponse:
        document = review.build(_session(request))
        return download(
            request, review.docx(document), exports.filename("review", "docx"), DOCX
        )


class SuggestionExportApi(generics.GenericAPIView):
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
    def get(self, request) -> HttpResponse:
        rows = self.filter_queryset(self.get_queryset())
        return download(
            request,
            exports.suggestion_workbook(rows),
            exports.filename("suggestions"),
            XLSX,
        )

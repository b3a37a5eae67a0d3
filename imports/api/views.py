"""POST /api/v1/imports/ (a dry run, or an apply that is all or nothing) and the
templates, GET /api/v1/imports/templates/<kind>.xlsx. Staff only."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.fields import ERROR_401, ERROR_403, VALIDATION_ERROR_SCHEMA
from common.api.permissions import IsCongressStaff
from common.api.renderers import XLSX, DownloadMixin, XlsxRenderer
from common.downloads import content_disposition

from ..blanks import template_file_name, template_workbook
from ..columns import Kind
from ..rules import import_bodies, import_body
from ..services import import_run
from . import serializers as s

REPORT_400 = OpenApiResponse(
    response={
        "description": "An apply with errors: the report (nothing was written); or "
        'field errors, `{"field": ["message"]}`.',
        "anyOf": [
            {
                "type": "object",
                "title": "ImportReportWithErrors",
                "required": ["dry_run", "rows", "errors"],
                "properties": {
                    "dry_run": {"type": "boolean"},
                    "rows": {"type": "integer"},
                    "created": {"type": "integer"},
                    "updated": {"type": "integer"},
                    "unchanged": {"type": "integer"},
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "row": {"type": "integer"},
                                "column": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            },
            VALIDATION_ERROR_SCHEMA,
        ],
    },
    description="Invalid input, or an apply with errors (the report; nothing written).",
)


class ImportApi(APIView):
    """Import a workbook of delegations, deputies, handling units or past
    suggestions into one of the caller's congress bodies (docs/import.md)."""

    permission_classes = [IsCongressStaff]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["imports"],
        operation_id="imports_create",
        request={"multipart/form-data": s.ImportInputSerializer},
        responses={
            200: s.ImportReportSerializer,
            400: REPORT_400,
            401: ERROR_401,
            403: ERROR_403,
        },
        description="A dry run (the default) reports what the file would do and "
        "every problem by row and column, writing nothing. An apply "
        "(`dry_run=false`) writes every row in one transaction; any problem and "
        "nothing is written (400 with the same report). Importing the same file "
        "again changes nothing: rows are matched on their natural keys.",
    )
    def post(self, request):
        data = s.ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        body = import_body(request.user, values.get("body"))
        report = import_run(
            actor=request.user,
            body=body,
            kind=values["kind"],
            file=values["file"],
            dry_run=values["dry_run"],
        )
        status = 400 if report.errors and not report.dry_run else 200
        return Response(report.as_dict(), status=status)


class ImportTemplateApi(DownloadMixin, APIView):
    """The template of a kind: its columns with an example row, and a sheet
    "填写说明" (instructions) for each column."""

    permission_classes = [IsCongressStaff]
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        tags=["imports"],
        operation_id="imports_template",
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                OpenApiParameter.PATH,
                enum=list(Kind.ALL),
                description="What the template is for.",
            )
        ],
        responses={
            (200, XLSX): OpenApiTypes.BINARY,
            401: ERROR_401,
            403: ERROR_403,
            404: OpenApiResponse(description="No such kind."),
        },
    )
    def get(self, request, kind: str) -> HttpResponse:
        if kind not in Kind.ALL:
            raise Http404
        body = import_bodies(request.user).first()
        response = HttpResponse(template_workbook(kind, body=body), content_type=XLSX)
        response["Content-Disposition"] = content_disposition(template_file_name(kind))
        return response

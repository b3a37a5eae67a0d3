"""Binary downloads in the API: a client may ask for the file's type in ``Accept``,
and an error still goes out as JSON, labelled as JSON."""

from rest_framework.renderers import BaseRenderer, JSONRenderer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _BinaryRenderer(BaseRenderer):
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


class DownloadMixin:
    """For an API view whose success is a file: its error answers (400, 401, 403,
    404) are JSON with the JSON media type, even when the client asked for the
    file's type, so a client reads them as the schema declares them."""

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), _BinaryRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

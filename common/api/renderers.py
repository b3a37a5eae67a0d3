"""Renderers of binary downloads: a client may ask for the file's type in
``Accept``; errors still go out as JSON."""

from rest_framework.renderers import BaseRenderer, JSONRenderer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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

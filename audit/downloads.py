"""Files handed out (exports, the annual review): every download goes into the
security log with the query that chose its rows."""

from django.http import HttpResponse

from common.downloads import DownloadName, content_disposition

from . import services as audit
from .models import Action

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(
    request, content: bytes, filename: DownloadName, content_type: str
) -> HttpResponse:
    """The file as an attachment named in the user's language (RFC 6266, with an
    ASCII fallback); the export goes into the security log with the query that
    chose its rows."""
    audit.record(
        request,
        Action.EXPORT,
        target=filename.name,
        path=request.path,
        query=request.GET.urlencode(),
        size=len(content),
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response

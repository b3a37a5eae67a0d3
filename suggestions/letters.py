"""Reply letters: accepted by their content (PDF, Word, JPEG, PNG), at most 20 MB;
and the scanned originals of suggestions entered on behalf (代录), judged the same
way but only as a scan can be (PDF, JPEG, PNG)."""

import zipfile

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from common.downloads import DownloadName, content_disposition
from common.errors import InvalidInput
from congress.names import file_name

MAX_LETTER_BYTES = 20 * 1024 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc


def letter_kind(upload) -> str | None:
    """'pdf', 'docx', 'doc', 'jpeg' or 'png' judged from the bytes, else None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(_OLE2):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return "docx"
    return None


EXTENSIONS = {
    "pdf": ".pdf",
    "docx": ".docx",
    "doc": ".doc",
    "jpeg": ".jpg",
    "png": ".png",
}


def validate_letter(upload) -> str:
    """Return the file's kind, or raise ``InvalidInput`` naming the ``letter`` field."""
    if upload.size > MAX_LETTER_BYTES:
        raise InvalidInput(_("The letter is larger than 20 MB."), field="letter")
    kind = letter_kind(upload)
    if kind is None:
        raise InvalidInput(
            _("The letter must be a PDF, Word document, JPEG or PNG image."),
            field="letter",
        )
    return kind


# A scan of the signed paper original: a PDF or a photo, never a Word document
# (which proves no signature).
ORIGINAL_KINDS = frozenset({"pdf", "jpeg", "png"})


def validate_original(upload) -> str:
    """The scan's kind (``ORIGINAL_KINDS``, judged from its bytes, at most 20 MB),
    or ``InvalidInput`` naming the ``original`` field; a missing scan too: it is
    what proves the deputies' signatures."""
    return validate_scan(
        upload, "original", missing=_("Attach the scan of the signed original.")
    )


def validate_scan(upload, field: str, *, missing) -> str:
    """A scan of a signed paper (an original, a 征询意见表): its kind
    (``ORIGINAL_KINDS``, judged from its bytes, at most 20 MB), or ``InvalidInput``
    naming ``field``; ``missing`` says what to attach when there is none."""
    if not upload:
        raise InvalidInput(missing, field=field)
    if upload.size > MAX_LETTER_BYTES:
        raise InvalidInput(_("The scan is larger than 20 MB."), field=field)
    kind = letter_kind(upload)
    if kind not in ORIGINAL_KINDS:
        raise InvalidInput(_("The scan must be a PDF, JPEG or PNG file."), field=field)
    return kind


# The stored name's extension is the kind judged from the content (services save
# ``letter<ext>``), so it decides the download's type, never the uploader's name.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}

# The types a scanned original is served as (``ORIGINAL_KINDS``).
ORIGINAL_CONTENT_TYPES = frozenset(
    CONTENT_TYPES[EXTENSIONS[kind]] for kind in ORIGINAL_KINDS
)


def letter_file_name(reply) -> DownloadName:
    """昌吉州十六届人大二次会议_第16号建议_州教育局答复函.pdf: the session, the
    suggestion's number, the unit and what it is (a co-unit's opinion, a later
    round's reply say so), with the extension of the letter's checked kind."""
    from pathlib import PurePath

    suggestion = reply.assignment.suggestion
    ext = PurePath(reply.letter.name).suffix.lower().lstrip(".")
    return file_name(
        letter_subject(reply),
        f"letter-{suggestion.number}",
        ext,
        session=suggestion.session,
    )


def letter_subject(reply) -> str:
    """What a reply's letter is, for its file name: 第16号建议_州教育局答复函 (a
    co-unit's opinion, a later round's reply say so)."""
    assignment = reply.assignment
    values = {"number": assignment.suggestion.number, "unit": str(assignment.unit)}
    if reply.is_lead:
        what = pgettext("file name", "No. %(number)s, reply of %(unit)s") % values
    else:
        what = pgettext("file name", "No. %(number)s, opinion of %(unit)s") % values
    if reply.round > 1:
        what += pgettext("file name", " (round %(round)s)") % {"round": reply.round}
    return what


def download_response(reply):
    """The reply's letter as an attachment named by ``letter_file_name``, with the
    type of its checked kind and ``nosniff``. Raises ``Http404`` when the file is
    gone."""
    return stored_file_response(reply.letter, letter_file_name(reply))


def stored_file_response(stored, name: DownloadName):
    """A stored file (a letter, a scan) as an attachment named ``name``, with the
    type of its checked kind and ``nosniff``. Raises ``Http404`` when it is gone."""
    from pathlib import PurePath

    from django.http import FileResponse, Http404

    suffix = PurePath(stored.name).suffix.lower()
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name.name,
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def original_file_name(suggestion) -> DownloadName:
    """昌吉州十六届人大二次会议_关于……的建议_原件.pdf: the session, the
    suggestion (its number once filed) and what it is, with the extension of the
    scan's checked kind."""
    from pathlib import PurePath

    if suggestion.number:
        what = pgettext("file name", "No. %(number)s, signed original") % {
            "number": suggestion.number
        }
    else:
        what = pgettext("file name", "%(title)s, signed original") % {
            "title": suggestion.title[:40]
        }
    ext = PurePath(suggestion.original.name).suffix.lower().lstrip(".")
    return file_name(what, f"original-{suggestion.pk}", ext, session=suggestion.session)


def original_response(suggestion):
    """The suggestion's scanned original as an attachment (as ``download_response``
    for a letter). Raises ``Http404`` when there is none or the file is gone."""
    from django.http import Http404

    if not suggestion.original:
        raise Http404
    return stored_file_response(suggestion.original, original_file_name(suggestion))


def form_scan_file_name(evaluation) -> DownloadName:
    """昌吉州十六届人大二次会议_第16号建议_征询意见表.pdf: the session, the
    suggestion's number and what it is, with the extension of the scan's kind."""
    from pathlib import PurePath

    suggestion = evaluation.suggestion
    what = pgettext("file name", "No. %(number)s, signed evaluation form") % {
        "number": suggestion.number
    }
    if evaluation.round > 1:
        what += pgettext("file name", " (round %(round)s)") % {
            "round": evaluation.round
        }
    ext = PurePath(evaluation.form_scan.name).suffix.lower().lstrip(".")
    return file_name(
        what, f"evaluation-form-{suggestion.number}", ext, session=suggestion.session
    )


def form_scan_response(evaluation):
    """The scan of the signed 征询意见表 of an on-site rating as an attachment (as
    ``download_response`` for a letter). Raises ``Http404`` when it is gone."""
    from django.http import Http404

    if not evaluation.form_scan:
        raise Http404
    return stored_file_response(evaluation.form_scan, form_scan_file_name(evaluation))

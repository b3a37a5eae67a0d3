"""Reply letters: accepted by their content (PDF, Word, JPEG, PNG), at most 20 MB."""

import zipfile

from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput

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

"""Reply letters are judged by their bytes, not their names, and kept under 20 MB."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.errors import InvalidInput
from suggestions.letters import MAX_LETTER_BYTES, letter_kind, validate_letter

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 20
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = zipped("[Content_Types].xml", "xl/workbook.xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("答复函.pdf", PDF, "pdf"),
        ("scan.png", PNG, "png"),
        ("scan.jpg", JPEG, "jpeg"),
        ("答复函.docx", DOCX, "docx"),
        ("答复函.doc", DOC, "doc"),
        # The name does not matter, the content does.
        ("letter.txt", PDF, "pdf"),
        ("letter", DOCX, "docx"),
    ],
)
def test_documents_and_images_are_accepted_by_content(name, content, kind):
    """PDF, PNG, JPEG, Word (.docx and .doc) are recognised from their bytes."""
    assert validate_letter(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("答复函.pdf", "这是一段文字，不是PDF。".encode()),
        ("答复函.pdf", b""),
        ("答复函.docx", XLSX),
        ("答复函.docx", b"PK\x03\x04 broken zip"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("run.exe", b"MZ\x90\x00"),
    ],
)
def test_other_content_is_refused_whatever_the_name(name, content):
    """A text file named .pdf, a spreadsheet named .docx, a broken zip, HTML or a
    program: InvalidInput on ``letter``."""
    with pytest.raises(InvalidInput) as error:
        validate_letter(upload(name, content))
    assert error.value.field == "letter"


def test_a_letter_over_20_mb_is_refused():
    """More than 20 MB is refused before the content is even read."""
    letter = upload("答复函.pdf", PDF)
    letter.size = MAX_LETTER_BYTES + 1
    with pytest.raises(InvalidInput) as error:
        validate_letter(letter)
    assert error.value.field == "letter"
    assert "20 MB" in str(error.value)


def test_exactly_20_mb_is_accepted():
    """The limit itself is allowed."""
    letter = upload("答复函.pdf", PDF)
    letter.size = MAX_LETTER_BYTES
    assert validate_letter(letter) == "pdf"
    assert MAX_LETTER_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize("content", [PDF, DOCX])
def test_checking_leaves_the_file_readable_from_the_start(content):
    """After the check the upload is rewound, so it is stored whole."""
    letter = upload("x", content)
    letter.read(3)
    assert letter_kind(letter) is not None
    assert letter.read() == content

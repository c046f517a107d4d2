"""Attachments are recognised by their content, never by their name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"


def f(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("paper.pdf", PDF, "application/pdf"),
        ("figure.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("notes.txt", "Résumé of the 1998 manual, page 4 ✓".encode(), "text/plain"),
        ("misnamed.png", PDF, "application/pdf"),  # content decides, not the name
    ],
)
def test_allowed_types_by_content(name, content, kind):
    checked = uploads.check_attachment(f(name, content))
    assert checked.content_type == kind
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "page.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "web page",
        ),
        (
            "image.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "SVG",
        ),
        ("doc.pdf", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not a PDF, PNG, JPEG"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 40, "not a PDF, PNG, JPEG"),
        (
            "program.txt",
            b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40,
            "not a PDF, PNG, JPEG",
        ),
        ("binary.txt", b"\xff\xfe\x00\x00garbage\x00", "not a PDF, PNG, JPEG"),
        ("empty.pdf", b"", "is empty"),
        (
            "active.pdf",
            b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
            "scripts",
        ),
    ],
)
def test_refused_files_say_why(name, content, message):
    with pytest.raises(ValidationError) as error:
        uploads.check_attachment(f(name, content))
    text = " ".join(error.value.messages)
    assert name in text or message == "is empty" and "empty" in text
    assert message in text


def test_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 105)
    with pytest.raises(ValidationError, match=r"the limit is 0\.0001\d* MB"):
        uploads.check_attachment(f("big.pdf", PDF + b"x" * 200))


def test_too_many_files_are_refused():
    with pytest.raises(ValidationError, match="at most 10 files"):
        uploads.check_attachments([f(f"n{i}.txt", b"plain text") for i in range(11)])


def test_every_bad_file_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        uploads.check_attachments(
            [f("a.pdf", b""), f("ok.txt", b"fine"), f("b.png", b"<html>")]
        )
    assert len(error.value.messages) == 2

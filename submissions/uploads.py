"""Checking uploaded attachments by what they contain, never by their name.

Allowed: PDF, PNG, JPEG and plain UTF-8 text; at most ``MAX_ATTACHMENT_BYTES`` each and
``OPENDOCKET_MAX_ATTACHMENTS`` per submission. Refused with a message: empty files, anything whose
bytes are not one of those types (a renamed HTML page, an SVG, an executable with a .pdf
name), text that is really markup, and PDFs that carry scripts or launch actions.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "text/plain": "txt",
}
MARKUP_RE = re.compile(
    rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta)\b", re.I
)
PDF_ACTIVE_RE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def _detect(head: bytes) -> str | None:
    """The type of an allowed binary format by its signature, else None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def _describe(head: bytes) -> str:
    """What a refused file looks like, for the message (puremagic's best guess)."""
    if MARKUP_RE.search(head):
        return _("a web page or SVG image")
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        matches = []
    if matches:
        best = max(matches, key=lambda m: m.confidence)
        return best.name or best.extension
    return _("an unrecognised format")


def check_attachment(upload) -> CheckedFile:
    """Validate one uploaded file; raise ValidationError naming the file and the reason."""
    name = getattr(upload, "name", "") or _("the file")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(name)s is %(mb).1f MB; the limit is %(limit)s MB.")
            % {
                "name": name,
                "mb": size / 2**20,
                "limit": f"{MAX_ATTACHMENT_BYTES / 2**20:g}",
            }
        )
    digest = hashlib.sha256()
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    content_type = _detect(head) or ("text/plain" if _is_plain_text(upload) else None)
    if content_type not in ALLOWED:
        raise ValidationError(
            _(
                "%(name)s is not a PDF, PNG, JPEG or plain text file: by its content it is "
                "%(kind)s."
            )
            % {"name": name, "kind": _describe(head)}
        )
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        if content_type == "application/pdf" and PDF_ACTIVE_RE.search(chunk):
            raise ValidationError(
                _(
                    "%(name)s contains scripts or embedded actions; please upload a plain PDF."
                )
                % {"name": name}
            )
    upload.seek(0)
    return CheckedFile(content_type, ALLOWED[content_type], size, digest.hexdigest())


def _is_plain_text(upload) -> bool:
    upload.seek(0)
    data = b"".join(upload.chunks())
    upload.seek(0)
    if b"\x00" in data or MARKUP_RE.search(data[:65536]):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check_attachments(uploads: list) -> list[CheckedFile]:
    limit = settings.OPENDOCKET_MAX_ATTACHMENTS
    if len(uploads) > limit:
        raise ValidationError(
            _("You can attach at most %(n)d files to one submission.") % {"n": limit}
        )
    errors, checked = [], []
    for upload in uploads:
        try:
            checked.append(check_attachment(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked

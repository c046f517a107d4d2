"""The library upload form of the Wagtail admin."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Agency
from cases.permissions import agencies_for_user

from .importer.rows import BadLine, decode_line, read_lines

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
EXTENSIONS = (".jsonl", ".ndjson")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


class LibraryUploadForm(forms.Form):
    """A JSON Lines file and the agency it is loaded for: editors choose among their
    own agencies (and must choose one); site admins may choose none."""

    file = forms.FileField(
        label=gettext_lazy("JSON Lines file"),
        help_text=gettext_lazy(
            "A .jsonl file of up to 200 MB, one document a line, each a JSON object "
            'with at least "title" and "body".'
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"),
        queryset=Agency.objects.none(),
        help_text=gettext_lazy("The agency the documents are loaded for."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_for_user(user).order_by("name")
        field = self.fields["agency"]
        field.queryset = agencies
        if user.is_superuser:
            field.required = False
            field.empty_label = _("No agency")
        else:
            field.empty_label = None if len(agencies) == 1 else _("Choose an agency")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                _("Choose a JSON Lines file: its name ends in .jsonl (or .ndjson).")
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; the limit is %(limit)s. Split it into "
                    "smaller files, or ask a site admin to load it with the "
                    "import_library command."
                )
                % {
                    "size": _megabytes(upload.size),
                    "limit": _megabytes(MAX_UPLOAD_BYTES),
                }
            )
        problem = _first_line_problem(upload)
        if problem:
            raise forms.ValidationError(
                _(
                    "This does not look like a JSON Lines file: line %(line)s: "
                    "%(reason)s. Each line must be one JSON object."
                )
                % problem
            )
        return upload


def _first_line_problem(upload) -> dict | None:
    """Why the first non-blank line is not a JSON object, if it is not."""
    upload.seek(0)
    try:
        for number, raw in enumerate(read_lines(upload), start=1):
            try:
                value = decode_line(raw, number)
            except BadLine as error:
                return {"line": number, "reason": str(error)}
            if value is None:
                continue
            if not isinstance(value, dict):
                return {"line": number, "reason": _("it is not a JSON object")}
            return None
        return {"line": 1, "reason": _("the file holds only blank lines")}
    finally:
        upload.seek(0)

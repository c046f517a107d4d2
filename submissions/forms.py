"""Forms of the public contribution pages.

Forms check what a field can check on its own (lengths, types, the content of uploaded
files); every rule that depends on the case, the user or the state of a submission lives
in ``submissions.services`` and ``submissions.permissions``, and the views map what the
services refuse back onto these forms with ``add_service_errors``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import selectors, uploads
from .library_picker import LibraryDocumentField, LibraryPickerMixin, int_or_none
from .models import (
    Comment,
    DatePrecision,
    FlagReason,
    PriorArt,
    PriorArtKind,
)
from .services import PRIOR_ART_FIELDS, MappingInput

ATTACHMENT_ACCEPT = (
    ".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain"
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern from Django's documentation). Empty files
    pass here so that ``uploads.check_attachments`` can name them in its message."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT})
        )
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data if item]
        return [single_clean(data, initial)] if data else []


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put the messages of a service's ValidationError on the fields they name (the
    service's keys are the form's field names), the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class PriorArtForm(LibraryPickerMixin, forms.Form):
    """The citation, the relevance and one explanation per claim ticked; optionally a
    library document it cites (whose citation fills in the fields left blank)."""

    library_document = LibraryDocumentField(
        label=_("Choose the document"),
        required=False,
    )

    kind = forms.ChoiceField(
        label=_("What kind of evidence is it?"),
        choices=PriorArtKind.choices,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    authors = forms.CharField(
        label=_("Authors or owner"),
        max_length=500,
        required=False,
        help_text=_("The inventors, authors, company or project behind it."),
    )
    published_on = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "When it became public. If you know only the month or the year, pick any "
            "day in it and say so below. For example, 2014-03-27."
        ),
    )
    published_on_precision = forms.ChoiceField(
        label=_("How precise is that date?"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        widget=forms.RadioSelect,
    )
    identifier = forms.CharField(
        label=_("Identifier"),
        max_length=300,
        required=False,
        help_text=_(
            "A patent number (US 7,654,321 B2), a DOI (10.1000/xyz123), an ISBN or a web "
            "address. We use it to spot the same document submitted twice."
        ),
    )
    url = forms.URLField(
        label=_("Link"),
        max_length=2000,
        required=False,
        assume_scheme="https",
        help_text=_("Where the examiner can read it, if it is online."),
    )
    excerpt = forms.CharField(
        label=_("Excerpt"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The passage that matters, quoted exactly."),
    )
    relevance = forms.CharField(
        label=_("Concise description of relevance"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "In a few sentences: what this evidence shows, and why it matters to this "
            "case."
        ),
    )
    claims = forms.MultipleChoiceField(
        label=_("Which claims does it bear on?"),
        required=False,  # at least one: checked by the service, with its own message
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick every claim it bears on, and explain for each claim you tick how: "
            "which part of the evidence matches which part of the claim."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_(
            "PDF, PNG, JPEG or plain text, at most 20 MB each and 10 in all. "
            "Only you, the reviewers and the examiner can open them."
        ),
    )

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and int_or_none(self.data.get("library_document")):
            # The cited document's title is used when none is typed.
            self.fields["title"].required = False
        self.case_claims = list(claims)
        self.fields["claims"].choices = [
            (str(claim.number), _("Claim %(n)s") % {"n": claim.number})
            for claim in self.case_claims
        ]
        for claim in self.case_claims:
            self.fields[f"explanation_{claim.number}"] = forms.CharField(
                label=_("How does it bear on claim %(n)s?") % {"n": claim.number},
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # Claim explanations sit right after the checklist, so the error summary lists
        # the problems in the order of the page.
        order = list(self.fields)
        explanations = [name for name in order if name.startswith("explanation_")]
        rest = [name for name in order if name not in explanations]
        at = rest.index("claims") + 1
        self.order_fields(rest[:at] + explanations + rest[at:])

    def typed_input(self) -> dict:
        """What the person typed into this bound form, as initial data for the same
        form shown again unbound (without errors, as after "Find in the library").
        Files cannot be kept: browsers never send them back."""
        return {
            name: self[name].data
            for name in self.fields
            if not isinstance(self.fields[name], forms.FileField)
        }

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        uploads.check_attachments(files)
        return files

    @property
    def claim_rows(self):
        """Each claim with its checkbox and its explanation field, for the template."""
        checkboxes = {box.data["value"]: box for box in self["claims"]}
        return [
            {
                "claim": claim,
                "checkbox": checkboxes[str(claim.number)],
                "explanation": self[f"explanation_{claim.number}"],
            }
            for claim in self.case_claims
        ]

    def prior_art_data(self) -> dict:
        data = {
            field: self.cleaned_data.get(field)
            for field in PRIOR_ART_FIELDS
            if field in self.cleaned_data
        }
        data["library_document"] = self.cleaned_data.get("library_document")
        return data

    def mappings(self) -> list[MappingInput]:
        return [
            MappingInput(
                claim_number=int(number),
                explanation=self.cleaned_data.get(f"explanation_{number}") or "",
            )
            for number in self.cleaned_data.get("claims") or []
        ]

    @staticmethod
    def initial_for(prior_art: PriorArt) -> dict:
        """The form's initial data from a saved submission (for editing)."""
        initial = {field: getattr(prior_art, field) for field in PRIOR_ART_FIELDS}
        initial["library_document"] = prior_art.library_document_id
        mappings = list(prior_art.mappings.all())
        initial["claims"] = [str(m.claim.number) for m in mappings]
        for mapping in mappings:
            initial[f"explanation_{mapping.claim.number}"] = mapping.explanation
        return initial


class SubmitPriorArtForm(PriorArtForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked these, and my evidence is different: submit it anyway"),
        required=False,
    )


class EditPriorArtForm(PriorArtForm):
    remove_attachments = forms.MultipleChoiceField(
        label=_("Remove attached files"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the files you want to remove."),
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_attachments"].choices = [
            (str(attachment.pk), attachment.original_name) for attachment in attachments
        ]
        if not attachments:
            del self.fields["remove_attachments"]
        self.fields["attachments"].label = _("Attach more files")

    def remove_attachment_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("remove_attachments") or []]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing it?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reviewers will see this."),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How relevant is this evidence to the case?"),
        choices=[
            (1, _("1 – not relevant")),
            (2, _("2 – slightly relevant")),
            (3, _("3 – relevant")),
            (4, _("4 – very relevant")),
            (5, _("5 – decisive")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=[("", _("Choose a reason")), *FlagReason.choices],
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything that helps a reviewer decide."),
    )


class HideCommentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this comment hidden?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone will see this reason in place of the comment."),
    )


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text. Web addresses become links."),
    )


class CommentForm(CommentEditForm):
    """A comment on the case, one of its claims or one of its submissions, or a reply.

    ``claim`` is a claim number, ``prior_art`` a tracking reference and ``parent`` a
    comment id; each resolves to the object the user may see, or a field error.
    """

    claim = forms.TypedChoiceField(
        label=_("What is it about?"), required=False, coerce=int, empty_value=None
    )
    prior_art = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        self.case_claims = {claim.number: claim for claim in case.claims.all()}
        self.fields["claim"].choices = [
            ("", _("The case as a whole")),
            *(
                (number, _("Claim %(n)s") % {"n": number})
                for number in self.case_claims
            ),
        ]

    def clean_claim(self):
        number = self.cleaned_data.get("claim")
        return None if number is None else self.case_claims[number]

    def clean_prior_art(self):
        ref = (self.cleaned_data.get("prior_art") or "").strip()
        if not ref:
            return None
        try:
            return selectors.prior_art_detail(user=self.user, ref=ref)
        except Http404:
            raise ValidationError(_("That submission does not exist.")) from None

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        try:
            return selectors.comment_detail(user=self.user, pk=pk)
        except (Http404, Comment.DoesNotExist):
            raise ValidationError(_("That comment does not exist.")) from None

"""Forms of the reviewers' pages: the queue's filters and bulk actions, the screening
decision, the reviewer's own rating, report decisions, comment restoring and forwarding.

Forms check what a field can check on its own; every rule that depends on the case, the
user or the state of a submission lives in ``review.services`` and
``review.permissions``, and the views put what a service refuses back on these forms
with ``submissions.forms.add_service_errors``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Claim
from submissions.models import PriorArt, PriorArtStatus

from .permissions import cases_to_screen

STATUS_CHOICES = [
    ("submitted", _("Waiting for screening")),
    ("needs_changes", _("Changes requested")),
    ("vetted", _("Vetted")),
    ("rejected", _("Rejected")),
    ("duplicate", _("Duplicate")),
    ("forwarded", _("Forwarded")),
    ("all", _("Any status")),
]

REASON_HELP = _(
    "The contributor sees this message, on their submission's page and in the "
    "notification we send them. Say which guideline was not met and, where you can, "
    "what would fix it. Optional when you vet."
)
REASON_REQUIRED = _(
    "Give the contributor a reason: they see it when you reject or send back."
)

RATING_CHOICES = [
    (1, _("1 – not relevant")),
    (2, _("2 – slightly relevant")),
    (3, _("3 – relevant")),
    (4, _("4 – very relevant")),
    (5, _("5 – decisive")),
]


class QueueFilterForm(forms.Form):
    """The queue's filters, bound to the query string. ``claim`` is a claim number of the
    chosen case; ``filters()`` turns the valid fields into ``screening_queue`` filters."""

    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS_CHOICES, required=False
    )
    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=None,
        required=False,
        empty_label=_("All your cases"),
    )
    claim = forms.IntegerField(
        label=_("Claim number"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Choose a case first."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    flagged = forms.BooleanField(label=_("Reported"), required=False)
    after_priority = forms.BooleanField(
        label=_("Dated after the priority date"), required=False
    )
    duplicate = forms.BooleanField(label=_("Suspected duplicate"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases_to_screen(user).order_by("reference", "pk")
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.reference}: {case.title[:60]}"
        )

    def clean(self):
        data = super().clean()
        number, case = data.get("claim"), data.get("case")
        data["claim_id"] = None
        if number is not None and "case" not in self.errors:
            if case is None:
                self.add_error("claim", _("Choose a case to filter by claim."))
            else:
                claim_id = (
                    Claim.objects.filter(case=case, number=number)
                    .values_list("pk", flat=True)
                    .first()
                )
                if claim_id is None:
                    self.add_error(
                        "claim",
                        _("Case %(ref)s has no claim %(n)d.")
                        % {"ref": case.reference, "n": number},
                    )
                data["claim_id"] = claim_id
        return data

    def filters(self) -> dict:
        """The filters of the valid fields (an invalid field filters nothing)."""
        data = getattr(self, "cleaned_data", {})
        case = data.get("case")
        return {
            "status": data.get("status") or "submitted",
            "case": case.pk if case else None,
            "claim": data.get("claim_id") if "claim" not in self.errors else None,
            "flagged": bool(data.get("flagged")),
            "after_priority": bool(data.get("after_priority")),
            "duplicate": bool(data.get("duplicate")),
        }


class IdListField(forms.Field):
    """The ids of the ticked rows (checkboxes named alike, rendered by the template)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one submission."),
        "invalid": _("The selection is not valid; tick the rows again."),
    }

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            ids = [int(item) for item in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(ids))[:500]


class BulkForm(forms.Form):
    """One decision for the ticked rows of the queue."""

    prior_art = IdListField(label=_("Submissions"))
    decision = forms.ChoiceField(
        label=_("What do you want to do with the selected submissions?"),
        choices=[
            ("vet", _("Vet")),
            ("needs_changes", _("Request changes")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed to request changes or reject. Each contributor sees this message."
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in {"needs_changes", "reject"}
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", REASON_REQUIRED)
        return data


class DecisionForm(forms.Form):
    """The screening decision on one submission."""

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("vet", _("Vet: relevant evidence, ready to rank")),
            (
                "needs_changes",
                _("Request changes: useful, but the contributor must fix it"),
            ),
            ("reject", _("Reject: it cannot be used")),
            ("duplicate", _("Duplicate of another submission")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the contributor"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=REASON_HELP,
    )
    duplicate_of = forms.ModelChoiceField(
        label=_("Original submission"),
        queryset=PriorArt.objects.none(),
        required=False,
        empty_label=_("Choose the earlier submission"),
        help_text=_(
            "Only for a duplicate. Its ratings and claim explanations move to the "
            "original."
        ),
    )

    def __init__(self, *args, prior_art: PriorArt, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate_of"].queryset = (
            PriorArt.objects.filter(case_id=prior_art.case_id)
            .exclude(pk=prior_art.pk)
            .exclude(status__in=[PriorArtStatus.WITHDRAWN, PriorArtStatus.REJECTED])
            .order_by("created_at", "pk")
        )
        self.fields["duplicate_of"].label_from_instance = lambda item: (
            f"{item.tracking_ref}: {item.title[:70]} ({item.get_status_display()})"
        )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if (
            decision in {"needs_changes", "reject"}
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", REASON_REQUIRED)
        if (
            decision == "duplicate"
            and not data.get("duplicate_of")
            and "duplicate_of" not in self.errors
        ):
            self.add_error(
                "duplicate_of", _("Say which submission this one duplicates.")
            )
        return data


class ReviewerRatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How relevant is this evidence, in your judgement?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the other reviewers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only reviewers of this case see it."),
    )


class ResolveReportsForm(forms.Form):
    """The decision on every open report of one submission or comment."""

    target = forms.ChoiceField(
        choices=[("prior_art", _("Submission")), ("comment", _("Comment"))],
        widget=forms.HiddenInput,
    )
    id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Uphold: the reports are right")),
            ("dismiss", _("Dismiss: nothing wrong, show it again")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed to uphold. For a comment, everyone sees it in place of the "
            "comment; for a submission not yet screened, it is the rejection reason "
            "the contributor sees."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "uphold" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the reports are upheld."))
        return data


class RestoreCommentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why restore it?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail."),
    )


class ForwardForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand this ends the review of this case and sends the top-ranked "
            "vetted evidence to the examiner. It cannot be undone."
        ),
        error_messages={
            "required": _("Tick the box to confirm that you want to forward now.")
        },
    )

"""Forms for cases: the Wagtail editor's case form and the public case list filters."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Agency, CaseStatus, TechnologyArea
from .permissions import agencies_for_user

PUBLIC_STATUSES = [(s.value, s.label) for s in CaseStatus if s != CaseStatus.DRAFT]


class CaseAdminForm(WagtailAdminModelForm):
    """The case form in the Wagtail admin.

    Editors choose only among their own agencies; a saved case never changes agency.
    Claims are checked as a set (unique numbers, dependencies on earlier existing claims)
    and refused with an explanation once the review window has opened.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agency" in self.fields:
            field = self.fields["agency"]
            field.queryset = (
                agencies_for_user(self.for_user)
                if self.for_user
                else Agency.objects.none()
            )
            if self.instance.pk:
                field.disabled = True
                field.help_text = _("A case stays with the agency that created it.")
            elif field.queryset.count() == 1:
                field.initial = field.queryset.first()

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("review_opens_at"), cleaned.get("review_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "review_closes_at", _("The review must close after it opens.")
            )
        claims = self.formsets.get("claims") if hasattr(self, "formsets") else None
        if claims is not None:
            self._clean_claims(claims)
        return cleaned

    def _clean_claims(self, formset) -> None:
        if self.instance.pk and self.instance.claims_frozen():
            if formset.has_changed() or formset.deleted_forms:
                self.add_error(
                    None,
                    _(
                        "The claims of this case are frozen: its review window opened on "
                        "%(opens)s and submitted evidence refers to them by number. Other "
                        "fields can still be changed. To amend the claims, withdraw this "
                        "case and publish the amended claim set as a new case."
                    )
                    % {
                        "opens": date_format(
                            localtime(self.instance.review_opens_at), "j F Y, H:i T"
                        )
                    },
                )
            return
        formset.is_valid()  # validates each claim form once; the result is cached
        live_forms = [
            form
            for form in formset.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("number")
        ]
        numbers: dict[int, forms.Form] = {}
        for form in live_forms:
            number = form.cleaned_data["number"]
            if number in numbers:
                form.add_error(
                    "number", _("Claim %(n)s appears twice.") % {"n": number}
                )
            numbers[number] = form
        for form in live_forms:
            depends_on = form.cleaned_data.get("depends_on")
            number = form.cleaned_data["number"]
            if depends_on is None:
                continue
            if depends_on >= number:
                continue  # the model's check constraint already said so, on this form
            if depends_on not in numbers:
                form.add_error(
                    "depends_on",
                    _("Claim %(n)s depends on claim %(d)s, which does not exist.")
                    % {"n": number, "d": depends_on},
                )
        if not live_forms:
            self.add_error(None, _("A case needs at least one claim."))


class CaseFilterForm(forms.Form):
    """Filters of the public case list; every field optional, unknown values ignored."""

    q = forms.CharField(
        label=_("Words in the title or reference"), required=False, max_length=200
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All agencies"),
    )
    area = forms.ModelChoiceField(
        label=_("Technology area"),
        queryset=TechnologyArea.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status"))] + PUBLIC_STATUSES,
        required=False,
    )
    closing_soon = forms.BooleanField(label=_("Closing within 14 days"), required=False)


def find_account(value: str):
    """The account a person means by a handle or an e-mail address (case-insensitive).
    Raises ValidationError when there is none, or when an address names several."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    User = get_user_model()
    value = (value or "").strip()
    by_name = User.objects.filter(username__iexact=value).first()
    if by_name is not None:
        return by_name
    if "@" in value:
        matches = list(
            User.objects.filter(
                Q(email__iexact=value)
                | Q(
                    pk__in=EmailAddress.objects.filter(email__iexact=value).values(
                        "user"
                    )
                )
            ).distinct()[:2]
        )
        if len(matches) > 1:
            raise forms.ValidationError(
                _(
                    "More than one account uses that e-mail address; enter the username."
                ),
                code="ambiguous",
            )
        if matches:
            return matches[0]
    raise forms.ValidationError(
        _("No account with that username or e-mail address."), code="unknown"
    )


class AppointForm(forms.Form):
    """Appoint a person to a role in the admin: they are named by handle or e-mail."""

    user = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_("The account must already exist on the site."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_user(self):
        return find_account(self.cleaned_data["user"])


class AreaAppointForm(AppointForm):
    """Appoint a reviewer of a whole technology area (site admins)."""

    area = forms.ModelChoiceField(
        label=_("Technology area"),
        queryset=TechnologyArea.objects.order_by("name"),
        empty_label=_("Choose an area"),
    )
    field_order = ["area", "user"]

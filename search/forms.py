"""The search page's query string, parsed and checked: every field optional; a value the
form cannot use is an error shown beside its field, never a server error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import PUBLIC_STATUSES
from cases.models import CASE_LANGUAGES, Agency, TechnologyArea
from cases.permissions import cases_visible_to
from submissions.models import PriorArtKind

from .engine import MAX_QUERY_LENGTH
from .sources import TYPE_CHOICES, Filters

# The query-string names of the filters, in the order the page lists them.
FILTER_NAMES = (
    "type",
    "agency",
    "area",
    "status",
    "kind",
    "date_from",
    "date_to",
    "language",
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SearchForm(forms.Form):
    """``q`` and the filters of ``/search/``. ``case`` narrows the search to one case the
    user may see; the view answers 404 for any other value."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "true"}),
    )
    type = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("Everything"))] + TYPE_CHOICES,
        required=False,
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All agencies"),
    )
    area = forms.ModelChoiceField(
        label=_("Technology area"),
        queryset=TechnologyArea.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    status = forms.ChoiceField(
        label=_("Case status"),
        choices=[("", _("Any status"))] + PUBLIC_STATUSES,
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=[("", _("Any kind"))] + list(PriorArtKind.choices),
        required=False,
    )
    date_from = forms.DateField(
        label=_("Dated from"),
        required=False,
        widget=DateInput(),
        help_text=_("For example 2019-03-31"),
    )
    date_to = forms.DateField(
        label=_("Dated up to"),
        required=False,
        widget=DateInput(),
        help_text=_("For example 2024-12-31"),
    )
    language = forms.ChoiceField(
        label=_("Language of library documents"),
        choices=[("", _("Any language"))] + list(CASE_LANGUAGES),
        required=False,
    )
    case = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases_visible_to(user).select_related("agency")
        self.fields["case"].error_messages["invalid_choice"] = _(
            "That case does not exist."
        )
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _(
                "Enter a date as year-month-day, for example 2021-06-30."
            )
        for name in ("type", "status", "kind", "language"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "“%(value)s” is not one of the choices; choose from the list."
            )
        for name in ("agency", "area"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "There is no such choice; choose from the list."
            )

    def full_clean(self):
        super().full_clean()
        # Screen readers announce the error with its field (the template gives the
        # message this id); the hint stays described too.
        for name in self.errors:
            if name not in self.fields or name == "case":
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                ids.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", _("The end of the date range must not be before its start.")
            )
        return cleaned

    def filters(self) -> Filters:
        """The valid filters as the engine takes them; a field in error is left out."""
        data = getattr(self, "cleaned_data", {})
        agency, area = data.get("agency"), data.get("area")
        return Filters(
            agency=agency.slug if agency else "",
            area=area.slug if area else "",
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            language=data.get("language") or "",
            case=data.get("case"),
            types=(data["type"],) if data.get("type") else (),
        )

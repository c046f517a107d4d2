"""Account forms: sign-up with a spam trap, notification preferences."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with a honeypot: a field people never see (hidden by CSS and from
    assistive technology) that form-filling bots complete."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise ValidationError(
                _("Sign-up could not be completed. Please try again.")
            )
        return cleaned


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["notify_frequency"]
        widgets = {"notify_frequency": forms.RadioSelect}


class EraseAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        help_text=_(
            'Your contributions stay on the site, attributed to "former contributor". '
            "Your handle, e-mail address and password are removed. This cannot be undone."
        ),
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value.strip() != "DELETE":
            raise ValidationError(_("Type DELETE in capital letters to confirm."))
        return value

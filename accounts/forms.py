"""Account forms: sign-up with a spam trap, notification preferences, erasure, follows."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class HoneypotField(forms.CharField):
    """A field people never see. Templates render it in a wrapper that is moved off
    screen by CSS and marked ``aria-hidden`` (``accounts/_field.html``), never as
    ``type=hidden``: bots that fill every text input fill this one too."""

    is_honeypot = True

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        super().__init__(**kwargs)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with a honeypot: a field people never see (hidden by CSS and from
    assistive technology) that form-filling bots complete."""

    website = HoneypotField(label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "username" in self.fields:
            self.fields["username"].label = _("Public handle")
            self.fields["username"].help_text = _(
                "Shown next to everything you contribute. Use a nickname if you "
                "prefer not to be identified. Letters, digits and @ . + - _ only."
            )
        if "email" in self.fields:
            self.fields["email"].label = _("E-mail address")
            self.fields["email"].help_text = _(
                "Never shown to anyone. We use it to confirm your account, to reset "
                "your password and, if you wish, to send you notifications."
            )
        if "password2" in self.fields:
            self.fields["password2"].label = _("Password again")
        for field in self.fields.values():
            # Labels say what to enter; placeholders would vanish while typing.
            field.widget.attrs.pop("placeholder", None)

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
        labels = {"notify_frequency": _("How often should we e-mail you?")}
        help_texts = {
            "notify_frequency": _(
                "About new evidence on cases you follow, replies to your comments and "
                "changes to the status of your submissions."
            )
        }
        error_messages = {
            "notify_frequency": {
                "required": _("Choose how often we should e-mail you."),
                "invalid_choice": _("Choose one of the options shown."),
            }
        }


class EraseAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        error_messages={"required": _("Type DELETE to confirm.")},
        help_text=_(
            'Your contributions stay on the site, attributed to "former contributor". '
            "Your handle, e-mail address and password are removed. This cannot be undone."
        ),
    )

    def __init__(self, *args, user=None, request=None, **kwargs):
        """With ``user``, the form also asks for the account's password, checked through
        the authentication backends so that django-axes counts wrong guesses."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        if user is not None:
            self.fields["password"] = forms.CharField(
                label=_("Your password"),
                strip=False,
                error_messages={"required": _("Enter your password.")},
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )
            self.order_fields(["password", "confirm"])

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value.strip() != "DELETE":
            raise ValidationError(_("Type DELETE in capital letters to confirm."))
        return value

    def clean_password(self):
        password = self.cleaned_data["password"]
        checked = authenticate(
            self.request, username=self.user.get_username(), password=password
        )
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(_("That is not your password."))
        return password


class FollowForm(forms.Form):
    """``follow=1`` follows, ``follow=0`` unfollows."""

    follow = forms.TypedChoiceField(
        choices=[("1", _("Follow")), ("0", _("Unfollow"))],
        coerce=lambda value: value == "1",
    )

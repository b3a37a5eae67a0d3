from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class LanguageSelect(forms.Select):
    """Each language named in itself and marked as such ("English" in lang="en")."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "name",
            "email",
            "phone",
            "language",
            "large_text",
            "notify_email",
            "notify_sms",
        ]
        widgets = {"language": LanguageSelect}


class OTPCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        error_messages={"invalid": _("Enter the six digits the app shows.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

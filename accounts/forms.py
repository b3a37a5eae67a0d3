from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


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

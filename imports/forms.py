from django import forms
from django.utils.translation import gettext_lazy as _

from .columns import KIND_LABELS, Kind

MAX_UPLOAD = 20 * 1024 * 1024  # 20 MB: far more than 10,000 rows need


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to import"),
        choices=[(k, KIND_LABELS[k]) for k in Kind.ALL],
    )
    body = forms.ModelChoiceField(
        label=_("Congress body"), queryset=None, required=False, empty_label=None
    )
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            }
        ),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        if bodies.count() < 2:
            self.fields["body"].widget = forms.HiddenInput()

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return file

"""The assessment formulas in the admin: one number per scoring rule instead of raw
JSON, checked as the API checks them (``dashboard.services``: a version that scored
a sealed session is history, neither changed nor deleted)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from congress.admin import InStaffBodiesAdmin, InStaffBodiesFilter

from . import services
from .assessment import MAX_POINTS, RULES, Formula, stored_weights
from .models import AssessmentFormula


def _field_name(key: str) -> str:
    return f"points_{key}"


def _points_fields() -> dict[str, forms.DecimalField]:
    """A number field per registered rule (declared, so that the admin's
    fieldsets may name them)."""
    fields = {}
    for key, rule in RULES.items():
        help_text = rule.description
        if rule.deduction:
            help_text = _("Deducted: %(what)s") % {"what": rule.description}
        fields[_field_name(key)] = forms.DecimalField(
            label=rule.label,
            help_text=help_text,
            min_value=0,
            max_value=MAX_POINTS,
            max_digits=5,
            decimal_places=2,
            initial=rule.default,
        )
    return fields


class _FormulaForm(forms.ModelForm):
    class Meta:
        model = AssessmentFormula
        fields = ["body", "effective_from", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            current = Formula.of(self.instance).weights
            for key in RULES:
                self.fields[_field_name(key)].initial = current.get(key, 0)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.instance.weights = stored_weights(
            {key: data[_field_name(key)] for key in RULES}
        )
        body = data.get("body")
        if body is not None and data.get("effective_from") is not None:
            self.instance.body = body
            self.instance.effective_from = data["effective_from"]
            session = services.history_conflict(body.pk, saving=self.instance)
            if session is not None:
                raise forms.ValidationError(services.history_error(session))
        return data


AssessmentFormulaForm = type(
    "AssessmentFormulaForm",
    (_FormulaForm,),
    {"__module__": __name__, **_points_fields()},
)


@admin.register(AssessmentFormula)
class AssessmentFormulaAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    form = AssessmentFormulaForm
    list_display = ["body", "effective_from", "note", "created_at", "created_by"]
    list_filter = [("body", InStaffBodiesFilter)]
    list_select_related = ["body", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    fieldsets = [
        (None, {"fields": ["body", "effective_from", "note"]}),
        (_("Points per item"), {"fields": [_field_name(key) for key in RULES]}),
        (None, {"fields": ["created_at", "created_by"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.history_conflict(obj.body_id, removing=obj.pk):
            return False
        return super().has_delete_permission(request, obj)

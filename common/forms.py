"""Form fields shared by the pages."""

from django import forms
from django.core.exceptions import ValidationError

# Keys are 64-bit integers: a number outside that range is no choice, and must be a
# form error rather than an ``OverflowError`` from the database driver.
MIN_KEY, MAX_KEY = -(2**63), 2**63 - 1


def out_of_range(value) -> bool:
    """Whether ``value`` reads as an integer that no 64-bit key can hold."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False
    return not MIN_KEY <= number <= MAX_KEY


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field, with an id beyond 64 bits an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with an id beyond 64 bits an invalid value."""

    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            values = ()
        for pk in values:
            if out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:30]},
                )
        return super()._check_values(value)


def text_area(
    label, *, max_length: int, required: bool = True, rows: int = 4, help_text=""
) -> forms.CharField:
    """A text box for a note, an opinion or a reason: the browser stops typing at
    ``max_length`` and the form says so if it gets more."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
    )

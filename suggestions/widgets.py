"""Select boxes with hundreds of options (units, deputies, delegations) rendered in
Python: the template engine spends about 0.1 ms per ``<option>``, which alone would
take the list pages past their budget (benchmarks/dashboard_lists.py). Django's ``optgroups()`` and its
``format_html`` still cost about 10 µs an option (an option dict, attributes and two
lazy-aware escapes each), so the options are written straight from ``choices`` with
the standard library's ``html.escape``, the same escaping as Django's. The markup is
that of ``templates/django/forms/widgets/select.html``; a test compares the two.

A model field's options are read with one plain query (``_choices``): Django's
``ModelChoiceIterator`` reads them with ``iterator()``, which on PostgreSQL opens a
server-side cursor (DECLARE, FETCH, CLOSE: three round trips where one will do, for
a list that is never larger than one congress body's deputies)."""

from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe


def _text(value) -> str:
    """``value`` as HTML text: escaped, unless it is already safe markup."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: every attribute but ``class``."""
    parts = []
    for name, value in attrs.items():
        if name == "class" or value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_text(value)}"')
    return "".join(parts)


def _choices(choices):
    """``choices`` as (value, label) pairs; a model field's (a ``ModelChoiceIterator``)
    read in one plain query, with the same first options as the iterator gives: the
    empty one, then django-filter's "none" one when the field has it."""
    if not isinstance(choices, ModelChoiceIterator):
        return choices
    field = choices.field
    first = []
    if field.empty_label is not None:
        first.append(("", field.empty_label))
    if getattr(field, "null_label", None) is not None:
        first.append((field.null_value, field.null_label))
    return first + [choices.choice(row) for row in choices.queryset.all()]


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        css = "form-select"
        if final_attrs.get("class"):
            css += " " + _text(final_attrs["class"])
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        chosen = set(self.format_value(value))
        multiple = self.allow_multiple_selected
        out = [f'<select name="{_text(name)}" class="{css}"{_attrs(final_attrs)}>']
        for group_value, group_label in _choices(self.choices):
            if isinstance(group_label, (list, tuple)):
                out.append(f'\n  <optgroup label="{_text(group_value)}">')
                options = group_label
            else:
                options = ((group_value, group_label),)
            for option_value, label in options:
                key = "" if option_value is None else str(option_value)
                selected = key in chosen
                if selected and not multiple:
                    chosen = set()  # a single select selects its first match only
                out.append(
                    f'\n  <option value="{_text(key)}"'
                    f"{' selected' if selected else ''}>{_text(label)}</option>"
                )
            if options is group_label:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


FAST = {forms.Select: FastSelect, forms.SelectMultiple: FastSelectMultiple}


def speed_up_selects(form) -> None:
    """Render ``form``'s plain select boxes with the fast widgets (same markup)."""
    for field in form.fields.values():
        fast = FAST.get(type(field.widget))
        if fast is not None:
            field.widget.__class__ = fast

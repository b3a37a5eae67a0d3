"""Select boxes with hundreds of options (units, deputies, delegations) rendered in
Python: the template engine spends about 0.1 ms per ``<option>``, which alone would
take the list pages past their budget (issue 6). The markup is that of
``templates/django/forms/widgets/select.html``."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: every attribute but ``class``."""
    parts = []
    for name, value in attrs.items():
        if name == "class" or value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return mark_safe("".join(parts))  # noqa: S308 (each part built by format_html)


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        css = "form-select"
        if widget["attrs"].get("class"):
            css += " " + str(widget["attrs"]["class"])
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>',
                (
                    (str(o["value"]), " selected" if o["selected"] else "", o["label"])
                    for o in options
                ),
            )
            if group_name:
                html = format_html(
                    '\n  <optgroup label="{}">{}\n  </optgroup>', group_name, html
                )
            groups.append(html)
        return format_html(
            '<select name="{}" class="{}"{}>{}\n</select>',
            widget["name"],
            css,
            _attrs(widget["attrs"]),
            mark_safe("".join(groups)),  # noqa: S308 (format_html parts)
        )


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

"""The list filters' shared controls, so that every list offers the same words: a
yes/no filter reads 全部 / 是 / 否, a sort order "编号（降序）"."""

import django_filters
from django.forms.utils import pretty_name
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.widgets import BooleanWidget


class YesNoWidget(BooleanWidget):
    """ "All" (no filter), "Yes", "No"; "true"/"false" (or 1/0) in the query string,
    anything else is no filter."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("", pgettext_lazy("filter", "All")),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class YesNoFilter(django_filters.BooleanFilter):
    """Every yes/no filter of the site."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoWidget)
        super().__init__(*args, **kwargs)


class OrderingFilter(django_filters.OrderingFilter):
    """A sort select whose descending choices read as one phrase in the reader's
    language ("编号（降序）", "Number (descending)"); every choice is lazy, so the
    select speaks the language of the request, not of the import."""

    def build_choices(self, fields, labels):
        choices = []
        for field, param in fields.items():
            label = labels.get(field, pretty_name(param))
            choices.append((param, label))
            descending = labels.get(
                f"-{param}",
                format_lazy(pgettext_lazy("sort order", "{} (descending)"), label),
            )
            choices.append((f"-{param}", descending))
        return choices

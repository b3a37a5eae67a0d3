"""The fast select boxes of the list filters (suggestions/widgets.py) write exactly
the markup of the project's select template, with the same escaping and the same
selected options."""

import re

import pytest
from django import forms

from suggestions.models import Category, Suggestion
from suggestions.widgets import FastSelect, FastSelectMultiple, speed_up_selects
from tests.factories import CongressBodyFactory


def markup(html: str) -> str:
    """``html`` without the line breaks that the template's includes leave inside
    tags and between options (the browser ignores them)."""
    return re.sub(r"\n\s*\n", "\n", re.sub(r"\s+>", ">", html))


CHOICES = [
    ("", "---------"),
    (1, "教育"),
    ("2", 'A & B <b>"quoted"</b> it\'s'),
    ("Group <1>", [(3, "三"), ("4", "四 & 4")]),
    (None, "none"),
    (5, "教育"),
]


@pytest.mark.parametrize("value", [None, "", 1, "2", 3, "4", "9", "<x>", "5"], ids=repr)
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_f", "class": "extra", "data-x": 'a"b', "disabled": True}]
)
def test_a_select_is_written_as_the_template_writes_it(value, attrs):
    stock = forms.Select(choices=CHOICES, attrs={"aria-label": "类 别"})
    fast = FastSelect(choices=CHOICES, attrs={"aria-label": "类 别"})
    expected = markup(stock.render("category", value, attrs))
    assert fast.render("category", value, attrs) == expected


@pytest.mark.parametrize("value", [None, [], ["1"], [1, "4", "2"], ["x"]], ids=repr)
def test_a_multiple_select_is_written_as_the_template_writes_it(value):
    stock = forms.SelectMultiple(choices=CHOICES)
    fast = FastSelectMultiple(choices=CHOICES)
    expected = markup(stock.render("units", value, {"id": "id_units"}))
    assert fast.render("units", value, {"id": "id_units"}) == expected


@pytest.mark.django_db
def test_model_choices_render_the_same_after_speed_up():
    body = CongressBodyFactory()
    Category.objects.create(body=body, name="<教育>", position=1)
    Category.objects.create(body=body, name="交通 & 城建", position=2)

    class Filter(forms.Form):
        category = forms.ModelChoiceField(Category.objects.order_by("position"))

    chosen = Category.objects.get(position=2).pk
    expected = markup(Filter({"category": chosen})["category"].as_widget())
    form = Filter({"category": chosen})
    speed_up_selects(form)
    assert type(form.fields["category"].widget) is FastSelect
    assert form["category"].as_widget() == expected
    assert "&lt;教育&gt;" in expected and f'value="{chosen}" selected' in expected


@pytest.mark.django_db
def test_a_filters_model_choices_are_read_in_one_plain_query():
    """A list filter's model choices (django-filter's, with its "none" option) give
    the same markup fast as the template gives, read by one query with no
    server-side cursor (Django's iterator() opens one on PostgreSQL: DECLARE, FETCH
    and CLOSE for some forty rows)."""
    import django_filters
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    body = CongressBodyFactory()
    for position, name in enumerate(["教育", "交通 & 城建", "<卫生>"], start=1):
        Category.objects.create(body=body, name=name, position=position)

    class Filter(django_filters.FilterSet):
        category = django_filters.ModelChoiceFilter(
            queryset=Category.objects.order_by("position"), null_label="未分类"
        )

        class Meta:
            model = Suggestion
            fields = []

    chosen = Category.objects.get(position=3).pk
    expected = markup(Filter({"category": chosen}).form["category"].as_widget())
    form = Filter({"category": chosen}).form
    assert form.is_valid()  # as the list has done before it renders
    speed_up_selects(form)
    with CaptureQueriesContext(connection) as queries:
        fast = form["category"].as_widget()
    assert fast == expected
    assert '<option value="null">未分类</option>' in fast
    assert f'value="{chosen}" selected>&lt;卫生&gt;' in fast
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert queries[0]["sql"].startswith("SELECT"), queries[0]["sql"]

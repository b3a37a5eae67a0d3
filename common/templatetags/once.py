"""``{% form_token %}``: the hidden one-time token of a form that creates something
(common/once.py)."""

from django import template
from django.utils.html import format_html

from ..once import FIELD, issue

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, issue(user))

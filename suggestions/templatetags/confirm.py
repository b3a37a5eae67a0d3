"""``{% confirm "action" %}`` on a button that does a step that cannot be undone:
the attributes from which ``static/js/submit-once.js`` builds the dialog that asks
first (``actions.CONFIRMATIONS`` says what it asks)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from suggestions.actions import CONFIRMATIONS

register = template.Library()


@register.simple_tag
def confirm(action: str) -> str:
    """The button's data attributes for the confirmation of ``action``; an action
    without one is a mistake in the template."""
    try:
        question = CONFIRMATIONS[action]
    except KeyError:
        raise template.TemplateSyntaxError(
            f"no confirmation for the action {action!r}"
        ) from None
    return format_html(
        'data-confirm-action="{}" data-confirm-title="{}" data-confirm="{}" '
        'data-confirm-button="{}" data-confirm-cancel="{}"',
        action,
        question.title,
        question.message,
        question.button,
        gettext("Cancel"),
    )

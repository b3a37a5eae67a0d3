"""Django's own texts that read badly in Chinese ("确保该变量包含不超过 200 字符"), worded
for an office in our catalogue (``locale/zh_Hans``), which ``LOCALE_PATHS`` puts before
Django's: "请不要超过 200 个字（现有 201 个字）。" on every form of the site.

Marked here only so that ``makemessages`` keeps them in our catalogue; nothing reads
these objects. Each message id must stay exactly Django's (``django/core/validators.py``,
``django/forms/fields.py``), or Django's own wording comes back; a test compares them.
"""

from django.utils.translation import ngettext_lazy

DJANGO_TEXTS = (
    # django.core.validators.MaxLengthValidator
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has "
        "%(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has "
        "%(show_value)d).",
        "limit_value",
    ),
    # django.core.validators.MinLengthValidator
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has "
        "%(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has "
        "%(show_value)d).",
        "limit_value",
    ),
    # django.forms.FileField (a letter's file name)
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
)

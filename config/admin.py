"""The admin site's header and titles in the reader's language, not "Django 管理"."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class Site(admin.AdminSite):
    site_header = _("Suggestion handling administration")
    site_title = _("Suggestion handling administration")
    index_title = _("Administration")

"""The maintained statistics snapshot of each session (README: "Statistics: what is
exact and what may lag").

``SessionStatistics`` is the small row: the change counter that every workflow change
bumps in its own transaction (``version``), the version the stored figures were
computed from (``computed_version``) and the session's totals. The breakdown tables
(by category, unit, delegation …, the unit league table) live apart in
``SessionBreakdown``, so that the trend across sessions reads small rows only.

A snapshot is fresh when ``computed_version == version`` and the day is not past
``expires_on`` (the first day an assignment not yet acknowledged turns late).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models import Session


class SessionStatistics(models.Model):
    session = models.OneToOneField(
        Session,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="statistics",
        verbose_name=_("session"),
    )
    # Bumped by ``dashboard.changes.session_changed`` (raw SQL upsert: the column
    # defaults live in the database so that the upsert may leave them out).
    version = models.BigIntegerField(_("version"), default=0, db_default=0)
    computed_version = models.BigIntegerField(
        _("computed from version"), null=True, blank=True
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_on = models.DateField(_("computed for the day"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    # Suggestions counted when last computed: the size that decides between a
    # synchronous recompute and a background one.
    suggestions = models.PositiveIntegerField(
        _("suggestions counted"), default=0, db_default=0
    )
    previous_session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous session"),
    )
    totals = models.JSONField(_("totals"), null=True, blank=True)

    class Meta:
        verbose_name = _("session statistics")
        verbose_name_plural = _("session statistics")

    def __str__(self):
        return f"statistics of session {self.session_id} (v{self.version})"

    def is_fresh(self, today) -> bool:
        return (
            self.totals is not None
            and self.computed_version == self.version
            and self.computed_on is not None
            and self.computed_on <= today
            and (self.expires_on is None or today <= self.expires_on)
        )


class SessionBreakdown(models.Model):
    """The breakdown tables of a session's snapshot, written with its totals."""

    statistics = models.OneToOneField(
        SessionStatistics,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="breakdown",
        verbose_name=_("statistics"),
    )
    data = models.JSONField(_("breakdown"), default=dict)

    class Meta:
        verbose_name = _("session breakdown")
        verbose_name_plural = _("session breakdowns")

    def __str__(self):
        return f"breakdown of session {self.statistics_id}"

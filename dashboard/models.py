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

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from congress.models import CongressBody, Session


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


class AssessmentFormula(models.Model):
    """One version of a congress body's formula for assessing its handling units
    (绩效考核, docs/statistics.md "Unit assessment"): the points of each scoring rule
    (``dashboard.assessment.RULES``), in force from ``effective_from``.

    A session is scored with the body's version in force on its opening date (the
    latest ``effective_from`` on or before ``Session.opened_on``); a body without
    one is scored with the built-in default (each rule's default points). A version
    that scored a sealed session is history: it is never changed nor deleted, and
    no new version may take effect before that session (``dashboard.services``)."""

    body = models.ForeignKey(
        CongressBody,
        on_delete=models.PROTECT,
        related_name="assessment_formulas",
        verbose_name=_("congress body"),
    )
    effective_from = models.DateField(_("in force from"))
    # Rule key → points per item, as a number ≥ 0 (a deduction rule subtracts
    # them); a rule left out scores nothing under this version.
    weights = models.JSONField(_("points per rule"), default=dict)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("assessment formula")
        verbose_name_plural = _("assessment formulas")
        ordering = ["body", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "effective_from"],
                name="assessment_formula_one_per_day",
            ),
        ]

    def __str__(self):
        return _("Assessment formula of %(body)s from %(date)s") % {
            "body": self.body,
            "date": formats.date_format(self.effective_from),
        }

"""The institution: congresses, their sessions, deputies, handling units and rules."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CongressLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    PREFECTURE = "prefecture", _("Prefecture / city")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class CongressBody(models.Model):
    """A people's congress as an institution (人民代表大会), e.g. 昌吉回族自治州人民代表大会:
    the body whose terms (``Congress``) come and go. Its handling units belong to it;
    a county's body has the prefecture's as its parent (docs/architecture.md,
    "Congress bodies")."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    region = models.CharField(_("region"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=CongressLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent body"),
    )

    class Meta:
        verbose_name = _("congress body")
        verbose_name_plural = _("congress bodies")
        # In the order they were set up: the platform's own body first.
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=CongressLevel.values), name="body_level_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="body_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A body cannot be its own parent.")})


class Congress(models.Model):
    """A people's congress for one term (届), e.g. the 16th Changji Prefecture congress:
    one term of a ``CongressBody``, whose region and level it shares."""

    body = models.ForeignKey(
        CongressBody,
        on_delete=models.PROTECT,
        related_name="congresses",
        verbose_name=_("congress body"),
    )
    ordinal = models.PositiveSmallIntegerField(_("term"))

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["body", "-ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "ordinal"], name="congress_unique_term"
            ),
        ]

    def __str__(self):
        from .names import ordinal_in_name

        return _("%(region)s People's Congress, term %(ordinal)s") % {
            "region": self.region,
            "ordinal": ordinal_in_name(self.ordinal),
        }

    @property
    def name(self) -> str:
        return str(self)

    @property
    def region(self) -> str:
        """The body's region (select ``body`` with the congress to read it)."""
        return self.body.region

    @property
    def level(self) -> str:
        return self.body.level


def default_offered_outcomes() -> list[str]:
    # The NPC scheme has four reply classes; Changji and many places offer three.
    return ["resolved", "in_progress", "explained"]


class Outcome(models.TextChoices):
    """How a reply classes its answer (A/B/C/D); the handling rules choose which
    classes a congress offers its units."""

    RESOLVED = "resolved", _("A: resolved or basically resolved")
    IN_PROGRESS = "in_progress", _("B: being resolved or planned")
    EXPLAINED = "explained", _("C: explained, to be solved later")
    REFERENCE = "reference", _("D: kept for reference")

    @property
    def short_label(self) -> str:
        """Short enough for a chart's legend: A类 已解决 (the full label in the
        tooltip)."""
        return str(_OUTCOME_SHORT_LABELS[self.value])

    @property
    def letter(self) -> str:
        """The class mark (A, B, C or D) a reply letter carries at its top left and
        the 汇总表 lists; every label starts with it."""
        return _OUTCOME_LETTERS[self.value]


_OUTCOME_LETTERS = {
    "resolved": "A",
    "in_progress": "B",
    "explained": "C",
    "reference": "D",
}

_OUTCOME_SHORT_LABELS = {
    "resolved": pgettext_lazy("outcome, short", "A: resolved"),
    "in_progress": pgettext_lazy("outcome, short", "B: in progress"),
    "explained": pgettext_lazy("outcome, short", "C: explained"),
    "reference": pgettext_lazy("outcome, short", "D: for reference"),
}


class ContactStage(models.TextChoices):
    """When a unit met the deputy (三见面): before handling, during it, before
    replying. Here, below both the rules (which stages a reply needs) and the
    contact records (which stage each one was)."""

    BEFORE = "before", pgettext_lazy("contact stage", "Before handling")
    DURING = "during", pgettext_lazy("contact stage", "During handling")
    BEFORE_REPLY = "before_reply", pgettext_lazy("contact stage", "Before replying")


def default_required_contact_stages() -> list[str]:
    # Law on Deputies art. 51 and most regulations: contact the deputy before
    # replying; the full 三见面 is a congress's choice.
    return [ContactStage.BEFORE_REPLY.value]


class LeadReplyRule(models.TextChoices):
    """Whether the lead unit may reply before its co-units have given their opinions."""

    WAIT = "wait", _("Wait for every co-unit's opinion or its deadline")
    NOTE = "note", _("Reply earlier only with a note saying why")
    FREE = "free", _("No check")


class RatingSendsBack(models.TextChoices):
    """Which of the deputy's two ratings, when dissatisfied, sends the suggestion
    back for re-handling (``suggestions.ratings.sends_back``)."""

    RESULT = "result", _("A dissatisfied result")
    ATTITUDE = "attitude", _("A dissatisfied attitude")
    EITHER = "either", _("Either rating dissatisfied")


class HandlingRules(models.Model):
    """The time limits and choices that differ from place to place (docs/deadlines.md).

    Defaults follow the Law on Deputies (art. 51: reply within three months, six for
    wide-ranging and difficult matters) and the common provincial regulations.
    """

    congress = models.OneToOneField(
        Congress,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("congress"),
    )
    reply_months = models.PositiveSmallIntegerField(
        _("months to reply"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Law on Deputies, art. 51: three months from assignment."),
    )
    complex_reply_months = models.PositiveSmallIntegerField(
        _("months to reply for complex matters"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    max_extension_months = models.PositiveSmallIntegerField(
        _("longest deadline after extension (months from assignment)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    reassignment_window_working_days = models.PositiveSmallIntegerField(
        _("working days to ask for reassignment"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    co_unit_opinion_months = models.PositiveSmallIntegerField(
        _("months for a co-unit's opinion"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    rating_window_working_days = models.PositiveSmallIntegerField(
        _("working days for the deputy's rating"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    rehandling_reply_months = models.PositiveSmallIntegerField(
        _("months to reply when re-handling"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    contact_reminder_working_days = models.PositiveSmallIntegerField(
        _("working days before a contact reminder"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    plan_working_days = models.PositiveSmallIntegerField(
        _("working days to file the handling plan"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "The lead unit files its 五定 plan (leader, officer, measures, progress, "
            "completion date) within this many working days of acknowledging."
        ),
    )
    max_rehandling_rounds = models.PositiveSmallIntegerField(
        _("re-handling rounds allowed"),
        default=1,
        validators=[MaxValueValidator(5)],
    )
    offered_outcomes = models.JSONField(
        _("reply classes offered"), default=default_offered_outcomes
    )
    lead_reply_before_co_opinions = models.CharField(
        _("lead reply before the co-units' opinions"),
        max_length=8,
        choices=LeadReplyRule.choices,
        default=LeadReplyRule.NOTE,
        help_text=_(
            "Whether the lead unit may reply while a co-unit has neither given its "
            "opinion nor reached its opinion deadline."
        ),
    )
    rating_sends_back = models.CharField(
        _("rating that sends a suggestion back for re-handling"),
        max_length=8,
        choices=RatingSendsBack.choices,
        default=RatingSendsBack.RESULT,
        help_text=_(
            "The deputy rates the handling attitude and the result; which of them, "
            "when dissatisfied, has the unit handle the suggestion again."
        ),
    )
    required_contact_stages = models.JSONField(
        _("contact stages required before the reply"),
        default=default_required_contact_stages,
        blank=True,
        help_text=_(
            "The meetings with the deputy (before handling, during it, before "
            "replying) the lead unit must have recorded before it may reply."
        ),
    )

    class Meta:
        verbose_name = _("handling rules")
        verbose_name_plural = _("handling rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_extension_months__gte=models.F("reply_months")),
                name="rules_extension_not_shorter_than_reply",
            ),
            models.CheckConstraint(
                condition=Q(reply_months__gte=1)
                & Q(rehandling_reply_months__gte=1)
                & Q(co_unit_opinion_months__gte=1),
                name="rules_positive_months",
            ),
            models.CheckConstraint(
                condition=Q(lead_reply_before_co_opinions__in=LeadReplyRule.values),
                name="rules_lead_reply_rule_valid",
            ),
            models.CheckConstraint(
                condition=Q(rating_sends_back__in=RatingSendsBack.values),
                name="rules_rating_sends_back_valid",
            ),
        ]

    def __str__(self):
        return _("Handling rules of %(congress)s") % {"congress": self.congress}

    def clean(self):
        valid = set(Outcome.values)
        outcomes = self.offered_outcomes
        if (
            not isinstance(outcomes, list)
            or not outcomes
            or any(o not in valid for o in outcomes)
        ):
            raise ValidationError(
                {
                    "offered_outcomes": _("Choose one or more of: %(choices)s.")
                    % {"choices": ", ".join(Outcome.values)}
                }
            )
        if Outcome.RESOLVED not in outcomes:
            raise ValidationError(
                {"offered_outcomes": _("The class 'resolved' must always be offered.")}
            )
        stages = self.required_contact_stages
        if not isinstance(stages, list) or any(
            st not in ContactStage.values for st in stages
        ):
            raise ValidationError(
                {
                    "required_contact_stages": _("Choose none or more of: %(choices)s.")
                    % {"choices": ", ".join(ContactStage.values)}
                }
            )

    @property
    def required_stages(self) -> list[str]:
        """The required contact stages in their order (before, during, before
        replying), whatever order they were stored in."""
        stored = set(self.required_contact_stages or ())
        return [st for st in ContactStage.values if st in stored]


class SessionQuerySet(models.QuerySet):
    def current(self, bodies=None):
        """The session marked current, the most recently opened if several are (a
        body's congress has one; ``bodies``: among those of these congress bodies,
        None for any)."""
        rows = self.filter(is_current=True)
        if bodies is not None:
            rows = rows.filter(congress__body_id__in=bodies)
        return rows.order_by("-opened_on", "-pk").first()

    def accepting_suggestions(self):
        """The sessions open for intake: per congress the current one, unless it is
        sealed. Suggestions made between meetings belong to the latest session
        (闭会期间提出的建议归入上一次会议), which stays current until the next one
        opens. The same rule as ``Session.accepts_suggestions``."""
        return self.filter(is_current=True, sealed_at__isnull=True)


ONE_CURRENT_SESSION = "session_one_current_per_congress"


class Session(models.Model):
    """One annual session (次会议) of a congress; suggestions between sessions attach
    to the session they follow."""

    congress = models.ForeignKey(
        Congress,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("congress"),
    )
    ordinal = models.PositiveSmallIntegerField(_("session number"))
    year = models.PositiveSmallIntegerField(_("year"))
    opened_on = models.DateField(_("opening date"))
    is_current = models.BooleanField(_("current session"), default=False)
    # Sealed once the session's annual review is final: nothing that changes its
    # counted figures is accepted until staff reopen it (``SessionSealing`` keeps
    # every seal and reopening).
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sealed by"),
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "ordinal"], name="session_unique_ordinal"
            ),
            models.UniqueConstraint(
                fields=["congress"],
                condition=Q(is_current=True),
                name=ONE_CURRENT_SESSION,
            ),
        ]

    def __str__(self):
        from .names import ordinal_in_name

        return _("%(congress)s, session %(ordinal)s (%(year)s)") % {
            "congress": self.congress,
            "ordinal": ordinal_in_name(self.ordinal),
            "year": self.year,
        }

    @property
    def name(self) -> str:
        return str(self)

    @property
    def short_name(self) -> str:
        """昌吉州十六届人大二次会议 (``congress.names``)."""
        from .names import session_short_name

        return session_short_name(self)

    @property
    def short_label(self) -> str:
        """2023年: short enough for a chart's axis (``congress.names``)."""
        from .names import session_short_label

        return session_short_label(self)

    @property
    def is_sealed(self) -> bool:
        return self.sealed_at is not None

    @property
    def accepts_suggestions(self) -> bool:
        """Open for intake: the congress's current session, not sealed (the rule of
        ``SessionQuerySet.accepting_suggestions``)."""
        return self.is_current and self.sealed_at is None

    def get_constraints(self):
        """The constraints a form validates: all but "one current session per
        congress", which saving through ``congress.services.session_save`` keeps by
        moving the mark from the other session instead of refusing this one (the
        database still refuses two)."""
        return [
            (model, [c for c in constraints if c.name != ONE_CURRENT_SESSION])
            for model, constraints in super().get_constraints()
        ]


class SealingAction(models.TextChoices):
    SEAL = "seal", _("Sealed")
    REOPEN = "reopen", _("Reopened")


class SessionSealing(models.Model):
    """One sealing or reopening of a session: who, when and why. Rows are only
    added, never changed."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="sealings",
        verbose_name=_("session"),
    )
    action = models.CharField(_("action"), max_length=10, choices=SealingAction.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("sealing of a session")
        verbose_name_plural = _("sealings of sessions")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["seal", "reopen"]),
                name="session_sealing_action_valid",
            ),
            models.CheckConstraint(
                condition=~Q(action="reopen") | ~Q(reason=""),
                name="session_sealing_reopen_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.session} {self.get_action_display()} {self.at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A record of sealing is never changed.")
        super().save(*args, **kwargs)


class Delegation(models.Model):
    """A delegation (代表团) of deputies, usually one per county or city."""

    congress = models.ForeignKey(
        Congress,
        on_delete=models.PROTECT,
        related_name="delegations",
        verbose_name=_("congress"),
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["congress", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "name"], name="delegation_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Deputy(models.Model):
    """A people's deputy of one congress; may be linked to a user account."""

    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        related_name="deputies",
        verbose_name=_("delegation"),
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, blank=True
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # One login for a person elected to several bodies (a county's congress and
    # the prefecture's): a record per body and term, each linked to the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy_records",
        verbose_name=_("user account"),
    )

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["delegation", "name", "pk"]
        indexes = [models.Index(fields=["name"], name="deputy_name_idx")]
        constraints = [
            # An account is one deputy per delegation (and a congress's delegations
            # are checked in ``services``: one record per congress).
            models.UniqueConstraint(
                fields=["user", "delegation"], name="deputy_one_record_per_delegation"
            )
        ]

    def __str__(self):
        return self.name


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    SUPERVISORY_COMMISSION = "supervisory_commission", _("Supervisory commission")
    COURT = "court", _("Court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    STANDING_COMMITTEE_BODY = (
        "standing_committee_body",
        _("Standing committee working body"),
    )
    OTHER = "other", _("Other organ or organisation")


class HandlerGroup(models.TextChoices):
    """How the annual review groups handling bodies (交政府 / 有关机关和组织 / 常委会工委)."""

    GOVERNMENT = "government", _("The government and its departments")
    OTHER_ORGANS = "other_organs", _("Other organs and organisations")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee working bodies")

    @classmethod
    def of_kind(cls, kind: str) -> "HandlerGroup":
        if kind == UnitKind.GOVERNMENT:
            return cls.GOVERNMENT
        if kind == UnitKind.STANDING_COMMITTEE_BODY:
            return cls.STANDING_COMMITTEE
        return cls.OTHER_ORGANS


class HandlingUnit(models.Model):
    """A body that handles suggestions (承办单位): a government department or another
    organ of one congress body; its name is unique within that body."""

    body = models.ForeignKey(
        CongressBody,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("congress body"),
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    active = models.BooleanField(_("active"), default=True)
    duties = models.TextField(
        _("responsibilities"),
        blank=True,
        help_text=_(
            "What the unit is responsible for (职责), in a few sentences as its "
            "mandate states it; smart intake reads it where the history is thin."
        ),
    )

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values), name="unit_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="unit_not_own_parent"
            ),
            models.UniqueConstraint(
                fields=["body", "name"], name="unit_unique_name_per_body"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A unit cannot be its own parent.")})
        if self.parent_id and self.body_id and self.parent.body_id != self.body_id:
            raise ValidationError(
                {"parent": _("A unit's parent belongs to the same congress body.")}
            )


class CalendarDay(models.Model):
    """A day that staff declared a holiday or a make-up working day (调休).

    Entries win over the ``chinesecalendar`` package, and describe years it does not
    know yet (the State Council announces each year's holidays in the autumn before).
    A day without a body is national, the same for every congress body; a body may
    add its own (a regional holiday: 古尔邦节 in Xinjiang), which wins over a national
    entry of the same date for that body's suggestions only.
    """

    date = models.DateField(_("date"))
    body = models.ForeignKey(
        CongressBody,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_days",
        verbose_name=_("congress body"),
        help_text=_("Empty for a national day, the same for every body."),
    )
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date", "body"]
        constraints = [
            # A date once nationally (NULLs are distinct in a plain unique
            # constraint) and once per body.
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(body__isnull=True),
                name="calendar_day_unique_national",
            ),
            models.UniqueConstraint(
                fields=["date", "body"], name="calendar_day_unique_per_body"
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.name}".strip()


class WorkerHeartbeat(models.Model):
    """When a Celery worker last ran a task (one row, updated by beat's schedule)."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"

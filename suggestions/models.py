"""The work: suggestions, their assignments to units, replies, ratings and timeline.

Status, due date, lead unit, latest outcome and latest rating are kept on the
suggestion itself by the services in ``services.py`` (never elsewhere), so that lists
and the dashboard read one table instead of walking assignments and replies.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common import clock
from congress.models import (
    CongressBody,
    ContactStage,
    Deputy,
    HandlingUnit,
    Outcome,
    Session,
)
from congress.selectors import body_ids_for


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    REPLIED = "replied", _("Replied")
    REHANDLING = "rehandling", _("Re-handling")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Not accepted")
    MERGED = "merged", _("Merged")


# Filed and not merged away: what the statistics count (docs/statistics.md).
COUNTED_STATUSES = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.REPLIED,
    Status.REHANDLING,
    Status.CLOSED,
)
# A unit is working on it and a deadline runs.
OPEN_STATUSES = (Status.ASSIGNED, Status.REHANDLING)
# Within this many days of its due date, live work counts as due soon: the yellow
# light, the unit's "due soon" tab and the workbench's count.
DUE_SOON_DAYS = 15


class Complexity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    COMPLEX = "complex", _("Wide-ranging or difficult")


class Disposition(models.TextChoices):
    RETURNED = "returned", _("Returned to the deputy")
    LETTER = "letter", _("Handled as a deputy's letter")
    REFERENCE = "reference", _("Forwarded for reference")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class RatingChannel(models.TextChoices):
    """How a rating was given: online by the deputy, or on site (现场测评) on the
    signed 征询意见表, entered by staff at an evaluation meeting."""

    ONLINE = "online", _("Online, by the deputy")
    ON_SITE = "on_site", _("On site, at an evaluation meeting")


class Category(models.Model):
    """A subject category (类别) used in filing and in the statistics: each congress
    body keeps its own list (a name is unique within the body), and a suggestion's
    category is one of its session's body."""

    body = models.ForeignKey(
        CongressBody,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("congress body"),
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name"], name="category_unique_name_per_body"
            ),
        ]

    def __str__(self):
        return self.name


PUBLISHED = Q(is_public=True, status__in=[Status.REPLIED, Status.CLOSED])
# Every suggestion but drafts: what the staff's lists show (``Visibility``).
NOT_DRAFT = ~Q(status=Status.DRAFT)


@dataclass(frozen=True)
class Visibility:
    """What a user may see, in the pieces that a list's count needs
    (``selectors.SuggestionList``): the suggestions ``condition`` admits, all of
    them in the congress bodies ``bodies`` (None: any body). When those are the
    published ones alone (``published_only``), or the published ones and the
    user's ``own``, the list is counted in those parts, each from an index or the
    kept per-session counts: an OR of the two can only be counted row by row.
    """

    condition: Q
    published_only: bool = False
    own: Q | None = None
    bodies: frozenset[int] | None = None
    # Every suggestion of ``bodies`` but drafts, and the user's own drafts
    # (``drafts_of``): staff and leaders, whose status tabs are read from the kept
    # counts (``StatusCount``).
    all_but_drafts: bool = False
    drafts_of: Q | None = None

    @classmethod
    def where(cls, condition: Q, bodies=None) -> "Visibility":
        """Whatever ``condition`` admits, counted row by row."""
        return cls(condition & in_bodies(bodies), bodies=bodies)

    @classmethod
    def all_but_drafts_in(cls, bodies=None, own: Q | None = None) -> "Visibility":
        """Every suggestion of ``bodies`` but drafts, and whatever ``own`` admits
        (the user's own as a deputy or a unit: drafts among them)."""
        condition = NOT_DRAFT | own if own else NOT_DRAFT
        return cls(
            condition & in_bodies(bodies),
            bodies=bodies,
            all_but_drafts=True,
            drafts_of=own or None,
        )

    @classmethod
    def published(cls, bodies=None) -> "Visibility":
        return cls(PUBLISHED & in_bodies(bodies), published_only=True, bodies=bodies)

    @classmethod
    def published_and(cls, own: Q, bodies=None) -> "Visibility":
        return cls((PUBLISHED | own) & in_bodies(bodies), own=own, bodies=bodies)


def in_bodies(bodies, *, via: str = "") -> Q:
    """Suggestions made to one of the congress bodies ``bodies`` (None: any), or
    the rows whose suggestion is reached by ``via`` (``"assignment__suggestion__"``)."""
    if bodies is None:
        return Q()
    # The sessions of those bodies as a subquery on the suggestion's own column, not
    # a join to the body: the rest of a list's condition (status, is_public) stays
    # on the suggestion's indexes, so PostgreSQL counts from an index alone (at 1M
    # suggestions a staff list's count: 140 ms joined, 26 ms so).
    sessions = Session.objects.filter(congress__body_id__in=bodies).values("pk")
    return Q(**{f"{via}session_id__in": sessions})


def visibility_of(user) -> Visibility:
    """What ``user`` may see, only ever in the user's congress bodies
    (``congress.selectors.body_ids_for``; the public and the superuser: every
    body): staff and leaders all but drafts of the bodies where they hold the
    role; a deputy what they lead, co-sign or were invited to, and what theirs was
    merged into; a unit what it has or had an assignment for; everyone the
    published replies of those bodies."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Visibility.published()
    bodies = body_ids_for(user)
    supervised = None if user.is_superuser else user.supervised_body_ids
    own = _own_part(user)
    if user.is_superuser or supervised:
        if supervised is None or bodies <= supervised:
            # Every body the user reads is one they supervise: all but drafts (the
            # published replies among them), one condition an index can count.
            # Someone who is both staff and a deputy still sees their own drafts.
            return Visibility.all_but_drafts_in(bodies, own)
        seen = (NOT_DRAFT & in_bodies(supervised)) | PUBLISHED
        return Visibility.where(seen | own if own else seen, bodies)
    if not own:
        return Visibility.published(bodies)
    return Visibility.published_and(own, bodies)


def _own_part(user) -> Q:
    """What ``user`` takes part in as a deputy (leads, co-signs or was invited to,
    or what theirs was merged into) or as a unit (has or had an assignment for);
    an empty ``Q`` for neither."""
    mine = Q()
    deputies = user.deputy_ids
    if deputies:
        own = Q(lead_deputy_id__in=deputies) | Q(
            pk__in=CoSignature.objects.filter(deputy_id__in=deputies).values(
                "suggestion"
            )
        )
        mine |= own | Q(pk__in=Suggestion.objects.filter(own).values("merged_into"))
    if user.unit_id is not None:
        mine |= Q(
            pk__in=Assignment.objects.filter(unit_id=user.unit_id).values("suggestion")
        )
    return mine


def involvement_of(user) -> Q | bool:
    """The suggestions ``user`` takes part in, and so may read what is not public
    of: the replies staff have not published (a new round's, until they publish
    it) and the contact records (面商). The superuser every one (True); staff and
    leaders those of their bodies; a deputy those they lead, co-sign or were
    invited to, and those theirs was merged into; a unit those it has or had an
    assignment for; anyone else none (False).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    mine = _own_part(user)
    supervised = user.supervised_body_ids
    if supervised:
        mine = in_bodies(supervised) | mine if mine else in_bodies(supervised)
    return mine or False


def original_upload_to(instance, filename: str) -> str:
    """A non-guessable storage name for a scanned original (as reply letters)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"originals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SuggestionQuerySet":
        """What ``user`` may see (``visibility_of``)."""
        return self.filter(visibility_of(user).condition)

    def involving(self, user) -> "SuggestionQuerySet":
        """Those ``user`` takes part in (``involvement_of``)."""
        mine = involvement_of(user)
        if isinstance(mine, bool):
            return self.all() if mine else self.none()
        return self.filter(mine)

    def with_involvement(self, user) -> "SuggestionQuerySet":
        """Each row marked ``caller_takes_part``: whether ``user`` takes part in it
        (``involvement_of``), read in the same query (``rules.takes_part``)."""
        mine = involvement_of(user)
        if isinstance(mine, bool):
            mark = Value(mine, output_field=models.BooleanField())
        else:
            mark = ExpressionWrapper(mine, output_field=models.BooleanField())
        return self.annotate(caller_takes_part=mark)

    def published(self) -> "SuggestionQuerySet":
        """Those whose reply is public."""
        return self.filter(PUBLISHED)

    def counted(self) -> "SuggestionQuerySet":
        return self.filter(status__in=COUNTED_STATUSES)

    @staticmethod
    def overdue_q(today=None) -> Q:
        """Being handled and past the current round's due date (the suggestion keeps
        its lead assignment's), for filters and aggregates."""
        return Q(status__in=OPEN_STATUSES, due_at__lt=today or timezone.localdate())

    def overdue(self, today=None) -> "SuggestionQuerySet":
        return self.filter(self.overdue_q(today))


# The staff's list over all sessions, newest submitted first, with the filtered
# columns and the session (which the body scope tests) for an index-only walk.
NEWEST_SUBMITTED_OVER_SESSIONS = [
    "-submitted_at",
    "-id",
    "status",
    "category",
    "lead_unit",
    "session",
]


class Suggestion(models.Model):
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="suggestions",
        verbose_name=_("session"),
    )
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("Assigned at filing.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("category"),
    )
    lead_deputy = models.ForeignKey(
        Deputy,
        on_delete=models.PROTECT,
        related_name="led_suggestions",
        verbose_name=_("lead deputy"),
    )
    co_signers = models.ManyToManyField(
        Deputy,
        through="CoSignature",
        related_name="cosigned_suggestions",
        verbose_name=_("co-signers"),
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    complexity = models.CharField(
        _("complexity"),
        max_length=8,
        choices=Complexity.choices,
        default=Complexity.NORMAL,
    )
    key_supervised = models.BooleanField(_("key supervised"), default=False)
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_suggestions",
        verbose_name=_("supervising leader"),
    )
    is_public = models.BooleanField(_("reply public"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_suggestions",
        verbose_name=_("merged into"),
    )
    rejection_reason = models.TextField(_("reason not accepted"), blank=True)
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, blank=True
    )
    # The handling round: 1, then 2 … after a dissatisfied rating.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    escalated = models.BooleanField(
        _("escalated"),
        default=False,
        help_text=_("Still dissatisfied after the last re-handling round allowed."),
    )
    # Kept by the services: the current lead unit, due date, latest outcome and rating.
    lead_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_suggestions",
        verbose_name=_("lead unit"),
    )
    due_at = models.DateField(_("due date"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    rating = models.CharField(
        _("rating"), max_length=24, choices=Rating.choices, blank=True
    )
    # Entry on behalf (代录): the staff member who entered a suggestion handed in
    # on paper, and the scan of the signed original that proves its signatures.
    # SET_NULL: deleting an account must not take the suggestion with it, and the
    # timeline keeps who entered it (its ``Event`` protects the actor).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entered_suggestions",
        verbose_name=_("entered by"),
    )
    original = models.FileField(
        _("scanned original"), upload_to=original_upload_to, blank=True, max_length=200
    )
    original_name = models.CharField(
        _("original file name"), max_length=200, blank=True
    )

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(
        pgettext_lazy("date", "submitted"), null=True, blank=True
    )
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    replied_at = models.DateTimeField(
        pgettext_lazy("date", "replied"), null=True, blank=True
    )
    closed_at = models.DateTimeField(
        pgettext_lazy("date", "closed"), null=True, blank=True
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["session", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="suggestion_number_unique_in_session"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True)
                | ~Q(status__in=["draft", "submitted", "withdrawn", "rejected"]),
                name="suggestion_number_only_when_filed",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status="merged"),
                name="suggestion_merged_into_only_when_merged",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")),
                name="suggestion_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=Q(round__gte=1), name="suggestion_round_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="suggestion_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=Rating.values),
                name="suggestion_rating_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="sugg_session_status_idx"),
            models.Index(
                fields=["session", "category", "status"], name="sugg_session_cat_idx"
            ),
            models.Index(
                fields=["session", "lead_unit", "status"], name="sugg_session_unit_idx"
            ),
            models.Index(fields=["lead_deputy", "status"], name="sugg_deputy_idx"),
            models.Index(fields=["status", "due_at"], name="sugg_status_due_idx"),
            # What changed since the smart intake's index was built (intake/index.py).
            models.Index(fields=["updated_at"], name="sugg_updated_idx"),
            # The lists' orderings (web: newest submitted, API: newest created), over
            # all sessions and within one; the filtered columns last, so that paging
            # the primary keys is an index-only scan, filters included
            # (suggestions/pagination.py). Over all sessions the session too: the
            # body scope is a condition on it (``in_bodies``), and without it the
            # walk read each row of the other bodies from the table (68,834 rows
            # for a deep page at 100k over 8 bodies: 64 ms).
            models.Index(
                fields=[
                    "session",
                    "-submitted_at",
                    "-id",
                    "status",
                    "category",
                    "lead_unit",
                ],
                name="sugg_session_submitted_idx",
            ),
            models.Index(
                fields=NEWEST_SUBMITTED_OVER_SESSIONS,
                name="sugg_submitted_idx",
            ),
            # The same without drafts, for the lists that never show them (the
            # staff's, over all sessions): drafts have no submission time, so in
            # the order above every body's drafts come first, and a searched list
            # read each of them (17,000 rows at 1M: 54 ms) before its first match.
            # The index above stays for the lists that show a deputy's own drafts.
            models.Index(
                fields=NEWEST_SUBMITTED_OVER_SESSIONS,
                condition=NOT_DRAFT,
                name="sugg_submitted_live_idx",
            ),
            models.Index(
                fields=[
                    "session",
                    "-created_at",
                    "-id",
                    "status",
                    "category",
                    "lead_unit",
                ],
                name="sugg_session_created_idx",
            ),
            models.Index(
                fields=[
                    "-created_at",
                    "-id",
                    "status",
                    "category",
                    "lead_unit",
                    "session",
                ],
                name="sugg_created_idx",
            ),
            # Overdue now (the dashboard and the overdue list): open ones by due date.
            models.Index(
                fields=["session", "lead_unit", "due_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="sugg_open_due_idx",
            ),
            # Counts what deputies, units and the public see (published replies)
            # from the index alone.
            models.Index(
                fields=["session", "-created_at", "-id"],
                condition=PUBLISHED,
                name="sugg_published_idx",
            ),
            # The public list of published replies, newest reply first, its filters
            # (category, lead unit) in the index: its pages are index-only scans.
            models.Index(
                fields=["-replied_at", "-id", "category", "lead_unit"],
                condition=PUBLISHED,
                name="sugg_public_replied_idx",
            ),
            # ... and one body's: its current session's replies, newest first (the
            # page without filters), an index range instead of a walk through every
            # body's replies (a deep page at 1M: 500 ms to a few).
            models.Index(
                fields=["session", "-replied_at", "-id"],
                condition=PUBLISHED,
                name="sugg_public_session_idx",
            ),
            # ... and the rest: a unit's or deputy's own unpublished ones by key.
            models.Index(
                fields=["id"], condition=~PUBLISHED, name="sugg_unpublished_idx"
            ),
        ]

    def __str__(self):
        if self.number:
            return f"{self.number} {self.title}"
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("suggestions:detail", args=[self.pk])

    @cached_property
    def body_id(self) -> int:
        """The id of the congress body the suggestion was made to (its session's
        congress's body): read from the loaded session and congress, else asked
        in one query."""
        session = self._state.fields_cache.get("session")
        congress = session and session._state.fields_cache.get("congress")
        if congress is not None:
            return congress.body_id
        return (
            Session.objects.filter(pk=self.session_id)
            .values_list("congress__body_id", flat=True)
            .get()
        )

    def get_public_url(self) -> str:
        """The page the public reads, under its congress body's address (select
        ``session__congress`` with the suggestion)."""
        from django.urls import reverse

        return reverse(
            "suggestions:public-detail",
            args=[self.body_id, self.pk],
        )

    @property
    def is_counted(self) -> bool:
        return self.status in COUNTED_STATUSES

    @property
    def is_open(self) -> bool:
        """A unit is working on it and its deadline runs."""
        return self.status in OPEN_STATUSES

    @property
    def is_entered_on_behalf(self) -> bool:
        """Entered by staff from a paper original (代录); stays true when the
        account that entered it is deleted (the scan remains)."""
        return self.entered_by_id is not None or bool(self.original)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in OPEN_STATUSES
            and self.due_at is not None
            and self.due_at < timezone.localdate()
        )


class CoSignature(models.Model):
    """A deputy invited by the lead deputy to co-sign (附议); counts once signed.

    The database refuses a row whose deputy is the suggestion's lead deputy (a trigger,
    see migration ``0002_cosigner_not_lead_trigger``).
    """

    suggestion = models.ForeignKey(
        Suggestion,
        on_delete=models.CASCADE,
        related_name="cosignatures",
        verbose_name=_("suggestion"),
    )
    deputy = models.ForeignKey(
        Deputy,
        on_delete=models.PROTECT,
        related_name="cosignatures",
        verbose_name=_("deputy"),
    )
    invited_at = models.DateTimeField(
        pgettext_lazy("date", "invited"), default=timezone.now
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    # The deputy declined (谢绝附议): no longer pending, never counted; the lead
    # deputy may invite them again, which clears it.
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["suggestion", "invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "deputy"], name="cosignature_unique_deputy"
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(declined_at__isnull=True),
                name="cosignature_signed_or_declined",
            ),
        ]

    def __str__(self):
        return f"{self.deputy} → {self.suggestion}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_declined(self) -> bool:
        return self.declined_at is not None


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO = "co", _("Co-unit")


def _live_assignment() -> Q:
    """A live assignment, as a condition on ``Assignment``: see ``Assignment.is_live``.

    The suggestion is read only for the rows the cheap tests leave (an EXISTS after
    them, answered from its primary key), not joined for every assignment a unit
    ever had."""
    return Q(active=True, replied_at__isnull=True) & Q(
        Exists(
            Suggestion.objects.filter(
                pk=OuterRef("suggestion_id"),
                round=OuterRef("round"),
                status__in=OPEN_STATUSES,
            )
        )
    )


def _due_window(today):
    return today, today + timedelta(days=DUE_SOON_DAYS)


class AssignmentQuerySet(models.QuerySet):
    """The one SQL definition of live work; ``Assignment.is_live`` is the same test
    for a loaded row."""

    @staticmethod
    def live_q() -> Q:
        return _live_assignment()

    @staticmethod
    def overdue_q(today=None) -> Q:
        return _live_assignment() & Q(due_at__lt=today or timezone.localdate())

    @staticmethod
    def due_soon_q(today=None) -> Q:
        return _live_assignment() & Q(
            due_at__range=_due_window(today or timezone.localdate())
        )

    def live(self) -> "LiveAssignmentQuerySet":
        """Active (not reassigned), not replied, of its suggestion's current round,
        and the suggestion still being handled (assigned or re-handling)."""
        rows = self.filter(_live_assignment())
        # Of a kind of its own (which its clones keep, and which adds no state), so
        # that ``live().overdue()`` adds only the date test instead of testing
        # liveness twice.
        rows.__class__ = LiveAssignmentQuerySet
        return rows

    def overdue(self, today=None):
        """Live and past its due date."""
        return self.live().overdue(today)

    def due_soon(self, today=None):
        """Live and due from today to ``DUE_SOON_DAYS`` days on."""
        return self.live().due_soon(today)


class LiveAssignmentQuerySet(AssignmentQuerySet):
    """Assignments already limited to live work (``AssignmentQuerySet.live``)."""

    def live(self) -> "LiveAssignmentQuerySet":
        return self.all()

    def overdue(self, today=None):
        return self.filter(due_at__lt=today or timezone.localdate())

    def due_soon(self, today=None):
        return self.filter(due_at__range=_due_window(today or timezone.localdate()))


class Ended(models.TextChoices):
    """Why an assignment is no longer live (``Assignment.ended_reason``)."""

    REASSIGNED = "reassigned", pgettext_lazy("assignment ended", "reassigned")
    REPLIED = "replied", pgettext_lazy("assignment ended", "replied")
    ROUND_ENDED = "round_ended", pgettext_lazy("assignment ended", "round ended")
    CLOSED = "closed", pgettext_lazy("assignment ended", "closed")


class Assignment(models.Model):
    """One unit's task (交办) for one handling round of a suggestion."""

    suggestion = models.ForeignKey(
        Suggestion,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("suggestion"),
    )
    unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("unit"),
        db_index=False,  # the (unit, ...) indexes below lead with it
    )
    role = models.CharField(_("role"), max_length=8, choices=AssignmentRole.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    assigned_at = models.DateTimeField(_("assigned"))
    due_at = models.DateField(_("due date"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    replied_at = models.DateTimeField(
        pgettext_lazy("date", "replied"), null=True, blank=True
    )
    # The last reminder (催办) a leader or staff sent the unit: at most one a day.
    urged_at = models.DateTimeField(_("urged"), null=True, blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("False once reassigned elsewhere.")
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["suggestion", "round", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                condition=Q(role="lead", active=True),
                name="assignment_one_active_lead_per_round",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "round", "unit"],
                condition=Q(active=True),
                name="assignment_unit_once_per_round",
            ),
            models.CheckConstraint(
                condition=Q(round__gte=1), name="assignment_round_positive"
            ),
            models.CheckConstraint(
                condition=Q(role__in=AssignmentRole.values),
                name="assignment_role_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit", "active", "due_at"], name="asg_unit_active_due_idx"
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(active=True, replied_at__isnull=True),
                name="asg_open_due_idx",
            ),
            # A unit's list in the API's order, and its open work by due date.
            models.Index(fields=["unit", "due_at", "id"], name="asg_unit_due_idx"),
            # What a unit has had: its suggestions' keys from the index alone.
            models.Index(fields=["unit", "suggestion"], name="asg_unit_suggestion_idx"),
            models.Index(
                fields=["unit", "due_at", "id"],
                condition=Q(active=True, replied_at__isnull=True),
                name="asg_unit_open_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.suggestion} → {self.unit} ({self.get_role_display()})"

    @property
    def is_lead(self) -> bool:
        return self.role == AssignmentRole.LEAD

    # Live work, tested on a loaded row: the same test as ``AssignmentQuerySet.live``.
    # It reads the suggestion, which the selectors load with the assignment (joined,
    # or as the parent of a prefetch), so it costs no query.

    @property
    def is_current(self) -> bool:
        """Of the round being handled now: not reassigned, of the suggestion's
        current round, the suggestion assigned or re-handling (replied or not)."""
        suggestion = self.suggestion
        return (
            self.active
            and self.round == suggestion.round
            and suggestion.status in OPEN_STATUSES
        )

    @property
    def is_live(self) -> bool:
        """Current and not yet replied: work that waits for this unit, counted,
        reminded and shown with the days left."""
        return self.replied_at is None and self.is_current

    @property
    def ended_reason(self) -> Ended | None:
        """Why the assignment is no longer live (None while it is)."""
        if not self.active:
            return Ended.REASSIGNED
        if self.replied_at is not None:
            return Ended.REPLIED
        if self.is_current:
            return None
        if self.suggestion.status == Status.CLOSED:
            return Ended.CLOSED
        # The lead unit replied, or a new round began without this assignment.
        return Ended.ROUND_ENDED

    @property
    def is_overdue(self) -> bool:
        return self.is_live and self.due_at < timezone.localdate()


class AdjustmentKind(models.TextChoices):
    REASSIGNMENT = "reassignment", _("Reassignment")
    EXTENSION = "extension", _("Extension")


class Decision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("request decision", "Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class AdjustmentRequest(models.Model):
    """A unit's request to hand the assignment to another unit, or for more time."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="adjustment_requests",
        verbose_name=_("assignment"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AdjustmentKind.choices)
    reason = models.TextField(_("reason"))
    requested_until = models.DateField(
        _("extension asked until"), null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    new_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new unit"),
    )
    new_due_at = models.DateField(_("new due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("adjustment request")
        verbose_name_plural = _("adjustment requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind"],
                condition=Q(decision="pending"),
                name="adjustment_one_pending_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(decision="pending")
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="adjustment_decided_has_decider",
            ),
        ]
        indexes = [models.Index(fields=["decision", "kind"], name="adj_decision_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.assignment}"


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")


class ContactRecord(models.Model):
    """A unit's contact with the deputy (面商/沟通) before replying (Law on Deputies,
    art. 51)."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("assignment"),
    )
    method = models.CharField(_("method"), max_length=10, choices=ContactMethod.choices)
    # Which of the three meetings (三见面) this was; the rules say which ones a
    # reply needs (``actions.missing_contact_stages``). Contacts recorded before
    # stages existed are "before replying" (migration 0021, docs/decisions.md).
    stage = models.CharField(
        _("stage"),
        max_length=16,
        choices=ContactStage.choices,
        default=ContactStage.BEFORE_REPLY,
    )
    contacted_at = models.DateTimeField(_("contacted"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        ordering = ["contacted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=ContactStage.values),
                name="contact_stage_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.contacted_at:%Y-%m-%d}"


class SupervisionKind(models.TextChoices):
    """What a leader's supervision activity on a key suggestion was."""

    VISIT = "visit", _("Research visit")
    FORUM = "forum", _("Forum")
    ON_SITE = "on_site", _("On-site supervision")


class HandlingLeader(models.Model):
    """The government leader who leads the handling of a key suggestion (领办领导,
    领衔办理), by name and post: an outside person, not an account. The
    standing-committee leader who supervises it (领衔督办) is the suggestion's
    ``supervising_leader``. Kept beside the suggestion rather than on it, so that
    the suggestion's table (and its triggers) stays as it is."""

    suggestion = models.OneToOneField(
        Suggestion,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="handling_leader",
        verbose_name=_("suggestion"),
    )
    name = models.CharField(_("leading leader"), max_length=50)
    post = models.CharField(_("post"), max_length=100, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set"), default=timezone.now)

    class Meta:
        verbose_name = _("leading leader")
        verbose_name_plural = _("leading leaders")

    def __str__(self):
        return f"{self.post} {self.name}".strip()


class SupervisionActivity(models.Model):
    """A leader's (or staff's) supervision activity on a key suggestion: a research
    visit (调研视察), a forum (座谈会) or on-site supervision (现场督办)."""

    suggestion = models.ForeignKey(
        Suggestion,
        on_delete=models.CASCADE,
        related_name="supervision_activities",
        verbose_name=_("suggestion"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SupervisionKind.choices)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    participants = models.TextField(_("participants"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("supervision activity")
        verbose_name_plural = _("supervision activities")
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SupervisionKind.values),
                name="supervision_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"


def letter_upload_to(instance, filename: str) -> str:
    """A non-guessable storage name that keeps only the file's extension."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"letters/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Reply(models.Model):
    """A unit's answer: the lead unit's reply letter (答复函) or a co-unit's opinion."""

    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.CASCADE,
        related_name="reply",
        verbose_name=_("assignment"),
    )
    round = models.PositiveSmallIntegerField(_("round"))
    is_lead = models.BooleanField(_("lead unit's reply"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    body = models.TextField(_("body"))
    letter = models.FileField(
        _("reply letter"), upload_to=letter_upload_to, blank=True, max_length=200
    )
    letter_name = models.CharField(_("letter file name"), max_length=200, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=100, blank=True)
    # The 附注 of the letter: whom the deputy may call about the reply.
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"))
    is_public = models.BooleanField(_("public"), default=False)
    public_summary = models.TextField(_("public summary"), blank=True)
    # An in_progress reply is a promise; the unit reports when it is kept.
    fulfilled_at = models.DateTimeField(_("promise kept"), null=True, blank=True)
    fulfilment_note = models.TextField(_("report on the promise"), blank=True)
    # Why the lead unit replied before every co-unit had given its opinion or reached
    # its opinion deadline (the rules' ``lead_reply_before_co_opinions``).
    co_opinion_note = models.TextField(
        _("note on the co-units' missing opinions"), blank=True
    )

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="reply_outcome_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["outcome", "fulfilled_at"], name="reply_promise_idx"),
            models.Index(fields=["is_public", "-sent_at"], name="reply_public_idx"),
        ]

    def __str__(self):
        return f"{self.assignment} {self.get_outcome_display()}"


def form_scan_upload_to(instance, filename: str) -> str:
    """A non-guessable storage name for a signed 征询意见表's scan (as reply letters)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evaluation-forms/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def latest_evaluation_q() -> Q:
    """A filter on evaluations: each suggestion's latest rating, the one
    ``Suggestion.rating`` keeps (a dissatisfied round's is followed by the next
    round's). The figures of the attitude and the channel count these."""
    later = Evaluation.objects.filter(
        suggestion=OuterRef("suggestion"), round__gt=OuterRef("round")
    )
    return ~Q(Exists(later))


class EvaluationMeeting(models.Model):
    """An on-site evaluation meeting (现场测评会): the units report on their handling
    face to face, and the deputies present rate it on the signed 征询意见表, which
    staff then enter (``Evaluation.channel`` on_site)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="evaluation_meetings",
        verbose_name=_("session"),
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    deputies = models.ManyToManyField(
        Deputy, related_name="evaluation_meetings", verbose_name=_("deputies present")
    )
    units = models.ManyToManyField(
        HandlingUnit,
        related_name="evaluation_meetings",
        blank=True,
        verbose_name=_("units reporting"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation meeting")
        verbose_name_plural = _("evaluation meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.place}"


class PromiseState(models.TextChoices):
    """How a promise of a class-B reply ended, as its unit reported it (OPEN: not
    reported yet)."""

    OPEN = "open", pgettext_lazy("promise", "Open")
    KEPT = "kept", pgettext_lazy("promise", "Kept")
    PARTLY = "partly", pgettext_lazy("promise", "Partly kept")
    NOT_KEPT = "not_kept", pgettext_lazy("promise", "Not kept")


# The states a report may give (a report never reopens a promise).
REPORTED_STATES = (PromiseState.KEPT, PromiseState.PARTLY, PromiseState.NOT_KEPT)


class PromiseQuerySet(models.QuerySet):
    @staticmethod
    def overdue_q(today=None) -> Q:
        """Not reported and past its due date: what the reminder sweep reminds of
        and the ledger's "overdue" filter shows (the due day itself still counts)."""
        return Q(state=PromiseState.OPEN, due_on__lt=today or clock.today())

    def overdue(self, today=None) -> "PromiseQuerySet":
        return self.filter(self.overdue_q(today))


class Promise(models.Model):
    """One commitment (承诺事项) of a lead reply classed B (正在解决或列入规划逐步
    解决): what the unit will do and by when, and the unit's report on it once due
    (the promise ledger, docs/domain.md)."""

    reply = models.ForeignKey(
        Reply,
        on_delete=models.CASCADE,
        related_name="promises",
        verbose_name=_("reply"),
    )
    text = models.TextField(_("promise"))
    due_on = models.DateField(_("promised by"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PromiseState.choices,
        default=PromiseState.OPEN,
    )
    report_note = models.TextField(_("report"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    # Set when staff corrected the unit's report (the unit reports once).
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )

    objects = PromiseQuerySet.as_manager()

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PromiseState.values), name="promise_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=PromiseState.OPEN, reported_on__isnull=True)
                | (~Q(state=PromiseState.OPEN) & Q(reported_on__isnull=False)),
                name="promise_report_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"], name="promise_open_due_idx"),
        ]

    def __str__(self):
        return f"{self.due_on:%Y-%m-%d} {self.text[:40]}"

    @property
    def is_reported(self) -> bool:
        return self.state != PromiseState.OPEN

    def is_overdue(self, today=None) -> bool:
        """``PromiseQuerySet.overdue_q`` for one row."""
        today = today or clock.today()
        return self.state == PromiseState.OPEN and self.due_on < today


class Evaluation(models.Model):
    """The lead deputy's ratings of a round's reply, its handling attitude (办理态度)
    and its result (办理结果); immutable once given. ``rating`` is the result (the
    column every figure counted before attitude was asked); ``attitude`` is blank
    where it was not asked (ratings given before it was, shown as 未评)."""

    suggestion = models.ForeignKey(
        Suggestion,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("suggestion"),
    )
    round = models.PositiveSmallIntegerField(_("round"))
    deputy = models.ForeignKey(
        Deputy,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("deputy"),
    )
    rating = models.CharField(
        _("rating of the result"), max_length=24, choices=Rating.choices
    )
    attitude = models.CharField(
        _("rating of the attitude"),
        max_length=24,
        choices=Rating.choices,
        blank=True,
        default="",
    )
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=RatingChannel.choices,
        default=RatingChannel.ONLINE,
    )
    # Who entered it: the deputy's own account online, the staff member on site;
    # null for ratings given before this was kept. SET_NULL: deleting an account
    # must not take a rating with it (the timeline keeps who acted).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    meeting = models.ForeignKey(
        EvaluationMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("evaluation meeting"),
    )
    form_scan = models.FileField(
        _("scan of the signed evaluation form"),
        upload_to=form_scan_upload_to,
        blank=True,
        max_length=200,
    )
    created_at = models.DateTimeField(
        pgettext_lazy("date", "rated"), default=timezone.now
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["suggestion", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"], name="evaluation_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(rating__in=Rating.values), name="evaluation_rating_valid"
            ),
            models.CheckConstraint(
                condition=Q(attitude="") | Q(attitude__in=Rating.values),
                name="evaluation_attitude_valid",
            ),
            # Online: no meeting, no scan. On site: the meeting and the scan of
            # the signed form that proves the rating.
            models.CheckConstraint(
                condition=Q(
                    channel=RatingChannel.ONLINE, meeting__isnull=True, form_scan=""
                )
                | (
                    Q(channel=RatingChannel.ON_SITE, meeting__isnull=False)
                    & ~Q(form_scan="")
                ),
                name="evaluation_channel_valid",
            ),
        ]

    def __str__(self):
        return f"{self.suggestion} #{self.round}: {self.get_rating_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("An evaluation is immutable once given.")
        super().save(*args, **kwargs)

    @property
    def result(self) -> str:
        """The rating of the result (办理结果), kept in ``rating``."""
        return self.rating

    def get_result_display(self) -> str:
        return self.get_rating_display()

    @property
    def attitude_label(self) -> str:
        """The attitude's rating for a reader; 未评 where it was not asked."""
        if not self.attitude:
            return str(pgettext_lazy("rating", "Not rated"))
        return self.get_attitude_display()

    @property
    def is_on_site(self) -> bool:
        return self.channel == RatingChannel.ON_SITE


class HandlingPlan(models.Model):
    """The lead unit's 五定 plan for its assignment: 定责任领导 (``responsible_leader``),
    定承办人员 (``officer``, ``officer_phone``), 定办理措施 (``measures``), 定办理进度
    (``milestones``) and 定办结时限 (``complete_by``), filed within the rules'
    ``plan_working_days`` of acknowledging (docs/workflow.md, "The 五定 plan")."""

    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.CASCADE,
        related_name="plan",
        verbose_name=_("assignment"),
    )
    responsible_leader = models.CharField(_("responsible leader"), max_length=100)
    officer = models.CharField(_("handling officer"), max_length=50)
    officer_phone = models.CharField(_("handling officer's phone"), max_length=30)
    measures = models.TextField(_("measures"))
    complete_by = models.DateField(_("to be completed by"))
    # The plan's due date when first filed (working days after acknowledging) and
    # whether that filing came after it: fixed then, as the dashboard counts it.
    due_on = models.DateField(_("plan due"))
    filed_late = models.BooleanField(_("filed late"), default=False)
    late_reason = models.TextField(_("reason for filing late"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed"))
    revised_at = models.DateTimeField(_("last revised"), null=True, blank=True)
    revisions = models.PositiveSmallIntegerField(_("revisions"), default=0)

    class Meta:
        verbose_name = _("handling plan")
        verbose_name_plural = _("handling plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(filed_late=False) | ~Q(late_reason=""),
                name="plan_late_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.responsible_leader}"


class PlanMilestone(models.Model):
    """One step of a plan's progress (办理进度) with the date it is due."""

    plan = models.ForeignKey(
        HandlingPlan,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("handling plan"),
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on"], name="milestone_due_idx")]

    def __str__(self):
        return f"{self.due_on} {self.title}"


class ProgressReport(models.Model):
    """The unit's report of progress on its plan, against a milestone or in
    general."""

    plan = models.ForeignKey(
        HandlingPlan,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("handling plan"),
    )
    milestone = models.ForeignKey(
        PlanMilestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("milestone"),
    )
    # The milestone's title when reported: kept if a revision drops the milestone.
    milestone_title = models.CharField(_("milestone"), max_length=200, blank=True)
    note = models.TextField(_("progress"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["reported_at", "pk"]

    def __str__(self):
        return f"{self.reported_at:%Y-%m-%d} {self.milestone_title}"


class Event(models.Model):
    """One entry of a suggestion's append-only timeline."""

    suggestion = models.ForeignKey(
        Suggestion,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("suggestion"),
    )
    action = models.CharField(_("action"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["suggestion", "created_at"], name="event_timeline_idx")
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The timeline is append-only.")
        super().save(*args, **kwargs)


class PublishedCount(models.Model):
    """How many suggestions of a session have a published reply (``PUBLISHED``),
    kept by database triggers in the writing transaction (migration 0009), so that
    a deputy's, a unit's or the public's list counts the published ones without
    visiting them. ``recount_published`` rebuilds the rows after a bulk load."""

    session = models.OneToOneField(
        Session,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("session"),
    )
    n = models.BigIntegerField(_("published suggestions"), default=0)

    class Meta:
        verbose_name = _("published suggestions of a session")
        verbose_name_plural = _("published suggestions per session")

    def __str__(self):
        return f"{self.session_id}: {self.n}"


def recount_published() -> int:
    """Rebuild every session's count of published suggestions from the rows (after
    a load that bypassed the triggers); answers the number of sessions counted."""
    from django.db.models import Count

    counts = (
        Suggestion.objects.filter(PUBLISHED)
        .values("session")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rebuild_counts(
        PublishedCount,
        (PublishedCount(session_id=row["session"], n=row["n"]) for row in counts),
    )


def _rebuild_counts(model, rows) -> int:
    """Replace every row of a table the triggers keep (``model``) with ``rows``,
    counted afresh; answers how many were written. On PostgreSQL the table is
    locked first: the writers whose triggers already changed it commit before the
    rows are counted, and those that come after wait and then apply their change
    to the new counts."""
    from django.db import connection, transaction

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        model.objects.all().delete()
        return len(model.objects.bulk_create(list(rows)))


class IntakeIndex(models.Model):
    """The smart intake's vectors of one congress body's suggestions (``suggestions.
    intake.index``): the fitted vocabulary and one row per suggestion, pickled, built
    nightly and on first use. Suggestions written since ``built_at`` are read live
    and added in memory, so a day's intake is never missing from it."""

    body = models.OneToOneField(
        CongressBody,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("congress body"),
    )
    built_at = models.DateTimeField(_("built"))
    through_id = models.BigIntegerField(
        _("last suggestion indexed"), default=0, help_text=_("The highest id in it.")
    )
    size = models.PositiveIntegerField(_("suggestions indexed"), default=0)
    payload = models.BinaryField(_("payload"))

    class Meta:
        verbose_name = _("smart intake index")
        verbose_name_plural = _("smart intake indexes")

    def __str__(self):
        return f"{self.body_id}: {self.size} @ {self.built_at:%Y-%m-%d %H:%M}"


class StatusCount(models.Model):
    """How many suggestions of a session are in each status, kept by database
    triggers in the writing transaction (migration 0024), so that the status tabs
    of a staff member's or a leader's list (every suggestion of their bodies but
    drafts) are read from a few rows instead of grouping a session's 100,000
    (``selectors.SuggestionList.status_counts``). ``recount_statuses`` rebuilds
    them after a load that went around the triggers."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    n = models.BigIntegerField(_("suggestions"), default=0)

    class Meta:
        verbose_name = _("suggestions of a session in a status")
        verbose_name_plural = _("suggestions per session and status")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "status"], name="statuscount_unique"
            ),
        ]

    def __str__(self):
        return f"{self.session_id} {self.status}: {self.n}"


def recount_statuses() -> int:
    """Rebuild every session's counts per status from the rows (after a load that
    bypassed the triggers, or as the nightly safety net); answers the number of
    rows written."""
    from django.db.models import Count

    counts = (
        Suggestion.objects.values("session", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rebuild_counts(
        StatusCount,
        (
            StatusCount(session_id=row["session"], status=row["status"], n=row["n"])
            for row in counts
        ),
    )

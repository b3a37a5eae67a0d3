"""People and their access. A user's roles derive from what the account is linked to."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Congress staff")
    LEADER = "leader", _("Leader")
    UNIT = "unit", _("Handling unit member")
    DEPUTY = "deputy", _("Deputy")


class BodyRole(models.TextChoices):
    """The roles held in a congress body (``Membership``); a unit's clerk and a
    deputy take their body from the unit and the deputy record."""

    STAFF = Role.STAFF.value, Role.STAFF.label
    LEADER = Role.LEADER.value, Role.LEADER.label


class UserQuerySet(models.QuerySet):
    def holding(self, role: str, body_ids=None) -> "UserQuerySet":
        """Active accounts holding ``role`` (``BodyRole``) in one of the bodies
        ``body_ids`` (None: in any body)."""
        held = Membership.objects.filter(role=role)
        if body_ids is not None:
            held = held.filter(body_id__in=body_ids)
        return self.filter(is_active=True, pk__in=held.values("user"))

    def of_bodies(self, body_ids) -> "UserQuerySet":
        """The accounts that hold a role in one of the bodies ``body_ids``: a
        membership, a unit of the body, a deputy record in one of its congresses
        (None: every account)."""
        if body_ids is None:
            return self.all()
        from congress.models import Deputy

        return self.filter(
            models.Q(
                pk__in=Membership.objects.filter(body_id__in=body_ids).values("user")
            )
            | models.Q(unit__body_id__in=body_ids)
            | models.Q(
                pk__in=Deputy.objects.filter(
                    delegation__congress__body_id__in=body_ids
                ).values("user")
            )
        )

    def administered_by(self, actor) -> "UserQuerySet":
        """The accounts ``actor`` administers as congress staff: those of the
        bodies where ``actor`` is staff; the superuser every one."""
        return self.of_bodies(None if actor.is_superuser else actor.staff_body_ids)

    def staff_of(self, body_id: int) -> "UserQuerySet":
        return self.holding(BodyRole.STAFF, [body_id])

    def leaders_of(self, body_id: int) -> "UserQuerySet":
        return self.holding(BodyRole.LEADER, [body_id])


class AccountManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An account. Roles: staff and leader of a congress body by ``Membership``,
    unit by ``unit``, deputy by the linked ``Deputy`` records (one per body and term
    the person was elected to: one login for a deputy of a county and of the
    prefecture)."""

    name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    unit = models.ForeignKey(
        "congress.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("handling unit"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    # Channels besides the in-app inbox, which always receives every message.
    notify_email = models.BooleanField(_("notify me by e-mail"), default=True)
    notify_sms = models.BooleanField(_("notify me by SMS"), default=False)
    # Larger type on every page (for readers who find the standard size small).
    large_text = models.BooleanField(_("large text"), default=False)

    objects = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    @cached_property
    def body_roles(self) -> dict[str, frozenset[int]]:
        """The ids of the bodies where the user holds each role (``BodyRole``), in
        one query."""
        if not self.pk:
            return {}
        held: dict[str, set[int]] = {}
        for role, body_id in Membership.objects.filter(user=self).values_list(
            "role", "body_id"
        ):
            held.setdefault(role, set()).add(body_id)
        return {role: frozenset(ids) for role, ids in held.items()}

    @property
    def staff_body_ids(self) -> frozenset[int]:
        """Where the user is congress staff (a superuser: see ``is_staff_of``)."""
        return self.body_roles.get(BodyRole.STAFF, frozenset())

    @property
    def leader_body_ids(self) -> frozenset[int]:
        return self.body_roles.get(BodyRole.LEADER, frozenset())

    @property
    def supervised_body_ids(self) -> frozenset[int]:
        """Where the user is staff or leader: those bodies' suggestions are all
        theirs to see (but drafts)."""
        return self.staff_body_ids | self.leader_body_ids

    @property
    def is_congress_staff(self) -> bool:
        """Staff of some body (or the superuser, staff of every one)."""
        return self.is_active and (self.is_superuser or bool(self.staff_body_ids))

    @property
    def is_leader(self) -> bool:
        return self.is_active and bool(self.leader_body_ids)

    def is_staff_of(self, body_id: int | None) -> bool:
        """Whether the user is congress staff of the body ``body_id``."""
        return self.is_active and (
            self.is_superuser
            or (body_id is not None and body_id in self.staff_body_ids)
        )

    def supervises(self, body_id: int | None) -> bool:
        """Whether the user is staff or leader of the body ``body_id``."""
        return self.is_active and (
            self.is_superuser
            or (body_id is not None and body_id in self.supervised_body_ids)
        )

    @property
    def is_unit_member(self) -> bool:
        return self.is_active and self.unit_id is not None

    @cached_property
    def deputy_profiles(self) -> tuple:
        """The linked deputy records, the latest term first (one query, cached):
        one per body and term the person was elected to."""
        if not self.pk or not self.is_active:
            return ()
        from congress.models import Deputy

        return tuple(
            Deputy.objects.filter(user=self)
            .select_related("delegation__congress__body")
            .order_by("-delegation__congress__ordinal", "delegation__congress__body_id")
        )

    @property
    def deputy_profile(self):
        """The deputy record the user acts as by default (the first of
        ``deputy_profiles``), or None; ``deputy_in`` picks the one of a congress."""
        profiles = self.deputy_profiles
        return profiles[0] if profiles else None

    @property
    def deputy_ids(self) -> frozenset[int]:
        return frozenset(d.pk for d in self.deputy_profiles)

    def deputy_in(self, congress_id: int | None):
        """The user's deputy record in the congress ``congress_id``, or None."""
        return next(
            (
                d
                for d in self.deputy_profiles
                if d.delegation.congress_id == congress_id
            ),
            None,
        )

    @property
    def deputy_body_ids(self) -> frozenset[int]:
        return frozenset(d.delegation.congress.body_id for d in self.deputy_profiles)

    @property
    def is_deputy(self) -> bool:
        return bool(self.deputy_profiles)

    @property
    def roles(self) -> list[str]:
        roles = []
        if self.is_congress_staff:
            roles.append(Role.STAFF)
        if self.is_leader:
            roles.append(Role.LEADER)
        if self.is_unit_member:
            roles.append(Role.UNIT)
        if self.is_deputy:
            roles.append(Role.DEPUTY)
        return roles


class Membership(models.Model):
    """A user's role in one congress body: staff of the prefecture's standing
    committee office is nothing in a county's (docs/architecture.md, "Congress
    bodies")."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    body = models.ForeignKey(
        "congress.CongressBody",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("congress body"),
    )
    role = models.CharField(_("role"), max_length=16, choices=BodyRole.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body", "role"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=BodyRole.values),
                name="membership_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.body} · {self.get_role_display()}"


def prime_roles() -> list:
    """The prefetches that ``prime_role_caches`` reads (two queries a page)."""
    from django.db.models import Prefetch

    from congress.models import Deputy

    return [
        "memberships",
        Prefetch(
            "deputy_records",
            queryset=Deputy.objects.select_related("delegation__congress__body"),
        ),
    ]


def prime_role_caches(user: User) -> User:
    """Fill ``user``'s role caches from its prefetched ``prime_roles()``, so that a
    list of accounts asks nothing more per row."""
    held: dict[str, set[int]] = {}
    for membership in user.memberships.all():
        held.setdefault(membership.role, set()).add(membership.body_id)
    user.__dict__["body_roles"] = {role: frozenset(ids) for role, ids in held.items()}
    records = sorted(
        user.deputy_records.all(),
        key=lambda d: (-d.delegation.congress.ordinal, d.delegation.congress.body_id),
    )
    user.__dict__["deputy_profiles"] = tuple(records) if user.is_active else ()
    return user


def accounts_of_bodies(actor) -> models.Q:
    """The accounts ``actor`` administers, as a condition on accounts
    (``UserQuerySet.administered_by``)."""
    return models.Q(pk__in=User.objects.administered_by(actor).values("pk"))

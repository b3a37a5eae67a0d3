"""People and their access. A user's roles derive from what the account is linked to."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Congress staff")
    LEADER = "leader", _("Leader")
    UNIT = "unit", _("Handling unit member")
    DEPUTY = "deputy", _("Deputy")


# Membership in these groups grants the staff and leader roles.
STAFF_GROUP = "congress_staff"
LEADER_GROUP = "leaders"


class User(AbstractUser):
    """An account. Roles: staff and leader by group, unit by ``unit``, deputy by the
    linked ``Deputy`` (``user.deputy``)."""

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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    @cached_property
    def group_names(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def is_congress_staff(self) -> bool:
        return self.is_active and (self.is_superuser or STAFF_GROUP in self.group_names)

    @property
    def is_leader(self) -> bool:
        return self.is_active and LEADER_GROUP in self.group_names

    @property
    def is_unit_member(self) -> bool:
        return self.is_active and self.unit_id is not None

    @cached_property
    def deputy_profile(self):
        """The linked deputy, or None (one query, cached)."""
        if not self.pk or not self.is_active:
            return None
        from congress.models import Deputy

        return Deputy.objects.filter(user=self).select_related("delegation").first()

    @property
    def is_deputy(self) -> bool:
        return self.deputy_profile is not None

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

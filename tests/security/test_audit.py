"""The security log: what it records, who reads it, and that nobody can edit it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import BodyRole, Membership
from audit import services
from audit.models import AppendOnlyError, SecurityEvent
from tests.factories import (
    PASSWORD,
    CongressBodyFactory,
    HandlingRulesFactory,
    StaffFactory,
    UnitMemberFactory,
    UserFactory,
)


def _event(**fields):
    return services.record_event("login", actor_username="someone", **fields)


# --- append-only ----------------------------------------------------------------------


def test_an_event_cannot_be_saved_again(db):
    event = _event()
    event.target = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_an_event_cannot_be_deleted(db):
    event = _event()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).update(target="x")
    assert SecurityEvent.objects.get(pk=event.pk).target == ""


def test_the_database_refuses_updates(db):
    event = _event()
    table = SecurityEvent._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE {table} SET target = 'forged' WHERE id = %s",  # noqa: S608
            [event.pk],
        )
    assert SecurityEvent.objects.get(pk=event.pk).target == ""


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's"
)
def test_postgresql_refuses_deletes(db):
    event = _event()
    table = SecurityEvent._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event.pk])  # noqa: S608
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_is_read_only(client, db):
    event = _event()
    admin = StaffFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert (
        client.get(reverse("admin:audit_securityevent_changelist")).status_code == 200
    )
    detail = client.get(reverse("admin:audit_securityevent_change", args=[event.pk]))
    assert detail.status_code == 200  # viewable
    assert b'name="_save"' not in detail.content
    assert client.get(reverse("admin:audit_securityevent_add")).status_code == 403
    response = client.post(
        reverse("admin:audit_securityevent_change", args=[event.pk]),
        {"target": "forged"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:audit_securityevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert SecurityEvent.objects.get(pk=event.pk).target == ""


# --- what is recorded -----------------------------------------------------------------


def test_sign_in_failure_and_sign_out_are_recorded(client, db):
    UnitMemberFactory(username="clerk-x")
    client.post("/accounts/login/", {"username": "clerk-x", "password": "nope"})
    client.post("/accounts/login/", {"username": "clerk-x", "password": PASSWORD})
    client.post("/accounts/logout/")
    rows = list(
        SecurityEvent.objects.filter(action__in=["login", "login_failed", "logout"])
        .order_by("id")
        .values_list("action", "actor_username", "ip")
    )
    assert rows == [
        ("login_failed", "clerk-x", "127.0.0.1"),
        ("login", "clerk-x", "127.0.0.1"),
        ("logout", "clerk-x", "127.0.0.1"),
    ]
    # The password never reaches the log.
    assert "nope" not in str(list(SecurityEvent.objects.values("details", "target")))


def test_permission_denials_are_recorded(client, db):
    clerk = UnitMemberFactory()
    client.force_login(clerk)
    assert client.get("/audit/").status_code == 403
    event = SecurityEvent.objects.get(action="permission_denied")
    assert event.actor_id == clerk.pk
    assert event.target == "/audit/"
    assert event.details == {"method": "GET"}


def test_guesses_at_objects_are_recorded(client, db):
    clerk = UnitMemberFactory()
    client.force_login(clerk)
    assert client.get("/suggestions/999999/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404  # not an object
    event = SecurityEvent.objects.get(action="not_found")
    assert (event.actor_id, event.target) == (clerk.pk, "/suggestions/999999/")
    # Anonymous 404s (crawlers) are not logged.
    client.logout()
    client.get("/public/999999/")
    assert SecurityEvent.objects.filter(action="not_found").count() == 1


def test_account_changes_are_recorded_with_the_actor(client, db):
    admin = StaffFactory(is_staff=True, is_superuser=True)
    start = SecurityEvent.objects.count()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = admin
    token = services.current_request.set(request)
    try:
        user = UserFactory(username="newbie")
        user.is_active = False
        user.email = "other@example.org"
        user.save()
        user.set_password("another-long-pass-99")
        user.save()
        Membership.objects.create(
            user=user, body=CongressBodyFactory(), role=BodyRole.STAFF
        )
        user.last_login = user.date_joined
        user.save(update_fields=["last_login"])  # not an account change
    finally:
        services.current_request.reset(token)
    events = list(SecurityEvent.objects.order_by("id")[start:])
    assert [e.action for e in events] == [
        "user_created",
        "user_changed",
        "password_changed",
        "groups_changed",
    ]
    assert all(e.actor_username == admin.username for e in events)
    assert all(e.ip == "10.1.2.3" for e in events)
    changed = events[1].details
    assert changed["changes"] == {"is_active": [True, False]}
    assert changed["personal_data_changed"] == ["email"]  # named, not copied
    assert "other@example.org" not in str(changed)
    assert events[3].details["change"] == "add"


def test_rule_changes_are_recorded(client, db):
    rules = HandlingRulesFactory()
    rules.reply_months = 2
    rules.save()
    assert SecurityEvent.objects.filter(action="rules_changed").count() == 2


def test_record_for_exports(rf, db):
    staff = StaffFactory()
    request = rf.get("/suggestions/export.csv", REMOTE_ADDR="10.9.8.7")
    request.user = staff
    event = services.record(
        request, "export", target="suggestions.csv", rows=12, filters={"year": "2026"}
    )
    event = SecurityEvent.objects.get(pk=event.pk)
    assert (event.action, event.actor_id, event.ip, event.target) == (
        "export",
        staff.pk,
        "10.9.8.7",
        "suggestions.csv",
    )
    assert event.details == {"rows": 12, "filters": {"year": "2026"}}


def test_the_client_address_behind_a_trusted_proxy(rf, settings):
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.168.5.5"
    )
    assert services.client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    # The client may forge the left part; the proxy's own entry is the last one.
    assert services.client_ip(request) == "192.168.5.5"


# --- the staff page -------------------------------------------------------------------


@pytest.fixture
def events(db):
    # The accounts of the shared body (the staff reading the log see their body's).
    for i in range(3):
        StaffFactory(username=f"user{i}")
    for i in range(60):
        services.record_event(
            "login_failed", actor_username=f"user{i % 3}", ip="10.0.0.5"
        )
    services.record_event("export", actor_username="user1", target="suggestions.csv")


def test_staff_read_the_log_filtered_and_paginated(
    client, events, django_assert_max_num_queries
):
    client.force_login(StaffFactory())
    with django_assert_max_num_queries(8):
        response = client.get("/audit/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="audit-row"') == 50
    response = client.get("/audit/?page=2")
    assert response.content.decode().count('data-testid="audit-row"') >= 11
    response = client.get("/audit/?action=export")
    page = response.content.decode()
    assert page.count('data-testid="audit-row"') == 1
    assert "suggestions.csv" in page
    response = client.get("/audit/?actor=user2&action=login_failed")
    assert response.content.decode().count('data-testid="audit-row"') == 20


def test_staff_read_only_their_bodys_accounts_in_the_log(client, events):
    """Another body's staff see none of these accounts' events; the superuser, who
    runs the platform, sees them all (and sign-ins with unknown names)."""
    services.record_event("login_failed", actor_username="nobody", ip="10.0.0.6")
    elsewhere = CongressBodyFactory(region="玛纳斯县")
    client.force_login(StaffFactory(body=elsewhere))
    response = client.get("/audit/?action=login_failed")
    assert response.content.decode().count('data-testid="audit-row"') == 0
    client.force_login(StaffFactory(is_superuser=True, is_staff=True))
    response = client.get("/audit/?action=login_failed&page=2")
    assert response.content.decode().count('data-testid="audit-row"') == 11


def test_bad_filters_are_reported_not_fatal(client, events):
    client.force_login(StaffFactory())
    response = client.get("/audit/?since=yesterday&action=nonsense")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="audit-row"') == 0


@pytest.mark.parametrize("who", ["anonymous", "clerk", "leader"])
def test_only_staff_read_the_log(client, db, who):
    from tests.factories import LeaderFactory

    if who == "clerk":
        client.force_login(UnitMemberFactory())
    elif who == "leader":
        client.force_login(LeaderFactory())
    response = client.get("/audit/")
    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403

"""The shapes of the API's errors, and malformed input that must never be a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import account_check_deactivation
from common.errors import InvalidTransition
from suggestions.models import Category, Status

from ..factories import (
    CategoryFactory,
    DeputyFactory,
    HandlingUnitFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
    UserFactory,
)
from .conftest import client_as

pytestmark = pytest.mark.django_db

HUGE = 10**20


def test_invalid_transition_is_409_with_code(cast):
    """A state that forbids the action: 409 ``{"detail", "code":
    "invalid_transition"}``, and nothing changes."""
    cast.state("assigned")
    response = client_as(cast.staff).post(
        f"/api/v1/suggestions/{cast.suggestion.pk}/register/",
        {"category": cast.category.pk},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert set(body) == {"detail", "code"}
    assert "Cannot file this suggestion" in body["detail"]
    assert cast.refresh().status == Status.ASSIGNED


def test_field_error_is_400_naming_the_field(cast):
    """Serializer and service validation both answer ``{"field": ["message"]}``."""
    cast.state("submitted")
    staff = client_as(cast.staff)
    url = f"/api/v1/suggestions/{cast.suggestion.pk}/register/"
    missing = staff.post(url, {}, format="json")
    assert missing.status_code == 400
    assert list(missing.json()) == ["category"]
    assert isinstance(missing.json()["category"], list)

    # A rule the service checks (the same unit cannot also be a co-unit).
    cast.register()
    assign = staff.post(
        f"/api/v1/suggestions/{cast.suggestion.pk}/assign/",
        {"lead_unit": cast.unit.pk, "co_units": [cast.unit.pk]},
        format="json",
    )
    assert assign.status_code == 400
    assert list(assign.json()) == ["co_units"]


def test_dissatisfied_without_comment_is_400(cast):
    cast.state("replied")
    response = client_as(cast.deputy).post(
        f"/api/v1/suggestions/{cast.suggestion.pk}/evaluate/",
        {"rating": "dissatisfied"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["comment"]


def test_no_credentials_is_401_and_bad_token_too(db):
    assert client_as().get("/api/v1/suggestions/").status_code == 401
    client = client_as()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/me/").status_code == 401


def test_token_login(cast):
    """The token endpoint trades a username and password for a token that works."""
    client = client_as()
    bad = client.post(
        "/api/v1/auth/token/",
        {"username": cast.staff.username, "password": "wrong"},
        format="json",
    )
    assert bad.status_code == 400
    assert "detail" in bad.json()
    good = client.post(
        "/api/v1/auth/token/",
        {"username": cast.staff.username, "password": "correct-horse-42"},
        format="json",
    )
    assert good.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    me = client.get("/api/v1/me/").json()
    assert me["roles"] == ["staff"]


def test_deactivated_account_token_stops_working(cast):
    client = client_as()
    token = client.post(
        "/api/v1/auth/token/",
        {"username": cast.clerk.username, "password": "correct-horse-42"},
        format="json",
    ).json()["token"]
    response = client_as(cast.staff).patch(
        f"/api/v1/accounts/{cast.clerk.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").status_code == 401


def test_staff_cannot_deactivate_themselves(cast):
    response = client_as(cast.staff).patch(
        f"/api/v1/accounts/{cast.staff.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["is_active"]


def _deactivate(actor, target):
    return client_as(actor).patch(
        f"/api/v1/accounts/{target.pk}/", {"is_active": False}, format="json"
    )


def test_staff_cannot_deactivate_a_superuser(cast):
    """Congress staff without superuser rights cannot lock the administrator out."""
    root = StaffFactory(is_superuser=True, is_staff=True)
    response = _deactivate(cast.staff, root)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "superuser" in response.json()["detail"]
    root.refresh_from_db()
    assert root.is_active


def test_a_superuser_deactivates_another_superuser(cast):
    root = UserFactory(is_superuser=True, is_staff=True)
    other = UserFactory(is_superuser=True, is_staff=True)
    response = _deactivate(root, other)
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_the_last_active_superuser_stays(cast):
    """Through the API the actor is always another active staff account, so the
    "last one" rules are asked of the service's check directly (the admin asks it
    for any actor)."""
    root = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(InvalidTransition, match="last active superuser"):
        account_check_deactivation(actor=root, user=root)
    UserFactory(is_superuser=True, is_staff=True)
    account_check_deactivation(actor=root, user=root)


def test_the_last_active_staff_account_stays(cast):
    cast.staff.memberships.all().delete()
    last = StaffFactory()
    UserFactory(is_superuser=True, is_staff=True, is_active=False)
    with pytest.raises(InvalidTransition, match="last active congress staff"):
        account_check_deactivation(actor=cast.clerk, user=last)
    StaffFactory()
    account_check_deactivation(actor=cast.clerk, user=last)


MALFORMED_POSTS = [
    ("suggestions/", {"session": HUGE, "title": "t", "body": "b"}),
    ("suggestions/", {"session": "abc", "title": 5, "body": ["x"]}),
    ("suggestions/", {"session": -1, "title": "", "body": ""}),
    ("suggestions/", {"session": 1, "title": "t", "body": "b", "co_signers": [HUGE]}),
    ("suggestions/", {"session": 1, "title": "t", "body": "b", "co_signers": "1,2"}),
    ("suggestions/", {"session": 1, "title": "t" * 500, "body": "b"}),
    ("suggestions/", []),
    ("suggestions/", "not an object"),
    ("suggestions/{s}/register/", {"category": HUGE}),
    ("suggestions/{s}/register/", {"category": {"id": 1}}),
    ("suggestions/{s}/merge/", {"into": HUGE}),
    ("suggestions/{s}/merge/", {"into": "{s}"}),
    ("suggestions/{s}/assign/", {"lead_unit": HUGE, "co_units": [HUGE, -5]}),
    ("suggestions/{s}/assign/", {"lead_unit": 1, "complexity": "extreme"}),
    ("suggestions/{s}/reject/", {"reason": None, "disposition": 7}),
    ("suggestions/{s}/publish/", {"is_public": "maybe"}),
    ("suggestions/{s}/evaluate/", {"rating": ["satisfied"]}),
    ("assignments/{a}/contact/", {"method": "phone", "contacted_at": "yesterday"}),
    (
        "assignments/{a}/contact/",
        {"method": "phone", "contacted_at": "9999-12-31T23:59:59-14:00"},
    ),
    (
        "assignments/{a}/contact/",
        {"method": "phone", "contacted_at": "0001-01-01T00:00:00+14:00"},
    ),
    (
        "assignments/{a}/contact/",
        {"method": "phone", "contacted_at": "0001-01-01T00:00:00"},
    ),
    ("assignments/{a}/request-extension/", {"reason": "r", "until": "2026-02-30"}),
    ("assignments/{a}/request-extension/", {"reason": "r", "until": "9999-12-31"}),
    ("assignments/{a}/request-extension/", {"reason": "r", "until": "0001-01-01"}),
    ("assignments/{a}/reply/", {"outcome": "resolved", "body": "b", "letter": "x"}),
    ("adjustment-requests/{huge}/approve/", {"new_unit": HUGE}),
    ("categories/", {"name": "x" * 500, "position": HUGE}),
    ("sessions/", {"congress": HUGE, "ordinal": 70000, "year": -1, "opened_on": "x"}),
    ("units/", {"name": "u", "kind": "government", "parent": HUGE}),
    ("deputies/", {"name": "d", "delegation": "1; DROP TABLE", "email": "nope"}),
    ("accounts/", {"username": "bad name!", "password": "1", "role": "god"}),
    (
        "accounts/",
        {"username": "u1", "password": "a-long-passphrase-9", "role": "unit"},
    ),
    (
        "accounts/",
        {
            "username": "u2",
            "password": "a-long-passphrase-9",
            "role": "deputy",
            "deputy": HUGE,
        },
    ),
    ("auth/token/", {"username": ["x"], "password": None}),
]


def _format(value, ids):
    if isinstance(value, str) and "{" in value:
        try:
            return int(value.format(**ids))
        except ValueError:
            return value.format(**ids)
    if isinstance(value, dict):
        return {k: _format(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_format(v, ids) for v in value]
    return value


@pytest.mark.parametrize(("path", "body"), MALFORMED_POSTS, ids=lambda x: str(x)[:60])
def test_malformed_input_is_a_client_error(cast, path, body):
    """Wrong types, huge ids, impossible dates, bad files: 4xx, never a 500."""
    cast.state("acknowledged")
    ids = {
        "s": cast.suggestion.pk,
        "a": cast.lead_assignment().pk,
        "huge": HUGE,
    }
    # Staff for staff's endpoints, the clerk for the unit's, a deputy for drafting.
    if path.startswith("assignments/"):
        user = cast.clerk
    elif path == "suggestions/":
        user = cast.deputy
    else:
        user = cast.staff
    client = client_as(user)
    response = client.post(
        "/api/v1/" + _format(path, ids), _format(body, ids), format="json"
    )
    assert 400 <= response.status_code < 500, response.content[:300]


@pytest.mark.parametrize(
    "query",
    [
        "session=abc",
        f"session={HUGE}",
        "status=flying",
        "status=draft&status=closed",
        f"deputy={HUGE}",
        "overdue=perhaps",
        "due_before=2026-13-45",
        "due_after=99999-01-01",
        "ordering=password",
        "ordering=-due_at,number",
        "page=0",
        "page=abc",
        f"page={HUGE}",
        "page_size=-1",
        f"page_size={HUGE}",
        "q=%00",
        "q=" + "x" * 5000,
        f"unit={HUGE}&category=-1&delegation=x",
    ],
)
def test_malformed_list_queries_are_never_500(cast, query):
    cast.state("assigned")
    for user in (cast.staff, cast.deputy, cast.clerk):
        response = client_as(user).get(f"/api/v1/suggestions/?{query}")
        assert response.status_code in (200, 400, 404), response.content[:300]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/assignments/?unit={HUGE}&session=x&due_before=never",
        "/api/v1/assignments/?role=boss&acknowledged=2&overdue=x",
        "/api/v1/adjustment-requests/?kind=x&decision=y",
        f"/api/v1/dashboard/?session={HUGE}",
        "/api/v1/dashboard/?session=-3",
        "/api/v1/dashboard/?session=abc",
        "/api/v1/notifications/?unread=sometimes",
        f"/api/v1/deputies/?delegation={HUGE}&active=x&congress=y",
        f"/api/v1/units/?parent={HUGE}&kind=planet",
        f"/api/v1/sessions/?congress={HUGE}&is_current=x&year=-1",
        f"/api/v1/suggestions/{HUGE}/",
        f"/api/v1/assignments/{HUGE}/",
        f"/api/v1/units/{HUGE}/",
        f"/api/v1/accounts/{HUGE}/",
        f"/api/v1/replies/{HUGE}/letter/",
    ],
)
def test_malformed_queries_and_ids_are_never_500(cast, url):
    cast.state("assigned")
    for user in (cast.staff, cast.clerk):
        response = client_as(user).get(url)
        assert response.status_code in (200, 400, 403, 404), response.content[:300]


def test_huge_id_in_path_is_404(cast):
    cast.state("assigned")
    for path in ("suggestions", "assignments", "adjustment-requests"):
        response = client_as(cast.staff).post(f"/api/v1/{path}/{HUGE}/deny/")
        assert response.status_code in (403, 404)
    response = client_as(cast.staff).post(
        f"/api/v1/suggestions/{HUGE}/register/", {"category": 1}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("letter.pdf", b"MZ\x90\x00 not a pdf at all", "letter"),
        ("letter.png", b"", "letter"),
        ("letter.docx", b"PK\x03\x04broken zip", "letter"),
    ],
)
def test_bad_letters_are_400(cast, name, content, field):
    """A letter is judged by its content, not its name."""
    cast.state("acknowledged")
    response = client_as(cast.clerk).post(
        f"/api/v1/assignments/{cast.lead_assignment().pk}/reply/",
        {
            "outcome": "resolved",
            "body": "已解决。",
            "letter": SimpleUploadedFile(name, content),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_letter_over_20_mb_is_400(cast, settings):
    from suggestions import letters

    cast.state("acknowledged")
    big = b"%PDF-1.7\n" + b"0" * (letters.MAX_LETTER_BYTES + 1)
    response = client_as(cast.clerk).post(
        f"/api/v1/assignments/{cast.lead_assignment().pk}/reply/",
        {
            "outcome": "resolved",
            "body": "已解决。",
            "letter": SimpleUploadedFile("big.pdf", big),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "20 MB" in response.json()["letter"][0]


def test_outcome_not_offered_by_the_rules_is_400(cast):
    """The Changji rules offer A, B and C: ``reference`` is refused by field."""
    cast.state("acknowledged")
    response = client_as(cast.clerk).post(
        f"/api/v1/assignments/{cast.lead_assignment().pk}/reply/",
        {"outcome": "reference", "body": "留作参考。"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["outcome"]


# --- reference data -----------------------------------------------------------------


def test_delete_of_a_referenced_row_is_409(cast):
    """Delete only while nothing refers to the row: otherwise 409 with a detail."""
    cast.state("registered")
    staff = client_as(cast.staff)
    for path in (
        f"categories/{cast.category.pk}/",
        f"sessions/{cast.session.pk}/",
        f"units/{cast.unit.pk}/",
        f"deputies/{cast.deputy.deputy_profile.pk}/",
        f"delegations/{cast.deputy.deputy_profile.delegation_id}/",
        f"congresses/{cast.session.congress_id}/",
    ):
        response = staff.delete(f"/api/v1/{path}")
        assert response.status_code == 409, path
        assert response.json()["code"] == "protected"
    spare = CategoryFactory()
    assert staff.delete(f"/api/v1/categories/{spare.pk}/").status_code == 204
    assert not Category.objects.filter(pk=spare.pk).exists()


def test_marking_a_session_current_moves_the_mark(cast):
    from ..factories import SessionFactory

    cast.session.is_current = True
    cast.session.save()
    later = SessionFactory(congress=cast.session.congress)
    response = client_as(cast.staff).patch(
        f"/api/v1/sessions/{later.pk}/", {"is_current": True}, format="json"
    )
    assert response.status_code == 200
    cast.session.refresh_from_db()
    assert not cast.session.is_current


def test_unit_cannot_become_its_own_ancestor(cast):
    parent = HandlingUnitFactory()
    child = HandlingUnitFactory(parent=parent)
    response = client_as(cast.staff).patch(
        f"/api/v1/units/{parent.pk}/", {"parent": child.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["parent"]


def test_deputy_contacts_only_for_staff_and_handling_units(cast):
    """Phone and e-mail: staff see them; a unit for the deputies of suggestions it
    handles; nobody else."""
    cast.state("assigned")
    stranger = DeputyFactory(delegation__congress=cast.session.congress)
    lead = cast.deputy.deputy_profile

    def fields(user, deputy):
        return set(client_as(user).get(f"/api/v1/deputies/{deputy.pk}/").json())

    assert {"phone", "email"} <= fields(cast.staff, stranger)
    assert {"phone", "email"} <= fields(cast.clerk, lead)
    assert {"phone", "email"} <= fields(cast.clerk, cast.cosigner.deputy_profile)
    assert not {"phone", "email"} & fields(cast.clerk, stranger)
    assert not {"phone", "email"} & fields(cast.other_clerk, lead)
    assert not {"phone", "email"} & fields(cast.other_deputy, lead)
    assert not {"phone", "email"} & fields(cast.leader, lead)


# --- accounts -----------------------------------------------------------------------


def test_account_creation_links_roles(cast):
    staff = client_as(cast.staff)
    free = DeputyFactory(delegation__congress=cast.session.congress)
    made = staff.post(
        "/api/v1/accounts/",
        {
            "username": "newdeputy",
            "password": "a-long-passphrase-7",
            "role": "deputy",
            "deputy": free.pk,
            "name": "新代表",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["roles"] == ["deputy"]
    assert made.json()["deputy"]["id"] == free.pk
    again = staff.post(
        "/api/v1/accounts/",
        {
            "username": "another",
            "password": "a-long-passphrase-7",
            "role": "deputy",
            "deputy": free.pk,
        },
        format="json",
    )
    assert again.status_code == 400
    assert list(again.json()) == ["deputy"]
    weak = staff.post(
        "/api/v1/accounts/",
        {"username": "weak", "password": "12345678", "role": "leader"},
        format="json",
    )
    assert weak.status_code == 400
    assert list(weak.json()) == ["password"]
    leader = staff.post(
        "/api/v1/accounts/",
        {"username": "boss", "password": "a-long-passphrase-7", "role": "leader"},
        format="json",
    )
    assert leader.json()["roles"] == ["leader"]
    taken = staff.post(
        "/api/v1/accounts/",
        {"username": "BOSS", "password": "a-long-passphrase-7", "role": "staff"},
        format="json",
    )
    assert taken.status_code == 400
    assert list(taken.json()) == ["username"]


def test_unit_sees_only_its_own_assignments_and_requests(cast):
    cast.state("requested")
    other = client_as(cast.other_clerk)
    assert other.get("/api/v1/assignments/").json()["count"] == 0
    assert other.get("/api/v1/adjustment-requests/").json()["count"] == 0
    mine = client_as(cast.clerk)
    assert mine.get("/api/v1/assignments/").json()["count"] == 1
    assert mine.get("/api/v1/adjustment-requests/").json()["count"] == 1
    # A unit member of another unit who is also staff reaches it all.
    UnitMemberFactory(unit=cast.other_unit)


def test_published_suggestion_is_visible_to_any_deputy(cast):
    cast.state("replied")
    SuggestionFactory(session=cast.session, closed=True, is_public=True, number=99)
    listed = client_as(cast.other_deputy).get("/api/v1/suggestions/").json()
    assert listed["count"] == 1

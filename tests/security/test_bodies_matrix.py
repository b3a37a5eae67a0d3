"""Every role of every congress body against every other body (issue 15): a
prefecture's people's congress and two counties' on one platform, each with its
staff, leader, unit clerk and deputy, and suggestions in every stage. No one finds
an object of another body, on a page or through the API, in a list, a detail, a
search, an export, a letter or a notification, and every action across bodies is
refused without a change."""

import io
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congress.models import CongressLevel
from notifications.models import Notification
from suggestions import services
from suggestions.models import Assignment, AssignmentRole, Reply, Suggestion
from tests.api.conftest import client_as
from tests.factories import (
    CategoryFactory,
    CongressBodyFactory,
    CongressFactory,
    DelegationFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    UnitMemberFactory,
    deputy_user,
    meet_deputy,
    open_for_intake,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ("staff", "leader", "unit", "deputy")


@dataclass
class Body:
    """One congress body's people and suggestions; ``mark`` is in every title."""

    name: str
    mark: str
    body: object = None
    session: object = None
    people: dict = field(default_factory=dict)
    suggestions: dict = field(default_factory=dict)

    @property
    def ids(self) -> set[int]:
        return {s.pk for s in self.suggestions.values()}

    def assignment(self, name: str) -> Assignment:
        return self.suggestions[name].assignments.get(role=AssignmentRole.LEAD)


def _build(name: str, region: str, level: str, parent=None) -> Body:
    world = Body(name=name, mark=f"〔{region}〕")
    world.body = CongressBodyFactory(region=region, level=level, parent=parent)
    congress = CongressFactory(body=world.body)
    world.session = open_for_intake(SessionFactory(congress=congress))
    delegation = DelegationFactory(congress=congress)
    unit = HandlingUnitFactory(body=world.body, name=f"{region}教育局")
    people = world.people
    people["staff"] = StaffFactory(body=world.body)
    people["leader"] = LeaderFactory(body=world.body)
    people["unit"] = UnitMemberFactory(unit=unit)
    people["deputy"] = deputy_user(delegation=delegation)
    cosigner = deputy_user(delegation=delegation)
    category = CategoryFactory(body=world.body)
    staff, deputy, clerk = people["staff"], people["deputy"], people["unit"]

    def draft(key: str) -> Suggestion:
        made = services.suggestion_create(
            actor=deputy,
            session=world.session,
            title=f"{world.mark}关于{key}的建议",
            body=f"{world.mark}建议正文。",
            co_signers=[cosigner.deputy_profile.pk],
        )
        world.suggestions[key] = made
        return made

    draft("draft")
    for key in ("submitted", "assigned", "replied", "published"):
        made = draft(key)
        services.suggestion_submit(suggestion_id=made.pk, actor=deputy)
        if key == "submitted":
            continue
        services.suggestion_register(
            suggestion_id=made.pk, actor=staff, category=category
        )
        services.suggestion_assign(
            suggestion_id=made.pk,
            actor=staff,
            lead_unit=unit,
            key_supervised=key == "assigned",
            supervising_leader=people["leader"] if key == "assigned" else None,
        )
        if key == "assigned":
            continue
        assignment = made.assignments.get(role=AssignmentRole.LEAD)
        services.assignment_acknowledge(assignment_id=assignment.pk, actor=clerk)
        meet_deputy(assignment, clerk)
        services.assignment_reply(
            assignment_id=assignment.pk,
            actor=clerk,
            outcome="resolved",
            body=f"{world.mark}答复正文。",
            letter=SimpleUploadedFile("答复函.pdf", PDF),
        )
        services.suggestion_publish(
            suggestion_id=made.pk, actor=staff, is_public=key == "published"
        )
    for key, made in world.suggestions.items():
        made.refresh_from_db()
        world.suggestions[key] = made
    return world


@pytest.fixture
def bodies() -> list[Body]:
    prefecture = _build("prefecture", "昌吉回族自治州", CongressLevel.PREFECTURE)
    county = _build("county", "昌吉市", CongressLevel.COUNTY, prefecture.body)
    other = _build("other county", "玛纳斯县", CongressLevel.COUNTY, prefecture.body)
    return [prefecture, county, other]


def _cases(bodies):
    for own in bodies:
        for role in ROLES:
            others = [b for b in bodies if b is not own]
            yield own, role, own.people[role], others


def test_each_role_sees_its_own_bodys_suggestions_and_none_of_another(bodies):
    for own, role, user, others in _cases(bodies):
        seen = set(Suggestion.objects.visible_to(user).values_list("pk", flat=True))
        assert seen, (own.name, role)  # the test can tell "nothing" from "scoped"
        assert seen <= own.ids, (own.name, role)
        for other in others:
            assert not seen & other.ids, (own.name, role, other.name)


def test_pages_of_another_body_are_not_found_and_lists_never_show_them(bodies):
    lists = [
        "/workbench/",
        "/suggestions/?session=",
        "/suggestions/mine/",
        "/suggestions/review/",
        "/suggestions/key/",
        "/suggestions/overdue/",
        "/requests/",
        "/assignments/?tab=all",
        "/notifications/",
    ]
    for own, role, user, others in _cases(bodies):
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(user)
        for other in others:
            for key, made in other.suggestions.items():
                if key == "published":
                    continue  # public everywhere (its body's public pages)
                response = client.get(f"/suggestions/{made.pk}/")
                assert response.status_code == 404, (own.name, role, other.name, key)
            for url in lists:
                response = client.get(url)
                if response.status_code != 200:
                    continue  # a list the role does not have
                text = response.content.decode()
                assert other.mark not in text, (own.name, role, other.name, url)
                assert f"{other.body.region}教育局" not in text, (own.name, role, url)


def test_the_api_lists_details_and_search_hold_only_the_callers_body(bodies):
    for own, role, user, others in _cases(bodies):
        api = client_as(user)
        listed = api.get("/api/v1/suggestions/?page_size=100&session=").json()
        ids = {row["id"] for row in listed["results"]}
        assert ids and ids <= own.ids, (own.name, role)
        for other in others:
            found = api.get(f"/api/v1/suggestions/?q={other.mark}&session=").json()
            assert found["results"] == [], (own.name, role, other.name)
            for key, made in other.suggestions.items():
                if key == "published":
                    continue
                response = api.get(f"/api/v1/suggestions/{made.pk}/")
                assert response.status_code == 404, (own.name, role, other.name, key)
            assignment = other.assignment("assigned")
            response = api.get(f"/api/v1/assignments/{assignment.pk}/")
            assert response.status_code in (403, 404), (own.name, role, other.name)
            for url in ("/api/v1/assignments/", "/api/v1/adjustment-requests/"):
                response = api.get(url)
                if response.status_code == 200:
                    rows = response.json()["results"]
                    assert (
                        not {
                            r.get("suggestion", {}).get("id")
                            if isinstance(r.get("suggestion"), dict)
                            else r.get("suggestion")
                            for r in rows
                        }
                        & other.ids
                    ), (own.name, role, url)


def test_every_action_across_bodies_is_refused_and_changes_nothing(bodies):
    for own, role, user, others in _cases(bodies):
        api = client_as(user)
        for other in others:
            submitted = other.suggestions["submitted"]
            assigned = other.suggestions["assigned"]
            replied = other.suggestions["replied"]
            draft = other.suggestions["draft"]
            unit = other.people["unit"].unit
            attempts = [
                (f"/api/v1/suggestions/{submitted.pk}/register/", {}),
                (f"/api/v1/suggestions/{submitted.pk}/reject/", {"reason": "不予立案"}),
                (
                    f"/api/v1/suggestions/{submitted.pk}/assign/",
                    {"lead_unit": unit.pk},
                ),
                (f"/api/v1/suggestions/{assigned.pk}/urge/", {"note": "请抓紧办理"}),
                (
                    f"/api/v1/suggestions/{assigned.pk}/supervision-opinion/",
                    {"body": "督办意见"},
                ),
                (f"/api/v1/suggestions/{draft.pk}/cosign/", {}),
                (f"/api/v1/suggestions/{draft.pk}/submit/", {}),
                (
                    f"/api/v1/suggestions/{replied.pk}/evaluate/",
                    {"rating": "satisfied"},
                ),
                (f"/api/v1/suggestions/{replied.pk}/publish/", {"is_public": True}),
                (
                    f"/api/v1/assignments/{other.assignment('assigned').pk}/acknowledge/",
                    {},
                ),
            ]
            before = {
                s.pk: (s.status, s.updated_at, s.is_public)
                for s in Suggestion.objects.filter(pk__in=other.ids)
            }
            for url, data in attempts:
                response = api.post(url, data, format="json")
                # Refused as if nothing were there: 404, or the role's own refusal
                # (403), the same for an id that does not exist at all.
                assert response.status_code in (403, 404), (own.name, role, url)
                if response.status_code == 403:
                    nowhere = _elsewhere(url)
                    assert api.post(nowhere, data, format="json").json() == (
                        response.json()
                    ), (own.name, role, url)
            after = {
                s.pk: (s.status, s.updated_at, s.is_public)
                for s in Suggestion.objects.filter(pk__in=other.ids)
            }
            assert after == before, (own.name, role, other.name)


def _elsewhere(url: str) -> str:
    """``url`` with its object id replaced by one that exists nowhere."""
    parts = url.split("/")
    index = next(i for i, part in enumerate(parts) if part.isdigit())
    parts[index] = "99999999"
    return "/".join(parts)


def test_letters_exports_and_notifications_of_another_body_are_out_of_reach(bodies):
    for own, role, user, others in _cases(bodies):
        client = Client()
        client.force_login(user)
        api = client_as(user)
        exported = client.get("/suggestions/export.xlsx?session=")
        sheets = []
        if exported.status_code == 200:
            book = openpyxl.load_workbook(io.BytesIO(exported.content), read_only=True)
            sheets = [
                str(cell)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if cell
            ]
        for other in others:
            unpublished = Reply.objects.get(
                assignment__suggestion=other.suggestions["replied"], is_lead=True
            )
            assert client.get(f"/replies/{unpublished.pk}/letter/").status_code == 404
            assert (
                api.get(f"/api/v1/replies/{unpublished.pk}/letter/").status_code == 404
            )
            assert not any(other.mark in text for text in sheets), (own.name, role)
            told = Notification.objects.filter(
                recipient=user, suggestion__in=other.suggestions.values()
            )
            assert not told.exists(), (own.name, role, other.name)


def test_one_login_acts_as_a_deputy_of_two_bodies(bodies):
    """A person elected to a county's congress and the prefecture's: one account,
    two deputy records; sees the own suggestions of both, and drafts to each."""
    prefecture, county, _ = bodies
    person = county.people["deputy"]
    record = deputy_user(
        delegation=DelegationFactory(congress=prefecture.session.congress)
    )
    record_row = record.deputy_profile
    record_row.user = person
    record_row.save()
    person = type(person).objects.get(pk=person.pk)
    assert len(person.deputy_profiles) == 2
    made = services.suggestion_create(
        actor=person,
        session=prefecture.session,
        title="关于州级事项的建议",
        body="正文",
    )
    assert made.lead_deputy_id == record_row.pk
    seen = set(Suggestion.objects.visible_to(person).values_list("pk", flat=True))
    assert made.pk in seen and county.suggestions["draft"].pk in seen
    assert not seen & (prefecture.ids - {prefecture.suggestions["published"].pk})


def test_the_dashboard_of_another_body_is_out_of_reach_but_the_parents_read_only(
    bodies,
):
    """A county's staff and leaders find no other body's dashboard; the
    prefecture's read each county's (read-only: the roll-up); units and deputies
    have no dashboard at all."""
    prefecture = bodies[0]
    for own, role, user, others in _cases(bodies):
        api = client_as(user)
        for other in others:
            response = api.get(f"/api/v1/dashboard/?session={other.session.pk}")
            if role not in ("staff", "leader"):
                expected = 403
            elif own is prefecture:
                expected = 200
            else:
                expected = 404
            assert response.status_code == expected, (own.name, role, other.name)
            if expected == 200:
                page = Client()
                page.force_login(user)
                html = page.get(f"/dashboard/?session={other.session.pk}")
                assert html.status_code == 200
                # Read-only: no seal, and no figure links to a list of the county.
                assert "/seal/" not in html.content.decode()
                sealed = api.post(f"/api/v1/sessions/{other.session.pk}/seal/", {})
                assert sealed.status_code in (403, 404), (own.name, role)


def test_the_body_filter_narrows_a_list_to_one_of_the_callers_bodies(bodies):
    """Someone of several bodies (here the superuser) picks one body's
    suggestions; a body that is not the caller's is no choice at all."""
    prefecture, county, _ = bodies
    root = StaffFactory(is_superuser=True, is_staff=True)
    listed = client_as(root).get(
        f"/api/v1/suggestions/?session=&page_size=100&body={county.body.pk}"
    )
    ids = {row["id"] for row in listed.json()["results"]}
    assert ids and ids <= county.ids
    refused = client_as(county.people["staff"]).get(
        f"/api/v1/suggestions/?session=&body={prefecture.body.pk}"
    )
    assert refused.status_code == 400
    assert "body" in refused.json()

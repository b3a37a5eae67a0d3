"""The staff list's filter form stays small in a large archive: its deputy and
delegation boxes offer one congress's, and the selects render in Python with the
template's markup (issue 6)."""

import pytest
from django.test import Client

from ..factories import (
    CongressFactory,
    DelegationFactory,
    DeputyFactory,
    SessionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    old, new = CongressFactory(ordinal=14), CongressFactory(ordinal=15)
    old_session = SessionFactory(congress=old, year=2020)
    new_session = SessionFactory(congress=new, year=2026, is_current=True)
    old_delegation = DelegationFactory(congress=old, name="旧届代表团")
    new_delegation = DelegationFactory(congress=new, name="本届代表团")
    return {
        "old_session": old_session,
        "new_session": new_session,
        "old_delegation": old_delegation,
        "new_delegation": new_delegation,
        "old_deputy": DeputyFactory(delegation=old_delegation, name="旧届代表"),
        "new_deputy": DeputyFactory(delegation=new_delegation, name="本届代表"),
    }


def choices(response, name: str) -> set[str]:
    field = response.context["filter"].form.fields[name]
    return {str(obj) for obj in field.queryset}


def client():
    c = Client()
    c.force_login(StaffFactory())
    return c


def test_without_a_session_the_current_congress_is_offered(archive):
    response = client().get("/suggestions/")
    assert choices(response, "deputy") == {"本届代表"}
    assert choices(response, "delegation") == {"本届代表团"}
    html = response.content.decode()
    assert '<select name="deputy" class="form-select" id="id_deputy">' in html
    assert "本届代表</option>" in html and "旧届代表</option>" not in html


def test_the_chosen_sessions_congress_is_offered(archive):
    response = client().get("/suggestions/", {"session": archive["old_session"].pk})
    assert choices(response, "deputy") == {"旧届代表"}
    assert choices(response, "delegation") == {"旧届代表团"}


def test_a_chosen_deputy_of_another_congress_stays_offered_and_selected(archive):
    deputy = archive["old_deputy"]
    response = client().get("/suggestions/", {"deputy": deputy.pk})
    assert response.status_code == 200
    assert choices(response, "deputy") == {"本届代表", "旧届代表"}
    assert f'<option value="{deputy.pk}" selected>旧届代表</option>' in (
        response.content.decode()
    )

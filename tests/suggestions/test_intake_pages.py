"""Smart intake on the staff's pages: likely duplicates and earlier
repeats where a suggestion is filed, and the recommended handling on the assign page,
which fills in the form and never assigns by itself."""

import re

import pytest
from django.urls import reverse

from suggestions.models import Assignment, Status
from tests.factories import (
    CongressBodyFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
    deputy_user,
)
from tests.forms import FormClient
from tests.intake_history import COPY_TEXT, COPY_TITLE, build_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(db, now):
    return build_history()


def client_for(user, language="en") -> FormClient:
    client = FormClient(headers={"accept-language": language})
    client.force_login(user)
    return client


def blocks(html: str, name: str) -> list[str]:
    """The blocks marked ``data-testid=name``, each up to the next such block."""
    return re.split(rf'data-testid="{name}"', html)[1:]


def selected(html: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    assert select, field
    return re.findall(r'<option value="(\d+)"[^>]*selected', select.group(0))


# --- where staff file a suggestion ----------------------------------------------------


def test_the_register_page_lists_the_planted_near_copy(history):
    """The near-copy with a reworded title is a likely duplicate, with one click to
    the merge page aimed at it; the earlier repeats show their session and unit."""
    url = reverse("suggestions:register", args=[history.target.pk])
    html = client_for(history.staff).get(url).content.decode()
    duplicates = "".join(blocks(html, "duplicate"))
    assert history.copy.get_absolute_url() in duplicates
    merge = reverse("suggestions:merge", args=[history.target.pk])
    assert f"{merge}?into={history.copy.pk}" in duplicates
    earlier = "".join(blocks(html, "earlier"))
    case = history.housing_cases[0]
    assert case.get_absolute_url() in earlier
    assert f"2025, No. {case.number}" in earlier
    assert history.units["housing"].name in earlier
    assert history.copy.get_absolute_url() not in earlier


def test_the_merge_page_comes_aimed_at_the_duplicate(history):
    """Following the link, the target is chosen in the form; staff still press
    并案."""
    url = reverse("suggestions:merge", args=[history.target.pk])
    response = client_for(history.staff).get(f"{url}?into={history.copy.pk}")
    assert selected(response.content.decode(), "into") == [str(history.copy.pk)]
    history.target.refresh_from_db()
    assert history.target.status == Status.SUBMITTED


def test_the_detail_page_of_a_suggestion_under_review_shows_the_panels(history):
    """Staff reviewing a submitted suggestion see its likely duplicates there too."""
    html = (
        client_for(history.staff)
        .get(history.target.get_absolute_url())
        .content.decode()
    )
    assert history.copy.get_absolute_url() in "".join(blocks(html, "duplicate"))


def test_nothing_similar_says_so(history):
    """An unlike suggestion: both panels say nothing similar was found."""
    alone = SuggestionFactory(
        session=history.session,
        submitted=True,
        title="关于保护天山天池湿地鸟类的建议",
        body="天池周边湿地是候鸟迁徙的重要驿站，建议划定保护区，限制游客进入。",
    )
    url = reverse("suggestions:register", args=[alone.pk])
    html = client_for(history.staff, "zh-hans").get(url).content.decode()
    assert 'data-testid="no-duplicates"' in html
    assert 'data-testid="no-earlier"' in html
    assert "没有发现相似建议" in html
    assert "可能重复的建议" in html and "往届相似建议" in html


# --- the assign page ------------------------------------------------------------------


def test_the_assign_page_fills_in_the_first_choice_and_assigns_nothing(history):
    """The first recommended lead unit is filled in; the GET writes nothing."""
    before = Assignment.objects.count()
    url = reverse("suggestions:assign", args=[history.to_assign.pk])
    response = client_for(history.staff).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert selected(html, "lead_unit") == [str(history.units["housing"].pk)]
    assert Assignment.objects.count() == before
    history.to_assign.refresh_from_db()
    assert history.to_assign.status == Status.REGISTERED
    assert history.to_assign.lead_unit_id is None


def test_the_assign_page_shows_why(history):
    """Each recommended unit comes with the similar past suggestions it handled,
    their ratings, 曾改办 where it was reassigned away, in Chinese."""
    url = reverse("suggestions:assign", args=[history.to_assign.pk])
    html = client_for(history.staff, "zh-hans").get(url).content.decode()
    for words in (
        "智能推荐",
        "推荐主办单位",
        "依据",
        "相似度",
        "仅供参考，由工作人员决定",
    ):
        assert words in html, words
    choices = blocks(html, "unit-choice")
    first = choices[0]
    assert f'data-unit="{history.units["housing"].pk}"' in first
    for case in history.housing_cases:
        assert case.get_absolute_url() in first
    assert "满意" in first
    reform = [c for c in choices if f'data-unit="{history.units["reform"].pk}"' in c]
    if reform and history.reassigned.get_absolute_url() in reform[0]:
        assert "曾改办" in reform[0]


def test_a_link_chooses_another_lead_unit(history):
    """Choosing an alternative reloads the form with it; still nothing assigned."""
    url = reverse("suggestions:assign", args=[history.to_assign.pk])
    reform = history.units["reform"].pk
    html = client_for(history.staff).get(f"{url}?lead_unit={reform}").content.decode()
    assert selected(html, "lead_unit") == [str(reform)]
    assert 'data-testid="prefilled"' not in html
    assert not Assignment.objects.filter(suggestion=history.to_assign).exists()


def test_a_recommended_co_unit_is_added_with_one_click(history):
    """The co-units are offered, not filled in; the link adds one to the form."""
    url = reverse("suggestions:assign", args=[history.to_assign.pk])
    client = client_for(history.staff, "zh-hans")
    html = client.get(url).content.decode()
    finance = history.units["finance"].pk
    assert "推荐协办单位" in html
    assert selected(html, "co_units") == []
    co = blocks(html, "recommended-co-units")[0]
    link = re.search(r'href="([^"]+)" data-action="add-co-unit"', co).group(1)
    html = client.get(link.replace("&amp;", "&")).content.decode()
    assert selected(html, "co_units") == [str(finance)]
    assert selected(html, "lead_unit") == [str(history.units["housing"].pk)]
    assert not Assignment.objects.filter(suggestion=history.to_assign).exists()


def test_staff_still_press_assign(history):
    """The form posts as before: the unit staff chose is the one assigned."""
    url = reverse("suggestions:assign", args=[history.to_assign.pk])
    unit = history.units["transport"]
    response = client_for(history.staff).post(
        url, {"lead_unit": unit.pk, "complexity": "normal"}
    )
    assert response.status_code == 302
    history.to_assign.refresh_from_db()
    assert history.to_assign.lead_unit_id == unit.pk


def test_an_assigned_suggestion_gets_no_prefill(history):
    """A suggestion assigned before (back for re-handling) is not pre-filled."""
    suggestion = SuggestionFactory(
        session=history.session,
        rehandling=True,
        lead_unit=history.units["reform"],
        title=COPY_TITLE,
        body=COPY_TEXT,
    )
    view = _assign_view(history.staff, suggestion)
    assert view.recommendation(suggestion) is None
    assert view.prefill(suggestion) == (None, [])


def _assign_view(user, suggestion):
    from django.test import RequestFactory

    from suggestions.views.staff import AssignView

    request = RequestFactory().get(reverse("suggestions:assign", args=[suggestion.pk]))
    request.user = user
    view = AssignView()
    view.setup(request, pk=suggestion.pk)
    return view


def test_who_may_open_the_assign_page(history):
    """Another body's staff and a unit clerk find nothing (404); a deputy too."""
    url = reverse("suggestions:assign", args=[history.to_assign.pk])
    other_staff = StaffFactory(body=CongressBodyFactory(region="伊犁哈萨克自治州"))
    clerk = UnitMemberFactory(unit=history.units["housing"])
    deputy = deputy_user(delegation__congress=history.session.congress)
    for user in (other_staff, clerk, deputy):
        assert client_for(user).get(url).status_code == 404
    assert not Assignment.objects.filter(suggestion=history.to_assign).exists()

"""Actions on the pages: every irreversible step asks first (``actions.CONFIRMATIONS``
on its button), every action form is one-time and a second POST of it reads as the
first one's success; 待我附议 with 谢绝; the leaders' 督办意见 and 催办."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from common.once import FIELD, issue
from suggestions import actions, services
from suggestions.models import CoSignature, Event, Status, Suggestion
from suggestions.views.base import ActionView
from tests.factories import (
    AdjustmentRequestFactory,
    LeaderFactory,
    StaffFactory,
    UnitMemberFactory,
)
from tests.forms import FormClient

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
BUTTON = re.compile(r"<button\b[^>]*>", re.S)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def client_for(user) -> FormClient:
    client = FormClient(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def buttons_of(html: str) -> list[dict]:
    return [dict(ATTRIBUTE.findall(tag)) for tag in BUTTON.findall(html)]


# --- every POST view of the suggestions pages is one-time -----------------------------


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _suggestion_pages():
    return [
        (route, entry)
        for route, entry in _patterns(get_resolver())
        if entry.lookup_str.startswith("suggestions.views.")
    ]


def _post_views(pages, user):
    """(route, is one-time) of each page that takes a POST: a class view with a
    ``post``; a function view that does not answer a POST with 405."""
    found = []
    for route, entry in pages:
        view_class = getattr(entry.callback, "view_class", None)
        if view_class is not None:
            # A POST that only computes (the 答复函 draft) writes nothing to repeat;
            # tests/documents/test_reply_letter.py shows it saves nothing.
            if getattr(view_class, "writes_nothing", False):
                continue
            if "post" in view_class.http_method_names and hasattr(view_class, "post"):
                one_time = issubclass(view_class, ActionView) and view_class.one_time
                found.append((route, one_time))
            continue
        request = RequestFactory().post("/")
        request.user = user
        kwargs = dict.fromkeys(entry.pattern.converters, 1)
        if entry.callback(request, **kwargs).status_code != 405:
            found.append((route, False))
    return found


def test_every_post_view_of_the_suggestions_pages_is_one_time():
    """A new action view must be an ``ActionView`` with ``one_time`` (its form
    carries ``{% form_token %}``), and a page view must refuse a POST."""
    pages = _suggestion_pages()
    found = _post_views(pages, StaffFactory())
    assert len(found) >= 20
    assert [route for route, one_time in found if not one_time] == []


def test_the_walk_sees_a_view_that_is_not_one_time(monkeypatch):
    from suggestions.views.deputy import SubmitView

    monkeypatch.setattr(SubmitView, "one_time", False)
    found = dict(_post_views(_suggestion_pages(), StaffFactory()))
    assert found["suggestions/<int:pk>/submit/"] is False


# --- a second POST reads as the first one's success ----------------------------------


def test_a_double_post_of_register_shows_the_first_success(journey):
    """立案 clicked twice: filed once, and the second answer is the first's
    "Filed as No. N" (not a refusal), leading to the same page."""
    suggestion = journey.to(Status.SUBMITTED)
    client = client_for(journey.staff)
    page = client.get(reverse("suggestions:register", args=[suggestion.pk]))
    data = {"category": journey.category.pk, FIELD: TOKEN.search(page.text).group(1)}
    address = reverse("suggestions:register", args=[suggestion.pk])
    first = client.post(address, data)
    client.get(first.url)  # the browser shows the first answer's messages
    second = client.post(address, data)
    number = Suggestion.objects.get(pk=suggestion.pk).number
    assert messages_of(first) == [("success", f"Filed as No. {number}.")]
    assert messages_of(second) == messages_of(first)
    assert second.url == first.url == suggestion.get_absolute_url()
    assert Event.objects.filter(suggestion=suggestion, action="register").count() == 1


def test_a_double_post_of_evaluate_shows_the_first_success(journey):
    """Also where the first POST makes the page itself refuse (rated already)."""
    suggestion = journey.to(Status.REPLIED)
    client = client_for(journey.deputy)
    data = {
        "attitude": "satisfied",
        "rating": "satisfied",
        FIELD: issue(journey.deputy),
    }
    address = reverse("suggestions:evaluate", args=[suggestion.pk])
    first = client.post(address, data)
    client.get(first.url)
    second = client.post(address, data)
    assert messages_of(first)[0][0] == "success"
    assert messages_of(second) == messages_of(first)
    assert Event.objects.filter(suggestion=suggestion, action="evaluate").count() == 1


def test_an_action_without_a_token_is_refused(journey):
    suggestion = journey.create()
    client = client_for(journey.deputy)
    response = client.post(
        reverse("suggestions:submit", args=[suggestion.pk]), {FIELD: None}
    )
    assert response.status_code == 302
    assert messages_of(response)[0][0] == "error"
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.DRAFT


# --- confirmations ----------------------------------------------------------------


def _buttons_along_the_way(j) -> list[tuple[str, dict]]:
    """(page, button) of every button the cast sees along a key suggestion's life,
    each page read while its step is open."""
    found = []

    def read(user, address):
        html = client_for(user).get(address).text
        found.extend((address, b) for b in buttons_of(html))

    draft = j.create()
    read(j.deputy, draft.get_absolute_url())
    read(j.cosigner, draft.get_absolute_url())
    read(j.cosigner, reverse("suggestions:invitations"))
    j.submit()
    read(j.staff, reverse("suggestions:review-queue"))
    read(j.staff, reverse("suggestions:enter-on-behalf"))
    for name in ("register", "reject", "merge"):
        read(j.staff, reverse(f"suggestions:{name}", args=[draft.pk]))
    j.register()
    read(j.staff, reverse("suggestions:assign", args=[draft.pk]))
    j.assign()
    services.suggestion_mark_key(
        suggestion_id=draft.pk, actor=j.staff, key_supervised=True
    )
    read(LeaderFactory(), draft.get_absolute_url())
    assignment = j.lead_assignment()
    j.acknowledge()
    j.meet()
    read(j.clerk, reverse("suggestions:assignment-detail", args=[assignment.pk]))
    request = AdjustmentRequestFactory(assignment=assignment)
    read(j.staff, reverse("suggestions:request-detail", args=[request.pk]))
    j.reply()
    read(j.deputy, draft.get_absolute_url())
    read(j.staff, draft.get_absolute_url())
    # An evaluation meeting with the lead deputy present: its rating form.
    meeting = services.evaluation_meeting_create(
        actor=j.staff,
        session=j.session,
        held_on=j.session.opened_on,
        place="常委会会议室",
        deputies=[j.deputy.deputy_profile.pk],
    )
    read(j.staff, reverse("suggestions:evaluation-meeting", args=[meeting.pk]))
    return found


def test_every_irreversible_button_asks_first(journey):
    """Each button doing an action of ``CONFIRMATIONS`` carries that action's
    confirmation, and the pages show a button of every one of them."""
    seen, wrong = set(), []
    for address, button in _buttons_along_the_way(journey):
        action = button.get("data-action")
        if action in actions.CONFIRMATIONS:
            seen.add(action)
            if button.get("data-confirm-action") != action or not button.get(
                "data-confirm"
            ):
                wrong.append((address, action))
    assert wrong == []
    assert seen == set(actions.CONFIRMATIONS)


def test_the_confirmation_says_the_rating_cannot_be_changed(journey):
    suggestion = journey.to(Status.REPLIED)
    client = FormClient()  # Chinese, the default
    client.force_login(journey.deputy)
    html = client.get(suggestion.get_absolute_url()).text
    (button,) = [b for b in buttons_of(html) if b.get("data-action") == "evaluate"]
    assert "不能更改" in button["data-confirm"]
    assert button["data-confirm-title"] == "提交评价？"


def test_an_unknown_confirmation_is_a_template_error():
    from django.template import Context, Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template('{% load confirm %}<button {% confirm "fly" %}>').render(Context())


# --- 待我附议 and 谢绝 ----------------------------------------------------------------


def test_the_invitations_page_lists_and_declines(journey):
    suggestion = journey.create()
    client = client_for(journey.cosigner)
    page = client.get(reverse("suggestions:invitations"))
    assert page.status_code == 200
    assert f'data-testid="invitation-{suggestion.pk}"' in page.text
    assert journey.deputy.deputy_profile.name in page.text
    response = client.post(
        reverse("suggestions:decline", args=[suggestion.pk]), {"next": "invitations"}
    )
    assert response.url == reverse("suggestions:invitations")
    assert messages_of(response)[0][0] == "success"
    assert CoSignature.objects.get(suggestion=suggestion).declined_at is not None
    page = client.get(reverse("suggestions:invitations"))
    assert 'data-testid="no-invitations"' in page.text


def test_the_workbench_card_opens_the_invitations_page(journey):
    journey.create()
    html = client_for(journey.cosigner).get(reverse("suggestions:workbench")).text
    card = re.search(r'href="([^"]+)" data-testid="deputy-invitations"', html)
    assert card, "no invitations card"
    assert card.group(1) == reverse("suggestions:invitations")


@pytest.mark.parametrize("who", ["staff", "clerk"])
def test_only_deputies_have_the_invitations_page(journey, who):
    user = journey.staff if who == "staff" else journey.clerk
    assert client_for(user).get(reverse("suggestions:invitations")).status_code == 404


def test_a_deputy_declines_from_the_suggestion_saying_why(journey):
    suggestion = journey.create()
    client = client_for(journey.cosigner)
    page = client.get(suggestion.get_absolute_url()).text
    assert 'name="reason"' in page
    address = reverse("suggestions:decline", args=[suggestion.pk])
    too_long = client.post(address, {"reason": "忙" * 501})
    assert messages_of(too_long)[0][0] == "error"
    assert CoSignature.objects.get(suggestion=suggestion).declined_at is None
    client.get(too_long.url)
    done = client.post(address, {"reason": "本人不熟悉该领域。"})
    assert messages_of(done)[0][0] == "success"
    assert Event.objects.get(suggestion=suggestion, action="decline").note == (
        "本人不熟悉该领域。"
    )
    lead_page = client_for(journey.deputy).get(suggestion.get_absolute_url()).text
    assert "本人不熟悉该领域。" in lead_page


def test_another_deputy_cannot_decline(journey):
    from tests.factories import deputy_user

    suggestion = journey.create()
    stranger = deputy_user(delegation__congress=journey.session.congress)
    response = client_for(stranger).post(
        reverse("suggestions:decline", args=[suggestion.pk])
    )
    assert response.status_code == 404


# --- 督办意见 and 催办 ----------------------------------------------------------------


@pytest.fixture
def key(journey):
    journey.to(Status.ASSIGNED)
    services.suggestion_mark_key(
        suggestion_id=journey.suggestion.pk, actor=journey.staff, key_supervised=True
    )
    journey.leader = LeaderFactory()
    return journey


def test_a_leader_writes_a_supervision_opinion_on_the_page(key):
    client = client_for(key.leader)
    html = client.get(key.suggestion.get_absolute_url()).text
    assert 'data-testid="supervision-panel"' in html
    address = reverse("suggestions:supervision-opinion", args=[key.suggestion.pk])
    empty = client.post(address, {"text": ""})
    assert messages_of(empty)[0][0] == "error"
    client.get(empty.url)
    done = client.post(address, {"text": "请月底前答复代表。"})
    assert messages_of(done)[0][0] == "success"
    timeline = client_for(key.clerk).get(key.suggestion.get_absolute_url()).text
    assert "请月底前答复代表。" in timeline


def test_an_urge_carries_its_note_to_the_timeline(key):
    client = client_for(key.leader)
    page = client.get(key.suggestion.get_absolute_url()).text
    assert 'name="note"' in page
    done = client.post(
        reverse("suggestions:urge", args=[key.suggestion.pk]),
        {"note": "请本周内答复代表。"},
    )
    assert messages_of(done)[0][0] == "success"
    assert Event.objects.get(action="urge").note == "请本周内答复代表。"
    timeline = client_for(key.clerk).get(key.suggestion.get_absolute_url()).text
    assert "请本周内答复代表。" in timeline


def test_a_second_urge_the_same_day_is_refused_clearly(key):
    client = client_for(key.leader)
    address = reverse("suggestions:urge", args=[key.suggestion.pk])
    first = client.post(address)
    assert messages_of(first)[0][0] == "success"
    client.get(first.url)
    second = client.post(address)
    assert messages_of(second) == [
        (
            "error",
            "The units handling this suggestion have already been urged today; "
            "each unit can be urged once a day.",
        )
    ]
    client.get(second.url)
    page = client.get(key.suggestion.get_absolute_url()).text
    assert 'data-action="urge"' not in page
    assert 'data-testid="urged-today"' in page


def test_no_supervision_panel_on_a_suggestion_that_is_not_key(journey):
    suggestion = journey.to(Status.ASSIGNED)
    leader = LeaderFactory()
    html = client_for(leader).get(suggestion.get_absolute_url()).text
    assert 'data-testid="supervision-panel"' not in html
    response = client_for(leader).post(
        reverse("suggestions:urge", args=[suggestion.pk])
    )
    assert messages_of(response)[0][0] == "error"


def test_a_unit_cannot_urge(key):
    other = UnitMemberFactory()
    response = client_for(other).post(
        reverse("suggestions:urge", args=[key.suggestion.pk])
    )
    assert response.status_code == 404

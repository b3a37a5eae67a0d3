"""The deputy's drafting panel (相似的已有建议): earlier suggestions of the same
congress body like the draft, with their published replies.

Wiring, permissions and status codes; the similarity itself is the intake engine's
(tests/suggestions/intake). Pages are fetched in English so that the assertions read
the source strings.
"""

import pytest
from django.urls import reverse

from suggestions.intake import index
from suggestions.models import Status
from tests.forms import FormClient

from ..factories import (
    CongressFactory,
    DeputyFactory,
    HandlingUnitFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
)

pytestmark = pytest.mark.django_db

PANEL = reverse("suggestions:similar-drafts")

# The draft the deputy is writing, and an earlier suggestion on the same topic.
DRAFT_TITLE = "关于加快推进老旧小区改造的建议"
DRAFT_TEXT = (
    "建议加大财政投入，分批推进老旧小区改造，加装电梯，改造供热管网和排水设施。"
)
EARLIER_TITLE = "关于加快老旧小区改造工作的建议"
EARLIER_TEXT = (
    "我市老旧小区管网老化，建议分批推进老旧小区改造，加装电梯，改造供热管网。"
)
# Other topics of the same body, so that the topic above stands out.
OTHER_TOPICS = [
    ("关于增开城乡公交线路的建议", "建议增开连接乡镇与城区的公交线路，方便群众出行。"),
    ("关于加强乡村教师队伍建设的建议", "建议提高乡村教师待遇，补充紧缺学科教师。"),
    ("关于保障农村饮水安全的建议", "建议改造农村供水工程，保障农村饮水安全。"),
    ("关于提升村卫生室服务能力的建议", "建议配齐村卫生室设备，加强村医培训。"),
    ("关于加强未成年人司法保护的建议", "建议加强未成年人司法保护和法治教育。"),
]


def client_for(user=None) -> FormClient:
    client = FormClient(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def published(session, title, text, **fields):
    return SuggestionFactory(
        session=session, title=title, body=text, closed=True, is_public=True, **fields
    )


@pytest.fixture
def history(journey):
    """An earlier session of the journey's body with a published suggestion on the
    draft's topic, another deputy's unpublished one on it too, a few on other topics,
    and another body's published one on the topic."""
    body = journey.session.congress.body
    earlier = SessionFactory(congress=journey.session.congress, year=2024)
    mine = published(earlier, EARLIER_TITLE, EARLIER_TEXT)
    hidden = SuggestionFactory(
        session=earlier, title=EARLIER_TITLE, body=EARLIER_TEXT, assigned=True
    )
    for title, text in OTHER_TOPICS:
        published(earlier, title, text)
    other_body = SessionFactory(
        congress=CongressFactory(body__region="伊犁哈萨克自治州")
    )
    elsewhere = published(
        other_body,
        EARLIER_TITLE,
        EARLIER_TEXT,
        lead_unit=HandlingUnitFactory(body=other_body.congress.body),
    )
    assert mine.session.congress.body == body != elsewhere.session.congress.body
    return {"published": mine, "hidden": hidden, "elsewhere": elsewhere}


def listed(response) -> set[int]:
    """The suggestions the panel lists (their ids)."""
    import re

    return {int(pk) for pk in re.findall(r'data-suggestion="(\d+)"', response.text)}


def test_panel_lists_a_similar_published_suggestion_with_its_reply(journey, history):
    """For a draft's title and text the panel lists the earlier published suggestion
    of the same body on the topic, marked 已公开答复 with a link to the public page;
    never another deputy's unpublished one, nor another body's."""
    response = client_for(journey.deputy).get(
        PANEL, {"title": DRAFT_TITLE, "text": DRAFT_TEXT}
    )
    assert response.status_code == 200
    found = listed(response)
    assert history["published"].pk in found
    assert history["hidden"].pk not in found
    assert history["elsewhere"].pk not in found
    assert history["published"].get_public_url() in response.text
    assert 'data-testid="similar-published"' in response.text
    assert "See the reply" in response.text
    assert "<html" not in response.text  # a fragment, not a page


def test_panel_shows_the_session_and_number(journey, history):
    """Each listed suggestion names its session and number (2024年 No. n)."""
    mine = history["published"]
    response = client_for(journey.deputy).get(PANEL, {"title": DRAFT_TITLE})
    assert f"{mine.session.short_label} No. {mine.number}" in response.text


def test_an_unpublished_reply_has_no_reply_link(journey, history):
    """A similar suggestion the deputy may see whose reply is not public is listed
    without the link to a public reply."""
    own = SuggestionFactory(
        session=history["published"].session,
        title=EARLIER_TITLE,
        body=EARLIER_TEXT,
        lead_deputy=journey.deputy.deputy_profile,
        replied=True,
    )
    assert own.status == Status.REPLIED and not own.is_public
    response = client_for(journey.deputy).get(
        PANEL, {"title": DRAFT_TITLE, "text": DRAFT_TEXT}
    )
    assert own.pk in listed(response)
    assert own.get_public_url() not in response.text


def test_edit_page_shows_the_panel_for_the_saved_draft(journey, history):
    """Without the script the edit page lists, beside the form, what is like the
    saved draft; the script is a static file."""
    draft = journey.create(title=DRAFT_TITLE, body=DRAFT_TEXT)
    response = client_for(journey.deputy).get(
        reverse("suggestions:edit", args=[draft.pk])
    )
    assert response.status_code == 200
    assert 'data-testid="similar-panel"' in response.text
    found = listed(response)
    assert history["published"].pk in found
    assert history["hidden"].pk not in found
    assert "js/similar-drafts.js" in response.text
    assert "<script>" not in response.text


def test_create_page_shows_the_panel_waiting_for_a_title(journey, history):
    """The new-suggestion page shows the panel, asking for a title first."""
    response = client_for(journey.deputy).get(reverse("suggestions:create"))
    assert response.status_code == 200
    assert 'data-testid="similar-hint"' in response.text
    assert listed(response) == set()


@pytest.mark.parametrize("title", ["", "   ", "老旧小", "\x00\x00\x00\x00老"])
def test_short_title_answers_an_empty_panel(journey, history, title, monkeypatch):
    """A title of fewer than four characters answers 200 with the hint, without
    asking the engine."""
    import suggestions.intake

    def boom(*args, **kwargs):
        raise AssertionError("the engine was asked")

    monkeypatch.setattr(suggestions.intake, "similar_to_text", boom)
    response = client_for(journey.deputy).get(PANEL, {"title": title})
    assert response.status_code == 200
    assert 'data-testid="similar-hint"' in response.text
    assert listed(response) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"title": "老" * 201},
        {"title": DRAFT_TITLE, "text": "改" * 501},
    ],
)
def test_oversized_input_is_refused(journey, history, params):
    """Input longer than the form's title or the panel's text answers 400 with an
    empty panel, never a 500."""
    response = client_for(journey.deputy).get(PANEL, params)
    assert response.status_code == 400
    assert listed(response) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"title": DRAFT_TITLE, "congress": "²"},
        {"title": DRAFT_TITLE, "congress": "9" * 30},
        {"title": DRAFT_TITLE, "congress": "-1"},
        {"title": "老旧小区\x00改造", "text": "\x00"},
        {"title": "%%%%' OR 1=1 --", "text": "<script>alert(1)</script>"},
    ],
)
def test_odd_input_never_fails(journey, history, params):
    """Odd congress ids, NUL characters and markup answer 200, never a 500."""
    response = client_for(journey.deputy).get(PANEL, params)
    assert response.status_code == 200
    assert "<script>alert" not in response.text


def test_another_congress_of_a_deputy_of_several(journey, history):
    """A deputy of two congress bodies sees, for the congress named, that body's
    suggestions (``congress=``), and the first body's otherwise."""
    other = history["elsewhere"].session.congress
    DeputyFactory(user=journey.deputy, delegation__congress=other)
    client = client_for(journey.deputy)
    there = listed(
        client.get(
            PANEL, {"title": DRAFT_TITLE, "text": DRAFT_TEXT, "congress": other.pk}
        )
    )
    here = listed(
        client.get(
            PANEL,
            {
                "title": DRAFT_TITLE,
                "text": DRAFT_TEXT,
                "congress": journey.session.congress_id,
            },
        )
    )
    assert history["elsewhere"].pk in there
    assert history["published"].pk not in there
    assert history["published"].pk in here
    assert history["elsewhere"].pk not in here


def test_anonymous_is_sent_to_log_in():
    """Someone not logged in is redirected to the login page."""
    response = client_for().get(PANEL, {"title": DRAFT_TITLE})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["clerk", "staff"])
def test_who_is_not_a_deputy_is_refused(journey, history, role):
    """A unit's clerk or a staff member (no deputy record) gets 403."""
    user = (
        UnitMemberFactory(unit=HandlingUnitFactory())
        if role == "clerk"
        else StaffFactory()
    )
    response = client_for(user).get(PANEL, {"title": DRAFT_TITLE})
    assert response.status_code == 403
    assert listed(response) == set()


def test_panel_is_get_only(journey):
    """A POST is refused (405)."""
    response = client_for(journey.deputy).post(PANEL, {"title": DRAFT_TITLE})
    assert response.status_code == 405


def test_a_form_sent_back_shows_the_panel_for_what_was_posted(journey, history):
    """A draft sent back with errors (no text) lists, without the script, what is
    like the title that was posted."""
    response = client_for(journey.deputy).post(
        reverse("suggestions:create"),
        {"session": journey.session.pk, "title": DRAFT_TITLE, "body": ""},
    )
    assert response.status_code == 400
    assert history["published"].pk in listed(response)
    assert history["hidden"].pk not in listed(response)


def test_the_panels_queries_do_not_grow_with_its_rows(journey, history):
    """The fragment reads as many queries for one similar suggestion as for
    several: each row's session, body and public address come loaded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(journey.deputy)
    params = {"title": DRAFT_TITLE, "text": DRAFT_TEXT}
    body = journey.session.congress.body_id
    index.build(body)
    client.get(PANEL, params)  # warm the session and the engine's vectors
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(PANEL, params))) == 1
    for _ in range(4):
        published(history["published"].session, EARLIER_TITLE, EARLIER_TEXT)
    index.build(body)  # the nightly build: the new rows in the stored vectors
    client.get(PANEL, params)
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client.get(PANEL, params))) == 5
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]

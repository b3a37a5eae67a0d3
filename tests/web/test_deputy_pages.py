"""The deputy's pages: drafting with co-signers, the actions on the detail page, the
co-signer search, the "my suggestions" list, and the public pages.

Wiring, permissions and status codes only; the rules themselves are tested at the
service level. Pages are fetched in English so that the assertions read the source
strings whatever translations exist.
"""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions.models import CoSignature, Evaluation, Status, Suggestion
from tests.forms import FormClient

from ..factories import (
    CategoryFactory,
    CongressFactory,
    CoSignatureFactory,
    DelegationFactory,
    DeputyFactory,
    SessionFactory,
    SuggestionFactory,
    deputy_user,
    open_for_intake,
)

pytestmark = pytest.mark.django_db


def client_for(user=None) -> FormClient:
    client = FormClient(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, suggestion=None) -> str:
    if suggestion is None:
        return reverse(f"suggestions:{name}")
    return reverse(f"suggestions:{name}", args=[suggestion.pk])


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def draft(journey):
    """A draft led by ``journey.deputy`` with ``journey.cosigner`` invited."""
    return journey.create()


@pytest.fixture
def replied(journey):
    """A suggestion replied to, waiting for the lead deputy's rating."""
    return journey.to(Status.REPLIED)


# --- pages answer -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "with_suggestion"),
    [
        ("workbench", False),
        ("my-suggestions", False),
        ("create", False),
        ("public-home", False),
        ("edit", True),
        ("detail", True),
    ],
)
def test_deputy_pages_answer(journey, draft, name, with_suggestion):
    """Each of the deputy's pages answers 200 for the lead deputy."""
    target = draft if with_suggestion else None
    response = client_for(journey.deputy).get(url(name, target))
    assert response.status_code == 200


def test_rating_page_answers_with_deadline(journey, replied):
    """The rating page answers 200 for the lead deputy and says by when to rate."""
    response = client_for(journey.deputy).get(url("evaluate", replied))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Please rate by" in content
    assert 'data-action="evaluate"' in content


def test_create_form_defaults_to_the_current_session_of_own_congress(journey):
    """The session field offers only the session open for intake, the deputy's
    congress's current one, chosen; past sessions and another congress's sessions
    are not offered."""
    congress = journey.session.congress
    current = SessionFactory(congress=congress, is_current=True)
    other = SessionFactory(
        congress=CongressFactory(body__region="其他州"), is_current=True
    )
    response = client_for(journey.deputy).get(url("create"))
    field = response.context["form"]["session"]
    assert field.value() == current.pk
    offered = {s.pk for s in field.field.queryset}
    assert offered == {current.pk}
    assert journey.session.pk not in offered
    assert other.pk not in offered


def test_cosigner_picker_groups_deputies_by_delegation_without_self(journey):
    """The no-JavaScript picker is a multiple select with one optgroup per delegation
    that leaves out the lead deputy; the script is a static file."""
    me = journey.deputy.deputy_profile
    mate = DeputyFactory(delegation=me.delegation, name="同团代表")
    response = client_for(journey.deputy).get(url("create"))
    content = response.content.decode()
    picker = str(response.context["form"]["co_signers"])
    assert 'name="co_signers"' in picker
    assert " multiple" in picker
    assert f'<optgroup label="{me.delegation.name}">' in picker
    assert f'value="{mate.pk}"' in picker
    assert f'value="{me.pk}"' not in picker
    assert picker in content
    assert "js/picker.js" in content
    assert "<script>" not in content


# --- refused ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "edit"), ("post", "submit"), ("post", "withdraw"), ("post", "evaluate")],
)
def test_other_deputy_gets_404_for_someone_elses_draft(
    draft, other_deputy, method, name, unchanged
):
    """A deputy neither leading nor invited finds nothing, and nothing changes."""
    client = client_for(other_deputy)
    with unchanged(draft):
        response = getattr(client, method)(url(name, draft))
    assert response.status_code == 404


def test_other_deputy_gets_404_for_rating_someone_elses_reply(replied, other_deputy):
    """Rating a reply to a suggestion the deputy cannot see answers 404."""
    response = client_for(other_deputy).post(
        url("evaluate", replied), {"attitude": "satisfied", "rating": "satisfied"}
    )
    assert response.status_code == 404
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("method", "name", "with_suggestion"),
    [
        ("get", "create", False),
        ("post", "create", False),
        ("get", "edit", True),
        ("post", "submit", True),
        ("post", "withdraw", True),
        ("post", "cosign", True),
        ("post", "evaluate", True),
    ],
)
def test_unit_clerk_is_refused(draft, other_clerk, method, name, with_suggestion):
    """A unit clerk (no deputy role) finds none of the deputy's pages."""
    target = draft if with_suggestion else None
    response = getattr(client_for(other_clerk), method)(url(name, target))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "name", "with_suggestion"),
    [
        ("get", "create", False),
        ("get", "my-suggestions", False),
        ("get", "deputy-search", False),
        ("get", "edit", True),
        ("post", "submit", True),
        ("post", "withdraw", True),
        ("post", "cosign", True),
        ("post", "evaluate", True),
    ],
)
def test_anonymous_is_sent_to_log_in(draft, method, name, with_suggestion):
    """Someone not logged in is redirected to the login page."""
    target = draft if with_suggestion else None
    response = getattr(client_for(), method)(url(name, target))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_actions_are_post_only(journey, draft):
    """A GET on an action URL changes nothing and is refused (405)."""
    response = client_for(journey.deputy).get(url("submit", draft))
    assert response.status_code == 405
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# --- drafting ---------------------------------------------------------------------


def test_create_draft_with_cosigners(journey):
    """Posting the form makes a draft led by the deputy, with each co-signer
    invited (not yet signed), and shows it with a message."""
    open_for_intake(journey.session)
    congress = journey.session.congress
    first = DeputyFactory(delegation__congress=congress)
    second = DeputyFactory(delegation__congress=congress)
    category = CategoryFactory()
    response = client_for(journey.deputy).post(
        url("create"),
        {
            "session": journey.session.pk,
            "title": "关于增设公交线路的建议",
            "body": "建议增设连接新区与老城区的公交线路。",
            "category": category.pk,
            "co_signers": [first.pk, second.pk],
        },
    )
    suggestion = Suggestion.objects.get(title="关于增设公交线路的建议")
    assert response.status_code == 302
    assert response.url == suggestion.get_absolute_url()
    assert suggestion.status == Status.DRAFT
    assert suggestion.lead_deputy == journey.deputy.deputy_profile
    assert suggestion.category == category
    invitations = CoSignature.objects.filter(suggestion=suggestion)
    assert {c.deputy_id for c in invitations} == {first.pk, second.pk}
    assert all(c.signed_at is None for c in invitations)
    assert messages_of(response)[0][0] == "success"


def test_create_with_empty_title_shows_the_error_next_to_the_field(journey, unchanged):
    """An empty title re-renders the form (400) with the error at the title field
    and writes nothing."""
    with unchanged():
        response = client_for(journey.deputy).post(
            url("create"),
            {"session": journey.session.pk, "title": "  ", "body": "正文"},
        )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-testid="error-title"' in content
    assert 'aria-invalid="true"' in content


def test_create_with_self_as_cosigner_shows_the_error_next_to_the_field(
    journey, unchanged
):
    """Inviting oneself re-renders the form (400) with the service's reason at the
    co-signers field, and writes nothing."""
    open_for_intake(journey.session)
    me = journey.deputy.deputy_profile
    with unchanged():
        response = client_for(journey.deputy).post(
            url("create"),
            {
                "session": journey.session.pk,
                "title": "标题",
                "body": "正文",
                "co_signers": [me.pk],
            },
        )
    assert response.status_code == 400
    assert "cannot also co-sign" in str(response.context["form"].errors["co_signers"])
    assert 'data-testid="error-co_signers"' in response.content.decode()


def test_create_with_deputy_of_another_congress_is_refused(journey, unchanged):
    """A co-signer from another congress is refused at the field (400)."""
    stranger = DeputyFactory(
        delegation__congress=CongressFactory(body__region="其他州")
    )
    with unchanged():
        response = client_for(journey.deputy).post(
            url("create"),
            {
                "session": journey.session.pk,
                "title": "标题",
                "body": "正文",
                "co_signers": [stranger.pk],
            },
        )
    assert response.status_code == 400
    assert response.context["form"].errors["co_signers"]


def test_edit_draft_replaces_the_invitations(journey, draft):
    """Saving the edit form changes the text and replaces the invited co-signers."""
    newcomer = DeputyFactory(delegation__congress=journey.session.congress)
    response = client_for(journey.deputy).post(
        url("edit", draft),
        {"title": "新标题", "body": "新正文", "co_signers": [newcomer.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "新标题"
    assert list(draft.cosignatures.values_list("deputy_id", flat=True)) == [newcomer.pk]


def test_edit_page_shows_current_values(journey, draft):
    """The edit form starts from the draft, with the invited co-signer chosen and
    the session fixed."""
    response = client_for(journey.deputy).get(url("edit", draft))
    form = response.context["form"]
    assert form["title"].value() == draft.title
    assert form["co_signers"].value() == [journey.cosigner.deputy_profile.pk]
    assert form.fields["session"].disabled


def test_edit_of_a_submitted_suggestion_says_why_not(journey, unchanged):
    """Once submitted, the edit page redirects to the suggestion with a message."""
    suggestion = journey.to(Status.SUBMITTED)
    client = client_for(journey.deputy)
    with unchanged(suggestion):
        response = client.post(url("edit", suggestion), {"title": "x", "body": "y"})
    assert response.status_code == 302
    assert response.url == suggestion.get_absolute_url()
    assert messages_of(response)[0][0] == "error"


def test_invited_cosigner_may_not_edit(journey, draft):
    """An invited co-signer sees the draft but is told that only the lead edits."""
    response = client_for(journey.cosigner).get(url("edit", draft))
    assert response.status_code == 302
    assert "lead deputy" in messages_of(response)[0][1]


# --- actions ----------------------------------------------------------------------


def test_submit_draft(journey, draft):
    """Submitting a draft moves it to submitted and says so."""
    response = client_for(journey.deputy).post(url("submit", draft))
    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert messages_of(response)[0][0] == "success"


def test_submit_twice_says_why_not(journey, unchanged):
    """Submitting what is already submitted redirects with the reason, no 500."""
    suggestion = journey.to(Status.SUBMITTED)
    with unchanged(suggestion):
        response = client_for(journey.deputy).post(url("submit", suggestion))
    assert response.status_code == 302
    level, text = messages_of(response)[0]
    assert level == "error"
    assert "submitted" in text


def test_cosigner_may_not_submit(journey, draft, unchanged):
    """An invited co-signer cannot submit the lead's draft: a message says why."""
    with unchanged(draft):
        response = client_for(journey.cosigner).post(url("submit", draft))
    assert response.status_code == 302
    assert "lead deputy" in messages_of(response)[0][1]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED])
def test_withdraw(journey, status):
    """A draft or a submitted suggestion can be withdrawn by its lead deputy."""
    suggestion = journey.to(status)
    response = client_for(journey.deputy).post(url("withdraw", suggestion))
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.WITHDRAWN
    assert messages_of(response)[0][0] == "success"


def test_withdraw_after_filing_says_why_not(journey, unchanged):
    """A filed suggestion cannot be withdrawn: a message, a redirect, no change."""
    suggestion = journey.to(Status.REGISTERED)
    with unchanged(suggestion):
        response = client_for(journey.deputy).post(url("withdraw", suggestion))
    assert response.status_code == 302
    assert messages_of(response)[0][0] == "error"


def test_cosign_invitation(journey, draft):
    """The invited deputy confirms and counts as a co-signer."""
    response = client_for(journey.cosigner).post(url("cosign", draft))
    assert response.status_code == 302
    invitation = CoSignature.objects.get(
        suggestion=draft, deputy=journey.cosigner.deputy_profile
    )
    assert invitation.signed_at is not None
    assert messages_of(response)[0][0] == "success"


def test_cosign_twice_says_why_not(journey, draft):
    """Co-signing again is refused with a message."""
    client = client_for(journey.cosigner)
    client.post(url("cosign", draft))
    response = client.post(url("cosign", draft))
    assert response.status_code == 302
    assert "already co-signed" in messages_of(response)[-1][1]


def test_cosign_after_filing_says_why_not(journey, unchanged):
    """An invitation can no longer be accepted once the suggestion is filed."""
    suggestion = journey.to(Status.REGISTERED)
    with unchanged(suggestion):
        response = client_for(journey.cosigner).post(url("cosign", suggestion))
    assert response.status_code == 302
    assert messages_of(response)[0][0] == "error"


def test_lead_cannot_cosign_own_suggestion(journey, draft):
    """The lead deputy was not invited: co-signing is refused with a message."""
    response = client_for(journey.deputy).post(url("cosign", draft))
    assert response.status_code == 302
    assert "not been invited" in messages_of(response)[0][1]


def test_evaluate_satisfied_closes(journey, replied):
    """A satisfied rating closes the suggestion and thanks the deputy."""
    response = client_for(journey.deputy).post(
        url("evaluate", replied), {"attitude": "satisfied", "rating": "satisfied"}
    )
    assert response.status_code == 302
    replied.refresh_from_db()
    assert replied.status == Status.CLOSED
    assert messages_of(response)[0][0] == "success"


def test_evaluate_dissatisfied_with_comment_starts_rehandling(journey, replied):
    """A dissatisfied rating with a comment sends the suggestion back to the unit."""
    response = client_for(journey.deputy).post(
        url("evaluate", replied),
        {"attitude": "satisfied", "rating": "dissatisfied", "comment": "尚未解决。"},
    )
    assert response.status_code == 302
    replied.refresh_from_db()
    assert replied.status == Status.REHANDLING
    assert "handle the suggestion again" in messages_of(response)[0][1]


def test_evaluate_dissatisfied_without_comment_is_refused(journey, replied, unchanged):
    """Dissatisfied without a comment is refused with a message and the reason next
    to the comment field; nothing is written."""
    with unchanged(replied):
        response = client_for(journey.deputy).post(
            url("evaluate", replied),
            {"attitude": "satisfied", "rating": "dissatisfied", "comment": ""},
        )
    assert response.status_code == 400
    assert messages_of(response)[0][0] == "error"
    content = response.content.decode()
    assert 'data-testid="error-comment"' in content
    assert "remains unsolved" in content
    # The choice made is kept for the second try.
    assert 'value="dissatisfied" autocomplete="off" required checked' in content


def test_evaluate_without_rating_shows_the_error(journey, replied, unchanged):
    """No rating chosen: the form comes back (400) with the error at the rating."""
    with unchanged(replied):
        response = client_for(journey.deputy).post(url("evaluate", replied), {})
    assert response.status_code == 400
    assert 'data-testid="error-rating"' in response.content.decode()


def test_evaluate_closed_suggestion_says_why_not(journey):
    """Rating a suggestion already closed redirects with a message, no 500."""
    suggestion = journey.to(Status.CLOSED)
    response = client_for(journey.deputy).post(
        url("evaluate", suggestion), {"attitude": "satisfied", "rating": "satisfied"}
    )
    assert response.status_code == 302
    assert messages_of(response)[0][0] == "error"
    assert Evaluation.objects.filter(suggestion=suggestion).count() == 1


def test_cosigner_may_not_rate(journey, replied):
    """Only the lead deputy's rating counts: a co-signer is told so."""
    client = client_for(journey.cosigner)
    client.post(url("cosign", replied))  # too late to sign; still invited and sees it
    response = client.post(
        url("evaluate", replied), {"attitude": "satisfied", "rating": "satisfied"}
    )
    assert response.status_code == 302
    assert "lead deputy" in messages_of(response)[-1][1]
    assert not Evaluation.objects.exists()


# --- the deputy's card on the detail page -----------------------------------------


def test_panel_offers_draft_actions(journey, draft):
    """On a draft the lead deputy gets edit, submit and withdraw (with a confirm),
    and sees the invited co-signer's state."""
    content = client_for(journey.deputy).get(url("detail", draft)).content.decode()
    assert 'data-action="edit"' in content
    assert 'data-action="submit"' in content
    assert 'data-action="withdraw" data-confirm-action="withdraw"' in content
    assert 'data-cosigner-state="invited"' in content


def test_panel_offers_withdraw_while_submitted(journey):
    """Once submitted only withdrawal is offered."""
    suggestion = journey.to(Status.SUBMITTED)
    content = client_for(journey.deputy).get(url("detail", suggestion)).content
    content = content.decode()
    assert 'data-action="withdraw"' in content
    assert 'data-action="submit"' not in content
    assert 'data-action="edit"' not in content


def test_panel_offers_cosign_to_the_invited_deputy(journey, draft):
    """The invited deputy gets the co-sign button until they have signed."""
    client = client_for(journey.cosigner)
    assert 'data-action="cosign"' in client.get(url("detail", draft)).content.decode()
    client.post(url("cosign", draft))
    content = client.get(url("detail", draft)).content.decode()
    assert 'data-action="cosign"' not in content
    assert 'data-cosigner-state="signed"' in content


def test_panel_offers_rating_form_to_the_lead_when_replied(journey, replied):
    """A replied suggestion shows the lead deputy the rating form with its deadline
    and the comment rule."""
    content = client_for(journey.deputy).get(url("detail", replied)).content.decode()
    assert 'data-testid="evaluate-form"' in content
    assert 'data-testid="rating-deadline"' in content
    assert "Required if you are dissatisfied" in content
    for rating in ("satisfied", "basically_satisfied", "dissatisfied"):
        assert f'value="{rating}"' in content


def test_panel_points_a_merged_suggestion_to_the_one_it_joined(journey, draft):
    """A merged suggestion's card says which suggestion it joined."""
    journey.submit()
    target = SuggestionFactory(
        session=journey.session, submitted=True, title="合并目标建议"
    )
    from suggestions import services

    services.suggestion_merge(
        suggestion_id=draft.pk, actor=journey.staff, into=target.pk
    )
    content = client_for(journey.deputy).get(url("detail", draft)).content.decode()
    assert 'data-testid="merged-note"' in content
    assert target.get_absolute_url() in content


# --- co-signer search -------------------------------------------------------------


@pytest.fixture
def searcher(db):
    """A deputy of the shared congress, and deputies to find in two delegations."""
    congress = CongressFactory()
    user = deputy_user(delegation__congress=congress, name="查询代表")
    north = DelegationFactory(congress=congress, name="北塔山代表团")
    south = DelegationFactory(congress=congress, name="南山代表团")
    DeputyFactory(delegation=north, name="王建国")
    DeputyFactory(delegation=north, name="李明")
    DeputyFactory(delegation=south, name="王芳")
    DeputyFactory(delegation=south, name="王退休", active=False)
    other = DelegationFactory(
        congress=CongressFactory(body__region="其他州"), name="北塔山外"
    )
    DeputyFactory(delegation=other, name="王外州")
    return user


def _names(response) -> set[str]:
    assert response.status_code == 200
    return {d["name"] for d in response.json()["results"]}


def test_search_by_name(searcher):
    """Matching by name finds active deputies of the caller's congress only."""
    response = client_for(searcher).get(url("deputy-search"), {"q": "王"})
    assert _names(response) == {"王建国", "王芳"}


def test_search_by_delegation(searcher):
    """Matching by delegation name finds its members, not another congress's."""
    response = client_for(searcher).get(url("deputy-search"), {"q": "北塔山"})
    assert _names(response) == {"王建国", "李明"}
    first = response.json()["results"][0]
    assert set(first) == {"id", "name", "delegation"}
    assert first["delegation"]["name"] == "北塔山代表团"


def test_search_leaves_out_the_caller_and_caps_results(searcher):
    """The caller is never offered, and at most 20 deputies come back."""
    delegation = DelegationFactory(congress=CongressFactory(), name="大代表团")
    DeputyFactory.create_batch(25, delegation=delegation)
    names = _names(client_for(searcher).get(url("deputy-search"), {"q": ""}))
    assert "查询代表" not in names
    assert len(names) == 20
    assert (
        _names(client_for(searcher).get(url("deputy-search"), {"q": "查询"})) == set()
    )


def test_search_needs_the_deputy_role(other_clerk):
    """A user who is not a deputy is refused (403)."""
    response = client_for(other_clerk).get(url("deputy-search"), {"q": "王"})
    assert response.status_code == 403


# --- my suggestions and the workbench ---------------------------------------------


def _my_rows(user, count: int) -> None:
    """``count`` suggestions of ``user``: some led, some co-signed or invited."""
    me = user.deputy_profile
    session = SessionFactory()
    for i in range(count):
        if i % 3 == 2:
            CoSignatureFactory(
                suggestion=SuggestionFactory(session=session, submitted=True),
                deputy=me,
            )
        else:
            traits = [{}, {"assigned": True}][i % 2]
            SuggestionFactory(session=session, lead_deputy=me, **traits)


def _list_queries(user) -> tuple[int, int]:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("my-suggestions"))
    assert response.status_code == 200
    return len(queries), len(response.context["page_obj"])


def test_my_suggestions_query_count_does_not_grow_with_rows(db):
    """The list costs the same number of queries with 2 and with 20 rows."""
    few, many = deputy_user(), deputy_user()
    _my_rows(few, 2)
    _my_rows(many, 20)
    few_queries, few_rows = _list_queries(few)
    many_queries, many_rows = _list_queries(many)
    assert (few_rows, many_rows) == (2, 20)
    assert few_queries == many_queries


def test_my_suggestions_lists_led_and_cosigned_only(journey, draft, other_deputy):
    """The lead and the invited co-signer see the draft in their list; another
    deputy does not."""
    for user, expected in [
        (journey.deputy, True),
        (journey.cosigner, True),
        (other_deputy, False),
    ]:
        response = client_for(user).get(url("my-suggestions"))
        assert (draft in response.context["page_obj"]) is expected


def test_workbench_status_links_filter_my_suggestions(journey, draft):
    """The workbench's count links open "my suggestions" filtered by status."""
    me = journey.deputy.deputy_profile
    closed = SuggestionFactory(session=journey.session, lead_deputy=me, closed=True)
    client = client_for(journey.deputy)
    workbench = client.get(url("workbench")).content.decode()
    mine = url("my-suggestions")
    assert f'href="{mine}?role=lead&amp;status=draft"' in workbench
    assert f'href="{mine}?role=lead&amp;status=closed"' in workbench
    drafts = list(client.get(mine, {"status": "draft"}).context["page_obj"])
    assert drafts == [draft]
    closed_rows = list(client.get(mine, {"status": "closed"}).context["page_obj"])
    assert closed_rows == [closed]
    handled = SuggestionFactory(session=journey.session, lead_deputy=me, assigned=True)
    handling = ["submitted", "registered", "assigned", "rehandling"]
    assert (
        f'href="{mine}?role=lead&amp;{"&amp;".join(f"status={s}" for s in handling)}"'
        in (workbench)
    )
    response = client.get(mine, {"status": handling})
    assert list(response.context["page_obj"]) == [handled]
    assert 'data-testid="active-filter"' in response.content.decode()


# --- public pages -----------------------------------------------------------------


@pytest.fixture
def published(db):
    """One published reply (with a deputy's phone and e-mail on file) and
    suggestions that must stay out of sight."""
    lead = DeputyFactory(phone="13912345678", email="deputy@example.org")
    shown = SuggestionFactory(
        lead_deputy=lead,
        session__congress=lead.delegation.congress,
        closed=True,
        is_public=True,
        title="公开答复的建议",
    )
    SuggestionFactory(closed=True, is_public=False, title="未公开的建议")
    SuggestionFactory(submitted=True, is_public=True, title="尚未答复的建议")
    SuggestionFactory(title="草稿建议")
    return shown


def public_list(suggestion) -> str:
    """The public list of the suggestion's congress body."""
    return reverse(
        "suggestions:public-list", args=[suggestion.session.congress.body_id]
    )


def public_detail(suggestion) -> str:
    return suggestion.get_public_url()


def test_public_list_shows_published_replies_only(published):
    """Anyone sees the published reply and nothing else."""
    response = client_for().get(public_list(published))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [published]
    content = response.content.decode()
    assert "公开答复的建议" in content
    for hidden in ("未公开的建议", "尚未答复的建议", "草稿建议"):
        assert hidden not in content


def test_public_list_search_by_text_category_and_unit(published):
    """The public list filters by text, category and lead unit."""
    other = SuggestionFactory(closed=True, is_public=True, title="另一条公开建议")
    client = client_for()

    def rows(**params):
        return list(client.get(public_list(published), params).context["page_obj"])

    assert rows(q="公开答复") == [published]
    assert rows(category=published.category_id) == [published]
    assert rows(unit=other.lead_unit_id) == [other]
    assert rows(q="不存在的内容") == []


def test_public_list_counts_what_it_lists(published):
    """The count (from the kept per-session counts without filters, from the rows
    with them) is the number of rows the list pages through."""
    SuggestionFactory.create_batch(3, closed=True, is_public=True)
    client = client_for()
    for params in ({}, {"category": published.category_id}, {"q": "公开答复"}):
        page = client.get(public_list(published), params).context["page_obj"]
        assert page.paginator.count == len(page.object_list), params
    page = client.get(public_list(published)).context["page_obj"]
    assert page.paginator.count == 4


def _public_queries(count: int) -> tuple[int, int]:
    Suggestion.objects.filter(is_public=True).update(is_public=False)
    for suggestion in SuggestionFactory.create_batch(count, closed=True):
        Suggestion.objects.filter(pk=suggestion.pk).update(is_public=True)
    body = CongressFactory().body_id
    with CaptureQueriesContext(connection) as queries:
        response = client_for().get(reverse("suggestions:public-list", args=[body]))
    return len(queries), len(response.context["page_obj"])


def test_public_list_query_count_does_not_grow_with_rows(db):
    """Deputies, delegations, units and categories come with the rows: the same
    queries for 2 rows as for 20."""
    few_queries, few_rows = _public_queries(2)
    many_queries, many_rows = _public_queries(20)
    assert (few_rows, many_rows) == (2, 20)
    assert few_queries == many_queries


def test_public_pages_show_no_contact_details(published):
    """No deputy's phone number or e-mail appears on the public pages."""
    client = client_for()
    for page in (public_list(published), public_detail(published)):
        content = client.get(page).content.decode()
        assert "13912345678" not in content
        assert "deputy@example.org" not in content
    assert (
        published.lead_deputy.name
        in client.get(public_detail(published)).content.decode()
    )


def test_public_detail_of_unpublished_is_404(published):
    """A suggestion whose reply is not public answers 404 on the public page."""
    hidden = Suggestion.objects.get(title="未公开的建议")
    assert client_for().get(public_detail(hidden)).status_code == 404


def test_unit_member_without_assignment_sees_no_deputy_page(other_clerk):
    """A clerk gets no "my suggestions" list (404)."""
    response = client_for(other_clerk).get(url("my-suggestions"))
    assert response.status_code == 404

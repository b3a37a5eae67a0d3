"""A request sent twice writes once: the forms that create something carry a one-time
token (common/once.py), and every API POST honours ``Idempotency-Key``
(common/api/idempotency.py)."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from common import clock
from common.api.idempotency import IdempotentMixin
from common.models import FormSubmission, IdempotencyKey
from common.tasks import purge_idempotency_keys
from suggestions import services
from suggestions.models import ContactRecord, Event, Reply, Status, Suggestion
from tests.api.conftest import png_letter
from tests.api.contract import ContractClient
from tests.conftest import NOW, at
from tests.factories import Journey, open_for_intake

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
ALREADY = "该表单已提交，请勿重复提交"


def browser(user, *, english=False) -> Client:
    client = Client(headers={"accept-language": "en"} if english else {})
    client.force_login(user)
    return client


def token_of(response) -> str:
    match = TOKEN.search(response.content.decode())
    assert match, "the form carries no one-time token"
    return match.group(1)


def draft_data(journey) -> dict:
    open_for_intake(journey.session)
    return {
        "session": journey.session.pk,
        "title": "关于增设公交线路的建议",
        "body": "建议增设连接新区与老城区的公交线路。",
        "category": journey.category.pk,
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- HTML forms -------------------------------------------------------------------


def test_double_post_of_the_draft_form_makes_one_draft(journey):
    """保存草稿 clicked twice: the form's token is used once; the second POST writes
    nothing and leads to the draft the first made, saying so in Chinese."""
    client = browser(journey.deputy)
    token = token_of(client.get("/suggestions/new/"))
    data = {**draft_data(journey), "form_token": token}
    first = client.post("/suggestions/new/", data)
    events = Event.objects.count()
    second = client.post("/suggestions/new/", data)
    draft = Suggestion.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == draft.get_absolute_url()
    # The second reads as the first one's success, not as a refusal.
    assert messages_of(second)[-1] == messages_of(first)[-1]
    assert ALREADY not in "".join(messages_of(second))
    assert Event.objects.count() == events


def test_a_post_without_a_valid_token_shows_the_form_again(journey):
    """No token, a forged one or another user's: the form again with a clear error
    (400), the typed values kept, nothing written."""
    client = browser(journey.deputy, english=True)
    other = browser(journey.cosigner)
    foreign = token_of(other.get("/suggestions/new/"))
    for token in (
        None,
        "forged",
        foreign,
        token_of(client.get("/suggestions/new/"))[:-2],
    ):
        data = draft_data(journey)
        if token is not None:
            data["form_token"] = token
        response = client.post("/suggestions/new/", data)
        assert response.status_code == 400
        assert "This form has expired or did not come from its page" in (
            response.content.decode()
        )
        assert "关于增设公交线路的建议" in response.content.decode()
        token_of(response)  # a fresh token to send it again
    assert not Suggestion.objects.exists()


def test_a_form_shown_again_for_an_error_keeps_its_token_usable(journey):
    """A validation error or a refused change consumes nothing: the same token then
    creates the draft once."""
    client = browser(journey.deputy)
    token = token_of(client.get("/suggestions/new/"))
    invalid = {**draft_data(journey), "title": "", "form_token": token}
    assert client.post("/suggestions/new/", invalid).status_code == 400
    assert not FormSubmission.objects.exists()
    data = {**draft_data(journey), "form_token": token}
    assert client.post("/suggestions/new/", data).status_code == 302
    assert client.post("/suggestions/new/", data).status_code == 302
    assert Suggestion.objects.count() == 1


def test_double_post_of_a_contact_record_makes_one(journey):
    """The unit's 记录联系 form sent twice records one contact."""
    journey.to(Status.ASSIGNED)
    assignment = journey.lead_assignment()
    client = browser(journey.clerk)
    page = client.get(f"/assignments/{assignment.pk}/")
    data = {
        "stage": "before",
        "method": "meeting",
        "contacted_at": "2026-03-11T09:30",
        "note": "面商。",
        "form_token": token_of(page),
    }
    address = f"/assignments/{assignment.pk}/contact/"
    with clock.frozen_at(at(2026, 3, 12)):
        first = client.post(address, data)
        assert first.status_code == 302
        second = client.post(address, data)
    assert second.status_code == 302
    assert second.url == f"/assignments/{assignment.pk}/"
    assert messages_of(second)[-1] == messages_of(first)[-1]
    assert ContactRecord.objects.filter(assignment=assignment).count() == 1


def test_every_creating_form_on_the_pages_carries_a_token(journey):
    """Each form that posts to a one-time action has the hidden token, and every page
    loads the script that disables a sent form's buttons."""
    journey.to(Status.ASSIGNED)
    assignment = journey.lead_assignment()
    pages = [
        (journey.deputy, "/suggestions/new/"),
        (journey.clerk, f"/assignments/{assignment.pk}/"),
    ]
    for user, address in pages:
        html = browser(user).get(address).content.decode()
        assert "js/submit-once" in html
        forms = re.findall(r"<form[^>]*>.*?</form>", html, flags=re.S)
        creating = [
            f
            for f in forms
            if re.search(
                r'action="[^"]*/(contact|reply|request-extension|request-reassignment'
                r'|fulfil)/"',
                f,
            )
            or 'data-testid="suggestion-form"' in f
        ]
        assert creating
        assert all('name="form_token"' in f for f in creating)


def test_old_used_tokens_are_purged(journey):
    """The periodic purge forgets used tokens and keys older than 24 hours."""
    old = timezone.now() - timedelta(hours=25)
    FormSubmission.objects.create(nonce="old", user=journey.deputy, created_at=old)
    FormSubmission.objects.create(
        nonce="new", user=journey.deputy, created_at=timezone.now()
    )
    IdempotencyKey.objects.create(
        user=journey.deputy, key="old", fingerprint="x", created_at=old
    )
    assert purge_idempotency_keys() == 2
    assert list(FormSubmission.objects.values_list("nonce", flat=True)) == ["new"]
    assert not IdempotencyKey.objects.exists()


# --- API --------------------------------------------------------------------------


def api(user) -> ContractClient:
    client = ContractClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def create(client, journey, key, **changes):
    open_for_intake(journey.session)
    data = {
        "session": journey.session.pk,
        "title": "关于加快老旧小区改造的建议",
        "body": "建议加大财政投入。",
        **changes,
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/suggestions/", data, format="json", **headers)


def test_the_same_key_twice_creates_once_and_answers_the_same(journey):
    """The second POST with the key replays the first answer (status, body, content
    type) and writes nothing."""
    client = api(journey.deputy)
    first = create(client, journey, "k-1")
    events = Event.objects.count()
    second = create(client, journey, "k-1")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Idempotent-Replayed"] == "true"
    assert Suggestion.objects.count() == 1
    assert Event.objects.count() == events
    # Without a key, two POSTs are two requests.
    create(client, journey, None)
    create(client, journey, None)
    assert Suggestion.objects.count() == 3


def test_the_same_key_with_another_request_is_a_conflict(journey):
    """Another body or another path under a used key: 409 idempotency_conflict,
    nothing written."""
    client = api(journey.deputy)
    create(client, journey, "k-2")
    other_body = create(client, journey, "k-2", title="另一条建议")
    assert other_body.status_code == 409
    assert other_body.json()["code"] == "idempotency_conflict"
    assert other_body.json()["detail"]
    pk = Suggestion.objects.get().pk
    other_path = client.post(
        f"/api/v1/suggestions/{pk}/submit/", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert other_path.status_code == 409
    assert Suggestion.objects.get().status == Status.DRAFT


def test_the_conflict_message_is_in_chinese_by_default(journey):
    """Chinese is the API's default language too."""
    client = ContractClient()
    client.force_authenticate(journey.deputy)
    create(client, journey, "k-zh")
    response = create(client, journey, "k-zh", title="另一条建议")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "此幂等键已用于另一个请求。",
        "code": "idempotency_conflict",
    }


def test_keys_are_per_user(journey):
    """Two users sending the same key are two requests."""
    other = Journey(session=journey.session)
    assert create(api(journey.deputy), journey, "shared").status_code == 201
    assert create(api(other.deputy), journey, "shared").status_code == 201
    assert Suggestion.objects.count() == 2


def test_a_key_is_new_again_after_24_hours(journey):
    """After its lifetime a key runs its request again."""
    client = api(journey.deputy)
    create(client, journey, "daily")
    IdempotencyKey.objects.update(
        created_at=timezone.now() - timedelta(hours=24, seconds=1)
    )
    again = create(client, journey, "daily", title="第二天的建议")
    assert again.status_code == 201
    assert Suggestion.objects.count() == 2
    assert (
        create(client, journey, "daily", title="第二天的建议").content == again.content
    )
    assert Suggestion.objects.count() == 2


def test_an_empty_or_too_long_key_is_refused(journey):
    """A key of 0 or more than 255 characters is a 400 and runs nothing."""
    client = api(journey.deputy)
    for key in ("", "   ", "k" * 256):
        response = create(client, journey, key)
        assert response.status_code == 400
        assert "Idempotency-Key" in response.json()["detail"]
    assert create(client, journey, "k" * 255).status_code == 201
    assert Suggestion.objects.count() == 1


def test_a_refusal_is_kept_and_a_server_error_is_not(journey, monkeypatch):
    """A 4xx is final and replayed; after a 5xx the key is free for a retry."""
    client = api(journey.deputy)
    refused = create(client, journey, "bad", title="")
    assert refused.status_code == 400
    assert create(client, journey, "bad", title="").content == refused.content
    assert create(client, journey, "bad").status_code == 409

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "suggestion_create", broken)
    failing = ContractClient(raise_request_exception=False)
    failing.force_authenticate(journey.deputy)
    assert create(failing, journey, "retry").status_code == 500
    assert not IdempotencyKey.objects.filter(key="retry").exists()
    monkeypatch.undo()
    assert create(client, journey, "retry").status_code == 201


def test_a_multipart_reply_with_its_letter_is_sent_once(journey):
    """The reply with its letter, resent with the same key (a new multipart boundary),
    replays; another letter under the key is a conflict."""
    journey.to(Status.ASSIGNED)
    assignment = journey.lead_assignment()
    journey.acknowledge()
    journey.meet()
    client = api(journey.clerk)
    address = f"/api/v1/assignments/{assignment.pk}/reply/"

    def reply(name="答复函.png"):
        return client.post(
            address,
            {
                "outcome": "explained",
                "body": "因资金限制，拟于明年实施。",
                "letter": png_letter(name),
            },
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="reply-1",
        )

    first = reply()
    assert first.status_code == 200, first.content
    second = reply()
    assert second.status_code == 200
    assert second.content == first.content
    assert Reply.objects.filter(assignment=assignment).count() == 1
    assert reply("另一份.png").status_code == 409


def test_anonymous_posts_are_not_keyed(journey):
    """The token endpoint (no caller yet) ignores the header."""
    journey.deputy.set_password("a-long-password-1")
    journey.deputy.save()
    client = ContractClient()
    for _ in range(2):
        response = client.post(
            "/api/v1/auth/token/",
            {"username": journey.deputy.username, "password": "a-long-password-1"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="login",
        )
        assert response.status_code == 200
    assert not IdempotencyKey.objects.exists()


def _api_patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _api_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_api_post_view_honours_the_key(db):
    """Every view of the API that takes a POST, now and later, is keyed, and the
    schema declares the header on each POST that needs a signed-in caller."""
    views = [
        (route, callback)
        for route, callback in _api_patterns(get_resolver().url_patterns)
        if route.startswith("api/v1/")
        and hasattr(getattr(callback, "cls", None), "post")
    ]
    assert len(views) > 20
    unkeyed = [route for route, cb in views if not issubclass(cb.cls, IdempotentMixin)]
    assert unkeyed == []

    schema = ContractClient().get("/api/v1/schema/?format=json").json()
    posts = {
        path: operation["post"]
        for path, operation in schema["paths"].items()
        if "post" in operation
    }
    assert len(posts) == len(views)
    for path, operation in posts.items():
        names = [p["name"] for p in operation.get("parameters", [])]
        if path == "/api/v1/auth/token/":
            assert "Idempotency-Key" not in names
        else:
            assert "Idempotency-Key" in names, path


# --- under real concurrency (PostgreSQL) ------------------------------------------

concurrent = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers"
)


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


@pytest.mark.postgres
@concurrent
def test_concurrent_api_duplicates_run_once(transactional_db):
    """Four POSTs with one key at the same moment: one suggestion; the others replay
    its answer or are told it is still running (409)."""
    with clock.frozen_at(NOW):
        journey = Journey()

    def post():
        with clock.frozen_at(at(2026, 3, 10, 11)):
            return create(api(journey.deputy), journey, "same-moment")

    results = race(post, post, post, post)
    codes = sorted(r.status_code for r in results)
    assert Suggestion.objects.count() == 1
    assert codes.count(201) >= 1
    assert set(codes) <= {201, 409}
    bodies = {r.content for r in results if r.status_code == 201}
    assert len(bodies) == 1


@pytest.mark.postgres
@concurrent
def test_concurrent_form_duplicates_run_once(transactional_db):
    """The draft form's token sent twice at the same moment: one draft."""
    with clock.frozen_at(NOW):
        journey = Journey()
    client = browser(journey.deputy)
    token = token_of(client.get("/suggestions/new/"))
    data = {**draft_data(journey), "form_token": token}

    def post():
        with clock.frozen_at(at(2026, 3, 10, 11)):
            return browser(journey.deputy).post("/suggestions/new/", data)

    results = race(post, post, post)
    assert [r.status_code for r in results] == [302, 302, 302]
    assert Suggestion.objects.count() == 1
    assert {r.url for r in results} == {Suggestion.objects.get().get_absolute_url()}

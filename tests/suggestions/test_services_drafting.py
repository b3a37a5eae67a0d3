"""Deputies' transitions: create and edit a draft, submit, withdraw, co-sign."""

import pytest

from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from congress.models import Deputy
from suggestions import services
from suggestions.models import CoSignature, Event, Status, Suggestion
from tests.conftest import NOW
from tests.factories import (
    CategoryFactory,
    CongressFactory,
    DeputyFactory,
    SessionFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db


def last_event(suggestion) -> Event:
    return Event.objects.filter(suggestion=suggestion).latest("pk")


# --- create ----------------------------------------------------------------------------


class TestCreate:
    def test_deputy_creates_a_draft_with_invited_co_signers(self, journey):
        """A deputy's new suggestion is a draft they lead; co-signers are invited,
        not yet signed."""
        s = journey.create(title="  关于修建公园的建议 ", body="建议修建公园。")
        s.refresh_from_db()
        assert s.status == Status.DRAFT
        assert s.title == "关于修建公园的建议"
        assert s.lead_deputy == journey.deputy.deputy_profile
        assert s.number is None
        assert s.created_at == NOW
        invitation = CoSignature.objects.get(suggestion=s)
        assert invitation.deputy == journey.cosigner.deputy_profile
        assert invitation.invited_at == NOW
        assert invitation.signed_at is None
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "create",
            "draft",
            "draft",
        )
        assert event.actor == journey.deputy

    def test_category_may_be_given_by_id(self, journey):
        """A category can be passed as an object or as its id."""
        category = CategoryFactory()
        assert journey.create(category=category.pk).category == category

    def test_co_signers_given_twice_are_invited_once(self, journey):
        """Duplicate co-signer ids make one invitation."""
        pk = journey.cosigner.deputy_profile.pk
        s = journey.create(co_signers=[pk, pk])
        assert s.cosignatures.count() == 1

    def test_someone_who_is_not_a_deputy_may_not_create(self, journey, staff):
        """Only deputies hand in suggestions (NotPermitted), and nothing is written."""
        with pytest.raises(NotPermitted):
            services.suggestion_create(
                actor=staff, session=journey.session, title="标题", body="正文"
            )
        assert Suggestion.objects.count() == 0
        assert Event.objects.count() == 0

    def test_session_of_another_congress_is_refused(self, journey):
        """A deputy files only in their own congress's sessions (field ``session``)."""
        foreign = SessionFactory(congress=CongressFactory(body__region="伊犁"))
        with pytest.raises(InvalidInput) as error:
            services.suggestion_create(
                actor=journey.deputy, session=foreign, title="标题", body="正文"
            )
        assert error.value.field == "session"
        assert Suggestion.objects.count() == 0

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"title": "   "}, "title"),
            ({"title": "长" * 201}, "title"),
            ({"title": 42}, "title"),
            ({"body": ""}, "body"),
            ({"co_signers": ["7"]}, "co_signers"),
            ({"co_signers": [True]}, "co_signers"),
            ({"co_signers": [999_999]}, "co_signers"),
            ({"category": 999_999}, "category"),
            ({"category": "工交财贸"}, "category"),
        ],
    )
    def test_bad_input_names_the_field(self, journey, fields, field):
        """Blank or over-long title, blank body, unknown co-signer: InvalidInput
        naming the field, no suggestion, invitation or event written."""
        with pytest.raises(InvalidInput) as error:
            journey.create(**fields)
        assert error.value.field == field
        assert Suggestion.objects.count() == 0
        assert CoSignature.objects.count() == 0
        assert Event.objects.count() == 0

    def test_lead_deputy_cannot_co_sign_own_suggestion(self, journey):
        """The lead deputy is refused as a co-signer (field ``co_signers``)."""
        with pytest.raises(InvalidInput) as error:
            journey.create(co_signers=[journey.deputy.deputy_profile.pk])
        assert error.value.field == "co_signers"
        assert Suggestion.objects.count() == 0

    def test_co_signer_must_be_active_and_of_the_same_congress(self, journey):
        """Inactive deputies and deputies of another congress cannot be invited."""
        inactive = DeputyFactory(
            active=False, delegation__congress=journey.session.congress
        )
        foreign = DeputyFactory(
            delegation__congress=CongressFactory(body__region="伊犁")
        )
        for deputy in (inactive, foreign):
            with pytest.raises(InvalidInput) as error:
                journey.create(co_signers=[deputy])
            assert error.value.field == "co_signers"
        assert Suggestion.objects.count() == 0


# --- update ----------------------------------------------------------------------------


class TestUpdate:
    def test_lead_deputy_edits_the_draft_and_replaces_invitations(self, journey):
        """Title, body, category and the co-signer list change; a kept invitation
        keeps its signature, a dropped one is deleted, a new one is invited."""
        s = journey.create()
        services.suggestion_cosign(suggestion_id=s.pk, actor=journey.cosigner)
        newcomer = DeputyFactory(delegation__congress=journey.session.congress)
        dropped = DeputyFactory(delegation__congress=journey.session.congress)
        services.suggestion_update(
            suggestion_id=s.pk, actor=journey.deputy, co_signers=[dropped]
        )
        category = CategoryFactory()
        services.suggestion_update(
            suggestion_id=s.pk,
            actor=journey.deputy,
            title="新标题",
            body="新正文",
            category=category,
            co_signers=[journey.cosigner.deputy_profile, newcomer],
        )
        s.refresh_from_db()
        assert (s.title, s.body, s.category, s.status) == (
            "新标题",
            "新正文",
            category,
            Status.DRAFT,
        )
        signatures = {c.deputy: c.signed_at for c in s.cosignatures.all()}
        assert set(signatures) == {journey.cosigner.deputy_profile, newcomer}
        # Dropped in the first edit: the signed invitation went; re-invited: unsigned.
        assert signatures[journey.cosigner.deputy_profile] is None
        assert signatures[newcomer] is None
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "edit",
            "draft",
            "draft",
        )
        assert event.data == {"fields": ["title", "body", "category", "co_signers"]}

    def test_kept_co_signer_keeps_the_signature(self, journey):
        """Editing the list without dropping a signed co-signer keeps their
        signature."""
        s = journey.create()
        services.suggestion_cosign(suggestion_id=s.pk, actor=journey.cosigner)
        services.suggestion_update(
            suggestion_id=s.pk,
            actor=journey.deputy,
            co_signers=[journey.cosigner.deputy_profile],
        )
        assert s.cosignatures.get().signed_at == NOW

    def test_only_a_draft_can_be_edited(self, journey, unchanged):
        """A submitted suggestion can no longer be edited (InvalidTransition)."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_update(
                suggestion_id=s.pk, actor=journey.deputy, title="改"
            )

    def test_an_invited_co_signer_may_not_edit(self, journey, unchanged):
        """A co-signer sees the draft but may not edit it (NotPermitted)."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_update(
                suggestion_id=s.pk, actor=journey.cosigner, title="改"
            )

    @pytest.mark.parametrize("who", ["other_deputy", "staff", "other_clerk"])
    def test_others_do_not_find_the_draft(self, journey, unchanged, request, who):
        """Another deputy, staff and units cannot see a draft at all (NotFound)."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotFound):
            services.suggestion_update(
                suggestion_id=s.pk, actor=request.getfixturevalue(who), title="改"
            )

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"title": ""}, "title"),
            ({"body": "  "}, "body"),
            ({"co_signers": ["x"]}, "co_signers"),
            ({"category": 999_999}, "category"),
        ],
    )
    def test_bad_input_changes_nothing(self, journey, unchanged, fields, field):
        """Bad input names the field and leaves the draft and invitations as they
        were."""
        s = journey.create()
        with unchanged(s), pytest.raises(InvalidInput) as error:
            services.suggestion_update(
                suggestion_id=s.pk, actor=journey.deputy, **fields
            )
        assert error.value.field == field
        assert s.cosignatures.count() == 1

    def test_unknown_suggestion_is_not_found(self, journey):
        """An id that does not exist (or is not a number) answers NotFound."""
        for bad in (999_999, "abc", None):
            with pytest.raises(NotFound):
                services.suggestion_update(
                    suggestion_id=bad, actor=journey.deputy, title="x"
                )


# --- submit ----------------------------------------------------------------------------


class TestSubmit:
    def test_lead_deputy_submits_the_draft(self, journey):
        """Submit moves draft → submitted, stamps the time and logs the move."""
        s = journey.create()
        journey.submit()
        s.refresh_from_db()
        assert s.status == Status.SUBMITTED
        assert s.submitted_at == NOW
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status, event.actor) == (
            "submit",
            "draft",
            "submitted",
            journey.deputy,
        )

    def test_cannot_submit_twice(self, journey, unchanged):
        """A submitted suggestion cannot be submitted again (InvalidTransition)."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(InvalidTransition):
            journey.submit()

    def test_co_signer_may_not_submit(self, journey, unchanged):
        """Only the lead deputy submits; an invited co-signer is NotPermitted."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_submit(suggestion_id=s.pk, actor=journey.cosigner)

    @pytest.mark.parametrize("who", ["other_deputy", "staff", "anonymous"])
    def test_others_do_not_find_the_draft(self, journey, unchanged, request, who):
        """Another deputy, staff and the public cannot reach a draft (NotFound)."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotFound):
            services.suggestion_submit(
                suggestion_id=s.pk, actor=request.getfixturevalue(who)
            )


# --- withdraw --------------------------------------------------------------------------


class TestWithdraw:
    @pytest.mark.parametrize("start", [Status.DRAFT, Status.SUBMITTED])
    def test_lead_deputy_withdraws_before_filing(self, journey, start):
        """A draft or a submitted suggestion can be withdrawn, with the reason
        logged."""
        s = journey.to(start)
        services.suggestion_withdraw(
            suggestion_id=s.pk, actor=journey.deputy, reason=" 已通过其他渠道解决 "
        )
        s.refresh_from_db()
        assert s.status == Status.WITHDRAWN
        assert s.closed_at == NOW
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status, event.note) == (
            "withdraw",
            start,
            "withdrawn",
            "已通过其他渠道解决",
        )

    def test_a_filed_suggestion_cannot_be_withdrawn(self, journey, unchanged):
        """Once registered, withdrawing is refused (InvalidTransition)."""
        s = journey.to(Status.REGISTERED)
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_withdraw(suggestion_id=s.pk, actor=journey.deputy)

    @pytest.mark.parametrize("who", ["cosigner", "staff"])
    def test_only_the_lead_deputy_withdraws(self, journey, unchanged, who):
        """A co-signer or staff may see a submitted suggestion but not withdraw it
        (NotPermitted)."""
        s = journey.to(Status.SUBMITTED)
        actor = journey.cosigner if who == "cosigner" else journey.staff
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_withdraw(suggestion_id=s.pk, actor=actor)

    def test_another_deputy_does_not_find_it(self, journey, unchanged, other_deputy):
        """Someone else's suggestion answers NotFound."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(NotFound):
            services.suggestion_withdraw(suggestion_id=s.pk, actor=other_deputy)

    def test_reason_must_be_text(self, journey, unchanged):
        """A reason that is not text is InvalidInput on ``reason``."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(InvalidInput) as error:
            services.suggestion_withdraw(
                suggestion_id=s.pk, actor=journey.deputy, reason=["no"]
            )
        assert error.value.field == "reason"


# --- co-sign ---------------------------------------------------------------------------


class TestCosign:
    @pytest.mark.parametrize("start", [Status.DRAFT, Status.SUBMITTED])
    def test_invited_deputy_confirms(self, journey, start):
        """An invited deputy signs a draft or a submitted suggestion; the status
        stays and the signature is logged."""
        s = journey.to(start)
        services.suggestion_cosign(suggestion_id=s.pk, actor=journey.cosigner)
        invitation = CoSignature.objects.get(suggestion=s)
        assert invitation.signed_at == NOW
        event = last_event(s)
        assert (event.action, event.from_status, event.to_status) == (
            "cosign",
            start,
            start,
        )
        assert event.data == {"deputy": journey.cosigner.deputy_profile.pk}

    def test_cannot_sign_twice(self, journey, unchanged):
        """A second signature is refused (InvalidTransition) and the first kept."""
        s = journey.create()
        services.suggestion_cosign(suggestion_id=s.pk, actor=journey.cosigner)
        invitation = s.cosignatures.get()
        with unchanged(s, invitation), pytest.raises(InvalidTransition):
            services.suggestion_cosign(suggestion_id=s.pk, actor=journey.cosigner)

    def test_cannot_sign_once_filed(self, journey, unchanged):
        """After registration a pending invitation can no longer be signed."""
        s = journey.to(Status.REGISTERED)
        invitation = s.cosignatures.get()
        with unchanged(s, invitation), pytest.raises(InvalidTransition):
            services.suggestion_cosign(suggestion_id=s.pk, actor=journey.cosigner)

    def test_someone_who_is_not_a_deputy_may_not_sign(self, journey, unchanged):
        """Staff (not deputies) cannot co-sign (NotPermitted)."""
        s = journey.to(Status.SUBMITTED)
        with unchanged(s), pytest.raises(NotPermitted):
            services.suggestion_cosign(suggestion_id=s.pk, actor=journey.staff)

    def test_uninvited_deputy_does_not_find_it(self, journey, unchanged, other_deputy):
        """A deputy who was not invited finds nothing (NotFound)."""
        s = journey.create()
        with unchanged(s), pytest.raises(NotFound):
            services.suggestion_cosign(suggestion_id=s.pk, actor=other_deputy)

    def test_lead_deputy_is_not_invited(self, journey, unchanged):
        """The lead deputy cannot co-sign their own suggestion (InvalidTransition)."""
        s = journey.create()
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_cosign(suggestion_id=s.pk, actor=journey.deputy)

    def test_deputy_of_a_published_reply_still_needs_an_invitation(
        self, journey, other_deputy, unchanged
    ):
        """Seeing a published suggestion does not make a deputy a co-signer."""
        s = journey.to(Status.REPLIED)
        services.suggestion_publish(
            suggestion_id=s.pk, actor=journey.staff, is_public=True
        )
        with unchanged(s), pytest.raises(InvalidTransition):
            services.suggestion_cosign(suggestion_id=s.pk, actor=other_deputy)
        assert not CoSignature.objects.filter(
            deputy=Deputy.objects.get(user=other_deputy)
        ).exists()


def test_deputy_user_factory_links_the_account():
    """The factories' deputy users act as their deputy (sanity check of the cast)."""
    user = deputy_user(name="张三")
    assert user.deputy_profile.name == "张三"
    assert user.is_deputy

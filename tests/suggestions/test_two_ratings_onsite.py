"""Two ratings and on-site evaluation (现场测评): the deputy rates the handling
attitude and the result; the congress's rules say which of them sends the suggestion
back (one function, ``ratings.sends_back``); staff record an evaluation meeting and
enter a present lead deputy's ratings from the signed 征询意见表 with its scan, with
the same consequence as an online rating. Every refusal leaves nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from congress.models import HandlingRules, RatingSendsBack, Session
from suggestions import ratings, selectors, services, workflow
from suggestions.models import Evaluation, RatingChannel, Status
from tests.conftest import NOW
from tests.factories import (
    CongressBodyFactory,
    CongressFactory,
    HandlingRulesFactory,
    HandlingUnitFactory,
    Journey,
    StaffFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def scan(content: bytes = PNG, name: str = "征询意见表.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def replied(journey):
    return journey.to(Status.REPLIED)


@pytest.fixture
def meeting(journey, replied):
    """An evaluation meeting of the session with the lead deputy present."""
    return services.evaluation_meeting_create(
        actor=journey.staff,
        session=journey.session,
        held_on=NOW.date(),
        place="州人大常委会第一会议室",
        deputies=[journey.deputy.deputy_profile.pk],
        units=[journey.unit.pk],
    )


def rate_on_site(journey, meeting, **kwargs):
    values = {
        "meeting_id": meeting.pk,
        "actor": journey.staff,
        "suggestion_id": journey.suggestion.pk,
        "deputy_id": journey.deputy.deputy_profile.pk,
        "attitude": "satisfied",
        "result": "satisfied",
        "form_scan": scan(),
    }
    return services.evaluation_meeting_rate(**(values | kwargs))


# --- which rating sends a suggestion back ----------------------------------------------


@pytest.mark.parametrize(
    ("rule", "attitude", "result", "back"),
    [
        (RatingSendsBack.RESULT, "satisfied", "dissatisfied", True),
        (RatingSendsBack.RESULT, "dissatisfied", "satisfied", False),
        (RatingSendsBack.ATTITUDE, "dissatisfied", "satisfied", True),
        (RatingSendsBack.ATTITUDE, "satisfied", "dissatisfied", False),
        (RatingSendsBack.EITHER, "dissatisfied", "satisfied", True),
        (RatingSendsBack.EITHER, "satisfied", "dissatisfied", True),
        (RatingSendsBack.EITHER, "basically_satisfied", "satisfied", False),
        # An attitude not asked (ratings given before it was) is never dissatisfied.
        (RatingSendsBack.ATTITUDE, "", "dissatisfied", False),
        (RatingSendsBack.EITHER, None, "dissatisfied", True),
    ],
)
def test_sends_back_follows_the_rules(rule, attitude, result, back):
    """The one function: the result by default, the attitude or either as the
    congress's rules say."""
    rules = HandlingRules(rating_sends_back=rule)
    assert ratings.sends_back(rules, attitude=attitude, result=result) is back


def test_the_default_is_the_result():
    assert HandlingRules().rating_sends_back == RatingSendsBack.RESULT


@pytest.mark.parametrize(
    ("rule", "attitude", "result", "status"),
    [
        (RatingSendsBack.RESULT, "dissatisfied", "satisfied", Status.CLOSED),
        (RatingSendsBack.ATTITUDE, "dissatisfied", "satisfied", Status.REHANDLING),
        (RatingSendsBack.EITHER, "satisfied", "dissatisfied", Status.REHANDLING),
        (RatingSendsBack.ATTITUDE, "satisfied", "dissatisfied", Status.CLOSED),
    ],
)
def test_the_online_rating_uses_the_rules(db, now, rule, attitude, result, status):
    """The evaluation service sends the suggestion back exactly when the rules'
    rating is dissatisfied; the suggestion keeps the result as its rating."""
    journey = Journey()
    HandlingRulesFactory(congress=journey.session.congress, rating_sends_back=rule)
    journey.to(Status.REPLIED)
    journey.evaluate(result, attitude=attitude)
    s = journey.refresh()
    assert (s.status, s.rating) == (status, result)
    evaluation = Evaluation.objects.get()
    assert (evaluation.attitude, evaluation.rating, evaluation.result) == (
        attitude,
        result,
        result,
    )


# --- the deputy's own rating online ----------------------------------------------------


def test_an_online_rating_keeps_both_ratings_its_channel_and_who_entered_it(
    journey, replied
):
    evaluation = services.suggestion_evaluate(
        suggestion_id=replied.pk,
        actor=journey.deputy,
        attitude="basically_satisfied",
        result="satisfied",
        comment="办理及时。",
    )
    evaluation.refresh_from_db()
    assert (
        evaluation.attitude,
        evaluation.rating,
        evaluation.channel,
        evaluation.entered_by,
        evaluation.meeting,
        bool(evaluation.form_scan),
    ) == ("basically_satisfied", "satisfied", "online", journey.deputy, None, False)


def test_the_former_rating_is_taken_as_the_result(journey, replied):
    """``rating`` alone (clients of before) is the result; the attitude is then
    not asked (blank, shown as 未评)."""
    evaluation = services.suggestion_evaluate(
        suggestion_id=replied.pk, actor=journey.deputy, rating="basically_satisfied"
    )
    assert (evaluation.rating, evaluation.attitude) == ("basically_satisfied", "")
    assert str(evaluation.attitude_label) == "Not rated"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"result": "satisfied"}, "attitude"),
        ({"attitude": "satisfied"}, "result"),
        ({"attitude": "great", "result": "satisfied"}, "attitude"),
        ({"attitude": "satisfied", "result": "great"}, "result"),
        (
            {"attitude": "satisfied", "result": "satisfied", "rating": "dissatisfied"},
            "rating",
        ),
        # Dissatisfied with either: say why.
        ({"attitude": "dissatisfied", "result": "satisfied"}, "comment"),
    ],
)
def test_bad_ratings_are_refused(journey, replied, unchanged, kwargs, field):
    with unchanged(replied), pytest.raises(InvalidInput) as error:
        services.suggestion_evaluate(
            suggestion_id=replied.pk, actor=journey.deputy, **kwargs
        )
    assert error.value.field == field


def test_staff_never_enter_an_online_rating(journey, replied, unchanged):
    """Nobody but the deputy rates online: staff are refused (they enter on-site
    ratings only, from a meeting)."""
    with unchanged(replied), pytest.raises(NotPermitted):
        services.suggestion_evaluate(
            suggestion_id=replied.pk,
            actor=journey.staff,
            attitude="satisfied",
            result="satisfied",
        )


def test_a_unit_never_enters_a_rating(journey, replied, unchanged):
    """The unit that handled it can rate neither online nor on site."""
    with unchanged(replied), pytest.raises((NotPermitted, NotFound)):
        services.suggestion_evaluate(
            suggestion_id=replied.pk,
            actor=journey.clerk,
            attitude="satisfied",
            result="satisfied",
        )
    meeting = services.evaluation_meeting_create(
        actor=journey.staff,
        session=journey.session,
        held_on=NOW.date(),
        place="会议室",
        deputies=[journey.deputy.deputy_profile.pk],
    )
    with unchanged(replied), pytest.raises(NotPermitted):
        rate_on_site(journey, meeting, actor=journey.clerk)
    with pytest.raises(NotPermitted):
        services.evaluation_meeting_create(
            actor=journey.clerk,
            session=journey.session,
            held_on=NOW.date(),
            place="会议室",
            deputies=[journey.deputy.deputy_profile.pk],
        )


# --- evaluation meetings ----------------------------------------------------------------


def test_a_meeting_records_when_where_who_and_which_units(journey, meeting):
    assert (meeting.session, meeting.place, meeting.created_by) == (
        journey.session,
        "州人大常委会第一会议室",
        journey.staff,
    )
    assert list(meeting.deputies.all()) == [journey.deputy.deputy_profile]
    assert list(meeting.units.all()) == [journey.unit]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deputies": []}, "deputies"),
        ({"deputies": ["x"]}, "deputies"),
        ({"place": " "}, "place"),
        ({"held_on": "2026-05-01"}, "held_on"),
        ({"session": 10**9}, "session"),
    ],
)
def test_a_meeting_needs_its_facts(journey, replied, change, field):
    values = {
        "actor": journey.staff,
        "session": journey.session,
        "held_on": NOW.date(),
        "place": "会议室",
        "deputies": [journey.deputy.deputy_profile.pk],
    }
    with pytest.raises(InvalidInput) as error:
        services.evaluation_meeting_create(**(values | change))
    assert error.value.field == field


def test_a_meeting_takes_only_the_congress_deputies_and_the_body_units(
    journey, replied
):
    stranger = deputy_user(delegation__congress=CongressFactory(body__region="伊犁"))
    with pytest.raises(InvalidInput) as error:
        services.evaluation_meeting_create(
            actor=journey.staff,
            session=journey.session,
            held_on=NOW.date(),
            place="会议室",
            deputies=[stranger.deputy_profile.pk],
        )
    assert error.value.field == "deputies"
    other_body_unit = HandlingUnitFactory(body=CongressBodyFactory(region="伊犁"))
    with pytest.raises(InvalidInput) as error:
        services.evaluation_meeting_create(
            actor=journey.staff,
            session=journey.session,
            held_on=NOW.date(),
            place="会议室",
            deputies=[journey.deputy.deputy_profile.pk],
            units=[other_body_unit.pk],
        )
    assert error.value.field == "units"


def test_another_bodys_staff_do_not_see_the_session_or_the_meeting(journey, meeting):
    outsider = StaffFactory(body=CongressBodyFactory(region="伊犁"))
    with pytest.raises(InvalidInput):
        services.evaluation_meeting_create(
            actor=outsider,
            session=journey.session,
            held_on=NOW.date(),
            place="会议室",
            deputies=[journey.deputy.deputy_profile.pk],
        )
    with pytest.raises(NotFound):
        rate_on_site(journey, meeting, actor=outsider)


# --- on-site ratings --------------------------------------------------------------------


def test_an_on_site_rating_keeps_its_channel_who_entered_it_and_the_scan(
    journey, meeting
):
    evaluation = rate_on_site(
        journey, meeting, attitude="satisfied", result="basically_satisfied"
    )
    evaluation.refresh_from_db()
    assert (
        evaluation.channel,
        evaluation.entered_by,
        evaluation.meeting,
        evaluation.deputy,
        evaluation.attitude,
        evaluation.rating,
    ) == (
        RatingChannel.ON_SITE,
        journey.staff,
        meeting,
        journey.deputy.deputy_profile,
        "satisfied",
        "basically_satisfied",
    )
    assert evaluation.form_scan.name.endswith(".png")
    assert evaluation.form_scan.read() == PNG
    assert journey.refresh().status == Status.CLOSED


def test_the_timeline_says_it_was_rated_on_site_and_by_whom(journey, meeting):
    rate_on_site(journey, meeting)
    event = journey.refresh().events.latest("pk")
    assert (event.action, event.actor, event.data["channel"]) == (
        "evaluate",
        journey.staff,
        "on_site",
    )
    label = workflow.event_label(event)
    assert "on site" in label
    assert journey.deputy.deputy_profile.name in label


def test_an_on_site_rating_sends_back_as_an_online_one(db, now):
    """The same consequence: with the default rules a dissatisfied result opens a
    re-handling round; the deputy cannot rate the same reply again online."""
    journey = Journey()
    journey.to(Status.REPLIED)
    meeting = services.evaluation_meeting_create(
        actor=journey.staff,
        session=journey.session,
        held_on=NOW.date(),
        place="会议室",
        deputies=[journey.deputy.deputy_profile.pk],
    )
    rate_on_site(journey, meeting, result="dissatisfied", comment="道路仍未修复。")
    s = journey.refresh()
    assert (s.status, s.round, s.rating) == (Status.REHANDLING, 2, "dissatisfied")
    with pytest.raises(InvalidTransition):
        journey.evaluate("satisfied")


def test_a_deputy_not_present_is_refused(journey, replied, unchanged):
    meeting = services.evaluation_meeting_create(
        actor=journey.staff,
        session=journey.session,
        held_on=NOW.date(),
        place="会议室",
        deputies=[journey.cosigner.deputy_profile.pk],
    )
    with unchanged(replied), pytest.raises(InvalidInput) as error:
        rate_on_site(journey, meeting)
    assert error.value.field == "deputy"


def test_only_the_lead_deputy_rates(journey, replied, unchanged):
    """A co-signer present at the meeting does not rate the suggestion."""
    meeting = services.evaluation_meeting_create(
        actor=journey.staff,
        session=journey.session,
        held_on=NOW.date(),
        place="会议室",
        deputies=[
            journey.deputy.deputy_profile.pk,
            journey.cosigner.deputy_profile.pk,
        ],
    )
    with unchanged(replied), pytest.raises(InvalidInput) as error:
        rate_on_site(journey, meeting, deputy_id=journey.cosigner.deputy_profile.pk)
    assert error.value.field == "deputy"


def test_a_suggestion_not_rateable_is_refused(journey, unchanged):
    """Only when the reply may be rated now (the deputy's own rule): not while the
    unit is still handling it, nor twice."""
    journey.to(Status.ASSIGNED)
    meeting = services.evaluation_meeting_create(
        actor=journey.staff,
        session=journey.session,
        held_on=NOW.date(),
        place="会议室",
        deputies=[journey.deputy.deputy_profile.pk],
    )
    with unchanged(journey.suggestion), pytest.raises(InvalidTransition):
        rate_on_site(journey, meeting)
    journey.acknowledge()
    journey.reply()
    rate_on_site(journey, meeting)
    with pytest.raises(InvalidTransition):
        rate_on_site(journey, meeting)
    assert Evaluation.objects.count() == 1


def test_a_sealed_session_refuses_on_site_ratings(journey, meeting, unchanged):
    Session.objects.filter(pk=journey.session.pk).update(sealed_at=NOW)
    meeting.session.refresh_from_db()
    with unchanged(journey.suggestion), pytest.raises(InvalidTransition):
        rate_on_site(journey, meeting)
    assert not selectors.rateable_on_site(meeting=meeting).exists()


@pytest.mark.parametrize(
    "upload",
    [
        None,
        SimpleUploadedFile("form.docx", b"PK\x03\x04 not a scan", "application/zip"),
        SimpleUploadedFile("form.png", b"GIF89a fake", "image/png"),
    ],
)
def test_a_bad_scan_is_refused(journey, meeting, unchanged, upload):
    """The scan proves the signature: required, a PDF, JPEG or PNG by content."""
    with unchanged(journey.suggestion), pytest.raises(InvalidInput) as error:
        rate_on_site(journey, meeting, form_scan=upload)
    assert error.value.field == "form_scan"


def test_a_scan_over_20_mb_is_refused(journey, meeting, unchanged):
    big = scan(PNG + b"\x00" * (20 * 1024 * 1024))
    with unchanged(journey.suggestion), pytest.raises(InvalidInput) as error:
        rate_on_site(journey, meeting, form_scan=big)
    assert error.value.field == "form_scan"


def test_the_pickers_offer_the_present_deputies_rateable_suggestions(journey, meeting):
    other = Journey(session=journey.session)
    other.to(Status.REPLIED)  # its lead deputy is not present
    assert list(selectors.rateable_on_site(meeting=meeting)) == [journey.suggestion]
    rate_on_site(journey, meeting)
    assert not selectors.rateable_on_site(meeting=meeting).exists()


def test_the_scan_is_for_those_who_take_part(journey, meeting, other_deputy):
    evaluation = rate_on_site(journey, meeting)
    for user in (journey.staff, journey.deputy, journey.clerk):
        assert selectors.form_scan_of(user=user, pk=evaluation.pk) == evaluation
    with pytest.raises(Evaluation.DoesNotExist):
        selectors.form_scan_of(user=other_deputy, pk=evaluation.pk)


# --- unchangeable on the database side --------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"attitude": "dissatisfied"}, {"channel": "online"}, {"entered_by": None}],
)
def test_the_database_refuses_to_change_a_rating(journey, meeting, change):
    """The trigger of 0008 still guards the table after 0019 (SQLite rebuilt it)."""
    evaluation = rate_on_site(journey, meeting)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(**change)
    evaluation.refresh_from_db()
    assert (evaluation.attitude, evaluation.channel) == ("satisfied", "on_site")


def test_the_database_refuses_an_on_site_rating_without_its_meeting_or_scan(
    journey, replied
):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            suggestion=replied,
            round=1,
            deputy=journey.deputy.deputy_profile,
            rating="satisfied",
            channel=RatingChannel.ON_SITE,
        )

"""Staff's pages of on-site evaluation (现场测评): the meetings of a session and the
form to record one; a meeting with its ratings and the form to enter a deputy's
ratings (pickers limited to the meeting's deputies and their rateable suggestions);
the signed form's download; the deputy's page shows both ratings and how they were
given. Other roles find nothing (404)."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions import services
from suggestions.models import Evaluation, EvaluationMeeting, Status
from tests.conftest import NOW
from tests.forms import FormClient

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
MEETINGS = reverse("suggestions:evaluation-meetings")


def client_for(user, language="en") -> FormClient:
    client = FormClient(headers={"accept-language": language})
    client.force_login(user)
    return client


def scan(content=PNG, name="征询意见表.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def replied(journey):
    return journey.to(Status.REPLIED)


@pytest.fixture
def meeting(journey, replied):
    return services.evaluation_meeting_create(
        actor=journey.staff,
        session=journey.session,
        held_on=NOW.date(),
        place="州人大常委会第一会议室",
        deputies=[journey.deputy.deputy_profile.pk],
        units=[journey.unit.pk],
    )


def meeting_url(meeting) -> str:
    return reverse("suggestions:evaluation-meeting", args=[meeting.pk])


def test_the_meetings_of_a_session_and_recording_one(journey, replied):
    client = client_for(journey.staff, "zh-hans")
    page = client.get(MEETINGS, {"session": journey.session.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "现场测评" in html
    assert 'data-testid="no-meetings"' in html
    response = client.post(
        f"{MEETINGS}?session={journey.session.pk}",
        {
            "session": journey.session.pk,
            "held_on": "2026-05-20",
            "place": "州人大常委会第一会议室",
            "deputies": [journey.deputy.deputy_profile.pk],
            "units": [journey.unit.pk],
        },
    )
    meeting = EvaluationMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting_url(meeting)
    assert list(meeting.deputies.all()) == [journey.deputy.deputy_profile]
    listed = client.get(MEETINGS, {"session": journey.session.pk}).content.decode()
    assert "2026年5月20日" in listed


def test_a_meeting_without_deputies_comes_back_with_the_error(journey, replied):
    client = client_for(journey.staff)
    response = client.post(
        MEETINGS,
        {"session": journey.session.pk, "held_on": "2026-05-20", "place": "会议室"},
    )
    assert response.status_code == 400
    assert not EvaluationMeeting.objects.exists()


def test_the_meeting_page_offers_only_present_deputies_and_rateable_suggestions(
    journey, meeting
):
    from tests.factories import Journey

    absent = Journey(session=journey.session)
    absent.to(Status.REPLIED)
    html = client_for(journey.staff).get(meeting_url(meeting)).content.decode()
    form = html[html.index('data-testid="on-site-rating-form"') :]
    assert f'value="{journey.suggestion.pk}"' in form
    assert f'value="{absent.suggestion.pk}"' not in form
    assert f'value="{journey.deputy.deputy_profile.pk}"' in form
    assert f'value="{absent.deputy.deputy_profile.pk}"' not in form


def test_entering_a_rating_from_the_signed_form(journey, meeting):
    client = client_for(journey.staff)
    response = client.post(
        meeting_url(meeting),
        {
            "suggestion": journey.suggestion.pk,
            "deputy": journey.deputy.deputy_profile.pk,
            "attitude": "satisfied",
            "result": "basically_satisfied",
            "comment": "",
            "form_scan": scan(),
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.channel, evaluation.entered_by) == ("on_site", journey.staff)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("are entered" in m for m in messages)
    page = client.get(meeting_url(meeting)).content.decode()
    assert 'data-testid="rating-row"' in page
    assert 'data-testid="nothing-to-rate"' in page
    download = client.get(
        reverse("suggestions:evaluation-form-scan", args=[evaluation.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG


def test_a_bad_scan_comes_back_with_the_error(journey, meeting):
    response = client_for(journey.staff).post(
        meeting_url(meeting),
        {
            "suggestion": journey.suggestion.pk,
            "deputy": journey.deputy.deputy_profile.pk,
            "attitude": "satisfied",
            "result": "satisfied",
            "form_scan": scan(b"GIF89a", "表.png"),
        },
    )
    assert response.status_code == 400
    assert "PDF, JPEG or PNG" in response.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("role", ["clerk", "deputy", "cosigner"])
def test_other_roles_find_no_meeting_page(journey, meeting, role):
    """A unit clerk (and any deputy) finds neither page, and can enter nothing."""
    client = client_for(getattr(journey, role))
    assert client.get(MEETINGS).status_code == 404
    assert client.get(meeting_url(meeting)).status_code == 404
    response = client.post(
        meeting_url(meeting),
        {
            "suggestion": journey.suggestion.pk,
            "deputy": journey.deputy.deputy_profile.pk,
            "attitude": "satisfied",
            "result": "satisfied",
            "form_scan": scan(),
        },
    )
    assert response.status_code == 404
    assert not Evaluation.objects.exists()


def test_the_suggestion_page_shows_both_ratings_and_the_on_site_entry(journey, meeting):
    services.evaluation_meeting_rate(
        meeting_id=meeting.pk,
        actor=journey.staff,
        suggestion_id=journey.suggestion.pk,
        deputy_id=journey.deputy.deputy_profile.pk,
        attitude="basically_satisfied",
        result="satisfied",
        form_scan=scan(),
    )
    html = (
        client_for(journey.deputy, "zh-hans")
        .get(journey.suggestion.get_absolute_url())
        .content.decode()
    )
    evaluation = html[html.index('data-testid="evaluation-1"') :][:1500]
    assert "办理态度" in evaluation and "基本满意" in evaluation
    assert 'data-testid="on-site-1"' in evaluation
    assert str(journey.staff) in evaluation
    assert 'data-action="download-form-scan"' in evaluation
    timeline = html[html.index('data-event="evaluate"') :][:800]
    assert "现场测评" in timeline
    assert str(journey.staff) in timeline


def test_the_deputy_rates_attitude_and_result_on_the_page(journey, replied):
    client = client_for(journey.deputy)
    page = client.get(journey.suggestion.get_absolute_url()).content.decode()
    assert "data-attitude=" in page and "data-rating=" in page
    response = client.post(
        reverse("suggestions:evaluate", args=[journey.suggestion.pk]),
        {"rating": "satisfied"},
    )
    assert response.status_code == 400
    assert not Evaluation.objects.exists()
    client.post(
        reverse("suggestions:evaluate", args=[journey.suggestion.pk]),
        {"attitude": "basically_satisfied", "rating": "satisfied"},
    )
    evaluation = Evaluation.objects.get()
    assert (evaluation.attitude, evaluation.rating, evaluation.channel) == (
        "basically_satisfied",
        "satisfied",
        "online",
    )

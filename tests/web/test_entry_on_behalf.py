"""The staff's page 代录建议 (issue 16): reached from the lists and the workbench, a
form that enters a paper suggestion for its deputies with the scan; the list's badge,
the detail's line and the scan's download for those who take part.

Wiring, permissions and status codes; the rules are tested at the service level
(tests/suggestions/test_entry_on_behalf.py). Pages in English unless said."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from suggestions import services
from suggestions.models import Event, Status, Suggestion
from tests.forms import FormClient

from ..factories import (
    CongressFactory,
    StaffFactory,
    UnitMemberFactory,
    deputy_user,
    open_for_intake,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
PAGE = reverse("suggestions:enter-on-behalf")


def client_for(user, language="en") -> FormClient:
    client = FormClient(headers={"accept-language": language})
    client.force_login(user)
    return client


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def scan(content=PNG, name="原件.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def paper(journey):
    open_for_intake(journey.session)
    return journey


def form(paper, **fields):
    data = {
        "session": paper.session.pk,
        "lead_deputy": paper.deputy.deputy_profile.pk,
        "co_signers": [paper.cosigner.deputy_profile.pk],
        "title": "关于加快老旧小区改造的建议",
        "body": "建议加大财政投入，分批推进老旧小区改造。",
        "category": paper.category.pk,
        "original": scan(),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def enter(paper):
    return services.suggestion_enter_on_behalf(
        actor=paper.staff,
        session=paper.session,
        lead_deputy=paper.deputy.deputy_profile,
        co_signers=[paper.cosigner.deputy_profile.pk],
        title="关于增设公交线路的建议",
        body="建议增设公交线路。",
        original=scan(),
    )


def test_the_lists_and_the_workbench_lead_to_the_page(paper):
    client = client_for(paper.staff)
    for name in ("list", "review-queue", "workbench"):
        html = client.get(reverse(f"suggestions:{name}")).text
        assert f'href="{PAGE}" data-testid="enter-on-behalf-link"' in html, name


def test_the_page_offers_the_bodys_open_session_and_deputies(paper):
    """The form: the open session, the body's deputies by delegation (with the
    search picker), the scan as a file, the button asking first."""
    outsider = deputy_user(delegation__congress=CongressFactory(body__region="伊犁"))
    response = client_for(paper.staff).get(PAGE)
    assert response.status_code == 200
    html = response.text
    assert 'enctype="multipart/form-data"' in html
    assert list(response.context["form"].fields["session"].queryset) == [paper.session]
    deputies = set(response.context["form"].fields["lead_deputy"].queryset)
    assert paper.deputy.deputy_profile in deputies
    assert outsider.deputy_profile not in deputies
    assert 'data-testid="picker-lead_deputy"' in html
    assert 'type="file" name="original"' in html
    assert 'data-confirm-action="enter-on-behalf"' in html


def test_the_page_in_chinese(paper):
    html = client_for(paper.staff, "zh-hans").get(PAGE).text
    assert "代录建议" in html
    assert "确定代录该建议吗？" in html


def test_staff_enter_a_suggestion_and_land_on_it(paper):
    """Saved: the detail page, a success message naming the deputy; submitted,
    entered by the staff member, the deputies told."""
    response = client_for(paper.staff).post(PAGE, form(paper))
    assert response.status_code == 302, response.content[:500]
    s = Suggestion.objects.get()
    assert response.url == s.get_absolute_url()
    assert messages_of(response) == [
        (
            "success",
            f"Entered on behalf of deputy {paper.deputy.deputy_profile.name}: the "
            "suggestion is submitted and awaits review; the deputies have been told.",
        )
    ]
    assert s.status == Status.SUBMITTED and s.entered_by == paper.staff
    assert Event.objects.get(suggestion=s).action == "enter-on-behalf"
    assert Notification.objects.filter(suggestion=s).count() == 2


def test_a_bad_scan_shows_the_form_again_and_writes_nothing(paper):
    exe = SimpleUploadedFile("原件.pdf", b"MZ\x90\x00" * 8, "application/pdf")
    response = client_for(paper.staff).post(PAGE, form(paper, original=exe))
    assert response.status_code == 400
    assert 'id="id_original_error"' in response.text
    assert not Suggestion.objects.exists()


def test_a_missing_scan_is_a_form_error(paper):
    response = client_for(paper.staff).post(PAGE, form(paper, original=None))
    assert response.status_code == 400
    assert 'id="id_original_error"' in response.text
    assert not Suggestion.objects.exists()


def test_others_find_no_page(paper):
    """A deputy, a unit clerk: 404 on the page and on its POST."""
    clerk = UnitMemberFactory(unit=paper.unit)
    for user in (paper.deputy, clerk):
        client = client_for(user)
        assert client.get(PAGE).status_code == 404
        assert client.post(PAGE, form(paper)).status_code == 404
    assert not Suggestion.objects.exists()


def test_staff_of_another_body_cannot_enter_into_this_session(paper):
    """Their form offers no session of this body: the choice is refused."""
    outsider = StaffFactory(body=CongressFactory(body__region="伊犁").body)
    response = client_for(outsider).post(PAGE, form(paper))
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_the_list_badge_and_the_detail_line(paper):
    """The list marks it 代录 with who and when; the detail names who entered it
    and links the scan."""
    s = enter(paper)
    client = client_for(paper.staff, "zh-hans")
    html = client.get(reverse("suggestions:list")).text
    assert 'data-testid="entered-on-behalf"' in html
    assert f"代录：{paper.staff}（" in html
    detail = client.get(s.get_absolute_url()).text
    line = detail.split('data-testid="entered-on-behalf">', 1)[1].split("</dd>")[0]
    assert str(paper.staff) in line
    assert reverse("suggestions:original", args=[s.pk]) in line
    assert 'data-event="enter-on-behalf"' in detail
    # The deputy's own list shows it as theirs.
    mine = client_for(paper.deputy).get(reverse("suggestions:my-suggestions")).text
    assert s.title in mine


def test_the_scan_downloads_for_those_who_take_part(paper):
    s = enter(paper)
    address = reverse("suggestions:original", args=[s.pk])
    for user in (paper.staff, paper.deputy, paper.cosigner):
        response = client_for(user).get(address)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PNG
    bystander = deputy_user(delegation__congress=paper.session.congress)
    for user in (bystander, UnitMemberFactory(unit=paper.unit)):
        assert client_for(user).get(address).status_code == 404
    # Nor does a bystander's detail page (if they could see it) link it.
    assert client_for(bystander).get(s.get_absolute_url()).status_code == 404


def test_the_list_costs_the_same_with_entered_suggestions(paper):
    """The badge reads who entered it from the list's own query."""
    client = client_for(paper.staff)
    enter(paper)
    client.get(reverse("suggestions:list"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("suggestions:list"))
    few = len(queries)
    for _ in range(5):
        enter(paper)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("suggestions:list"))
    assert len(queries) == few

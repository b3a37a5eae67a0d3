"""The 答复函 draft and the letter of a sent reply (``suggestions.reply_letters``):
公文 form, the title, addressee, 签发人, 附注 and 抄送 from the suggestion; the
draft is checked as the reply is and saves nothing; only the unit (and, for a sent
reply, the body's staff) may have it."""

import io
import re

import pytest
from django.urls import reverse
from docx import Document

from common.documents import east_asian_font
from common.once import FIELD
from congress.models import Outcome
from suggestions import deadlines
from suggestions.models import Event, Reply, Suggestion

from ..api.conftest import client_as
from ..factories import (
    CongressBodyFactory,
    CongressFactory,
    HandlingUnitFactory,
    Journey,
    SessionFactory,
    StaffFactory,
    UnitMemberFactory,
)

pytestmark = pytest.mark.django_db

TITLE = "州教育局关于州十六届人大二次会议第60号建议的答复"
FIELDS = {
    "outcome": Outcome.RESOLVED,
    "body": "经研究，现答复如下：\n\n一、已安排专项资金。\n二、明年完成改造。",
    "signed_by": "王局长",
    "contact_person": "李明",
    "contact_phone": "0994-2345678",
}


@pytest.fixture
def journey(db, now):
    """A demo-like suggestion: No. 60 of the 2nd session of the 16th 昌吉州 congress,
    led by 张三, handled by 州教育局 with 州财政局 as co-unit, assigned."""
    j = Journey(session=SessionFactory(ordinal=2), co_unit=True)
    j.unit.name, j.unit.short_name = "昌吉回族自治州教育局", "州教育局"
    j.unit.save()
    j.co_unit.name, j.co_unit.short_name = "昌吉回族自治州财政局", "州财政局"
    j.co_unit.save()
    profile = j.deputy.deputy_profile
    profile.name = "张三"
    profile.save()
    j.create()
    j.submit()
    j.register()
    Suggestion.objects.filter(pk=j.suggestion.pk).update(number=60)
    j.assign()
    return j


def _docx(content: bytes):
    return Document(io.BytesIO(content))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _draft(client, assignment, **fields):
    return client.post(
        reverse("api:assignment-reply-letter", args=[assignment.pk]),
        {**FIELDS, **fields},
        format="json",
    )


def test_draft_is_a_official_document_with_the_reply(journey):
    lead = journey.lead_assignment()
    response = _draft(client_as(journey.clerk), lead)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "draft" in response["Content-Disposition"]  # the client is English
    document = _docx(response.content)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    texts = _texts(document)
    title = next(p for p in document.paragraphs if p.text == TITLE)
    assert east_asian_font(title.runs[0]) == "方正小标宋简体"
    mark = texts[0]
    assert mark.startswith("A") and mark.endswith("签发人：王局长")
    assert "张三代表：" in texts
    body = next(p for p in document.paragraphs if p.text == "一、已安排专项资金。")
    assert east_asian_font(body.runs[0]) == "仿宋_GB2312"
    assert (
        ""
        not in texts[texts.index("张三代表：") + 1 : texts.index("二、明年完成改造。")]
    )
    assert "昌吉回族自治州教育局" in texts
    assert "（联系人：李明，联系电话：0994-2345678）" in texts
    copy_line = next(t for t in texts if t.startswith("抄送："))
    assert "昌吉回族自治州财政局" in copy_line
    assert "州人大常委会办公室" in copy_line


def test_draft_saves_nothing(journey, unchanged):
    lead = journey.lead_assignment()
    before = (Reply.objects.count(), Event.objects.count())
    with unchanged(journey.suggestion, lead):
        assert _draft(client_as(journey.clerk), lead).status_code == 200
    assert (Reply.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "nonsense"}, "outcome"),
        ({"body": "   "}, "body"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"signed_by": "王" * 101}, "signed_by"),
    ],
)
def test_invalid_fields_are_400_and_save_nothing(journey, unchanged, fields, field):
    lead = journey.lead_assignment()
    with unchanged(journey.suggestion, lead):
        response = _draft(client_as(journey.clerk), lead, **fields)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert field in str(response.json())


def test_outcome_not_offered_is_refused(journey):
    """The classes the congress's rules offer, as for the reply itself."""
    lead = journey.lead_assignment()
    rules = deadlines.rules_for(journey.session.congress_id)
    rules.offered_outcomes = [Outcome.RESOLVED]
    rules.save()
    response = _draft(client_as(journey.clerk), lead, outcome=Outcome.REFERENCE)
    assert response.status_code == 400


def test_web_draft_button_posts_the_form(journey, client):
    lead = journey.lead_assignment()
    journey.acknowledge()
    journey.meet()
    client.force_login(journey.clerk)
    page = client.get(reverse("suggestions:assignment-detail", args=[lead.pk]))
    url = reverse("suggestions:assignment-reply-letter", args=[lead.pk])
    assert f'formaction="{url}"' in page.content.decode()
    response = client.post(url, FIELDS)
    assert response.status_code == 200
    assert TITLE in _texts(_docx(response.content))
    bad = client.post(url, {**FIELDS, "contact_phone": "call me"})
    assert bad.status_code == 400
    assert "contact_phone" in bad.context["action_forms"]["reply"].errors
    assert not Reply.objects.exists()


def test_the_draft_leaves_the_form_token_for_the_send(journey, client):
    """The draft button posts the reply form with its one-time token; the send
    that follows, with the same token, still goes through."""
    lead = journey.lead_assignment()
    journey.acknowledge()
    journey.meet()
    client.force_login(journey.clerk)
    page = client.get(reverse("suggestions:assignment-detail", args=[lead.pk]))
    html = page.content.decode()
    assert "data-writes-nothing" in html
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    data = {**FIELDS, FIELD: token, "co_opinion_note": "先行答复。"}
    draft = reverse("suggestions:assignment-reply-letter", args=[lead.pk])
    assert client.post(draft, data).status_code == 200
    sent = client.post(reverse("suggestions:assignment-reply", args=[lead.pk]), data)
    assert sent.status_code == 302
    reply = Reply.objects.get()
    assert (reply.contact_person, reply.contact_phone) == ("李明", "0994-2345678")


def test_co_unit_opinion_is_addressed_to_the_lead_unit(journey):
    co = journey.co_assignment()
    response = _draft(client_as(journey.co_clerk), co)
    assert response.status_code == 200
    texts = _texts(_docx(response.content))
    assert "州财政局关于州十六届人大二次会议第60号建议的协办意见" in texts
    assert "昌吉回族自治州教育局：" in texts
    assert texts[0] == "\t签发人：王局长"  # no class mark: the lead unit classes
    copy_line = next(t for t in texts if t.startswith("抄送："))
    assert copy_line == "抄送：州人大常委会办公室。"


def test_sent_reply_letter(journey, client):
    lead = journey.lead_assignment()
    journey.reply(
        Outcome.IN_PROGRESS,
        body="正在推进。",
        signed_by="王局长",
        contact_person="李明",
        contact_phone="13912345678",
    )
    reply = Reply.objects.get()
    assert (reply.contact_person, reply.contact_phone) == ("李明", "13912345678")
    url = reverse("api:assignment-reply-letter", args=[lead.pk])
    for user in (journey.clerk, journey.staff):
        response = client_as(user).get(url)
        assert response.status_code == 200
        texts = _texts(_docx(response.content))
        assert TITLE in texts
        assert texts[0].startswith("B")
        assert "（联系人：李明，联系电话：13912345678）" in texts
    client.force_login(journey.staff)
    web = client.get(reverse("suggestions:assignment-reply-letter", args=[lead.pk]))
    assert web.status_code == 200
    # Sent: no draft any more.
    assert _draft(client_as(journey.clerk), lead).status_code == 409


def test_no_reply_yet_is_404(journey):
    lead = journey.lead_assignment()
    url = reverse("api:assignment-reply-letter", args=[lead.pk])
    assert client_as(journey.clerk).get(url).status_code == 404


def test_others_are_refused(journey, client):
    lead = journey.lead_assignment()
    journey.reply(signed_by="王局长")
    other_clerk = UnitMemberFactory(unit=HandlingUnitFactory())
    other_body = CongressBodyFactory(region="伊犁哈萨克自治州")
    CongressFactory(body=other_body)
    other_staff = StaffFactory(body=other_body)
    api = reverse("api:assignment-reply-letter", args=[lead.pk])
    web = reverse("suggestions:assignment-reply-letter", args=[lead.pk])
    for user in (other_clerk, other_staff):
        assert client_as(user).get(api).status_code == 404
        client.force_login(user)
        assert client.get(web).status_code == 404
    # The co-unit does not read the lead unit's letter; staff do not draft.
    assert client_as(journey.co_clerk).get(api).status_code == 404
    assert _draft(client_as(journey.staff), lead).status_code == 403
    client.force_login(journey.staff)
    assert client.post(web, FIELDS).status_code == 404


def test_outcome_letters():
    """Every class's label starts with its letter."""
    for outcome in Outcome:
        assert str(outcome.label).startswith(outcome.letter)


def test_a_reply_typed_as_a_whole_letter_is_not_greeted_and_signed_twice():
    """The demo's replies, like many typed by hand, start with 尊敬的…代表： and end
    with the unit and the date, which the letter prints itself."""
    from suggestions.reply_letters import paragraphs

    text = "尊敬的林旺代表：\n您提出的建议收悉。\n\n　　现答复如下。\n州教育局\n2026年12月1日"
    assert paragraphs(text, deputy="林旺", unit="州教育局") == [
        "您提出的建议收悉。",
        "现答复如下。",
    ]
    # Words that merely mention the deputy or end with a date stay.
    kept = "林旺代表的意见很好。\n我局将于2026年12月1日前完成"
    assert paragraphs(kept, deputy="林旺", unit="州教育局") == kept.split("\n")

"""The 征询意见表 (issue 16): the paper form on which a deputy rates a reply, in
公文 form, filled in with what the system knows and blank where the deputy writes;
for those who take part in the suggestion only."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.documents import chinese_date
from congress import names
from congress.models import CongressLevel
from suggestions.models import Outcome, Status
from tests.api.contract import ContractClient
from tests.downloads import download_name
from tests.factories import (
    CongressBodyFactory,
    CongressFactory,
    HandlingRulesFactory,
    Journey,
    StaffFactory,
)
from tests.official import (
    assert_official_form,
    open_document,
    paragraph_texts,
    table_rows,
)

pytestmark = pytest.mark.django_db

TITLE = "代表建议办理情况征询意见表"
TICKS = "□满意　□基本满意　□不满意"


def get_form(user, suggestion, *, api=False, language="zh-hans"):
    if api:
        client = ContractClient(headers={"accept-language": language})
        client.force_authenticate(user)
        return client.get(f"/api/v1/suggestions/{suggestion.pk}/evaluation-form.docx")
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client.get(reverse("suggestions:evaluation-form", args=[suggestion.pk]))


@pytest.fixture
def replied(now):
    HandlingRulesFactory(congress=CongressFactory(), rating_window_working_days=9)
    journey = Journey(co_unit=True)
    suggestion = journey.to(Status.REPLIED)
    return journey, suggestion


def test_the_form_holds_the_suggestion_and_the_reply(replied):
    """Number, title, deputy, units, the reply's date and class; boxes to tick; the
    window to send it back from the rules."""
    journey, suggestion = replied
    response = get_form(journey.deputy, suggestion)
    assert response.status_code == 200
    document = open_document(response.content)
    assert_official_form(document, title=TITLE)
    rows = table_rows(document.tables[0])
    by_label = {row[0]: row[1:] for row in rows}
    deputy = journey.deputy.deputy_profile
    assert by_label["建议编号"] == [
        f"第{suggestion.number}号",
        "会议",
        names.session_title_zh(suggestion.session),
    ]
    assert by_label["建议标题"][0] == suggestion.title
    assert by_label["领衔代表"] == [deputy.name, "代表团", deputy.delegation.name]
    assert by_label["主办单位"][0] == journey.unit.name
    assert by_label["协办单位"][0] == journey.co_unit.name
    reply = journey.lead_assignment().reply
    assert by_label["答复时间"] == [
        chinese_date(timezone.localdate(reply.sent_at)),
        "答复类别",
        "A类：已经解决或基本解决",
    ]
    assert by_label["办理态度"][0] == TICKS and by_label["办理结果"][0] == TICKS
    assert by_label["意见和建议"][0] == ""
    assert by_label["代表签名"][0] == "" and by_label["代表签名"][1] == "日期"
    note = "".join(paragraph_texts(document))
    assert "收到答复后9个工作日内将本表交昌吉州人大常委会办公室" in note
    name = download_name(response)
    assert name == (
        f"{names.session_title_zh(suggestion.session)}_第{suggestion.number}号建议"
        "_征询意见表.docx"
    )


def test_before_the_reply_the_reply_fields_are_blank(now):
    """A form printed before the reply (to hand out at a meeting) leaves them blank."""
    journey = Journey()
    suggestion = journey.to(Status.ASSIGNED)
    response = get_form(journey.staff, suggestion, api=True)
    assert response.status_code == 200
    by_label = {
        row[0]: row[1:] for row in table_rows(open_document(response.content).tables[0])
    }
    assert by_label["答复时间"] == ["", "答复类别", ""]
    assert by_label["协办单位"][0] == "无"


def test_those_who_take_part_may_print_it(replied, leader):
    """Staff and leaders of its body, its deputies, its units (lead and co)."""
    journey, suggestion = replied
    for user in (
        journey.staff,
        leader,
        journey.deputy,
        journey.cosigner,
        journey.clerk,
        journey.co_clerk,
    ):
        assert get_form(user, suggestion).status_code == 200, user
        assert get_form(user, suggestion, api=True).status_code == 200, user


def test_anyone_else_finds_nothing(replied, other_deputy, other_clerk):
    """Another deputy, another unit, another body's staff: 404, even once the reply
    is public; the anonymous log in (401 in the API)."""
    journey, suggestion = replied
    county = CongressBodyFactory(region="玛纳斯县", level=CongressLevel.COUNTY)
    strangers = (other_deputy, other_clerk, StaffFactory(body=county))
    for user in strangers:
        assert get_form(user, suggestion).status_code == 404
        assert get_form(user, suggestion, api=True).status_code == 404
    suggestion.is_public = True
    suggestion.save()
    assert get_form(other_deputy, suggestion).status_code == 404
    url = reverse("suggestions:evaluation-form", args=[suggestion.pk])
    assert Client().get(url).status_code == 302
    api = f"/api/v1/suggestions/{suggestion.pk}/evaluation-form.docx"
    assert ContractClient().get(api).status_code == 401
    assert get_form(journey.staff, type(suggestion)(pk=10**9)).status_code == 404


def test_the_detail_page_links_the_form_once_replied(replied, other_clerk):
    """Beside the replies, for those who may print it."""
    journey, suggestion = replied
    client = Client()
    client.force_login(journey.deputy)
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert reverse("suggestions:evaluation-form", args=[suggestion.pk]) in page


def test_the_detail_page_has_no_link_before_the_reply(now):
    journey = Journey()
    suggestion = journey.to(Status.ASSIGNED)
    client = Client()
    client.force_login(journey.staff)
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert "evaluation-form-docx" not in page


def test_the_form_is_chinese_whatever_the_interface(now):
    """An official form: the reply's class in Chinese for an English reader too."""
    journey = Journey(cosigner=False)
    suggestion = journey.create()
    journey.submit()
    journey.register()
    journey.assign()
    journey.reply(Outcome.EXPLAINED)
    response = get_form(journey.clerk, suggestion, language="en")
    by_label = {
        row[0]: row[1:] for row in table_rows(open_document(response.content).tables[0])
    }
    assert by_label["答复时间"][2] == "C类：因条件限制需以后解决（解释说明）"

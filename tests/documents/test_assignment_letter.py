"""The 交办函 (issue 16): a letter in 公文 form from the standing committee's office to
one unit, stating the handling rules of its congress (never fixed numbers) and
listing the unit's assignments; for the staff of the unit's body and the unit's own
clerks only, with a clear 400 for a malformed query."""

import pytest
from django.test import Client
from django.urls import reverse

from common import clock
from common.documents import chinese_date
from congress import names
from congress.models import CongressLevel, LeadReplyRule
from suggestions.models import Status
from tests.api.contract import ContractClient
from tests.conftest import at
from tests.downloads import download_name
from tests.factories import (
    CongressBodyFactory,
    CongressFactory,
    HandlingRulesFactory,
    Journey,
    SessionFactory,
    StaffFactory,
)
from tests.official import (
    assert_official_form,
    open_document,
    paragraph_texts,
    table_rows,
)

pytestmark = pytest.mark.django_db


def letter_url(unit) -> str:
    return reverse("suggestions:unit-assignment-letter", args=[unit.pk])


def get_letter(user, unit, query=None, *, api=False, language="zh-hans"):
    if api:
        client = ContractClient(headers={"accept-language": language})
        client.force_authenticate(user)
        return client.get(
            f"/api/v1/units/{unit.pk}/assignment-letter.docx", query or {}
        )
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client.get(letter_url(unit), query or {})


@pytest.fixture
def rules(db):
    """Rules unlike the defaults, so that the letter shows it reads them."""
    return HandlingRulesFactory(
        congress=CongressFactory(),
        reply_months=4,
        complex_reply_months=7,
        max_extension_months=8,
        co_unit_opinion_months=2,
        reassignment_window_working_days=12,
        contact_reminder_working_days=25,
        rehandling_reply_months=2,
        lead_reply_before_co_opinions=LeadReplyRule.WAIT,
    )


@pytest.fixture
def assigned(rules, now):
    """Two suggestions assigned to the journey's unit (lead), with a co-unit."""
    journey = Journey(co_unit=True)
    first = journey.to(Status.ASSIGNED)
    journey.create(title="关于改善农村道路的建议")
    journey.submit()
    journey.register()
    journey.assign()
    second = journey.refresh()
    return journey, [first, second]


def test_the_letter_is_in_official_form_and_lists_the_units_work(assigned):
    """Title, addressee, counts, the rules' numbers, the table and the signature."""
    journey, (first, second) = assigned
    session = journey.session
    response = get_letter(journey.staff, journey.unit, {"session": session.pk})
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    expected = f"关于交办{names.session_title_zh(session)}代表建议的函"
    document = open_document(response.content)
    assert_official_form(document, title=expected)
    texts = paragraph_texts(document)
    assert texts[1] == f"{journey.unit.name}："
    assert "代表提出的2件建议交由你单位办理，其中主办2件、协办0件" in texts[2]
    body = "".join(texts)
    for figure in (
        "自交办之日起4个月内答复代表",
        "7个月内答复",
        "最长不超过交办之日起8个月",
        "2个月内将协办意见送主办单位",
        "应当在收到全部协办意见或协办期限届满后答复代表",
        "12个工作日内提出调整申请",
        "25个工作日内尚未联系代表",
        "2个月内再次答复",
        "A类，已经解决或基本解决；B类，正在解决或列入规划逐步解决；C类，",
    ):
        assert figure in body, figure
    assert "3个月内答复代表" not in body
    # Only the reply classes the congress offers (not D by default).
    assert "D类" not in body
    assert "昌吉州人大常委会办公室" in texts
    assert chinese_date(clock.today()) in texts
    (table,) = document.tables
    rows = table_rows(table)
    assert rows[0] == [
        "序号",
        "建议编号",
        "建议标题",
        "领衔代表",
        "主办/协办",
        "办理期限",
    ]
    deputy = journey.deputy.deputy_profile.name
    assert rows[1:] == [
        [
            "1",
            f"第{first.number}号",
            first.title,
            deputy,
            "主办",
            chinese_date(first.due_at),
        ],
        [
            "2",
            f"第{second.number}号",
            second.title,
            deputy,
            "主办",
            chinese_date(second.due_at),
        ],
    ]
    # Four months from 10 March 2026, as the rules say.
    assert rows[1][5] == "2026年7月10日"
    # A government department's letter is copied to the government's office.
    assert any(t.startswith("抄送：昌吉州人民政府办公室") for t in texts)
    name = download_name(response)
    assert name == f"{names.session_title_zh(session)}_交办函_{journey.unit}.docx"


def test_the_co_units_clerk_reads_its_own_letter(assigned):
    """The co-unit's letter lists its co-handling with the opinion's due date; its
    clerk may not read the lead unit's."""
    journey, (first, _second) = assigned
    response = get_letter(journey.co_clerk, journey.co_unit)
    assert response.status_code == 200
    document = open_document(response.content)
    assert "其中主办0件、协办2件" in paragraph_texts(document)[2]
    co_due = first.assignments.get(unit=journey.co_unit).due_at
    assert table_rows(document.tables[0])[1][4:] == ["协办", chinese_date(co_due)]
    assert get_letter(journey.co_clerk, journey.unit).status_code == 404


def test_the_named_suggestions_only(assigned):
    """``?suggestions=`` lists those among the unit's assignments, ignoring others."""
    journey, (_first, second) = assigned
    query = {"suggestions": f"{second.pk}, 99999999"}
    response = get_letter(journey.clerk, journey.unit, query, api=True)
    assert response.status_code == 200
    rows = table_rows(open_document(response.content).tables[0])
    assert [r[2] for r in rows[1:]] == [second.title]
    none = get_letter(journey.clerk, journey.unit, {"suggestions": "99999999"})
    assert none.status_code == 404


@pytest.mark.parametrize("api", [False, True])
@pytest.mark.parametrize(
    "query",
    [
        {"suggestions": "1,x"},
        {"suggestions": "1;2"},
        {"suggestions": "-1"},
        {"suggestions": "１"},
        {"session": "abc"},
        {"session": "99999999"},
    ],
)
def test_a_malformed_query_is_a_clear_400(assigned, query, api):
    """Never a 500: the page shows what is wrong, the API names the field."""
    journey, _ = assigned
    response = get_letter(journey.staff, journey.unit, query, api=api, language="en")
    assert response.status_code == 400
    field = next(iter(query))
    if api:
        assert field in response.json()
    else:
        assert "cannot be made" in response.content.decode()


def test_another_bodys_session_is_a_400(assigned):
    journey, _ = assigned
    county = CongressBodyFactory(region="玛纳斯县", level=CongressLevel.COUNTY)
    theirs = SessionFactory(congress=CongressFactory(body=county))
    response = get_letter(journey.staff, journey.unit, {"session": theirs.pk})
    assert response.status_code == 400


def test_who_may_not_read_the_letter_finds_nothing(
    assigned, other_clerk, other_deputy, leader
):
    """Another body's staff, another unit's clerk, a deputy, a leader: 404, as for a
    unit that does not exist; the anonymous log in (401 in the API)."""
    journey, _ = assigned
    county = CongressBodyFactory(region="玛纳斯县", level=CongressLevel.COUNTY)
    for user in (StaffFactory(body=county), other_clerk, other_deputy, leader):
        assert get_letter(user, journey.unit).status_code == 404
        assert get_letter(user, journey.unit, api=True).status_code == 404
    assert Client().get(letter_url(journey.unit)).status_code == 302
    anonymous = ContractClient().get(
        f"/api/v1/units/{journey.unit.pk}/assignment-letter.docx"
    )
    assert anonymous.status_code == 401
    missing = journey.unit.pk + 1000
    assert get_letter(journey.staff, type(journey.unit)(pk=missing)).status_code == 404


def test_a_county_units_letter_is_signed_by_the_countys_office(now):
    """The office and the places come from the unit's body, never from the code."""
    county = CongressBodyFactory(region="木垒哈萨克自治县", level=CongressLevel.COUNTY)
    journey = Journey(session=SessionFactory(congress=CongressFactory(body=county)))
    journey.to(Status.ASSIGNED)
    response = get_letter(journey.staff, journey.unit)
    assert response.status_code == 200
    texts = paragraph_texts(open_document(response.content))
    assert texts[0].startswith("关于交办木垒县十六届人大")
    assert "木垒县人大常委会办公室" in texts
    assert any(t.startswith("抄送：木垒县人民政府办公室") for t in texts)


def test_no_current_session_and_none_given_is_a_400(now):
    journey = Journey()
    journey.to(Status.ASSIGNED)
    journey.session.is_current = False
    journey.session.save()
    response = get_letter(journey.staff, journey.unit, api=True, language="en")
    assert response.status_code == 400
    assert "no current session" in str(response.json()).lower()


def test_the_letters_queries_do_not_grow_with_its_rows(
    rules, now, django_assert_max_num_queries
):
    """The rows, their suggestions, deputies, sessions and rules in one query: a
    letter of 1 and one of 6 suggestions cost the same."""
    journey = Journey()
    journey.to(Status.ASSIGNED)
    client = Client()
    client.force_login(journey.staff)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(letter_url(journey.unit)).status_code == 200
        return len(queries)

    one = count()
    for i in range(5):
        with clock.frozen_at(at(2026, 3, 11 + i)):
            journey.create(title=f"建议{i}")
            journey.submit()
            journey.register()
            journey.assign()
    assert count() == one
    with django_assert_max_num_queries(12):
        assert client.get(letter_url(journey.unit)).status_code == 200


def test_the_units_assignment_list_links_its_letter(assigned, leader):
    """Staff who picked the unit and the unit's clerk see the link (for the session
    searched, if any); a leader, who may not read the letter, does not."""
    journey, _ = assigned
    url = reverse("suggestions:unit-assignments")
    letter = letter_url(journey.unit)
    client = Client()
    client.force_login(journey.staff)
    page = client.get(url, {"unit": journey.unit.pk}).content.decode()
    assert f'href="{letter}"' in page
    session = journey.session.pk
    page = client.get(url, {"unit": journey.unit.pk, "session": session})
    assert f'href="{letter}?session={session}"' in page.content.decode()
    client.force_login(journey.clerk)
    assert f'href="{letter}"' in client.get(url).content.decode()
    client.force_login(leader)
    page = client.get(url, {"unit": journey.unit.pk}).content.decode()
    assert "assignment-letter-docx" not in page

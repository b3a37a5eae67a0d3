"""A unit's 办理情况汇总表 (``suggestions.unit_summary``): one row per suggestion
it handled in the session, the on-time flags from ``deadlines``' single rules, the
totals; for the unit and its body's staff and leaders only; a fixed number of
queries whatever the rows."""

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common import clock
from congress.models import Outcome
from suggestions.models import Rating, Suggestion

from ..api.conftest import client_as
from ..conftest import NOW
from ..factories import (
    CongressBodyFactory,
    CongressFactory,
    HandlingUnitFactory,
    Journey,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    UnitMemberFactory,
)

pytestmark = pytest.mark.django_db

HEADERS = [
    "建议编号",
    "标题",
    "领衔代表",
    "主办/协办",
    "交办日期",
    "签收日期",
    "办理期限",
    "答复日期",
    "答复类别",
    "代表评价",
    "按期签收",
    "按期答复",
    "重新办理",
]


def _new(j: Journey, number: int, title: str, **assign) -> Suggestion:
    j.create(title=title)
    j.submit()
    j.register()
    Suggestion.objects.filter(pk=j.suggestion.pk).update(number=number)
    j.assign(**assign)
    return j.refresh()


@pytest.fixture
def journey(db, now):
    """In the unit 州教育局: No. 1 acknowledged and replied on time and rated
    satisfied; No. 2 acknowledged a month late and replied after its due date; and,
    as co-unit, No. 3 of 州财政局, not yet acknowledged."""
    j = Journey(session=SessionFactory(ordinal=2))
    j.unit.name, j.unit.short_name = "昌吉回族自治州教育局", "州教育局"
    j.unit.save()
    _new(j, 1, "关于改善校舍的建议")
    j.acknowledge()
    j.reply(Outcome.RESOLVED, contact_person="李明", contact_phone="0994-2345678")
    j.evaluate(Rating.SATISFIED)
    late = _new(j, 2, "关于增加教师编制的建议")
    with clock.frozen_at(NOW + dt.timedelta(days=30)):
        j.acknowledge()
    with clock.frozen_at(NOW + dt.timedelta(days=120)):
        j.reply(Outcome.EXPLAINED)
    assert j.lead_assignment().due_at < dt.date(2026, 7, 8)
    j.late = late
    other = HandlingUnitFactory(name="昌吉回族自治州财政局", short_name="州财政局")
    lead_unit, j.unit = j.unit, other
    _new(j, 3, "关于财政支持的建议", co_units=[lead_unit])
    j.unit = lead_unit
    return j


def _zh(user):
    """An API client in Chinese, the office's language (the headers are)."""
    client = client_as(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


def _sheets(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def _get(client, j, **params):
    url = reverse("api:unit-summary", args=[j.unit.pk])
    return client.get(url, params)


def test_rows_and_flags(journey):
    with clock.frozen_at(NOW + dt.timedelta(days=130)):
        response = _get(_zh(journey.clerk), journey)
    assert response.status_code == 200
    rows, totals = _sheets(response.content)
    assert list(rows[0]) == HEADERS
    by_number = {row[0]: row for row in rows[1:]}
    assert sorted(by_number) == [1, 2, 3]
    on_time = by_number[1]
    assert on_time[1:4] == (
        "关于改善校舍的建议",
        journey.deputy.deputy_profile.name,
        "主办",
    )
    assert on_time[4].date() == dt.date(2026, 3, 10)
    assert on_time[7].date() == dt.date(2026, 3, 10)
    assert on_time[8:] == ("A", "满意", "是", "是", "否")
    late = by_number[2]
    assert late[8:] == ("C", "未评价", "否", "否", "否")
    co = by_number[3]
    assert co[3] == "协办"
    # Not acknowledged, the window long past; not replied, past its due date.
    assert co[5] is None and co[7] is None
    assert co[8:] == (None, "未评价", "否", "否", "否")
    headers, values = totals
    figures = dict(zip(headers, values, strict=True))
    assert figures["件数"] == 3
    assert (figures["主办件数"], figures["协办件数"]) == (2, 1)
    assert (figures["已答复件数"], figures["按期答复件数"]) == (2, 1)
    assert figures["按期答复率"] == 50.0
    assert figures["满意率"] == 100.0


def test_flags_not_yet_known_are_empty(journey):
    """On the day of assignment the co-unit's work is neither late nor on time."""
    rows, _totals = _sheets(_get(client_as(journey.clerk), journey).content)
    co = next(row for row in rows[1:] if row[0] == 3)
    assert co[10:12] == (None, None)  # empty cells


def test_file_name_and_default_session(journey):
    client = _zh(journey.clerk)
    response = client.get(reverse("api:unit-summary", args=[journey.unit.pk]))
    assert response.status_code == 200
    name = unquote(response["Content-Disposition"].split("filename*=utf-8''")[1])
    assert name == "昌吉州十六届人大二次会议_州教育局_办理情况汇总表.xlsx"
    # Another session of the body: empty, not the current one's rows.
    past = SessionFactory(congress=journey.session.congress, ordinal=1)
    rows, _totals = _sheets(_get(client, journey, session=past.pk).content)
    assert rows[1:] == []


def test_web_page_and_links(journey, client):
    client.force_login(journey.clerk)
    url = reverse("suggestions:unit-summary", args=[journey.unit.pk])
    assert client.get(url).status_code == 200
    page = client.get(reverse("suggestions:unit-assignments"))
    assert url in page.content.decode()


def test_league_table_links_each_unit(journey, client):
    client.force_login(journey.staff)
    page = client.get(reverse("dashboard:units"), {"session": journey.session.pk})
    url = reverse("suggestions:unit-summary", args=[journey.unit.pk])
    assert f"{url}?session={journey.session.pk}" in page.content.decode()


def test_who_may_have_it(journey, client):
    body_staff = StaffFactory()
    body_leader = LeaderFactory()
    other_clerk = UnitMemberFactory(unit=HandlingUnitFactory())
    other_body = CongressBodyFactory(region="伊犁哈萨克自治州")
    CongressFactory(body=other_body)
    other_staff = StaffFactory(body=other_body)
    url = reverse("suggestions:unit-summary", args=[journey.unit.pk])
    for user in (journey.clerk, body_staff, body_leader):
        assert _get(client_as(user), journey).status_code == 200
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (other_clerk, other_staff, journey.co_clerk or other_clerk):
        assert _get(client_as(user), journey).status_code == 404
        client.force_login(user)
        assert client.get(url).status_code == 404
    # A deputy may never: 403 on the API, 404 on the page.
    assert _get(client_as(journey.deputy), journey).status_code == 403
    client.force_login(journey.deputy)
    assert client.get(url).status_code == 404
    # A session of another body is not the unit's.
    foreign = SessionFactory(congress=CongressFactory(body=other_body))
    assert (
        _get(client_as(journey.clerk), journey, session=foreign.pk).status_code == 404
    )


def test_query_count_does_not_grow_with_rows(journey, django_assert_max_num_queries):
    client = client_as(journey.clerk)
    with django_assert_max_num_queries(8):
        assert _get(client, journey).status_code == 200
    for number in range(4, 9):
        _new(journey, number, f"关于第{number}件事的建议")
    with django_assert_max_num_queries(8):
        assert _get(client, journey).status_code == 200

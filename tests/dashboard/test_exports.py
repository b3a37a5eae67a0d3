"""The Excel exports, opened with openpyxl: sheets, translated headers, frozen header
rows, number formats and the demo's figures; the suggestion list's export with the
list's filters, visibility, a fixed number of queries and a row limit."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.api.renderers import DOCX, XLSX
from suggestions import exports as suggestion_exports
from suggestions.models import Category, Suggestion
from tests.api.contract import ContractClient
from tests.downloads import download_name

pytestmark = pytest.mark.django_db

RATE = '0.0"%"'


def user(username):
    return get_user_model().objects.get(username=username)


def client_for(username, language="zh-hans") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user(username))
    return client


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == exports_type()
    assert download_name(response).endswith(".xlsx")
    return load_workbook(io.BytesIO(response.content))


def exports_type():
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def sessions(demo):
    return demo.sessions


@pytest.fixture(scope="module")
def book_2023(sessions, django_db_blocker):
    # Rolled back: the snapshots the export computes would stay for the tests of
    # the other modules that read the demo (it is loaded once for the run).
    with django_db_blocker.unblock(), transaction.atomic():
        response = client_for("staff").get(
            reverse("dashboard:export"), {"session": sessions["2023"].pk}
        )
        transaction.set_rollback(True)
    return workbook(response)


def test_dashboard_workbook_sheets_and_headers(book_2023):
    assert book_2023.sheetnames == [
        "概况",
        "分类",
        "承办机关",
        "承办单位",
        "代表团",
        "趋势",
    ]
    assert values(book_2023["分类"])[0] == ["类别", "建议", "占比"]
    assert values(book_2023["承办机关"])[0] == ["承办机关", "建议", "占比"]
    assert values(book_2023["代表团"])[0] == ["代表团", "建议", "占比"]
    league = values(book_2023["承办单位"])[0]
    assert league[:4] == ["单位", "单位类型", "已交办", "逾期签收"]
    assert "办成率" in league and "满意率" in league
    assert values(book_2023["趋势"])[0][:2] == ["会议", "建议"]
    for sheet in book_2023.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold
        assert sheet.column_dimensions["A"].width > 8


def test_dashboard_workbook_figures_and_formats(book_2023):
    overview = {row[0].value: row[1] for row in book_2023["概况"].iter_rows(min_row=2)}
    assert overview["建议"].value == 295
    assert overview["建议"].number_format == "0"
    assert overview["代表人数"].value == 352
    assert overview["较上次会议增减"].value == 66
    assert overview["办成率"].value == 93.2
    assert overview["办成率"].number_format == RATE
    assert overview["满意率"].value == 100.0
    assert overview["重点督办"].value == 36
    assert overview["统计时间"].is_date
    categories = book_2023["分类"]
    assert [r[1] for r in values(categories)[1:]] == [79, 71, 65, 35, 12, 33]
    assert categories["B2"].number_format == "0"
    assert categories["C2"].number_format == RATE
    assert categories["C2"].value == 26.8
    bodies = values(book_2023["承办机关"])
    assert [r[1] for r in bodies[1:4]] == [249, 34, 12]
    assert bodies[5][0] == "单位类型"
    assert sum(r[1] for r in bodies[6:]) == 295
    delegations = values(book_2023["代表团"])
    assert len(delegations) == 8 and sum(r[1] for r in delegations[1:]) == 295
    trend = values(book_2023["趋势"])
    assert [r[1] for r in trend[1:3]] == [229, 295]
    assert book_2023["趋势"]["D3"].number_format == RATE
    league = book_2023["承办单位"]
    assigned = [r[2] for r in values(league)[1:]]
    assert sum(assigned) == 295 and assigned == sorted(assigned, reverse=True)


def test_english_headers(sessions):
    book = workbook(
        client_for("leader", "en").get(
            reverse("dashboard:export"), {"session": sessions["2023"].pk}
        )
    )
    assert book.sheetnames == [
        "Overview",
        "Categories",
        "Handling bodies",
        "Units",
        "Delegations",
        "Trend",
    ]


def test_league_workbook_sorted_and_filtered(sessions):
    response = client_for("staff").get(
        reverse("dashboard:units-export"),
        {"session": sessions["2023"].pk, "sort": "name", "dir": "asc", "kind": "court"},
    )
    book = workbook(response)
    assert book.sheetnames == ["承办单位"]
    rows = values(book["承办单位"])
    assert rows[1][:3] == ["州中级人民法院", "人民法院", 4]
    assert len(rows) == 2
    assert book["承办单位"].freeze_panes == "A2"


def test_date_range_workbook(sessions):
    book = workbook(
        client_for("staff").get(
            reverse("dashboard:export"),
            {"date_from": "2023-01-01", "date_to": "2023-12-31"},
        )
    )
    overview = {row[0]: row[1] for row in values(book["概况"])[1:]}
    assert overview["统计范围"].startswith("2023-01-01")
    assert values(book["趋势"]) == [values(book["趋势"])[0]]


def test_suggestion_list_export_with_the_lists_filters(sessions):
    category = Category.objects.get(
        name="工交财贸", body=sessions["2023"].congress.body
    )
    query = {"session": sessions["2023"].pk, "counted": "true", "category": category.pk}
    client = client_for("staff")
    book = workbook(client.get(reverse("suggestions:export"), query))
    sheet = book.worksheets[0]
    rows = values(sheet)
    assert rows[0][:3] == ["编号", "标题", "会议"]
    assert len(rows) == 1 + 79
    assert sheet.freeze_panes == "A2"
    submitted = sheet.cell(row=2, column=10)
    assert isinstance(submitted.value, dt.datetime) and submitted.is_date
    assert submitted.number_format == "yyyy-mm-dd"
    assert sheet.cell(row=2, column=1).number_format == "0"
    assert {r[5] for r in rows[1:]} == {"工交财贸"}
    # The list page offers the export of what it shows.
    page = client.get(reverse("suggestions:list"), query).content.decode()
    assert 'data-testid="export-xlsx"' in page
    assert (
        "counted=true" in page.split('data-testid="export-xlsx"')[0].rsplit("<a", 1)[1]
    )


def test_suggestion_export_takes_one_query_whatever_the_rows(
    sessions, django_assert_num_queries
):
    staff = user("staff")
    everything = Suggestion.objects.visible_to(staff)
    for queryset in (everything.filter(session=sessions["current"]), everything):
        with django_assert_num_queries(1):
            suggestion_exports.suggestion_workbook(queryset.order_by("pk"))


def test_suggestion_export_stops_at_the_limit(sessions):
    content = suggestion_exports.suggestion_workbook(
        Suggestion.objects.order_by("pk"), limit=10
    )
    rows = values(load_workbook(io.BytesIO(content)).worksheets[0])
    assert len(rows) == 1 + 10 + 1
    assert "10" in rows[-1][0]


def test_suggestion_export_who_and_bad_filters(sessions):
    url = reverse("suggestions:export")
    assert client_for("deputy").get(url).status_code == 404
    assert client_for("unit").get(url).status_code == 404
    assert Client().get(url).status_code == 302
    response = client_for("staff").get(url, {"session": "abc"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_api_exports(sessions):
    client = ContractClient(headers={"accept-language": "zh-hans"})
    client.force_authenticate(user("leader"))
    session = sessions["2023"].pk
    book = workbook(client.get("/api/v1/dashboard/export.xlsx", {"session": session}))
    assert book.sheetnames[0] == "概况"
    response = client.get(
        "/api/v1/suggestions/export.xlsx",
        {"session": session, "counted": "true", "outcome": "explained"},
        HTTP_ACCEPT=exports_type(),
    )
    assert len(values(workbook(response).worksheets[0])) == 1 + 19
    bad = client.get("/api/v1/suggestions/export.xlsx", {"handler_group": "church"})
    assert bad.status_code == 400 and "handler_group" in bad.json()
    bad = client.get("/api/v1/dashboard/export.xlsx", {"session": "x"})
    assert bad.status_code == 400 and "session" in bad.json()
    client.force_authenticate(user("unit"))
    assert client.get("/api/v1/suggestions/export.xlsx").status_code == 403
    assert client.get("/api/v1/dashboard/export.xlsx").status_code == 403
    assert ContractClient().get("/api/v1/dashboard/export.xlsx").status_code == 401


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/api/v1/dashboard/export.xlsx", XLSX),
        ("/api/v1/dashboard/review.docx", DOCX),
        ("/api/v1/suggestions/export.xlsx", XLSX),
    ],
)
def test_a_download_refused_answers_json_labelled_as_json(sessions, path, media_type):
    """A client that asks for the file gets its errors as JSON with the JSON media
    type (as the schema declares), never JSON labelled as a workbook."""
    client = ContractClient()
    client.force_authenticate(user("staff"))
    bad = client.get(
        path, {"session": "x", "status": "nonsense"}, HTTP_ACCEPT=media_type
    )
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/json"
    assert bad.json()
    client.force_authenticate(user("unit"))
    refused = client.get(path, HTTP_ACCEPT=media_type)
    assert (refused.status_code, refused["Content-Type"]) == (403, "application/json")
    ok = ContractClient()
    ok.force_authenticate(user("staff"))
    good = ok.get(path, {"session": sessions["2023"].pk}, HTTP_ACCEPT=media_type)
    assert (good.status_code, good["Content-Type"]) == (200, media_type)


def test_every_export_goes_into_the_security_log(sessions):
    """Who exported what, with the query that chose the rows: pages and API alike."""
    from audit.models import Action, SecurityEvent

    session = sessions["2023"].pk
    before = SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    client_for("staff").get(
        reverse("suggestions:export"), {"session": session, "outcome": "explained"}
    )
    client_for("leader").get(reverse("dashboard:review-docx"), {"session": session})
    api = ContractClient()
    api.force_authenticate(user("leader"))
    api.get("/api/v1/dashboard/export.xlsx", {"session": session})
    client_for("deputy").get(reverse("suggestions:export"))  # refused: not an export

    events = list(
        SecurityEvent.objects.filter(action=Action.EXPORT, pk__gt=before or 0).order_by(
            "pk"
        )
    )
    assert [(e.actor_username, e.details["path"]) for e in events] == [
        ("staff", reverse("suggestions:export")),
        ("leader", reverse("dashboard:review-docx")),
        ("leader", "/api/v1/dashboard/export.xlsx"),
    ]
    assert "outcome=explained" in events[0].details["query"]
    assert events[0].target.endswith(".xlsx") and events[1].target.endswith(".docx")
    assert all(e.details["size"] > 0 for e in events)


def test_control_characters_typed_into_names_never_break_a_download(sessions):
    """XML (so .xlsx and .docx) cannot hold most control characters; a title or a
    category name typed with one still exports, without it (schemathesis found the
    500)."""
    category = Category.objects.get(
        name="工交财贸", body=sessions["2023"].congress.body
    )
    category.name = "工交\x01财贸\x1f"
    category.save()
    suggestion = Suggestion.objects.filter(session=sessions["2023"]).first()
    suggestion.title = "关于\x0b供暖\x08的建议"
    suggestion.save()
    client = client_for("staff")
    query = {"session": sessions["2023"].pk}

    rows = values(workbook(client.get(reverse("suggestions:export"), query)).active)
    assert "关于供暖的建议" in {row[1] for row in rows}
    book = workbook(client.get(reverse("dashboard:export"), query))
    assert "工交财贸" in {row[0] for row in values(book.worksheets[1])}
    response = client.get(reverse("dashboard:review-docx"), query)
    assert response.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "工交财贸" in text and "\x01" not in text


def test_every_download_is_named_by_what_and_which_session(sessions):
    """RFC 6266: the Chinese name in ``filename*``, an ASCII fallback in ``filename``."""
    session = sessions["2023"].pk
    name = "昌吉州十六届人大二次会议"
    staff = client_for("staff")
    api = ContractClient(headers={"accept-language": "zh-hans"})
    api.force_authenticate(user("leader"))
    cases = [
        (
            staff.get(reverse("dashboard:export"), {"session": session}),
            f"{name}_办理情况统计.xlsx",
        ),
        (
            staff.get(reverse("dashboard:units-export"), {"session": session}),
            f"{name}_承办单位办理情况.xlsx",
        ),
        (
            staff.get(reverse("dashboard:review-docx"), {"session": session}),
            f"{name}_代表建议办理工作综述.docx",
        ),
        (
            staff.get(reverse("suggestions:export"), {"session": session}),
            f"{name}_代表建议清单.xlsx",
        ),
        (
            api.get("/api/v1/dashboard/export.xlsx", {"session": session}),
            f"{name}_办理情况统计.xlsx",
        ),
        (
            api.get("/api/v1/dashboard/review.docx", {"session": session}),
            f"{name}_代表建议办理工作综述.docx",
        ),
        (
            api.get(
                "/api/v1/suggestions/export.xlsx",
                {"session": session},
                HTTP_ACCEPT=exports_type(),
            ),
            f"{name}_代表建议清单.xlsx",
        ),
        (
            staff.get(
                reverse("dashboard:export"),
                {"date_from": "2023-01-01", "date_to": "2023-12-31"},
            ),
            "20230101-20231231_办理情况统计.xlsx",
        ),
    ]
    for response, expected in cases:
        assert response.status_code == 200, expected
        assert download_name(response) == expected
        assert 'filename="2023' in response["Content-Disposition"]
    # A list of every session (asked for with an empty session: without any filter
    # the list is the current session's) is named by the day it was exported.
    everything = staff.get(reverse("suggestions:export"), {"session": ""})
    today = f"{timezone.localdate():%Y%m%d}"
    assert download_name(everything) == f"{today}_代表建议清单.xlsx"
    english = client_for("staff", "en").get(
        reverse("dashboard:export"), {"session": session}
    )
    assert download_name(english) == (
        "昌吉州 16th congress, 2nd session_Handling statistics.xlsx"
    )

"""The import's page and API: templates, the dry run's report, the apply, and who
may use them."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congress.models import Delegation
from suggestions.models import Suggestion
from tests.api.conftest import client_as
from tests.factories import LeaderFactory, UnitMemberFactory, deputy_user

from .helpers import suggestion_row, workbook

KINDS = ("delegations", "deputies", "units", "suggestions")


@pytest.mark.parametrize("kind", KINDS)
def test_templates_have_chinese_headers_an_example_and_instructions(
    world, client, kind
):
    """The page's template: Chinese headers, an example row, and "填写说明"."""
    client.force_login(world.staff)
    response = client.get(
        reverse("imports:template", args=[kind]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[1] == "填写说明"
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and any(rows[1])
    if kind == "suggestions":
        assert {"届次", "会次", "编号", "领衔代表", "主办单位", "协办单位"} <= set(
            rows[0]
        )
        notes = " ".join(
            str(c)
            for r in book.worksheets[1].iter_rows(values_only=True)
            for c in r
            if c
        )
        assert "满意、基本满意或不满意" in notes and "、" in notes


def test_api_template_and_round_trip(world):
    """The API's template filled in and imported: the rows exist."""
    api = client_as(world.staff)
    response = api.get(
        "/api/v1/imports/templates/delegations.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=1, value="木垒县代表团")
    sheet.cell(row=2, column=2, value=16)
    sheet.append(["吉木萨尔县代表团", 16])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "filled.xlsx"
    response = api.post(
        "/api/v1/imports/",
        {"kind": "delegations", "file": out, "dry_run": "false"},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    assert (
        Delegation.objects.filter(name__in=["木垒县代表团", "吉木萨尔县代表团"]).count()
        == 2
    )


def test_api_unknown_template_is_404(world):
    """Only the four kinds have templates."""
    assert (
        client_as(world.staff).get("/api/v1/imports/templates/bogus.xlsx").status_code
        == 404
    )


def test_api_dry_run_then_apply_with_errors_is_400(world):
    """A dry run with bad rows is 200 with the report; the apply is 400 with the same
    report and writes nothing."""
    api = client_as(world.staff)
    rows = [suggestion_row(1), suggestion_row(2, 领衔代表="赵六")]
    dry = api.post(
        "/api/v1/imports/",
        {"kind": "suggestions", "file": workbook("suggestions", rows)},
        format="multipart",
    )
    assert dry.status_code == 200
    assert dry.json()["dry_run"] is True
    assert [(e["row"], e["column"]) for e in dry.json()["errors"]] == [(3, "领衔代表")]
    applied = api.post(
        "/api/v1/imports/",
        {
            "kind": "suggestions",
            "file": workbook("suggestions", rows),
            "dry_run": "false",
        },
        format="multipart",
    )
    assert applied.status_code == 400
    assert applied.json() == {**dry.json(), "dry_run": False}
    assert not Suggestion.objects.exists()


def test_api_messages_follow_the_language(world):
    """The report's messages are in the request's language."""
    api = client_as(world.staff)
    rows = [suggestion_row(1, 领衔代表="赵六")]
    response = api.post(
        "/api/v1/imports/",
        {"kind": "suggestions", "file": workbook("suggestions", rows)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.json()["errors"][0]["message"] == "第十六届代表中没有“赵六”。"


@pytest.mark.parametrize("role", ["leader", "clerk", "deputy"])
def test_only_staff_may_import(world, client, role):
    """Leaders, clerks and deputies: 403 on the page, the templates and the API."""
    user = {
        "leader": lambda: LeaderFactory(body=world.body),
        "clerk": lambda: UnitMemberFactory(),
        "deputy": lambda: deputy_user(),
    }[role]()
    client.force_login(user)
    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:template", args=["units"])).status_code == 403
    api = client_as(user)
    response = api.post(
        "/api/v1/imports/",
        {"kind": "units", "file": workbook("units", [])},
        format="multipart",
    )
    assert response.status_code == 403
    assert api.get("/api/v1/imports/templates/units.xlsx").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, db):
    """No one signed in: the page sends to the sign-in, the API answers 401."""
    assert client.get(reverse("imports:index")).status_code == 302
    assert client_as().post("/api/v1/imports/", {}).status_code == 401


def test_page_checks_then_applies(world, client):
    """Upload: the report with its counts and the import button; import: the rows
    are written and the stored file is gone."""
    client.force_login(world.staff)
    page = client.get(reverse("imports:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert "数据导入" in page.content.decode()
    rows = [suggestion_row(1), suggestion_row(2)]
    checked = client.post(
        reverse("imports:index"),
        {"kind": "suggestions", "file": workbook("suggestions", rows)},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    text = checked.content.decode()
    assert "共2行：新增2，更新0，未变0。" in text
    assert not Suggestion.objects.exists()
    token = checked.context["pending"]["token"]
    applied = client.post(
        reverse("imports:apply"), {"token": token}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert applied.status_code == 200
    assert Suggestion.objects.count() == 2
    assert "导入完成：新增2条" in applied.content.decode()
    again = client.post(reverse("imports:apply"), {"token": token})
    assert Suggestion.objects.count() == 2
    assert again.status_code == 302  # nothing waits any more


def test_page_shows_the_problems(world, client):
    """A check with a bad row shows the problem and offers no import."""
    client.force_login(world.staff)
    rows = [suggestion_row(1, 交办日期="昨天")]
    response = client.post(
        reverse("imports:index"),
        {"kind": "suggestions", "file": workbook("suggestions", rows)},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    text = response.content.decode()
    assert 'data-testid="import-errors"' in text
    assert "交办日期" in text and "昨天" in text
    assert response.context["pending"] is None


def test_staff_navigation_links_the_page(world, client):
    """数据导入 is in the staff's navigation."""
    client.force_login(world.staff)
    page = client.get(reverse("suggestions:workbench"))
    assert reverse("imports:index") in page.content.decode()


def test_schema_documents_the_import(db):
    """The schema has both endpoints, the upload as multipart with its answers."""
    schema = client_as().get("/api/v1/schema/?format=json").json()
    post = schema["paths"]["/api/v1/imports/"]["post"]
    assert set(post["requestBody"]["content"]) == {"multipart/form-data"}
    assert {"200", "400", "401", "403"} <= set(post["responses"])
    assert "/api/v1/imports/templates/{kind}.xlsx" in schema["paths"]


def test_template_with_a_bad_body_parameter_is_still_served(world, client):
    """A malformed ``body`` is ignored; an unknown kind is 404."""
    client.force_login(world.staff)
    url = reverse("imports:template", args=["suggestions"])
    assert client.get(url, {"body": "x'"}).status_code == 200
    assert client.get(reverse("imports:template", args=["bogus"])).status_code == 404


def test_staff_of_several_bodies_choose_one(world):
    """Staff of two bodies must name the body (400 on ``body``); a body where they
    are not staff is refused the same way."""
    from accounts.models import BodyRole, Membership
    from tests.factories import CongressBodyFactory

    second = CongressBodyFactory(region="伊犁哈萨克自治州")
    Membership.objects.create(user=world.staff, body=second, role=BodyRole.STAFF)
    stranger = CongressBodyFactory(region="喀什地区")
    api = client_as(world.staff)
    rows = [{"名称": "阜康市代表团", "届次": 16}]
    missing = api.post(
        "/api/v1/imports/",
        {"kind": "delegations", "file": workbook("delegations", rows)},
        format="multipart",
    )
    assert missing.status_code == 400 and "body" in missing.json()
    foreign = api.post(
        "/api/v1/imports/",
        {
            "kind": "delegations",
            "file": workbook("delegations", rows),
            "body": stranger.pk,
        },
        format="multipart",
    )
    assert foreign.status_code == 400 and "body" in foreign.json()
    chosen = api.post(
        "/api/v1/imports/",
        {
            "kind": "delegations",
            "file": workbook("delegations", rows),
            "body": world.body.pk,
        },
        format="multipart",
    )
    assert chosen.status_code == 200 and chosen.json()["created"] == 1


def test_apply_with_a_wrong_token_imports_nothing(world, client):
    """Another token (any text) than the check's: nothing imported, the check's file
    still waits."""
    client.force_login(world.staff)
    client.post(
        reverse("imports:index"),
        {"kind": "suggestions", "file": workbook("suggestions", [suggestion_row(1)])},
    )
    for token in ("wrong", "令牌\x00", ""):
        response = client.post(reverse("imports:apply"), {"token": token})
        assert response.status_code == 302
    assert not Suggestion.objects.exists()


def test_an_imported_suggestion_reads_like_any_other(world, client):
    """Its detail page (staff) and API detail show the history, the timeline ending
    with 从Excel导入."""
    from imports.services import import_run

    import_run(
        actor=world.staff,
        body=world.body,
        kind="suggestions",
        file=workbook("suggestions", [suggestion_row(1, 答复内容="已完成改造。")]),
        dry_run=False,
    )
    suggestion = Suggestion.objects.get()
    client.force_login(world.staff)
    page = client.get(suggestion.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "从Excel导入" in text and "已完成改造。" in text
    detail = client_as(world.staff).get(f"/api/v1/suggestions/{suggestion.pk}/")
    assert detail.status_code == 200
    assert detail.json()["status"] == "closed"


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_row_left_in_is_not_imported(world, kind):
    """A template sent back with its example row still in: that row is skipped."""
    api = client_as(world.staff)
    template = api.get(
        f"/api/v1/imports/templates/{kind}.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    file = io.BytesIO(template.content)
    file.name = "template.xlsx"
    response = api.post(
        "/api/v1/imports/",
        {"kind": kind, "file": file, "dry_run": "false"},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == 0


def test_both_kinds_of_400_match_the_documented_schema(world):
    """A 400 is either the apply's report or field errors; the schema allows both
    (schemathesis found field errors rejected by a report-only schema)."""
    import jsonschema

    schema = client_as(world.staff).get("/api/v1/schema/?format=json").json()
    documented = schema["paths"]["/api/v1/imports/"]["post"]["responses"]["400"]
    body_schema = documented["content"]["application/json"]["schema"]
    api = client_as(world.staff)
    field_errors = api.post(
        "/api/v1/imports/",
        {"kind": "delegations", "dry_run": "6.6e16", "body": "{}"},
        format="multipart",
    )
    assert field_errors.status_code == 400
    assert set(field_errors.json()) >= {"file", "dry_run"}
    report = api.post(
        "/api/v1/imports/",
        {
            "kind": "suggestions",
            "file": workbook("suggestions", [suggestion_row(1, 领衔代表="赵六")]),
            "dry_run": "false",
        },
        format="multipart",
    )
    assert report.status_code == 400 and report.json()["errors"]
    for response in (field_errors, report):
        jsonschema.validate(response.json(), body_schema)

"""The import engine: dry run, all-or-nothing apply, idempotent re-import, the
errors row by row, the body's scope and a bounded number of queries."""

import pytest
from django.utils import translation

from congress.models import Congress, Delegation, Deputy, HandlingUnit, Session
from dashboard.statistics import session_statistics
from imports.services import import_run
from suggestions.models import (
    Assignment,
    CoSignature,
    Evaluation,
    Event,
    Reply,
    Status,
    Suggestion,
)
from suggestions.search import search_suggestions
from tests.factories import (
    CongressBodyFactory,
    CongressFactory,
    DelegationFactory,
    DeputyFactory,
    HandlingUnitFactory,
    StaffFactory,
    SuggestionFactory,
)

from .helpers import suggestion_row, workbook

TABLES = (Suggestion, CoSignature, Assignment, Reply, Evaluation, Event, Session)


def counts():
    return {m.__name__: m.objects.count() for m in TABLES}


def run(world, kind, rows, *, dry_run=False, actor=None, body=None):
    return import_run(
        actor=actor or world.staff,
        body=body or world.body,
        kind=kind,
        file=workbook(kind, rows),
        dry_run=dry_run,
    )


def test_dry_run_reports_and_writes_nothing(world):
    """A dry run counts what it would create and writes no row."""
    before = counts()
    report = run(
        world, "suggestions", [suggestion_row(1), suggestion_row(2)], dry_run=True
    )
    assert report.as_dict() == {
        "dry_run": True,
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    assert counts() == before


def test_apply_writes_the_history(world):
    """An apply makes the suggestion closed with its units, reply, rating, co-signers
    and timeline, in a past session created with its year."""
    report = run(world, "suggestions", [suggestion_row(1)])
    assert report.ok and report.created == 1
    s = Suggestion.objects.select_related("session", "lead_unit", "lead_deputy").get()
    assert (s.session.year, s.session.ordinal, s.session.is_current) == (2022, 1, False)
    assert str(s.session.opened_on) == "2022-01-10"
    assert s.status == Status.CLOSED and s.number == 1
    assert (s.outcome, s.rating, s.lead_unit.name) == (
        "resolved",
        "satisfied",
        "州交通运输局",
    )
    assert s.lead_deputy.name == "张伟"
    assert sorted(c.deputy.name for c in s.cosignatures.all()) == ["李娜", "王芳"]
    assert s.assignments.filter(role="lead").get().reply.outcome == "resolved"
    assert s.assignments.filter(role="co").count() == 1
    assert s.evaluations.get().rating == "satisfied"
    actions = list(
        s.events.order_by("created_at", "pk").values_list("action", flat=True)
    )
    assert actions == [
        "create",
        "submit",
        "register",
        "assign",
        "reply",
        "evaluate",
        "import",
    ]


def test_reimport_changes_nothing(world):
    """The same file again: every row unchanged, no row written or changed."""
    rows = [suggestion_row(n) for n in range(1, 4)]
    rows.append(
        suggestion_row(4, 答复日期=None, 答复类别=None, 代表评价=None, 办结日期=None)
    )
    first = run(world, "suggestions", rows)
    assert first.ok and first.created == 4
    before = counts()
    stamps = list(
        Suggestion.objects.order_by("pk").values_list("updated_at", flat=True)
    )
    second = run(world, "suggestions", rows)
    assert second.as_dict() == {
        "dry_run": False,
        "rows": 4,
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "errors": [],
    }
    assert counts() == before
    assert (
        list(Suggestion.objects.order_by("pk").values_list("updated_at", flat=True))
        == stamps
    )


def test_reimport_with_a_change_updates(world):
    """A changed reply class rewrites that imported suggestion's history only."""
    run(world, "suggestions", [suggestion_row(1), suggestion_row(2)])
    report = run(
        world, "suggestions", [suggestion_row(1, 答复类别="B"), suggestion_row(2)]
    )
    assert (report.updated, report.unchanged, report.created) == (1, 1, 0)
    assert Suggestion.objects.get(number=1).outcome == "in_progress"
    assert Reply.objects.get(assignment__suggestion__number=1).outcome == "in_progress"
    assert Event.objects.filter(suggestion__number=1, action="import").count() == 1


def test_bad_rows_reported_in_chinese_and_nothing_written(world):
    """Unknown deputy, unknown unit, bad date, duplicate number and text in a number
    column: each reported with its row, its header and a Chinese message; the apply
    writes nothing."""
    rows = [
        suggestion_row(1, 领衔代表="赵六"),
        suggestion_row(2, 主办单位="州不存在局"),
        suggestion_row(3, 交办日期="2022-13-45"),
        suggestion_row(4),
        suggestion_row(4, 标题="另一件"),
        suggestion_row("五"),
        suggestion_row(6, 类别="不存在的类别"),
    ]
    before = counts()
    with translation.override("zh-hans"):
        report = run(world, "suggestions", rows)
    assert counts() == before
    assert not report.dry_run and report.errors
    found = {(e["row"], e["column"]) for e in report.errors}
    assert found == {
        (2, "领衔代表"),
        (3, "主办单位"),
        (4, "交办日期"),
        (6, "编号"),
        (7, "编号"),
        (8, "类别"),
    }
    messages = {(e["row"]): e["message"] for e in report.errors}
    assert "赵六" in messages[2] and "代表" in messages[2]
    assert "州不存在局" in messages[3]
    assert "YYYY-MM-DD" in messages[4]
    assert "第5行" in messages[6] or "5" in messages[6]
    assert "整数" in messages[7]


def test_number_of_another_suggestion_is_refused(world):
    """A number already used in the session by a suggestion of another title."""
    session = Session.objects.create(
        congress=world.congress, ordinal=1, year=2022, opened_on="2022-01-10"
    )
    SuggestionFactory(session=session, number=1, title="别的建议", closed=True)
    report = run(world, "suggestions", [suggestion_row(1)])
    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "编号")]


def test_statistics_and_search_count_the_history(world):
    """The imported session's figures: completion and satisfaction from the rows;
    the search finds an imported title."""
    rows = [
        suggestion_row(1),
        suggestion_row(2, 答复类别="C", 代表评价="基本满意"),
        suggestion_row(3, 答复类别="A", 代表评价="不满意", 评价意见="没有解决"),
        suggestion_row(4, 标题="关于加强职业教育实训基地建设的建议", 类别="科教文卫"),
    ]
    assert run(world, "suggestions", rows).ok
    session = Session.objects.get(year=2022)
    figures = session_statistics(session)
    assert figures["suggestions"] == 4
    assert figures["completion_rate"] == 75.0  # 3 of 4 resolved
    assert figures["satisfaction_rate"] == 75.0  # 3 of 4 satisfied or basically
    found = search_suggestions(Suggestion.objects.all(), "职业教育")
    assert list(found.values_list("number", flat=True)) == [4]


def test_trend_has_the_imported_sessions(world):
    """Sessions of two past years appear in the body's trend in order, each with its
    imported figures."""
    from dashboard.statistics import trend

    later = {
        "会次": 2,
        "年份": 2023,
        "开幕日期": "2023-01-09",
        "提交日期": "2023-01-10",
        "交办日期": "2023-02-20",
        "答复日期": "2023-05-10",
        "办结日期": "2023-05-20",
    }
    rows = [suggestion_row(1), suggestion_row(1, **later), suggestion_row(2, **later)]
    assert run(world, "suggestions", rows).ok
    rows = trend(Session.objects.get(year=2023))
    assert [(r["year"], r["suggestions"]) for r in rows] == [(2022, 1), (2023, 2)]
    assert [r["on_time_rate"] for r in rows] == [100.0, 100.0]


def test_units_and_deputies_of_another_body_are_unknown(world):
    """Staff of body A cannot reference body B's units or deputies."""
    other = CongressBodyFactory(region="伊犁哈萨克自治州")
    other_congress = CongressFactory(body=other)
    DeputyFactory(
        delegation=DelegationFactory(congress=other_congress), name="外州代表"
    )
    HandlingUnitFactory(body=other, name="伊犁州教育局")
    report = run(
        world,
        "suggestions",
        [suggestion_row(1, 领衔代表="外州代表", 主办单位="伊犁州教育局")],
    )
    assert {e["column"] for e in report.errors} == {"领衔代表", "主办单位"}
    assert not Suggestion.objects.exists()


def test_staff_of_another_body_is_refused(world):
    """The caller must be staff of the body imported into."""
    from common.errors import NotPermitted

    other_staff = StaffFactory(body=CongressBodyFactory(region="伊犁哈萨克自治州"))
    with pytest.raises(NotPermitted):
        run(world, "suggestions", [suggestion_row(1)], actor=other_staff)


def test_reference_kinds_round_trip(world):
    """Delegations, deputies and units: created, then unchanged on re-import; a new
    term and delegation are created as named."""
    delegations = [{"名称": "奇台县代表团", "届次": 17}]
    deputies = [
        {
            "姓名": "马强",
            "代表团": "奇台县代表团",
            "届次": 17,
            "性别": "男",
            "手机": "13900000001",
        },
        {"姓名": "张伟", "代表团": "昌吉市代表团", "届次": 16, "民族": "回族"},
    ]
    units = [
        {"名称": "州卫生健康委", "简称": "卫健委", "类别": "政府部门"},
        {
            "名称": "州卫生健康委办公室",
            "类别": "其他机关和组织",
            "上级单位": "州卫生健康委",
        },
    ]
    assert run(world, "delegations", delegations).created == 1
    assert Congress.objects.filter(body=world.body, ordinal=17).exists()
    first = run(world, "deputies", deputies)
    assert (first.created, first.updated) == (1, 1)
    assert Deputy.objects.get(name="张伟").ethnicity == "回族"
    assert Deputy.objects.get(name="马强").gender == "male"
    assert run(world, "units", units).created == 2
    assert (
        HandlingUnit.objects.get(name="州卫生健康委办公室").parent.name
        == "州卫生健康委"
    )
    for kind, rows in (
        ("delegations", delegations),
        ("deputies", deputies),
        ("units", units),
    ):
        again = run(world, kind, rows)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows)), (
            kind
        )
    assert Delegation.objects.filter(name="奇台县代表团").count() == 1


def _rows(n):
    return [suggestion_row(i) for i in range(1, n + 1)]


def test_queries_do_not_grow_with_rows(world):
    """50 or 500 rows: about the same number of queries (lookups read once, rows
    written in bulk; SQLite's limit of bound parameters splits its inserts into
    more batches than PostgreSQL's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n):
        with CaptureQueriesContext(connection) as captured:
            assert run(world, "suggestions", _rows(n)).created == n
        return len(captured.captured_queries)

    small = queries(50)
    Suggestion.objects.all().delete()
    Session.objects.all().delete()
    large = queries(500)
    assert small <= 40
    slack = 5 if connection.vendor == "postgresql" else 70
    assert large <= small + slack, (small, large)


def test_a_file_that_is_no_workbook_is_reported(world):
    """A CSV or any other file: one error on row 1, nothing written."""
    import io

    from django.utils import translation

    with translation.override("zh-hans"):
        report = import_run(
            actor=world.staff,
            body=world.body,
            kind="units",
            file=io.BytesIO("名称,类别\n州教育局,政府部门\n".encode()),
            dry_run=False,
        )
    assert report.errors == [
        {"row": 1, "column": "", "message": "该文件不是Excel工作簿（.xlsx）。"}
    ]


def test_a_missing_column_is_reported_on_row_1(world):
    """A required column absent from the header row: an error naming it."""
    from .helpers import headers

    names = [h for h in headers("suggestions") if h != "领衔代表"]
    report = import_run(
        actor=world.staff,
        body=world.body,
        kind="suggestions",
        file=workbook("suggestions", [suggestion_row(1)], header_names=names),
        dry_run=True,
    )
    assert [(e["row"], e["column"]) for e in report.errors] == [(1, "Lead deputy")]


def test_english_headers_are_accepted(world):
    """A workbook with the English template's headers imports the same."""
    from django.utils import translation

    from imports.columns import COLUMNS

    with translation.override("en"):
        names = [str(c.label) for c in COLUMNS["delegations"]]
    file = workbook(
        "delegations", [{"Name": "奇台县代表团", "Term": 16}], header_names=names
    )
    report = import_run(
        actor=world.staff, body=world.body, kind="delegations", file=file, dry_run=False
    )
    assert report.created == 1 and not report.errors


def test_deputies_import_makes_the_body_figures_stale(world):
    """The active deputies are counted: after a deputies import the body's
    session figures are computed again (and another body's are left alone)."""
    session = Session.objects.create(
        congress=world.congress, ordinal=1, year=2022, opened_on="2022-01-10"
    )
    assert session_statistics(session)["deputies"] == 3
    rows = [{"姓名": "马强", "代表团": "昌吉市代表团", "届次": 16}]
    assert run(world, "deputies", rows).created == 1
    assert session_statistics(session)["deputies"] == 4


def test_rows_missing_required_values_are_reported(world):
    """Each empty required cell is an error of its row and column; the other rows
    are still checked."""
    rows = [
        suggestion_row(1, 标题=None),
        suggestion_row(2, 内容=None, 类别=None),
        suggestion_row(3, 领衔代表="赵六"),
    ]
    report = run(world, "suggestions", rows, dry_run=True)
    assert sorted((e["row"], e["column"]) for e in report.errors) == [
        (2, "标题"),
        (3, "内容"),
        (3, "类别"),
        (4, "领衔代表"),
    ]


@pytest.mark.parametrize("kind", ["delegations", "deputies", "units", "suggestions"])
def test_any_cell_value_is_reported_never_raised(world, kind):
    """Odd values in every column (text, huge and negative numbers, fractions,
    booleans, dates where text goes): a report with errors, never an exception."""
    import datetime as dt

    from .helpers import headers

    odd = [
        "x'\\x00\u200b",
        10**20,
        -5,
        3.7,
        True,
        dt.date(1900, 1, 1),
        "2023-02-30",
    ]
    rows = [dict.fromkeys(headers(kind), value) for value in odd]
    report = run(world, kind, rows)
    assert report.rows == len(odd)
    assert report.errors
    assert not Suggestion.objects.exists()

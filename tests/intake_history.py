"""A congress's own history for the smart-intake tests (issue 18): real rows, as the
engine reads them (suggestions, their assignments, an approved reassignment, the
deputies' ratings), made with the project's factories.

The earlier session (2025) holds four suggestions on lifts for old housing estates:
the housing bureau handled two (one of them first given to the development and
reform commission, which had it reassigned away), the commission two, the finance
bureau helping with all four as co-unit; and a few on other matters handled by
other units. The current session (2026) holds the
suggestion under review, a near-copy of it with a reworded title, and one awaiting
assignment.
"""

import datetime as dt
from dataclasses import dataclass, field

from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    Decision,
    Event,
    Rating,
    Status,
    Suggestion,
)

from .factories import (
    HandlingUnitFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
)

LIFT_TEXT = (
    "我市老旧小区多为二十世纪九十年代建成的六层以下住宅，没有电梯，老年人上下楼"
    "十分困难。建议简化既有住宅加装电梯的审批手续，加大财政补贴力度，协调低层住户"
    "意见，加快推进老旧小区加装电梯工作。"
)
# The planted pair: one title reworded, the texts nearly the same.
COPY_TITLE = "关于加快老旧小区加装电梯的建议"
TARGET_TITLE = "建议加快推进老旧住宅小区加装电梯工作"
COPY_TEXT = LIFT_TEXT
TARGET_TEXT = LIFT_TEXT.replace("我市", "本市").replace("十分困难", "非常困难")

OTHER_MATTERS = [
    (
        "transport",
        "关于改善城乡公交线路的建议",
        "部分乡镇公交班次少、线路绕行，群众出行不便。建议优化城乡公交线路，增加班次，"
        "延长末班车运营时间。",
    ),
    (
        "transport",
        "关于修缮农村公路的建议",
        "部分农村公路年久失修，路面坑洼，雨天泥泞。建议加大农村公路养护投入，"
        "尽快修缮破损路段。",
    ),
    (
        "education",
        "关于增加中小学学位的建议",
        "城区新建小区入住人口多，学校学位紧张，班额过大。建议新建扩建中小学校，"
        "增加学位供给，缓解入学难。",
    ),
    (
        "health",
        "关于加强基层医疗卫生服务的建议",
        "乡镇卫生院医生少、设备旧，群众看病还要跑到城里。建议加强基层医疗队伍建设，"
        "更新医疗设备，提升服务能力。",
    ),
]

DUTIES = {
    "housing": "负责住房保障和城乡建设管理，指导城镇老旧小区改造、既有住宅加装电梯、"
    "物业管理和建筑市场监管。",
    "reform": "负责拟订并组织实施国民经济和社会发展规划，统筹重大项目布局和投资安排，"
    "推进经济体制改革。",
    "transport": "负责公路、城乡客运和道路运输管理，农村公路建设养护。",
    "education": "负责学前教育、义务教育和高中教育的统筹管理，中小学校布局规划。",
    "health": "负责医疗卫生服务体系建设，基层医疗卫生机构管理，疾病预防控制。",
    "finance": "负责财政预算管理，安排和拨付各项财政资金，管理政府债务。",
}
NAMES = {
    "housing": "州住房和城乡建设局",
    "reform": "州发展和改革委员会",
    "transport": "州交通运输局",
    "education": "州教育局",
    "health": "州卫生健康委员会",
    "finance": "州财政局",
}


@dataclass
class History:
    earlier_session: object
    session: object
    units: dict
    staff: object
    housing_cases: list = field(default_factory=list)  # handled by housing
    reform_cases: list = field(default_factory=list)  # handled by the commission
    reassigned: Suggestion | None = None  # first to the commission, then housing
    target: Suggestion | None = None  # submitted, under review
    copy: Suggestion | None = None  # submitted, its near-copy
    to_assign: Suggestion | None = None  # registered, awaiting assignment


def _closed(session, unit, title, text, *, rating=Rating.SATISFIED, **extra):
    return SuggestionFactory(
        session=session,
        closed=True,
        lead_unit=unit,
        rating=rating,
        title=title,
        body=text,
        base_time=dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC),
        **extra,
    )


def reassign_history(suggestion: Suggestion, *, first, staff) -> None:
    """The rows an approved reassignment leaves (``services.adjustment_approve``):
    the first unit's lead assignment retired, its request approved for the unit
    that then handled it, and the timeline's entry."""
    retired = Assignment.objects.create(
        suggestion=suggestion,
        unit=first,
        role=AssignmentRole.LEAD,
        round=1,
        assigned_at=suggestion.assigned_at - dt.timedelta(days=5),
        due_at=suggestion.due_at,
        active=False,
    )
    AdjustmentRequest.objects.create(
        assignment=retired,
        kind=AdjustmentKind.REASSIGNMENT,
        reason="该事项不属于本单位职责范围。",
        requested_by=UnitMemberFactory(unit=first),
        requested_at=suggestion.assigned_at - dt.timedelta(days=3),
        decision=Decision.APPROVED,
        new_unit=suggestion.lead_unit,
        new_due_at=suggestion.due_at,
        decided_by=staff,
        decided_at=suggestion.assigned_at,
    )
    Event.objects.create(
        suggestion=suggestion,
        action="approve",
        actor=staff,
        from_status=Status.ASSIGNED,
        to_status=Status.ASSIGNED,
        data={
            "kind": AdjustmentKind.REASSIGNMENT,
            "from_unit": first.pk,
            "to_unit": suggestion.lead_unit_id,
        },
        created_at=suggestion.assigned_at,
    )


def build_history() -> History:
    earlier = SessionFactory(year=2025, opened_on=dt.date(2025, 1, 10))
    current = SessionFactory(year=2026, opened_on=dt.date(2026, 1, 10))
    body = current.congress.body
    units = {
        key: HandlingUnitFactory(body=body, name=NAMES[key], duties=DUTIES[key])
        for key in NAMES
    }
    staff = StaffFactory(body=body)
    h = History(earlier_session=earlier, session=current, units=units, staff=staff)
    housing, reform = units["housing"], units["reform"]
    h.housing_cases.append(
        _closed(earlier, housing, "关于老旧小区加装电梯的建议", LIFT_TEXT)
    )
    h.reassigned = _closed(
        earlier,
        housing,
        "关于推进老旧小区加装电梯的建议",
        LIFT_TEXT.replace("加快推进", "积极推进"),
    )
    reassign_history(h.reassigned, first=reform, staff=staff)
    h.housing_cases.append(h.reassigned)
    h.reform_cases += [
        _closed(
            earlier,
            reform,
            "关于支持既有住宅加装电梯的建议",
            LIFT_TEXT.replace("加大财政补贴力度", "设立专项补贴资金"),
        ),
        _closed(
            earlier,
            reform,
            "关于老旧住宅加装电梯资金补助的建议",
            LIFT_TEXT.replace("协调低层住户意见", "做好低层住户工作"),
        ),
    ]
    # The finance bureau helped (协办) with every past case on lifts.
    for case in h.housing_cases + h.reform_cases:
        Assignment.objects.create(
            suggestion=case,
            unit=units["finance"],
            role=AssignmentRole.CO,
            round=1,
            assigned_at=case.assigned_at,
            due_at=case.due_at,
        )
    for key, title, text in OTHER_MATTERS:
        _closed(earlier, units[key], title, text)
    h.copy = SuggestionFactory(
        session=current, submitted=True, title=COPY_TITLE, body=COPY_TEXT
    )
    h.target = SuggestionFactory(
        session=current, submitted=True, title=TARGET_TITLE, body=TARGET_TEXT
    )
    h.to_assign = SuggestionFactory(
        session=current,
        registered=True,
        title="关于加快既有住宅小区加装电梯的建议",
        body=LIFT_TEXT.replace("我市", "我州").replace("十分困难", "很不方便"),
    )
    return h

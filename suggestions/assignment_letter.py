"""The 交办函: the letter in which the standing committee's office hands a batch of
suggestions to one handling unit (docs/documents.md).

An official Chinese document, so written in Chinese whatever the interface's
language (its file name follows the interface). Every time limit in it is read from
the congress's ``HandlingRules`` (docs/deadlines.md), never written here: a congress
that gives four months to reply sends letters that say four.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import pgettext

from common import clock
from common.documents import OfficialDocument, chinese_date
from common.downloads import DownloadName
from congress import names
from congress.models import (
    HandlerGroup,
    HandlingRules,
    HandlingUnit,
    LeadReplyRule,
    Outcome,
    Session,
)

from . import deadlines
from .models import Assignment

ATTACHMENT = "代表建议交办清单"
# 序号, 建议编号, 建议标题, 领衔代表, 主办/协办, 办理期限: 156 mm, the type area.
COLUMN_WIDTHS_MM = (11, 20, 56, 20, 17, 32)


def sessions_of(assignments: Sequence[Assignment]) -> list[Session]:
    """The sessions of the listed suggestions, in the list's order."""
    seen: dict[int, Session] = {}
    for a in assignments:
        seen.setdefault(a.suggestion.session_id, a.suggestion.session)
    return list(seen.values())


def title(unit: HandlingUnit, sessions: Sequence[Session]) -> str:
    """关于交办昌吉州十六届人大二次会议代表建议的函 (one session), else the
    congress body's place alone."""
    if len(sessions) == 1:
        return f"关于交办{names.session_title_zh(sessions[0])}代表建议的函"
    return f"关于交办{names.short_place(unit.body.region)}人大代表建议的函"


def number_label(suggestion, *, with_year: bool = False) -> str:
    """第12号, or 2023年第12号 in a letter that lists several sessions."""
    if not suggestion.number:
        return "—"
    label = f"第{suggestion.number}号"
    return f"{suggestion.session.year}年{label}" if with_year else label


def requirements(rules: HandlingRules) -> list[tuple[str, str]]:
    """The handling requirements, each (heading, text), written from ``rules``."""
    points = [
        (
            "按期答复。",
            f"主办单位应当自交办之日起{rules.reply_months}个月内答复代表；"
            f"涉及面广、处理难度大的建议，应当自交办之日起"
            f"{rules.complex_reply_months}个月内答复。确需延长办理期限的，应当在期限"
            f"届满前提出申请，延长后的期限最长不超过交办之日起"
            f"{rules.max_extension_months}个月。",
        ),
        (
            "加强沟通。",
            "办理前和办理中应当主动与领衔代表联系沟通，当面或电话听取意见，"
            "答复前再次征求代表意见；交办后"
            f"{rules.contact_reminder_working_days}个工作日内尚未联系代表的，"
            "系统将予以提醒。",
        ),
    ]
    co = (
        f"协办单位应当自交办之日起{rules.co_unit_opinion_months}个月内将协办意见"
        "送主办单位，且不晚于主办单位的答复期限。"
    )
    if rules.lead_reply_before_co_opinions == LeadReplyRule.WAIT:
        co += "主办单位应当在收到全部协办意见或协办期限届满后答复代表。"
    elif rules.lead_reply_before_co_opinions == LeadReplyRule.NOTE:
        co += "主办单位在协办意见送达前答复代表的，应当说明理由。"
    points.append(("主协配合。", co))
    points.append(
        (
            "交办调整。",
            "对交办有不同意见的，应当自交办之日起"
            f"{rules.reassignment_window_working_days}个工作日内提出调整申请并说明"
            "理由，逾期不再调整。",
        )
    )
    with translation.override("zh-hans"):
        # "A类：已经解决或基本解决" → "A类，已经解决或基本解决", listed with "；".
        classes = "；".join(
            str(Outcome(value).label).replace("：", "，", 1)
            for value in Outcome.values
            if value in rules.offered_outcomes
        )
    answer = f"答复代表时应当注明办理结果类别，分为：{classes}。"
    rounds = rules.max_rehandling_rounds
    if rounds:
        answer += (
            f"代表对答复不满意的，承办单位应当重新办理，"
            f"并自重新交办之日起{rules.rehandling_reply_months}个月内再次答复"
            + ("。" if rounds == 1 else f"，重新办理以{rounds}次为限。")
        )
    points.append(("规范答复。", answer))
    return points


def document(
    unit: HandlingUnit,
    assignments: Sequence[Assignment],
    *,
    issued_on: dt.date | None = None,
) -> bytes:
    """The 交办函 to ``unit`` for ``assignments`` (at least one, as
    ``selectors.assignment_letter_rows`` reads them), under the rules of their
    congress, signed by its standing committee's office on ``issued_on`` (today)."""
    issued_on = issued_on or clock.today()
    sessions = sessions_of(assignments)
    congress = sessions[0].congress
    # A unit's suggestions all go to its own body; a letter across two terms states
    # the rules of the first listed (each term's rules are set by the same office).
    rules = deadlines.rules_of(assignments[0].suggestion)
    office = names.office_name_zh(congress)
    lead = sum(1 for a in assignments if a.is_lead)
    co = len(assignments) - lead
    scope = f"{names.session_title_zh(sessions[0])}期间" if len(sessions) == 1 else ""

    letter = OfficialDocument(title(unit, sessions))
    letter.addressee(unit.name)
    letter.paragraph(
        f"现将{scope}代表提出的{len(assignments)}件建议交由你单位办理，其中主办"
        f"{lead}件、协办{co}件（见附件）。请你单位高度重视，按照《中华人民共和国"
        "全国人民代表大会和地方各级人民代表大会代表法》和代表建议办理工作的有关"
        "规定，认真研究办理，并做好以下工作："
    )
    for i, (heading, text) in enumerate(requirements(rules), start=1):
        letter.run_in_heading(f"{names.chinese_number(i)}、{heading}", text)
    letter.paragraph(f"联系单位：{office}。")
    letter.blank()
    letter.paragraph(f"附件：{ATTACHMENT}")
    letter.signature(office, issued_on)

    letter.page_break()
    letter.heading("附件", indent=False)
    letter.blank()
    letter.table(
        ("序号", "建议编号", "建议标题", "领衔代表", "主办/协办", "办理期限"),
        [
            (
                i,
                number_label(a.suggestion, with_year=len(sessions) > 1),
                a.suggestion.title,
                a.suggestion.lead_deputy.name,
                "主办" if a.is_lead else "协办",
                chinese_date(a.due_at),
            )
            for i, a in enumerate(assignments, start=1)
        ],
        widths_mm=COLUMN_WIDTHS_MM,
        numeric=(0,),
        caption=ATTACHMENT,
    )
    # A government department's letter goes to the government's office too, which
    # oversees its departments' handling (政府系统办理).
    copy_to = []
    if HandlerGroup.of_kind(unit.kind) == HandlerGroup.GOVERNMENT:
        copy_to.append(f"{names.short_place(unit.body.region)}人民政府办公室")
    letter.colophon(copy_to, issuer=office, issued_on=issued_on)
    return letter.to_bytes()


def file_name(unit: HandlingUnit, session: Session | None) -> DownloadName:
    """昌吉州十六届人大二次会议_交办函_州教育局.docx."""
    return names.file_name(
        pgettext("file name", "Assignment letter, %(unit)s") % {"unit": unit},
        f"assignment-letter_unit-{unit.pk}",
        "docx",
        session=session,
    )

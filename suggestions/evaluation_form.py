"""The 征询意见表: the form on which a deputy rates, on paper, how a suggestion was
handled (办理态度) and what came of it (办理结果), as the evaluation meetings and the
offices that collect paper forms use it (docs/documents.md).

An official Chinese form, so written in Chinese whatever the interface's language
(its file name follows the interface). The window to send it back is read from the
congress's ``HandlingRules``.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import pgettext

from common.documents import OfficialDocument, chinese_date
from common.downloads import DownloadName
from congress import names

from . import deadlines
from .assignment_letter import number_label
from .models import Outcome, Rating, Suggestion
from .selectors import EvaluationFormFacts

TITLE = "代表建议办理情况征询意见表"
# Label, value, label, value: 156 mm, the type area.
COLUMN_WIDTHS_MM = (30, 48, 30, 48)
# Room for the deputy's opinion written by hand.
OPINION_HEIGHT_MM = 70
BOX = "□"


def ticks() -> str:
    """□满意　□基本满意　□不满意, in the order of ``Rating``."""
    with translation.override("zh-hans"):
        return "　".join(f"{BOX}{label}" for label in Rating.labels)


def document(facts: EvaluationFormFacts) -> bytes:
    """The form for ``facts.suggestion``, filled in with what the system knows (its
    number, title, lead deputy, units, the reply's date and class) and blank where
    the deputy writes."""
    suggestion = facts.suggestion
    reply = facts.reply
    with translation.override("zh-hans"):
        outcome = str(Outcome(reply.outcome).label) if reply else ""
    replied_on = chinese_date(timezone.localdate(reply.sent_at)) if reply else ""
    deputy = suggestion.lead_deputy
    rows = [
        (
            "建议编号",
            number_label(suggestion),
            "会议",
            names.session_title_zh(suggestion.session),
        ),
        ("建议标题", suggestion.title),
        ("领衔代表", deputy.name, "代表团", deputy.delegation.name),
        ("主办单位", "、".join(u.name for u in facts.lead_units)),
        ("协办单位", "、".join(u.name for u in facts.co_units) or "无"),
        ("答复时间", replied_on, "答复类别", outcome),
        ("办理态度", ticks()),
        ("办理结果", ticks()),
        ("意见和建议", ""),
        ("代表签名", "", "日期", "　　年　　月　　日"),
    ]
    form = OfficialDocument(TITLE)
    form.form_table(
        rows,
        widths_mm=COLUMN_WIDTHS_MM,
        heights_mm={rows.index(("意见和建议", "")): OPINION_HEIGHT_MM},
    )
    rules = deadlines.rules_of(suggestion)
    office = names.office_name_zh(suggestion.session.congress)
    form.blank()
    form.paragraph(
        f"说明：请在“办理态度”“办理结果”两栏各选一项打“√”，并于收到答复后"
        f"{rules.rating_window_working_days}个工作日内将本表交{office}。"
        "对办理结果不满意的，请在“意见和建议”栏写明理由。"
    )
    return form.to_bytes()


def file_name(suggestion: Suggestion) -> DownloadName:
    """昌吉州十六届人大二次会议_第12号建议_征询意见表.docx."""
    number = suggestion.number or suggestion.pk
    return names.file_name(
        pgettext("file name", "No. %(number)s, evaluation form") % {"number": number},
        f"evaluation-form_{number}",
        "docx",
        session=suggestion.session,
    )

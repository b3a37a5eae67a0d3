"""The 答复函 (a lead unit's reply letter to the deputy) and the 协办意见 (a
co-unit's opinion to the lead unit) in 公文 form (``common.documents``), from a
reply sent or about to be sent (the draft: an unsaved ``Reply``).

The unit prints the draft, has it signed (签发) and sealed, and uploads the scan
as the reply's letter: the system never sends a generated letter as the unit's.

- Title: 州教育局关于州十六届人大二次会议第60号建议的答复 (a co-unit's:
  …第60号建议的协办意见); the unit by its short name, the session as the body's
  own documents name it (``congress.names.session_title_local``).
- The line above the title: the class mark (A–D, ``Outcome.letter``) on the left,
  签发人 on the right. A co-unit's opinion carries no class mark: the class is the
  lead unit's to give (the opinion's suggested class is in the system).
- Addressed to the lead deputy (张三代表); a co-unit's opinion to the lead unit.
- The text as the unit wrote it, one paragraph a line; signed with the unit's full
  name and the date (sent, or today for a draft).
- 附注: 联系人 and 联系电话 (blanks to fill in when not given).
- 抄送: the lead reply to the round's co-units and the standing committee's office
  (州人大常委会办公室); a co-unit's opinion to that office.
"""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import pgettext

from common.documents import OfficialDocument
from common.downloads import DownloadName
from congress.models import Outcome
from congress.names import file_name, office_name_zh, session_title_local

from .letters import letter_subject
from .models import Assignment, AssignmentRole, Reply

BLANK = "　" * 6


def _round_units(assignment: Assignment, role: str) -> list:
    """The units of the assignment's round in ``role`` (still assigned), by name."""
    rows = (
        Assignment.objects.filter(
            suggestion_id=assignment.suggestion_id,
            round=assignment.round,
            role=role,
            active=True,
        )
        .select_related("unit")
        .order_by("unit__name", "pk")
    )
    return [row.unit for row in rows]


def title(reply: Reply) -> str:
    assignment = reply.assignment
    suggestion = assignment.suggestion
    what = "答复" if reply.is_lead else "协办意见"
    return (
        f"{assignment.unit}关于{session_title_local(suggestion.session)}"
        f"第{suggestion.number}号建议的{what}"
    )


def addressee(reply: Reply) -> str:
    assignment = reply.assignment
    if reply.is_lead:
        return f"{assignment.suggestion.lead_deputy.name}代表"
    leads = _round_units(assignment, AssignmentRole.LEAD)
    lead = leads[0] if leads else assignment.suggestion.lead_unit
    return lead.name if lead is not None else BLANK


def copy_to(reply: Reply) -> list[str]:
    assignment = reply.assignment
    office = office_name_zh(assignment.suggestion.session.congress, local=True)
    if not reply.is_lead:
        return [office]
    return [unit.name for unit in _round_units(assignment, AssignmentRole.CO)] + [
        office
    ]


_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def paragraphs(text: str, *, deputy: str = "", unit: str = "") -> list[str]:
    """The text's paragraphs: one a line, blank lines and the indent typed by hand
    dropped (the document indents every paragraph by two characters). A reply
    typed as a whole letter keeps its words but not what the letter prints itself:
    a first line greeting the deputy (尊敬的张三代表：), closing lines naming the unit
    or giving the date."""
    lines = [line.strip(" \t　") for line in text.splitlines() if line.strip(" \t　")]
    if lines and deputy and deputy in lines[0] and lines[0].endswith(("：", ":")):
        lines = lines[1:]
    while lines and (lines[-1] == unit or _DATE_LINE.fullmatch(lines[-1])):
        lines = lines[:-1]
    return lines


def document(reply: Reply) -> OfficialDocument:
    """The letter of ``reply`` (saved or not) as a document."""
    assignment = reply.assignment
    mark = Outcome(reply.outcome).letter if reply.is_lead else ""
    doc = OfficialDocument(
        title(reply), mark=(mark, f"签发人：{reply.signed_by or BLANK}")
    )
    doc.addressee(addressee(reply))
    doc.paragraphs(
        paragraphs(
            reply.body,
            deputy=assignment.suggestion.lead_deputy.name if reply.is_lead else "",
            unit=assignment.unit.name,
        )
    )
    day = timezone.localdate(reply.sent_at) if reply.sent_at else timezone.localdate()
    doc.signature(assignment.unit.name, day)
    doc.note(
        f"联系人：{reply.contact_person or BLANK}，"
        f"联系电话：{reply.contact_phone or BLANK}"
    )
    doc.colophon(copy_to(reply))
    return doc


def docx_bytes(reply: Reply) -> bytes:
    return document(reply).to_bytes()


def letter_file_name(reply: Reply, *, draft: bool = False) -> DownloadName:
    """昌吉州十六届人大二次会议_第60号建议_州教育局答复函.docx, with （草稿） for
    the draft (the names of ``letters.letter_file_name``)."""
    suggestion = reply.assignment.suggestion
    what = letter_subject(reply)
    if draft:
        what += pgettext("file name", " (draft)")
    slug = f"reply-letter-{suggestion.number}" + ("-draft" if draft else "")
    return file_name(what, slug, "docx", session=suggestion.session)


def is_unit_member(user, assignment: Assignment) -> bool:
    return user.is_unit_member and user.unit_id == assignment.unit_id


def may_read_letter(user, assignment: Assignment) -> bool:
    """Who may download the letter of a sent reply: the unit's members and the
    staff of the suggestion's body (others are answered 404); a draft is the unit
    members' alone (``services.reply_letter_draft``)."""
    return is_unit_member(user, assignment) or user.is_staff_of(
        assignment.suggestion.body_id
    )

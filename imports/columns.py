"""The columns of each kind of workbook: their headers (Chinese, or English when the
interface is English; the importer accepts both), whether they are required, their
format and an example, as the template and its sheet "填写说明" show them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind:
    DEPUTIES = "deputies"
    DELEGATIONS = "delegations"
    UNITS = "units"
    SUGGESTIONS = "suggestions"

    ALL = (DELEGATIONS, DEPUTIES, UNITS, SUGGESTIONS)


KIND_LABELS = {
    Kind.DELEGATIONS: pgettext_lazy("import kind", "Delegations"),
    Kind.DEPUTIES: pgettext_lazy("import kind", "Deputies"),
    Kind.UNITS: pgettext_lazy("import kind", "Handling units"),
    Kind.SUGGESTIONS: pgettext_lazy("import kind", "Past suggestions"),
}

# The cell types a column holds (``workbook.parse_cell``).
TEXT = "text"
LONG_TEXT = "long_text"
INTEGER = "integer"
DATE = "date"
CHOICE = "choice"
LIST = "list"  # names separated by 、 (or , ; ，；)
YES_NO = "yes_no"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise  # the header: an English msgid, Chinese in the .po
    type: str
    required: bool
    note: Promise  # the format and allowed values, for "填写说明"
    example: object = ""
    max_length: int | None = None

    def headers(self) -> set[str]:
        """Every header this column is recognised by: its label in Chinese and in
        English (a workbook filled in under either interface)."""
        names = set()
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(normalise_header(str(self.label)))
        return names


def normalise_header(text) -> str:
    """A header as compared: blanks and a trailing required-mark (*) removed,
    English lower-cased."""
    text = "" if text is None else str(text)
    text = text.replace("\u3000", "").replace(" ", "").strip().rstrip("*＊")
    return text.lower()


TERM = Column(
    "term",
    pgettext_lazy("import column", "Term"),
    INTEGER,
    True,
    _("The term of the congress as a number: 16 for the 16th congress."),
    16,
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    Kind.DELEGATIONS: (
        Column(
            "name",
            pgettext_lazy("import column", "Name"),
            TEXT,
            True,
            _("The delegation's name, unique within the term."),
            "昌吉市代表团",
            100,
        ),
        TERM,
    ),
    Kind.DEPUTIES: (
        Column(
            "name",
            pgettext_lazy("import column", "Full name"),
            TEXT,
            True,
            _("The deputy's name."),
            "张伟",
            50,
        ),
        Column(
            "delegation",
            pgettext_lazy("import column", "Delegation"),
            TEXT,
            True,
            _("The delegation's name; a delegation not yet in the term is created."),
            "昌吉市代表团",
            100,
        ),
        TERM,
        Column(
            "gender",
            pgettext_lazy("import column", "Gender"),
            CHOICE,
            False,
            _("男 or 女; may be left empty."),
            "男",
        ),
        Column(
            "ethnicity",
            pgettext_lazy("import column", "Ethnicity"),
            TEXT,
            False,
            _("For example 汉族."),
            "汉族",
            20,
        ),
        Column(
            "phone",
            pgettext_lazy("import column", "Mobile phone"),
            TEXT,
            False,
            _(
                "Digits. With two deputies of the same name in one term, the phone "
                "tells them apart."
            ),
            "13800000000",
            30,
        ),
        Column(
            "email",
            pgettext_lazy("import column", "E-mail"),
            TEXT,
            False,
            _("An e-mail address; may be left empty."),
            "zhangwei@example.cn",
            254,
        ),
        Column(
            "active",
            pgettext_lazy("import column", "Serving"),
            YES_NO,
            False,
            _("是 or 否; empty means 是."),
            "是",
        ),
    ),
    Kind.UNITS: (
        Column(
            "name",
            pgettext_lazy("import column", "Name"),
            TEXT,
            True,
            _("The unit's full name, unique within the congress body."),
            "州教育局",
            100,
        ),
        Column(
            "short_name",
            pgettext_lazy("import column", "Short name"),
            TEXT,
            False,
            _("A short name; may be left empty."),
            "教育局",
            30,
        ),
        Column(
            "kind",
            pgettext_lazy("import column", "Kind"),
            CHOICE,
            True,
            _(
                "One of: 政府部门, 监察委员会, 人民法院, 人民检察院, 常委会工作机构, "
                "其他机关和组织."
            ),
            "政府部门",
        ),
        Column(
            "parent",
            pgettext_lazy("import column", "Parent unit"),
            TEXT,
            False,
            _("The full name of the unit above it (in this file or already entered)."),
            "",
            100,
        ),
        Column(
            "active",
            pgettext_lazy("import column", "In use"),
            YES_NO,
            False,
            _("是 or 否; empty means 是. Only units in use can be assigned."),
            "是",
        ),
        Column(
            "duties",
            pgettext_lazy("import column", "Responsibilities"),
            LONG_TEXT,
            False,
            _("What the unit is responsible for (职责); may be left empty."),
            "负责全州教育事业的统筹规划和管理。",
        ),
    ),
    Kind.SUGGESTIONS: (
        TERM,
        Column(
            "session",
            pgettext_lazy("import column", "Session"),
            INTEGER,
            True,
            _(
                "The session of the term as a number: 2 for the second session. A "
                "session not yet entered is created (not current)."
            ),
            2,
        ),
        Column(
            "year",
            pgettext_lazy("import column", "Year"),
            INTEGER,
            True,
            _("The year the session met, such as 2023."),
            2023,
        ),
        Column(
            "opened_on",
            pgettext_lazy("import column", "Opening date"),
            DATE,
            False,
            _(
                "The session's opening date (YYYY-MM-DD), used when the session is "
                "created; empty: the earliest submission date of its rows."
            ),
            "2023-01-10",
        ),
        Column(
            "number",
            pgettext_lazy("import column", "Number"),
            INTEGER,
            True,
            _("The suggestion's number in the session, unique within it."),
            16,
        ),
        Column(
            "title",
            pgettext_lazy("import column", "Title"),
            TEXT,
            True,
            _("The title, at most 200 characters."),
            "关于加快农村公路建设的建议",
            200,
        ),
        Column(
            "body",
            pgettext_lazy("import column", "Body"),
            LONG_TEXT,
            True,
            _("The text of the suggestion."),
            "近年来，我州农村公路建设取得了明显成效……",
        ),
        Column(
            "lead_deputy",
            pgettext_lazy("import column", "Lead deputy"),
            TEXT,
            True,
            _("The name of a deputy of that term, already entered."),
            "张伟",
            50,
        ),
        Column(
            "co_signers",
            pgettext_lazy("import column", "Co-signers"),
            LIST,
            False,
            _("Names of deputies of that term, separated by 、."),
            "李娜、王芳",
        ),
        Column(
            "category",
            pgettext_lazy("import column", "Category"),
            TEXT,
            True,
            _("One of the congress body's categories, such as 工交财贸."),
            "工交财贸",
            50,
        ),
        Column(
            "lead_unit",
            pgettext_lazy("import column", "Lead unit"),
            TEXT,
            False,
            _(
                "The unit's full or short name, already entered; required when "
                "assigned."
            ),
            "州交通运输局",
            100,
        ),
        Column(
            "co_units",
            pgettext_lazy("import column", "Co-units"),
            LIST,
            False,
            _("Units' names separated by 、."),
            "州财政局、州发展改革委",
        ),
        Column(
            "submitted_on",
            pgettext_lazy("import column", "Submission date"),
            DATE,
            False,
            _("YYYY-MM-DD; empty: the session's opening date."),
            "2023-01-12",
        ),
        Column(
            "assigned_on",
            pgettext_lazy("import column", "Assignment date"),
            DATE,
            False,
            _("YYYY-MM-DD; empty: filed but not yet assigned."),
            "2023-02-20",
        ),
        Column(
            "due_on",
            pgettext_lazy("import column", "Due date"),
            DATE,
            False,
            _("YYYY-MM-DD; empty: three months after assignment (the handling rules)."),
            "",
        ),
        Column(
            "replied_on",
            pgettext_lazy("import column", "Reply date"),
            DATE,
            False,
            _("YYYY-MM-DD of the lead unit's reply."),
            "2023-05-10",
        ),
        Column(
            "outcome",
            pgettext_lazy("import column", "Reply class"),
            CHOICE,
            False,
            _(
                "A (resolved), B (being resolved or planned), C (explained) or D "
                "(kept for reference); required with a reply date."
            ),
            "A",
        ),
        Column(
            "reply_body",
            pgettext_lazy("import column", "Reply text"),
            LONG_TEXT,
            False,
            _("The reply letter's text or its summary; may be left empty."),
            "",
        ),
        Column(
            "rating",
            pgettext_lazy("import column", "Deputy's rating"),
            CHOICE,
            False,
            _("满意, 基本满意 or 不满意; only with a reply."),
            "满意",
        ),
        Column(
            "rating_comment",
            pgettext_lazy("import column", "Rating comment"),
            LONG_TEXT,
            False,
            _("The deputy's comment; may be left empty."),
            "",
        ),
        Column(
            "closed_on",
            pgettext_lazy("import column", "Closing date"),
            DATE,
            False,
            _(
                "YYYY-MM-DD when handling ended; with a rating, empty means the "
                "reply date."
            ),
            "2023-05-20",
        ),
        Column(
            "key_supervised",
            pgettext_lazy("import column", "Key supervised"),
            YES_NO,
            False,
            _("是 or 否; empty means 否."),
            "否",
        ),
        Column(
            "is_public",
            pgettext_lazy("import column", "Reply public"),
            YES_NO,
            False,
            _("是 or 否 (the reply is shown on the public pages); empty means 否."),
            "否",
        ),
    ),
}

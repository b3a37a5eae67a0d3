"""The annual review (年度办理情况综述): the statistics paragraphs of a session written
in the style of the Changji 2023 review (docs/statistics.md; the review's text is tests/dashboard/reference/changji-2023-review.txt),
as a page and as a Word document.

The Chinese text follows the article's wording; the English interface gets an English
rendering of the same figures. Place words (州, 市, 县 …) come from the congress's
region, never from the code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.documents import OfficialDocument
from common.downloads import DownloadName
from congress import names
from congress.models import HandlerGroup, Session
from congress.names import (
    chinese_number,
    english_ordinal,
    office_name,
    place_word,
    session_title_zh,
    short_region,
)
from suggestions.models import Outcome, PromiseState, Rating

from .figures import article_percent, percent, sealed_notice
from .statistics import previous_session, promise_outcomes, session_statistics


@dataclass
class Table:
    title: str
    heading: str
    rows: list[tuple[str, int, str]]  # label, count, share


@dataclass
class Review:
    session: Session
    title: str
    paragraphs: list[str]
    tables: list[Table] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    # "Sealed on …" once staff sealed the session's figures, else "".
    sealed: str = ""
    # The 成文日期 the Word document is signed with.
    issued_on: dt.date = field(default_factory=timezone.localdate)


def _category_label(name: str) -> str:
    return name if name.endswith("类") else f"{name}类"


def _previous_year(session: Session, stats: dict) -> int | None:
    if stats.get("previous_session_suggestions") is None:
        return None
    previous = stats.get("previous_session")
    if previous:
        year = Session.objects.filter(pk=previous).values_list("year", flat=True)
        return year.first()
    return None


@dataclass(frozen=True)
class LastYearsPromises:
    """How the previous session's promises ended: its year and the counts of
    ``statistics.promise_outcomes``."""

    year: int
    counts: dict


def last_years_promises(session: Session) -> LastYearsPromises | None:
    """The previous session's promise outcomes, or None when there is no previous
    session or it made no promise (the review then says nothing of them)."""
    previous = previous_session(session)
    if previous is None:
        return None
    counts = promise_outcomes(previous)
    if not counts["total"]:
        return None
    return LastYearsPromises(previous.year, counts)


def _promises_zh(promises: LastYearsPromises | None) -> str:
    """上年承诺事项的兑现情况, e.g. 2022年B类答复承诺事项20项，已兑现12项、部分兑现3项、
    未兑现1项、仍在推进4项。"""
    if promises is None:
        return ""
    c = promises.counts
    words = [
        (PromiseState.KEPT, "已兑现"),
        (PromiseState.PARTLY, "部分兑现"),
        (PromiseState.NOT_KEPT, "未兑现"),
        (PromiseState.OPEN, "仍在推进"),
    ]
    parts = [f"{word}{c[state]}项" for state, word in words if c[state]]
    return (
        f"{promises.year}年代表建议答复中作出的“正在解决或列入规划逐步解决”承诺事项"
        f"{c['total']}项，" + "、".join(parts) + "。"
    )


def _promises_en(promises: LastYearsPromises | None) -> str:
    if promises is None:
        return ""
    c = promises.counts
    words = [
        (PromiseState.KEPT, "{} kept"),
        (PromiseState.PARTLY, "{} partly kept"),
        (PromiseState.NOT_KEPT, "{} not kept"),
        (PromiseState.OPEN, "{} still open"),
    ]
    parts = [word.format(c[state]) for state, word in words if c[state]]
    return (
        f"Of the {c['total']} promises made in {promises.year}'s replies classed "
        f"B (being resolved or planned): " + ", ".join(parts) + "."
    )


def _chinese(session: Session, stats: dict) -> tuple[str, list[str]]:
    congress = session.congress
    word = place_word(congress)
    name = session_title_zh(session)
    n = stats["suggestions"]
    paragraphs = []

    first = f"{name}期间，全{word}{stats['deputies']}名{word}人大代表提出建议{n}件"
    change, year = stats.get("change"), _previous_year(session, stats)
    if change is not None and year is not None:
        if change > 0:
            first += f"，数量较{year}年增加{change}件"
        elif change < 0:
            first += f"，数量较{year}年减少{-change}件"
        else:
            first += f"，数量与{year}年持平"
    first += "。"
    if stats.get("key_supervised"):
        first += f"{word}人大常委会确定{stats['key_supervised']}件重点督办代表建议。"
    paragraphs.append(first)

    second = f"{name}期间，人大代表提出建议{n}件"
    categories = [
        f"{_category_label(r['category'])}{r['count']}件"
        for r in stats["by_category"]
        if r["count"]
    ]
    if categories:
        second += "，其中：" + "、".join(categories)
    second += "。"
    handlers = {
        HandlerGroup.GOVERNMENT: f"交{word}人民政府办理",
        HandlerGroup.OTHER_ORGANS: "交有关机关和组织办理",
        HandlerGroup.STANDING_COMMITTEE: f"交{word}人大常委会相关工委办理",
    }
    groups = [
        f"{handlers[r['group']]}{r['count']}件"
        for r in stats["by_handler_group"]
        if r["count"]
    ]
    if groups:
        second += "代表建议" + "，".join(groups) + "。"

    outcomes = stats["outcomes"]
    words = {
        Outcome.RESOLVED: "已经解决",
        Outcome.IN_PROGRESS: "正在解决或列入规划逐步解决",
        Outcome.EXPLAINED: "解释说明",
        Outcome.REFERENCE: "留作参考",
    }
    parts = [f"{words[k]}{outcomes.get(k, 0)}件" for k in words if outcomes.get(k)]
    pending = n - sum(outcomes.values())
    if pending > 0:
        parts.append(f"正在办理{pending}件")
    if parts:
        second += "目前，" + "、".join(parts)
        if stats.get("completion_rate") is not None:
            second += f"，办成率{article_percent(stats['completion_rate'])}"
        second += "。"

    ratings = stats["ratings"]
    rated = [
        (Rating.SATISFIED, "表示满意的"),
        (Rating.BASICALLY_SATISFIED, "表示基本满意的"),
        (Rating.DISSATISFIED, "表示不满意的"),
    ]
    parts = [f"{label}{ratings.get(k, 0)}件" for k, label in rated if ratings.get(k)]
    if parts:
        text = "人大代表对办理结果" + "，".join(parts)
        if stats.get("satisfaction_rate") is not None:
            text += f"，满意率{article_percent(stats['satisfaction_rate'])}"
        second += text + "。"
    paragraphs.append(second)
    title = f"{session.year}年{short_region(congress)}人大代表建议办理工作综述"
    return title, paragraphs


def _english(session: Session, stats: dict) -> tuple[str, list[str]]:
    n = stats["suggestions"]
    congress = session.congress
    first = (
        f"During the {english_ordinal(session.ordinal)} session of the "
        f"{english_ordinal(congress.ordinal)} {congress.region} People's Congress "
        f"({session.year}), its {stats['deputies']} deputies handed in {n} suggestions"
    )
    change, year = stats.get("change"), _previous_year(session, stats)
    if change is not None and year is not None:
        if change > 0:
            first += f", {change} more than in {year}"
        elif change < 0:
            first += f", {-change} fewer than in {year}"
        else:
            first += f", as many as in {year}"
    first += "."
    if stats.get("key_supervised"):
        first += (
            f" The standing committee put {stats['key_supervised']} of them under "
            "key supervision."
        )
    categories = [
        f"{r['category']} {r['count']}" for r in stats["by_category"] if r["count"]
    ]
    second = f"By category: {', '.join(categories)}." if categories else ""
    names = {
        HandlerGroup.GOVERNMENT: "the government and its departments handled {}",
        HandlerGroup.OTHER_ORGANS: "other organs and organisations {}",
        HandlerGroup.STANDING_COMMITTEE: "the standing committee's working bodies {}",
    }
    groups = [
        names[r["group"]].format(r["count"])
        for r in stats["by_handler_group"]
        if r["count"]
    ]
    if groups:
        text = ", ".join(groups)
        second += f" Of the suggestions, {text}."
    outcomes = stats["outcomes"]
    words = {
        Outcome.RESOLVED: "{} resolved",
        Outcome.IN_PROGRESS: "{} being resolved or planned",
        Outcome.EXPLAINED: "{} explained",
        Outcome.REFERENCE: "{} kept for reference",
    }
    parts = [words[k].format(outcomes[k]) for k in words if outcomes.get(k)]
    pending = n - sum(outcomes.values())
    if pending > 0:
        parts.append(f"{pending} still being handled")
    if parts:
        second += " So far: " + ", ".join(parts)
        if stats.get("completion_rate") is not None:
            second += (
                f"; a completion rate of {article_percent(stats['completion_rate'])}"
            )
        second += "."
    ratings = stats["ratings"]
    rated = [
        (Rating.SATISFIED, "satisfied with {}"),
        (Rating.BASICALLY_SATISFIED, "basically satisfied with {}"),
        (Rating.DISSATISFIED, "dissatisfied with {}"),
    ]
    parts = [label.format(ratings[k]) for k, label in rated if ratings.get(k)]
    if parts:
        second += " The deputies were " + ", ".join(parts)
        if stats.get("satisfaction_rate") is not None:
            second += f": a satisfaction rate of {article_percent(stats['satisfaction_rate'])}"
        second += "."
    title = f"Deputies' suggestions in {session.year}: the annual review"
    return title, [first, second.strip()]


def _is_english() -> bool:
    return (translation.get_language() or "zh-hans").startswith("en")


def file_name(session: Session) -> DownloadName:
    """昌吉州十六届人大二次会议_代表建议办理工作综述.docx."""
    return names.file_name(
        _("Review of the handling of suggestions"),
        "review",
        "docx",
        session=session,
    )


def build(session: Session, *, stats: dict | None = None, today=None) -> Review:
    """The review of ``session`` in the active language (Chinese unless English)."""
    stats = stats if stats is not None else session_statistics(session, today=today)
    writer = _english if _is_english() else _chinese
    title, paragraphs = writer(session, stats)
    promises = (_promises_en if _is_english() else _promises_zh)(
        last_years_promises(session)
    )
    if promises:
        paragraphs = [*paragraphs, promises]
    tables = [
        Table(
            _("By category"),
            _("Category"),
            [
                (r["category"], r["count"], percent(r["share"]))
                for r in stats["by_category"]
            ],
        ),
        Table(
            _("By handling body"),
            _("Handled by"),
            [
                (str(HandlerGroup(r["group"]).label), r["count"], percent(r["share"]))
                for r in stats["by_handler_group"]
            ],
        ),
    ]
    return Review(
        session,
        title,
        paragraphs,
        tables,
        stats,
        sealed=sealed_notice(session),
        issued_on=today or timezone.localdate(),
    )


def docx(review: Review) -> bytes:
    """The review as a Word document in 公文 form (``common.documents``): the title,
    the paragraphs, each table under a first-level heading (一、按类别), signed by
    the office of the session's standing committee with the review's date."""
    english = _is_english()
    document = OfficialDocument(review.title)
    if review.sealed:
        document.centred(review.sealed)
    document.paragraphs(review.paragraphs)
    for i, table in enumerate(review.tables, start=1):
        number = f"{i}. " if english else f"{chinese_number(i)}、"
        document.heading(f"{number}{table.title}")
        document.table(
            (table.heading, _("Suggestions"), _("Share")),
            [(label, count, share) for label, count, share in table.rows],
            widths_mm=(86, 35, 35),
            numeric=(1, 2),
        )
    document.signature(office_name(review.session.congress), review.issued_on)
    return document.to_bytes()

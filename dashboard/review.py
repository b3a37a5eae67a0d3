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
from suggestions.models import Outcome, PromiseState, Rating, RatingChannel

from . import assessment
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
    # The issue's order: the 五定 plans, the three meetings and the leaders'
    # part, then the ratings.
    for text in (
        _practice_zh(stats),
        _meetings_zh(stats, word),
        _ratings_chinese(stats),
    ):
        if text:
            paragraphs.append(text)
    title = f"{session.year}年{short_region(congress)}人大代表建议办理工作综述"
    return title, paragraphs


def _practice_zh(stats: dict) -> str:
    """The practice of handling (not a figure of the article's): the 五定 plans
    filed on time (计划按时制定率) over the lead assignments acknowledged."""
    acknowledged = stats.get("acknowledged") or 0
    if not acknowledged:
        return ""
    text = (
        "各承办单位按照“定责任领导、定承办人员、定办理措施、定办理进度、定办结时限”"
        f"的要求制定办理计划，已签收的{acknowledged}件主办建议中"
        f"{stats.get('plans_on_time', 0)}件按时制定计划"
    )
    if stats.get("plan_on_time_rate") is not None:
        text += f"，计划按时制定率{article_percent(stats['plan_on_time_rate'])}"
    return text + "。"


def _practice_en(stats: dict) -> str:
    acknowledged = stats.get("acknowledged") or 0
    if not acknowledged:
        return ""
    text = (
        "The lead units filed their handling plans (the 五定: responsible leader, "
        "officer, measures, progress and completion date) on time for "
        f"{stats.get('plans_on_time', 0)} of the {acknowledged} suggestions they "
        "acknowledged"
    )
    if stats.get("plan_on_time_rate") is not None:
        text += f": a rate of {article_percent(stats['plan_on_time_rate'])}"
    return text + "."


def _ratings_chinese(stats: dict) -> str:
    """The deputies' ratings of the handling attitude (办理态度) beside those of the
    result, and how they were given: on site, face to face (现场测评), or online."""
    text = ""
    attitudes = stats.get("attitude_ratings") or {}
    rated = [
        (Rating.SATISFIED, "表示满意的"),
        (Rating.BASICALLY_SATISFIED, "表示基本满意的"),
        (Rating.DISSATISFIED, "表示不满意的"),
    ]
    parts = [f"{label}{attitudes[k]}件" for k, label in rated if attitudes.get(k)]
    if parts:
        text += "人大代表对办理态度" + "，".join(parts)
        if stats.get("attitude_satisfaction_rate") is not None:
            text += f"，满意率{article_percent(stats['attitude_satisfaction_rate'])}"
        text += "。"
    channels = stats.get("ratings_by_channel") or {}
    on_site = channels.get(RatingChannel.ON_SITE, 0)
    online = channels.get(RatingChannel.ONLINE, 0)
    if on_site:
        text += f"代表在现场测评会上当面测评{on_site}件"
        text += f"，网上评价{online}件。" if online else "。"
    elif online:
        text += f"代表均通过网上评价，共{online}件。"
    return text


def _ratings_english(stats: dict) -> str:
    text = ""
    attitudes = stats.get("attitude_ratings") or {}
    rated = [
        (Rating.SATISFIED, "satisfied with {}"),
        (Rating.BASICALLY_SATISFIED, "basically satisfied with {}"),
        (Rating.DISSATISFIED, "dissatisfied with {}"),
    ]
    parts = [label.format(attitudes[k]) for k, label in rated if attitudes.get(k)]
    if parts:
        text += "With the handling attitude, the deputies were " + ", ".join(parts)
        if stats.get("attitude_satisfaction_rate") is not None:
            rate = article_percent(stats["attitude_satisfaction_rate"])
            text += f": a satisfaction rate of {rate}"
        text += "."
    channels = stats.get("ratings_by_channel") or {}
    on_site = channels.get(RatingChannel.ON_SITE, 0)
    online = channels.get(RatingChannel.ONLINE, 0)
    if on_site or online:
        text += (
            f" {on_site} were rated on site, face to face at an evaluation "
            f"meeting, and {online} online."
        )
    return text.strip()


def _meetings_zh(stats: dict, word: str) -> str:
    """The practice behind the figures: the three meetings (三见面) and the
    leaders' part in the key suggestions (领衔办理, 领衔督办)."""
    text = ""
    n = stats.get("lead_assignments")
    met = stats.get("contacts_by_stage") or {}
    if n:
        text += (
            f"各承办单位落实“三见面”工作机制，{n}件主办建议中，"
            f"办理前与人大代表见面沟通{met.get('before') or 0}件、"
            f"办理中{met.get('during') or 0}件、答复前{met.get('before_reply') or 0}件"
        )
        rate = (stats.get("contact_stage_rates") or {}).get("before_reply")
        if rate is not None:
            text += f"，答复前见面率{article_percent(rate)}"
        text += "。"
    led = stats.get("key_with_leading_leader") or 0
    activities = stats.get("supervision_activities") or {}
    words = (
        ("visit", "开展调研视察{}次"),
        ("forum", "召开座谈会{}次"),
        ("on_site", "现场督办{}次"),
    )
    done = [w.format(activities[k]) for k, w in words if activities.get(k)]
    if led or done:
        text += "落实党政领导领衔办理、人大常委会领导领衔督办工作机制"
        if led:
            text += f"，{led}件重点督办建议由政府领导领衔办理"
        if done:
            text += f"，{word}人大常委会领导" + "、".join(done)
        text += "。"
    return text


def _meetings_en(stats: dict) -> str:
    text = ""
    n = stats.get("lead_assignments")
    met = stats.get("contacts_by_stage") or {}
    if n:
        text += (
            f" The units met the deputies before handling {met.get('before') or 0}, "
            f"during handling {met.get('during') or 0} and before replying "
            f"{met.get('before_reply') or 0} of their {n} suggestions as lead unit"
        )
        rate = (stats.get("contact_stage_rates") or {}).get("before_reply")
        if rate is not None:
            text += f" (before replying: {article_percent(rate)})"
        text += "."
    led = stats.get("key_with_leading_leader") or 0
    activities = stats.get("supervision_activities") or {}
    words = (
        ("visit", "{} research visits"),
        ("forum", "{} forums"),
        ("on_site", "{} on-site supervisions"),
    )
    done = [w.format(activities[k]) for k, w in words if activities.get(k)]
    if led:
        text += f" Government leaders led the handling of {led} key suggestions."
    if done:
        text += (
            " The standing committee's leaders supervised them with "
            + ", ".join(done)
            + "."
        )
    return text.strip()


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
    paragraphs = [first, second.strip()]
    for text in (_practice_en(stats), _meetings_en(stats), _ratings_english(stats)):
        if text:
            paragraphs.append(text.strip())
    return title, paragraphs


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


def _ends(result: assessment.Assessment) -> tuple[list, list] | None:
    """The units with the highest score and those with the lowest (ties all
    named), or None when fewer than two units were scored."""
    scores = result.scores
    if len(scores) < 2 or scores[0].score == scores[-1].score:
        return None
    top = [s for s in scores if s.score == scores[0].score]
    bottom = [s for s in scores if s.score == scores[-1].score]
    return top, bottom


def _names(rows, joiner: str, more: str) -> str:
    """At most three units' names, then how many more (``more`` formats the
    count of all of them)."""
    names = joiner.join(str(r.unit.name) for r in rows[:3])
    return names if len(rows) <= 3 else names + more.format(len(rows))


def _assessment_zh(result: assessment.Assessment) -> str:
    """The unit assessment (绩效考核): the highest and the lowest scores of the
    session's units under the formula in force for it (``assessment.assess``)."""
    ends = _ends(result)
    if ends is None:
        return ""
    top, bottom = ends
    version = result.formula.version
    rule = (
        f"《{version.note}》"
        if version is not None and version.note
        else "绩效考核计分办法"
    )
    return (
        f"按照{rule}，对{len(result.scores)}个承办单位的办理工作进行考核计分，"
        f"得分最高的是{_names(top, '、', '等{}个单位')}"
        f"（{assessment.number(top[0].score)}分），"
        f"最低的是{_names(bottom, '、', '等{}个单位')}"
        f"（{assessment.number(bottom[0].score)}分）。"
    )


def _assessment_en(result: assessment.Assessment) -> str:
    ends = _ends(result)
    if ends is None:
        return ""
    top, bottom = ends
    return (
        f"Under the assessment formula, of the {len(result.scores)} units scored, "
        f"the highest was {_names(top, ', ', ' and {} units in all')} "
        f"({assessment.number(top[0].score)} points) and the lowest "
        f"{_names(bottom, ', ', ' and {} units in all')} "
        f"({assessment.number(bottom[0].score)} points)."
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
    scored = (_assessment_en if _is_english() else _assessment_zh)(
        assessment.assess(session, today=today)
    )
    if scored:
        paragraphs = [*paragraphs, scored]
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

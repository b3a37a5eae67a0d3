"""The engine's figures (``dashboard.statistics``) laid out for people: labelled
headline figures, breakdown tables, the unit league table and the trend, each count
with the link to the suggestion list that counts it. The page, the Excel workbook and
the annual review all read these, so they agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.downloads import DownloadName
from common.errors import NotFound
from congress.models import (
    CongressBody,
    ContactStage,
    HandlerGroup,
    Session,
    UnitKind,
)
from congress.names import delegation_label, file_name
from suggestions.models import Outcome, Rating, RatingChannel, Status

from . import rules, statistics

SATISFIED = [Rating.SATISFIED, Rating.BASICALLY_SATISFIED]


@dataclass(frozen=True)
class Scope:
    """What the figures cover: one session, or the suggestions submitted to one
    congress body in a range of dates; neither when the body has no current session
    (``empty``).

    ``read_only``: the body is one the user oversees, not one of theirs: its figures
    are shown, the suggestion lists behind them are not. ``linked``: the figures
    link to the suggestion lists that count them (a date range's links name no
    body, so they are given only to a user with one body of their own)."""

    session: Session | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    body: CongressBody | None = None
    read_only: bool = False
    linked: bool = True
    bodies: rules.DashboardBodies | None = field(default=None, compare=False)

    @classmethod
    def choose(
        cls,
        user,
        *,
        body_id: int | None = None,
        session: Session | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> Scope:
        """The scope ``user`` asked for, the one rule of the pages and the API.

        The body is ``body_id``, else the session's, else the user's first own
        body; the session, when none is given and no dates are, is that body's
        current one. ``NotFound`` for a body the user may not open
        (``rules.dashboard_bodies``) and for a session of another body than
        ``body_id``."""
        bodies = rules.dashboard_bodies(user)
        if body_id is not None:
            body = bodies.get(body_id)
            if session is not None and session.congress.body_id != body_id:
                body = None
        elif session is not None:
            body = bodies.get(session.congress.body_id)
        else:
            body = bodies.default
        if body is None:
            raise NotFound()
        read_only = not bodies.is_own(body.pk)
        if date_from is not None:
            return cls(
                date_from=date_from,
                date_to=date_to,
                body=body,
                read_only=read_only,
                linked=not read_only and len(bodies.own) == 1,
                bodies=bodies,
            )
        if session is None:
            session = (
                Session.objects.select_related("congress__body")
                .filter(congress__body=body)
                .current()
            )
        return cls(
            session=session,
            body=body,
            read_only=read_only,
            linked=not read_only,
            bodies=bodies,
        )

    @property
    def empty(self) -> bool:
        """No session to show (the body has no current one) and no dates."""
        return self.session is None and self.date_from is None

    @property
    def body_id(self) -> int | None:
        if self.body is not None:
            return self.body.pk
        return self.session.congress.body_id if self.session is not None else None

    @property
    def body_name(self) -> str:
        if self.body is not None:
            return self.body.name
        return self.session.congress.body.name if self.session is not None else ""

    def session_choices(self) -> list[tuple]:
        """The sessions of the scope's body, latest first, for the session picker."""
        if self.body_id is None:
            return []
        sessions = (
            Session.objects.filter(congress__body=self.body_id)
            .select_related("congress__body")
            .order_by("-opened_on", "-pk")
        )
        return [("", _("Current session"))] + [(s.pk, s.name) for s in sessions]

    @property
    def is_period(self) -> bool:
        return self.session is None and self.date_from is not None

    @property
    def params(self) -> dict:
        """The query string that selects this scope on the dashboard's pages."""
        body = {"body": self.body.pk} if self.body is not None else {}
        if self.session is not None:
            return {**body, "session": self.session.pk}
        if self.date_from is None:
            return body
        return {
            **body,
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
        }

    @property
    def list_params(self) -> dict | None:
        """The suggestion list's filters for the suggestions this scope counts;
        None when the figures do not link to the lists (``linked``)."""
        if not self.linked:
            return None
        if self.session is not None:
            base = {"session": self.session.pk}
        else:
            base = {
                "submitted_after": self.date_from.isoformat(),
                "submitted_before": self.date_to.isoformat(),
            }
        return {**base, "counted": "true"}

    @property
    def label(self) -> str:
        if self.session is not None:
            return self.session.name
        if self.date_from is None:
            return str(self.body) if self.body is not None else ""
        return _("Submitted %(start)s – %(end)s") % {
            "start": self.date_from.isoformat(),
            "end": self.date_to.isoformat(),
        }

    def file_name(self, what: str, slug: str, ext: str) -> DownloadName:
        """A download of this scope named by what it is and the session (or the
        dates) it covers (``congress.names.file_name``)."""
        return file_name(
            what,
            slug,
            ext,
            session=self.session,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def statistics(self, *, today=None) -> dict:
        if self.session is not None:
            return statistics.session_statistics(self.session, today=today)
        return statistics.period_statistics(
            self.date_from, self.date_to, body_id=self.body_id, today=today
        )


def list_url(base: dict | None, **filters) -> str | None:
    """The suggestion list filtered by ``base`` and ``filters`` (lists repeat);
    None without ``base`` (a scope whose figures do not link)."""
    if base is None:
        return None
    return (
        reverse("suggestions:list") + "?" + urlencode({**base, **filters}, doseq=True)
    )


def percent(value) -> str:
    """A rate or share as the dashboard shows it: one decimal always (87.0%), "—"
    when there is none."""
    if value is None:
        return "—"
    return f"{value:.1f}%"


def article_percent(value) -> str:
    """A rate as the annual review's sentences print it: one decimal, ``.0``
    dropped (满意率100%), as the published reviews write them."""
    text = percent(value)
    return text[:-3] + "%" if text.endswith(".0%") else text


def sealed_notice(session: Session | None) -> str:
    """ "The figures were sealed on …" for a sealed session, else "" (pages and the
    review's document say it alike)."""
    if session is None or session.sealed_at is None:
        return ""
    return _("The figures of this session were sealed on %(date)s.") % {
        "date": formats.date_format(timezone.localdate(session.sealed_at))
    }


def as_of(stats: dict) -> dt.datetime:
    """When the figures were computed (the engine's ``as_of``, else now)."""
    value = stats.get("as_of")
    if isinstance(value, dt.datetime):
        return value
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed or timezone.now()


@dataclass
class Count:
    """A count and the list that counts it."""

    label: str
    value: int | None
    url: str | None = None


# The headline figures the roll-up compares across bodies: counts, and each rate
# with the numerator and denominator it is made of, so that a sum of bodies can
# recompute it (``rollup.total``).
HEADLINE_COUNTS = (
    "suggestions",
    "resolved",
    "evaluated",
    "satisfied",
    "first_replies",
    "on_time",
    "overdue",
    "key_supervised",
    "deputies_with_suggestions",
)
HEADLINE_RATES = {
    # rate: (numerator, denominator), as ``statistics.assemble`` divides them.
    "completion_rate": ("resolved", "suggestions"),
    "satisfaction_rate": ("satisfied", "evaluated"),
    "on_time_rate": ("on_time", "first_replies"),
}


def headline_figures(stats: dict | None) -> dict:
    """The headline counts and rates of one dashboard (``Scope.statistics``); zeros
    and no rates for none (a body without a session that year)."""
    if stats is None:
        counts = dict.fromkeys(HEADLINE_COUNTS, 0)
    else:
        ratings = stats["ratings"]
        counts = {
            "suggestions": stats["suggestions"],
            "resolved": stats["outcomes"].get(Outcome.RESOLVED, 0),
            "evaluated": stats["evaluated"],
            "satisfied": sum(ratings.get(r, 0) for r in SATISFIED),
            "first_replies": stats["first_replies"],
            "on_time": stats["on_time"],
            "overdue": stats["overdue"],
            "key_supervised": stats["key_supervised"],
            "deputies_with_suggestions": stats["deputies_with_suggestions"],
        }
    return with_rates(counts)


def with_rates(counts: dict) -> dict:
    """``counts`` with the headline rates made from them (``statistics.rate``)."""
    return {
        **counts,
        **{
            key: statistics.rate(counts[num], counts[den])
            for key, (num, den) in HEADLINE_RATES.items()
        },
    }


@dataclass
class Headline:
    key: str
    label: str
    value: str
    url: str | None = None
    count: int | None = None
    parts: list[Count] = field(default_factory=list)


def headlines(scope: Scope, stats: dict) -> list[Headline]:
    base = scope.list_params
    n = stats["suggestions"]
    units = stats.get("units", [])
    first_replies = sum(u.get("replied") or 0 for u in units)
    on_time = sum(u.get("on_time") or 0 for u in units)
    ratings = stats["ratings"]
    satisfied = sum(ratings.get(r, 0) for r in SATISFIED)
    evaluated = sum(ratings.values())
    attitudes = stats.get("attitude_ratings") or {}
    attitudes_satisfied = sum(attitudes.get(r, 0) for r in SATISFIED)
    attitudes_rated = sum(attitudes.values())
    items = [
        Headline(
            "suggestions",
            _("Suggestions"),
            str(n),
            list_url(base),
            n,
        ),
    ]
    if stats.get("deputies") is not None:
        items.append(
            Headline(
                "deputies",
                _("Deputies who handed them in"),
                f"{stats['deputies_with_suggestions']} / {stats['deputies']}",
                parts=[Count(_("deputies of the congress"), stats["deputies"])],
            )
        )
    else:
        items.append(
            Headline(
                "deputies",
                _("Deputies who handed them in"),
                str(stats.get("deputies_with_suggestions") or 0),
            )
        )
    if stats.get("change") is not None:
        change = stats["change"]
        previous = stats.get("previous_session")
        items.append(
            Headline(
                "change",
                _("Against the previous session"),
                f"{change:+d}",
                parts=[
                    Count(
                        _("in the previous session"),
                        stats["previous_session_suggestions"],
                        list_url({"session": previous, "counted": "true"})
                        if previous and base is not None
                        else None,
                    )
                ],
            )
        )
    items += [
        Headline(
            "completion_rate",
            _("Completion rate"),
            percent(stats["completion_rate"]),
            parts=[
                Count(
                    _("resolved"),
                    stats["outcomes"].get(Outcome.RESOLVED, 0),
                    list_url(base, outcome=Outcome.RESOLVED),
                ),
                Count(_("counted"), n, list_url(base)),
            ],
        ),
        Headline(
            "satisfaction_rate",
            _("Satisfaction with the result"),
            percent(stats["satisfaction_rate"]),
            parts=[
                Count(
                    _("satisfied or basically satisfied"),
                    satisfied,
                    list_url(base, rating=SATISFIED),
                ),
                Count(
                    pgettext_lazy("count", "rated"),
                    evaluated,
                    list_url(base, rating=Rating.values),
                ),
            ],
        ),
        Headline(
            "attitude_satisfaction_rate",
            _("Satisfaction with the handling attitude"),
            percent(stats.get("attitude_satisfaction_rate")),
            parts=[
                Count(
                    _("satisfied or basically satisfied"),
                    attitudes_satisfied,
                    list_url(base, attitude=SATISFIED),
                ),
                Count(
                    pgettext_lazy("count", "rated"),
                    attitudes_rated,
                    list_url(base, attitude=Rating.values),
                ),
            ],
        ),
        Headline(
            "on_time_rate",
            _("On-time reply rate"),
            percent(stats["on_time_rate"]),
            parts=[
                Count(_("on time"), on_time, list_url(base, on_time="true")),
                Count(
                    _("first replies"),
                    first_replies,
                    list_url(base, first_replied="true"),
                ),
            ],
        ),
    ]
    stage_rates = stats.get("contact_stage_rates") or {}
    if stats.get("lead_assignments"):
        # The three meetings (三见面): the share of the first lead assignments that
        # met the deputy at each stage; the headline is the meeting before the
        # reply, which the law asks of every unit.
        items.append(
            Headline(
                "contact_stages",
                _("Meetings with the deputy before replying"),
                percent(stage_rates.get(ContactStage.BEFORE_REPLY)),
                parts=[
                    Count(str(label), percent(stage_rates.get(stage)))
                    for stage, label in ContactStage.choices
                ],
            )
        )
    items += [
        Headline(
            "plan_on_time_rate",
            _("Plans filed on time"),
            percent(stats.get("plan_on_time_rate")),
            parts=[
                Count(_("on time"), stats.get("plans_on_time", 0)),
                Count(
                    pgettext_lazy("count", "acknowledged"), stats.get("acknowledged", 0)
                ),
            ],
        ),
        Headline(
            "overdue",
            _("Overdue now"),
            str(stats["overdue"]),
            list_url(base, overdue="true"),
            stats["overdue"],
        ),
        Headline(
            "key_supervised",
            _("Key supervised"),
            str(stats["key_supervised"]),
            list_url(base, key_supervised="true"),
            stats["key_supervised"],
            parts=[
                Count(
                    pgettext_lazy("count", "replied"),
                    stats.get("key_supervised_replied"),
                    list_url(base, key_supervised="true", outcome=Outcome.values),
                ),
                Count(
                    pgettext_lazy("count", "closed"),
                    stats.get("key_supervised_closed"),
                    list_url(base, key_supervised="true", status=Status.CLOSED),
                ),
            ],
        ),
    ]
    return items


@dataclass
class Row:
    label: str
    count: int
    url: str
    share: float | None = None
    # The chart's label when the table's is too long (A类 已解决), and the key of
    # the colour that means it (satisfied, dissatisfied …; dashboard.js).
    short: str = ""
    colour: str = ""

    @property
    def share_text(self) -> str:
        return percent(self.share)


@dataclass
class Breakdown:
    key: str
    title: str
    heading: str
    rows: list[Row]

    @property
    def chart(self) -> dict:
        """What ``static/js/dashboard.js`` draws (read from a ``json_script``)."""
        return {
            "title": str(self.title),
            "labels": [str(r.short or r.label) for r in self.rows],
            "names": [str(r.label) for r in self.rows],
            "values": [r.count for r in self.rows],
            "shares": [r.share for r in self.rows],
            "urls": [r.url for r in self.rows],
            "colours": [r.colour for r in self.rows],
        }


def breakdowns(scope: Scope, stats: dict) -> list[Breakdown]:
    """The breakdown tables; each row's share is ``statistics.shares`` of its
    breakdown's own whole (carried by ``stats``), so every table adds up to 100%."""
    base = scope.list_params

    def rows(items):
        return [Row(*item) for item in items]

    return [
        Breakdown(
            "category",
            _("By category"),
            _("Category"),
            rows(
                (
                    r["category"],
                    r["count"],
                    list_url(base, category=r["id"]),
                    r["share"],
                )
                for r in stats["by_category"]
            ),
        ),
        Breakdown(
            "handler_group",
            _("By handling body"),
            _("Handled by"),
            rows(
                (
                    HandlerGroup(r["group"]).label,
                    r["count"],
                    list_url(base, handler_group=r["group"]),
                    r["share"],
                )
                for r in stats["by_handler_group"]
            ),
        ),
        Breakdown(
            "unit_kind",
            _("By unit kind"),
            _("Unit kind"),
            rows(
                (
                    UnitKind(r["kind"]).label,
                    r["count"],
                    list_url(base, unit_kind=r["kind"]),
                    r["share"],
                )
                for r in stats["by_unit_kind"]
            ),
        ),
        Breakdown(
            "unit",
            _("By lead unit"),
            _("Lead unit"),
            rows(
                (
                    r["unit"]["name"],
                    r["count"],
                    list_url(base, unit=r["unit"]["id"]),
                    r["share"],
                )
                for r in stats["by_unit"]
            ),
        ),
        Breakdown(
            "delegation",
            _("By delegation of the lead deputy"),
            _("Delegation"),
            rows(
                (
                    r["delegation"]["name"],
                    r["count"],
                    list_url(base, delegation=r["delegation"]["id"]),
                    r["share"],
                    delegation_label(r["delegation"]["name"]),
                )
                for r in stats["by_delegation"]
            ),
        ),
        Breakdown(
            "outcome",
            _("Outcomes of the replies"),
            _("Outcome"),
            rows(
                (
                    Outcome(key).label,
                    stats["outcomes"].get(key, 0),
                    list_url(base, outcome=key),
                    stats["outcome_shares"].get(key),
                    Outcome(key).short_label,
                    key,
                )
                for key in Outcome.values
            ),
        ),
        Breakdown(
            "rating",
            _("Deputies' ratings of the result"),
            _("Rating"),
            rows(
                (
                    Rating(key).label,
                    stats["ratings"].get(key, 0),
                    list_url(base, rating=key),
                    stats["rating_shares"].get(key),
                    "",
                    key,
                )
                for key in Rating.values
            ),
        ),
        Breakdown(
            "attitude",
            _("Deputies' ratings of the handling attitude"),
            _("Rating"),
            rows(
                (
                    Rating(key).label,
                    stats.get("attitude_ratings", {}).get(key, 0),
                    list_url(base, attitude=key),
                    stats.get("attitude_shares", {}).get(key),
                    "",
                    key,
                )
                for key in Rating.values
            ),
        ),
        Breakdown(
            "channel",
            _("Ratings by channel"),
            pgettext_lazy("channel", "How rated"),
            rows(
                (
                    RatingChannel(key).label,
                    stats.get("ratings_by_channel", {}).get(key, 0),
                    list_url(base, channel=key),
                    stats.get("channel_shares", {}).get(key),
                    CHANNEL_SHORT[key],
                )
                for key in RatingChannel.values
            ),
        ),
    ]


# The channels' chart labels (their full names in the table).
CHANNEL_SHORT = {
    RatingChannel.ONLINE: pgettext_lazy("channel", "Online"),
    RatingChannel.ON_SITE: pgettext_lazy("channel", "On site"),
}


# --- the unit league table ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    is_rate: bool = False
    # The list filters (besides the unit) that count this column; None: no link.
    filters: dict | None = None


LEAGUE_COLUMNS = (
    Column("assigned", _("Assigned"), filters={}),
    Column(
        "acknowledged_late",
        _("Acknowledged late"),
        filters={"acknowledged_late": "true"},
    ),
    Column("replied", _("Replied"), filters={"first_replied": "true"}),
    Column("on_time", _("Replied on time"), filters={"on_time": "true"}),
    Column("resolved", _("Resolved"), filters={"outcome": Outcome.RESOLVED}),
    Column("completion_rate", _("Completion rate"), is_rate=True),
    Column("evaluated", _("Rated"), filters={"rating": Rating.values}),
    Column("satisfied", _("Satisfied"), filters={"rating": SATISFIED}),
    Column("satisfaction_rate", _("Satisfaction rate"), is_rate=True),
    Column("rehandled", _("Re-handled"), filters={"rehandled": "true"}),
    Column("overdue", _("Overdue now"), filters={"overdue": "true"}),
)
SORT_KEYS = ("name", "kind", *(c.key for c in LEAGUE_COLUMNS))


def sort_choices():
    return [
        ("name", _("Unit")),
        ("kind", _("Unit kind")),
        *((c.key, c.label) for c in LEAGUE_COLUMNS),
    ]


@dataclass
class Cell:
    value: int | float | None
    text: str
    url: str | None = None
    # The link's data-figure, a string: the page renders thousands of cells, and
    # Django localises every number it prints.
    figure: str = ""


@dataclass
class LeagueRow:
    unit: dict
    kind_label: str
    cells: list[Cell]
    values: dict


def league(
    scope: Scope,
    stats: dict,
    *,
    sort: str = "assigned",
    direction: str = "desc",
    kind: str = "",
) -> list[LeagueRow]:
    """The league rows, filtered by unit kind and sorted by ``sort`` (a validated
    key of ``SORT_KEYS``); missing values sort last either way."""
    base = scope.list_params
    rows = stats.get("units", [])
    if kind:
        rows = [r for r in rows if r["unit"].get("kind") == kind]

    def value(row, key):
        if key == "name":
            return row["unit"]["name"]
        if key == "kind":
            return str(UnitKind(row["unit"]["kind"]).label)
        return row.get(key)

    present = [r for r in rows if value(r, sort) is not None]
    missing = [r for r in rows if value(r, sort) is None]
    present.sort(key=lambda r: r["unit"]["name"])
    present.sort(key=lambda r: value(r, sort), reverse=direction == "desc")
    # A province's table has hundreds of units with nine links each: the scope's
    # part and each column's filters are encoded once, in list_url's order.
    prefix = list_url(base) if base is not None else None
    suffixes = {
        c.key: "&" + urlencode(c.filters, doseq=True) if c.filters else ""
        for c in LEAGUE_COLUMNS
        if c.filters is not None
    }
    result = []
    for row in present + missing:
        unit = row["unit"]
        cells = []
        for position, column in enumerate(LEAGUE_COLUMNS, start=1):
            v = row.get(column.key)
            if column.is_rate:
                cells.append(Cell(v, percent(v)))
            elif v is None:
                cells.append(Cell(None, "—"))
            else:
                url = (
                    f"{prefix}&unit={int(unit['id'])}{suffixes[column.key]}"
                    if column.filters is not None and prefix is not None
                    else None
                )
                cells.append(Cell(v, str(v), url, f"unit-{unit['id']}-{position}"))
        result.append(
            LeagueRow(
                unit,
                str(UnitKind(unit["kind"]).label) if unit.get("kind") else "",
                cells,
                {c.key: row.get(c.key) for c in LEAGUE_COLUMNS},
            )
        )
    return result


# --- the trend across sessions --------------------------------------------------------

TREND_COLUMNS = (
    ("suggestions", _("Suggestions"), False),
    ("deputies_with_suggestions", _("Deputies who handed them in"), False),
    ("completion_rate", _("Completion rate"), True),
    ("satisfaction_rate", _("Satisfaction rate"), True),
    ("on_time_rate", _("On-time reply rate"), True),
    ("key_supervised", _("Key supervised"), False),
)


TREND_CHARTED = (
    "suggestions",
    "completion_rate",
    "satisfaction_rate",
    "on_time_rate",
)


def trend_rows(scope: Scope) -> list[dict]:
    """The trend over the sessions of the scope's body (none for a date range),
    each row linking to its session's dashboard and, when the scope links, to the
    lists that count it."""
    if scope.session is None:
        return []
    rows = []
    for row in statistics.trend(scope.session):
        sid = row["session"]["id"]
        base = {"session": sid, "counted": "true"} if scope.linked else None
        rows.append(
            {
                **row,
                "url": reverse("dashboard:index")
                + "?"
                + urlencode({"body": scope.body_id, "session": sid}),
                "list_url": list_url(base),
                "key_url": list_url(base, key_supervised="true"),
                "texts": {
                    key: percent(row.get(key)) if is_rate else row.get(key)
                    for key, _label, is_rate in TREND_COLUMNS
                },
            }
        )
    return rows


def trend_chart(rows: list[dict]) -> dict:
    """The trend's chart: each session on the axis by its short label (2023年),
    its full name in the tooltip."""
    return {
        "labels": [r["session"]["label"] for r in rows],
        "names": [r["session"]["name"] for r in rows],
        "series": [
            {
                "name": str(label),
                "rate": is_rate,
                "values": [r.get(key) for r in rows],
            }
            for key, label, is_rate in TREND_COLUMNS
            if key in TREND_CHARTED
        ],
    }

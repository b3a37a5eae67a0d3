"""A realistic large data set for benchmarks (benchmarks/dashboard_lists.py)::

    python manage.py generate_load --suggestions 1000000 [--largest 100000]
                                   [--bodies 8] [--seed 1] [--reset]

Builds congresses (a province and, for larger sets, prefectures), each with
delegations and 350-600 deputies, annual sessions over many years (the provincial
current session holds ``--largest`` suggestions, the others share the rest, the newer
the larger), about 300 handling units of every kind with one clerk each, and
suggestions in every status in the proportions of a real archive: past sessions
almost all closed with ratings, a few rejected, merged, withdrawn, re-handled and
escalated; the current session also submitted, registered, assigned (some overdue),
replied, re-handling and drafts. Each has co-signatures, assignments (lead and
co-units), contact records, replies, evaluations, a few extension requests and its
timeline, every row within the models' constraints and the co-signer trigger. Titles
and bodies (300-800 characters) are built from the demo's vocabulary, so words like
教育 occur as often as in real suggestions.

``--bodies N`` spreads the suggestions evenly over N congress bodies (the province
and N - 1 prefectures under it), each laid out as above within its share. Every body
has its staff and leader; ``load-staff`` and ``load-leader`` are those of the first
body only, so that what they see is one body's rows (the body scope applied), and
``load-admin`` is a superuser who sees them all.

On PostgreSQL the rows are streamed with ``COPY`` while the big tables' secondary
indexes and foreign keys are dropped; they are rebuilt afterwards (which checks them),
then ``VACUUM ANALYZE``. On SQLite the same rows go through ``bulk_create`` (correct,
slower). ``--reset`` first empties every suggestion table and removes what an earlier
run created.
"""

from __future__ import annotations

import csv
import io
import math
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import BodyRole, Membership
from congress.models import (
    Congress,
    CongressBody,
    CongressLevel,
    ContactStage,
    Delegation,
    Deputy,
    Gender,
    HandlingRules,
    HandlingUnit,
    Session,
    UnitKind,
)
from demo.data import (
    CATEGORIES,
    FIELDS,
    MEASURES,
    OUTCOME_TEXTS,
    PROBLEMS,
    REPLY_ACTIONS,
    UNITS,
    NameMaker,
)
from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    Category,
    ContactMethod,
    ContactRecord,
    CoSignature,
    Decision,
    Disposition,
    Evaluation,
    Event,
    Outcome,
    Rating,
    RatingChannel,
    Reply,
    Status,
    Suggestion,
    recount_published,
    recount_statuses,
)

USER_PREFIX = "load-"
PROVINCE = "新疆维吾尔自治区"
PREFECTURES = [
    "伊犁哈萨克自治州",
    "喀什地区",
    "阿克苏地区",
    "巴音郭楞蒙古自治州",
    "乌鲁木齐市",
    "和田地区",
    "塔城地区",
    "阿勒泰地区",
    "哈密市",
    "吐鲁番市",
    "博尔塔拉蒙古自治州",
    "克孜勒苏柯尔克孜自治州",
    "克拉玛依市",
]
REGIONS = [PROVINCE, *PREFECTURES]
PLACES = [
    "伊宁市",
    "奎屯市",
    "霍尔果斯市",
    "喀什市",
    "莎车县",
    "阿克苏市",
    "库车市",
    "库尔勒市",
    "焉耆县",
    "天山区",
    "沙依巴克区",
    "米东区",
    "和田市",
    "塔城市",
    "乌苏市",
    "阿勒泰市",
    "伊州区",
    "高昌区",
    "博乐市",
    "阿图什市",
    "独山子区",
    "昌吉市",
    "石河子市",
    "五家渠市",
    "阜康市",
    "奇台县",
    "玛纳斯县",
    "温泉县",
    "精河县",
    "新源县",
]
SESSIONS_PER_REGION = 19  # years of sessions of one region, current one included
OTHER_SESSION_SIZE = 12_000  # about how many suggestions an older session holds
TOTAL_UNITS = 300
BATCH = 20_000  # rows per COPY / bulk_create

TZ = dt_timezone(timedelta(hours=8))  # Asia/Shanghai: no daylight saving time
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)

# Status mix: (status, weight) for the current session and for past ones.
CURRENT_MIX = [
    (Status.CLOSED, 50),
    (Status.REPLIED, 14),
    (Status.ASSIGNED, 18),
    (Status.REHANDLING, 2),
    (Status.REGISTERED, 2.5),
    (Status.SUBMITTED, 2.5),
    (Status.DRAFT, 2),
    (Status.REJECTED, 4),
    (Status.MERGED, 3),
    (Status.WITHDRAWN, 2),
]
PAST_MIX = [
    (Status.CLOSED, 89),
    (Status.REPLIED, 1),
    (Status.DRAFT, 0.5),
    (Status.REJECTED, 4.5),
    (Status.MERGED, 3.5),
    (Status.WITHDRAWN, 1.5),
]
OUTCOME_MIX = [
    (Outcome.RESOLVED, 62),
    (Outcome.IN_PROGRESS, 24),
    (Outcome.EXPLAINED, 12),
    (Outcome.REFERENCE, 2),
]
RATING_MIX = [
    (Rating.SATISFIED, 84),
    (Rating.BASICALLY_SATISFIED, 12),
    (Rating.DISSATISFIED, 4),
]
CATEGORY_WEIGHTS = [27, 24, 22, 12, 5, 10]  # the order of demo.CATEGORIES

EXTRA_TOPICS = {
    "工交财贸": ["加快冷链物流体系建设", "推进{place}城乡公交一体化", "优化营商环境"],
    "科教文卫": [
        "加强{place}职业教育实训基地建设",
        "推进{place}基层医疗卫生机构标准化建设",
        "加强{place}公共文化服务体系建设",
        "落实乡村医生待遇保障",
    ],
    "农林水牧": ["推进{place}高标准农田建设", "加强{place}草原生态保护修复"],
    "社会建设": ["加快{place}社区综合服务设施建设", "完善{place}婴幼儿照护服务体系"],
    "劳动人事": ["完善基层专业技术人才激励机制", "加强{place}公益性岗位开发管理"],
    "其它": ["加强{place}矛盾纠纷多元化解", "推进{place}法治乡村建设"],
}
CONNECTIVES = [
    "近年来，",
    "从调研情况看，",
    "据了解，",
    "当前，",
    "与此同时，",
    "此外，",
    "特别是",
]
CLOSINGS = [
    "以上建议，请予研究办理。",
    "恳请有关部门认真研究，切实解决群众的急难愁盼问题。",
    "希望相关部门高度重视，加强统筹协调，推动问题早日解决。",
]
COMMENTS = {
    Rating.SATISFIED: ["办理态度认真，答复内容具体，满意。", "问题已解决，感谢。"],
    Rating.BASICALLY_SATISFIED: ["基本满意，希望继续跟踪落实。"],
    Rating.DISSATISFIED: ["答复内容空泛，所提问题未得到实质解决，请重新办理。"],
}
# A department's offices, which some suggestions go to directly.
OFFICES = [
    "办公室",
    "政策法规处",
    "规划发展处",
    "计划财务处",
    "督查室",
    "行政审批处",
    "人事处",
    "综合处",
    "执法监督处",
    "信息中心",
]
UNIT_KIND_BODIES = {
    UnitKind.COURT: ["中级人民法院", "人民法院"],
    UnitKind.PROCURATORATE: ["人民检察院"],
    UnitKind.SUPERVISORY_COMMISSION: ["监察委员会"],
    UnitKind.STANDING_COMMITTEE_BODY: [
        "人大常委会办公室",
        "人大常委会法制工作委员会",
        "人大常委会财政经济工作委员会",
        "人大常委会教育科学文化卫生工作委员会",
        "人大常委会社会建设工作委员会",
        "人大常委会农业与农村工作委员会",
        "人大常委会代表工作委员会",
    ],
    UnitKind.OTHER: ["总工会", "共青团委员会", "妇女联合会", "供销合作社联合社"],
}


def _weighted(rng: random.Random, mix):
    values, weights = zip(*mix, strict=True)
    return values, list(_cumulative(weights))


def _cumulative(weights):
    total = 0
    for w in weights:
        total += w
        yield total


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover


# --- table writers --------------------------------------------------------------------

TABLES = [
    Suggestion,
    CoSignature,
    Assignment,
    Reply,
    ContactRecord,
    Evaluation,
    AdjustmentRequest,
    Event,
]


# Columns the load leaves empty (NULL): no one has declined or been urged yet.
_LEFT_EMPTY = frozenset({"declined_at", "urged_at"})


def _columns(model) -> list[str]:
    return [
        f.attname for f in model._meta.concrete_fields if f.attname not in _LEFT_EMPTY
    ]


class Writer:
    """Collects rows per table and writes them in batches: ``COPY`` on PostgreSQL,
    ``bulk_create`` elsewhere. Suggestions are always written before the rows that
    point at them (the co-signer trigger reads the suggestion)."""

    def __init__(self, say):
        self.postgres = connection.vendor == "postgresql"
        self.columns = {m: _columns(m) for m in TABLES}
        self.rows = {m: [] for m in TABLES}
        self.written = dict.fromkeys(TABLES, 0)
        self.say = say

    def add(self, model, row: tuple) -> None:
        self.rows[model].append(row)

    def maybe_flush(self) -> None:
        if len(self.rows[Suggestion]) >= BATCH or any(
            len(rows) >= 4 * BATCH for rows in self.rows.values()
        ):
            self.flush()

    def flush(self) -> None:
        for model in TABLES:  # in dependency order
            rows = self.rows[model]
            if not rows:
                continue
            if self.postgres:
                self._copy(model, rows)
            else:
                self._bulk(model, rows)
            self.written[model] += len(rows)
            self.rows[model] = []

    def _copy(self, model, rows) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows([tuple(_pg(value) for value in row) for row in rows])
        buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns[model])
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN '
                "WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )

    def _bulk(self, model, rows) -> None:
        columns = self.columns[model]
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows],
            batch_size=500,
        )


def _pg(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{}" if not value else __import__("json").dumps(value)
    return value


# --- the plan -------------------------------------------------------------------------


@dataclass
class SessionPlan:
    region: str
    level: str
    year: int
    term: int
    ordinal: int
    size: int
    current: bool
    session: Session | None = None


def _session_plan(region_index: int, back: int, this_year: int) -> SessionPlan:
    """The session ``back`` years before this year's of the region ``region_index``."""
    year = this_year - back
    # The current term began three years ago: its fourth session is this year's.
    since = year - (this_year - 3)
    return SessionPlan(
        region=REGIONS[region_index],
        level=CongressLevel.PROVINCIAL
        if region_index == 0
        else CongressLevel.PREFECTURE,
        year=year,
        term=15 + math.floor(since / 5),
        ordinal=since % 5 + 1,
        size=0,
        current=back == 0,
    )


def _sized(plans: list[SessionPlan], total: int, largest: int, rng) -> None:
    """The first plan holds ``largest``; the others share the rest, the newer the
    larger."""
    weights = [
        rng.uniform(0.6, 1.4)
        * (1 + 0.04 * (SESSIONS_PER_REGION - (plans[0].year - p.year)))
        for p in plans
    ]
    plans[0].size = min(largest, total)
    rest, others = plans[1:], total - plans[0].size
    if rest:
        w = weights[1:]
        scale = others / sum(w)
        sizes = [max(1, int(x * scale)) for x in w]
        sizes[-1] = max(1, others - sum(sizes[:-1]))
        for p, n in zip(rest, sizes, strict=True):
            p.size = n


def plan_sessions(
    total: int, largest: int, today: date, rng, bodies: int | None = None
) -> list[SessionPlan]:
    """The sessions and their sizes.

    Without ``bodies``: the province's current session holds ``largest``; the rest
    is shared by older sessions of the province and, when they would be too many,
    of prefectures, the newer the larger. With ``bodies``: that many bodies (the
    province and ``bodies - 1`` prefectures) hold an equal share each, laid out the
    same way within each body (its current session holds ``largest`` or its whole
    share if smaller), the first body's sessions first."""
    this_year = today.year if today.month >= 3 else today.year - 1
    if bodies is not None:
        if not 1 <= bodies <= len(REGIONS):
            raise CommandError(f"--bodies must be between 1 and {len(REGIONS)}")
        if total < bodies:
            raise CommandError("--suggestions must be at least --bodies")
        plans = []
        for r in range(bodies):
            share = total // bodies + (1 if r < total % bodies else 0)
            current = min(largest, share)
            older = math.ceil((share - current) / OTHER_SESSION_SIZE)
            own = [
                _session_plan(r, back, this_year)
                for back in range(min(1 + older, SESSIONS_PER_REGION))
            ]
            _sized(own, share, current, rng)
            plans += own
        return plans
    others = total - largest
    count = max(0, math.ceil(others / OTHER_SESSION_SIZE)) if others > 0 else 0
    regions = max(1, math.ceil((count + 1) / SESSIONS_PER_REGION))
    if regions > len(REGIONS):
        raise CommandError(
            "too many suggestions for the regions known; raise --largest"
        )
    slots = []  # (region index, years back)
    for back in range(SESSIONS_PER_REGION):
        for r in range(regions):
            slots.append((r, back))
    plans = [_session_plan(r, back, this_year) for r, back in slots[: count + 1]]
    _sized(plans, total, largest, rng)
    return plans


class Vocabulary:
    """Chinese titles and bodies from the demo's words."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.topics = {c: list(EXTRA_TOPICS[c]) for c in CATEGORIES}
        topic_category = {
            "州教育局": "科教文卫",
            "州科学技术局": "科教文卫",
            "州卫生健康委员会": "科教文卫",
            "州文化体育广播电视和旅游局": "科教文卫",
            "州民政局": "社会建设",
            "州住房和城乡建设局": "社会建设",
            "州人力资源和社会保障局": "劳动人事",
            "州农业农村局": "农林水牧",
            "州水利局": "农林水牧",
            "州林业和草原局": "农林水牧",
            "州公安局": "其它",
            "州司法局": "其它",
        }
        for unit in UNITS:
            category = topic_category.get(unit.name, "工交财贸")
            self.topics[category].extend(unit.topics)

    def title(self, category: str) -> str:
        topic = self.rng.choice(self.topics[category])
        return f"关于{topic.format(place=self.rng.choice(PLACES))}的建议"

    def body(self, category: str, title: str) -> str:
        rng = self.rng
        target = rng.randint(300, 800)
        parts = [f"{title[2:-3]}，事关{FIELDS[category]}，群众十分关注。"]
        length = len(parts[0])
        problems, measures = PROBLEMS[category], MEASURES[category]
        while length < target:
            if rng.random() < 0.5:
                text = f"{rng.choice(CONNECTIVES)}{rng.choice(problems)}。"
            else:
                text = f"建议{rng.choice(measures)}。"
            parts.append(text)
            length += len(text)
        parts.append(rng.choice(CLOSINGS))
        return "".join(parts)

    def reply(self, outcome: str, year: int) -> str:
        rng = self.rng
        texts = OUTCOME_TEXTS.get(outcome) or ["所提建议作为今后工作的参考。"]
        return rng.choice(REPLY_ACTIONS).format(
            amount=rng.randint(20, 900)
        ) + rng.choice(texts).format(year=year, next_year=year + 1)


# --- the command ----------------------------------------------------------------------


class Command(BaseCommand):
    help = "Generate a realistic large data set for benchmarks (see the module doc)."

    def add_arguments(self, parser):
        parser.add_argument("--suggestions", type=int, default=100_000)
        parser.add_argument(
            "--largest",
            type=int,
            default=None,
            help="suggestions of the largest (current) session; default: "
            "min(suggestions, 100000)",
        )
        parser.add_argument(
            "--bodies",
            type=int,
            default=None,
            help="spread the suggestions evenly over this many congress bodies (the "
            "province and prefectures); load-staff and load-leader belong to the "
            "first only. Default: the province, and prefectures only when the "
            "sessions would be too many for it",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first empty every suggestion table and remove an earlier load",
        )

    def handle(self, *args, suggestions, largest, bodies, seed, reset, **options):
        if suggestions < 1:
            raise CommandError("--suggestions must be at least 1")
        largest = min(largest or 100_000, suggestions)
        if largest < 1:
            raise CommandError("--largest must be at least 1")
        self.started = time.monotonic()
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        if reset:
            self.reset()
        elif CongressBody.objects.filter(region__in=REGIONS).exists():
            raise CommandError("a load is already there: add --reset to replace it")
        plans = plan_sessions(suggestions, largest, self.today, self.rng, bodies)
        self.say(
            f"{suggestions} suggestions in {len(plans)} sessions of "
            f"{len({p.region for p in plans})} regions (largest {plans[0].size}) "
            f"on {connection.vendor}"
        )
        with transaction.atomic():
            self.reference(plans)
        self.writer = Writer(self.say)
        saved = self.drop_indexes() if self.writer.postgres else None
        self.count_published(enabled=False)
        loaded = time.monotonic()
        try:
            self.next_ids()
            self.vocab = Vocabulary(self.rng)
            done = 0
            for plan in plans:
                self.fill(plan)
                done += plan.size
                self.writer.maybe_flush()
                self.say(f"  {done}/{suggestions} suggestions written")
            self.writer.flush()
            loaded = time.monotonic()
            rows = sum(self.writer.written.values())
            self.say(
                f"Loaded {rows} rows in {loaded - self.started:.1f} s "
                f"({rows / max(loaded - self.started, 1e-9):,.0f} rows/s)"
            )
        finally:
            if saved is not None:
                self.restore_indexes(saved)
                self.say(f"Indexes rebuilt in {time.monotonic() - loaded:.1f} s")
            self.count_published(enabled=True)
        self.reset_sequences()
        self.say(f"Published suggestions counted in {recount_published()} sessions")
        self.say(f"Statuses counted: {recount_statuses()} (session, status) rows")
        if self.writer.postgres:
            self.say("VACUUM ANALYZE ...")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.monotonic() - self.started
        rows = sum(self.writer.written.values())
        for model, n in self.writer.written.items():
            self.say(f"  {model._meta.db_table}: {n} rows")
        self.say(
            f"Done: {rows} rows in {elapsed:.1f} s ({rows / max(elapsed, 1e-9):,.0f} "
            f"rows/s; {suggestions / max(elapsed, 1e-9):,.0f} suggestions/s)."
        )

    def count_published(self, *, enabled: bool) -> None:
        """Turn PostgreSQL's triggers that keep the published and the status counts
        off for the load (a row-by-row upsert under COPY) and on again; the counts
        are rebuilt after."""
        if not self.writer.postgres:
            return
        switch = "ENABLE" if enabled else "DISABLE"
        with connection.cursor() as cursor:
            for trigger in ("suggestion_published_count", "suggestion_status_count"):
                cursor.execute(
                    f"ALTER TABLE suggestions_suggestion {switch} TRIGGER {trigger}"
                )

    def say(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"[{elapsed:7.1f}s] {text}")
        self.stdout.flush()

    # --- reset and reference data ------------------------------------------------

    def reset(self) -> None:
        self.say("Removing the suggestions and an earlier load ...")
        if connection.vendor == "postgresql":
            tables = ", ".join(m._meta.db_table for m in TABLES)
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} CASCADE")
        else:
            with transaction.atomic():
                Suggestion.objects.exclude(merged_into=None).update(merged_into=None)
                for model in reversed(TABLES):
                    model.objects.all().delete()
        User = get_user_model()
        with transaction.atomic():
            User.objects.filter(username__startswith=USER_PREFIX).delete()
            bodies = CongressBody.objects.filter(region__in=REGIONS)
            congresses = Congress.objects.filter(body__in=bodies)
            Deputy.objects.filter(delegation__congress__in=congresses).delete()
            Delegation.objects.filter(congress__in=congresses).delete()
            Session.objects.filter(congress__in=congresses).delete()
            HandlingRules.objects.filter(congress__in=congresses).delete()
            congresses.delete()
            units = HandlingUnit.objects.filter(body__in=bodies)
            units.exclude(parent=None).delete()  # offices before their departments
            units.delete()
            Category.objects.filter(body__in=bodies).delete()
            bodies.exclude(parent=None).delete()  # prefectures before the province
            bodies.delete()

    def unit_defs(self, regions: list[str]) -> list[tuple[str, str, str, str, str]]:
        """About 300 units shared by the regions in use: (region, name, short name,
        kind, parent's name). Each region has its government, departments, court,
        procuratorate, supervisory commission, standing committee bodies and
        organisations, then offices of its departments (with a parent) up to its
        share."""
        departments = [u for u in UNITS if u.kind == UnitKind.GOVERNMENT][1:]
        share = TOTAL_UNITS // len(regions)
        defs = []
        for region in regions:
            prefix = "自治区" if region == PROVINCE else region
            own = [(f"{region}人民政府", f"{prefix}政府", UnitKind.GOVERNMENT, "")]
            own += [
                (
                    f"{prefix}{u.name[1:]}",
                    f"{prefix}{u.short[1:]}"[:30],
                    UnitKind.GOVERNMENT,
                    "",
                )
                for u in departments
            ]
            for kind, bodies in UNIT_KIND_BODIES.items():
                own += [(f"{prefix}{b}", f"{prefix}{b}"[:30], kind, "") for b in bodies]
            offices = [
                (f"{name}{office}", f"{short}{office}"[:30], kind, name)
                for office in OFFICES
                for name, short, kind, _ in own[1 : len(departments) + 1]
            ]
            own += offices[: max(0, share - len(own))]
            defs += [(region, *d) for d in own[:share]]
        return defs

    def reference(self, plans: list[SessionPlan]) -> None:
        rng = self.rng
        self.say("Reference data: categories, units, congresses, deputies, accounts")
        regions = sorted({p.region for p in plans}, key=REGIONS.index)
        # One congress body per region, the prefectures' under the province's.
        self.body_of = {}
        for region in regions:
            self.body_of[region], _ = CongressBody.objects.get_or_create(
                name=f"{region}人民代表大会",
                defaults={
                    "region": region,
                    "level": CongressLevel.PROVINCIAL
                    if region == PROVINCE
                    else CongressLevel.PREFECTURE,
                    "parent": self.body_of.get(PROVINCE),
                },
            )
        # Each body keeps its own list of categories.
        self.categories_of = {
            region: [
                Category.objects.get_or_create(
                    body=self.body_of[region],
                    name=name,
                    defaults={"position": position},
                )[0]
                for position, name in enumerate(CATEGORIES, start=1)
            ]
            for region in regions
        }
        units, by_name = [], {}
        self.units_of = {region: [] for region in regions}
        for region, name, short, kind, parent in self.unit_defs(regions):
            unit, _ = HandlingUnit.objects.get_or_create(
                body=self.body_of[region],
                name=name,
                defaults={
                    "short_name": short,
                    "kind": kind,
                    "parent": by_name.get(parent),
                },
            )
            by_name[name] = unit
            units.append(unit)
            self.units_of[region].append(unit)
        self.units = units
        # Some units get many more suggestions than others (the busiest about 5%).
        self.unit_weights = {
            region: list(_cumulative(rng.lognormvariate(0, 1) for _ in pool))
            for region, pool in self.units_of.items()
        }
        User = get_user_model()
        password = make_password(None)
        # Staff and a leader of each body: ``load-staff`` and ``load-leader`` of the
        # first (the benchmark's, which sees that body's rows only), ``-2``, ``-3``
        # … of the others; ``load-admin``, a superuser, sees every body's.
        self.staff_of, self.leader_of = {}, {}
        for index, region in enumerate(regions, start=1):
            suffix = "" if index == 1 else f"-{index}"
            for role, name, held in (
                (BodyRole.STAFF, "负荷测试工作人员", self.staff_of),
                (BodyRole.LEADER, "负荷测试领导", self.leader_of),
            ):
                user = User.objects.create(
                    username=f"{USER_PREFIX}{role}{suffix}",
                    name=f"{name}{suffix}",
                    password=password,
                )
                Membership.objects.create(
                    user=user, body=self.body_of[region], role=role
                )
                held[region] = user.pk
        User.objects.create(
            username=f"{USER_PREFIX}admin",
            name="负荷测试管理员",
            password=password,
            is_superuser=True,
            is_staff=True,
        )
        User.objects.bulk_create(
            [
                User(
                    username=f"{USER_PREFIX}unit-{unit.pk}",
                    name=f"{unit}联络员",
                    unit=unit,
                    password=password,
                )
                for unit in units
            ]
        )
        self.clerk_of = dict(
            User.objects.filter(username__startswith=f"{USER_PREFIX}unit-").values_list(
                "unit_id", "pk"
            )
        )
        names = NameMaker(rng)
        congresses = {}
        for plan in plans:
            key = (plan.region, plan.level, plan.term)
            if key not in congresses:
                congress = Congress.objects.create(
                    body=self.body_of[plan.region], ordinal=plan.term
                )
                HandlingRules.objects.create(congress=congress)
                congresses[key] = congress
        self.deputies_of = {}
        for congress in congresses.values():
            places = rng.sample(PLACES, rng.randint(10, 16))
            delegations = Delegation.objects.bulk_create(
                [Delegation(congress=congress, name=f"{p}代表团") for p in places]
            )
            deputies = []
            for _ in range(rng.randint(350, 600)):
                female = rng.random() < 0.3
                ethnicity = rng.choice(["汉族", "汉族", "维吾尔族", "哈萨克族", "回族"])
                deputies.append(
                    Deputy(
                        delegation=rng.choice(delegations),
                        name=names._one(ethnicity, female),  # namesakes are fine
                        gender=Gender.FEMALE if female else Gender.MALE,
                        ethnicity=ethnicity,
                        active=True,
                    )
                )
            Deputy.objects.bulk_create(deputies)
            self.deputies_of[congress.pk] = list(
                Deputy.objects.filter(delegation__congress=congress).values_list(
                    "pk", flat=True
                )
            )
        by_congress_current = {}
        for plan in plans:
            congress = congresses[(plan.region, plan.level, plan.term)]
            opened = date(plan.year, 1, 8 + REGIONS.index(plan.region) % 20)
            if plan.region == PROVINCE:
                opened = date(plan.year, 1, 28)  # the province meets last
            is_current = plan.current and congress.pk not in by_congress_current
            plan.session = Session.objects.create(
                congress=congress,
                ordinal=plan.ordinal,
                year=plan.year,
                opened_on=opened,
                is_current=is_current,
            )
            if is_current:
                by_congress_current[congress.pk] = plan.session
        self.say(
            f"  {len(units)} units, {len(congresses)} congresses, "
            f"{sum(len(v) for v in self.deputies_of.values())} deputies"
        )

    # --- indexes ------------------------------------------------------------------

    def drop_indexes(self) -> list[str]:
        """Drops the big tables' foreign keys, unique constraints and secondary
        indexes; returns the statements that restore them."""
        tables = [m._meta.db_table for m in TABLES]
        restore_constraints, restore_indexes, drops = [], [], []
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, c.conname, c.contype,
                       pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('f', 'u')
                ORDER BY c.contype
                """,
                [tables],
            )
            constraints = cursor.fetchall()
            owned = {name for _, name, _, _ in constraints}
            cursor.execute(
                """
                SELECT tablename, indexname, indexdef FROM pg_indexes
                WHERE tablename = ANY(%s) AND indexname NOT LIKE '%%_pkey'
                """,
                [tables],
            )
            indexes = [row for row in cursor.fetchall() if row[1] not in owned]
        for table, name, _kind, _definition in constraints:
            drops.append(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for table, name, _kind, definition in sorted(
            constraints, key=lambda c: c[2] == "f"
        ):
            restore_constraints.append(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
            )
        for _table, name, definition in indexes:
            drops.append(f'DROP INDEX "{name}"')
            restore_indexes.append(definition)
        self.say(
            f"Dropping {len(indexes)} indexes and {len(constraints)} constraints "
            "of the big tables for the load"
        )
        with connection.cursor() as cursor:
            for statement in drops:
                cursor.execute(statement)
        # Indexes first (the GIN one last: the slowest), then unique, then foreign keys.
        restore_indexes.sort(key=lambda d: "gin" in d)
        return restore_indexes + restore_constraints

    def restore_indexes(self, statements: list[str]) -> None:
        self.say(f"Rebuilding {len(statements)} indexes and constraints ...")
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for statement in statements:
                started = time.monotonic()
                cursor.execute(statement)
                self.say(f"  {statement[:90]} ({time.monotonic() - started:.1f} s)")

    def next_ids(self) -> None:
        self.ids = {}
        for model in TABLES:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self.ids[model] = (last or 0) + 1

    def new_id(self, model) -> int:
        pk = self.ids[model]
        self.ids[model] = pk + 1
        return pk

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), TABLES)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    # --- one session --------------------------------------------------------------

    def fill(self, plan: SessionPlan) -> None:
        rng = self.rng
        w = self.writer
        session = plan.session
        mix_values, mix_cum = _weighted(rng, CURRENT_MIX if plan.current else PAST_MIX)
        out_values, out_cum = _weighted(rng, OUTCOME_MIX)
        rat_values, rat_cum = _weighted(rng, RATING_MIX)
        cat_cum = list(_cumulative(CATEGORY_WEIGHTS))
        units = self.units_of[plan.region]
        unit_cum = self.unit_weights[plan.region]
        deputies = self.deputies_of[session.congress_id]
        opened = datetime(
            session.opened_on.year,
            session.opened_on.month,
            session.opened_on.day,
            9,
            tzinfo=TZ,
        )
        now = self.now
        filed_ids = []
        number = 0
        for _ in range(plan.size):
            status = rng.choices(mix_values, cum_weights=mix_cum)[0]
            if status == Status.MERGED and not filed_ids:
                status = Status.WITHDRAWN
            ci = rng.choices(range(len(CATEGORIES)), cum_weights=cat_cum)[0]
            category = self.categories_of[plan.region][ci]
            title = self.vocab.title(category.name)
            body = self.vocab.body(category.name, title)
            lead_deputy = rng.choice(deputies)
            sid = self.new_id(Suggestion)
            created = opened - timedelta(days=rng.uniform(0, 20))
            submitted = registered = assigned = replied = closed = None
            lead_unit = due = None
            outcome = rating = ""
            round_ = 1
            escalated = key = is_public = False
            merged_into = None
            rejection_reason = disposition = ""
            num = None
            events = [("create", "", Status.DRAFT, created)]
            if status != Status.DRAFT:
                submitted = opened + timedelta(days=rng.uniform(0, 5))
                events.append(("submit", Status.DRAFT, Status.SUBMITTED, submitted))
            if status == Status.WITHDRAWN:
                events.append(
                    (
                        "withdraw",
                        Status.SUBMITTED,
                        Status.WITHDRAWN,
                        submitted + timedelta(days=rng.uniform(0.1, 5)),
                    )
                )
            elif status == Status.REJECTED:
                rejection_reason = "所提内容不属于建议范围，作为来信转有关部门处理。"
                disposition = rng.choice(Disposition.values)
                events.append(
                    (
                        "reject",
                        Status.SUBMITTED,
                        Status.REJECTED,
                        submitted + timedelta(days=rng.uniform(2, 15)),
                    )
                )
            elif status == Status.MERGED:
                merged_into = rng.choice(filed_ids[-200:])
                events.append(
                    (
                        "merge",
                        Status.SUBMITTED,
                        Status.MERGED,
                        submitted + timedelta(days=rng.uniform(2, 15)),
                    )
                )
            elif status not in (Status.DRAFT, Status.SUBMITTED):
                number += 1
                num = number
                filed_ids.append(sid)
                registered = submitted + timedelta(days=rng.uniform(2, 15))
                events.append(
                    ("register", Status.SUBMITTED, Status.REGISTERED, registered)
                )
                key = rng.random() < 0.012
            handled = status in (
                Status.ASSIGNED,
                Status.REPLIED,
                Status.REHANDLING,
                Status.CLOSED,
            )
            if handled:
                ui = rng.choices(range(len(units)), cum_weights=unit_cum)[0]
                lead_unit = units[ui]
                assigned = registered + timedelta(days=rng.uniform(3, 25))
                if assigned > now:
                    assigned = now - timedelta(days=rng.uniform(1, 30))
                events.append(("assign", Status.REGISTERED, Status.ASSIGNED, assigned))
                due = _add_months(assigned.astimezone(TZ).date(), 3)
                rounds = self.handle_rounds(
                    sid,
                    status,
                    lead_unit,
                    assigned,
                    due,
                    plan,
                    out_values,
                    out_cum,
                    rat_values,
                    rat_cum,
                    lead_deputy,
                    events,
                )
                (round_, due, outcome, rating, replied, closed, escalated) = rounds
                is_public = bool(outcome) and rng.random() < 0.6
            self.cosign(sid, lead_deputy, deputies, submitted or created, status)
            w.add(
                Suggestion,
                (
                    sid,
                    session.pk,
                    num,
                    title,
                    body,
                    category.pk,
                    lead_deputy,
                    status,
                    "complex" if rng.random() < 0.05 else "normal",
                    key,
                    self.leader_of[plan.region] if key else None,
                    is_public,
                    merged_into,
                    rejection_reason,
                    disposition,
                    round_,
                    escalated,
                    lead_unit.pk if lead_unit else None,
                    due,
                    outcome,
                    rating,
                    None,  # entered_by: every generated suggestion is a deputy's own
                    "",  # original
                    "",  # original_name
                    created,
                    max(e[3] for e in events),
                    submitted,
                    registered,
                    assigned,
                    replied,
                    closed,
                ),
            )
            for action, from_status, to_status, at in events:
                w.add(
                    Event,
                    (
                        self.new_id(Event),
                        sid,
                        action,
                        None,
                        from_status,
                        to_status,
                        "",
                        {},
                        at,
                    ),
                )
            if len(w.rows[Suggestion]) >= BATCH:
                w.flush()

    def cosign(self, sid, lead, deputies, at, status) -> None:
        rng = self.rng
        n = min(rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 6)), len(deputies) - 1)
        chosen = set()
        while len(chosen) < n:
            d = rng.choice(deputies)
            if d != lead:
                chosen.add(d)
        for d in chosen:
            invited = at - timedelta(days=rng.uniform(0.5, 3))
            signed = (
                None
                if status == Status.DRAFT and rng.random() < 0.5
                else invited + timedelta(hours=rng.uniform(1, 40))
            )
            self.writer.add(
                CoSignature, (self.new_id(CoSignature), sid, d, invited, signed)
            )

    def handle_rounds(
        self,
        sid,
        status,
        unit,
        assigned,
        due,
        plan,
        out_values,
        out_cum,
        rat_values,
        rat_cum,
        lead_deputy,
        events,
    ):
        """The assignments, replies, contacts and ratings of a handled suggestion;
        returns its round, due date, outcome, rating, replied/closed times and
        whether it was escalated."""
        rng = self.rng
        w = self.writer
        now = self.now
        clerk = self.clerk_of[unit.pk]
        # Co-units (one in four suggestions) give their opinion within a month.
        if rng.random() < 0.25:
            for co in rng.sample(self.units_of[plan.region], rng.randint(1, 2)):
                if co.pk == unit.pk:
                    continue
                aid = self.new_id(Assignment)
                co_due = min(_add_months(due, -2), due)
                co_replied = (
                    assigned + timedelta(days=rng.uniform(5, 40))
                    if status != Status.ASSIGNED or rng.random() < 0.6
                    else None
                )
                if co_replied and co_replied > now:
                    co_replied = None
                w.add(
                    Assignment,
                    (
                        aid,
                        sid,
                        co.pk,
                        AssignmentRole.CO,
                        1,
                        assigned,
                        co_due,
                        assigned + timedelta(days=rng.uniform(0.2, 3)),
                        co_replied,
                        True,
                    ),
                )
                if co_replied:
                    self.reply(aid, 1, False, Outcome.RESOLVED, co.pk, co_replied, plan)
        rounds = 2 if status == Status.REHANDLING else 1
        if status == Status.CLOSED and rng.random() < 0.035:
            rounds = 2
        round_due = due
        round_assigned = assigned
        outcome = rating = ""
        replied = closed = None
        escalated = False
        for round_ in range(1, rounds + 1):
            last = round_ == rounds
            aid = self.new_id(Assignment)
            open_now = last and status in (Status.ASSIGNED, Status.REHANDLING)
            if open_now:
                acknowledged = (
                    round_assigned + timedelta(days=rng.uniform(0.2, 4))
                    if rng.random() < 0.8
                    else None
                )
                reply_at = None
            else:
                acknowledged = round_assigned + timedelta(days=rng.uniform(0.2, 4))
                late = rng.random() < 0.08
                window = (round_due - round_assigned.astimezone(TZ).date()).days
                reply_at = round_assigned + timedelta(
                    days=rng.uniform(window * 0.3, window * (1.3 if late else 0.98))
                )
                if reply_at > now:
                    reply_at = now - timedelta(hours=rng.uniform(1, 200))
                    reply_at = max(reply_at, round_assigned + timedelta(hours=2))
            if acknowledged and acknowledged > now:
                acknowledged = None
            w.add(
                Assignment,
                (
                    aid,
                    sid,
                    unit.pk,
                    AssignmentRole.LEAD,
                    round_,
                    round_assigned,
                    round_due,
                    acknowledged,
                    reply_at,
                    True,
                ),
            )
            if open_now and rng.random() < 0.04:
                self.adjustment(
                    aid, clerk, round_assigned, round_due, plan, pending=True
                )
            elif not open_now and rng.random() < 0.03:
                self.adjustment(
                    aid, clerk, round_assigned, round_due, plan, pending=False
                )
            if reply_at is None:
                # Contact may already have happened.
                if rng.random() < 0.4:
                    at = round_assigned + timedelta(days=rng.uniform(1, 10))
                    if at < now:
                        self.contact(aid, clerk, at, ContactStage.BEFORE)
                break
            if rng.random() < 0.88:
                at = round_assigned + (reply_at - round_assigned) * rng.uniform(
                    0.1, 0.9
                )
                self.contact(aid, clerk, at, ContactStage.BEFORE_REPLY)
            outcome = rng.choices(out_values, cum_weights=out_cum)[0]
            self.reply(aid, round_, True, outcome, unit.pk, reply_at, plan)
            replied = reply_at
            from_status = Status.ASSIGNED if round_ == 1 else Status.REHANDLING
            events.append(("reply", from_status, Status.REPLIED, reply_at))
            rated = status in (Status.CLOSED, Status.REHANDLING) or not last
            if not rated:
                rating = ""
                break
            rated_at = reply_at + timedelta(days=rng.uniform(1, 20))
            if rated_at > now:
                rated_at = reply_at + (now - reply_at) * rng.uniform(0.1, 0.9)
            if not last:
                rating = Rating.DISSATISFIED
            else:
                rating = rng.choices(rat_values, cum_weights=rat_cum)[0]
                if rounds == 1 and rating == Rating.DISSATISFIED:
                    # A dissatisfied first rating means another round: keep it simple.
                    rating = Rating.BASICALLY_SATISFIED
            self.writer.add(
                Evaluation,
                (
                    self.new_id(Evaluation),
                    sid,
                    round_,
                    lead_deputy,
                    rating,
                    # The attitude as the result; rated online, by whom not kept.
                    rating,
                    rng.choice(COMMENTS[rating]),
                    RatingChannel.ONLINE,
                    None,
                    None,
                    "",
                    rated_at,
                ),
            )
            if not last:
                events.append(("evaluate", Status.REPLIED, Status.REHANDLING, rated_at))
                round_assigned = rated_at + timedelta(hours=rng.uniform(1, 48))
                if round_assigned > now:
                    round_assigned = rated_at + (now - rated_at) * 0.5
                round_due = _add_months(round_assigned.astimezone(TZ).date(), 1)
                continue
            escalated = rating == Rating.DISSATISFIED
            closed = rated_at
            events.append(("evaluate", Status.REPLIED, Status.CLOSED, rated_at))
        if status == Status.REHANDLING:
            rating = Rating.DISSATISFIED
        return rounds, round_due, outcome, rating, replied, closed, escalated

    def reply(self, aid, round_, is_lead, outcome, unit_id, at, plan) -> None:
        rng = self.rng
        fulfilled = None
        if is_lead and outcome == Outcome.IN_PROGRESS and rng.random() < 0.5:
            later = at + timedelta(days=rng.uniform(60, 400))
            fulfilled = later if later < self.now else None
        self.writer.add(
            Reply,
            (
                self.new_id(Reply),
                aid,
                round_,
                is_lead,
                outcome,
                self.vocab.reply(outcome, plan.year),
                "",
                "",
                "",
                "",  # contact_person
                "",  # contact_phone
                self.clerk_of[unit_id],
                at,
                is_lead and rng.random() < 0.6,
                "",
                fulfilled,
                "已按答复承诺完成。" if fulfilled else "",
                "",  # co_opinion_note
            ),
        )

    def contact(self, aid, clerk, at, stage: str) -> None:
        rng = self.rng
        self.writer.add(
            ContactRecord,
            (
                self.new_id(ContactRecord),
                aid,
                rng.choice(ContactMethod.values),
                stage,
                at,
                "与代表当面沟通了办理思路。",
                clerk,
                at + timedelta(hours=rng.uniform(1, 30)),
            ),
        )

    def adjustment(self, aid, clerk, assigned, due, plan, *, pending: bool) -> None:
        rng = self.rng
        at = assigned + timedelta(days=rng.uniform(5, 40))
        if at > self.now:
            at = assigned + (self.now - assigned) * 0.5
        decided = None if pending else at + timedelta(days=rng.uniform(1, 5))
        self.writer.add(
            AdjustmentRequest,
            (
                self.new_id(AdjustmentRequest),
                aid,
                AdjustmentKind.EXTENSION,
                "涉及多个部门协调，需要更多时间。",
                _add_months(due, 2),
                clerk,
                at,
                Decision.PENDING if pending else Decision.APPROVED,
                None if pending else self.staff_of[plan.region],
                decided,
                "",
                None,
                None if pending else _add_months(due, 2),
            ),
        )

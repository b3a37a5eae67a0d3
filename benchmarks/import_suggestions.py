"""How long importing a 10,000-row workbook of past suggestions takes on
PostgreSQL. A script to run by hand, not a timed test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import \\
        .venv/bin/python benchmarks/import_suggestions.py [--rows 10000]

The database named in ``DATABASE_URL`` is dropped and created afresh, migrated,
and given one congress body with its 16th term (7 delegations, 420 deputies), 60
handling units and 6 categories, and a staff member. A workbook of ``--rows``
suggestions over five past sessions (2019-2023, each created by the import) is
generated in the template's Chinese columns: most closed with a reply class and a
rating, some replied, assigned or only filed; 0-3 co-signers, 0-2 co-units. Then,
each timed: reading the file alone, the dry run, the apply (one transaction), and
the same file again as a dry run and as an apply (every row unchanged). Prints the
figures, the rows written per table and the machine.
"""

import argparse
import io
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
CATEGORIES = ["工交财贸", "科教文卫", "农林水牧", "社会建设", "劳动人事", "其它"]
PLACES = ["昌吉市", "阜康市", "呼图壁县", "玛纳斯县", "奇台县", "吉木萨尔县", "木垒县"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文"


def recreate_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
            )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def configure_django(url: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def reference_data(rng: random.Random):
    """The body, its term, delegations, deputies, units, categories and staff."""
    from accounts.models import BodyRole, Membership, User
    from congress.models import (
        Congress,
        CongressBody,
        CongressLevel,
        Delegation,
        Deputy,
        HandlingUnit,
        UnitKind,
    )
    from suggestions.models import Category

    body = CongressBody.objects.create(
        name="昌吉回族自治州人民代表大会",
        short_name="昌吉州人大",
        region="昌吉回族自治州",
        level=CongressLevel.PREFECTURE,
    )
    congress = Congress.objects.create(body=body, ordinal=16)
    names = set()
    while len(names) < 420:
        names.add(rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN]))
    names = sorted(names)
    delegations = [
        Delegation.objects.create(congress=congress, name=f"{p}代表团") for p in PLACES
    ]
    Deputy.objects.bulk_create(
        Deputy(delegation=delegations[i % len(delegations)], name=n)
        for i, n in enumerate(names)
    )
    kinds = [UnitKind.GOVERNMENT] * 45 + [UnitKind.STANDING_COMMITTEE_BODY] * 8
    kinds += [UnitKind.COURT, UnitKind.PROCURATORATE, UnitKind.SUPERVISORY_COMMISSION]
    kinds += [UnitKind.OTHER] * 4
    units = [f"州单位{i:02d}局" for i in range(len(kinds))]
    HandlingUnit.objects.bulk_create(
        HandlingUnit(body=body, name=n, kind=k)
        for n, k in zip(units, kinds, strict=True)
    )
    for i, name in enumerate(CATEGORIES):
        Category.objects.create(body=body, name=name, position=i)
    staff = User.objects.create_user("bench-staff", password="x" * 20)
    Membership.objects.create(user=staff, body=body, role=BodyRole.STAFF)
    return body, staff, names, units


def make_workbook(rows: int, rng: random.Random, deputies, units) -> bytes:
    from django.utils import translation
    from openpyxl import Workbook

    from imports.columns import COLUMNS

    with translation.override("zh-hans"):
        headers = [str(c.label) for c in COLUMNS["suggestions"]]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    sessions = [(16, s, 2018 + s) for s in range(1, 6)]
    per_session = -(-rows // len(sessions))
    for i in range(rows):
        term, ordinal, year = sessions[i // per_session]
        number = i % per_session + 1
        opened = date(year, 1, 8)
        submitted = opened + timedelta(days=rng.randint(0, 4))
        kind = rng.random()
        lead = rng.choice(deputies)
        co = [d for d in rng.sample(deputies, rng.choice((0, 1, 1, 2, 3))) if d != lead]
        unit = rng.choice(units)
        co_units = [u for u in rng.sample(units, rng.choice((0, 0, 1, 2))) if u != unit]
        row = {
            "届次": term,
            "会次": ordinal,
            "年份": year,
            "开幕日期": opened,
            "编号": number,
            "标题": f"关于{rng.choice(PLACES)}{rng.choice(CATEGORIES)}工作的建议（{i}）",
            "内容": "近年来，我州在该领域取得了明显成效，但仍存在一些问题。" * 10,
            "领衔代表": lead,
            "附议代表": "、".join(co),
            "类别": rng.choice(CATEGORIES),
            "提交日期": submitted,
        }
        if kind > 0.05:  # assigned
            assigned = submitted + timedelta(days=rng.randint(20, 40))
            row.update(
                {
                    "主办单位": unit,
                    "协办单位": "、".join(co_units),
                    "交办日期": assigned,
                }
            )
            if kind > 0.10:  # replied
                replied = assigned + timedelta(days=rng.randint(30, 100))
                row.update(
                    {
                        "答复日期": replied,
                        "答复类别": rng.choice("AAAAABBC"),
                        "答复内容": "经研究，已会同有关部门落实。",
                    }
                )
                if kind > 0.15:  # rated and closed
                    rating = rng.choice(["满意"] * 8 + ["基本满意"] * 2 + ["不满意"])
                    row.update(
                        {
                            "代表评价": rating,
                            "办结日期": replied + timedelta(days=rng.randint(3, 20)),
                        }
                    )
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(label, function):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print(f"  {label:<34} {elapsed:7.2f} s")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", ""), help="PostgreSQL"
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL (or --database-url) to a PostgreSQL database.")
    recreate_database(args.database_url)
    configure_django(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from imports.columns import COLUMNS
    from imports.services import import_run
    from imports.workbook import read_sheet
    from suggestions.models import (
        Assignment,
        CoSignature,
        Evaluation,
        Event,
        Reply,
        Suggestion,
    )

    rng = random.Random(args.seed)  # noqa: S311 (test data)
    body, staff, deputies, units = reference_data(rng)
    content, _t = timed(
        f"generate a {args.rows:,}-row workbook",
        lambda: make_workbook(args.rows, rng, deputies, units),
    )
    print(f"  (workbook {len(content) / 1e6:.1f} MB)")

    def run(dry_run):
        report = import_run(
            actor=staff,
            body=body,
            kind="suggestions",
            file=io.BytesIO(content),
            dry_run=dry_run,
        )
        if report.errors:
            sys.exit(f"errors: {report.errors[:5]}")
        return report

    _r, _read = timed(
        "read the file (openpyxl)",
        lambda: read_sheet(io.BytesIO(content), COLUMNS["suggestions"]),
    )
    dry, dry_s = timed("dry run", lambda: run(True))
    spent: dict[str, float] = {}

    def clock_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = sql.split()
            key = " ".join(words[:3]) if words else "?"
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - started

    with connection.execute_wrapper(clock_sql):
        applied, apply_s = timed("apply (one transaction)", lambda: run(False))
    for key, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:6]:
        print(f"    in SQL {key[:60]:<60} {seconds:6.2f} s")
    timed("same file again, dry run", lambda: run(True))
    reapplied, reapply_s = timed("same file again, apply", lambda: run(False))
    print(f"  dry run:  {dry.as_dict() | {'errors': len(dry.errors)}}")
    print(f"  apply:    {applied.as_dict() | {'errors': len(applied.errors)}}")
    print(f"  re-apply: {reapplied.as_dict() | {'errors': len(reapplied.errors)}}")
    for model in (Suggestion, CoSignature, Assignment, Reply, Evaluation, Event):
        print(f"  {model._meta.db_table}: {model.objects.count():,} rows")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"\n{args.rows:,} rows on PostgreSQL {server}: dry run {dry_s:.1f} s, apply "
        f"{apply_s:.1f} s, re-import (unchanged) {reapply_s:.1f} s; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )


if __name__ == "__main__":
    main()

"""How fast the dashboard and the lists answer on a large data set. A script
to run by hand (``make benchmark``), not a timed test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_bench \\
        .venv/bin/python benchmarks/dashboard_lists.py [--scales 100k,1m] [--runs 30]
                                                       [--bodies 8]

Two scales: ``100k`` (100,000 suggestions) and ``1m`` (a 1,000,000-suggestion
archive), spread evenly over ``--bodies`` congress bodies (default 8: the province
and seven prefectures, ``generate_load --bodies``); each body's current session holds
at most 100,000 (so 12,500 at 100k over 8 bodies, 100,000 at 1M). The staff member
and the clerk are of the first body: every list and figure is that body's, the body
scope applied (1/8 of the rows); a superuser's unscoped list over every body is timed
too. ``--bodies 0`` is the earlier layout (the province's session holds 100,000, the
rest in older sessions). Each scale has its own PostgreSQL database, the name of
``DATABASE_URL``'s database plus ``_100k`` or ``_1m`` (and ``_8b`` for 8 bodies); it
is created, migrated and filled with ``generate_load`` when it does not hold that
load yet (``--regenerate`` forces it).
``refresh_statistics --all`` runs first when the project has that command.

Then, for the first body's largest session, each page and API answer is requested through
Django's test client, logged in as a staff member or as the clerk of the unit with
the most suggestions in that session (the public list: by nobody logged in):
``--warmup`` runs, then ``--runs`` timed ones;
the table gives the median and 95th percentile in milliseconds, the number of
queries of one request, and the median as a multiple of the bare SQL aggregate
"count by category" run on the same connection (the bare aggregates the dashboard
needs are timed in the same run and listed too). URLs that do not exist in this
checkout are listed as skipped.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SCALES = {
    "100k": {"suggestions": 100_000, "largest": 100_000},
    "1m": {"suggestions": 1_000_000, "largest": 100_000},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="100k,1m")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL URL; its database name gets the scale as a suffix",
    )
    parser.add_argument(
        "--bodies",
        type=int,
        default=8,
        help="congress bodies the rows are spread over (0: the earlier layout)",
    )
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL (or --database-url) to a PostgreSQL database.")
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    for scale in scales:
        if scale not in SCALES:
            sys.exit(f"unknown scale {scale!r}: choose from {', '.join(SCALES)}")
    # Each scale runs in a fresh interpreter: Django binds one database per process.
    if len(scales) > 1:
        for scale in scales:
            command = [sys.executable, __file__, "--scales", scale]
            command += ["--runs", str(args.runs), "--warmup", str(args.warmup)]
            command += ["--database-url", args.database_url]
            command += ["--bodies", str(args.bodies)]
            if args.regenerate:
                command.append("--regenerate")
            subprocess.run(command, check=True)  # noqa: S603 (this script, again)
        return
    run_scale(scales[0], args)


def scale_url(url: str, scale: str, bodies: int = 0) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + f"_{scale}"
    if bodies > 1:
        name += f"_{bodies}b"
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
                )
                print(f"created database {name}")
    finally:
        conn.close()


def configure_django(url: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "false"  # no query log, production-like templates
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    # Plain HTTP as behind a TLS-terminating proxy (otherwise every request is a 301).
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    # The test client's host, allowed. Not ``setup_test_environment()``: it makes
    # every template render send a signal on which the test client copies the
    # context (about 130 renders a list page, its includes and widgets), a cost the
    # served site does not have.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def run_scale(scale: str, args) -> None:
    url = scale_url(args.database_url, scale, args.bodies)
    ensure_database(url)
    configure_django(url)
    from django.core.management import call_command, get_commands

    from suggestions.models import Suggestion

    call_command("migrate", verbosity=0)
    size = dict(SCALES[scale], bodies=args.bodies or None)
    if size["bodies"]:
        size["largest"] = min(size["largest"], size["suggestions"] // size["bodies"])
    if args.regenerate or not loaded(size):
        started = time.perf_counter()
        call_command(
            "generate_load",
            suggestions=size["suggestions"],
            largest=size["largest"],
            bodies=size["bodies"],
            reset=True,
        )
        print(f"generated in {time.perf_counter() - started:.0f} s")
    if "refresh_statistics" in get_commands():
        started = time.perf_counter()
        call_command("refresh_statistics", all=True)
        print(f"refresh_statistics --all: {time.perf_counter() - started:.1f} s")
    else:
        print("refresh_statistics: not in this checkout (the dashboard runs live)")
    print()
    print(header(scale, Suggestion.objects.count(), size["bodies"]))
    print()
    Bench(args.runs, args.warmup).run()


def loaded(size) -> bool:
    from django.db.models import Count

    from congress.models import CongressBody, Session
    from suggestions.models import Suggestion

    if Suggestion.objects.count() != size["suggestions"]:
        return False
    bodies = CongressBody.objects.filter(congresses__sessions__isnull=False)
    if size["bodies"] and bodies.distinct().count() != size["bodies"]:
        return False
    biggest = Session.objects.annotate(n=Count("suggestions")).order_by("-n").first()
    return biggest is not None and biggest.n == size["largest"]


def header(scale: str, total: int, bodies: int | None) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split(" ")[0]
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    spread = f" over {bodies} bodies (staff of the first)" if bodies else ""
    return (
        f"### Scale {scale}: {total:,} suggestions{spread} — "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, PostgreSQL {server}, "
        f"{os.cpu_count()} CPUs{memory}, Python {platform.python_version()}"
    )


def percentile(values, p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Bench:
    def __init__(self, runs: int, warmup: int):
        self.runs, self.warmup = runs, warmup
        self.rows = []

    def time(self, fn) -> tuple[float, float]:
        for _ in range(self.warmup):
            fn()
        samples = []
        for _ in range(self.runs):
            started = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples), percentile(samples, 0.95)

    def run(self) -> None:
        from django.db import connection
        from django.db.models import Count
        from django.test import Client
        from django.urls import Resolver404, resolve

        from accounts.models import User
        from congress.models import Session
        from demo.management.commands.generate_load import USER_PREFIX
        from suggestions.models import (
            PUBLISHED,
            Assignment,
            Category,
            Status,
            Suggestion,
        )

        staff = User.objects.get(username=f"{USER_PREFIX}staff")
        # The largest session of the staff member's body (generate_load makes them
        # staff of one body).
        session = (
            Session.objects.filter(congress__body_id__in=staff.staff_body_ids)
            .annotate(n=Count("suggestions"))
            .order_by("-n")
            .first()
        )
        sid = session.pk
        superuser = User.objects.filter(
            username=f"{USER_PREFIX}admin", is_superuser=True
        ).first()
        unit_id = (
            Suggestion.objects.filter(session=session, lead_unit__isnull=False)
            .values("lead_unit")
            .annotate(n=Count("id"))
            .order_by("-n")[0]["lead_unit"]
        )
        clerk = User.objects.get(unit_id=unit_id, username__startswith=USER_PREFIX)
        category = Category.objects.order_by("position").first().pk
        as_staff, as_clerk, as_admin = Client(), Client(), Client()
        as_staff.force_login(staff)
        as_clerk.force_login(clerk)
        if superuser is not None:
            as_admin.force_login(superuser)
        # As the WSGI entry point does (config/runtime.py): the loaded objects are
        # kept out of the garbage collector's full walks.
        from config.runtime import settle

        settle()

        in_session = Suggestion.objects.filter(session=session).exclude(
            status=Status.DRAFT
        )
        n_session = in_session.count()
        in_body = Suggestion.objects.filter(
            session__congress__body_id__in=staff.staff_body_ids
        )
        n_all = in_body.exclude(status=Status.DRAFT).count()
        n_every = Suggestion.objects.exclude(status=Status.DRAFT).count()
        print(
            f"staff of one body: session {sid} ({n_session:,} suggestions but drafts), "
            f"the body {n_all:,}, every body {n_every:,}"
        )
        print()
        n_filtered = in_session.filter(
            status=Status.CLOSED, category_id=category
        ).count()
        n_clerk = Assignment.objects.filter(unit_id=unit_id).count()

        def deep(n: int) -> int:
            return max(1, (n + 24) // 25 - 1)

        bare = self.bare_sql(sid)
        base = bare["count by category"][0]

        requests = [
            ("Dashboard API", as_staff, f"/api/v1/dashboard/?session={sid}"),
            ("Dashboard page", as_staff, f"/dashboard/?session={sid}"),
            ("League table", as_staff, f"/dashboard/units/?session={sid}"),
            ("Trend API", as_staff, f"/api/v1/dashboard/trend/?session={sid}"),
        ]
        for label, prefix in (
            ("List page", "/suggestions/"),
            ("List API", "/api/v1/suggestions/"),
        ):
            requests += [
                (f"{label}, session, page 1", as_staff, f"{prefix}?session={sid}"),
                (
                    f"{label}, session, page {deep(n_session)} (deep)",
                    as_staff,
                    f"{prefix}?session={sid}&page={deep(n_session)}",
                ),
                (f"{label}, all sessions, page 1", as_staff, prefix),
                (
                    f"{label}, all sessions, page {deep(n_all)} (deep)",
                    as_staff,
                    f"{prefix}?page={deep(n_all)}",
                ),
                (
                    f"{label}, closed + category, page 1",
                    as_staff,
                    f"{prefix}?session={sid}&status=closed&category={category}",
                ),
                (
                    f"{label}, closed + category, page {deep(n_filtered)} (deep)",
                    as_staff,
                    f"{prefix}?session={sid}&status=closed&category={category}"
                    f"&page={deep(n_filtered)}",
                ),
                (f"{label}, search 教育", as_staff, f"{prefix}?session={sid}&q=教育"),
                (
                    f"{label}, search 教育 all sessions",
                    as_staff,
                    f"{prefix}?q=教育",
                ),
                (
                    f"{label}, search 冷链物流 (rare)",
                    as_staff,
                    f"{prefix}?session={sid}&q=冷链物流",
                ),
                (
                    f"{label}, search 教 (1 char)",
                    as_staff,
                    f"{prefix}?session={sid}&q=教",
                ),
            ]
        if superuser is not None:
            # Unscoped: a superuser's list over every body, for comparison.
            requests += [
                (
                    "List API, every body (superuser), page 1",
                    as_admin,
                    "/api/v1/suggestions/",
                ),
                (
                    f"List API, every body (superuser), page {deep(n_every)} (deep)",
                    as_admin,
                    f"/api/v1/suggestions/?page={deep(n_every)}",
                ),
            ]
        # One suggestion of the session read whole: a closed one, with its
        # assignments, replies, evaluation and timeline (the most visited page).
        closed = (
            in_session.filter(status=Status.CLOSED, assignments__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if closed is not None:
            requests += [
                ("Suggestion detail page", as_staff, f"/suggestions/{closed}/"),
                ("Suggestion detail API", as_staff, f"/api/v1/suggestions/{closed}/"),
            ]
        requests += [
            ("Unit's assignments page", as_clerk, "/assignments/"),
            ("Unit's assignments page, all tab", as_clerk, "/assignments/?tab=all"),
            (
                f"Unit's assignments page, all tab, page {deep(n_clerk)} (deep)",
                as_clerk,
                f"/assignments/?tab=all&page={deep(n_clerk)}",
            ),
            ("Assignments API (unit)", as_clerk, "/api/v1/assignments/"),
            (
                f"Assignments API (unit), page {deep(n_clerk)} (deep)",
                as_clerk,
                f"/api/v1/assignments/?page={deep(n_clerk)}",
            ),
            ("Suggestions API (unit)", as_clerk, "/api/v1/suggestions/"),
        ]
        # The public's home, and the list of published replies of the body with
        # the most, by anyone not logged in.
        busiest = (
            Suggestion.objects.filter(PUBLISHED)
            .values("session__congress__body")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        ) or {"session__congress__body": 0, "n": 0}
        n_public = busiest["n"]
        public = f"/public/bodies/{busiest['session__congress__body']}/"
        anonymous = Client()
        requests += [
            ("Public home (bodies)", anonymous, "/public/"),
            ("Public list, page 1", anonymous, public),
            (
                f"Public list, page {deep(n_public) // 2} (middle)",
                anonymous,
                f"{public}?page={deep(n_public) // 2}",
            ),
            (
                f"Public list, page {deep(n_public)} (deep)",
                anonymous,
                f"{public}?page={deep(n_public)}",
            ),
            ("Public list, category", anonymous, f"{public}?category={category}"),
            ("Public list, search 教育", anonymous, f"{public}?q=教育"),
            ("Public list, search 冷链物流 (rare)", anonymous, f"{public}?q=冷链物流"),
        ]

        print("| What | Queries | Median ms | p95 ms | × bare SQL |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label, client, url in requests:
            path = url.split("?")[0]
            try:
                resolve(path)
            except Resolver404:
                print(f"| {label} (`{url}`) | — | skipped: no such URL here | | |")
                continue
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                response = client.get(url)
            if response.status_code != 200:
                print(f"| {label} (`{url}`) | — | HTTP {response.status_code} | | |")
                continue
            median, p95 = self.time(lambda c=client, u=url: c.get(u))
            print(
                f"| {label} (`{url}`) | {len(queries)} | {median:.1f} | {p95:.1f} | "
                f"{median / base:.1f} |",
                flush=True,
            )
        for label, (median, p95) in bare.items():
            print(
                f"| bare SQL: {label} | 1 | {median:.1f} | {p95:.1f} | "
                f"{median / base:.1f} |"
            )

    def bare_sql(self, sid: int) -> dict[str, tuple[float, float]]:
        """The aggregates the dashboard needs, as raw SQL over the session."""
        from django.db import connection

        queries = {
            "count by category": """
                SELECT category_id, count(*) FROM suggestions_suggestion
                WHERE session_id = %s AND status IN ('registered', 'assigned', 'replied', 'rehandling', 'closed') GROUP BY 1""",
            "count by lead unit": """
                SELECT lead_unit_id, count(*) FROM suggestions_suggestion
                WHERE session_id = %s AND status IN ('registered', 'assigned', 'replied', 'rehandling', 'closed') GROUP BY 1""",
            "count by delegation": """
                SELECT d.delegation_id, count(*) FROM suggestions_suggestion s
                JOIN congress_deputy d ON d.id = s.lead_deputy_id
                WHERE s.session_id = %s AND s.status IN ('registered', 'assigned', 'replied', 'rehandling', 'closed') GROUP BY 1""",
            "count by status, outcome, rating": """
                SELECT status, outcome, rating, count(*) FROM suggestions_suggestion
                WHERE session_id = %s GROUP BY 1, 2, 3""",
            "overdue now by unit": """
                SELECT lead_unit_id, count(*) FROM suggestions_suggestion
                WHERE session_id = %s AND status IN ('assigned', 'rehandling')
                AND due_at < current_date GROUP BY 1""",
            "lead replies on time by unit": """
                SELECT a.unit_id, count(*),
                       count(*) FILTER (WHERE a.replied_at::date <= a.due_at)
                FROM suggestions_assignment a
                JOIN suggestions_suggestion s ON s.id = a.suggestion_id
                WHERE s.session_id = %s AND s.status IN ('registered', 'assigned', 'replied', 'rehandling', 'closed')
                AND a.role = 'lead' AND a.round = 1 AND a.active
                AND a.replied_at IS NOT NULL GROUP BY 1""",
        }
        results = {}
        with connection.cursor() as cursor:
            for label, sql in queries.items():

                def run(sql=sql):
                    cursor.execute(sql, [sid])
                    cursor.fetchall()

                results[label] = self.time(run)
        return results


if __name__ == "__main__":
    main()

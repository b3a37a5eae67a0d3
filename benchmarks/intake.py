"""How fast the smart intake answers with a 100,000-suggestion history on
PostgreSQL. A script to run by hand (``make benchmark-intake``), not a timed test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_bench \\
        .venv/bin/python benchmarks/intake.py [--suggestions 100000] [--runs 100]

The database is the name of ``DATABASE_URL``'s plus ``_intake``; it is created,
migrated and filled by ``generate_load --bodies 1`` (one body: every suggestion is
its history) when it does not hold that load yet (``--regenerate`` forces it).
Then the body's index is built (``build_intake_index``: its time and size are
printed) and loaded once, as a process does on its first question, and for
``--runs`` suggestions of the current session, drawn at random, each call is timed
through Django's test client as the body's staff member (``load-staff``) — the API's
similar-to-a-draft (``POST /api/v1/suggestions/similar/``), similar-to-a-suggestion
and recommendation (``GET /api/v1/suggestions/{id}/similar|recommendation/``) — and
the engine's functions called directly. The table gives the median and 95th
percentile in milliseconds and the queries of one call.
"""

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggestions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the benchmark is for it).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_intake"
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(BASE_DIR))
    prepare(name, args)

    import django

    django.setup()
    measure(args)


def run(*command: str) -> None:
    manage = [sys.executable, str(BASE_DIR / "manage.py"), *command]
    subprocess.run(manage, check=True, cwd=BASE_DIR)  # noqa: S603 (manage.py)


def prepare(name: str, args) -> None:
    import psycopg2

    admin = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres")
    connection = psycopg2.connect(urlunsplit(admin))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and args.regenerate:
            cursor.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    run("migrate", "-v", "0")
    count = subprocess.run(  # noqa: S603 (manage.py)
        [
            sys.executable,
            str(BASE_DIR / "manage.py"),
            "shell",
            "-c",
            "from suggestions.models import Suggestion; "
            "print(Suggestion.objects.count())",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
    ).stdout.split()[-1]
    if int(count) != args.suggestions:
        run(
            "generate_load",
            "--reset",
            "--bodies",
            "1",
            "--suggestions",
            str(args.suggestions),
            "--largest",
            str(args.suggestions // 5),
        )
    started = time.perf_counter()
    run("build_intake_index")
    print(f"index built in {time.perf_counter() - started:.1f} s (with start-up)")


def timed(call, runs: int, warmup: int):
    from django.db import connection, reset_queries

    for argument in runs[:warmup]:
        call(argument)
    times, queries = [], []
    for argument in runs[warmup:]:
        reset_queries()
        started = time.perf_counter()
        call(argument)
        times.append((time.perf_counter() - started) * 1000)
        queries.append(len(connection.queries))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(queries)


def measure(args) -> None:
    import resource

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from congress.models import Session
    from suggestions import intake
    from suggestions.intake import index
    from suggestions.models import Status, Suggestion

    # The test client's host, allowed (not ``setup_test_environment()``, whose
    # context copying on each template render the served site does not have).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = True  # connection.queries
    staff = User.objects.get(username="load-staff")
    session = Session.objects.filter(is_current=True).first()
    body = session.congress.body
    total = Suggestion.objects.filter(session__congress__body=body).count()
    pool = list(
        Suggestion.objects.filter(session=session)
        .exclude(status=Status.DRAFT)
        .values_list("pk", flat=True)
    )
    rng = random.Random(7)  # noqa: S311 (a sample, not a secret)
    picks = [rng.choice(pool) for _ in range(args.runs + args.warmup)]
    texts = dict(Suggestion.objects.filter(pk__in=picks).values_list("pk", "title"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    live = index.live(body.pk)
    loaded = (time.perf_counter() - started) * 1000
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    shape = live.base.by_feature.shape
    client = Client()
    client.force_login(staff)

    def api(method, path, data=None):
        response = (
            client.post(path, data, content_type="application/json")
            if method == "post"
            else client.get(path)
        )
        if response.status_code == 404 and "/api/" in path:
            raise LookupError(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")

    calls = [
        (
            "API: similar to a draft (POST similar/)",
            lambda pk: api(
                "post",
                "/api/v1/suggestions/similar/",
                {"title": texts[pk] + "的补充", "session": session.pk},
            ),
        ),
        (
            "API: similar to a suggestion",
            lambda pk: api("get", f"/api/v1/suggestions/{pk}/similar/"),
        ),
        (
            "API: recommendation",
            lambda pk: api("get", f"/api/v1/suggestions/{pk}/recommendation/"),
        ),
        (
            "engine: similar_to_text",
            lambda pk: intake.similar_to_text(staff, body, texts[pk] + "的补充"),
        ),
        (
            "engine: similar_to (same session)",
            lambda pk: intake.similar_to(
                staff, Suggestion.objects.get(pk=pk), scope="same_session"
            ),
        ),
        (
            "engine: recommend",
            lambda pk: intake.recommend(
                Suggestion.objects.select_related("session__congress").get(pk=pk)
            ),
        ),
    ]
    print()
    print(
        f"Smart intake, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} cores, PostgreSQL {connection.pg_version // 10000}"
    )
    print(
        f"history: {total:,} suggestions of one body; index {shape[0]:,} features "
        f"× {shape[1]:,} suggestions, {live.base.by_feature.nnz:,} entries; "
        f"loaded in {loaded:.0f} ms, +{grown:.0f} MB resident"
    )
    print(f"{'call':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, call in calls:
        try:
            median, p95, queries = timed(call, picks, args.warmup)
        except LookupError as missing:
            print(f"{label:<44} skipped: {missing} not in this checkout")
            continue
        print(f"{label:<44} {median:>10.1f} {p95:>8.1f} {queries:>8.0f}")


if __name__ == "__main__":
    main()

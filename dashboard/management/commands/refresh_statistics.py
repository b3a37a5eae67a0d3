"""Recompute the statistics snapshots: ``refresh_statistics --session 2`` or ``--all``
(after loading data in bulk, which passes no workflow hook)."""

import time

from django.core.management.base import BaseCommand

from congress.management import BODY_HELP, session_option
from dashboard import statistics


class Command(BaseCommand):
    help = "Recompute the dashboard statistics snapshot of one session or of all."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--session", help="A session id, or 'current'.")
        which.add_argument("--all", action="store_true", help="Every session.")
        parser.add_argument("--body", help=f"With --session current: {BODY_HELP}")
        parser.add_argument(
            "--stale",
            action="store_true",
            help="With --all: only the stale or missing snapshots.",
        )

    def handle(self, *args, session=None, body=None, all=False, stale=False, **options):
        started = time.perf_counter()
        if all:
            count = statistics.refresh_all(only_stale=stale)
        else:
            statistics.refresh(session_option(session, body=body))
            count = 1
        elapsed = time.perf_counter() - started
        self.stdout.write(f"statistics refreshed: {count} session(s), {elapsed:.2f} s")

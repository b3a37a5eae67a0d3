"""Print a session's dashboard figures: ``stats --session current --json``."""

import json

from django.core.management.base import BaseCommand

from congress.management import BODY_HELP, session_option
from dashboard.statistics import session_statistics


class Command(BaseCommand):
    help = "Print the dashboard statistics of a session (by id, or 'current')."

    def add_arguments(self, parser):
        parser.add_argument(
            "--session", default="current", help="A session id, or 'current'."
        )
        parser.add_argument("--body", help=BODY_HELP)
        parser.add_argument(
            "--json", action="store_true", help="Print the API's dashboard JSON."
        )

    def handle(self, *args, session: str, body, json: bool, **options):
        chosen = session_option(session, body=body)
        figures = session_statistics(chosen)
        if json:
            self.stdout.write(_dumps(figures))
            return
        self.stdout.write(str(chosen))
        for key, value in figures.items():
            if not isinstance(value, list | dict):
                self.stdout.write(f"  {key}: {'—' if value is None else value}")
        for key in ("outcomes", "ratings"):
            parts = ", ".join(f"{k} {v}" for k, v in figures[key].items())
            self.stdout.write(f"  {key}: {parts}")
        for key, label in (("by_category", "category"), ("by_handler_group", "group")):
            parts = ", ".join(f"{row[label]} {row['count']}" for row in figures[key])
            self.stdout.write(f"  {key}: {parts}")


def _dumps(figures: dict) -> str:
    return json.dumps(figures, ensure_ascii=False, indent=2)

"""``load_demo``: the 16th Changji Prefecture People's Congress demo (demo.loader)."""

from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.loader import load_demo


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = (
        "Load the demo data: the 16th Changji Prefecture People's Congress, its "
        "deputies, units, the 2022 and 2023 sessions and a current session; the "
        "county congresses of 昌吉市 and 玛纳斯县 beside it; and demo accounts. "
        "Does nothing if the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo data (and its accounts) first, then load it again.",
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="Build the current session as of this day (default: today).",
        )

    def handle(self, *args, reset: bool, today: date | None, **options):
        try:
            load_demo(today=today, reset=reset, stdout=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from error
        call_command("refresh_statistics", "--all", stdout=self.stdout)

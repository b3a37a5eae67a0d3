"""Run one reminder sweep now (for operators and cron users)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from notifications import reminders, services


class Command(BaseCommand):
    help = "Send the reminders (催办) owed today; sending twice is impossible."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Sweep as of this day (YYYY-MM-DD).")
        parser.add_argument(
            "--digests", action="store_true", help="Also send the weekly digests."
        )
        parser.add_argument(
            "--deliver",
            action="store_true",
            help="Deliver pending e-mail/SMS in this process instead of a worker.",
        )

    def handle(self, *args, date: str | None, digests: bool, deliver: bool, **opts):
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError:
                raise CommandError(f"Not a date: {date!r} (use YYYY-MM-DD).") from None
        result = reminders.sweep(today=today)
        self.stdout.write(
            f"Reminders: {result.reminders} new, {result.notifications} messages."
        )
        if digests:
            digest = reminders.send_digests(today=today)
            self.stdout.write(f"Digests: {digest.notifications} messages.")
        if deliver:
            sent = services.deliver_pending(limit=100_000)
            self.stdout.write(f"Delivered {sent} e-mail/SMS copies.")


def _parse(value: str) -> date:
    return date.fromisoformat(value)

"""``build_intake_index``: rebuild the smart intake's vectors (suggestions.intake.index)
now, for every congress body or the ones named; the nightly task does the same."""

from time import perf_counter

from django.core.management.base import BaseCommand

from congress.models import CongressBody
from suggestions.intake import index


class Command(BaseCommand):
    help = (
        "Rebuild the smart intake's index of each congress body (or of --body): the "
        "vectors of its suggestions and its units' centroids."
    )

    def add_arguments(self, parser):
        parser.add_argument("--body", type=int, action="append", help="A body's id.")

    def handle(self, *args, body, **options):
        bodies = CongressBody.objects.order_by("pk")
        if body:
            bodies = bodies.filter(pk__in=body)
        for each in bodies:
            started = perf_counter()
            built = index.build(each.pk)
            self.stdout.write(
                f"{each.name}: {built.size} suggestions, "
                f"{len(built.payload) / 1e6:.1f} MB, {perf_counter() - started:.1f} s"
            )

"""A system check that warns when the holiday calendar of this or next year is unknown."""

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone


@checks.register(checks.Tags.database)
def check_holiday_calendar(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from .calendar import undescribed_years

    today = timezone.localdate()
    try:
        missing = undescribed_years([today.year, today.year + 1])
    except DatabaseError:  # tables not migrated yet
        return []
    if not missing:
        return []
    return [
        checks.Warning(
            f"No holiday schedule is known for {', '.join(map(str, missing))}: "
            "working-day windows in those years count Monday–Friday.",
            hint="Enter the year's holidays and make-up working days as calendar "
            "days in the admin once the State Council announces them.",
            id="congress.W001",
        )
    ]

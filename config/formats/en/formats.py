"""One date format for English pages, long or short alike: "Dec. 4, 2026", "Dec. 4, 2026, 23:32"."""

DATE_FORMAT = "N j, Y"
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

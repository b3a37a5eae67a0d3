"""One date format for Chinese pages: every date reads "2026年12月4日", every moment
"2026年12月4日 23:32", whether a template asks for the long or the short format.
What is not set here (input formats, separators) stays Django's."""

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
TIME_FORMAT = "H:i"

"""The portal's date and time policy in English (docs/architecture.md, "Dates and times").

One written form per language for pages, emails and PDFs: day, month name, year (never 12/25/2026, which a
reader outside the United States takes for another day); 24-hour times; a date with a time names its time zone.
Django's other formats (input formats, number formats) stay those of the language.
"""

DATE_FORMAT = "j F Y"  # 25 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 25 Dec 2026
DATETIME_FORMAT = "j F Y, H:i T"  # 25 December 2026, 14:31 CET
SHORT_DATETIME_FORMAT = "j M Y, H:i T"  # 25 Dec 2026, 14:31 CET
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

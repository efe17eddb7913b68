"""The portal's date and time policy in French: the same forms as in English (see ``formats/en``)."""

DATE_FORMAT = "j F Y"  # 25 décembre 2026
SHORT_DATE_FORMAT = "j N Y"  # 25 déc. 2026 (the French abbreviations of Django's catalogue)
DATETIME_FORMAT = "j F Y, H:i T"  # 25 décembre 2026, 14:31 CET
SHORT_DATETIME_FORMAT = "j N Y, H:i T"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

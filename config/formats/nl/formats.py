"""Dutch formats on top of Django's own: short dates with the month as a word ("7 okt 2026")."""

SHORT_DATE_FORMAT = "j b Y"  # 7 okt 2026: Dutch writes month abbreviations in lower case
SHORT_DATETIME_FORMAT = "j b Y H:i"

"""English formats on top of Django's own: short dates with the month as a word ("7 Oct 2026")."""

SHORT_DATE_FORMAT = "j M Y"  # 7 Oct 2026: English capitalises month abbreviations
SHORT_DATETIME_FORMAT = "j M Y H:i"

"""Meetings planned before the schedule kept its months: one on its region's rule date was
planned by the rule (that month's meeting); any other was set by hand (the new default)."""

import calendar
import datetime

from django.db import migrations


def rule_date(region, year: int, month: int) -> datetime.date:
    days = [
        week[region.meeting_weekday]
        for week in calendar.monthcalendar(year, month)
        if week[region.meeting_weekday]
    ]
    day = days[-1] if region.meeting_week == -1 else days[region.meeting_week - 1]
    return datetime.date(year, month, day)


def mark_rule_meetings(apps, schema_editor):
    Meeting = apps.get_model("placement", "Meeting")
    for meeting in Meeting.objects.select_related("region").filter(rule_date__isnull=True):
        if meeting.date == rule_date(meeting.region, meeting.date.year, meeting.date.month):
            meeting.rule_date = meeting.date
            meeting.placing = "rule"
            meeting.save(update_fields=["rule_date", "placing"])


class Migration(migrations.Migration):
    dependencies = [
        ("placement", "0010_lease_end_meeting_dates"),
        ("regions", "0004_closed_days"),
    ]

    operations = [migrations.RunPython(mark_rule_meetings, migrations.RunPython.noop)]

"""Meetings that move: the region's rule date, moved past Dutch public holidays and the region's
own closed days; a changed rule re-plans the meetings without an agenda and lists the others for
Carla (coordinator) to move or keep; she can still set a single meeting's date by hand.

Dates worked out by hand from the 2026 calendar: Good Friday 3 April and Easter Monday 6 April,
King's Day Monday 27 April, Ascension Day Thursday 14 May; Liberation Day (5 May) is a public
holiday by law only in lustrum years (2025, 2030), so a region that closes on it adds it itself.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from placement import schedule
from placement.models import AgendaItem, Meeting
from regions.models import ClosedDay

from .placement_builders import accepted_vacancy, messages_of, stored, today

D = datetime.date


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def carla(world, client_for):
    """The coordinator, reading the pages in English."""
    client = client_for(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def set_rule(region, week: int, weekday: int):
    region.meeting_week, region.meeting_weekday = week, weekday
    region.save()
    return region


def scheduled(region, year: int, month: int) -> schedule.ScheduledDate:
    return schedule.RegionCalendar.of(region).scheduled(year, month)


def on_agenda(meeting: Meeting, world) -> Meeting:
    AgendaItem.objects.create(
        meeting=meeting, kind="vacancy", vacancy=accepted_vacancy(world), position=1
    )
    return meeting


def meeting_in(region, year: int, month: int) -> Meeting:
    return Meeting.objects.get(region=region, rule_date__year=year, rule_date__month=month)


# --- The rule date and the working day -----------------------------------------------------


def test_a_meeting_on_kings_day_moves_to_the_tuesday(world, english):
    # Fourth Monday of April 2026 = 27 April, King's Day.
    set_rule(world.drecht, 4, 0)

    april = scheduled(world.drecht, 2026, 4)

    assert (april.rule_date, april.date) == (D(2026, 4, 27), D(2026, 4, 28))
    assert april.reason == "moved from Mon 27 April (King's Day)"


def test_a_meeting_on_ascension_day_moves_to_the_friday(world, english):
    # Second Thursday of May 2026 = 14 May, Ascension Day.
    set_rule(world.drecht, 2, 3)

    may = scheduled(world.drecht, 2026, 5)

    assert (may.rule_date, may.date) == (D(2026, 5, 14), D(2026, 5, 15))
    assert may.reason == "moved from Thu 14 May (Ascension Day)"


def test_good_friday_and_easter_monday_move_the_meeting_to_tuesday(world, english):
    # First Friday of April 2026 = Good Friday; the weekend; Monday 6 April is Easter Monday.
    set_rule(world.drecht, 1, 4)

    april = scheduled(world.drecht, 2026, 4)

    assert april.date == D(2026, 4, 7)
    assert april.reason == "moved from Fri 3 April (Good Friday); Mon 6 April (Easter Monday)"


def test_the_third_tuesday_stays_when_it_is_a_working_day(world):
    # Third Tuesday of March 2026 = 17 March: no holiday.
    assert scheduled(world.drecht, 2026, 3) == schedule.ScheduledDate(
        D(2026, 3, 17), D(2026, 3, 17)
    )


def test_liberation_day_outside_a_lustrum_year_moves_only_as_the_regions_closed_day(world, english):
    # First Tuesday of May 2026 = 5 May; not a public holiday in 2026.
    set_rule(world.drecht, 1, 1)
    assert scheduled(world.drecht, 2026, 5).date == D(2026, 5, 5)

    ClosedDay.objects.create(
        region=world.drecht,
        start_date=D(2026, 5, 5),
        end_date=D(2026, 5, 5),
        description="Bevrijdingsdag",
    )

    may = scheduled(world.drecht, 2026, 5)
    assert may.date == D(2026, 5, 6)
    assert may.reason == "moved from Tue 5 May (Bevrijdingsdag, own closed day)"
    assert scheduled(world.woerden_region, 2026, 5).date != D(2026, 5, 6)


def test_the_reason_is_dutch_in_the_dutch_interface(world):
    set_rule(world.drecht, 2, 3)
    with translation.override("nl"):
        assert "do 14 mei (Hemelvaartsdag)" in scheduled(world.drecht, 2026, 5).reason


def test_a_summer_recess_gives_one_meeting_for_july_and_august(world):
    # Closed 13 July - 21 August 2026: July's third Tuesday (21 July) and August's (18 August)
    # both move to Monday 24 August; one meeting serves both months.
    ClosedDay.objects.create(
        region=world.drecht,
        start_date=D(2026, 7, 13),
        end_date=D(2026, 8, 21),
        description="Zomerreces",
    )

    meetings = schedule.meetings_schedule(region=world.drecht, today=D(2026, 7, 1))

    dates = [m.date for m in meetings]
    assert dates[:3] == [D(2026, 8, 24), D(2026, 9, 15), D(2026, 10, 20)]
    assert len(dates) == 12 and len(set(dates)) == 12


# --- A rule change re-plans ------------------------------------------------------------------


@pytest.fixture
def planned(world):
    """Monday 2 March 2026: twelve meetings on the third Tuesday; May's has an agenda."""
    schedule.meetings_schedule(region=world.drecht, today=D(2026, 3, 2))
    may = Meeting.objects.get(region=world.drecht, date=D(2026, 5, 19))
    return on_agenda(may, world)


def test_a_rule_change_moves_meetings_without_agenda_and_lists_those_with_one(
    world, planned, english
):
    # New rule: the second Thursday. March 12, April 9, May 14 (Ascension Day -> Friday 15).
    result = schedule.meeting_rule_change(
        region=world.drecht, week=2, weekday=3, today=D(2026, 3, 2)
    )

    assert meeting_in(world.drecht, 2026, 3).date == D(2026, 3, 12)
    assert meeting_in(world.drecht, 2026, 4).date == D(2026, 4, 9)
    assert meeting_in(world.drecht, 2026, 6).date == D(2026, 6, 11)
    assert [m.pk for m in result.to_decide] == [planned.pk]
    assert stored(planned).date == D(2026, 5, 19)
    assert Meeting.objects.filter(region=world.drecht).count() == 12

    calendar = schedule.RegionCalendar.of(stored(world.drecht))
    assert schedule.off_schedule(stored(planned), calendar, D(2026, 3, 2)) == (
        "off the schedule: by the rule this month's meeting is on Fri 15 May"
    )
    # Planning again (the meeting list does on every visit) leaves it and adds no second one.
    schedule.meetings_schedule(region=world.drecht, today=D(2026, 3, 2))
    assert stored(planned).date == D(2026, 5, 19)
    assert not Meeting.objects.filter(region=world.drecht, date=D(2026, 5, 15)).exists()


def test_deferred_items_skip_a_meeting_off_the_schedule_until_it_is_decided(world, planned):
    schedule.meeting_rule_change(region=world.drecht, week=2, weekday=3, today=D(2026, 3, 2))
    region = stored(world.drecht)

    after_april = schedule.next_scheduled_meeting(
        region=region, after=D(2026, 4, 9), today=D(2026, 3, 2)
    )
    assert after_april.date == D(2026, 6, 11)

    schedule.meeting_follow(meeting=planned, keep=True, today=D(2026, 3, 2))
    after_april = schedule.next_scheduled_meeting(
        region=region, after=D(2026, 4, 9), today=D(2026, 3, 2)
    )
    assert after_april.pk == planned.pk
    assert stored(planned).placing == Meeting.Placing.KEPT


def test_the_coordinator_moves_a_listed_meeting_to_the_new_date(world, planned):
    schedule.meeting_rule_change(region=world.drecht, week=2, weekday=3, today=D(2026, 3, 2))

    schedule.meeting_follow(meeting=planned, keep=False, today=D(2026, 3, 2))

    moved = stored(planned)
    assert (moved.date, moved.rule_date, moved.placing) == (D(2026, 5, 15), D(2026, 5, 14), "rule")
    assert moved.items.count() == 1
    with pytest.raises(schedule.ScheduleError):
        schedule.meeting_follow(meeting=moved, keep=True, today=D(2026, 3, 2))


def test_a_closed_day_moves_an_empty_meeting_and_flags_one_with_an_agenda(world, planned):
    for day in (D(2026, 4, 21), D(2026, 5, 19)):
        ClosedDay.objects.create(
            region=world.drecht, start_date=day, end_date=day, description="Verhuizing"
        )

    result = schedule.schedule_replan(region=world.drecht, today=D(2026, 3, 2))

    assert meeting_in(world.drecht, 2026, 4).date == D(2026, 4, 22)
    assert [m.pk for m in result.to_decide] == [planned.pk]
    assert stored(planned).date == D(2026, 5, 19)


def test_a_meeting_whose_new_date_has_passed_and_has_nothing_on_it_is_removed(world):
    schedule.meetings_schedule(region=world.drecht, today=D(2026, 3, 4))
    # First Monday: 2 March has passed; the empty March meeting (17 March) goes.
    result = schedule.meeting_rule_change(
        region=world.drecht, week=1, weekday=0, today=D(2026, 3, 4)
    )

    assert result.removed == 1
    assert not Meeting.objects.filter(region=world.drecht, date=D(2026, 3, 17)).exists()
    assert Meeting.objects.filter(region=world.drecht, date__gte=D(2026, 3, 4)).count() == 12


# --- Pages ------------------------------------------------------------------------------------


def next_month_rule_date(region) -> datetime.date:
    first = today().replace(day=1) + datetime.timedelta(days=32)
    return region.meeting_date_in(first.year, first.month)


def test_the_meeting_list_says_why_a_meeting_moved(world, carla, english):
    rule_date = next_month_rule_date(world.drecht)
    ClosedDay.objects.create(
        region=world.drecht, start_date=rule_date, end_date=rule_date, description="Heidag"
    )

    page = carla.get(reverse("meeting_list")).content.decode()

    assert "moved from" in page and "Heidag, own closed day" in page
    assert not Meeting.objects.filter(region=world.drecht, date=rule_date).exists()


def test_the_list_shows_a_meeting_off_the_schedule(world, carla, english):
    schedule.meetings_schedule(region=world.drecht, today=today())
    meeting = on_agenda(
        meeting_in(world.drecht, *_month(next_month_rule_date(world.drecht))), world
    )
    ClosedDay.objects.create(
        region=world.drecht, start_date=meeting.date, end_date=meeting.date, description="Heidag"
    )

    page = carla.get(reverse("meeting_list")).content.decode()

    assert "off the schedule" in page
    assert stored(meeting).date == meeting.date


def _month(day):
    return day.year, day.month


def test_the_schedule_page_changes_the_rule_and_lists_meetings_to_decide(world, carla, english):
    schedule.meetings_schedule(region=world.drecht, today=today())
    meeting = on_agenda(
        meeting_in(world.drecht, *_month(next_month_rule_date(world.drecht))), world
    )
    client = carla

    response = client.post(
        reverse("meeting_schedule"),
        {"action": "rule", "rule-meeting_week": "-1", "rule-meeting_weekday": "3"},
    )

    assert response.status_code == 302
    assert "waits for your decision" in " ".join(messages_of(response))
    assert stored(world.drecht).meeting_week == -1
    page = client.get(reverse("meeting_schedule")).content.decode()
    assert f'name="meeting" value="{meeting.pk}"' in page

    response = client.post(reverse("meeting_schedule"), {"action": "keep", "meeting": meeting.pk})
    assert stored(meeting).placing == Meeting.Placing.KEPT
    assert (
        "Every planned meeting is on the schedule."
        in client.get(reverse("meeting_schedule")).content.decode()
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (30, 29, "The last day cannot be before the first day."),
        (-10, -3, "These days have passed"),
        (10, 200, "Closed days span at most 92 days."),
        ("", "", "Enter a date for “from”."),
        ("31-02-2027", "", "Enter a valid date."),
    ],
)
def test_the_closed_day_form_refuses_impossible_days(world, carla, english, start, end, message):
    def day(value):
        return (
            (today() + datetime.timedelta(days=value)).isoformat()
            if isinstance(value, int)
            else value
        )

    response = carla.post(
        reverse("meeting_schedule"),
        {
            "action": "closed_add",
            "closed-start_date": day(start),
            "closed-end_date": day(end),
            "closed-description": "Reces",
        },
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ClosedDay.objects.exists()


def test_the_same_closed_days_twice_are_refused(world, carla, english):
    start = today() + datetime.timedelta(days=20)
    ClosedDay.objects.create(
        region=world.drecht, start_date=start, end_date=start, description="Heidag"
    )

    response = carla.post(
        reverse("meeting_schedule"),
        {
            "action": "closed_add",
            "closed-start_date": start.isoformat(),
            "closed-description": "Heidag",
        },
    )

    assert response.status_code == 400
    assert "These closed days are already recorded." in response.content.decode()
    assert ClosedDay.objects.count() == 1


def test_an_added_closed_day_moves_the_empty_meeting_on_it(world, carla):
    schedule.meetings_schedule(region=world.drecht, today=today())
    meeting = meeting_in(world.drecht, *_month(next_month_rule_date(world.drecht)))
    old_date = meeting.date

    response = carla.post(
        reverse("meeting_schedule"),
        {
            "action": "closed_add",
            "closed-start_date": old_date.isoformat(),
            "closed-description": "Heidag",
        },
    )

    assert response.status_code == 302
    assert stored(meeting).date > old_date


def test_another_regions_meeting_cannot_be_kept(world, carla):
    other = Meeting.objects.create(
        region=world.woerden_region, date=today() + datetime.timedelta(days=20)
    )

    response = carla.post(reverse("meeting_schedule"), {"action": "keep", "meeting": other.pk})

    assert response.status_code == 404
    assert stored(other).placing == Meeting.Placing.HAND


# --- Moving one meeting by hand ----------------------------------------------------------------


def next_weekday(start: datetime.date) -> datetime.date:
    """The first day from ``start`` on that is Monday to Friday and no public holiday."""
    calendar = schedule.RegionCalendar(None, [])
    day = start
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def first_weekday_holiday(after: datetime.date) -> datetime.date:
    for year in (after.year, after.year + 1):
        for day in sorted(schedule.public_holidays(year)):
            if day > after and day.weekday() < 5:
                return day
    raise AssertionError("no holiday on a weekday ahead")


@pytest.fixture
def hand_meeting(world):
    day = next_weekday(today() + datetime.timedelta(days=14))
    return Meeting.objects.create(region=world.drecht, date=day, place="Stadskantoor")


def move(client, meeting, day, reason=""):
    return client.post(
        reverse("meeting_edit", args=[meeting.pk]),
        {
            "date": day if isinstance(day, str) else day.isoformat(),
            "date_reason": reason,
            "place": meeting.place,
            "notes": "",
        },
    )


def test_the_coordinator_moves_a_meeting_by_hand(world, carla, english):
    meeting = schedule.meetings_schedule(region=world.drecht, today=today())[0]
    new_day = next_weekday(meeting.date + datetime.timedelta(days=1))
    client = carla

    response = move(client, meeting, new_day, "Zaal bezet")

    assert response.status_code == 302
    moved = stored(meeting)
    assert (moved.date, moved.placing, moved.date_reason) == (new_day, "hand", "Zaal bezet")
    page = client.get(reverse("meeting_list")).content.decode()
    assert "date set by hand: Zaal bezet" in page


@pytest.mark.parametrize("case", ["past", "weekend", "holiday", "closed", "taken", "garbage"])
def test_moving_by_hand_refuses_a_bad_day_at_the_field(world, carla, english, hand_meeting, case):
    if case == "past":
        day, message = today() - datetime.timedelta(days=1), "a day that has passed"
    elif case == "weekend":
        day = today() + datetime.timedelta(days=(5 - today().weekday()) % 7)
        message = "falls in the weekend"
    elif case == "holiday":
        day, message = first_weekday_holiday(today()), "is no working day for the region"
    elif case == "closed":
        day = next_weekday(hand_meeting.date + datetime.timedelta(days=1))
        ClosedDay.objects.create(
            region=world.drecht, start_date=day, end_date=day, description="Heidag"
        )
        message = "Heidag, own closed day"
    elif case == "taken":
        day = next_weekday(hand_meeting.date + datetime.timedelta(days=1))
        Meeting.objects.create(region=world.drecht, date=day)
        message = "The region already has a meeting on"
    else:
        day, message = "2027-13-45", "Enter a valid date."

    response = move(carla, hand_meeting, day)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="id_date_error"' in response.content.decode()
    assert stored(hand_meeting).date == hand_meeting.date

"""One timeline per household (placement/timeline.py): a household's story, told in order, with
who did what, to each reader as far as their role may see it.

The story is played on a clock: each step runs at its own moment (``timezone.now`` patched, so
``created_at`` and the change-history rows get that moment) as the persona who took it (the
change history's user, as the request middleware would set it).
"""

from __future__ import annotations

import contextlib
import datetime
import html as html_lib
import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from simple_history.models import HistoricalRecords

from notices.models import Notice
from placement import nominating, services
from placement.models import AgendaItem, Household, Meeting, SupportLink
from placement.timeline import timeline_for
from tests.placement.placement_builders import accepted_vacancy, household

pytestmark = pytest.mark.django_db

COA_FILE = "koppelingen-week-2.xlsx"
INTAKE_REASON = "Intake gedaan, zoekt nu"
REFUSAL_NOTES = "School van de kinderen te ver weg"
MEDICAL = "MEDISCH-geheim-42"


# Read once: inside a step the clock is the step's.
STORY_START = timezone.localdate() - datetime.timedelta(days=60)


@contextlib.contextmanager
def acting(user, at: datetime.datetime):
    """Run the step at ``at`` as ``user`` (who the change history records)."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        with mock.patch("django.utils.timezone.now", return_value=at):
            yield
    finally:
        del HistoricalRecords.context.request


def day(n: int, hour: int = 10) -> datetime.datetime:
    """Day ``n`` of the story, at ``hour`` o'clock Dutch time; day 0 is 60 days ago."""
    start = STORY_START
    moment = datetime.datetime.combine(start + datetime.timedelta(days=n), datetime.time(hour))
    return timezone.make_aware(moment)


def date(n: int) -> datetime.date:
    return day(n).date()


def seen_by(family: Household, user, **kwargs) -> list:
    fetched = Household.objects.with_disclosure(user).get(pk=family.pk)
    return timeline_for(fetched, user, **kwargs)


@pytest.fixture
def story(world):
    """A Dordrecht household from the COA list: registered by Carla, searching, in
    VluchtelingenWerk's caseload, on the agenda, nominated, viewing, refused, nominated again,
    lease signed, moved in, reported to COA."""
    carla, cor = world.coordinator, world.corporation
    with acting(carla, day(0)):
        family = household(
            world,
            persons=2,
            municipality=world.dordrecht,
            status=Household.Status.REGISTERED,
            link_date=date(-3),
            created_by=carla,
            medical_notes=MEDICAL,
            annual_income="23456.00",
        )
    # What the COA import writes on the rows it saves.
    Household.history.filter(id=family.pk).update(history_change_reason=f"COA-lijst {COA_FILE}")
    with acting(carla, day(1)):
        services.household_change_status(household=family, to="searching", reason=INTAKE_REASON)
    with acting(carla, day(1, 11)):
        SupportLink.objects.create(
            household=family, organisation=world.partner.membership.organisation, created_by=carla
        )
        meeting = Meeting.objects.create(region=world.drecht, date=date(5))
        AgendaItem.objects.create(meeting=meeting, kind=AgendaItem.Kind.HOUSEHOLD, household=family)
        first_vacancy = accepted_vacancy(world, street="Eerste Weg 1")
        second_vacancy = accepted_vacancy(world, street="Tweede Weg 2")
    with acting(carla, day(5, 11)):
        first = nominating.nomination_create(
            vacancy=first_vacancy, household=family, by=carla, meeting=meeting,
            override_reason="test",
        )  # fmt: skip
    with acting(cor, day(7, 9)):
        nominating.nomination_plan_viewing(nomination=first, when=day(9, 14))
    with acting(cor, day(9, 16)):
        nominating.nomination_refuse(
            nomination=first, reason="location", justified=False, notes=REFUSAL_NOTES
        )
    with acting(carla, day(12)):
        second = nominating.nomination_create(
            vacancy=second_vacancy, household=family, by=carla, override_reason="test"
        )
    with acting(cor, day(15)):
        nominating.nomination_sign_lease(
            nomination=second, signed_on=date(15), lease_start=date(20)
        )
    with acting(cor, day(22)):
        nominating.nomination_mark_housed(nomination=second, move_in_date=date(21))
    with acting(carla, day(25)):
        nominating.nomination_report_to_coa(nomination=second, reported_on=date(24))
    return SimpleNamespace(family=family, first=first, second=second, meeting=meeting)


STORY = [
    "linked", "registered", "status", "support", "agenda", "nominated", "viewing", "refused",
    "status", "nominated", "lease_signed", "moved_in", "reported_to_coa",
]  # fmt: skip


def test_the_coordinator_sees_the_whole_story_in_order_with_who_and_when(world, story):
    with translation.override("en"):
        entries = seen_by(story.family, world.coordinator)

    assert [e.kind for e in entries] == STORY
    when = [e.iso for e in entries]
    local = lambda n, h: timezone.localtime(day(n, h)).isoformat(timespec="minutes")  # noqa: E731
    assert when == [
        date(-3).isoformat(), local(0, 10), local(1, 10), local(1, 11), date(5).isoformat(),
        local(5, 11), local(9, 14), local(9, 16), local(9, 16), local(12, 10),
        date(15).isoformat(), date(21).isoformat(), date(24).isoformat(),
    ]  # fmt: skip
    by_kind = {e.kind: e for e in entries}
    carla, cor = "Carla (Regieteam Dordrecht)", "Cor (Trivire)"
    assert by_kind["linked"].detail == f"imported from COA list {COA_FILE}"
    assert by_kind["linked"].who == "COA"
    assert by_kind["registered"].who == carla
    assert entries[2].what == "Status: searching" and entries[2].detail == INTAKE_REASON
    assert by_kind["support"].what == "In the caseload of VluchtelingenWerk"
    assert by_kind["agenda"].url == story.meeting.get_absolute_url()
    assert [e.who for e in entries if e.kind == "nominated"] == [carla, carla]
    assert [e.url for e in entries if e.kind == "nominated"] == [
        story.first.get_absolute_url(),
        story.second.get_absolute_url(),
    ]
    assert "Eerste Weg 1" in entries[5].what and "Tweede Weg 2" in entries[9].what
    assert (by_kind["viewing"].who, by_kind["refused"].who) == (cor, cor)
    assert by_kind["refused"].detail == (
        f"location (distance to work, school, family), not justified. {REFUSAL_NOTES}"
    )
    assert entries[8].what == "Status: searching" and "Eerste Weg 1" in entries[8].detail
    assert (by_kind["lease_signed"].who, by_kind["moved_in"].who) == (cor, cor)
    assert by_kind["reported_to_coa"].who == carla


def test_an_officer_of_another_municipality_sees_the_steps_without_background(world, story):
    entries = seen_by(story.family, world.officer)  # Gert: Zwijndrecht; the family: Dordrecht

    assert [e.kind for e in entries] == [k for k in STORY if k != "support"]
    details = " ".join(e.detail for e in entries)
    assert INTAKE_REASON not in details and REFUSAL_NOTES not in details
    with translation.override("en"):
        refused = next(e for e in seen_by(story.family, world.officer) if e.kind == "refused")
    # The coded reason stays: it is what the meeting needs.
    assert refused.detail == "location (distance to work, school, family), not justified"


def test_an_officer_of_the_linked_municipality_sees_the_background(world):
    carla = world.coordinator
    with acting(carla, day(0)):
        family = household(
            world, municipality=world.zwijndrecht, status="registered", link_date=date(-3)
        )
    with acting(carla, day(1)):
        services.household_change_status(household=family, to="searching", reason=INTAKE_REASON)

    entries = seen_by(family, world.officer)

    assert entries[-1].kind == "status" and entries[-1].detail == INTAKE_REASON


def test_a_partner_sees_its_caseload_in_full_and_other_households_without_background(world, story):
    in_caseload = seen_by(story.family, world.partner)
    assert [e.kind for e in in_caseload] == STORY
    assert REFUSAL_NOTES in " ".join(e.detail for e in in_caseload)

    SupportLink.objects.filter(household=story.family).delete()
    outside = seen_by(story.family, world.partner)

    assert [e.kind for e in outside] == [k for k in STORY if k not in ("support",)]
    details = " ".join(e.detail for e in outside)
    assert INTAKE_REASON not in details and REFUSAL_NOTES not in details


def test_a_support_workers_name_only_for_those_who_see_the_caseload(world, story):
    # A partner who did something (here: registered the household) is named to the desk...
    Household.objects.filter(pk=story.family.pk).update(created_by=world.partner)
    registered = lambda user: next(  # noqa: E731
        e for e in seen_by(story.family, user) if e.kind == "registered"
    )
    assert registered(world.coordinator).who == "Petra (VluchtelingenWerk)"
    # ... but not to an officer who does not see the household's background.
    with translation.override("en"):
        assert registered(world.officer).who == "a support organisation"


def test_the_corporation_sees_only_its_own_nominations_steps(world, story, client_for):
    first = seen_by(story.family, world.corporation, nomination=story.first)
    second = seen_by(story.family, world.corporation, nomination=story.second)

    assert [e.kind for e in first] == ["nominated", "viewing", "refused"]
    assert REFUSAL_NOTES not in first[-1].detail and first[-1].detail
    # The desk's report to COA is not the corporation's business.
    assert [e.kind for e in second] == ["nominated", "lease_signed", "moved_in"]
    # Another corporation does not see Trivire's nominations at all.
    assert seen_by(story.family, world.other_corporation, nomination=story.first) == []

    page = client_for(world.corporation).get(reverse("nomination_detail", args=[story.first.pk]))
    progress = section(page.text, "progress")
    assert data_kinds(progress) == ["nominated", "viewing", "refused"]
    assert "Tweede Weg 2" not in progress and REFUSAL_NOTES not in progress
    assert "Cor (Trivire)" in progress


def test_the_nomination_page_tells_the_desk_its_steps_with_notes(world, story, client_for):
    page = client_for(world.coordinator).get(reverse("nomination_detail", args=[story.second.pk]))
    progress = section(page.text, "progress")
    assert data_kinds(progress) == ["nominated", "lease_signed", "moved_in", "reported_to_coa"]
    assert f'datetime="{date(24).isoformat()}"' in progress


def section(page: str, list_id: str) -> str:
    start = page.index(f'id="{list_id}"')
    return html_lib.unescape(page[start : page.index("</ol>", start)])


def data_kinds(fragment: str) -> list[str]:
    return re.findall(r'data-kind="([a-z_]+)"', fragment)


def test_the_household_page_shows_the_timeline(world, story, client_for):
    page = client_for(world.coordinator).get(reverse("household_detail", args=[story.family.pk]))

    assert page.status_code == 200
    timeline = section(page.text, "timeline")
    assert data_kinds(timeline) == STORY
    assert timeline.count("<time datetime=") == len(STORY)
    assert f'href="{story.first.get_absolute_url()}"' in timeline
    # Never medical or income data, not even for the coordinator who sees them on the page.
    assert MEDICAL in page.text
    assert MEDICAL not in timeline and "23.456" not in timeline and "23456" not in timeline


def test_the_household_page_of_another_municipality_hides_the_background(world, story, client_for):
    page = client_for(world.officer).get(reverse("household_detail", args=[story.family.pk]))
    timeline = section(page.text, "timeline")
    assert data_kinds(timeline) == [k for k in STORY if k != "support"]
    assert INTAKE_REASON not in timeline and REFUSAL_NOTES not in timeline
    assert "VluchtelingenWerk" not in timeline


def test_own_home_and_notices(world, client_for):
    carla = world.coordinator
    with acting(carla, day(0)):
        family = household(world, municipality=world.zwijndrecht, link_date=date(-3))
    with acting(carla, day(3)):
        services.household_register_own_home(
            household=family, municipality=world.papendrecht, day=date(2), reason=""
        )
    with acting(None, day(1)):
        for user in (carla, world.officer):
            Notice.objects.create(
                recipient=user,
                kind=Notice.Kind.HOUSEHOLD_WAITING,
                subject_key=f"household:{family.pk}",
                threshold=8,
                household=family,
            )
    with translation.override("en"):
        desk = seen_by(family, carla)
        officer = seen_by(family, world.officer)
        partner = seen_by(family, world.partner)
        waiting = gettext("A household reached a warning week")

    assert [e.kind for e in desk] == ["linked", "registered", "notice", "notice", "own_home"]
    notices = sorted(e.what for e in desk if e.kind == "notice")
    assert notices == [
        f"Notice sent to Gemeente Zwijndrecht: {waiting}",
        f"Notice sent to Regieteam Dordrecht: {waiting}",
    ]
    assert [e.what for e in officer if e.kind == "notice"] == [
        f"Notice sent to Gemeente Zwijndrecht: {waiting}"
    ]
    assert [e for e in partner if e.kind == "notice"] == []
    own_home = desk[-1]
    assert own_home.iso == date(2).isoformat()
    assert own_home.what == "Found its own home, registers in Papendrecht"


def test_a_dissolved_lease_and_leaving_the_dwelling(world, client_for):
    carla, cor = world.coordinator, world.corporation
    with acting(carla, day(0)):
        family = household(world, municipality=world.dordrecht, link_date=date(-3))
        first = nominating.nomination_create(
            vacancy=accepted_vacancy(world, street="Eerste Weg 1"),
            household=family,
            by=carla,
            override_reason="test",
        )
    with acting(cor, day(2)):
        nominating.nomination_sign_lease(nomination=first, signed_on=date(2), lease_start=date(9))
    with acting(cor, day(5)):
        nominating.nomination_dissolve_lease(
            nomination=first,
            reason="income_check",
            dissolved_on=date(4),
            vacancy_to="open",
            notes="DISSOLVED-note",
        )
    with acting(carla, day(6)):
        second = nominating.nomination_create(
            vacancy=accepted_vacancy(world, street="Tweede Weg 2"),
            household=family,
            by=carla,
            override_reason="test",
        )
        nominating.nomination_sign_lease(nomination=second, signed_on=date(6), lease_start=date(7))
        nominating.nomination_mark_housed(nomination=second, move_in_date=date(7))
    with acting(carla, day(30)):
        nominating.nomination_move_out(nomination=second, moved_out_on=date(29))

    desk = seen_by(family, carla)
    officer = seen_by(family, world.officer)  # another municipality: no background

    kinds = ["linked", "registered", "nominated", "lease_signed", "dissolved", "status",
             "nominated", "lease_signed", "moved_in", "moved_out"]  # fmt: skip
    assert [e.kind for e in desk] == kinds
    dissolved = next(e for e in desk if e.kind == "dissolved")
    assert dissolved.iso == date(4).isoformat() and dissolved.who == "Cor (Trivire)"
    assert "DISSOLVED-note" in dissolved.detail
    assert "DISSOLVED-note" not in next(e for e in officer if e.kind == "dissolved").detail
    assert desk[-1].iso == date(29).isoformat() and desk[-1].who == "Carla (Regieteam Dordrecht)"


def _household_with(world, n: int) -> Household:
    """A household with ``n`` refused nominations and as many status changes."""
    carla = world.coordinator
    family = household(world, municipality=world.dordrecht)
    meeting = Meeting.objects.create(region=world.drecht, date=date(n))
    for i in range(n):
        with acting(carla, day(i)):
            nomination = nominating.nomination_create(
                vacancy=accepted_vacancy(world, street=f"Straat {i}"),
                household=family,
                by=carla,
                override_reason="test",
            )
            AgendaItem.objects.create(
                meeting=meeting, kind=AgendaItem.Kind.NOMINATION, nomination=nomination
            )
        with acting(world.corporation, day(i, 12)):
            nominating.nomination_plan_viewing(nomination=nomination, when=day(i, 13))
            nominating.nomination_refuse(nomination=nomination, reason="cost", justified=True)
    SupportLink.objects.create(
        household=family, organisation=world.partner.membership.organisation, created_by=carla
    )
    Notice.objects.create(
        recipient=carla,
        kind=Notice.Kind.HOUSEHOLD_WAITING,
        subject_key=f"household:{family.pk}",
        household=family,
    )
    return family


def test_queries_do_not_grow_with_the_entries(world, client_for):
    few, many = _household_with(world, 2), _household_with(world, 20)
    counts = {}
    for family in (few, many):
        fetched = Household.objects.with_disclosure(world.coordinator).get(pk=family.pk)
        with CaptureQueriesContext(connection) as queries:
            entries = timeline_for(fetched, world.coordinator)
        counts[family.pk] = (len(queries.captured_queries), len(entries))
    (few_queries, few_entries), (many_queries, many_entries) = counts[few.pk], counts[many.pk]
    assert many_entries > few_entries + 4 * 18
    assert few_queries == many_queries

    client = client_for(world.coordinator)
    pages = []
    for family in (few, many):
        url = reverse("household_detail", args=[family.pk])
        client.get(url)  # warm up (session, membership)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        pages.append(len(queries.captured_queries))
    assert pages[0] == pages[1]

"""The notices page, the unread count in the header, preferences and the agenda button."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices.models import Kind, Notice, NoticePreference
from placement.meetings import agenda_build
from placement.models import Meeting
from tests.placement.placement_builders import accepted_vacancy

pytestmark = pytest.mark.django_db


def give(user, n: int, vacancy) -> list[Notice]:
    return [
        Notice.objects.create(
            recipient=user,
            kind=Kind.VACANCY_SUBMITTED,
            subject_key=f"vacancy:{vacancy.pk}",
            threshold=i,
            vacancy=vacancy,
            data={"corporation": "Trivire"},
        )
        for i in range(n)
    ]


def test_the_header_counts_unread_notices_in_one_query(world, client_for):
    vacancy = accepted_vacancy(world)
    notices = give(world.coordinator, 4, vacancy)
    notices[0].read_at = notices[0].created_at
    notices[0].save()
    give(world.outsider, 2, vacancy)  # someone else's: not counted
    client = client_for(world.coordinator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'id="unread-notices"[^>]*>3<', page)
    assert "3 unread notices" in page or "3 ongelezen meldingen" in page
    counted = [q["sql"] for q in queries if "notices_notice" in q["sql"]]
    assert len(counted) == 1 and "COUNT" in counted[0].upper()


def test_no_badge_without_unread_notices(world, client_for):
    page = client_for(world.officer).get(reverse("dashboard")).content.decode()
    assert 'id="notices-link"' in page and 'id="unread-notices"' not in page


def test_the_list_is_newest_first_unread_bold_and_opening_marks_read(world, client_for):
    vacancy = accepted_vacancy(world)
    older, newer = give(world.coordinator, 2, vacancy)
    Notice.objects.filter(pk=older.pk).update(created_at=older.created_at - datetime.timedelta(1))
    client = client_for(world.coordinator)
    page = client.get(reverse("notice_list")).content.decode()
    assert page.index(f'id="notice-{newer.pk}"') < page.index(f'id="notice-{older.pk}"')
    assert page.count('data-read="0"') == 2 and "fw-bold" in page

    response = client.get(reverse("notice_open", args=[newer.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("vacancy_detail", args=[vacancy.pk])
    assert Notice.objects.get(pk=newer.pk).read_at is not None
    assert Notice.objects.get(pk=older.pk).read_at is None

    client.post(reverse("notice_mark_all_read"))
    assert not Notice.objects.filter(read_at__isnull=True).exists()


def test_nobody_opens_someone_elses_notice(world, client_for):
    [notice] = give(world.coordinator, 1, accepted_vacancy(world))
    for user in (world.outsider, world.officer):
        assert client_for(user).get(reverse("notice_open", args=[notice.pk])).status_code == 404
    assert Notice.objects.get().read_at is None
    client_for(world.officer).post(reverse("notice_mark_all_read"))
    assert Notice.objects.get().read_at is None


def test_preferences_list_the_kinds_of_the_role_and_switch_one_off(world, client_for):
    client = client_for(world.corporation)
    page = client.get(reverse("notice_preferences")).content.decode()
    assert 'name="nomination_received"' in page and 'name="outcome_due"' in page
    assert 'name="vacancy_submitted"' not in page and 'name="agenda_ready"' not in page
    assert "<fieldset" in page and "<legend" in page
    response = client.post(
        reverse("notice_preferences"),
        {"nomination_received": ["app"], "outcome_due": ["app", "email"]},
    )
    assert response.status_code == 302
    chosen = {p.kind: (p.in_app, p.email) for p in NoticePreference.objects.all()}
    assert chosen == {"nomination_received": (True, False), "outcome_due": (True, True)}
    assert client.post(reverse("notice_preferences"), {"outcome_due": ["sms"]}).status_code == 400


def test_the_table_kinds_follow_the_role(world, client_for):
    page = client_for(world.partner).get(reverse("notice_preferences")).content.decode()
    assert 'name="agenda_ready"' in page and 'name="decisions_ready"' in page
    page = client_for(world.finance).get(reverse("notice_preferences")).content.decode()
    assert 'id="no-kinds"' in page


def test_the_agenda_button_asks_then_sends_once(world, client_for):
    today = datetime.date.today()
    meeting = Meeting.objects.create(region=world.drecht, date=today + datetime.timedelta(days=20))
    accepted_vacancy(world)
    agenda_build(meeting=meeting, today=today)
    client = client_for(world.coordinator)
    url = reverse("meeting_send_agenda", args=[meeting.pk])
    assert 'id="send-agenda-form"' in client.get(meeting.get_absolute_url()).content.decode()

    asked = client.post(url)
    assert asked.status_code == 200 and 'id="confirm-yes"' in asked.content.decode()
    assert not Notice.objects.exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    told = Notice.objects.filter(kind=Kind.AGENDA_READY, meeting=meeting)
    assert {n.recipient.username for n in told} == {"carla", "gert", "petra"}
    client.post(url, {"confirm": "1"})
    assert told.count() == 3
    # The officer may not send it; the other region's coordinator does not find the meeting.
    assert client_for(world.officer).post(url, {"confirm": "1"}).status_code == 403
    assert client_for(world.outsider).post(url, {"confirm": "1"}).status_code == 404

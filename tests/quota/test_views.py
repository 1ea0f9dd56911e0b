"""The quota pages as the personas use them: Carla (desk) keeps the periods, targets and the
counting rule; Gert (Zwijndrecht), Petra (partner) and Fien (finance) read the figures; Cor
(corporation) has no business here; Otto (Woerden) sees his own region only.

The Drechtsteden on Friday 27 November 2026 (in 2026-II), counted on the lease start for the
dwelling's municipality (the default):

    targets         2026-I   2026-II
    Dordrecht         12        8
    Papendrecht        -        9
    Zwijndrecht        -        5

    placements
    DS-2026-001  4 persons, linked to Zwijndrecht, housed in Dordrecht: lease from 20 Jun,
                 moved in 3 Jul (a re-link)
    DS-2026-002  3 persons in Dordrecht: lease from 1 Sep; a child joined on 15 Oct (+1)
    DS-2026-003  2 persons nominated for a Dordrecht dwelling (pipeline)
    DS-2026-004  2 persons in Papendrecht: lease from 1 Nov, not moved in yet

    2026-II       net  opening  adjusted  realised  remaining  per month  nom.  lease  closing
    Dordrecht       8     -8       16         4         12        6,0       2     0     -12
                          (2026-I: 0 + 4 - 12 = -8 carried)
    Papendrecht     9      0        9         2          7        3,5       0     0      -7
    Zwijndrecht     5      0        5         0          5        2,5       0     0      -5
    Region         22     -8       30         6         24                  2     0     -24
                                  (per month: 12/2, 7/2, 5/2 - Nov and Dec are left)
"""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from placement.models import Nomination
from quota.models import CountingDate, CreditedMunicipality, QuotaPeriod, QuotaRule, QuotaTarget

from .quota_builders import (
    d,
    drechtsteden_example,
    nl,
    own_home,
    period,
    placement,
    row_for,
    table_rows,
    target,
)

TODAY = d("2026-11-27")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def on_27_november_2026(monkeypatch):
    """The quota pages read "today" to pick the current period and the months left."""
    monkeypatch.setattr("quota.views.timezone", SimpleNamespace(localdate=lambda: TODAY))


@pytest.fixture
def desk(world):
    """The example of the module docstring."""
    first, second = drechtsteden_example(world)
    return SimpleNamespace(world=world, first=first, second=second)


def net_target(municipality, period_: QuotaPeriod) -> int:
    return QuotaTarget.objects.get(municipality=municipality, period=period_).net_target


def dashboard_row(response, name: str) -> list[str]:
    """net, opening, adjusted, realised, remaining, per month, nominated, lease signed, closing"""
    return row_for(response, "quota-table", name)[1:]


def name_cell(response, name: str) -> str:
    return [r[0] for r in table_rows(response, "quota-table") if r and r[0].startswith(name)][0]


# --- The dashboard ----------------------------------------------------------------------------


def test_the_dashboard_shows_the_position_of_each_municipality(desk, client_for):
    response = client_for(desk.world.coordinator).get(reverse("quota_dashboard"))

    assert response.status_code == 200
    assert response.context["period"] == desk.second  # the period containing today
    assert dashboard_row(response, "Dordrecht") == [
        "8", "-8", "16", "4", "12", "6,0", "2", "0", "-12",
    ]  # fmt: skip
    assert dashboard_row(response, "Papendrecht") == [
        "9", "0", "9", "2", "7", "3,5", "0", "0", "-7",
    ]  # fmt: skip
    assert dashboard_row(response, "Zwijndrecht") == [
        "5", "0", "5", "0", "5", "2,5", "0", "0", "-5",
    ]  # fmt: skip
    assert row_for(response, "quota-table", nl("Region"))[1:] == [
        "22", "-8", "30", "6", "24", "", "2", "0", "-24",
    ]  # fmt: skip
    # Sliedrecht does not take part in the regional quota.
    assert "Sliedrecht" not in response.content.decode()


def test_the_dashboard_states_the_counting_rule(desk, client_for):
    response = client_for(desk.world.coordinator).get(reverse("quota_dashboard"))

    rule = re.search(
        r'<p class="small" id="counting-rule">(.*?)</p>', response.content.decode(), re.S
    )
    assert nl("start of the lease") in rule.group(1)
    assert nl("the municipality where the dwelling is") in rule.group(1)
    assert reverse("quota_rule") in rule.group(1)  # Carla may change it


def test_the_dashboard_draws_a_chart_per_municipality(desk, client_for):
    html = client_for(desk.world.coordinator).get(reverse("quota_dashboard")).content.decode()

    labels = re.findall(r'<svg [^>]*role="img"[^>]*aria-label="([^"]*)"', html)
    text = nl("%(municipality)s, %(period)s: realised %(realised)s of adjusted target %(target)s")
    assert labels == [
        text % {"municipality": "Dordrecht", "period": "2026-II", "realised": 4, "target": 16},
        text % {"municipality": "Papendrecht", "period": "2026-II", "realised": 2, "target": 9},
        text % {"municipality": "Zwijndrecht", "period": "2026-II", "realised": 0, "target": 5},
    ]
    # The same text is the chart's title, for those who hover.
    assert f"<title>{labels[0]}</title>" in html


def test_an_earlier_period_is_chosen_with_the_period_parameter(desk, client_for):
    response = client_for(desk.world.coordinator).get(
        reverse("quota_dashboard"), {"period": "2026-1"}
    )

    assert response.context["period"] == desk.first
    # 2026-I: net 12, opening 0, adjusted 12, realised 4 (DS-2026-001 on 20 Jun), remaining 8;
    # the period is over: no pace and no pipeline.
    assert dashboard_row(response, "Dordrecht") == ["12", "0", "12", "4", "8", "—", "0", "0", "-8"]
    assert nl("no target") in name_cell(response, "Papendrecht")


def test_an_unknown_period_is_not_found(desk, client_for):
    client = client_for(desk.world.coordinator)

    assert client.get(reverse("quota_dashboard"), {"period": "2031-1"}).status_code == 404
    assert client.get(reverse("quota_dashboard"), {"period": "2026-3"}).status_code == 404
    url = reverse("quota_drilldown", args=[desk.world.dordrecht.pk, "2031-1"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("quota_targets", args=["2031-1"])).status_code == 404


def test_the_dashboard_without_periods_invites_the_coordinator_to_add_one(world, client_for):
    response = client_for(world.coordinator).get(reverse("quota_dashboard"))

    assert response.status_code == 200
    assert nl("No quota periods yet.") in response.content.decode()
    assert reverse("quota_periods") in response.content.decode()


def test_the_officer_sees_their_own_municipality_highlighted(desk, client_for):
    html = client_for(desk.world.officer).get(reverse("quota_dashboard")).content.decode()

    highlighted = re.findall(r'<tr class="table-info">\s*<th scope="row"><a [^>]*>([^<]+)<', html)
    assert highlighted == ["Zwijndrecht"]
    assert reverse("quota_rule") not in html  # reading, not managing
    assert reverse("quota_periods") not in html


# --- Municipality page and drill-down ----------------------------------------------------------


def test_the_municipality_page_shows_every_period_with_its_carry(desk, client_for):
    url = reverse("quota_municipality", args=[desk.world.dordrecht.pk])
    response = client_for(desk.world.partner).get(url)

    assert response.status_code == 200
    rows = {r[0]: r[1:] for r in table_rows(response, "municipality-history")[1:]}
    #                   net  opening  adjusted realised remaining per month closing
    assert rows == {
        "2026-I": ["12", "0", "12", "4", "8", "—", "-8"],
        "2026-II": ["8", "-8", "16", "4", "12", "6,0", "-12"],
    }
    assert response.content.decode().count('role="img"') == 2


def test_the_drilldown_lists_the_households_behind_the_number(desk, client_for):
    url = reverse("quota_drilldown", args=[desk.world.dordrecht.pk, "2026-2"])
    response = client_for(desk.world.coordinator).get(url)

    assert response.status_code == 200
    events = table_rows(response, "realised-events")
    assert [r[1:3] for r in events[1:-1]] == [["DS-2026-002", "3"], ["DS-2026-002", "1"]]
    assert events[-1] == [nl("Total"), "4", ""]
    assert events[2][3] == nl("family member(s) joined")
    pipeline = table_rows(response, "pipeline-table")
    assert pipeline[1] == ["DS-2026-003", "2", nl("nominated")]
    # Carla may open the households behind the numbers.
    household = Nomination.objects.get(household__reference="DS-2026-002").household
    assert household.get_absolute_url() in response.content.decode()


def test_the_drilldown_of_a_past_period_has_no_pipeline(desk, client_for):
    url = reverse("quota_drilldown", args=[desk.world.dordrecht.pk, "2026-1"])
    response = client_for(desk.world.coordinator).get(url)

    assert [r[1:3] for r in table_rows(response, "realised-events")[1:-1]] == [["DS-2026-001", "4"]]
    assert table_rows(response, "pipeline-table") == []
    assert nl("Nothing in the pipeline.") in response.content.decode()


def test_finance_sees_the_references_but_cannot_open_the_households(desk, client_for):
    url = reverse("quota_drilldown", args=[desk.world.dordrecht.pk, "2026-2"])
    html = client_for(desk.world.finance).get(url).content.decode()

    assert "DS-2026-002" in html and "DS-2026-003" in html
    household = Nomination.objects.get(household__reference="DS-2026-002").household
    assert household.get_absolute_url() not in html
    for member in household.members.all():  # no personal data on the quota pages
        assert member.full_name not in html


# --- Re-link list ------------------------------------------------------------------------------


def test_the_relink_list_shows_households_housed_outside_their_linked_municipality(
    desk, client_for
):
    response = client_for(desk.world.coordinator).get(reverse("quota_relinks"))

    rows = table_rows(response, "relinks")[1:]
    assert len(rows) == 1
    reference, linked, housed_in, _dwelling, counts_on, _status = rows[0]
    assert (reference, linked, housed_in) == ("DS-2026-001", "Zwijndrecht", "Dordrecht")
    assert counts_on == "20 jun 2026"


def test_the_relink_list_pages_newest_first_with_a_constant_number_of_queries(
    desk, client_for, django_assert_max_num_queries, monkeypatch
):
    from quota import views

    monkeypatch.setattr(views, "RELINKS_PAGE_SIZE", 2)
    for day in ("2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01"):
        placement(dwelling=desk.world.dordrecht, linked=desk.world.papendrecht, lease_start=day,
                  move_in=day, reference=f"DS-R-{day}")  # fmt: skip
    client = client_for(desk.world.coordinator)
    client.get(reverse("quota_relinks") + "?page=2")  # the first request after logging in

    with django_assert_max_num_queries(10):
        first = client.get(reverse("quota_relinks"))
    # The desk's own re-link (DS-2026-001) counts on 20 June: the newest.
    newest = ["DS-2026-001", "DS-R-2026-06-01"]
    assert [row[0] for row in table_rows(first, "relinks")[1:]] == newest
    last = client.get(reverse("quota_relinks") + "?page=3")
    assert [row[0] for row in table_rows(last, "relinks")[1:]] == ["DS-R-2026-03-01"]
    assert "3 / 3" in last.content.decode()


def test_finance_reads_the_relink_list_without_household_links(desk, client_for):
    html = client_for(desk.world.finance).get(reverse("quota_relinks")).content.decode()

    assert "DS-2026-001" in html
    household = Nomination.objects.get(household__reference="DS-2026-001").household
    assert household.get_absolute_url() not in html


# --- Access: every quota URL against every persona ---------------------------------------------

READ = ["dashboard", "municipality", "drilldown", "relinks"]
MANAGE = ["periods", "targets", "rule", "periods post", "targets post", "rule post"]


def quota_urls(world) -> dict[str, tuple[str, str, dict]]:
    return {
        "dashboard": ("get", reverse("quota_dashboard"), {}),
        "municipality": ("get", reverse("quota_municipality", args=[world.dordrecht.pk]), {}),
        "drilldown": ("get", reverse("quota_drilldown", args=[world.dordrecht.pk, "2026-2"]), {}),
        "relinks": ("get", reverse("quota_relinks"), {}),
        "periods": ("get", reverse("quota_periods"), {}),
        "targets": ("get", reverse("quota_targets", args=["2026-2"]), {}),
        "rule": ("get", reverse("quota_rule"), {}),
        "periods post": ("post", reverse("quota_periods"), {"year": 2027, "half": 1}),
        "targets post": (
            "post",
            reverse("quota_targets", args=["2026-2"]),
            {"save": "1", f"m{world.dordrecht.pk}-net_target": "99"},
        ),
        "rule post": (
            "post",
            reverse("quota_rule"),
            {"counting_date": "move_in", "credited": "linked", "own_home_credited": "registration"},
        ),
    }


def answers(client, world) -> dict[str, int]:
    result = {}
    for name, (method, url, data) in quota_urls(world).items():
        result[name] = getattr(client, method)(url, data).status_code
    return result


def test_anonymous_visitors_are_sent_to_the_login_page(desk, client):
    for name, (method, url, data) in quota_urls(desk.world).items():
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name


def test_a_corporation_has_no_access_to_the_quota(desk, client_for):
    assert set(answers(client_for(desk.world.corporation), desk.world).values()) == {403}
    assert QuotaPeriod.objects.count() == 2
    assert QuotaRule.for_region(desk.world.drecht).counting_date == CountingDate.LEASE_START


@pytest.mark.parametrize("persona", ["officer", "partner", "finance"])
def test_readers_see_the_figures_but_cannot_change_them(desk, client_for, persona):
    result = answers(client_for(getattr(desk.world, persona)), desk.world)

    assert {name: result[name] for name in READ} == dict.fromkeys(READ, 200)
    assert {name: result[name] for name in MANAGE} == dict.fromkeys(MANAGE, 403)
    assert QuotaPeriod.objects.count() == 2
    assert net_target(desk.world.dordrecht, desk.second) == 8
    assert QuotaRule.for_region(desk.world.drecht).counting_date == CountingDate.LEASE_START


def test_the_coordinator_may_do_everything(desk, client_for):
    result = answers(client_for(desk.world.coordinator), desk.world)

    assert {name: result[name] for name in READ + MANAGE[:3]} == dict.fromkeys(
        READ + MANAGE[:3], 200
    )
    # The posts succeed and redirect: a new period, targets saved, the rule changed.
    assert {name: result[name] for name in MANAGE[3:]} == dict.fromkeys(MANAGE[3:], 302)


def test_an_outsider_sees_only_their_own_region(desk, client_for):
    otto = desk.world.outsider
    client = client_for(otto)
    target(desk.second, desk.world.woerden, 7)

    dashboard = client.get(reverse("quota_dashboard"))
    assert dashboard.status_code == 200
    assert [r[0] for r in table_rows(dashboard, "quota-table")[1:-1]] == ["Woerden"]
    assert dashboard_row(dashboard, "Woerden")[:4] == ["7", "0", "7", "0"]
    html = dashboard.content.decode()
    assert "Dordrecht" not in html and "DS-2026" not in html

    for name in ("municipality", "drilldown"):
        _, url, _ = quota_urls(desk.world)[name]
        assert client.get(url).status_code == 404, name
    relinks = client.get(reverse("quota_relinks"))
    assert relinks.status_code == 200 and "DS-2026-001" not in relinks.content.decode()

    # Otto manages his own region's targets: the Drechtsteden rows are not his to set.
    targets = client.get(reverse("quota_targets", args=["2026-2"]))
    assert [f.municipality for f in targets.context["forms"]] == [desk.world.woerden]
    sent = {
        "save": "1",
        f"m{desk.world.woerden.pk}-net_target": "6",
        f"m{desk.world.dordrecht.pk}-net_target": "99",
    }
    client.post(reverse("quota_targets", args=["2026-2"]), sent)
    assert QuotaTarget.objects.get(municipality=desk.world.woerden).net_target == 6
    assert net_target(desk.world.dordrecht, desk.second) == 8
    # ... and his own region's counting rule.
    client.post(
        reverse("quota_rule"),
        {"counting_date": "move_in", "credited": "dwelling", "own_home_credited": "registration"},
    )
    assert QuotaRule.for_region(desk.world.woerden_region).counting_date == CountingDate.MOVE_IN
    assert QuotaRule.for_region(desk.world.drecht).counting_date == CountingDate.LEASE_START


def test_a_non_participating_municipality_has_no_quota_page(desk, client_for):
    url = reverse("quota_municipality", args=[desk.world.sliedrecht.pk])

    assert client_for(desk.world.coordinator).get(url).status_code == 404


# --- Periods --------------------------------------------------------------------------------


def test_the_coordinator_adds_a_period_and_goes_on_to_its_targets(desk, client_for):
    response = client_for(desk.world.coordinator).post(
        reverse("quota_periods"), {"year": "2027", "half": "1"}
    )

    assert response.status_code == 302
    assert response.url == reverse("quota_targets", args=["2027-1"])
    assert QuotaPeriod.objects.filter(year=2027, half=1).exists()


def test_a_duplicate_period_is_refused_with_a_message(desk, client_for):
    response = client_for(desk.world.coordinator).post(
        reverse("quota_periods"), {"year": "2026", "half": "2"}
    )

    assert response.status_code == 400
    assert nl("This period already exists.") in response.content.decode()
    assert QuotaPeriod.objects.count() == 2


def test_the_duplicate_period_message_is_shown_once(desk, client_for):
    response = client_for(desk.world.coordinator).post(
        reverse("quota_periods"), {"year": "2026", "half": "2"}
    )

    assert response.content.decode().count(nl("This period already exists.")) == 1


def test_a_period_needs_a_valid_half_and_year(desk, client_for):
    client = client_for(desk.world.coordinator)

    response = client.post(reverse("quota_periods"), {"year": "2027", "half": "3"})
    assert response.status_code == 400
    assert 'id="id_half_error"' in response.content.decode()
    response = client.post(reverse("quota_periods"), {"year": "1999", "half": "1"})
    assert response.status_code == 400
    assert 'id="id_year_error"' in response.content.decode()
    assert QuotaPeriod.objects.count() == 2


# --- Targets, typed -------------------------------------------------------------------------


def targets_post(world, **values) -> dict[str, str]:
    """The targets form as sent: ``values`` keyed by municipality attribute, each a dict of
    net_target, opening_override and override_reason (missing: left empty)."""
    data = {"save": "1"}
    for attribute in ("dordrecht", "papendrecht", "zwijndrecht"):
        pk = getattr(world, attribute).pk
        row = values.get(attribute, {})
        for field in ("net_target", "opening_override", "override_reason"):
            data[f"m{pk}-{field}"] = str(row.get(field, ""))
    return data


def test_the_coordinator_enters_the_targets_of_a_new_period(desk, client_for):
    new = period(2027, 1)
    response = client_for(desk.world.coordinator).post(
        reverse("quota_targets", args=["2027-1"]),
        targets_post(
            desk.world,
            dordrecht={"net_target": 131},
            papendrecht={"net_target": 34, "opening_override": -3, "override_reason": "Provincie"},
            zwijndrecht={"net_target": 48},
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("quota_dashboard") + "?period=2027-1"
    stored = {
        t.municipality.name: (t.net_target, t.opening_override, t.override_reason)
        for t in QuotaTarget.objects.filter(period=new)
    }
    assert stored == {
        "Dordrecht": (131, None, ""),
        "Papendrecht": (34, -3, "Provincie"),
        "Zwijndrecht": (48, None, ""),
    }


def test_the_targets_page_shows_the_carried_balance(desk, client_for):
    period(2027, 1)
    response = client_for(desk.world.coordinator).get(reverse("quota_targets", args=["2027-1"]))

    rows = {r[0]: r[2] for r in table_rows(response, "targets")[1:]}
    assert rows == {"Dordrecht": "-12", "Papendrecht": "-7", "Zwijndrecht": "-5"}


def test_a_negative_target_is_refused_next_to_the_field(desk, client_for):
    new = period(2027, 1)
    response = client_for(desk.world.coordinator).post(
        reverse("quota_targets", args=["2027-1"]),
        targets_post(desk.world, dordrecht={"net_target": -4}, zwijndrecht={"net_target": 48}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(rf'id="id_m{desk.world.dordrecht.pk}-net_target_error">([^<]+)<', html)
    assert error, html
    assert "0" in error.group(1)
    assert 'aria-invalid="true"' in html
    assert not QuotaTarget.objects.filter(period=new).exists()  # not even Zwijndrecht's


def test_an_override_without_a_reason_is_refused(desk, client_for):
    new = period(2027, 1)
    response = client_for(desk.world.coordinator).post(
        reverse("quota_targets", args=["2027-1"]),
        targets_post(
            desk.world,
            dordrecht={"net_target": 131, "opening_override": -20, "override_reason": "  "},
        ),
    )

    assert response.status_code == 400
    error = re.search(
        rf'id="id_m{desk.world.dordrecht.pk}-override_reason_error">([^<]+)<',
        response.content.decode(),
    )
    assert error.group(1) == nl("Give a reason when you override the carried balance.")
    assert not QuotaTarget.objects.filter(period=new).exists()


def test_an_override_without_a_target_is_refused(desk, client_for):
    period(2027, 1)
    response = client_for(desk.world.coordinator).post(
        reverse("quota_targets", args=["2027-1"]),
        targets_post(desk.world, dordrecht={"opening_override": 5, "override_reason": "COA"}),
    )

    assert response.status_code == 400
    assert nl("Enter the net target as well.") in response.content.decode()
    assert not QuotaTarget.objects.filter(period__year=2027).exists()


def test_emptying_a_target_removes_it(desk, client_for):
    response = client_for(desk.world.coordinator).post(
        reverse("quota_targets", args=["2026-2"]),
        targets_post(desk.world, dordrecht={"net_target": 8}, papendrecht={"net_target": 9}),
    )

    assert response.status_code == 302
    assert set(
        QuotaTarget.objects.filter(period=desk.second).values_list("municipality__name", flat=True)
    ) == {"Dordrecht", "Papendrecht"}


# --- Targets, pasted ------------------------------------------------------------------------

PASTE = "Gemeente;Taakstelling\nDordrecht;131\nGM0642\t48\nPapendrecht, 34\n"


def net_target_inputs(response, world) -> dict[str, str | None]:
    html = response.content.decode()
    result = {}
    for attribute in ("dordrecht", "papendrecht", "zwijndrecht"):
        pk = getattr(world, attribute).pk
        tag = re.search(rf'<input[^>]*name="m{pk}-net_target"[^>]*>', html).group(0)
        value = re.search(r'value="([^"]*)"', tag)
        result[attribute] = value.group(1) if value else None
    return result


def test_a_pasted_table_fills_the_form_for_checking_and_saves_nothing(desk, client_for):
    new = period(2027, 1)
    client = client_for(desk.world.coordinator)
    url = reverse("quota_targets", args=["2027-1"])

    response = client.post(url, {"paste": "1", "table": PASTE})

    assert response.status_code == 200
    assert net_target_inputs(response, desk.world) == {
        "dordrecht": "131",
        "zwijndrecht": "48",  # by its CBS code
        "papendrecht": "34",
    }
    assert nl("Check the pasted numbers, then save.") in response.content.decode()
    assert not QuotaTarget.objects.filter(period=new).exists()

    # Carla checks the numbers and saves them.
    response = client.post(
        url,
        targets_post(
            desk.world,
            dordrecht={"net_target": 131},
            papendrecht={"net_target": 34},
            zwijndrecht={"net_target": 48},
        ),
    )
    assert response.status_code == 302
    assert dict(
        QuotaTarget.objects.filter(period=new).values_list("municipality__name", "net_target")
    ) == {"Dordrecht": 131, "Papendrecht": 34, "Zwijndrecht": 48}


def test_a_paste_keeps_the_targets_it_does_not_mention(desk, client_for):
    response = client_for(desk.world.coordinator).post(
        reverse("quota_targets", args=["2026-2"]), {"paste": "1", "table": "Dordrecht;10"}
    )

    assert net_target_inputs(response, desk.world) == {
        "dordrecht": "10",
        "papendrecht": "9",
        "zwijndrecht": "5",
    }
    assert net_target(desk.world.dordrecht, desk.second) == 8


def test_a_bad_paste_lists_its_errors_by_line_and_saves_nothing(desk, client_for):
    new = period(2027, 1)
    table = (
        "Gemeente;Taakstelling\n"
        "Dordrecht;131\n"
        "Woerden;12\n"  # line 3: another region
        "Zwijndrecht;-4\n"  # line 4: negative
        "Dordrecht;130\n"  # line 5: twice
        "Sliedrecht;10\n"  # line 6: does not take part
        "Papendrecht\n"  # line 7: no number
    )

    response = client_for(desk.world.coordinator).post(
        reverse("quota_targets", args=["2027-1"]), {"paste": "1", "table": table}
    )

    assert response.status_code == 400
    box = re.search(r'id="paste-errors">(.*?)</div>', response.content.decode(), re.S)
    errors = re.findall(r"<li>(.*?)</li>", box.group(1))
    assert len(errors) == 5
    assert [re.search(r"\d+", e).group(0) for e in errors] == ["3", "4", "5", "6", "7"]
    assert "Woerden" in errors[0]
    assert "Zwijndrecht" in errors[1]
    assert "Dordrecht" in errors[2]
    assert "Sliedrecht" in errors[3]
    assert "Papendrecht" in errors[4]
    # The form is not filled from a paste with errors, and nothing is stored.
    assert net_target_inputs(response, desk.world)["dordrecht"] is None
    assert not QuotaTarget.objects.filter(period=new).exists()


def test_an_empty_paste_is_refused(desk, client_for):
    response = client_for(desk.world.coordinator).post(
        reverse("quota_targets", args=["2026-2"]), {"paste": "1", "table": ""}
    )

    assert response.status_code == 400
    assert 'id="id_table_error"' in response.content.decode()


# --- The counting rule ------------------------------------------------------------------------


def test_changing_the_counting_rule_changes_the_realised_numbers(desk, client_for):
    client = client_for(desk.world.coordinator)

    response = client.post(
        reverse("quota_rule"),
        {"counting_date": "move_in", "credited": "dwelling", "own_home_credited": "registration"},
    )
    assert response.status_code == 302
    assert response.url == reverse("quota_dashboard")

    # Counted on the move-in date: DS-2026-001 (moved in 3 Jul) leaves 2026-I for 2026-II, and
    # DS-2026-004 (not moved in) waits in the pipeline.
    # Dordrecht 2026-I: 0 - 12 = -12 carried; 2026-II: adjusted 8 + 12 = 20,
    # realised 4 + 3 + 1 = 8, remaining 12 (6,0 a month), closing -12 + 8 - 8 = -12.
    # Papendrecht: realised 0, remaining 9 (4,5 a month), 2 lease signed, closing -9.
    response = client.get(reverse("quota_dashboard"))
    assert dashboard_row(response, "Dordrecht") == [
        "8", "-12", "20", "8", "12", "6,0", "2", "0", "-12",
    ]  # fmt: skip
    assert dashboard_row(response, "Papendrecht") == [
        "9", "0", "9", "0", "9", "4,5", "0", "2", "-9",
    ]  # fmt: skip
    assert nl("move-in date") in re.search(
        r'id="counting-rule">(.*?)</p>', response.content.decode(), re.S
    ).group(1)


def test_counting_for_the_linked_municipality_moves_a_relinked_family(desk, client_for):
    client = client_for(desk.world.coordinator)
    client.post(
        reverse("quota_rule"),
        {"counting_date": "lease_start", "credited": "linked", "own_home_credited": "registration"},
    )

    # DS-2026-001 (4 persons, lease from 20 Jun) now counts for Zwijndrecht in 2026-I:
    # Zwijndrecht carries 0 + 4 - 0 = +4 into 2026-II: adjusted 5 - 4 = 1, closing +4 - 5 = -1.
    # Dordrecht 2026-I: 0 + 0 - 12 = -12; 2026-II: adjusted 20, realised 4, closing -16.
    response = client.get(reverse("quota_dashboard"))
    assert dashboard_row(response, "Zwijndrecht") == [
        "5", "4", "1", "0", "1", "0,5", "0", "0", "-1",
    ]  # fmt: skip
    assert dashboard_row(response, "Dordrecht") == [
        "8", "-12", "20", "4", "16", "8,0", "2", "0", "-16",
    ]  # fmt: skip
    rule = QuotaRule.for_region(desk.world.drecht)
    assert (rule.counting_date, rule.credited) == (
        CountingDate.LEASE_START,
        CreditedMunicipality.LINKED,
    )


def test_an_unknown_counting_rule_is_refused(desk, client_for):
    response = client_for(desk.world.coordinator).post(
        reverse("quota_rule"),
        {"counting_date": "signed_on", "credited": "dwelling", "own_home_credited": "registration"},
    )

    assert 'id="id_counting_date_error"' in response.content.decode()
    assert QuotaRule.for_region(desk.world.drecht).counting_date == CountingDate.LEASE_START


def test_an_invalid_counting_rule_answers_400_like_the_other_forms(desk, client_for):
    response = client_for(desk.world.coordinator).post(
        reverse("quota_rule"),
        {"counting_date": "signed_on", "credited": "dwelling", "own_home_credited": "registration"},
    )

    assert response.status_code == 400


def test_the_progress_line_never_runs_backwards(desk, client_for):
    placement(
        reference="DS-2026-005",
        dwelling=desk.world.dordrecht,
        persons=3,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on="2026-11-25",
        lease_start="2026-12-01",
    )

    html = client_for(desk.world.coordinator).get(reverse("quota_dashboard")).content.decode()

    for points in re.findall(r'<polyline points="([^"]*)"', html):
        xs = [float(point.split(",")[0]) for point in points.split()]
        assert xs == sorted(xs), points


# --- Query counts -------------------------------------------------------------------------------

# Measured with 3 and with 30 placements (households of three, one more arriving later):
#   3  session, user, membership
#   1  the counting rule
#   1  periods
#   1  participating municipalities
#   1  targets
#   2  placements (vacancy and household joined) and their present members (one prefetch)
#   2  households that found their own home, and their present members (one prefetch)
# +1: the OTP device of Carla's two-step login (django-otp); +1: the unread notices in the header.
DASHBOARD_QUERIES = 11 + 1 + 1
# The other quota pages, measured the same way (as Carla):
#   municipality  the dashboard's 11, plus the municipality with its region (one query,
#                 through ``regions.access.municipalities_in_scope``)
#   drilldown     the municipality page's 12, plus the households behind the numbers (one
#                 query, through Household.visible_to)
#   relinks       3 + the rule, the housed placements, their present members, the names
# quota_municipality: + 2 for the coordinator's change history section (the targets' history and
# the periods it names; audit app).
# Each + 1 for the unread notices in the header.
OTHER_PAGES = {
    "quota_municipality": 12 + 1 + 2 + 1,
    "quota_drilldown": 13 + 1 + 1,
    "quota_relinks": 7 + 1 + 1,
}


def add_placements(world, start: int, stop: int) -> None:
    municipalities = [world.dordrecht, world.zwijndrecht, world.papendrecht]
    statuses = [Nomination.Status.HOUSED, Nomination.Status.LEASE_SIGNED, Nomination.Status.VIEWING]
    for i in range(start, stop):
        status = statuses[i % 3]
        day = datetime.date(2026, 1 + i % 11, 1 + i % 27).isoformat()
        placement(
            dwelling=municipalities[i % 3],
            linked=municipalities[(i + 1) % 3],
            persons=3,
            status=status,
            lease_start=day if status != Nomination.Status.VIEWING else None,
            move_in=day if status == Nomination.Status.HOUSED else None,
            joined=["2026-11-20"],
            expected=1,
        )
        if i % 5 == 0:  # now and then a household that found its own home
            own_home(world, municipalities[i % 3], persons=2, day="2026-10-01")


def test_the_dashboard_query_count_does_not_grow_with_placements(
    world, client_for, django_assert_max_num_queries
):
    first, second = period(2026, 1), period(2026, 2)
    for m, net in ((world.dordrecht, 20), (world.zwijndrecht, 12), (world.papendrecht, 9)):
        target(first, m, net)
        target(second, m, net)
    QuotaRule.for_region(world.drecht)  # stored once; the first visit would create it
    client = client_for(world.coordinator)
    counts = []
    for start, stop in ((0, 3), (3, 30)):
        add_placements(world, start, stop)
        with django_assert_max_num_queries(DASHBOARD_QUERIES) as captured:
            response = client.get(reverse("quota_dashboard"))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts == [DASHBOARD_QUERIES, DASHBOARD_QUERIES]
    # 30 placements, 10 of each status; the 10 viewings are the pipeline, each with the 3
    # present from the start and the child who joined on 20 Nov (the one expected is not).
    assert response.context["totals"]["pipeline_nominated"] == 10 * 4


@pytest.mark.parametrize("page", OTHER_PAGES)
def test_the_other_quota_pages_do_not_grow_with_placements(
    world, client_for, django_assert_num_queries, page
):
    second = period(2026, 2)
    for m in (world.dordrecht, world.zwijndrecht, world.papendrecht):
        target(second, m, 10)
    QuotaRule.for_region(world.drecht)
    client = client_for(world.coordinator)
    args = {
        "quota_municipality": [world.dordrecht.pk],
        "quota_drilldown": [world.dordrecht.pk, "2026-2"],
        "quota_relinks": [],
    }[page]
    for start, stop in ((0, 3), (3, 30)):
        add_placements(world, start, stop)
        with django_assert_num_queries(OTHER_PAGES[page]):
            assert client.get(reverse(page, args=args)).status_code == 200

"""Own home: the municipality where the household registers and the date (issue 10, section 7).

Households already marked "found own home" get their linked municipality and the day of the
status change, so the constraint holds; the desk can correct them in the admin."""

import django.db.models.deletion
from django.db import migrations, models


def backfill_own_home(apps, schema_editor):
    Household = apps.get_model("placement", "Household")
    for household in Household.objects.filter(status="own_home"):
        household.own_home_municipality_id = household.linked_municipality_id
        household.own_home_date = max(household.status_changed_at.date(), household.link_date)
        household.save(update_fields=["own_home_municipality", "own_home_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("placement", "0007_vacancy_deadline_before_available"),
        ("regions", "0003_municipality_population_per_year"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="own_home_date",
            field=models.DateField(blank=True, null=True, verbose_name="registered on (own home)"),
        ),
        migrations.AddField(
            model_name="household",
            name="own_home_municipality",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="own_home_households",
                to="regions.municipality",
                verbose_name="registers in (own home)",
            ),
        ),
        migrations.RunPython(backfill_own_home, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("own_home_date__gte", models.F("link_date")),
                        ("own_home_date__isnull", False),
                        ("own_home_municipality__isnull", False),
                        ("status", "own_home"),
                    ),
                    models.Q(
                        models.Q(("status", "own_home"), _negated=True),
                        ("own_home_date__isnull", True),
                        ("own_home_municipality__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="household_own_home_recorded",
                violation_error_message=(
                    "A household with its own home has the municipality where it registers and "
                    "the date; other households have neither."
                ),
            ),
        ),
    ]

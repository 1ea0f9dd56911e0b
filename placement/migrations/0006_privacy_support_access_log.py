"""Minimisation by purpose (issue 9): caseload links, the read-access log (append-only on
PostgreSQL: a trigger refuses UPDATE and DELETE unless the retention purge set its
transaction-local flag), and length limits on free text (over-long values stored before are
cut to the limit first, so the new CHECK constraints hold)."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


GUARD = """
CREATE OR REPLACE FUNCTION placement_guard_personaldataview() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('placement.purging_views', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the read-access log is append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER placement_personaldataview_guard BEFORE UPDATE OR DELETE
    ON placement_personaldataview
    FOR EACH ROW EXECUTE FUNCTION placement_guard_personaldataview();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS placement_personaldataview_guard ON placement_personaldataview;
DROP FUNCTION IF EXISTS placement_guard_personaldataview();
"""

# (model, field, limit) of the fields that get a CHECK constraint on their length.
CUT = [("household", "medical_notes", 1000), ("household", "notes", 2000)]


def cut_to_limits(apps, schema_editor):
    from django.db.models.functions import Left, Length

    for model_name, field, limit in CUT:
        model = apps.get_model("placement", model_name)
        model.objects.annotate(n=Length(field)).filter(n__gt=limit).update(
            **{field: Left(field, limit)}
        )
    if schema_editor.connection.vendor == "postgresql":
        # No deferred checks may be pending when the constraints are added to the same table.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # A plain cursor: the SQL has PL/pgSQL "%" placeholders, not query parameters.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def guard(apps, schema_editor):
    _run(schema_editor, GUARD)


def unguard(apps, schema_editor):
    _run(schema_editor, UNGUARD)


class Migration(migrations.Migration):
    dependencies = [
        ("placement", "0005_nomination_reported_to_coa"),
        ("regions", "0002_municipality_help"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonalDataView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "viewed_at",
                    models.DateTimeField(
                        auto_now_add=True, db_index=True, verbose_name="viewed at"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("page", "page"),
                            ("partial", "page part"),
                            ("export", "export"),
                            ("pdf", "PDF"),
                        ],
                        max_length=10,
                        verbose_name="channel",
                    ),
                ),
                ("page", models.CharField(max_length=100, verbose_name="page")),
                (
                    "groups",
                    models.CharField(
                        help_text="The groups of personal data shown, comma-separated.",
                        max_length=100,
                        verbose_name="data shown",
                    ),
                ),
            ],
            options={
                "verbose_name": "read of personal data",
                "verbose_name_plural": "reads of personal data",
                "ordering": ["-viewed_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="SupportLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "may_see_income",
                    models.BooleanField(default=False, verbose_name="may see income"),
                ),
                (
                    "may_see_medical",
                    models.BooleanField(default=False, verbose_name="may see medical notes"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "caseload link",
                "verbose_name_plural": "caseload links",
                "ordering": ["household", "organisation__name"],
            },
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="decision",
            field=models.TextField(blank=True, max_length=1000, verbose_name="decision"),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="notes",
            field=models.TextField(blank=True, max_length=1000, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="household",
            name="medical_notes",
            field=models.TextField(
                blank=True,
                help_text="Sensitive: only what matters for housing.",
                max_length=1000,
                verbose_name="medical needs",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="notes",
            field=models.TextField(blank=True, max_length=2000, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="household",
            name="preferences",
            field=models.TextField(blank=True, max_length=1000, verbose_name="preferences"),
        ),
        migrations.AlterField(
            model_name="household",
            name="status_reason",
            field=models.TextField(
                blank=True, max_length=500, verbose_name="reason for the last status change"
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="notes",
            field=models.TextField(blank=True, max_length=2000, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="nomination",
            name="cancel_reason",
            field=models.TextField(
                blank=True, max_length=500, verbose_name="reason for cancelling"
            ),
        ),
        migrations.AlterField(
            model_name="nomination",
            name="override_reason",
            field=models.TextField(
                blank=True, max_length=500, verbose_name="justification for overriding the rules"
            ),
        ),
        migrations.AlterField(
            model_name="nomination",
            name="refusal_notes",
            field=models.TextField(
                blank=True, max_length=1000, verbose_name="notes on the refusal"
            ),
        ),
        migrations.AlterField(
            model_name="vacancy",
            name="remarks",
            field=models.TextField(blank=True, max_length=1000, verbose_name="remarks"),
        ),
        migrations.AlterField(
            model_name="vacancy",
            name="return_reason",
            field=models.TextField(blank=True, max_length=500, verbose_name="reason for returning"),
        ),
        migrations.RunPython(cut_to_limits, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("medical_notes"), 1000
                ),
                name="household_medical_notes_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("notes"), 2000
                ),
                name="household_notes_length",
            ),
        ),
        migrations.AddField(
            model_name="personaldataview",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="personal_data_views",
                to="placement.household",
                verbose_name="household",
            ),
        ),
        migrations.AddField(
            model_name="personaldataview",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="personal_data_views",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AddField(
            model_name="supportlink",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AddField(
            model_name="supportlink",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="support_links",
                to="placement.household",
                verbose_name="household",
            ),
        ),
        migrations.AddField(
            model_name="supportlink",
            name="organisation",
            field=models.ForeignKey(
                limit_choices_to={"kind": "support"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="support_links",
                to="regions.organisation",
                verbose_name="support organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="personaldataview",
            index=models.Index(fields=["household", "-viewed_at"], name="pdview_household_idx"),
        ),
        migrations.AddIndex(
            model_name="personaldataview",
            index=models.Index(fields=["user", "-viewed_at"], name="pdview_user_idx"),
        ),
        migrations.AddConstraint(
            model_name="personaldataview",
            constraint=models.CheckConstraint(
                condition=models.Q(("channel__in", ["page", "partial", "export", "pdf"])),
                name="personaldataview_channel_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="personaldataview",
            constraint=models.CheckConstraint(
                condition=models.Q(("groups", ""), _negated=True),
                name="personaldataview_groups_set",
            ),
        ),
        migrations.AddConstraint(
            model_name="supportlink",
            constraint=models.UniqueConstraint(
                fields=("household", "organisation"),
                name="supportlink_unique_household_organisation",
                violation_error_message="This organisation already supports this household.",
            ),
        ),
        migrations.RunPython(guard, unguard),
    ]

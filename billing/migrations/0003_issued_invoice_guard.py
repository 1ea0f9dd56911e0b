"""PostgreSQL guards issued invoices too: the model refuses changes, and these triggers refuse
them for bulk updates, raw SQL and anything else that goes around the model. (SQLite, the
development default, relies on the model alone.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION billing_guard_invoice() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'issued invoice % cannot be deleted', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- Recording the payment is the one change an issued invoice takes.
    IF (NEW.region_id, NEW.run_id, NEW.period_id, NEW.municipality_id, NEW.kind,
        NEW.credits_id, NEW.reason, NEW.number_year, NEW.sequence, NEW.number,
        NEW.issue_date, NEW.due_date, NEW.created_at)
       IS DISTINCT FROM
       (OLD.region_id, OLD.run_id, OLD.period_id, OLD.municipality_id, OLD.kind,
        OLD.credits_id, OLD.reason, OLD.number_year, OLD.sequence, OLD.number,
        OLD.issue_date, OLD.due_date, OLD.created_at)
       OR (NEW.status IS DISTINCT FROM OLD.status AND NEW.status <> 'paid')
       OR (OLD.status = 'paid' AND NEW.paid_on IS DISTINCT FROM OLD.paid_on) THEN
        RAISE EXCEPTION 'issued invoice % cannot change; make a credit note', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION billing_guard_invoice_line() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM billing_invoice
        WHERE status <> 'draft'
          AND id IN (
              CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.invoice_id END,
              CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.invoice_id END)
    ) THEN
        RAISE EXCEPTION 'lines of an issued invoice cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_invoice_guard BEFORE UPDATE OR DELETE ON billing_invoice
    FOR EACH ROW EXECUTE FUNCTION billing_guard_invoice();
CREATE TRIGGER billing_invoiceline_guard BEFORE INSERT OR UPDATE OR DELETE ON billing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION billing_guard_invoice_line();
"""

DROP = """
DROP TRIGGER IF EXISTS billing_invoiceline_guard ON billing_invoiceline;
DROP TRIGGER IF EXISTS billing_invoice_guard ON billing_invoice;
DROP FUNCTION IF EXISTS billing_guard_invoice_line();
DROP FUNCTION IF EXISTS billing_guard_invoice();
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # A plain cursor: the SQL has PL/pgSQL "%" placeholders, not query parameters.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def create(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_costkey_amount_not_null")]
    operations = [migrations.RunPython(create, drop)]

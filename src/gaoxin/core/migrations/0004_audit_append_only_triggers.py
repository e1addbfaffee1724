"""On PostgreSQL, the audit tables refuse UPDATE, and DELETE of rows younger than 180 days, in the database.

The ORM already refuses both (AppendOnlyModel); this also stops a mistaken SQL console session or a
script that bypasses Django (等保2.0 8.1.4.3 c: protect audit records from tampering). Pruning rows older
than the retention period (`gaoxin audit prune`) still works. SQLite has no such guard: its test runs
flush tables with DELETE, and production runs on PostgreSQL.
"""

from django.db import migrations

TABLES = ("core_objectchange", "core_securityevent")

CREATE = """
CREATE OR REPLACE FUNCTION gaoxin_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit records cannot be modified (%%)', TG_TABLE_NAME;
    END IF;
    IF OLD.time > now() - interval '180 days' THEN
        RAISE EXCEPTION 'audit records younger than 180 days cannot be deleted (%%)', TG_TABLE_NAME;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION gaoxin_audit_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS gaoxin_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_security_event_audit_pruned")]
    operations = [migrations.RunPython(forwards, backwards)]

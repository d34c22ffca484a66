import django.db.models.deletion
from django.db import migrations, models


def create_warning_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS supervision_task_warning_idx"
            " ON approvals_reviewtask (due_on, id)"
            " INCLUDE (department_id, jurisdiction_id, matter_id, yellow_on, warned_yellow_at)"
            " WHERE state IN ('pending', 'reviewing') AND paused_since IS NULL"
        )


def drop_warning_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS supervision_task_warning_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0015_inbox_and_sweep_indexes"),
        ("supervision", "0002_decision_summary"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectMilestones",
            fields=[
                (
                    "project",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="supervision_milestones",
                        serialize=False,
                        to="approvals.project",
                        verbose_name="项目",
                    ),
                ),
                ("first_submitted", models.DateTimeField(verbose_name="首次申报立项用地规划许可")),
                ("permit_decided", models.DateTimeField(null=True, verbose_name="施工许可办结")),
            ],
            options={
                "verbose_name": "项目节点汇总",
                "verbose_name_plural": "项目节点汇总",
            },
        ),
        # The summary state now covers the milestones too: forget it, so the
        # next beat rebuilds both and every figure reads live until then.
        migrations.RunSQL("DELETE FROM supervision_summarystate", migrations.RunSQL.noop),
        # Indexes on approvals' tables that only supervision reads; approvals
        # has none of its own on these columns. Drop them if it adds one.
        #
        # Projects whose milestones changed since the summary's edge: stage-1
        # submissions since then (decisions use supervision_application_decided_idx).
        migrations.RunSQL(
            "CREATE INDEX supervision_application_submitted_idx"
            " ON approvals_application (submitted_at) WHERE submitted_at IS NOT NULL",
            "DROP INDEX supervision_application_submitted_idx",
        ),
        # Red and yellow warnings: the open, running tasks with every column
        # the counts by department and the most urgent list read, so both are
        # index-only scans in due order (75,000 warned tasks at 1,000,000:
        # ~200 ms reading the table's pages, a few ms from here).
        # INCLUDE is PostgreSQL's: SQLite (`make run`) gets no such index.
        migrations.RunPython(create_warning_index, drop_warning_index),
    ]

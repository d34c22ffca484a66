"""Copy each project's jurisdiction onto its applications (inbox scoping
without a join), with the index the district inbox uses."""

import django.db.models.deletion
from django.db import migrations, models


def copy_jurisdiction(apps, schema_editor):
    Application = apps.get_model("approvals", "Application")
    Project = apps.get_model("approvals", "Project")
    for project_id, jurisdiction_id in Project.objects.values_list("pk", "jurisdiction_id"):
        Application.objects.filter(project_id=project_id).update(jurisdiction_id=jurisdiction_id)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0008_declaration_and_material_history"),
        ("stages", "0004_certificates"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="jurisdiction",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="stages.jurisdiction",
                verbose_name="行政区划",
            ),
        ),
        migrations.RunPython(copy_jurisdiction, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["jurisdiction", "state", "submitted_at"],
                name="application_district_inbox_idx",
            ),
        ),
    ]

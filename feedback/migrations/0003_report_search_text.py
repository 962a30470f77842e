from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    from feedback.models import search_key

    Report = apps.get_model("feedback", "Report")
    for report in Report.objects.only("pk", "title", "content").iterator():
        Report.objects.filter(pk=report.pk).update(
            search_text=search_key(f"{report.title}\n{report.content}")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_officials_roles_and_audit"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="search_text",
            field=models.TextField(
                blank=True, editable=False, verbose_name="chuỗi tìm kiếm"
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]

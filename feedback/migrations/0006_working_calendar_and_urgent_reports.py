from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0005_report_created_and_open_deadline_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkCalendarDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("day", models.DateField(unique=True, verbose_name="ngày")),
                (
                    "is_working_day",
                    models.BooleanField(
                        default=False,
                        help_text="Đánh dấu: ngày làm bù. Bỏ trống: ngày nghỉ.",
                        verbose_name="là ngày làm việc",
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="lý do")),
            ],
            options={
                "verbose_name": "lịch làm việc",
                "verbose_name_plural": "lịch làm việc",
                "ordering": ["day"],
            },
        ),
        migrations.AddField(
            model_name="category",
            name="is_urgent",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Phản ánh thuộc lĩnh vực này được xử lý khẩn, tính theo giờ.",
                verbose_name="khẩn",
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="urgent_hours",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Để trống: theo mặc định của hệ thống.",
                null=True,
                verbose_name="số giờ làm việc để xử lý khẩn",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="is_urgent",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="khẩn"
            ),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("assigned", "Chuyển cơ quan xử lý"),
                    ("category", "Đổi lĩnh vực"),
                    ("published", "Công khai trả lời"),
                    ("unpublished", "Thôi công khai"),
                    ("answer_file", "Đính kèm trả lời"),
                    ("exported", "Xuất danh sách"),
                    ("personal_viewed", "Xem dữ liệu cá nhân"),
                    ("urgent", "Đánh dấu khẩn"),
                    ("not_urgent", "Bỏ đánh dấu khẩn"),
                ],
                max_length=16,
                verbose_name="việc",
            ),
        ),
    ]

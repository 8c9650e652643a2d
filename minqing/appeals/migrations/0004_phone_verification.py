"""Texts go only to a proven phone (issue 13.5). Demands registered by staff (or through the API and the
hotline's key, which have an acting user) count as proven: staff checked the caller. Demands from the
public page stay unproven until the resident enters the code sent from the tracking page."""
from django.db import migrations, models
from django.db.models import F, Q


def staff_registered_are_verified(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    Appeal.objects.exclude(phone_cipher="").filter(
        Q(created_by__isnull=False) | ~Q(channel="web")).update(phone_verified_at=F("submitted_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0003_list_indexes_pattern_ops"),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="phone_verified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="电话验证时间"),
        ),
        migrations.RunPython(staff_registered_are_verified, migrations.RunPython.noop),
    ]

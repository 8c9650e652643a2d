from django.db import migrations

from minqing.residents.care_tags import DEFAULT_CARE_TAGS


def seed(apps, schema_editor):
    CareTag = apps.get_model("residents", "CareTag")
    for order, (code, name, cycle, description) in enumerate(DEFAULT_CARE_TAGS, start=1):
        CareTag.objects.get_or_create(code=code, defaults={
            "name": name, "visit_cycle_days": cycle, "description": description, "sort_order": order * 10,
        })


def unseed(apps, schema_editor):
    apps.get_model("residents", "CareTag").objects.filter(code__in=[c for c, *_ in DEFAULT_CARE_TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

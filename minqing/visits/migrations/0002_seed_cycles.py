"""Seed the visit cycles: every household once a quarter, and each care tag's suggested cycle."""
from django.db import migrations

EVERY_HOUSEHOLD_DAYS = 90


def seed(apps, schema_editor):
    VisitCycle = apps.get_model("visits", "VisitCycle")
    CareTag = apps.get_model("residents", "CareTag")
    VisitCycle.objects.get_or_create(community=None, tag=None, defaults={"interval_days": EVERY_HOUSEHOLD_DAYS})
    for tag in CareTag.objects.exclude(visit_cycle_days=None):
        if tag.visit_cycle_days < EVERY_HOUSEHOLD_DAYS:
            VisitCycle.objects.get_or_create(community=None, tag=tag, defaults={"interval_days": tag.visit_cycle_days})


def unseed(apps, schema_editor):
    apps.get_model("visits", "VisitCycle").objects.filter(community=None).delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial"), ("residents", "0002_seed_care_tags")]
    operations = [migrations.RunPython(seed, unseed)]

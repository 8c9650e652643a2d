from django.db import migrations


def seed(apps, schema_editor):
    from minqing.appeals.default_taxonomy import seed_default

    seed_default(apps.get_model("appeals", "Category"), apps.get_model("appeals", "ServiceLevel"))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

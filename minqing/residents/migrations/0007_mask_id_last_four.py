"""Issue 13: the stored masked ID number keeps only its last four characters (see core/masking.py)."""
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Length, Repeat, Right


def forwards(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    masked = Resident.objects.annotate(n=Length("id_number_masked")).filter(n__gt=8)
    masked.update(id_number_masked=Concat(Repeat(Value("*"), Length("id_number_masked") - 4),
                                          Right("id_number_masked", 4)))


class Migration(migrations.Migration):

    dependencies = [("residents", "0006_political_status")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

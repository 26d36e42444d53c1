"""Petition serials move to the one numbering mechanism (rounds.RecordCounter, kind "petition")."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    SerialCounter = apps.get_model("petitions", "SerialCounter")
    RecordCounter = apps.get_model("rounds", "RecordCounter")
    for counter in SerialCounter.objects.all():
        RecordCounter.objects.update_or_create(round_id=counter.round_id, kind="petition",
                                               defaults={"last": counter.last})


def copy_back(apps, schema_editor):
    SerialCounter = apps.get_model("petitions", "SerialCounter")
    RecordCounter = apps.get_model("rounds", "RecordCounter")
    for counter in RecordCounter.objects.filter(kind="petition"):
        SerialCounter.objects.update_or_create(round_id=counter.round_id, defaults={"last": counter.last})


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0001_initial"),
        ("rounds", "0004_record_counter"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(
            name="SerialCounter",
        ),
    ]

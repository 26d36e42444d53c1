"""The built-in taxonomies name their sources as a reader would (no developers' notes like "seed 000")."""

import re

from django.db import migrations

from xuncha.rounds.taxonomy_data import BUILTIN_TAXONOMIES


def forward(apps, schema_editor):
    Taxonomy = apps.get_model("rounds", "Taxonomy")
    for spec in BUILTIN_TAXONOMIES:
        Taxonomy.objects.filter(code=spec["code"], builtin=True).update(source=spec["source"])
    # copies an office made keep their text, less the note
    for tax in Taxonomy.objects.filter(source__icontains="seed"):
        Taxonomy.objects.filter(pk=tax.pk).update(source=re.sub(r"\s*[（(]\s*seed\s*\d+\s*[)）]", "", tax.source))


class Migration(migrations.Migration):
    dependencies = [("rounds", "0004_record_counter")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

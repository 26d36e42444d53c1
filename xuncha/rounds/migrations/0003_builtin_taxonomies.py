"""Ship the three built-in taxonomies of DESIGN.md (seed 000, 001, 004) as data."""

from django.db import migrations

from xuncha.rounds.taxonomy_data import BUILTIN_TAXONOMIES


def load(apps, schema_editor):
    Taxonomy = apps.get_model("rounds", "Taxonomy")
    Category = apps.get_model("rounds", "Category")
    for spec in BUILTIN_TAXONOMIES:
        tax, _ = Taxonomy.objects.update_or_create(
            code=spec["code"],
            defaults={"name": spec["name"], "source": spec["source"],
                      "description": spec["description"], "builtin": True, "jurisdiction": None})
        for i, (code, name, children) in enumerate(spec["categories"], start=1):
            parent, _ = Category.objects.update_or_create(
                taxonomy=tax, code=code, defaults={"name": name, "order": i, "parent": None})
            for j, (child_code, child_name) in enumerate(children, start=1):
                Category.objects.update_or_create(
                    taxonomy=tax, code=child_code,
                    defaults={"name": child_name, "order": j, "parent": parent})


def unload(apps, schema_editor):
    Taxonomy = apps.get_model("rounds", "Taxonomy")
    Taxonomy.objects.filter(code__in=[s["code"] for s in BUILTIN_TAXONOMIES], builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("rounds", "0002_round_ann_email_round_ann_hours_and_more")]
    operations = [migrations.RunPython(load, unload)]

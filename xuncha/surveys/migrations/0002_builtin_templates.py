"""Load the questionnaire templates shipped with the platform (xuncha/surveys/builtin.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from xuncha.surveys import builtin

    builtin.load(apps.get_model("surveys", "Survey"), apps.get_model("surveys", "Question"))


def unload(apps, schema_editor):
    apps.get_model("surveys", "Survey").objects.filter(builtin=True, round__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

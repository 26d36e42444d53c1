"""Run inside ``xuncha manage shell`` by the fault test: demo data, a round's files, one queued run."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile


def setup(data_dir: str) -> None:
    from xuncha.core import demo
    from xuncha.crosscheck import services
    from xuncha.crosscheck_engine import generator
    from xuncha.orgs.models import User
    from xuncha.rounds.models import Round

    demo.load()
    user = User.objects.get(username="zuyuan")
    round_ = Round.objects.get(jurisdiction__parent=None, number=1, year=2026)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(Path(data_dir).iterdir())]
    if not round_.data_files.exists():
        services.upload_files(user, round_, files)
    run = services.start_run(user, round_, as_of=generator.AS_OF)
    print(f"RUN={run.pk}")

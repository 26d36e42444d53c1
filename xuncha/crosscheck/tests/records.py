"""Records of 数据比对 made straight in the database (for tests that need them on any round, e.g. an
archived one, without running the engine)."""

from __future__ import annotations

from datetime import date

from xuncha.crosscheck.models import CheckRun, DataFile, Suspicion
from xuncha.files.models import StoredFile


def data_file(round_) -> DataFile:
    stored = StoredFile.objects.create(file="store/x.csv", original_name="payments.csv", kind="csv", size=1,
                                       sha256="0" * 64)
    return DataFile.objects.create(round=round_, name="payments.csv", table_code="payments", stored=stored,
                                   rows=1, status=DataFile.Status.OK)


def suspicion(round_, *, status=Suspicion.Status.OPEN) -> Suspicion:
    number = (round_.check_runs.count() or 0) + 1
    run = CheckRun.objects.create(round=round_, number=number, status=CheckRun.Status.SUCCEEDED, as_of=date(2026, 1, 1),
                                  policy_label="默认", policy_toml="", policy_sha256="0" * 64, engine_version="t")
    return Suspicion.objects.create(run=run, round=round_, finding_no=1, rule="R05", title="缓缴到期未缴",
                                    category="RF-YD", amount=1000, summary="测试疑点", primary_record="approvals:X",
                                    key="R05|APPROVALS:X", fingerprint="f" * 64, status=status)

"""State changes of 数据比对 in a round: data files, runs, policies (核实 is in ``decisions``).

Every function checks permission through ``xuncha.policy.crosscheck``, refuses on an archived round
(``require_open``), runs in a transaction and writes the audit trail.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import duckdb
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.crosscheck_engine.errors import DataError, DataErrors
from xuncha.crosscheck_engine.reader import load_file
from xuncha.crosscheck_engine.tables import TABLES, table_for_filename
from xuncha.files.services import check_upload, clean_name, store_bytes, store_upload
from xuncha.policy.crosscheck import check_policy_policy, crosscheck_policy
from xuncha.rounds.guards import require_open

from . import policies
from .models import CheckPolicy, CheckRun, DataFile

DATA_KINDS = ("xlsx", "xls", "csv")
MAX_DATA_SIZE = 200 * 1024 * 1024
MAX_FILES = 50


def error_dict(exc: DataError) -> dict:
    return {"file": exc.file or "", "row": exc.row, "column": exc.column or "", "expected": exc.expected or "",
            "value": exc.value if exc.value is None else str(exc.value)[:200], "message": exc.message}


def errors_of(exc: DataError) -> list[dict]:
    return [error_dict(e) for e in (exc.errors if isinstance(exc, DataErrors) else [exc])]


def inspect_file(path: Path) -> tuple[str, int, list[dict], list[str]]:
    """(table code, rows, errors, sheets not read) of one department file, read as the engine reads it."""
    table = table_for_filename(path.name)
    if table is None:
        names = "、".join(f"{t.code}/{t.name}" for t in TABLES.values())
        err = DataError(f"文件 {path.name}：文件名应以表的代码或中文名开头，或含有一张表的名称（{names}），否则比对时不会导入",
                        file=path.name, expected="以表代码或中文名开头的文件名", value=path.name)
        return "", 0, [error_dict(err)], []
    con = duckdb.connect()
    try:
        with tempfile.TemporaryDirectory(prefix="xuncha_upload_") as tmp:
            rows, not_read = load_file(con, path, table, Path(tmp), table.code)
        return table.code, rows, [], not_read
    except DataError as exc:
        return table.code, 0, errors_of(exc), []
    finally:
        con.close()


def upload_files(actor, round_, files, *, request=None) -> list[DataFile]:
    """上传数据文件: each is stored, then read as the engine would; a file of the same name replaces the
    one before it (kept for the runs that used it). Files with errors are kept with their errors."""
    require_open(round_)
    crosscheck_policy.require(actor, "work", round_)
    files = list(files)
    if not files:
        raise ValidationError("请选择要上传的数据文件（.xlsx、.xls 或 .csv）。")
    if len(files) > MAX_FILES:
        raise ValidationError(f"一次最多上传 {MAX_FILES} 个文件。")
    for f in files:   # every file is checked before any is stored
        check_upload(f, kinds=DATA_KINDS, max_size=MAX_DATA_SIZE)
    names = [clean_name(f.name) for f in files]
    if len(set(names)) != len(names):
        raise ValidationError("同一次上传中有重名文件：" + "、".join(sorted({n for n in names if names.count(n) > 1})))
    out = []
    with transaction.atomic():
        for f, name in zip(files, names, strict=True):
            stored = store_upload(f, actor=actor, kinds=DATA_KINDS, max_size=MAX_DATA_SIZE)
            with tempfile.TemporaryDirectory(prefix="xuncha_upload_") as tmp:
                path = Path(tmp) / name
                with stored.file.open("rb") as src:
                    path.write_bytes(src.read())
                code, rows, errors, notes = inspect_file(path)
            DataFile.objects.filter(round=round_, name=name, active=True).update(active=False)
            df = DataFile.objects.create(round=round_, name=name, table_code=code, stored=stored, rows=rows,
                                         status=DataFile.Status.ERROR if errors else DataFile.Status.OK,
                                         errors=errors[:500], notes=notes, uploaded_by=actor)
            record(actor, "crosscheck.upload", df, request=request,
                   summary=f"上传比对数据文件 {name}（{df.get_status_display()}，{rows} 行，{len(errors)} 处错误）",
                   data={"round": round_.pk, "file": stored.pk, "sha256": stored.sha256, "errors": len(errors)})
            out.append(df)
    return out


def remove_file(actor, data_file: DataFile, *, request=None) -> None:
    """移除数据文件: it is no longer used by the next run (runs that used it keep it)."""
    require_open(data_file.round)
    crosscheck_policy.require(actor, "work", data_file.round)
    if not data_file.active:
        raise ValidationError("该文件已不在使用中。")
    with transaction.atomic():
        data_file.active = False
        data_file.save(update_fields=["active"])
        record(actor, "crosscheck.remove_file", data_file, request=request,
               summary=f"移除比对数据文件 {data_file.name}", data={"round": data_file.round_id})


def engine_version() -> str:
    """The package version and a digest of the engine's source: two runs with the same string ran
    the same engine code."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    import xuncha.crosscheck_engine as engine

    root = Path(engine.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".toml", ".csv") and "tests" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    try:
        v = version("xuncha")
    except PackageNotFoundError:
        v = "0"
    return f"xuncha {v} 引擎 {digest.hexdigest()[:12]}"


def start_run(actor, round_, *, as_of: dt.date | None = None, request=None) -> CheckRun:
    """运行比对: a background job on the round's current data files, with the policy in force."""
    from .jobs import run_check_job

    require_open(round_)
    crosscheck_policy.require(actor, "work", round_)
    as_of = as_of or timezone.localdate()
    files = list(DataFile.objects.filter(round=round_, active=True).select_related("stored").order_by("name"))
    if not files:
        raise ValidationError("还没有上传数据文件。")
    broken = [f.name for f in files if f.status == DataFile.Status.ERROR]
    if broken:
        raise ValidationError(f"以下文件有错误，请修正后重新上传（或移除）再运行：{'、'.join(broken)}")
    if round_.check_runs.filter(status__in=[CheckRun.Status.QUEUED, CheckRun.Status.RUNNING]).exists():
        raise ValidationError("本轮已有一次比对在排队或运行，请等它结束。")
    policy, label, toml = policies.policy_for(round_, as_of.year)
    policies.validate(toml)
    with transaction.atomic():
        number = (round_.check_runs.aggregate(n=Max("number"))["n"] or 0) + 1
        run = CheckRun.objects.create(
            round=round_, number=number, as_of=as_of, policy=policy, policy_label=label, policy_toml=toml,
            policy_sha256=policies.sha256(toml), engine_version=engine_version(), created_by=actor,
            files=[{"name": f.name, "table": f.table_code, "rows": f.rows, "size": f.stored.size,
                    "sha256": f.stored.sha256, "stored": f.stored_id, "data_file": f.pk} for f in files])
        run.data_files.set(files)
        result = run_check_job.enqueue(run.pk)
        run.task_id = str(result.id)
        run.save(update_fields=["task_id"])
        record(actor, "crosscheck.start_run", run, request=request,
               summary=f"运行数据比对（第{number}次，{len(files)} 个文件，{label}）",
               data={"round": round_.pk, "task": run.task_id, "policy_sha256": run.policy_sha256,
                     "files": [[f.name, f.stored.sha256] for f in files]})
    return run


# ---- 比对策略 ------------------------------------------------------------------------------------

def save_policy(actor, jurisdiction, year: int, toml: str, *, request=None) -> CheckPolicy:
    """保存比对策略 (form or imported TOML): validated by the engine before it is kept."""
    check_policy_policy.require(actor, "manage_policy", jurisdiction)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError("年度应在 2000 到 2100 之间。")
    policies.validate(toml)
    with transaction.atomic():
        obj, created = CheckPolicy.objects.update_or_create(
            jurisdiction=jurisdiction, year=year, defaults={"toml": toml, "updated_by": actor})
        record(actor, "crosscheck.save_policy", obj, request=request,
               summary=f"{'新建' if created else '修改'}{obj}", data={"sha256": policies.sha256(toml)})
    return obj


def run_workbook(actor, run: CheckRun, *, request=None):
    """疑点清单 .xlsx of a run (a ``StoredFile``). The job leaves it unwritten (its cost kept off every run, see
    README); the first export makes it from the run's ``findings.jsonl`` and ``result.json`` — the engine's
    very workbook — and keeps it, later exports hand that one out. Raises ``ValidationError`` in Chinese
    when the run has none or its output is gone or damaged."""
    from xuncha.crosscheck_engine import output

    from .jobs import output_digest
    from .selectors import run_folder

    crosscheck_policy.require(actor, "export", run.round)
    if run.workbook_id is not None:
        return run.workbook
    folder = run_folder(run) if run.status == CheckRun.Status.SUCCEEDED else None
    if folder is None or not run.output_sha256:
        raise ValidationError(f"{run}没有疑点清单：比对没有完成。")
    out = folder / "out"
    try:
        if output_digest(out) != run.output_sha256:
            raise ValueError("结果文件与比对完成时不同")
        path = output.workbook_later(out)
    except FileNotFoundError as exc:
        raise ValidationError(f"{run}的结果文件已不在，做不出疑点清单。请重新运行比对。") from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError(f"{run}的结果文件已损坏或被改动，做不出疑点清单（{exc}）。请重新运行比对。") from exc
    data = path.read_bytes()
    with transaction.atomic():
        run = CheckRun.objects.select_for_update().get(pk=run.pk)
        if run.workbook_id is None:   # not made meanwhile by another export
            run.workbook = store_bytes(data, name=f"疑点清单_第{run.number}次比对.xlsx", kind="xlsx", actor=actor)
            run.save(update_fields=["workbook"])
            record(actor, "crosscheck.workbook", run, request=request,
                   summary=f"生成第{run.number}次比对疑点清单（{run.hits} 个疑点）", data={"round": run.round_id})
    return run.workbook

"""The background job of a run (Django's task framework): the engine on the round's data files.

Progress goes to the run's row (stage, percent) so the page's progress bar survives a reload. A job
cut off by a dead worker is marked failed with the reason when the next worker starts
(``interrupted``, registered in ``xuncha.tasks.health.INTERRUPTED_HANDLERS``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import unicodedata
from decimal import Decimal
from pathlib import Path

import duckdb
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from xuncha.crosscheck_engine.errors import DataError
from xuncha.crosscheck_engine.output import FINDINGS, RESULT
from xuncha.crosscheck_engine.runner import cpu_seconds, run_check
from xuncha.crosscheck_engine.tables import TABLES

from .decisions import FRESH
from .models import CheckRun, Suspicion

#: share of the bar at the start of each stage of ``run_check`` (then 保存疑点 up to 100)
STAGES = {"准备数据": 0, "导入": 2, "识别单位和项目": 40, "规则": 60, "整理证据": 75, "输出": 88, "保存疑点": 95}
CENT = Decimal("0.01")
#: rows per executemany
BATCH = 5000
_NEXT = {s: n for s, n in zip(STAGES, [*list(STAGES.values())[1:], 100], strict=True)}
#: the tables of the run's DuckDB file the platform reads: the imported tables with their company and
#: project ids, ``companies`` and ``projects`` (一项目一档, ``selectors.dossier`` / ``search_entities``)
#: and ``finding_records`` (the companies and projects of each 疑点, ``hit_entities``); the engine
#: writes no others (a tenth of a million rows less to compress, see README)
RUN_TABLES = frozenset({*TABLES, "companies", "projects", "finding_records"})


def run_dir(run: CheckRun) -> Path:
    return Path(settings.MEDIA_ROOT) / "crosscheck" / "runs" / str(run.pk)


@task()
def run_check_job(run_id: int) -> int:
    return execute(run_id)


class _Progress:
    """Writes the stage and percent to the run at most twice a second."""

    def __init__(self, run_id: int):
        self.run_id, self.last = run_id, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        start = STAGES.get(stage, 0)
        pct = start + (_NEXT.get(stage, start) - start) * (done / total if total else 1)
        CheckRun.objects.filter(pk=self.run_id, status=CheckRun.Status.RUNNING).update(
            stage=stage, percent=min(99, int(pct)))


def execute(run_id: int) -> int:
    """Run the check of one queued run; return the number of 疑点 (0 when the data was refused)."""
    claimed = CheckRun.objects.filter(pk=run_id, status=CheckRun.Status.QUEUED).update(
        status=CheckRun.Status.RUNNING, started_at=timezone.now(), stage="准备数据", percent=0)
    if not claimed:
        return 0
    run = CheckRun.objects.select_related("round").get(pk=run_id)
    workdir = run_dir(run)
    shutil.rmtree(workdir, ignore_errors=True)
    data = workdir / "data"
    data.mkdir(parents=True)
    started = (time.perf_counter(), cpu_seconds())
    try:
        for df in run.data_files.select_related("stored"):
            place_file(df.stored, data / df.name)
        policy_path = workdir / "policy.toml"
        policy_path.write_text(run.policy_toml, encoding="utf-8")
        progress = _Progress(run.pk)
        try:
            result = run_check(data, policy_path, run.as_of, workdir / "out", progress,
                               database=workdir / "run.duckdb", database_tables=RUN_TABLES, workbook=False)
        except DataError as exc:
            from .services import errors_of

            errors = errors_of(exc)
            _finish(run, CheckRun.Status.FAILED, message=f"输入数据有 {len(errors)} 处问题，未导入任何数据。"
                    "请按下列错误修正文件后重新上传。", errors=errors[:1000])
            return 0
        progress("保存疑点", 0, 1)
        save_result(run, result, workdir, started)
        return len(result.hits)
    except Exception as exc:
        _finish(run, CheckRun.Status.FAILED, message=f"运行出错：{type(exc).__name__}：{exc}")
        raise
    finally:
        shutil.rmtree(data, ignore_errors=True)


def place_file(stored, dest: Path) -> None:
    """The stored file under its upload name for the engine: a hard link (no copy of 100 MB of data)
    where the store is a local folder on the same disk, else a copy. The engine only reads it."""
    try:
        os.link(stored.file.path, dest)
        return
    except (NotImplementedError, AttributeError, OSError):
        pass
    with stored.file.open("rb") as src, open(dest, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)


def _finish(run: CheckRun, status: str, **fields) -> None:
    CheckRun.objects.filter(pk=run.pk).update(status=status, finished_at=timezone.now(), **fields)


def norm_key(text: str) -> str:
    """A record key as compared across runs: full-width folded, no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def fingerprint(rule: str, primary: str, amount) -> tuple[str, str]:
    """(key, fingerprint): the key is rule and primary record; the fingerprint adds the amount (cents)."""
    key = f"{rule}|{norm_key(primary)}"
    cents = Decimal(str(amount or 0)).quantize(CENT)
    return key[:220], hashlib.sha256(f"{key}|{cents}".encode()).hexdigest()


def _county(hit) -> str:
    for row in hit.evidence.get("rows", []):
        county = (row.get("values") or {}).get("区县")
        if county:
            return str(county)[:100]
    return ""


def hit_entities(db: Path) -> dict[int, list[str]]:
    """finding_no → the company (C…) and project (P…) ids of the records it names."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        parts = []
        for code, table in TABLES.items():
            cols = {r[0] for r in con.execute(f"DESCRIBE {code}").fetchall()}
            for col in ("company_id", "project_id"):
                if col in cols:
                    parts.append(f"SELECT fr.finding_no, t.{col} AS id FROM finding_records fr JOIN {code} t "
                                 f"ON fr.table_code = '{code}' AND t.{table.key.field} = fr.record_key "
                                 f"WHERE t.{col} IS NOT NULL")
        out: dict[int, list[str]] = {}
        for no, ids in con.execute(f"SELECT finding_no, list(DISTINCT id ORDER BY id) FROM "
                                   f"({' UNION ALL '.join(parts)}) GROUP BY finding_no").fetchall():
            out[no] = ids
        return out
    finally:
        con.close()


def line_spans(path: Path) -> list[tuple[int, int]]:
    """(byte offset, size) of each line of ``findings.jsonl``: where each 疑点's evidence is read back."""
    spans, at = [], 0
    with open(path, "rb") as fh:
        for line in fh:
            spans.append((at, len(line)))
            at += len(line)
    return spans


def output_digest(out: Path) -> str:
    """SHA-256 of the run's output the 疑点清单 is made from (``findings.jsonl``, then ``result.json``)."""
    digest = hashlib.sha256()
    for name in (FINDINGS, RESULT):
        with open(out / name, "rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
    return digest.hexdigest()


#: the columns of a 疑点 the job writes (records and evidence stay in findings.jsonl: empty here)
COLUMNS = ("run_id", "round_id", "finding_no", "rule", "title", "category", "amount", "summary", "county",
           "primary_record", "key", "fingerprint", "entities", "line_at", "line_size", "records", "evidence",
           *FRESH)


def insert_suspicions(rows: list[tuple]) -> None:
    """INSERT of many 疑点 rows (values in ``COLUMNS`` order, already adapted) with ``executemany``:
    a fifth of the CPU time of ``bulk_create``, which builds a model object and adapts every field."""
    ops = connection.ops
    meta = Suspicion._meta
    cols = ", ".join(ops.quote_name(meta.get_field(name).column) for name in COLUMNS)
    sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({cols}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i:i + BATCH])


def _timings(result, saving: tuple[float, float], started: tuple[float, float] | None) -> dict:
    """Wall seconds of the engine's stages, of saving the 疑点 and of the whole job, and the same in CPU
    seconds under ``cpu`` (the process, all threads, and the engine's name-parsing worker processes:
    ``cpu_seconds``): on a shared machine the steadier figure."""
    wall, cpu = dict(result.timings), dict(result.cpu_timings)
    wall["save"], cpu["save"] = time.perf_counter() - saving[0], cpu_seconds() - saving[1]
    if started:
        wall["job"], cpu["job"] = time.perf_counter() - started[0], cpu_seconds() - started[1]
    return {**{k: round(v, 3) for k, v in wall.items()}, "cpu": {k: round(v, 3) for k, v in cpu.items()}}


def save_result(run: CheckRun, result, workdir: Path, started: tuple[float, float] | None = None) -> None:
    """The 疑点 go into the database with what the list filters and sorts on and the fingerprint; their
    records and evidence stay in the run's ``findings.jsonl`` (read back by line, ``selectors.hit_of``).
    Decisions of the previous run are carried over as the rows are made, all inserted in one transaction."""
    from .decisions import carried, decisions_before

    saving = (time.perf_counter(), cpu_seconds())
    out = workdir / "out"
    spans, output_sha256 = line_spans(out / FINDINGS), output_digest(out)
    if len(spans) != len(result.hits):
        raise RuntimeError(f"{FINDINGS} 有 {len(spans)} 行，疑点却有 {len(result.hits)} 个")
    entities = hit_entities(result.database)
    ops = connection.ops
    json_value = ops.adapt_json_value
    no_records, no_evidence = json_value([], None), json_value({}, None)
    with transaction.atomic():
        before = decisions_before(run)
        rows = []
        for no, (hit, (at, size)) in enumerate(zip(result.hits, spans, strict=True), 1):
            primary = hit.records[0] if hit.records else f"#{no}"
            key, fp = fingerprint(hit.rule, primary, hit.amount)
            state = FRESH | (carried(fp, before.get(key)) or {})
            if state["decided_at"] is not None:
                state["decided_at"] = ops.adapt_datetimefield_value(state["decided_at"])
            rows.append((run.pk, run.round_id, no, hit.rule, hit.title[:100], hit.category,
                         ops.adapt_decimalfield_value(Decimal(str(hit.amount or 0)).quantize(CENT), 16, 2),
                         hit.summary, _county(hit), primary[:200], key, fp, json_value(entities.get(no, []), None),
                         at, size, no_records, no_evidence, *state.values()))
        insert_suspicions(rows)
        del rows
        # the 疑点清单 workbook is made on its first export (services.run_workbook), not here: about 1.5 CPU
        # seconds and 13 MB at 53,000 疑点, for a file exported now and then
        timings = _timings(result, saving, started)
        _finish(run, CheckRun.Status.SUCCEEDED, stage="完成", percent=100, hits=len(result.hits),
                workdir=str(workdir), output_sha256=output_sha256, tables=result.tables, skipped=result.skipped,
                unresolved=len(result.unresolved), timings=timings,
                rule_counts=[{"rule": s.rule, "title": s.title, "category": s.category, "ran": s.ran,
                              "hits": s.hits, "amount": round(s.amount, 2), "missing": s.missing}
                             for s in result.stats],
                message=f"完成：{len(result.hits)} 个疑点。")


def interrupted(task_id: str, reason: str) -> None:
    """A worker died while running this run's job (``xuncha.tasks.health.recover``)."""
    CheckRun.objects.filter(task_id=task_id, status__in=[CheckRun.Status.QUEUED, CheckRun.Status.RUNNING]).update(
        status=CheckRun.Status.FAILED, message=reason, finished_at=timezone.now())

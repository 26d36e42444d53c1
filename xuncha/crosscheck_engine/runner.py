"""Running a whole check (运行比对): import, resolve entities, run R01–R14, write the output."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .errors import DataError, DataErrors
from .policy import Policy, load_policy
from .reader import discover, load_file, sql_literal, table_fields
from .resolve import COMPANY_COLS, PROJECT_COLS, resolve
from .rules import CATEGORIES, RULES, Rule
from .tables import AREA, DATE, MONEY, NUMBER, TABLES

Progress = Callable[[str, int, int], None]

@dataclass
class Hit:
    rule: str
    title: str
    category: str
    records: list[str]
    amount: float
    summary: str
    evidence: dict

    def as_dict(self) -> dict:
        return {"rule": self.rule, "title": self.title, "category": self.category, "records": self.records,
                "amount": self.amount, "summary": self.summary, "evidence": self.evidence}


@dataclass
class RuleStat:
    rule: str
    title: str
    category: str
    ran: bool
    hits: int = 0
    amount: float = 0.0
    missing: list[str] = field(default_factory=list)  # tables it needed and did not get


@dataclass
class CheckResult:
    as_of: dt.date
    hits: list[Hit]
    stats: list[RuleStat]
    tables: dict[str, int]  # table code → rows imported
    files: dict[str, list[str]]
    ignored_files: list[str]
    timings: dict[str, float]
    database: Path | None = None  # the DuckDB file of the run, when run_check was asked for one
    # company names that fit several companies (or none) and that their context did not decide:
    # {"table", "file", "sheet", "row", "name", "candidates"}
    unresolved: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sheets and files not read, each with the reason
    # CPU seconds of the process (all threads) and of its worker processes per stage, beside the wall
    # ``timings``: on a shared machine the steadier figure
    cpu_timings: dict[str, float] = field(default_factory=dict)

    @property
    def not_run(self) -> dict[str, list[str]]:
        """Rules that did not run → the tables they lacked."""
        return {s.rule: s.missing for s in self.stats if not s.ran}

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process, all its threads, and of its child processes that have
    ended (the name-parsing worker processes of a run): a span is the difference of two calls. Beside
    the wall clock, the steadier figure on a shared machine; callers timing a run use it too."""
    try:
        import resource
    except ImportError:  # not on Unix: this process only
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _null_progress(stage: str, done: int, total: int) -> None:
    return None


def _sql_type(kind: str) -> str:
    return {MONEY: "DOUBLE", AREA: "DOUBLE", NUMBER: "DOUBLE", DATE: "DATE"}.get(kind, "VARCHAR")


def _empty_table(con, code: str) -> None:
    cols = ["_file VARCHAR", "_sheet VARCHAR", "_row BIGINT"]
    for c in TABLES[code].columns:
        cols.append(f"{c.field} {_sql_type(c.kind)}")
        if f"{c.field}_n" in table_fields(TABLES[code]):
            cols.append(f"{c.field}_n VARCHAR")
    con.execute(f"CREATE TABLE {code} ({', '.join(cols)})")


def import_tables(con, data_dir: Path, workdir: Path, progress: Progress) -> tuple[dict, dict, list, list]:
    """Load every table file of DATA_DIR; all errors of all files are collected and raised together."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(f"数据目录 {data_dir} 不存在或不是目录", file=str(data_dir))
    found, unknown = discover(data_dir)
    errors: list[DataError] = []
    counts: dict[str, int] = {}
    skipped: list[str] = []
    paths = [(code, p) for code, ps in found.items() for p in ps]
    done = 0
    # the tables are read by two threads side by side (each on a connection of its own, the files of one
    # table in order by one thread): DuckDB parses one file while Python lays out another; the results
    # are taken in the order of the files, and every table is put in a fixed row order below. The
    # costliest tables are started first, so that the two threads end about together (not one of them
    # left with a big workbook while the other has nothing to do)
    with ThreadPoolExecutor(max_workers=IMPORT_THREADS, thread_name_prefix="xuncha-import") as pool:
        futures = {code: pool.submit(_load_files, con, code, found[code], workdir)
                   for code in sorted(found, key=lambda c: -_import_cost(found[c]))}
        for code, ps in found.items():
            future = futures[code]
            for path, outcome in zip(ps, future.result(), strict=True):
                progress("导入", done, len(paths))
                done += 1
                if isinstance(outcome, DataErrors):
                    errors.extend(outcome.errors)
                elif isinstance(outcome, DataError):
                    errors.append(outcome)
                else:
                    n, not_read = outcome
                    counts[code] = counts.get(code, 0) + n
                    skipped += [f"{path.name}：{why}，未导入" for why in not_read]
    progress("导入", len(paths), len(paths))
    for code, ps in found.items():
        if len(ps) > 1 and code in counts:  # a key repeated in two files of one table
            key = TABLES[code].key
            for value, places in con.execute(
                    f"SELECT min({key.field}), list(_file || coalesce(' 工作表「' || _sheet || '」', '') || ' 第' "
                    f"|| _row || '行' ORDER BY _file, _sheet, _row) "
                    f"FROM {code} WHERE {key.field}_n IS NOT NULL GROUP BY {key.field}_n "
                    f"HAVING count(DISTINCT _file) > 1 LIMIT 5").fetchall():
                errors.append(DataError(f"{'、'.join(places)}：「{key.header}」{value} 在多个文件中重复",
                                        file=places[0].split(" ")[0], column=key.header,
                                        expected=f"唯一的{key.header}", value=value))
    if errors:
        raise DataErrors(errors) if len(errors) > 1 else errors[0]
    for code in TABLES:
        if code not in counts:
            _empty_table(con, code)
            _number_rows(con, code)
    return counts, {c: [p.name for p in ps] for c, ps in found.items()}, [p.name for p in unknown], skipped


IMPORT_THREADS = 2
# bytes of a workbook cost about as much to import as this many bytes of CSV (XML unzipped and laid out
# in Python; a CSV is parsed by DuckDB as it is)
_WORKBOOK_COST = 6


def _import_cost(paths: list[Path]) -> int:
    """About how long the files of a table take to import (their bytes, a workbook's counted several times)."""
    cost = 0
    for p in paths:
        try:
            size = p.stat().st_size
        except OSError:  # reported by the import itself
            size = 0
        cost += size * (1 if p.suffix.lower() == ".csv" else _WORKBOOK_COST)
    return cost


def _load_files(con, code: str, paths: list[Path], workdir: Path) -> list:
    """Load the files of one table in order, on a cursor of its own: (rows, sheets not read) or the error
    of each file."""
    cur = con.cursor()
    out: list = []
    # a table of one file is numbered as it is made (_number_rows would write it a second time)
    numbered = len(paths) == 1
    try:
        for path in paths:
            try:
                out.append(load_file(cur, path, TABLES[code], workdir, code, numbered))
            except (DataErrors, DataError) as exc:
                out.append(exc)
        if not numbered and not any(isinstance(o, DataError) for o in out):
            _number_rows(cur, code)
    finally:
        cur.close()
    return out


def _number_rows(con, code: str) -> None:
    """A row id in a stable order (file, sheet, row), whatever order the files were listed or read in."""
    con.execute(f"CREATE OR REPLACE TABLE {code} AS SELECT row_number() OVER (ORDER BY _file, _sheet, _row) "
                f"AS _rid, * FROM {code} ORDER BY _rid")


def _to_duckdb(con, name: str, header: list[str], rows, workdir: Path) -> None:
    """A Python table into DuckDB through a temporary CSV (fast without pandas/pyarrow)."""
    path = workdir / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    cols = ", ".join(f"'{h}': 'VARCHAR'" for h in header)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv('{path}', header=true, "
                f"auto_detect=false, delim=',', quote='\"', escape='\"', columns={{{cols}}})")
    path.unlink()


def set_parameters(con, policy: Policy) -> None:
    con.execute("CREATE OR REPLACE TABLE p_rates (start DATE, rate DOUBLE)")
    con.executemany("INSERT INTO p_rates VALUES (?, ?)", [list(r) for r in policy.fee_rates])
    cases = " ".join(f"WHEN d >= DATE '{start.isoformat()}' THEN {rate!r}"
                     for start, rate in sorted(policy.fee_rates, reverse=True))
    con.execute(f"CREATE OR REPLACE MACRO fee_rate(d) AS CASE {cases} ELSE 0.0 END")
    # money is compared to the yuan: cents first (no float residue), then half up
    con.execute("CREATE OR REPLACE MACRO yuan(x) AS floor(round(x, 2) + 0.5)")
    # a 减免依据 cell that only says there is none (无, /, —) is no basis
    con.execute("CREATE OR REPLACE MACRO no_basis(x) AS x IS NULL OR regexp_full_match(upper(x), "
                "'[无/／\\-—－_、.。 ]*|暂无|没有|空|N/?A|NULL|NONE')")
    con.execute("CREATE OR REPLACE TABLE p_exempt (use VARCHAR)")
    con.executemany("INSERT INTO p_exempt VALUES (?)", [[u] for u in policy.exempt_uses])
    con.execute("CREATE OR REPLACE TABLE p_eligible (use VARCHAR, share DOUBLE)")
    con.executemany("INSERT INTO p_eligible VALUES (?, ?)", [[u, s] for u, s in policy.waiver_eligible.items()])
    con.execute("CREATE OR REPLACE TABLE p_thresholds (category VARCHAR, threshold DOUBLE)")
    con.executemany("INSERT INTO p_thresholds VALUES (?, ?)", [[c, v] for c, v in policy.thresholds.items()])
    con.execute("CREATE OR REPLACE TABLE p_tender (method VARCHAR)")
    con.executemany("INSERT INTO p_tender VALUES (?)", [[m] for m in policy.tender_methods])
    con.execute("CREATE OR REPLACE TABLE p_keywords (word VARCHAR)")
    con.executemany("INSERT INTO p_keywords VALUES (?)", [[k] for k in policy.subsidy_keywords])


def parameters(policy: Policy, as_of: dt.date) -> dict:
    return {
        "as_of": as_of, "ratio": policy.shelter_ratio, "tol": policy.area_tolerance,
        "min_ground": policy.min_ground_area, "require_basis": policy.waiver_require_basis,
        "max_days": policy.treasury_max_days, "grace_days": policy.acceptance_grace_days,
        "rent_ratio": policy.rent_min_ratio, "split_days": policy.split_window_days,
        "dup_days": policy.duplicate_window_days,
    }


def build_approval_fee(con, params: dict) -> None:
    """易地建设面积, 应缴, 批准建设面积 (effective) and the matched 易地建设费 receipts of every approval."""
    con.execute("""
        CREATE OR REPLACE TABLE approval_fee AS
        WITH a AS (
            SELECT * REPLACE (
                coalesce(approved_area, CASE WHEN approval_type = '结建'
                                             THEN required_area - coalesce(offsite_area, 0) ELSE 0 END)
                    AS approved_area,
                coalesce(waiver, 0) AS waiver, coalesce(deferral, 0) AS deferral)
            FROM approvals),
        b AS (
            SELECT * REPLACE (coalesce(offsite_area, greatest(0, required_area - approved_area)) AS offsite_area)
            FROM a),
        n AS (SELECT company_id, count(*) AS n FROM approvals GROUP BY company_id),
        r AS (
            SELECT b.approval_no_n, sum(x.amount::DECIMAL(18, 2))::DOUBLE AS paid,
                   list({'t': 'fee_receipts', 'k': x.receipt_no} ORDER BY x.pay_date, x.receipt_no) AS refs
            FROM b JOIN n USING (company_id)
            JOIN fee_receipts x ON x.company_id = b.company_id AND contains(x.income_item, '易地建设')
                 AND x.pay_date <= $as_of
                 AND (x.project_id = b.project_id OR (x.project IS NULL AND n.n = 1))
            GROUP BY b.approval_no_n)
        SELECT b.* REPLACE (round(coalesce(b.fee_due, b.offsite_area * fee_rate(b.approval_date)), 2) AS fee_due),
               coalesce(r.paid, 0) AS paid,
               round(coalesce(b.fee_due, b.offsite_area * fee_rate(b.approval_date)), 2) - b.waiver AS net_due,
               coalesce(r.refs, []::STRUCT(t VARCHAR, k VARCHAR)[]) AS fee_refs
        FROM b LEFT JOIN r USING (approval_no_n)
    """, {"as_of": params["as_of"]})


def _params_for(sql: str, params: dict) -> dict:
    used = set(re.findall(r"\$([a-z_]+)", sql))
    return {k: v for k, v in params.items() if k in used}


def run_rule(con, rule: Rule, params: dict) -> list[tuple[dict, list[tuple[str, str]]]]:
    cur = con.execute(rule.sql, _params_for(rule.sql, params))
    names = [d[0] for d in cur.description]
    out = []
    for row in cur.fetchall():
        facts = dict(zip(names, row, strict=True))
        refs = [(r["t"], r["k"]) for r in (facts.pop("refs") or [])]
        facts.pop("_file", None)
        facts.pop("_row", None)
        out.append((facts, refs))
    return out


def run_rules(con, counts: dict[str, int], params: dict, progress: Progress
              ) -> tuple[list[tuple[Rule, dict, list]], list[RuleStat]]:
    """R01–R14 on the run's tables: (rule, facts, refs) of every hit, and each rule's stat."""
    hits_raw: list[tuple[Rule, dict, list]] = []
    stats: list[RuleStat] = []
    for i, rule in enumerate(RULES):
        progress("规则", i, len(RULES))
        missing = [t for t in rule.needs if t not in counts]
        stat = RuleStat(rule.code, rule.title, rule.category, ran=not missing, missing=missing)
        stats.append(stat)
        if missing:
            continue
        for facts, refs in run_rule(con, rule, params):
            hits_raw.append((rule, facts, refs))
            stat.hits += 1
            stat.amount += float(facts["amount"] or 0)
    progress("规则", len(RULES), len(RULES))
    return hits_raw, stats


def run_check(data_dir: str | Path, policy_path: str | Path | None = None, as_of: dt.date | None = None,
              out_dir: str | Path | None = None, progress: Progress | None = None,
              database: str | Path | None = None, database_tables: Collection[str] | None = None,
              workbook: bool = True) -> CheckResult:
    """Run the whole check on DATA_DIR; write findings.jsonl and 疑点清单.xlsx when ``out_dir`` is given
    (``workbook=False``: ``result.json`` instead of the workbook, made when asked by ``output.workbook_later``).

    ``database``: when given, the DuckDB database of the run (the imported tables with their resolved
    company and project ids and match reasons, the companies, projects and findings) is written to that
    file, so that a caller can query it afterwards (README "Stable interface for callers"). The file
    appears when the run succeeded and is replaced whole. ``database_tables``: only these tables of it
    (names from ``DATABASE_TABLES``; default all, with the internal ones): a caller that reads a few
    tables spares the run writing the others.

    Raises :class:`DataError` (nothing imported, nothing written) when the input is unusable.
    """
    from . import evidence, output

    progress = progress or _null_progress
    as_of = as_of or dt.date.today()
    if database_tables is not None:
        database_tables = frozenset(database_tables)
        if unknown := sorted(database_tables - DATABASE_TABLES):
            raise ValueError(f"database_tables: no such table {', '.join(unknown)}")
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    t0, c0 = time.perf_counter(), cpu_seconds()
    policy = load_policy(policy_path)
    workdir = Path(tempfile.mkdtemp(prefix="xuncha_check_"))
    db_tmp: Path | None = None
    if database is not None:
        database = Path(database)
        database.parent.mkdir(parents=True, exist_ok=True)
        db_tmp = database.with_name(f".{database.name}.{os.getpid()}.tmp")
        db_tmp.unlink(missing_ok=True)
    # the run works in memory (as fast as without a database); the database file is written once at the end
    con = duckdb.connect(":memory:")
    thresholds = gc.get_threshold()
    try:
        # a full collection once per 100 collections of the middle generation, not 10 (see the finally clause)
        gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], 100))
        con.execute("SET preserve_insertion_order = true")
        con.execute(f"SET temp_directory = {sql_literal(str(workdir))}")
        counts, files, ignored, skipped = import_tables(con, Path(data_dir), workdir, progress)
        timings["import"], cpu["import"] = time.perf_counter() - t0, cpu_seconds() - c0
        gc.freeze()  # see the finally clause
        t1, c1 = time.perf_counter(), cpu_seconds()
        # no collection during the resolution: what it makes lives on (its parses, rows, clusters) and is
        # frozen just after, and it makes next to no cycles (about 0.03 CPU s of collections at 20,000 permits)
        collecting = gc.isenabled()
        gc.disable()
        try:
            unresolved = resolve(con, workdir, progress)
        finally:
            if collecting:
                gc.enable()
        timings["resolve"], cpu["resolve"] = time.perf_counter() - t1, cpu_seconds() - c1
        gc.freeze()
        # the database file is written by a second thread (DuckDB, which runs without the GIL, on a
        # connection of its own): the tables of companies and projects while this one runs the rules, the
        # run's tables once the rules and the evidence have read them (while this one formats the evidence
        # and writes the output files, Python), the findings once made: the two cores work side by side.
        # Without the workbook (the lighter part by far) the writer keeps DuckDB's threads, else it would
        # be the longest part
        writer = (_DatabaseWriter(con, unresolved, workdir, db_tmp, database_tables,
                                  threads=1 if out_dir is not None and workbook else None)
                  if db_tmp is not None else None)
        try:
            t1, c1 = time.perf_counter(), cpu_seconds()
            set_parameters(con, policy)
            params = parameters(policy, as_of)
            build_approval_fee(con, params)
            hits_raw, stats = run_rules(con, counts, params, progress)
            timings["rules"], cpu["rules"] = time.perf_counter() - t1, cpu_seconds() - c1
            t1, c1 = time.perf_counter(), cpu_seconds()
            rows = evidence.fetch_rows(con, evidence.wanted_rows(hits_raw))
            if writer is not None:
                writer.tables_read()  # the last read of the run's tables
            hits = evidence.format_hits(hits_raw, rows, params, progress)
            del rows
            timings["evidence"], cpu["evidence"] = time.perf_counter() - t1, cpu_seconds() - c1
            gc.freeze()
            result = CheckResult(as_of, hits, stats, counts, files, ignored, timings, unresolved=unresolved,
                                 skipped=skipped, cpu_timings=cpu)
            t1, c1 = time.perf_counter(), cpu_seconds()
            if writer is not None:
                writer.add_findings(hits)
            if out_dir is not None:
                output.write_all(result, Path(out_dir), progress, workbook)
        finally:
            if writer is not None:
                writer.join()
        if out_dir is not None:
            timings["output"], cpu["output"] = time.perf_counter() - t1, cpu_seconds() - c1
        con.close()
        if db_tmp is not None:
            os.replace(db_tmp, database)
            result.database = database
        timings["total"], cpu["total"] = time.perf_counter() - t0, cpu_seconds() - c0
        return result
    finally:
        # The garbage collector's full collections visited the run's millions of objects again and again
        # and found next to nothing (29 of them, about 2.8 CPU-seconds at 100,000 permits): during the run
        # a full collection comes once per 100 young-generation collections, and the objects alive after
        # each stage are frozen out of it (gc.freeze: they are still freed when no longer referenced;
        # 6 full collections, 0.9 CPU-seconds). Both are given back here; the output does not depend on it.
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        con.close()
        if db_tmp is not None:
            db_tmp.unlink(missing_ok=True)
            db_tmp.with_name(db_tmp.name + ".wal").unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


class _DatabaseWriter:
    """Writes the run's database file in a thread of its own, on a connection of its own (a cursor): the
    tables of companies and projects at once, the run's tables once the rules and the evidence have read
    them (:meth:`tables_read`), then the findings (:meth:`add_findings`)."""

    def __init__(self, con, unresolved: list[dict], workdir: Path, path: Path,
                 tables: frozenset[str] | None = None, threads: int | None = 1):
        self.error: BaseException | None = None
        self.hits: list[Hit] | None = None
        self.threads = threads
        self.read = threading.Event()
        self.hits_given = threading.Event()
        self.failed = False
        self.cursor = con.cursor()
        self.thread = threading.Thread(target=self._run, args=(unresolved, workdir, path, tables),
                                       name="xuncha-database", daemon=True)
        self.thread.start()

    def tables_read(self) -> None:
        """The rules and the evidence have read the run's tables: they may be copied and dropped."""
        self.read.set()

    def add_findings(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.hits_given.set()

    def _run(self, unresolved: list[dict], workdir: Path, path: Path, tables: frozenset[str] | None) -> None:
        try:
            cur = self.cursor
            if tables is None or tables & ENTITY_TABLES:
                store_entities(cur, unresolved, workdir, tables)
            # each table is copied, then dropped from memory: the run's tables are never held twice (COPY FROM
            # DATABASE held them twice, 0.5 GB); the file is a temporary one, put in place once whole. The
            # tables of companies and projects, which the rules do not read, go at once
            cur.execute(f"ATTACH {sql_literal(str(path))} AS run_database")
            self._copy(sorted(ENTITY_TABLES if tables is None else tables & ENTITY_TABLES))
            self.read.wait()
            if self.failed:
                return
            if self.threads is not None:
                # one DuckDB thread while the other core formats the evidence and writes the workbook (DuckDB's
                # threads contending with it cost about 0.6 CPU seconds more at 100,000 permits)
                cur.execute(f"SET threads = {int(self.threads)}")
            if tables is None:
                cur.execute("COPY FROM DATABASE memory TO run_database (SCHEMA)")   # the tables empty, the macros
                names = [t for (t,) in cur.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory' AND schema_name = 'main' "
                    "ORDER BY estimated_size DESC, table_name").fetchall()]
                self._copy(names, 'INSERT INTO run_database.main."{t}" SELECT * FROM memory.main."{t}"')
            else:
                self._copy(sorted(tables - FINDING_TABLES - ENTITY_TABLES))
            self.hits_given.wait()
            if self.failed:
                return
            if tables is None or tables & FINDING_TABLES:
                store_findings(cur, self.hits, workdir, tables)
                self._copy(sorted(FINDING_TABLES if tables is None else tables & FINDING_TABLES))
            cur.execute("DETACH run_database")
        except BaseException as exc:  # re-raised in the caller's thread
            self.error = exc
        finally:
            self.cursor.close()

    def _copy(self, names: list[str],
              copy: str = 'CREATE TABLE run_database.main."{t}" AS SELECT * FROM memory.main."{t}"') -> None:
        for t in names:
            self.cursor.execute(copy.format(t=t))
            self.cursor.execute(f'DROP TABLE memory.main."{t}"')

    def join(self) -> None:
        """Waits for the file; without the findings given (a run that failed), the writer stops first."""
        if not self.hits_given.is_set():
            self.failed = True
            self.read.set()
            self.hits_given.set()
            self.thread.join()
            return
        self.thread.join()
        if self.error is not None:
            raise self.error


#: tables of the run's database a caller may rely on (README "Stable interface for callers")
ENTITY_TABLES = frozenset({"companies", "company_names", "projects", "unresolved_names"})
FINDING_TABLES = frozenset({"findings", "finding_records"})
DATABASE_TABLES = frozenset(TABLES) | ENTITY_TABLES | FINDING_TABLES


def store_entities(con, unresolved: list[dict], workdir: Path, tables: frozenset[str] | None = None) -> None:
    """Tables ``companies``, ``company_names``, ``projects``, ``unresolved_names`` (for callers); with
    ``tables``, ``unresolved_names`` only when asked for, and ``company_names`` (also the ground of
    ``companies``) without its costly columns ``tables`` and ``company_match`` when not asked for."""
    if tables is None or "unresolved_names" in tables:
        _to_duckdb(con, "unresolved_names", ["table_code", "_file", "_sheet", "_row", "name", "candidates", "reason"],
                   ((u["table"], u["file"], u["sheet"] or "", u["row"], u["name"], "|".join(u["candidates"]),
                     u["reason"]) for u in unresolved), workdir)
        con.execute("""CREATE OR REPLACE TABLE unresolved_names AS SELECT table_code, _file, nullif(_sheet, '')
                       AS _sheet, _row::BIGINT AS _row, name, string_split(candidates, '|') AS candidates, reason
                       FROM unresolved_names ORDER BY table_code, _file, _sheet, _row""")
    full = tables is None or "company_names" in tables
    names = " UNION ALL ".join(
        f"SELECT company_id, {name} AS name, {code or 'NULL'} AS credit_code"
        + (f", '{t}' AS table_code, company_match" if full else "") + f" FROM {t} WHERE company_id IS NOT NULL"
        for t, (name, code) in COMPANY_COLS.items())
    more = ", list(DISTINCT table_code ORDER BY table_code) AS tables, min(company_match) AS company_match"
    con.execute(f"""CREATE OR REPLACE TABLE company_names AS
        SELECT company_id, name, credit_code, count(*) AS rows{more if full else ''}
        FROM ({names}) GROUP BY company_id, name, credit_code ORDER BY company_id, name, credit_code""")
    con.execute("""CREATE OR REPLACE TABLE companies AS
        SELECT company_id, arg_max(name, (rows, name)) AS name,
               max(credit_code) FILTER (WHERE valid_code) AS credit_code, sum(rows) AS rows,
               count(*) AS spellings
        FROM (SELECT *, credit_code IS NOT NULL AND length(credit_code) = 18 AS valid_code FROM company_names)
        GROUP BY company_id ORDER BY company_id""")
    projects = " UNION ALL ".join(
        f"SELECT project_id, company_id, {col} AS name, '{t}' AS table_code FROM {t} WHERE project_id IS NOT NULL"
        for t, col in PROJECT_COLS.items())
    con.execute(f"""CREATE OR REPLACE TABLE projects AS
        SELECT project_id, min(company_id) AS company_id, arg_max(name, (n, name)) AS name, sum(n) AS rows,
               list(DISTINCT name ORDER BY name) AS spellings
        FROM (SELECT project_id, company_id, name, count(*) AS n FROM ({projects}) GROUP BY ALL)
        GROUP BY project_id ORDER BY project_id""")


def store_findings(con, hits: list[Hit], workdir: Path, tables: frozenset[str] | None = None) -> None:
    """Tables ``findings`` (one row per hit) and ``finding_records`` (the records each hit names); with
    ``tables``, those of the two asked for."""
    if tables is None or "findings" in tables:
        _store_finding_rows(con, hits, workdir)
    if tables is None or "finding_records" in tables:
        _store_finding_records(con, hits, workdir)


def _store_finding_rows(con, hits: list[Hit], workdir: Path) -> None:
    _to_duckdb(con, "findings", ["finding_no", "rule", "title", "category", "amount", "summary"],
               ((i, h.rule, h.title, h.category, repr(float(h.amount)), h.summary) for i, h in enumerate(hits, 1)),
               workdir)
    con.execute("CREATE OR REPLACE TABLE findings AS SELECT finding_no::INTEGER AS finding_no, rule, title, "
                "category, amount::DOUBLE AS amount, summary FROM findings ORDER BY finding_no")


def _store_finding_records(con, hits: list[Hit], workdir: Path) -> None:
    _to_duckdb(con, "finding_records", ["finding_no", "position", "table_code", "record_key"],
               ((i, j, *r.split(":", 1)) for i, h in enumerate(hits, 1) for j, r in enumerate(h.records)),
               workdir)
    con.execute("CREATE OR REPLACE TABLE finding_records AS SELECT finding_no::INTEGER AS finding_no, "
                "position::INTEGER AS position, table_code, record_key FROM finding_records "
                "ORDER BY finding_no, position")


__all__ = ["CATEGORIES", "DATABASE_TABLES", "CheckResult", "Hit", "RuleStat", "cpu_seconds", "run_check",
           "run_rules"]

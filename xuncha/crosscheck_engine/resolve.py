"""Entity resolution on the imported tables (识别单位和项目): adds ``company_id``, ``company_match``,
``project_id`` and ``project_match`` to every table that names a company or a project.

Names are decided once per distinct spelling (:mod:`companies`); only the rows of names that fit several
companies are read one by one with their context (the county of the project, its 建设地点 or 区县, the
county of the 审批文号 or of the 施工许可证编号, the rows linked by 施工许可证号 or 审批文号, the company's
projects). Everything is read and written in a fixed order.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from . import companies, divisions, projects_db
from .context import (  # noqa: F401 - COMPANY_COLS … are also read from here
    COMPANY_COLS,
    LINKS,
    PLACE_COLS,
    PROJECT_COLS,
    context_conflicts,
    decide_twins,
    temp_lists,
)
from .names import ParsePool, forget_parsed, place_of, plain_company
from .rules import RENT_ITEM

Progress = Callable[[str, int, int], None]
STAGE = "识别单位和项目"

TYPO_PAIRS = "typo_pairs"  # temporary table: (cid, other) of look-alike companies not joined, see _typo_pairs
LONE_ROWS = 2
UNDECIDED = "undecided_rows"  # temporary table: (tab, rid, candidates) of the rows left undecided
SCOPE_SHARE = 0.05  # a prefecture whose counties hold this share of the county names is the data's own


def name_key(col: str) -> str:
    """SQL: a company name with the differences that never matter taken out (width, brackets, spaces,
    invisible characters, 有限责任公司), so that Python normalises each distinct spelling once."""
    from .reader import _SPACE, _half

    return (f"upper(replace(regexp_replace({_half(col)}, '{_SPACE[:-1]}·•]', '', 'g'), "
            f"'有限责任公司', '有限公司'))")


def _write(con, name: str, header: list[str], types: list[str], rows, workdir: Path) -> None:
    """A Python table into DuckDB through a temporary CSV (fast without pandas/pyarrow)."""
    path = workdir / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    cols = ", ".join(f"'{h}': '{t}'" for h, t in zip(header, types, strict=True))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM read_csv('{path}', header=true, "
                f"auto_detect=false, delim=',', quote='\"', escape='\"', nullstr='\\N', "
                f"columns={{{cols}}})")
    path.unlink()


def data_scope(mentions, county_values) -> frozenset[str]:
    """Prefectures (4-digit codes) whose counties the data names most: their short forms count."""
    per: Counter[str] = Counter()
    prefecture: dict[frozenset[str], str | None] = {}  # a name's place → its prefecture when one county
    for name, _code, rows in mentions:
        div = plain_company(name).div
        p = prefecture.get(div, "")
        if p == "":
            p = prefecture[div] = next(iter(div))[:4] if divisions.is_county(div) and len(div) == 1 else None
        if p is not None:
            per[p] += rows
    for value, rows in county_values:
        div = place_of(value)
        if divisions.is_county(div) and len(div) == 1:
            per[next(iter(div))[:4]] += rows
    total = sum(per.values())
    return frozenset(p for p, n in per.items() if n >= 3 and n >= SCOPE_SHARE * total)


def resolve(con, workdir: Path, progress: Progress) -> list[dict]:
    """Resolve companies, then projects; return the rows whose company name was left undecided."""
    # One DuckDB thread for the stage: its queries (about 180) are small joins of a few milliseconds, where a
    # second thread cost more CPU than it saved (about 0.07 CPU s of 0.87 in SQL at 20,000 permits); at
    # 100,000 permits the name-parsing workers hold both cores meanwhile (the stage's wall time not longer)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        return _resolve_stage(con, workdir, progress)
    finally:
        con.execute(f"SET threads = {int(threads)}")


def _resolve_stage(con, workdir: Path, progress: Progress) -> list[dict]:
    progress(STAGE, 0, 4)
    # The resolution's working columns live in narrow tables _r_<t> (row id → name key, cluster …) and
    # <t> is, until the end, a view of the imported table _b_<t> beside them: the wide tables (payments:
    # 600,000 rows) are rewritten once, at the end, not at every step.
    for t, (name, code) in COMPANY_COLS.items():
        con.execute(f"ALTER TABLE {t} RENAME TO _b_{t}")
        # the name key of each distinct spelling, not of each row
        con.execute(f"""CREATE TEMP TABLE _r_{t} AS
            WITH k AS (SELECT n, {name_key('n')} AS _ckey FROM (SELECT DISTINCT {name} AS n FROM _b_{t}))
            SELECT b._rid, k._ckey, coalesce({'b.' + code if code else 'NULL'}, '') AS _code
            FROM _b_{t} b LEFT JOIN k ON k.n = b.{name}""")
    union = " UNION ALL ".join(
        f"SELECT _ckey AS name, _code AS code FROM _r_{t} WHERE _ckey IS NOT NULL" for t in COMPANY_COLS)
    con.execute(f"CREATE TEMP TABLE co_mentions AS SELECT *, row_number() OVER (ORDER BY name, code) AS idx "
                f"FROM (SELECT name, code, count(*) AS n FROM ({union}) GROUP BY name, code)")
    mentions = con.execute("SELECT name, code, n FROM co_mentions ORDER BY idx").fetchall()
    counties = con.execute("SELECT county, count(*) FROM _b_permits WHERE county IS NOT NULL GROUP BY ALL "
                           "ORDER BY ALL").fetchall()
    projects = " UNION ALL ".join(f"SELECT {col} AS name FROM _b_{t} WHERE {col} IS NOT NULL"
                                  for t, col in PROJECT_COLS.items())  # every one of them is renamed above
    # the distinct names are parsed by worker processes (both cores) while this process goes on
    pool = ParsePool((n for n, _c, _k in mentions),
                     (n for (n,) in con.execute(f"SELECT DISTINCT name FROM ({projects}) ORDER BY name").fetchall()),
                     workdir)
    try:
        return _resolve(con, workdir, progress, mentions, counties, pool)
    finally:
        pool.close()
        forget_parsed()


def _resolve(con, workdir: Path, progress: Progress, mentions: list, counties: list, pool: ParsePool) -> list[dict]:
    pool.wait_companies()
    scope = data_scope(mentions, counties)
    res = companies.resolve_names(mentions, scope)
    cl = res.clusters
    # each mention's node, cluster and why, by its position in ``mentions`` (co_mentions.idx)
    nodes = [res.node_of[(n, c)] for n, c, _k in mentions]
    whys: dict[str, int] = {}  # the few reasons, numbered
    temp_lists(con, "co_lists", {"node": ("INTEGER", nodes), "root": ("INTEGER", [cl.find(x) for x in nodes]),
                                 "pending": ("BOOLEAN", [(n, c) in res.pending for n, c, _k in mentions]),
                                 "why": ("INTEGER", [whys.setdefault(res.match.get((n, c), ""), len(whys) + 1)
                                                     for n, c, _k in mentions])})
    con.execute("CREATE TEMP TABLE co_map AS SELECT m.name, m.code, l.root, l.node, l.pending, "
                "list_extract($1::VARCHAR[], l.why) AS match FROM co_mentions m JOIN co_lists l ON l.idx = m.idx", [list(whys)])
    con.execute("DROP TABLE co_lists; DROP TABLE co_mentions")
    for t in COMPANY_COLS:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _r_{t} AS SELECT k._rid, k._ckey, m.root AS _root,
                        m.node AS _node, coalesce(m.pending, false) AS _pending, m.match AS _match FROM _r_{t} k
                        LEFT JOIN co_map m ON m.name = k._ckey AND m.code = k._code""")
        con.execute(f"CREATE VIEW {t} AS SELECT b.*, r.* EXCLUDE (_rid) FROM _b_{t} b JOIN _r_{t} r ON r._rid = b._rid")
    progress(STAGE, 1, 4)
    projects_db.load_names(con, pool.project_files(), scope)
    owners = _project_owners(con)
    links = _links(con)
    evidence: dict[int, list[tuple[int, str]]] = defaultdict(list)
    # a project (core of four characters or more, phase) of a cluster that one other cluster names too,
    # by cluster and project
    for root, core, other in con.execute("""
            SELECT o.root, o.core, x.root FROM pj_owners o
            JOIN (SELECT core, phase FROM pj_owners GROUP BY core, phase HAVING count(*) = 2) k
              ON k.core = o.core AND k.phase = o.phase
            JOIN pj_owners x ON x.core = o.core AND x.phase = o.phase AND x.root <> o.root
            WHERE length(o.core) >= 4 ORDER BY o.root, o.core, o.phase""").fetchall():
        evidence[root].append((other, "同一项目（" + core + "）"))
    for a, b, what in links:
        evidence[a].append((b, what))
    # a rent receipt of exactly the yearly rent of a shelter's use contract since its start (R10's receipts):
    # its payer and the contract's tenant point to each other
    rent = "租金缴款金额与人防工程使用合同的年租金一致"
    for a, b in con.execute(f"""
            SELECT DISTINCT r._root, f._root FROM rentals r JOIN fee_receipts f
              ON round(f.amount, 2) = round(r.yearly_rent, 2) AND f.pay_date >= r.start_date
            WHERE {RENT_ITEM.format(col='f.income_item')} AND r._root <> f._root AND NOT r._pending
              AND NOT f._pending ORDER BY ALL""").fetchall():
        evidence[a].append((b, rent))
        evidence[b].append((a, rent))
    joins = companies.decide_typos(res, evidence)
    typo_match: dict[int, str] = {}
    for src, target, why in joins:
        if cl.union(target, src):
            typo_match[src] = why
    progress(STAGE, 2, 4)
    new_nodes: dict = {}
    places: dict = {}  # text → the place it names (place_of), for every row read for its context
    flagged = context_conflicts(con, res, scope, owners=owners, place_cache=places)
    _write(con, "co_flag", ["tab", "rid"], ["VARCHAR", "BIGINT"], sorted(flagged), workdir)
    moves: list = []
    rows_decided, unresolved = decide_twins(con, res, owners, scope, flagged, new_nodes, moves=moves,
                                             place_cache=places)
    moved = [(t, rid, r) for t, rid, r, _m in rows_decided if (t, rid) in flagged and r is not None]
    if moved:
        # the projects of the rows moved are their new company's, and a bare name of a core now known in
        # two counties fits two companies: its other rows (those linked to the rows moved among them) are
        # decided by their own context
        for old, new, keys, _core in moves:
            owners.load(keys)
            for key in keys:
                owners[key].discard(old)
                owners[key].add(new)
        _write(con, "co_moved", ["tab", "rid", "root"], ["VARCHAR", "BIGINT", "INTEGER"],
               ((t, rid, cl.find(r)) for t, rid, r in moved), workdir)
        for t in COMPANY_COLS:
            con.execute(f"UPDATE _r_{t} SET _root = m.root FROM co_moved m WHERE m.tab = '{t}' AND m.rid = _r_{t}._rid")
        again = context_conflicts(con, res, scope, cores={core for _o, _n, _k, core in moves},
                                   place_cache=places)
        again = {k: v for k, v in again.items() if k not in flagged}
        if again:
            _write(con, "co_flag", ["tab", "rid"], ["VARCHAR", "BIGINT"], sorted(again), workdir)
            more, more_unresolved = decide_twins(con, res, owners, scope, again, new_nodes, pending=False,
                                                  place_cache=places)
            rows_decided += more
            unresolved += more_unresolved
            flagged.update(again)
        con.execute("DROP TABLE co_moved")
    all_roots = {r for (r,) in con.execute(
        " UNION ".join(f"SELECT DISTINCT _root FROM {t} WHERE _root IS NOT NULL AND NOT _pending"
                       for t in COMPANY_COLS)).fetchall()}
    roots = sorted({cl.find(r) for r in all_roots} | {cl.find(r) for _t, _rid, r, _m in rows_decided
                                                     if r is not None})
    alone = iter(range(len(roots) + 1, len(roots) + len(rows_decided) + 1))
    number = {r: i for i, r in enumerate(roots, 1)}  # company ids C1, C2 … in the order of the roots
    _typo_pairs(con, res, number)
    final = sorted(all_roots)
    temp_lists(con, "co_final_lists", {"root": ("INTEGER", final), "num": ("INTEGER", [number[cl.find(r)] for r in final]),
                                       "typo": ("VARCHAR", [typo_match.get(r, "") for r in final])})
    con.execute("CREATE TEMP TABLE co_final AS SELECT root, 'C' || num AS cid, typo FROM co_final_lists; "
                "DROP TABLE co_final_lists")
    _write(con, "co_rows", ["tab", "rid", "cid", "match"], ["VARCHAR", "BIGINT", "VARCHAR", "VARCHAR"],
           ((t, rid, f"C{number[cl.find(r)]}" if r is not None else f"C{next(alone)}", m)
            for t, rid, r, m in sorted(rows_decided, key=lambda x: (x[0], x[1]))), workdir)
    # the company columns go into narrow tables first; the wide tables are rewritten once, at the very end,
    # with their company and project columns together (one rewrite instead of two). The narrow tables are
    # in the order of _rid, as the imported tables are (runner._number_rows): the two are put side by side
    # by position (POSITIONAL JOIN), not by a join on _rid (an imported table out of that order is sorted).
    for t in COMPANY_COLS:
        con.execute(f"""CREATE TEMP TABLE _c_{t} AS
            SELECT t._rid, coalesce(r.cid, f.cid) AS company_id,
                   coalesce(r.match, nullif(f.typo, ''), nullif(t._match, '')) AS company_match,
                   -- R11, R13 ask for "the same supplier / payee": a name left undecided is one by its spelling
                   CASE WHEN r.cid IS NOT NULL AND starts_with(r.match, '未能确定') THEN 'N:' || t._ckey
                        ELSE coalesce(r.cid, f.cid) END AS company_group
            FROM _r_{t} t LEFT JOIN (SELECT * FROM co_rows WHERE tab = '{t}') r ON r.rid = t._rid
            LEFT JOIN co_final f ON f.root = t._root ORDER BY t._rid""")
        if con.execute(f"SELECT count(*) FROM _b_{t} b POSITIONAL JOIN _c_{t} c "
                       f"WHERE b._rid IS DISTINCT FROM c._rid").fetchone()[0]:
            con.execute(f"CREATE OR REPLACE TABLE _b_{t} AS SELECT * FROM _b_{t} ORDER BY _rid")
        con.execute(f"DROP VIEW {t}; DROP TABLE _r_{t}; CREATE VIEW {t} AS SELECT b.*, c.* EXCLUDE (_rid) "
                    f"FROM _b_{t} b POSITIONAL JOIN _c_{t} c")
    for u in unresolved:
        u["candidates"] = [f"C{number[cl.find(c)]}" for c in u.pop("nodes")]
    # the companies each row left undecided may be (R13 asks whether a voucher's payee may be another's)
    rids = [u.pop("rid") for u in unresolved]
    temp_lists(con, UNDECIDED, {"tab": ("VARCHAR", [u["table"] for u in unresolved]), "rid": ("BIGINT", rids),
                                "candidates": ("VARCHAR[]", [u["candidates"] for u in unresolved])})
    progress(STAGE, 3, 4)
    resolve_project_ids(con)
    for t in COMPANY_COLS:
        col = PROJECT_COLS.get(t)
        if col:  # the project columns in a narrow table too, in the order of _rid
            con.execute(f"""CREATE TEMP TABLE _p_{t} AS SELECT b._rid, m.pid AS project_id, m.match AS project_match
                FROM (SELECT _rid, {col} FROM _b_{t}) b POSITIONAL JOIN _c_{t} c
                LEFT JOIN pj_map m ON m.name = b.{col} AND m.cid = coalesce(c.company_id, '') ORDER BY b._rid""")
        project = f", p.* EXCLUDE (_rid) FROM _b_{t} b POSITIONAL JOIN _c_{t} c POSITIONAL JOIN _p_{t} p" if col else \
            f" FROM _b_{t} b POSITIONAL JOIN _c_{t} c"
        con.execute(f"CREATE TABLE _n_{t} AS SELECT b.*, c.* EXCLUDE (_rid){project}")
        con.execute(f"DROP VIEW {t}; DROP TABLE _b_{t}; DROP TABLE _c_{t}; ALTER TABLE _n_{t} RENAME TO {t}"
                    + (f"; DROP TABLE _p_{t}" if col else ""))
    con.execute(f"DROP TABLE pj_map; DROP TABLE {projects_db.NAMES}; DROP TABLE pj_owners; DROP TABLE co_map; "
                "DROP TABLE co_final; DROP TABLE co_rows; DROP TABLE co_flag")
    progress(STAGE, 4, 4)
    return unresolved


def _typo_pairs(con, res: companies.NameResolution, number: dict[int, int]) -> None:
    """Table ``typo_pairs`` (cid, other): a company of a row or two (≤ ``LONE_ROWS``) whose name is one edit from
    that of a company of more rows (or, of two companies of one row each, the later one), after the 字号's first
    two characters, and was not joined to it for want of evidence (R11 asks whether such a supplier's contracts
    are the other's, split)."""
    cl = res.clusters
    pairs = set()
    for a, cands in res.typo_candidates.items():
        ra = cl.find(a)
        for b, (_score, head) in cands.items():
            rb = cl.find(b)
            if head and ra != rb and ra in number and rb in number:
                # from the company of fewer rows to the other; of two single rows, from the later company
                src, dst = sorted((ra, rb), key=lambda r: (cl.rows[r], -number[r]))
                if cl.rows[src] <= LONE_ROWS and (cl.rows[src] < cl.rows[dst] or cl.rows[dst] == 1):
                    pairs.add((f"C{number[src]}", f"C{number[dst]}"))
    pairs = sorted(pairs)
    temp_lists(con, TYPO_PAIRS, {"cid": ("VARCHAR", [p for p, _o in pairs]), "other": ("VARCHAR", [o for _p, o in pairs])})


class _Owners(defaultdict):
    """(core, phase) of a project name → the clusters whose rows (of names decided at the level of names)
    name it: read from table pj_owners for the keys asked for (:meth:`load`), then changed by the rows moved
    to another company."""

    def __init__(self, con):
        super().__init__(set)
        self.con = con
        self.loaded: set[tuple[str, str]] = set()

    def load(self, keys) -> None:
        todo = sorted(set(keys) - self.loaded)
        if todo:
            self.loaded.update(todo)
            for root, core, phase in self.con.execute(
                    "SELECT o.root, o.core, o.phase FROM pj_owners o JOIN (SELECT unnest($1::VARCHAR[]) AS core, "
                    "unnest($2::VARCHAR[]) AS phase) k ON k.core = o.core AND k.phase = o.phase",
                    [[c for c, _p in todo], [p for _c, p in todo]]).fetchall():
                self[(core, phase)].add(root)


def _project_owners(con) -> _Owners:
    """Table pj_owners (root, core, phase): the clusters whose rows name each (core, phase) of a project
    name; and the mapping of it that is read as needed."""
    union = " UNION ".join(f"SELECT DISTINCT _root AS root, {col} AS name FROM {t} "
                           f"WHERE {col} IS NOT NULL AND _root IS NOT NULL AND NOT _pending"
                           for t, col in PROJECT_COLS.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE pj_owners AS SELECT DISTINCT u.root, p.core, p.phase FROM ({union}) u "
                f"JOIN {projects_db.NAMES} p ON p.name = u.name WHERE p.core <> ''")
    return _Owners(con)


def _links(con) -> list[tuple[int, int, str]]:
    """Pairs of clusters whose rows are linked by 施工许可证号 or 审批文号."""
    out = set()
    for t, col, other, ocol, what in LINKS:
        for a, b in con.execute(f"""SELECT DISTINCT x._root, y._root FROM {t} x JOIN {other} y ON x.{col} = y.{ocol}
                                    WHERE x._root <> y._root AND NOT x._pending AND NOT y._pending""").fetchall():
            out.add((a, b, what))
    return sorted(out)


def resolve_project_ids(con) -> None:
    """``project_id`` and ``project_match`` of every (项目名称, company) mention: table ``pj_map`` (name,
    cid, pid, match), joined to the rows by the caller."""
    union = " UNION ALL ".join(f"SELECT {col} AS name, company_id AS cid FROM {t} WHERE {col} IS NOT NULL"
                               for t, col in PROJECT_COLS.items())
    links = """
        SELECT a.project, a.company_id, p.project, p.company_id
        FROM approvals a JOIN permits p ON a.permit_no_n = p.permit_no_n
        UNION ALL
        SELECT c.project, c.company_id, p.project, p.company_id
        FROM completions c JOIN permits p ON c.permit_no_n = p.permit_no_n"""
    projects_db.project_ids(con, union, links)

"""Rows decided by their context (上下文判定): the rows of names that fit several companies, and the rows whose
context contradicts the one company their name was taken for, read one by one with what else they say
(contract 1.1): the county of the project, its 建设地点 or 区县, the county of the 审批文号 or of the
施工许可证编号, the rows linked by 施工许可证号 or 审批文号, the company's projects, and rows linked to rows
so decided. Used by :mod:`resolve`.
"""

from __future__ import annotations

from collections import defaultdict

from . import companies, divisions, projects_db
from .names import NO_PLACE, place_of

# which column of each table names a company, a credit code, a project
COMPANY_COLS = {"permits": ("builder", "uscc_n"), "completions": ("builder", None),
                "approvals": ("builder", "uscc_n"), "fee_receipts": ("payer", "uscc_n"),
                "fee_ledger": ("payer", None), "rentals": ("tenant", "uscc_n"),
                "contracts": ("supplier", "uscc_n"), "payments": ("payee", None)}
PROJECT_COLS = {"permits": "project", "approvals": "project", "completions": "project",
                "fee_receipts": "project", "rentals": "shelter"}
# texts of a row that may name its county, with what they are called in a match reason
PLACE_COLS = {"permits": [("county", "区县"), ("location", "建设地点"), ("project", "项目名称"),
                          ("permit_no", "施工许可证号")],
              "approvals": [("project", "项目名称"), ("approval_no", "审批文号"), ("permit_no", "施工许可证号")],
              "completions": [("project", "项目名称"), ("permit_no", "施工许可证号")],
              "fee_receipts": [("project", "项目名称"), ("collector", "执收单位")],
              "fee_ledger": [("approval_no", "审批文号")], "rentals": [("shelter", "工程名称")],
              "contracts": [("project", "项目名称")], "payments": []}
# rows linked by an identifier: (table, its column, other table, other column, what)
LINKS = [("approvals", "permit_no_n", "permits", "permit_no_n", "施工许可证号关联的施工许可"),
         ("completions", "permit_no_n", "permits", "permit_no_n", "施工许可证号关联的施工许可"),
         ("permits", "permit_no_n", "approvals", "permit_no_n", "施工许可证号关联的人防审批"),
         ("fee_ledger", "approval_no_n", "approvals", "approval_no_n", "审批文号关联的人防审批"),
         ("approvals", "approval_no_n", "fee_ledger", "approval_no_n", "审批文号关联的收费台账")]
def temp_lists(con, name: str, columns: dict[str, tuple[str, list]]) -> None:
    """A temporary table from Python lists of one length (column → (DuckDB type, values)), with ``idx``
    the position (1, 2 …): fast for numbers, no slower than a CSV file for strings."""
    types = list(columns.values())
    cols = ", ".join(f"unnest(${i}::{typ}[]) AS {c}" for i, (c, (typ, _v)) in enumerate(columns.items(), 1))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols}, generate_subscripts($1::{types[0][0]}[], 1) "
                f"AS idx", [values for _t, values in types])


def _links_of(t: str) -> list[tuple[str, str, str, str]]:
    """The identifiers that link rows of ``t`` to rows of other tables: (column, other table, its column, what)."""
    return [(col, other, ocol, what) for tt, col, other, ocol, what in LINKS if tt == t]


def _row_sql(t: str, where: str, linked: str = "true") -> str:
    """Rows of ``t`` with what may tell their company: rid, file, sheet, row, name key, code, name as
    written, node, root, project, the texts that may name a county, the clusters of linked rows (read for
    the rows that meet ``linked``; NULL, or whatever they are, for the others). ``where`` and ``linked``:
    conditions on the resolution's columns of ``t`` (``x._pending``, ``x._node``, ``x._rid``), applied
    before the imported table is joined."""
    name, code = COMPANY_COLS[t]
    places = [c for c, _w in PLACE_COLS[t]]
    links = _links_of(t)
    project = PROJECT_COLS.get(t)
    # each linked table's clusters by identifier, for the identifiers of the rows that ask for them
    # (the imported table filtered on the identifier first, then its narrow table: not the view of both)
    with_links = "".join(
        f", k{i} AS (SELECT y.{ocol} AS key, list(DISTINCT r._root ORDER BY r._root) AS roots FROM _b_{other} y "
        f"JOIN _r_{other} r ON r._rid = y._rid WHERE y.{ocol} IN (SELECT {col} FROM x WHERE _linked) "
        f"AND NOT r._pending GROUP BY y.{ocol})"
        for i, (col, other, ocol, _w) in enumerate(links))
    # x holds only the columns read below (a CTE read twice is materialised: all of the imported table's
    # columns were copied)
    cols = dict.fromkeys(["_file", "_sheet", "_row", name, *([code] if code else []), *([project] if project else []),
                          *places, *(col for col, _o, _oc, _w in links)])
    return (f"WITH x AS (SELECT b._rid, {', '.join('b.' + c for c in cols)}, r._ckey, r._node, r._root, r._linked "
            f"FROM (SELECT *, {linked} AS _linked FROM _r_{t} x WHERE {where}) r JOIN _b_{t} b ON b._rid = r._rid)"
            f"{with_links} "
            f"SELECT x._rid, x._file, x._sheet, x._row, x._ckey, coalesce({'x.' + code if code else 'NULL'}, ''), "
            f"x.{name}, x._node, x._root, {'x.' + project if project else 'NULL'}, "
            f"{', '.join('x.' + c for c in places) or 'NULL'}"
            + "".join(f", k{i}.roots AS l{i}" for i in range(len(links))) + " FROM x"
            + "".join(f" LEFT JOIN k{i} ON k{i}.key = x.{col}" for i, (col, _o, _oc, _w) in enumerate(links))
            + " ORDER BY x._rid")


def _rows(con, wheres: dict[str, str], linked: str = "true") -> tuple[list[tuple[str, list, list]], dict]:
    """(table, ``_links_of(t)``, its rows of :func:`_row_sql`) for each table and condition, and the parse
    (core, phase, places) of the project names of these rows, read from the table of parses once."""
    # the tables with rows that meet their condition, in one query on the narrow tables: the query of the
    # rows of a table (joins with the imported tables, linked rows) is not run for none
    present = {t for (t,) in con.execute(" UNION ALL ".join(
        f"SELECT '{t}' FROM (SELECT 1 FROM _r_{t} x WHERE {where} LIMIT 1)" for t, where in wheres.items())).fetchall()}
    out = [(t, _links_of(t), con.execute(_row_sql(t, where, linked)).fetchall() if t in present else [])
           for t, where in wheres.items()]
    names = sorted({rec[9] for _t, _l, recs in out for rec in recs if rec[9]})
    parse = {n: (core, phase, projects_db.places(div)) for n, core, phase, div in con.execute(
        f"SELECT name, core, phase, div FROM {projects_db.NAMES} WHERE name IN (SELECT unnest(?::VARCHAR[]))",
        [names]).fetchall()} if names else {}
    return out, parse


def _context(t: str, rec, scope, place_cache: dict, links, parse: dict) -> companies.RowContext:
    """What a row of ``t`` (a record of :func:`_row_sql`) says about its company besides the name;
    ``links``: ``_links_of(t)``; ``parse``: project name → (core, phase, places), see :func:`_rows`."""
    places = PLACE_COLS[t]
    texts = rec[10:10 + max(1, len(places))]
    linked_lists = rec[10 + max(1, len(places)):]
    ctx = companies.RowContext()
    for (_c, what), text in zip(places, texts, strict=False):
        if text:
            place = place_cache.get(text)
            if place is None:
                place = place_cache[text] = place_of(text, scope)
            if place:
                ctx.places.append((what, place))
    cd = rec[5]
    if cd and len(cd) == 18 and divisions.code_county(cd[2:8]):
        ctx.places.append(("统一社会信用代码的登记机关", divisions.code_county(cd[2:8])))
    for (_c, _o, _oc, what), roots in zip(links, linked_lists, strict=True):
        for r in roots or []:
            ctx.linked.append((what, r))
    if rec[9]:
        core, phase, div = parse[rec[9]]  # as names.project_name(rec[9], scope)
        ctx.projects.append((core, phase))
        if divisions.is_county(div) and all(p != div for _w, p in ctx.places):
            ctx.places.append(("项目名称", div))
    return ctx


def _names_another_county(t: str, rec, scope, place_cache: dict, parse: dict, own: frozenset[str]) -> bool:
    """Does one of the places of :func:`_context` (its texts, the code's registering county, its project's
    name) name a county that is not compatible with ``own``? (Without building the context.)"""
    for (_c, _what), text in zip(PLACE_COLS[t], rec[10:10 + max(1, len(PLACE_COLS[t]))], strict=False):
        if text:
            place = place_cache.get(text)
            if place is None:
                place = place_cache[text] = place_of(text, scope)
            if place and divisions.is_county(place) and not divisions.compatible(place, own):
                return True
    cd = rec[5]
    if cd and len(cd) == 18:
        place = divisions.code_county(cd[2:8])
        if place and divisions.is_county(place) and not divisions.compatible(place, own):
            return True
    if rec[9]:
        place = parse[rec[9]][2]
        return divisions.is_county(place) and not divisions.compatible(place, own)
    return False


def context_conflicts(con, res: companies.NameResolution, scope, cores: set[str] | None = None,
                       owners: dict | None = None, place_cache: dict | None = None) -> dict[tuple[str, int], tuple[int, ...]]:
    """Rows whose name carries no county and was taken for a company of one county (or with a code)
    while the row's own context names another county, or its linked rows belong to another company of
    the same core: (table, rid) → the companies of that core it may belong to (contract 1.1: two names
    that carry two different counties are never one company; a twin written only bare must not be
    swallowed by the other twin). ``cores``: every row of a bare name of these cores, whatever its
    context (once a row of such a name was moved, the name fits two companies)."""
    cl = res.clusters
    roots_of_core: dict[str, set[int]] = defaultdict(set)
    cores_of: dict[int, set[str]] = defaultdict(set)
    for node, core in res.core.items():
        r = cl.find(node)
        roots_of_core[core].add(r)
        cores_of[r].add(core)
    county: dict[int, frozenset[str]] = {}

    def county_of(r: int) -> frozenset[str]:
        if r not in county:
            place = cl.place[r]  # not its code's registering county: a company without county in its
            county[r] = place if divisions.is_county(place) else NO_PLACE  # name builds anywhere
        return county[r]

    risky = sorted(n for n, core in res.core.items()
                   if not divisions.is_county(res.div[n])
                   and (core in cores if cores is not None else
                        county_of(cl.find(n)) or len(roots_of_core[core]) > 1))
    flagged: dict[tuple[str, int], tuple[int, ...]] = {}
    if not risky:
        return flagged
    # the rows of a core of one company can only name another county: their linked rows, which can only
    # be another company of the core when there is one, are not read
    con.execute("CREATE OR REPLACE TEMP TABLE co_risky AS SELECT unnest($1::INTEGER[]) AS node, "
                "unnest($2::BOOLEAN[]) AS alone", [risky, [len(roots_of_core[res.core[n]]) == 1 for n in risky]])
    place_cache = {} if place_cache is None else place_cache
    where = "NOT x._pending AND x._node IN (SELECT node FROM co_risky)"
    batches, parse = _rows(con, {t: where for t in COMPANY_COLS if cores is not None or PLACE_COLS[t]
                                 or t in PROJECT_COLS or _links_of(t)},  # else nothing but the name (财务支出凭证)
                           "x._node IN (SELECT node FROM co_risky WHERE NOT alone)")
    if owners is not None:  # the projects of the rows whose context is built
        owners.load(parse[rec[9]][:2] for _t, _l, recs in batches for rec in recs
                    if rec[9] and len(roots_of_core[res.core[rec[7]]]) > 1)
    for t, links, recs in batches:
        for rec in recs:
            node, root = rec[7], cl.find(rec[8])
            own = county_of(root)
            core = res.core[node]
            if cores is None and len(roots_of_core[core]) == 1:  # only a place of its own can conflict
                if own and _names_another_county(t, rec, scope, place_cache, parse, own):
                    flagged[(t, rec[0])] = tuple(sorted(roots_of_core[core]))
                continue
            ctx = _context(t, rec, scope, place_cache, links, parse)
            conflict = cores is not None or any(divisions.is_county(p) and own and not divisions.compatible(p, own)
                                                for _w, p in ctx.places)
            if not conflict:
                conflict = any(cl.find(r) != root and core in cores_of[cl.find(r)] for _w, r in ctx.linked)
            if not conflict and owners is not None and ctx.projects:
                # its project is another company's of the same core (the twin's 天和西竹廉租房)
                conflict = any(cl.find(r) != root and core in cores_of[cl.find(r)]
                               for r in sorted(owners.get(ctx.projects[0], ())))
            if conflict:
                flagged[(t, rec[0])] = tuple(sorted(roots_of_core[core]))
    con.execute("DROP TABLE co_risky")
    return flagged


def decide_twins(con, res: companies.NameResolution, owners, scope, flagged=None, new_nodes=None,
                  pending: bool = True, moves: list | None = None, place_cache: dict | None = None):
    """Rows of names that fit several companies, and rows whose context contradicts the one company
    their name was taken for: each decided by its own context, else left apart. A row that fits none
    of the companies of its core but whose context names one county is that county's company of the
    core (the twin that is never written with its county)."""
    cl = res.clusters
    flagged = flagged or {}
    decided: list[tuple[str, int, int | None, str]] = []
    unresolved: list[dict] = []
    open_rows: dict[tuple[str, int], tuple] = {}  # rows left undecided: (t, rid) → (index in decided, …)
    if not (res.pending and pending) and not flagged:
        return decided, unresolved
    place_cache = {} if place_cache is None else place_cache
    new_nodes = {} if new_nodes is None else new_nodes  # (core, county) → the company found by context
    batches, parse = _rows(con, {t: ("x._pending OR " if pending else "")
                                 + f"x._rid IN (SELECT rid FROM co_flag WHERE tab = '{t}')" for t in COMPANY_COLS})
    owners.load(projects[:2] for projects in parse.values())
    for t, links, recs in batches:
        for rec in recs:
            rid, file, sheet, row, nm, cd, written = rec[:7]
            ctx = _context(t, rec, scope, place_cache, links, parse)
            if (t, rid) in flagged:
                cands, core = flagged[(t, rid)], res.core[rec[7]]
            else:
                cands, core = res.pending[(nm, cd)].candidates, None
            root, why = companies.decide_row(cands, ctx, cl, owners, lambda c: res.label.get(c, ""))
            if root is None and core is not None:
                counties = {p for _w, p in ctx.places if divisions.is_county(p)}
                same = sorted(r for r in {cl.find(c) for c in cands} if divisions.is_county(cl.place[r])
                              and divisions.compatible(cl.place[r], next(iter(counties)))
                              ) if len(counties) == 1 else []
                if len(same) == 1:  # the company of the core that is of that county (武都区…, beside a
                    what = next(w for w, p in ctx.places if p in counties)  # company that names none)
                    root, why = same[0], f"按上下文确定（{what}：{companies.place_name(next(iter(counties)))}）"
                elif len(counties) == 1:
                    place = next(iter(counties))
                    key = (core, place)
                    if key not in new_nodes:
                        new_nodes[key] = cl.add(None, place, 0)
                        res.core[new_nodes[key]], res.div[new_nodes[key]] = core, place
                        res.label[new_nodes[key]] = written
                    what = next(w for w, p in ctx.places if p == place)
                    others = "、".join(f"「{res.label.get(c, '')}」" for c in sorted({cl.find(c) for c in cands})[:3])
                    root, why = new_nodes[key], (f"按上下文确定（{what}：{companies.place_name(place)}；"
                                                 f"名称未写区县，与{others}不是同一单位）")
            if root is not None and core is not None and moves is not None and cl.find(root) != cl.find(rec[8]):
                moves.append((cl.find(rec[8]), root, ctx.projects, core))
            if root is None:
                if core is None:  # a name that fits several companies (not a row flagged by its context)
                    open_rows[(t, rid)] = (len(decided), len(unresolved), cands, ctx)
                decided.append((t, rid, None, why))  # left apart: a company of its own row
                unresolved.append({"table": t, "file": file, "sheet": sheet, "row": row, "name": written,
                                   "nodes": list(cands), "reason": why, "rid": rid})
            else:
                decided.append((t, rid, root, why))
    if open_rows:
        _decide_by_linked_decisions(con, res, owners, decided, unresolved, open_rows)
    return decided, unresolved


def _decide_by_linked_decisions(con, res: companies.NameResolution, owners, decided: list, unresolved: list,
                                open_rows: dict) -> None:
    """Rows left undecided whose linked rows (施工许可证号, 审批文号) were decided just now, by their own
    context, are decided again with those rows' companies among their context (contract 1.1: "the
    company's other records"): a 收费台账 row of a bare name names a 人防审批 whose bare builder was decided
    by its 施工许可. Repeated while a pass decides a row. Changes ``decided`` and ``unresolved`` in place."""
    cl = res.clusters
    gone: set[int] = set()  # positions in ``unresolved`` of the rows decided here
    while open_rows:
        known = [(t, rid, root) for t, rid, root, _w in decided if root is not None]
        temp_lists(con, "co_dec", {"tab": ("VARCHAR", [t for t, _r, _c in known]),
                                   "rid": ("BIGINT", [r for _t, r, _c in known]),
                                   "root": ("INTEGER", [c for _t, _r, c in known])})
        temp_lists(con, "co_open", {"tab": ("VARCHAR", [t for t, _r in open_rows]),
                                    "rid": ("BIGINT", [r for _t, r in open_rows])})
        found: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
        open_tables = {t for t, _rid in open_rows}
        for t, col, other, ocol, what in LINKS:
            if t not in open_tables:
                continue  # no row of t to decide
            for rid, root in con.execute(f"""
                    SELECT DISTINCT x._rid, d.root FROM _b_{t} x JOIN _b_{other} y ON x.{col} = y.{ocol}
                    JOIN co_dec d ON d.tab = '{other}' AND d.rid = y._rid
                    WHERE x._rid IN (SELECT rid FROM co_open WHERE tab = '{t}') ORDER BY ALL""").fetchall():
                found[(t, rid)].append((what, root))
        con.execute("DROP TABLE co_dec; DROP TABLE co_open")
        before = len(gone)
        for key in sorted(found):
            i, j, cands, ctx = open_rows[key]
            ctx.linked.extend(w_r for w_r in found[key] if w_r not in ctx.linked)
            root, why = companies.decide_row(cands, ctx, cl, owners, lambda c: res.label.get(c, ""))
            if root is not None:
                decided[i] = (key[0], key[1], root, why)
                gone.add(j)
                del open_rows[key]
        if len(gone) == before:
            break
    if gone:
        unresolved[:] = [u for j, u in enumerate(unresolved) if j not in gone]

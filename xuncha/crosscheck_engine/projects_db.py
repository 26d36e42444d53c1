"""Project resolution on the imported tables (识别项目), in DuckDB: the rules of :mod:`projects` on the
check's mentions, without a Python object per mention. The one implementation of project resolution: the
tests reach it through :func:`entities.resolve_projects`.

The parse of every distinct project name is a table (``pj_names``: name, cleaned name, core, phase,
division codes), written by the name-parsing workers (:class:`names.ParsePool`). The mentions (项目名称,
builder) are mapped to their nodes (builder, core, phase) in SQL, with the county tag of one builder's
same-named projects in two counties; only the nodes go through Python, where :func:`projects.join_nodes`
joins them; the roots come back as numbers and each mention's id and why (``project_match``) are made in
SQL. DuckDB orders strings by their code points, as Python does, so the nodes' numbering is the order
``join_nodes`` expects.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from . import divisions
from .companies import find_root, long_ratio
from .names import NO_PLACE, PROJECT_COLUMNS, _project_name, _short_starts
from .projects import PROJECT_FUZZY_MIN, join_nodes
from .reader import sql_literal

NAMES = "pj_names"


_PLACES: dict[str, frozenset[str]] = {"": NO_PLACE}


def places(text: str) -> frozenset[str]:
    """The division codes of a ``div`` column (sorted codes joined by commas) as a set, one object per text."""
    div = _PLACES.get(text)
    if div is None:
        div = _PLACES[text] = frozenset(text.split(","))
    return div


def load_names(con, paths: list[str], scope: frozenset[str]) -> None:
    """Table ``pj_names`` from the files of :func:`names.write_project_parses`: the parse of each name with
    ``scope`` (:func:`names.project_name`): the names whose plain core starts like a short county form of
    the scope are parsed again here, as :func:`names.project_name` does."""
    from pathlib import Path

    cols = ", ".join(f"'{c}': 'VARCHAR'" for c in PROJECT_COLUMNS)
    files = "[" + ", ".join(sql_literal(str(p)) for p in paths) + "]"
    # every field is a string as written, none is NULL (force_not_null)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {NAMES} AS SELECT * FROM read_csv({files}, header=false, "
                f"auto_detect=false, delim=',', quote='\"', escape='\"', columns={{{cols}}}, "
                f"force_not_null=[{', '.join(sql_literal(c) for c in PROJECT_COLUMNS)}])")
    for p in paths:
        Path(p).unlink()
    starts = sorted(_short_starts(scope))
    if not starts:
        return
    names = [n for (n,) in con.execute(f"SELECT name FROM {NAMES} WHERE substr(core, 1, 2) IN "
                                       f"(SELECT unnest(?::VARCHAR[])) ORDER BY name", [starts]).fetchall()]
    again = [_project_name(n, scope) for n in names]
    if names:
        con.execute(f"""UPDATE {NAMES} SET core = f.core, phase = f.phase, div = f.div FROM (
                        SELECT unnest($1::VARCHAR[]) AS name, unnest($2::VARCHAR[]) AS core,
                               unnest($3::VARCHAR[]) AS phase, unnest($4::VARCHAR[]) AS div) f
                        WHERE {NAMES}.name = f.name""",
                    [names, [pn.core for pn in again], [pn.phase for pn in again],
                     [",".join(sorted(pn.div)) for pn in again]])


def project_ids(con, mentions: str, links: str) -> None:
    """Table ``pj_map`` (name, cid, pid, match): the ``project_id`` and ``project_match`` of every
    (项目名称, company) mention. ``mentions``: SQL of (name, cid) rows (names not NULL); ``links``: SQL of
    (name, cid, name, cid) of mentions linked by 施工许可证号. A company id NULL is written ''."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE pj_m AS
                    SELECT m.name, m.cid, p.clean, p.core, p.phase, p.div, p.core AS ncore
                    FROM (SELECT DISTINCT name, coalesce(cid, '') AS cid FROM ({mentions})) m
                    JOIN {NAMES} p ON p.name = m.name""")
    # one builder's same-named projects in two counties stay apart: their cores get the place as a tag,
    # and a mention without place there is ambiguous and stays alone
    conflicts: list[tuple[str, str, str]] = []
    for cid, core, phase, divs in con.execute(
            "SELECT cid, core, phase, list(DISTINCT div) FROM pj_m GROUP BY cid, core, phase "
            "HAVING count(DISTINCT div) > 1 ORDER BY ALL").fetchall():
        ps = [places(d) for d in divs]
        if not all(divisions.compatible(a, b) for a in ps for b in ps):
            conflicts.append((cid, core, phase))
    if conflicts:
        con.execute("""UPDATE pj_m SET ncore = pj_m.core || '@' || CASE WHEN pj_m.div = '' THEN '?' ELSE pj_m.div END
                       FROM (SELECT unnest($1::VARCHAR[]) AS cid, unnest($2::VARCHAR[]) AS core,
                                    unnest($3::VARCHAR[]) AS phase) c
                       WHERE pj_m.cid = c.cid AND pj_m.core = c.core AND pj_m.phase = c.phase""",
                    [list(col) for col in zip(*conflicts, strict=True)])
    # the nodes numbered in the order of (builder or '', core, phase) (no builder: '', which sorts first)
    con.execute("""CREATE OR REPLACE TEMP TABLE pj_node AS
                   SELECT cid, ncore, phase, (row_number() OVER (ORDER BY cid, ncore, phase) - 1)::INTEGER AS node
                   FROM (SELECT DISTINCT cid, ncore, phase FROM pj_m)""")
    nodes = [(c or None, core, phase) for c, core, phase in
             con.execute("SELECT cid, ncore, phase FROM pj_node ORDER BY node").fetchall()]
    con.execute("""CREATE OR REPLACE TEMP TABLE pj_mn AS SELECT m.*, n.node FROM pj_m m
                   JOIN pj_node n ON n.cid = m.cid AND n.ncore = m.ncore AND n.phase = m.phase""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE pj_links AS
                    SELECT DISTINCT a AS name, coalesce(ac, '') AS cid, b AS name2, coalesce(bc, '') AS cid2
                    FROM ({links}) l(a, ac, b, bc)""")
    pairs = con.execute("""SELECT DISTINCT x.node, y.node FROM pj_links l
                           JOIN pj_mn x ON x.name = l.name AND x.cid = l.cid
                           JOIN pj_mn y ON y.name = l.name2 AND y.cid = l.cid2""").fetchall()
    parent = join_nodes(nodes, pairs)
    moved = [(i, r) for i in range(len(nodes)) if (r := find_root(parent, i)) != i]
    con.execute("""CREATE OR REPLACE TEMP TABLE pj_root AS
                   SELECT unnest($1::INTEGER[]) AS node, unnest($2::INTEGER[]) AS root""",
                [[i for i, _r in moved], [r for _i, r in moved]])
    # ids P1, P2 … in the order of the roots; the first spelling of a project by (no builder last,
    # builder, name), the least of these structs, is the one the others are compared with
    con.execute("""CREATE OR REPLACE TEMP TABLE pj_rep AS
        WITH rooted AS (SELECT m.name, m.cid, m.clean, m.core, m.phase, coalesce(r.root, m.node) AS root
                        FROM pj_mn m LEFT JOIN pj_root r ON r.node = m.node),
             rep AS (SELECT root, 'P' || row_number() OVER (ORDER BY root) AS pid,
                            min({'last': cid = '', 'cid': cid, 'name': name}) AS first FROM rooted GROUP BY root)
        SELECT m.name, m.cid, m.clean, m.core, m.phase, rep.pid, x.name AS rname, x.cid AS rcid,
               x.clean AS rclean, x.core AS rcore, x.phase AS rphase
        FROM rooted m JOIN rep ON rep.root = m.root
        JOIN pj_mn x ON x.name = rep.first.name AND x.cid = rep.first.cid""")
    fuzzy = con.execute("SELECT DISTINCT core, rcore FROM pj_rep WHERE core <> rcore ORDER BY ALL").fetchall()
    scores = [max(fuzz.ratio(a, b), long_ratio(a, b)) for a, b in fuzzy]
    con.execute("""CREATE OR REPLACE TEMP TABLE pj_fuzzy AS
                   SELECT unnest($1::VARCHAR[]) AS core, unnest($2::VARCHAR[]) AS rcore,
                          unnest($3::BOOLEAN[]) AS low, unnest($4::VARCHAR[]) AS score""",
                [[a for a, _b in fuzzy], [b for _a, b in fuzzy], [s < PROJECT_FUZZY_MIN for s in scores],
                 [f"{s:.0f}" for s in scores]])
    con.execute("""CREATE OR REPLACE TEMP TABLE pj_map AS
        SELECT m.name, m.cid, m.pid,
               CASE WHEN m.name = m.rname AND m.cid = m.rcid THEN '项目名称一致'
                    -- equal cleaned names parse alike
                    WHEN m.core = m.rcore AND m.phase = m.rphase AND (m.name = m.rname OR m.clean = m.rclean)
                         THEN '项目名称一致'
                    WHEN m.core = m.rcore AND m.phase = m.rphase THEN '项目名称规范化后一致（「' || m.rname || '」）'
                    WHEN m.core = m.rcore THEN '项目名称一致，一方未写分期（「' || m.rname || '」）'
                    WHEN f.low AND l.name IS NOT NULL THEN '施工许可证号一致（「' || m.rname || '」）'
                    ELSE '项目名称模糊匹配（「' || m.rname || '」，rapidfuzz 相似度 ' || f.score || '）' END
               || CASE WHEN m.cid = '' AND m.rcid <> '' THEN '；未写建设单位，按项目名称归入唯一的同名项目'
                       ELSE '' END AS match
        FROM pj_rep m LEFT JOIN pj_fuzzy f ON f.core = m.core AND f.rcore = m.rcore
        LEFT JOIN (SELECT name, cid FROM pj_links UNION SELECT name2, cid2 FROM pj_links) l
               ON l.name = m.name AND l.cid = m.cid""")
    con.execute("DROP TABLE pj_m; DROP TABLE pj_node; DROP TABLE pj_mn; DROP TABLE pj_links; DROP TABLE pj_root; "
                "DROP TABLE pj_rep; DROP TABLE pj_fuzzy")

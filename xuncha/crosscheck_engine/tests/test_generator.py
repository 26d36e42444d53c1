"""The generator writes every kind of messiness the contract 1.1 names (one test per kind), and the engine
reads it without merging two true companies. Generated once per module (1,500 permits, workbooks on)."""

from __future__ import annotations

import re
from collections import defaultdict

import duckdb
import pytest
from openpyxl import load_workbook

from xuncha.crosscheck_engine import divisions
from xuncha.crosscheck_engine.generator import generate
from xuncha.crosscheck_engine.generator.scoring import engine_companies, pairwise, truth_rows
from xuncha.crosscheck_engine.names import INVISIBLE, company_name, project_name
from xuncha.crosscheck_engine.resolve import COMPANY_COLS, PROJECT_COLS
from xuncha.crosscheck_engine.runner import run_check
from xuncha.crosscheck_engine.tables import TABLES

SCOPE = frozenset({"6212", "5117"})  # 陇南市, 达州市: the generator's default counties


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("gen")
    truth = generate(base / "data", permits=1500, seed=3, excel=True)
    result = run_check(base / "data", None, truth.as_of, None, database=base / "run.duckdb")
    con = duckdb.connect(str(base / "run.duckdb"), read_only=True)
    names = []  # (table, key, company name as written, true company)
    for t, (col, _code) in COMPANY_COLS.items():
        key = TABLES[t].key.field
        for k, name in con.execute(f"SELECT {key}, {col} FROM {t} WHERE {col} IS NOT NULL").fetchall():
            names.append((t, k, name, truth.companies.get(t, {}).get(k)))
    projects = [p for t, col in PROJECT_COLS.items()
                for (p,) in con.execute(f"SELECT {col} FROM {t} WHERE {col} IS NOT NULL").fetchall()]
    sheets = max(con.execute(f"SELECT count(DISTINCT _sheet) FROM {t}").fetchone()[0] for t in TABLES)
    score = pairwise(engine_companies(con), truth_rows(truth.companies))
    con.close()
    return {"base": base, "truth": truth, "result": result, "names": names, "projects": projects,
            "sheets": sheets, "score": score}


def test_twins_of_two_counties_are_written_without_county(world):
    by_core = defaultdict(set)
    bare = set()
    for _t, _k, name, true in world["names"]:
        cn = company_name(name, SCOPE)
        by_core[cn.core].add(true)
        if not cn.div:
            bare.add((cn.core, true))
    twins = {core for core, trues in by_core.items() if len(trues) > 1}
    assert len(twins) >= 5
    assert len({core for core, _true in bare if core in twins}) >= 3


def test_counties_in_full_short_former_with_city_and_in_brackets(world):
    written = [n for _t, _k, n, _c in world["names"]]
    assert any(re.match(r"^(宕昌|张家川|西和|大竹|宣汉|开江|渠县)(?!县)", n) for n in written)  # short
    assert any(n.startswith(("武都县", "达县", "通川县")) for n in written)  # former names (武都县 → 武都区)
    assert any(n.startswith(("陇南市", "达州市")) for n in written)  # the city in front
    assert any(re.search(r"[(（][^()（）]*[县区市][)）]$", n) for n in written)  # in brackets after the name
    forms = {frozenset(company_name(n, SCOPE).div) for n in written if "武都县" in n}
    assert all(divisions.is_county(f) for f in forms)


def test_kind_words_and_phases_in_every_spelling(world):
    projects = world["projects"]
    for pattern in (r"^(新建|改扩建|扩建)", r"(建设项目|建设工程|工程|项目)$", r"【[一二三]期】", r"第[一二三]期",
                    r"\d期", r"[一二三]期工程", r"[（(][一二三]期[）)]"):
        assert any(re.search(pattern, p) for p in projects), pattern
    phased = [p for p in projects if "二期" in p or "2期" in p]
    assert phased and all(project_name(p, SCOPE).phase == "P2" for p in phased)


def test_permits_name_the_buildings_they_are_issued_for(world):
    buildings = [p for p in world["projects"] if re.search(r"[#号]楼|[A-Z]\d?栋", p)]
    assert len(buildings) >= 20
    assert not any(re.search(r"[#号]楼|[A-Z]\d?栋", project_name(p, SCOPE).core) for p in buildings)


def test_invisible_characters_inside_names(world):
    assert any(ch in n for _t, _k, n, _c in world["names"] for ch in INVISIBLE + "\u00a0\t")


def test_workbooks_have_several_sheets_a_notes_sheet_line_breaks_and_units_rows(world):
    data = world["base"] / "data"
    assert world["sheets"] > 1  # one table on several sheets, all read
    assert any("填表说明" in s for s in world["result"].skipped)  # the notes sheet is named, not read
    breaks = units = 0
    for path in data.glob("*.xlsx"):
        wb = load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True, max_row=8))
            breaks += any(isinstance(c, str) and "\n" in c for r in rows for c in r)
            units += any(r and {c for c in r if c} and {c for c in r if c} <= {"元", "万元", "㎡"} for r in rows)
    assert breaks and units


def test_csv_files_in_gbk_and_utf8(tmp_path):
    # its own data, every table a CSV: in the world above only two tables are, and which encoding each
    # gets follows the generator's random stream (a new header alias in tables.py shifted it)
    generate(tmp_path / "data", permits=100, seed=3, excel=False)
    encodings = set()
    for path in (tmp_path / "data").glob("*.csv"):
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            encodings.add("utf-8-sig")
            continue
        try:
            raw.decode("utf-8")
            encodings.add("utf-8")
        except UnicodeDecodeError:
            raw.decode("gbk")
            encodings.add("gbk")
    assert "gbk" in encodings and len(encodings) >= 2


def test_the_engine_merges_no_two_true_companies_of_the_generated_data(world):
    score = world["score"]
    assert score.merges == 0, score.examples
    assert score.recall > 0.95

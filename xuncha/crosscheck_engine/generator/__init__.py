"""Generator of messy, realistic test data with known answers (模拟数据生成).

``generate(out_dir, permits=1000, seed=1, messy=True)`` writes one file per table into ``out_dir`` and
returns the :class:`Truth`: for every rule the set of primary record keys that must hit, computed by a
plain Python reference of the rules over the *clean* records (true company and project identities),
independently of the engine's SQL and entity resolution; and the true company and project of every row.
``truth.json`` and ``truth_entities.json`` hold the same.

The data plants positives for every rule and the near misses that must not hit: phase 2 beside an
approved phase 1, a lawful waiver with its basis, cheap contracts 200 days apart, equal monthly
payments, namesake companies of two counties, mistyped credit codes. Messiness (``messy=True``, every
kind at once): title rows and merged title cells, several sheets per workbook and a sheet of notes,
header cells with line breaks or a required mark, a row of units under the header, GBK CSV, UTF-8 with
BOM, 万元 columns and cells, mixed date formats, full-width brackets, counties written in full, short
(宕昌), former (武都县) or in brackets after the name, or left out (twins of two counties too), look-alike
companies whose 字号 differ by one character, kind words around project names (新建, 建设项目, 工程),
phases in every spelling, invisible characters inside names and codes, 有限责任公司/有限公司, stray
spaces, missing and mistyped credit codes and typos in names. Deterministic by seed.

Modules: :mod:`model` (identities), :mod:`mess` (spellings), :mod:`world` (the records),
:mod:`reference` (the rules in plain Python), :mod:`emit` (the files).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from pathlib import Path

from ..policy import Policy, load_policy
from .emit import _emit
from .mess import Mess
from .model import AS_OF, COUNTIES, Truth, city_of
from .reference import reference_hits
from .world import World, _build

__all__ = ["AS_OF", "COUNTIES", "EXCEL_TABLES", "Truth", "city_of", "generate"]

# tables written as .xlsx when ``excel`` is true (the receipts and the payments are always CSV)
EXCEL_TABLES = ("permits", "completions", "approvals", "acceptances", "fee_ledger", "rentals", "contracts")


def generate(out_dir: str | Path, permits: int = 1000, seed: int = 1, messy: bool = True,
             as_of: dt.date = AS_OF, excel: bool | tuple[str, ...] | None = None, policy: Policy | None = None,
             counties: list[tuple[str, str]] | None = None) -> Truth:
    """Write the table files of a simulated prefecture into ``out_dir``; return (and write) the truth.

    ``excel``: True writes the tables of ``EXCEL_TABLES`` as .xlsx (default: when ``permits`` ≤ 5000),
    or a tuple of table codes. ``counties``: (GB/T 2260 code, name) of the counties the data speaks of
    (default: counties of 陇南市 and 达州市). The truth is for the contract's default policy unless
    ``policy`` is given.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world = World(rng, permits, policy or load_policy(None), as_of, list(counties or COUNTIES))
    mess = Mess(random.Random(seed + 1), messy)
    _build(world, mess)
    world.receipts_by_payer = defaultdict(list)
    for r in world.truth_rows["fee_receipts"]:
        world.receipts_by_payer[r["payer"].cid].append(r)
    truth = Truth(as_of, reference_hits(world))
    if excel is None:
        excel = permits <= 5000
    tables = EXCEL_TABLES if excel is True else () if excel is False else tuple(excel)
    truth.counts = _emit(world, out, mess, tables, truth)
    (out / "truth.json").write_text(json.dumps(truth.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "truth_entities.json").write_text(json.dumps(truth.entities_json(), ensure_ascii=False),
                                             encoding="utf-8")
    return truth

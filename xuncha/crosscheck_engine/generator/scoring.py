"""How well companies and projects were found, against the generator's truth (for tests and benchmarks).

Pairwise scores over rows: two rows are a pair when they are given the same company (or project); a pair
is right when the truth gives them the same one too. ``merges`` counts the clusters that hold rows of two
or more true companies (different companies taken for one); ``splits`` the true companies whose rows
ended in two or more clusters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..tables import TABLES


@dataclass
class Score:
    rows: int
    precision: float
    recall: float
    f1: float
    merges: int  # clusters holding two or more true entities
    merged_entities: int  # true entities inside such clusters
    splits: int  # true entities spread over two or more clusters
    examples: list[list[str]]  # a few merged clusters: the true entities they hold

    def line(self) -> str:
        return (f"{self.rows:,} rows: precision {self.precision:.4f}, recall {self.recall:.4f}, F1 {self.f1:.4f}, "
                f"merges {self.merges} ({self.merged_entities} true entities), splits {self.splits}")


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(predicted: dict, truth: dict) -> Score:
    """``predicted`` and ``truth``: row → entity id (rows missing from either are left out)."""
    rows = [r for r in truth if predicted.get(r) is not None]
    cell = Counter((predicted[r], truth[r]) for r in rows)
    pred = Counter(predicted[r] for r in rows)
    true = Counter(truth[r] for r in rows)
    tp = sum(_pairs(n) for n in cell.values())
    pp, tt = sum(_pairs(n) for n in pred.values()), sum(_pairs(n) for n in true.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    holds: dict = defaultdict(set)
    spread: dict = defaultdict(set)
    for p, t in cell:
        holds[p].add(t)
        spread[t].add(p)
    merged = {p: ts for p, ts in holds.items() if len(ts) > 1}
    examples = [sorted(ts) for _p, ts in sorted(merged.items(), key=lambda x: str(x[0]))[:5]]
    return Score(len(rows), precision, recall, f1, len(merged), sum(len(ts) for ts in merged.values()),
                 sum(1 for ps in spread.values() if len(ps) > 1), examples)


def engine_companies(con) -> dict[tuple[str, str], str]:
    """(table, key as written) → company_id, from the database of a run."""
    out = {}
    for t in ("permits", "completions", "approvals", "fee_receipts", "fee_ledger", "rentals", "contracts",
              "payments"):
        key = TABLES[t].key.field
        for k, cid in con.execute(f"SELECT {key}, company_id FROM {t}").fetchall():
            out[(t, k)] = cid
    return out


def engine_projects(con) -> dict[tuple[str, str], str]:
    out = {}
    for t in ("permits", "completions", "approvals", "fee_receipts", "rentals"):
        key = TABLES[t].key.field
        for k, pid in con.execute(f"SELECT {key}, project_id FROM {t}").fetchall():
            out[(t, k)] = pid
    return out


def truth_rows(by_table: dict[str, dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(t, k): v for t, rows in by_table.items() for k, v in rows.items()}

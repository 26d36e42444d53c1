"""Plain-Python reference of R01–R14 over the clean records with their true identities (the truth)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .world import World, _yuan


def reference_hits(world: World) -> dict[str, set[str]]:  # noqa: C901 - the rules, one after another
    pol, as_of = world.policy, world.as_of
    t = world.truth_rows
    hits: dict[str, set[str]] = {f"R{i:02d}": set() for i in range(1, 15)}
    tol = pol.area_tolerance
    approved_permits = {id(a["permit"]) for a in t["approvals"]}
    for pm in t["permits"]:
        need = pm["use"] not in pol.exempt_uses and pm["ground"] >= pol.min_ground_area
        if need and pm["ground"] * pol.shelter_ratio > 0 and id(pm) not in approved_permits and pm["issue"] <= as_of:
            hits["R01"].add(pm["key"])
    paid: dict[str, float] = defaultdict(float)
    for r in t["fee_receipts"]:
        if r["approval"] is not None and r["date"] <= as_of:
            paid[r["approval"]["key"]] += r["amount"]
    accepted: dict[str, float] = defaultdict(float)
    has_acc = set()
    for x in t["acceptances"]:
        if x["date"] <= as_of:
            accepted[x["approval"]["key"]] += x["built"]
            has_acc.add(x["approval"]["key"])
    completions_of: dict[int, list[dt.date]] = defaultdict(list)
    for c in t["completions"]:
        completions_of[id(c["permit"])].append(c["date"])
    for a in t["approvals"]:
        k = a["key"]
        if a["date"] > as_of:
            continue
        use = a["permit"]["use"]
        if use not in pol.exempt_uses and a["ground"] >= pol.min_ground_area and \
                a["required"] < a["ground"] * pol.shelter_ratio * (1 - tol):
            hits["R02"].add(k)
        fee, waiver, deferral = a["fee"], a["waiver"], a["deferral"]
        if _yuan(paid[k]) < _yuan(fee - waiver - deferral):
            hits["R03"].add(k)
        if waiver > 0:
            share = pol.waiver_eligible.get(a["use"])
            if share is None or (pol.waiver_require_basis and not a["basis"]) or _yuan(waiver) > _yuan(fee * share):
                hits["R04"].add(k)
        if deferral > 0 and a["deferral_due"] < as_of and _yuan(paid[k]) < _yuan(fee - waiver):
            hits["R05"].add(k)
        if k in has_acc and accepted[k] < a["approved"] * (1 - tol):
            hits["R07"].add(k)
        if a["kind"] == "结建" and k not in has_acc:
            dates = [d for d in completions_of.get(id(a["permit"]), []) if d <= as_of]
            if dates and min(dates) + dt.timedelta(days=pol.acceptance_grace_days) < as_of:
                hits["R08"].add(k)
    for led in t["fee_ledger"]:
        if led["date"] + dt.timedelta(days=pol.treasury_max_days) >= as_of:
            continue
        ok = any(r["payer"].cid == led["payer"].cid and _yuan(r["amount"]) == _yuan(led["amount"])
                 and led["date"] <= r["treasury"] <= led["date"] + dt.timedelta(days=pol.treasury_max_days)
                 for r in world.receipts_by_payer.get(led["payer"].cid, []))
        if not ok:
            hits["R06"].add(led["key"])
    for rt in t["rentals"]:
        if rt["start"] > as_of:
            continue
        low = rt["give_guide"] and rt["rent"] / rt["area"] < rt["guide"] * pol.rent_min_ratio
        if low or (rt["waiver"] > 0 and not rt["basis"]):
            hits["R09"].add(rt["key"])
        if _yuan(rt["paid"]) < _yuan(rt["due"]):
            hits["R10"].add(rt["key"])
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in t["contracts"]:
        if c["date"] > as_of:
            continue
        thr = pol.thresholds[c["cat"]]
        if c["method"] not in pol.tender_methods:
            if c["amount"] >= thr:
                hits["R12"].add(c["key"])
            else:
                groups[(c["supplier"].cid, c["cat"])].append(c)
    w = dt.timedelta(days=pol.split_window_days)
    for (_, cat), cs in groups.items():
        cs.sort(key=lambda c: (c["date"], c["key"]))
        thr = pol.thresholds[cat]
        windows = []
        for i, c in enumerate(cs):
            inside = [x for x in cs[i:] if x["date"] <= c["date"] + w]
            if len(inside) >= 2 and sum(x["amount"] for x in inside) >= thr:
                windows.append((c["date"], c["date"] + w))
        islands: list[list] = []
        for s, e in windows:
            if islands and s <= islands[-1][1]:
                islands[-1][1] = max(islands[-1][1], e)
            else:
                islands.append([s, e])
        for s, e in islands:
            members = [x for x in cs if s <= x["date"] <= e]
            hits["R11"].add(members[0]["key"])
    pays: dict[tuple, list[dict]] = defaultdict(list)
    for p in t["payments"]:
        if p["date"] <= as_of:
            kind, who = p["payee"]
            pays[(kind, who.cid if kind == "c" else who, round(p["amount"], 2))].append(p)
        if any(k in p["summary"] for k in pol.subsidy_keywords) and p["date"] <= as_of:
            hits["R14"].add(p["key"])
    for ps in pays.values():
        ps.sort(key=lambda p: (p["date"], p["key"]))
        group = [ps[0]]
        for p in ps[1:]:
            if (p["date"] - group[-1]["date"]).days <= pol.duplicate_window_days:
                group.append(p)
            else:
                if len(group) >= 2:
                    hits["R13"].add(group[0]["key"])
                group = [p]
        if len(group) >= 2:
            hits["R13"].add(group[0]["key"])
    return hits



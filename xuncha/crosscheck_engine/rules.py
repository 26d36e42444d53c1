"""Red-flag rules R01–R14 (疑点规则), each a SQL query on DuckDB.

Every number comes from the policy: the runner creates the parameter tables ``p_rates`` (易地建设费
rate by date), ``p_exempt``, ``p_eligible``, ``p_thresholds``, ``p_tender``, ``p_keywords`` and passes
the scalars as named parameters (``$ratio``, ``$tol``, ``$as_of`` …). The imported tables carry the
resolved company (``company_id``) and project (``project_id``) of every row, and ``approval_fee`` the
易地建设面积 and 应缴 of every approval.

Each rule query returns ``pk`` (the primary record's key), ``refs`` (list of ``{t, k}``: the other
records, in order), ``amount`` (yuan) and further columns that are the facts of the hit.
"""

from __future__ import annotations

from dataclasses import dataclass

# 人防专项检查事项 (seed 001): the five classes, with stable codes
CATEGORIES = {
    "RF-ZT": "主体责任不到位",
    "RF-SP": "人防项目违规审批验收",
    "RF-YD": "易地建设费违规减免使用",
    "RF-CZ": "人防工程出租牟利",
    "RF-WG": "违规审批和作风问题",
}


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    category: str
    primary: str  # table code of the primary record
    needs: tuple[str, ...]
    sql: str
    summary: str  # str.format template over the hit's facts, amount and pk


# a 收入项目 of rent (R10: 使用费 / 租金); also the resolution's evidence that a payer is a tenant
RENT_ITEM = "regexp_matches({col}, '使用费|租金|租赁')"

# rate in force on a date: a macro the runner builds from [[fee_rates]]
_RATE = "fee_rate({d})"


def _single_candidate(base: str, candidates: str, same: str, day: str, days: str, out: str) -> str:
    """SQL (CTEs): ``out``, the rows of ``base`` with ``company_group`` replaced, for a row whose candidate
    companies (``candidates``: SQL of ``_rid, cid``) hold, exactly one of them, a row of ``base`` with the
    same ``same`` within ``days`` of its ``day``, by that company; and ``guessed`` telling such rows (R11,
    R13: the finding says which rows were so taken and that they must be verified)."""
    return f"""
        {out}_u AS (SELECT k._rid, k.cid, b.{same}, b.{day} FROM ({candidates}) k JOIN {base} b ON b._rid = k._rid),
        {out}_w AS (SELECT u._rid, list(DISTINCT x.company_group) AS groups FROM {out}_u u
                    JOIN {base} x ON x.company_group = u.cid AND x.{same} = u.{same}
                                 AND abs(date_diff('day', x.{day}, u.{day})) <= {days}
                    GROUP BY u._rid),
        {out} AS (SELECT b.* REPLACE (CASE WHEN len(w.groups) = 1 THEN w.groups[1] ELSE b.company_group END
                                      AS company_group),
                         coalesce(len(w.groups) = 1, false) AS guessed
                  FROM {base} b LEFT JOIN {out}_w w ON w._rid = b._rid)"""


def _named_with_guesses(col: str, order: str, what: str, note: str) -> str:
    """SQL (an aggregate): the ``col`` of the group's first row not guessed (:func:`_single_candidate`), and
    the spellings of the guessed rows after it with ``note``."""
    return (f"coalesce(arg_min({col}, {order}) FILTER (WHERE NOT guessed), arg_min({col}, {order})) "
            f"|| coalesce('（另有{what}写作' || string_agg(DISTINCT '「' || {col} || '」', '、' "
            f"ORDER BY '「' || {col} || '」') FILTER (WHERE guessed) || '，{note}）', '')")


RULES: tuple[Rule, ...] = (
    Rule("R01", "漏审漏批", "RF-SP", "permits", ("permits", "approvals"), f"""
        SELECT p.permit_no AS pk, []::STRUCT(t VARCHAR, k VARCHAR)[] AS refs,
               round(p.ground_area * $ratio * {_RATE.format(d='p.issue_date')}, 2) AS amount,
               p.project AS project, p.builder AS builder, p.ground_area AS ground_area,
               round(p.ground_area * $ratio, 2) AS required_area, p.use AS use
        FROM permits p
        WHERE coalesce(p.use, '') NOT IN (SELECT use FROM p_exempt)
          AND p.ground_area >= $min_ground AND p.ground_area * $ratio > 0
          AND p.issue_date <= $as_of
          AND NOT EXISTS (SELECT 1 FROM approvals a WHERE a.project_id = p.project_id AND a.approval_date <= $as_of)
          AND NOT EXISTS (SELECT 1 FROM approvals a WHERE a.permit_no_n = p.permit_no_n
                                                        AND a.approval_date <= $as_of)
        ORDER BY p._file, p._row, p._rid
    """, "施工许可{pk}（{project}，地上建筑面积{ground_area:,.0f}㎡）未找到对应的人防审批，"
         "按比例应建防空地下室{required_area:,.0f}㎡，涉及易地建设费{amount:,.0f}元。"),

    Rule("R02", "应建面积核减（少批）", "RF-SP", "approvals", ("approvals",), f"""
        WITH m AS (
            SELECT a.approval_no, list(DISTINCT p.permit_no ORDER BY p.permit_no) AS permit_nos,
                   sum(p.ground_area::DECIMAL(18, 3))::DOUBLE AS permit_ground, arg_min(p.use, (p._file, p._row)) AS permit_use
            FROM approvals a JOIN permits p ON p.project_id = a.project_id  -- 施工许可证号 links are part of project_id
            GROUP BY a.approval_no)
        SELECT a.approval_no AS pk,
               coalesce(list_transform(m.permit_nos, lambda x: {{'t': 'permits', 'k': x}}),
                        []::STRUCT(t VARCHAR, k VARCHAR)[]) AS refs,
               round((coalesce(m.permit_ground, a.ground_area) * $ratio - a.required_area)
                     * {_RATE.format(d='a.approval_date')}, 2) AS amount,
               a.project AS project, a.required_area AS required_area,
               coalesce(m.permit_ground, a.ground_area) AS ground_area,
               round(coalesce(m.permit_ground, a.ground_area) * $ratio, 2) AS should_area,
               CASE WHEN m.permit_ground IS NULL THEN '人防审批' ELSE '施工许可' END AS area_source
        FROM approvals a LEFT JOIN m USING (approval_no)
        WHERE coalesce(m.permit_use, a.use, '') NOT IN (SELECT use FROM p_exempt)
          AND coalesce(m.permit_ground, a.ground_area) >= $min_ground
          AND a.approval_date <= $as_of
          AND a.required_area < coalesce(m.permit_ground, a.ground_area) * $ratio * (1 - $tol)
        ORDER BY a._file, a._row, a._rid
    """, "审批文号{pk}（{project}）应建面积{required_area:,.0f}㎡，低于按{area_source}地上建筑面积"
         "{ground_area:,.0f}㎡计算的{should_area:,.0f}㎡，少批面积涉及易地建设费{amount:,.0f}元。"),

    Rule("R03", "易地建设费少收未收", "RF-YD", "approvals", ("approvals", "fee_receipts"), """
        SELECT f.approval_no AS pk, f.fee_refs AS refs,
               round(f.fee_due - f.waiver - f.deferral - f.paid, 2) AS amount,  -- net of 缓缴 (contract)
               f.project AS project, f.fee_due AS fee_due, f.waiver AS waiver, f.deferral AS deferral,
               round(f.fee_due - f.waiver - f.deferral, 2) AS due_now, f.paid AS paid
        FROM approval_fee f
        WHERE f.approval_date <= $as_of
          AND yuan(f.paid) < yuan(f.fee_due - f.waiver - f.deferral)
        ORDER BY f._file, f._row, f._rid
    """, "审批文号{pk}（{project}）应缴易地建设费{fee_due:,.0f}元，减免{waiver:,.0f}元、缓缴{deferral:,.0f}元后"
         "应收{due_now:,.0f}元，非税收入仅缴{paid:,.0f}元，少收{amount:,.0f}元。"),

    Rule("R04", "违规减免", "RF-YD", "approvals", ("approvals",), """
        WITH w AS (
            SELECT f.*, e.share AS share,
                   CASE WHEN e.share IS NULL THEN '用途不在可减免范围'
                        WHEN $require_basis AND no_basis(f.waiver_basis) THEN '无减免依据'
                        WHEN yuan(f.waiver) > yuan(f.fee_due * e.share) THEN '超过可减免比例'
                   END AS reason
            FROM approval_fee f LEFT JOIN p_eligible e ON e.use = f.use
            WHERE f.waiver > 0 AND f.approval_date <= $as_of)
        SELECT approval_no AS pk, []::STRUCT(t VARCHAR, k VARCHAR)[] AS refs,
               round(CASE WHEN reason = '超过可减免比例' THEN waiver - fee_due * share ELSE waiver END, 2) AS amount,
               project AS project, use AS use, fee_due AS fee_due, waiver AS waiver,
               coalesce(share, 0) AS share, reason AS reason, waiver_basis AS basis
        FROM w WHERE reason IS NOT NULL
        ORDER BY _file, _row, _rid
    """, "审批文号{pk}（{project}，用途{use}）减免易地建设费{waiver:,.0f}元（{reason}），"
         "超出允许的减免{amount:,.0f}元。"),

    Rule("R05", "缓缴逾期未缴", "RF-YD", "approvals", ("approvals", "fee_receipts"), """
        SELECT f.approval_no AS pk, f.fee_refs AS refs,
               round(least(f.deferral, f.fee_due - f.waiver - f.paid), 2) AS amount,
               f.project AS project, f.deferral AS deferral, f.deferral_due AS deferral_due,
               f.fee_due AS fee_due, f.waiver AS waiver, f.paid AS paid
        FROM approval_fee f
        WHERE f.deferral > 0 AND f.deferral_due < $as_of
          AND yuan(f.paid) < yuan(f.fee_due - f.waiver)
        ORDER BY f._file, f._row, f._rid
    """, "审批文号{pk}（{project}）缓缴易地建设费{deferral:,.0f}元，缓缴期限{deferral_due}已过，"
         "仍有{amount:,.0f}元未缴。"),

    Rule("R06", "收费未入库（截留、坐收坐支）", "RF-YD", "fee_ledger", ("fee_ledger", "fee_receipts"), """
        SELECT l.ledger_no AS pk,
               CASE WHEN l.approval_no IS NULL THEN []::STRUCT(t VARCHAR, k VARCHAR)[]
                    ELSE coalesce((SELECT list({'t': 'approvals', 'k': a.approval_no} ORDER BY a.approval_no)
                                   FROM approvals a WHERE a.approval_no_n = l.approval_no_n),
                                  []::STRUCT(t VARCHAR, k VARCHAR)[]) END AS refs,
               round(l.amount, 2) AS amount,
               l.payer AS payer, l.receive_date AS receive_date
        FROM fee_ledger l
        WHERE l.amount > 0 AND l.receive_date + to_days($max_days) < $as_of
          AND NOT EXISTS (
              SELECT 1 FROM fee_receipts r
              WHERE r.company_id = l.company_id AND yuan(r.amount) = yuan(l.amount)
                AND coalesce(r.treasury_date, r.pay_date) BETWEEN l.receive_date
                    AND l.receive_date + to_days($max_days))
        ORDER BY l._file, l._row, l._rid
    """, "人防办收据{pk}（缴款人{payer}，{receive_date}收款{amount:,.0f}元）在{max_days}日内"
         "未见同一缴款人同金额的非税收入入库记录。"),

    Rule("R07", "批而不建／少建", "RF-SP", "approvals", ("approvals", "acceptances"), f"""
        WITH acc AS (
            SELECT approval_no_n, sum(built_area::DECIMAL(18, 3))::DOUBLE AS built,
                   list({{'t': 'acceptances', 'k': acceptance_no}} ORDER BY acceptance_date, acceptance_no) AS refs
            FROM acceptances WHERE acceptance_date <= $as_of GROUP BY approval_no_n)
        SELECT f.approval_no AS pk, acc.refs AS refs,
               round((f.approved_area - acc.built) * {_RATE.format(d='f.approval_date')}, 2) AS amount,
               f.project AS project, f.approved_area AS approved_area, acc.built AS built_area
        FROM approval_fee f JOIN acc ON acc.approval_no_n = f.approval_no_n
        WHERE acc.built < f.approved_area * (1 - $tol)
        ORDER BY f._file, f._row, f._rid
    """, "审批文号{pk}（{project}）批准建设防空地下室{approved_area:,.0f}㎡，验收实建仅{built_area:,.0f}㎡，"
         "少建面积折合易地建设费{amount:,.0f}元。"),

    Rule("R08", "应验收未验收", "RF-SP", "approvals", ("approvals", "permits", "completions", "acceptances"), """
        WITH c AS (
            SELECT a.approval_no, min(c.record_date) AS record_date,
                   list(DISTINCT p.permit_no ORDER BY p.permit_no) AS permit_nos,
                   list(DISTINCT c.record_no ORDER BY c.record_no) AS record_nos
            FROM approvals a
            JOIN permits p ON p.project_id = a.project_id  -- 施工许可证号 links are part of project_id
            JOIN completions c ON c.project_id = p.project_id
            WHERE a.approval_type = '结建' AND c.record_date <= $as_of
            GROUP BY a.approval_no)
        SELECT a.approval_no AS pk,
               list_concat(list_transform(c.permit_nos, lambda x: {'t': 'permits', 'k': x}),
                           list_transform(c.record_nos, lambda x: {'t': 'completions', 'k': x})) AS refs,
               0.0 AS amount, a.project AS project, c.record_date AS record_date,
               date_diff('day', c.record_date, $as_of) AS days
        FROM approvals a JOIN c USING (approval_no)
        WHERE c.record_date + to_days($grace_days) < $as_of
          AND NOT EXISTS (SELECT 1 FROM acceptances x
                          WHERE x.approval_no_n = a.approval_no_n AND x.acceptance_date <= $as_of)
        ORDER BY a._file, a._row, a._rid
    """, "结建项目{pk}（{project}）已于{record_date}竣工验收备案，{days}天后仍无人防竣工验收记录。"),

    Rule("R09", "租金偏低／随意减免租金", "RF-CZ", "rentals", ("rentals",), """
        WITH r AS (
            SELECT *, (guide_rent IS NOT NULL AND area > 0
                       AND yearly_rent / area < guide_rent * $rent_ratio) AS low,
                   (coalesce(waiver, 0) > 0 AND no_basis(waiver_basis)) AS unfounded
            FROM rentals WHERE start_date <= $as_of)
        SELECT contract_no AS pk, []::STRUCT(t VARCHAR, k VARCHAR)[] AS refs,
               round(CASE WHEN low THEN greatest(guide_rent * area - yearly_rent, 0) ELSE 0 END
                     + CASE WHEN unfounded THEN waiver ELSE 0 END, 2) AS amount,
               shelter AS shelter, tenant AS tenant, yearly_rent AS yearly_rent, area AS area,
               coalesce(guide_rent, 0) AS guide_rent, round(yearly_rent / nullif(area, 0), 2) AS unit_rent,
               coalesce(waiver, 0) AS waiver,
               concat_ws('，',
                   CASE WHEN low THEN printf('单位面积年租金%.2f元/㎡低于指导租金%.2f元/㎡的%g%%',
                                             yearly_rent / area, guide_rent, $rent_ratio * 100) END,
                   CASE WHEN unfounded THEN printf('减免租金%.0f元但无减免依据', waiver) END) AS reason
        FROM r WHERE low OR unfounded
        ORDER BY _file, _row, _rid
    """, "人防工程{shelter}出租给{tenant}（合同{pk}），{reason}，涉及金额{amount:,.0f}元。"),

    Rule("R10", "租金未入账", "RF-CZ", "rentals", ("rentals", "fee_receipts"), f"""
        WITH y AS (
            SELECT r.*,
                   date_diff('year', start_date, $as_of)
                     - CASE WHEN start_date + to_years(date_diff('year', start_date, $as_of)) > $as_of
                            THEN 1 ELSE 0 END AS full_years,
                   date_diff('year', start_date, end_date + 1)
                     - CASE WHEN start_date + to_years(date_diff('year', start_date, end_date + 1)) > end_date + 1
                            THEN 1 ELSE 0 END AS term_full
            FROM rentals r WHERE r.start_date <= $as_of),
        d AS (
            SELECT y.*, least(full_years + 1,
                        term_full + CASE WHEN start_date + to_years(term_full) < end_date + 1 THEN 1 ELSE 0 END)
                   AS years_begun
            FROM y),
        t AS (SELECT company_id, count(*) AS n FROM rentals GROUP BY company_id),
        p AS (
            SELECT d.contract_no, sum(x.amount::DECIMAL(18, 2))::DOUBLE AS paid,
                   list({{'t': 'fee_receipts', 'k': x.receipt_no}} ORDER BY x.pay_date, x.receipt_no) AS refs
            FROM d JOIN t USING (company_id)
            JOIN fee_receipts x ON x.company_id = d.company_id
                 AND {RENT_ITEM.format(col='x.income_item')}
                 AND x.pay_date >= d.start_date AND x.pay_date <= $as_of
                 AND (t.n = 1 OR x.project_id = d.project_id)
            GROUP BY d.contract_no)
        SELECT d.contract_no AS pk, coalesce(p.refs, []::STRUCT(t VARCHAR, k VARCHAR)[]) AS refs,
               round(d.yearly_rent * d.years_begun - coalesce(d.waiver, 0) - coalesce(p.paid, 0), 2) AS amount,
               d.shelter AS shelter, d.tenant AS tenant, d.years_begun AS years,
               round(d.yearly_rent * d.years_begun - coalesce(d.waiver, 0), 2) AS due,
               coalesce(p.paid, 0) AS paid
        FROM d LEFT JOIN p USING (contract_no)
        WHERE yuan(coalesce(p.paid, 0)) < yuan(d.yearly_rent * d.years_begun - coalesce(d.waiver, 0))
        ORDER BY d._file, d._row, d._rid
    """, "人防工程{shelter}承租人{tenant}（合同{pk}）已满{years}个租期年度，应缴{due:,.0f}元，"
         "非税收入仅见{paid:,.0f}元，{amount:,.0f}元未入账。"),

    Rule("R11", "拆分规避招标", "RF-WG", "contracts", ("contracts",), f"""
        WITH c0 AS (
            SELECT x.*, t.threshold
            FROM contracts x JOIN p_thresholds t ON t.category = x.category
            WHERE x.method NOT IN (SELECT method FROM p_tender) AND x.amount < t.threshold
              AND x.sign_date <= $as_of),
        -- a supplier of a contract or two whose name is one character from another supplier's (not joined
        -- for want of evidence) is that supplier, when it alone has contracts of the category in the window
        {_single_candidate("c0", "SELECT c._rid, t.other AS cid FROM c0 c JOIN typo_pairs t ON t.cid = c.company_group",
                           "category", "sign_date", "$split_days", "c")},
        w AS (
            SELECT c.*,
                   sum(amount::DECIMAL(18, 2)) OVER win AS win_sum, count(*) OVER win AS win_n
            FROM c
            WINDOW win AS (PARTITION BY company_group, category ORDER BY sign_date
                           RANGE BETWEEN CURRENT ROW AND to_days($split_days) FOLLOWING)),
        q AS (  -- windows that reach the threshold: [start, start + split_days]
            SELECT company_group, category, sign_date AS s, sign_date + to_days($split_days) AS e
            FROM w WHERE win_n >= 2 AND win_sum >= threshold),
        isl AS (
            SELECT *, sum(CASE WHEN s > prev_e THEN 1 ELSE 0 END)
                        OVER (PARTITION BY company_group, category ORDER BY s, e) AS island
            FROM (SELECT *, max(e) OVER (PARTITION BY company_group, category ORDER BY s, e
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_e
                  FROM q)),
        g AS (SELECT company_group, category, island, min(s) AS s, max(e) AS e FROM isl
              GROUP BY ALL),
        m AS (
            SELECT g.company_group, g.category, g.island, c.contract_no, c.amount, c.sign_date, c._file, c._row, c._rid,
                   c.threshold, c.supplier, c.guessed
            FROM g JOIN c ON c.company_group = g.company_group AND c.category = g.category
                 AND c.sign_date BETWEEN g.s AND g.e)
        SELECT arg_min(contract_no, (sign_date, contract_no)) AS pk,
               list({{'t': 'contracts', 'k': contract_no}} ORDER BY sign_date, contract_no)[2:] AS refs,
               round(sum(amount::DECIMAL(18, 2))::DOUBLE, 2) AS amount, count(*) AS n, category AS category,
               {_named_with_guesses("supplier", "(sign_date, contract_no)", "合同", "名称相差一字，需核实是否同一单位")}
                   AS supplier,
               any_value(threshold) AS threshold, min(sign_date) AS first_date, max(sign_date) AS last_date,
               min(_file) AS _file, min(_row) AS _row
        FROM m GROUP BY company_group, category, island
        ORDER BY _file, _row, min(_rid)
    """, "供应商{supplier}的{n}份{category}类合同（{first_date}至{last_date}）均未招标且单笔低于"
         "{threshold:,.0f}元，合计{amount:,.0f}元，达到招标限额，疑似拆分规避招标。"),

    Rule("R12", "应招未招", "RF-WG", "contracts", ("contracts",), """
        SELECT x.contract_no AS pk, []::STRUCT(t VARCHAR, k VARCHAR)[] AS refs, round(x.amount, 2) AS amount,
               x.project AS project, x.category AS category, x.method AS method, t.threshold AS threshold
        FROM contracts x JOIN p_thresholds t ON t.category = x.category
        WHERE x.amount >= t.threshold AND x.method NOT IN (SELECT method FROM p_tender)
          AND x.sign_date <= $as_of
        ORDER BY x._file, x._row, x._rid
    """, "采购合同{pk}（{project}）{category}类金额{amount:,.0f}元，达到{threshold:,.0f}元的招标限额，"
         "却采用{method}。"),

    Rule("R13", "重复支付", "RF-WG", "payments", ("payments",), f"""
        WITH v0 AS (SELECT *, round(amount, 2) AS amt FROM payments WHERE amount > 0 AND pay_date <= $as_of),
        -- a payee left undecided between companies of one name (twins written without county) is the one of
        -- them that was paid the same amount within the window, when exactly one was
        {_single_candidate("v0", "SELECT v._rid, unnest(r.candidates) AS cid FROM v0 v "
                                 "JOIN undecided_rows r ON r.tab = 'payments' AND r.rid = v._rid",
                           "amt", "pay_date", "$dup_days", "v")},
        d AS (SELECT company_group, amt FROM v GROUP BY ALL HAVING count(*) > 1),
        p AS (
            SELECT v.*,
                   lag(pay_date) OVER (PARTITION BY company_group, amt ORDER BY pay_date, _file, _row, _rid) AS prev_date
            FROM v SEMI JOIN d ON v.company_group = d.company_group AND v.amt = d.amt),
        g AS (
            SELECT *, sum(CASE WHEN prev_date IS NULL OR date_diff('day', prev_date, pay_date) > $dup_days
                               THEN 1 ELSE 0 END)
                        OVER (PARTITION BY company_group, amt ORDER BY pay_date, _file, _row, _rid) AS grp
            FROM p)
        SELECT arg_min(voucher_no, (pay_date, _file, _row, _rid)) AS pk,
               list({{'t': 'payments', 'k': voucher_no}} ORDER BY pay_date, _file, _row, _rid)[2:] AS refs,
               round(any_value(amt) * (count(*) - 1), 2) AS amount, count(*) AS n,
               any_value(amt) AS each_amount,
               {_named_with_guesses("payee", "(pay_date, _file, _row, _rid)", "凭证",
                                    "未写区县、未能确定是哪家单位，按同额、同期的付款归入同一收款方，需核实")} AS payee,
               min(pay_date) AS first_date, max(pay_date) AS last_date, min(_file) AS _file, min(_row) AS _row
        FROM g GROUP BY company_group, amt, grp HAVING count(*) >= 2
        ORDER BY _file, _row, min(_rid)
    """, "向{payee}支付{each_amount:,.0f}元的凭证{n}张（{first_date}至{last_date}，间隔不超过{dup_days}天），"
         "疑似重复支付{amount:,.0f}元。"),

    Rule("R14", "违规发放津补贴", "RF-WG", "payments", ("payments",), """
        SELECT x.voucher_no AS pk, []::STRUCT(t VARCHAR, k VARCHAR)[] AS refs, round(x.amount, 2) AS amount,
               x.summary AS summary, x.payee AS payee, x.pay_date AS pay_date,
               (SELECT string_agg(k.word, '、' ORDER BY k.word) FROM p_keywords k WHERE contains(x.summary, k.word)) AS words
        FROM payments x
        WHERE x.pay_date <= $as_of
          AND EXISTS (SELECT 1 FROM p_keywords k WHERE contains(x.summary, k.word))
        ORDER BY x._file, x._row, x._rid
    """, "凭证{pk}（{pay_date}，{payee}）摘要“{summary}”含“{words}”，疑似违规发放津补贴{amount:,.0f}元。"),
)

RULES_BY_CODE = {r.code: r for r in RULES}

"""Input tables of the cross-check (数据比对接口规范, DATA-CONTRACT.md "Tables").

Each table has a code (``permits``), a Chinese name (``施工许可``) and columns. Every column has a
canonical Chinese header, its aliases, an English field name used inside DuckDB, a kind that says
how a cell is parsed, and whether it is required. The first column is the table's key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

TEXT = "text"
MONEY = "money"  # 元
AREA = "area"  # ㎡
NUMBER = "number"
DATE = "date"
CODE = "code"  # 统一社会信用代码 or another identifier compared after normalising
CHOICE = "choice"

KIND_EXPECTED = {
    MONEY: "金额（元，可带千分位或“万元”）",
    AREA: "面积（平方米）",
    NUMBER: "数字",
    DATE: "日期（如 2024-03-05、2024/3/5、2024年3月5日、20240305）",
}


@dataclass(frozen=True)
class Column:
    header: str  # canonical Chinese header
    field: str  # English name inside DuckDB
    kind: str = TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: dict[str, str] = field(default_factory=dict)  # accepted spelling -> canonical value


@dataclass(frozen=True)
class Table:
    code: str
    name: str  # 中文名
    department: str
    columns: tuple[Column, ...]

    @property
    def key(self) -> Column:
        return self.columns[0]

    def column(self, field_name: str) -> Column:
        for col in self.columns:
            if col.field == field_name:
                return col
        raise KeyError(field_name)


def _c(header, fld, kind=TEXT, required=False, aliases=(), choices=None):
    return Column(header, fld, kind, required, tuple(aliases), dict(choices or {}))


#: the contract names 信用代码 (and, for permits, 社会信用代码); exports also write these
USCC_ALIASES = ("信用代码", "社会信用代码", "统一信用代码", "社会统一信用代码", "统一社会信用代码证号")
# 结建: 结合民用建筑修建防空地下室 (the term of the law, also shortened); 易地建设: built elsewhere, the fee paid
APPROVAL_TYPES = {"结建": "结建", "结合建设": "结建", "结合修建": "结建", "结合民用建筑修建": "结建",
                  "结合民用建筑修建防空地下室": "结建", "易地建设": "易地建设", "易地": "易地建设", "异地建设": "易地建设",
                  "易地修建": "易地建设", "异地": "易地建设", "异地修建": "易地建设"}
CONTRACT_KINDS = {"工程": "工程", "货物": "货物", "服务": "服务", "工程类": "工程", "货物类": "货物",
                  "服务类": "服务"}

TABLES: dict[str, Table] = {
    t.code: t
    for t in [
        Table("permits", "施工许可", "住建", (
            _c("施工许可证号", "permit_no", CODE, True, ["许可证号", "施工许可证编号"]),
            _c("项目名称", "project", TEXT, True, ["工程名称"]),
            _c("建设单位", "builder", TEXT, True, ["建设单位名称"]),
            _c("统一社会信用代码", "uscc", CODE, False, USCC_ALIASES),
            _c("建设地点", "location", TEXT, False, ["项目地址", "工程地址"]),
            _c("区县", "county", TEXT, False, ["所属区县", "行政区"]),
            _c("建筑用途", "use", TEXT, False, ["用途", "建筑性质"]),
            _c("总建筑面积", "total_area", AREA, True),
            _c("地上建筑面积", "ground_area", AREA, True),
            _c("地下建筑面积", "under_area", AREA),
            _c("地上层数", "floors", NUMBER),
            _c("发证日期", "issue_date", DATE, True, ["发证时间", "许可日期"]),
        )),
        Table("completions", "竣工验收备案", "住建", (
            _c("备案编号", "record_no", CODE, True),
            _c("施工许可证号", "permit_no", CODE),
            _c("项目名称", "project", TEXT, True),
            _c("建设单位", "builder", TEXT),
            _c("备案日期", "record_date", DATE, True),
        )),
        Table("approvals", "人防审批", "人防办", (
            _c("审批文号", "approval_no", CODE, True, ["批复文号"]),
            _c("项目名称", "project", TEXT, True),
            _c("建设单位", "builder", TEXT, True, ["建设单位名称"]),
            _c("统一社会信用代码", "uscc", CODE, False, USCC_ALIASES),
            _c("施工许可证号", "permit_no", CODE),
            _c("建筑用途", "use", TEXT, False, ["用途"]),
            _c("审批类型", "approval_type", CHOICE, True, choices=APPROVAL_TYPES),
            _c("地上建筑面积", "ground_area", AREA, True),
            _c("应建面积", "required_area", AREA, True, ["应建防空地下室面积"]),
            _c("批准建设面积", "approved_area", AREA, False, ["结建面积"]),
            _c("易地建设面积", "offsite_area", AREA),
            _c("应缴易地建设费", "fee_due", MONEY, False, ["应缴金额"]),
            _c("减免金额", "waiver", MONEY),
            _c("减免依据", "waiver_basis", TEXT),
            _c("缓缴金额", "deferral", MONEY),
            _c("缓缴期限", "deferral_due", DATE),
            _c("审批日期", "approval_date", DATE, True, ["批复日期"]),
            _c("经办人", "handler", TEXT),
            _c("审批人", "approver", TEXT),
        )),
        Table("acceptances", "人防竣工验收", "人防办", (
            _c("验收编号", "acceptance_no", CODE, True),
            _c("审批文号", "approval_no", CODE, True),
            _c("项目名称", "project", TEXT),
            _c("实建面积", "built_area", AREA, True),
            _c("验收日期", "acceptance_date", DATE, True),
            _c("验收结论", "conclusion", TEXT),
        )),
        Table("fee_receipts", "非税收入缴款", "财政", (
            _c("缴款书号", "receipt_no", CODE, True, ["票据号", "缴款书编号"]),
            _c("缴款人", "payer", TEXT, True, ["缴款单位", "付款人"]),
            _c("统一社会信用代码", "uscc", CODE, False, USCC_ALIASES),
            _c("项目名称", "project", TEXT),
            _c("收入项目", "income_item", TEXT, True, ["收费项目", "项目类别"]),
            _c("金额", "amount", MONEY, True, ["缴款金额"]),
            _c("缴款日期", "pay_date", DATE, True),
            _c("入库日期", "treasury_date", DATE),
            _c("执收单位", "collector", TEXT),
        )),
        Table("fee_ledger", "人防办收费台账", "人防办", (
            _c("收据号", "ledger_no", CODE, True, ["票据号"]),
            _c("缴款人", "payer", TEXT, True, ["缴款单位"]),
            _c("审批文号", "approval_no", CODE),
            _c("金额", "amount", MONEY, True),
            _c("收款日期", "receive_date", DATE, True),
            _c("收款方式", "method", TEXT),
        )),
        Table("rentals", "人防工程使用台账", "人防办", (
            _c("合同编号", "contract_no", CODE, True),
            _c("工程名称", "shelter", TEXT, True),
            _c("承租人", "tenant", TEXT, True, ["使用单位"]),
            _c("统一社会信用代码", "uscc", CODE, False, USCC_ALIASES),
            _c("面积", "area", AREA, True, ["使用面积"]),
            _c("起始日期", "start_date", DATE, True),
            _c("终止日期", "end_date", DATE, True),
            _c("年租金", "yearly_rent", MONEY, True, ["年使用费"]),
            _c("指导租金", "guide_rent", MONEY, False, ["指导价"]),
            _c("减免金额", "waiver", MONEY),
            _c("减免依据", "waiver_basis", TEXT),
        )),
        Table("contracts", "采购合同", "财政", (
            _c("合同编号", "contract_no", CODE, True),
            _c("项目名称", "project", TEXT, True),
            _c("供应商", "supplier", TEXT, True, ["中标单位", "成交供应商"]),
            _c("统一社会信用代码", "uscc", CODE, False, USCC_ALIASES),
            _c("类别", "category", CHOICE, True, choices=CONTRACT_KINDS),
            _c("采购方式", "method", TEXT, True, ["采购形式"]),
            _c("合同金额", "amount", MONEY, True, ["金额"]),
            _c("签订日期", "sign_date", DATE, True, ["合同日期"]),
        )),
        Table("payments", "财务支出凭证", "财务", (
            _c("凭证号", "voucher_no", CODE, True),
            _c("日期", "pay_date", DATE, True, ["记账日期"]),
            _c("摘要", "summary", TEXT, True),
            _c("金额", "amount", MONEY, True),
            _c("收款方", "payee", TEXT, True, ["收款单位", "收款人"]),
            _c("科目", "account", TEXT),
        )),
    ]
}

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(",
                           "〕": ")", "［": "(", "］": ")"})
_SUFFIX = re.compile(r"\(([^()]*)\)$")
# what a bracket after a header may say without changing the column: a unit or a note for whoever fills it
_UNIT_WORDS = re.compile(r"^(人民币)?(万?元|万|㎡|M2|M²|平方米|平米|个|层|%|天|日|年|YYYY-MM-DD|年月日|必填|选填|非必填|小写"
                         r"|数字|元/(㎡|M2|平方米)([·/]年)?|元/年)$", re.IGNORECASE)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def normalise_header(text: str) -> tuple[str, bool]:
    """Header cell → (bare header, says 万元).

    Spaces, line breaks, required marks (``*``), full-width forms and unit suffixes in brackets
    (``总建筑面积(㎡)``, ``金额（元）``, ``指导租金(元/㎡·年)``) are ignored; a suffix or ending ``万元`` is
    reported so that the column is multiplied by 10,000. Any other bracket stays part of the header:
    ``金额（大写）`` is not ``金额``.
    """
    s = unicodedata.normalize("NFKC", str(text or "")).translate(_BRACKETS)
    s = _INVISIBLE.sub("", re.sub(r"\s+", "", s)).replace("*", "").replace("＊", "")
    wan = False
    while True:
        m = _SUFFIX.search(s)
        if not m or m.start() == 0 or not _UNIT_WORDS.match(m.group(1)):
            break
        if "万" in m.group(1):
            wan = True
        s = s[: m.start()]
    for unit in ("/万元", "万元", "(元)", "/元", "/㎡", "/m2"):
        if s.endswith(unit) and len(s) > len(unit):
            wan = wan or unit.endswith("万元")
            s = s[: -len(unit)]
    return s, wan


def unit_of(text: str) -> str | None:
    """A cell of a units row under the header (``元``, ``（万元）``, ``㎡``) → the unit; None when it is not one."""
    s = unicodedata.normalize("NFKC", str(text or "")).translate(_BRACKETS)
    s = re.sub(r"\s+", "", s).strip("()").replace("单位:", "").replace("单位：", "")
    return s if s and _UNIT_WORDS.match(s) and s not in ("必填", "选填", "非必填", "数字") else None


#: ways real exports vary a header the contract names: 名称 after a party (缴款人名称), 编号 / 编码 / 号 after a
#: number (凭证编号, 收据编号, 合同号), 时间 for 日期 (入库时间). Tried only for a cell that names no column as
#: it is, and only for a column no other cell names (``layouts.find_header``).
_VARIANTS = ((re.compile(r"名称$"), ""), (re.compile(r"(编号|编码)$"), "号"), (re.compile(r"(?<!编)号$"), "编号"),
             (re.compile(r"编码$"), "编号"), (re.compile(r"时间$"), "日期"))


def header_variants(bare: str) -> list[str]:
    """Other spellings of a bare header to look up (``_VARIANTS``), in order; never the header itself."""
    out = []
    for pattern, repl in _VARIANTS:
        other = pattern.sub(repl, bare)
        if other != bare and len(other) >= 2 and other not in out:
            out.append(other)
    return out


#: headers of finance and office software exports that name a contract column less surely (借方金额 is the
#: amount of an expense voucher, 对方单位 its payee): taken like another spelling (``variant_column``), only
#: for a column no other cell names and only when one cell alone says so, so that a file holding both
#: 金额 and 借方金额 reads 金额 and is not refused for naming the amount twice
LOOSE_ALIASES: dict[str, dict[str, str]] = {
    "permits": {"施工许可编号": "permit_no", "工程地点": "location", "建设地址": "location", "工程用途": "use",
                "总面积": "total_area", "地上面积": "ground_area", "地下面积": "under_area", "核发日期": "issue_date",
                "建设单位全称": "builder"},
    "completions": {"竣工验收备案编号": "record_no", "竣工备案编号": "record_no", "竣工验收备案日期": "record_date",
                    "竣工备案日期": "record_date"},
    "approvals": {"批准文号": "approval_no", "人防审批文号": "approval_no", "审批编号": "approval_no",
                  "批准日期": "approval_date", "易地建设费": "fee_due", "应缴费额": "fee_due", "减免额": "waiver",
                  "缓缴额": "deferral", "建设单位全称": "builder"},
    "acceptances": {"实际建设面积": "built_area", "验收面积": "built_area"},
    "fee_receipts": {"缴款人全称": "payer", "交款人": "payer", "交款单位": "payer", "缴费单位": "payer",
                     "收入金额": "amount", "实缴金额": "amount", "开票日期": "pay_date", "填制日期": "pay_date"},
    "fee_ledger": {"交款人": "payer", "交款单位": "payer", "缴费单位": "payer", "缴费人": "payer",
                   "收费金额": "amount", "收款金额": "amount", "收费日期": "receive_date", "缴费方式": "method",
                   "支付方式": "method", "付款方式": "method"},
    "rentals": {"承租单位": "tenant", "承租方": "tenant", "开始日期": "start_date", "起租日期": "start_date",
                "租赁起始日期": "start_date", "结束日期": "end_date", "到期日期": "end_date", "租赁终止日期": "end_date",
                "出租面积": "area", "租赁面积": "area", "年租金额": "yearly_rent"},
    "contracts": {"签约日期": "sign_date", "合同签订日期": "sign_date", "合同价款": "amount", "中标金额": "amount",
                  "供货单位": "supplier"},
    "payments": {"凭证字号": "voucher_no", "记账凭证号": "voucher_no", "凭证日期": "pay_date", "制单日期": "pay_date",
                 "业务日期": "pay_date", "借方金额": "amount", "支出金额": "amount", "付款金额": "amount",
                 "对方单位": "payee", "往来单位": "payee", "会计科目": "account", "科目名称": "account"},
}


def loose_index(table: Table) -> dict[str, Column]:
    """Bare loose alias (:data:`LOOSE_ALIASES`) → column."""
    by_field = {c.field: c for c in table.columns}
    return {normalise_header(a)[0]: by_field[f] for a, f in LOOSE_ALIASES.get(table.code, {}).items()}


def variant_column(index: dict[str, Column], bare: str, loose: dict[str, Column] | None = None) -> Column | None:
    """The column of ``index`` (:func:`header_index`) that another spelling of ``bare`` names, else the
    column a loose alias (``loose``, :func:`loose_index`) names, if any."""
    col = next((index[v] for v in header_variants(bare) if v in index), None)
    return col if col is not None or loose is None else loose.get(bare)


def header_index(table: Table) -> dict[str, Column]:
    """Bare header or alias → column."""
    out: dict[str, Column] = {}
    for col in table.columns:
        for name in (col.header, *col.aliases):
            out[normalise_header(name)[0]] = col
    return out


#: words that name a table inside a file name written freely (``2024年非税收入明细.xlsx``, ``陇南市人防办收费
#: 台账（2019-2025）.xls``), besides the table's code and Chinese name
FILENAME_WORDS = {"permits": ("施工许可",), "completions": ("竣工验收备案", "竣工备案"),
                  "approvals": ("人防审批", "防空地下室审批"), "acceptances": ("人防竣工验收", "人防工程竣工验收", "人防验收"),
                  "fee_receipts": ("非税收入", "缴款书"), "fee_ledger": ("收费台账",),
                  "rentals": ("人防工程使用", "人防工程出租", "人防工程租赁"), "contracts": ("采购合同",),
                  "payments": ("支出凭证", "记账凭证", "会计凭证")}


def table_for_filename(filename: str) -> Table | None:
    """The table whose code or Chinese name starts the file name (the contract; longest match wins); else
    the table one of whose names (:data:`FILENAME_WORDS`, its code, its Chinese name) the file name holds,
    when the longest such name is one table's only (``2024年施工许可台账.xlsx``; ``2024年施工许可与人防审批对照`` names
    two tables equally and stays unmatched, to be named as not imported)."""
    stem = unicodedata.normalize("NFKC", filename).strip().lower()
    best: Table | None = None
    best_len = 0
    for t in TABLES.values():
        for prefix in (t.code, t.name.lower()):
            if stem.startswith(prefix) and len(prefix) > best_len:
                # "permits" must not claim "permits_x" of another table; codes are distinct enough
                best, best_len = t, len(prefix)
    if best is not None:
        return best
    found: dict[int, set[str]] = {}
    for t in TABLES.values():
        for word in (t.code, t.name.lower(), *FILENAME_WORDS.get(t.code, ())):
            if word in stem:
                found.setdefault(len(word), set()).add(t.code)
    if not found:
        return None
    codes = found[max(found)]
    return TABLES[next(iter(codes))] if len(codes) == 1 else None

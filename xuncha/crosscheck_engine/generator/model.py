"""Identities of the simulated data (模拟数据): counties, companies, projects, the truth."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from stdnum.cn import uscc as _uscc

from .. import divisions

AS_OF = dt.date(2025, 6, 30)


COUNTIES = [("621226", "礼县"), ("621225", "西和县"), ("621202", "武都区"), ("621221", "成县"),
            ("621222", "文县"), ("621223", "宕昌县"), ("621224", "康县"), ("621227", "徽县"),
            ("621228", "两当县"), ("511702", "通川区"), ("511703", "达川区"), ("511722", "宣汉县"),
            ("511723", "开江县"), ("511724", "大竹县"), ("511725", "渠县"), ("511781", "万源市")]
_BRAND = ("兴盛华泰宏达鑫源恒通联发祥瑞安丰盈锦绣嘉禾金银河中天正大博远卓越信诚德润汇邦宇航腾飞世纪龙凤鹏程"
          "明辉光耀昌隆富贵盛世荣欣聚鼎佳和美新宝利晟弘毅鸿运浩然晨曦东方红旭日蓝海碧水青松翠柏紫云彩虹"
          "星月峰岭川谷泽林森磊鑫淼焱垚")
_INDUSTRY = ["建筑工程", "建设", "房地产开发", "置业", "建工", "市政工程", "路桥", "商贸", "物业管理", "实业",
             "投资", "科技", "劳务", "装饰工程", "园林绿化", "水电安装", "钢结构", "混凝土", "机械租赁", "咨询"]
_PLACE = ("锦绣翠苑金域华府御景龙湾阳光水岸滨江春城碧桂书香名门盛世天城学府状元东湖西山南山北城新城"
          "未来幸福和谐康乐富民安居乐业丰泽润园紫金银杏梧桐桃李杏林桂花兰亭竹溪梅岭枫丹")
_TYPES = [("花园", "住宅"), ("小区", "住宅"), ("家园", "住宅"), ("府邸", "住宅"), ("广场", "商业"),
          ("商业综合体", "商业"), ("大厦", "办公"), ("综合楼", "办公"), ("安置房", "住宅"),
          ("廉租房", "廉租住房"), ("经济适用房", "经济适用住房"), ("中学教学楼", "中小学校舍安全工程"),
          ("小学校舍", "中小学校舍安全工程"), ("厂房", "工业厂房"), ("物流园", "仓储"), ("医院门诊楼", "医疗")]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅建国志文斌海燕鹏辉亮飞雪琴云峰婷"
_CN = "零一二三四五六七八九十"

TENDER = ["公开招标", "邀请招标"]
NON_TENDER = ["竞争性谈判", "询价", "单一来源", "竞争性磋商", "直接采购"]


@dataclass
class Truth:
    as_of: dt.date
    hits: dict[str, set[str]]  # rule → primary record keys
    counts: dict[str, int] = field(default_factory=dict)  # table → rows written
    # table → key → true company ("C12", "p:王芳" for a person) and project ("P7-2": project 7, phase 2)
    companies: dict[str, dict[str, str]] = field(default_factory=dict)
    projects: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "counts": self.counts,
                "hits": {r: sorted(k) for r, k in sorted(self.hits.items())}}

    def entities_json(self) -> dict:
        return {"companies": self.companies, "projects": self.projects}

    @classmethod
    def load(cls, path: str | Path) -> Truth:
        path = Path(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        truth = cls(dt.date.fromisoformat(data["as_of"]), {r: set(k) for r, k in data["hits"].items()},
                    data.get("counts", {}))
        ents = path.with_name("truth_entities.json")
        if ents.exists():
            e = json.loads(ents.read_text(encoding="utf-8"))
            truth.companies, truth.projects = e["companies"], e["projects"]
        return truth


# ---------------------------------------------------------------- identities

def _uscc_for(rng: random.Random, county_code: str, kind: str = "91") -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = kind + county_code + "".join(rng.choice(alphabet) for _ in range(9))
    return body + _uscc.calc_check_digit(body)


def _mistype(rng: random.Random, code: str) -> str:
    """Same code with a wrong check character (fails GB 32100-2015)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:-1] + rng.choice([c for c in alphabet if c != code[-1]])


def _deletion_keys(s: str) -> set[str]:
    return {s, *(s[:i] + s[i + 1:] for i in range(len(s)))}


class _Names:
    """Unique cores: no two share a deletion key (so none is one edit from another)."""

    def __init__(self):
        self.keys: set[str] = set()

    def take(self, core: str) -> bool:
        keys = _deletion_keys(core)
        if keys & self.keys:
            return False
        self.keys |= keys
        return True


@dataclass
class Company:
    cid: int
    core: str
    county: tuple[str, str] | None  # (code, name) in the official name
    legal: str
    code: str
    namesake: bool = False  # another county has the same core (a twin)

    @property
    def official(self) -> str:
        return f"{self.county[1] if self.county else ''}{self.core}{self.legal}"


@dataclass
class Project:
    pid: int
    core: str
    county: tuple[str, str]
    use: str
    builder: Company
    phases: int




def city_of(county_code: str) -> str:
    """The prefecture of a county, by GB/T 2260 (陇南市 for 621226)."""
    return divisions.current().get(county_code[:4] + "00", "")


@lru_cache(maxsize=256)
def county_forms(code: str, name: str) -> tuple[str, ...]:
    """Ways a county is written: full, short (宕昌, 张家川), former names (武都县 for 武都区)."""
    forms = [name]
    short = divisions._short(name, code)
    if short and len(short) >= 2:
        forms.append(short)
    for old, codes in sorted(divisions.former_names().items()):
        if codes == frozenset([code]) and old != name and len(old) >= 2:
            forms.append(old)
    return tuple(forms)

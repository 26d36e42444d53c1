"""How departments write things (模拟数据的各种写法): names, codes, dates, money, areas."""

from __future__ import annotations

import datetime as dt
import random

from .model import _CN, Company, Project, _mistype, city_of, county_forms

INVISIBLE = ["\u200b", "\u00a0", "\ufeff", "\t", "\u200d", "\u3000"]


class Mess:
    def __init__(self, rng: random.Random, messy: bool):
        self.rng = rng
        self.messy = messy

    def chance(self, p: float) -> bool:
        return self.messy and self.rng.random() < p

    def typo(self, core: str) -> str:
        """One character replaced (never the first two, which carry the brand)."""
        if len(core) < 4:
            return core
        i = self.rng.randrange(2, len(core))
        pool = "建筑设置业工程商贸实投资科技园林"
        ch = self.rng.choice([c for c in pool if c != core[i]])
        return core[:i] + ch + core[i + 1:]

    def invisible(self, text: str, p: float = 0.03) -> str:
        """A zero-width space, no-break space, BOM or tab inside the text."""
        if len(text) > 2 and self.chance(p):
            i = self.rng.randrange(1, len(text))
            return text[:i] + self.rng.choice(INVISIBLE) + text[i:]
        return text

    def county(self, code: str, name: str) -> tuple[str, bool]:
        """A county as written (full, short, former name, with the city in front); and whether it goes
        in brackets after the name instead of in front."""
        forms = county_forms(code, name)
        text = name
        r = self.rng.random() if self.messy else 1.0
        if r < 0.08 and len(forms) > 1:
            text = forms[1]  # short: 宕昌, 张家川
        elif r < 0.12 and len(forms) > 2:
            text = self.rng.choice(forms[2:])  # former name: 武都县
        elif r < 0.2:
            text = city_of(code) + name
        return text, self.chance(0.08)

    def company(self, c: Company, typo_ok: bool = True) -> str:
        county, after = "", False
        if c.county and not self.chance(0.25):  # the county is often left out, of twins too
            county, after = self.county(*c.county)
        core = c.core
        if typo_ok and self.chance(0.03):
            core = self.typo(core)
        legal = c.legal
        if legal == "有限公司" and self.chance(0.3):
            legal = "有限责任公司"
        if county and after:
            name = f"{core}{legal}" + (f"（{county}）" if self.chance(0.5) else f"({county})")
        elif county and self.chance(0.1):
            name = f"（{county}）{core}{legal}" if self.chance(0.5) else f"({county}){core}{legal}"
        else:
            name = f"{county}{core}{legal}"
        if self.chance(0.05):
            i = self.rng.randrange(1, len(name))
            name = name[:i] + " " + name[i:]
        return self.invisible(name)

    def code(self, c: Company, p_present: float) -> str:
        if not self.messy:
            return c.code
        r = self.rng.random()
        if r < p_present:
            if self.rng.random() < 0.05:
                return _mistype(self.rng, c.code)
            code = c.code if self.rng.random() > 0.1 else " ".join([c.code[:8], c.code[8:]])
            return self.invisible(code, 0.02)
        return ""

    def phase_text(self, phase: int) -> tuple[str, bool]:
        """A phase as written; True when it already ends with a kind word (一期工程)."""
        cn = _CN[phase]
        if not self.messy:
            return f"{cn}期", False
        text = self.rng.choice([f"{cn}期", f"{phase}期", f"（{cn}期）", f"({cn}期)", f"第{cn}期", f"【{cn}期】",
                                f"第{phase}期", f"{cn}期工程", f"（{cn}期）项目"])
        return text, text.endswith(("工程", "项目"))

    def buildings(self) -> str:
        """The buildings a 施工许可 is issued for, written after the project's name."""
        return self.rng.choice(["1#楼", "1#、2#楼", "3#-5#住宅楼及地下车库", "A栋", "2号楼", "（6#-8#楼）", "B1栋",
                                "1号楼及地下室"])

    def project(self, p: Project, phase: int, allow_drop_phase: bool = True, typo_ok: bool = True,
                buildings: bool = False) -> str:
        county, after = "", False
        if not self.chance(0.3):
            county, after = self.county(*p.county)
        core = p.core
        if typo_ok and self.chance(0.03):
            core = self.typo(core)
        name = core if after else county + core
        if self.chance(0.08):
            name = self.rng.choice(["新建", "改扩建", "扩建"]) + name
        kind_done = False
        if phase and not (allow_drop_phase and p.phases == 1 and self.chance(0.3)):
            text, kind_done = self.phase_text(phase)
            name += text
        if buildings and self.chance(0.1):
            name += self.buildings()
        if not kind_done and self.chance(0.3):
            name += self.rng.choice(["项目", "建设项目", "工程", "建设工程"])
        if county and after:
            name += f"（{county}）"
        return self.invisible(name, 0.02)

    def date(self, d: dt.date | None) -> str:
        if d is None:
            return ""
        if not self.messy:
            return d.isoformat()
        return self.rng.choice([
            d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month}.{d.day}",
            f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y%m%d"), d.isoformat()])

    def money(self, v: float | None, wan_column: bool = False) -> str:
        if v is None:
            return ""
        if wan_column:
            return f"{v / 10000:.6f}".rstrip("0").rstrip(".")
        if self.chance(0.05) and v >= 10000:
            return f"{v / 10000:.6f}".rstrip("0").rstrip(".") + "万"
        if self.chance(0.3):
            return f"{v:,.2f}"
        return f"{v:.2f}".rstrip("0").rstrip(".")

    def area(self, v: float | None) -> str:
        if v is None:
            return ""
        if self.chance(0.2):
            return f"{v:,.2f}"
        return f"{v:.2f}".rstrip("0").rstrip(".")


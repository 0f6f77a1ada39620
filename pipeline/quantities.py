"""Find quantities in text: numbers with magnitude words, units, ranges and approximations.

Arabic digits (also full-width and split by spaces: ``2 9 0 0 亿元``), Chinese numerals
(十件, 两千, 一点二万), thousands separators (1,100万人), ranges (6%－6.5%), 百分之八十,
fractions (三分之一, 一半, 2/3), 翻一番 and floors such as 千亿级. Values fold the magnitude in
(3.8亿美元 -> 380000000 美元). Nothing here decides whether a quantity is a commitment.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from .rules import RulesError, Rules, require, rules_for
from .timelimit import PER_CALL

FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
BRACKET = regex.compile(r"[（(]")  # 台（套）: a unit and its alternative
CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10**4, "亿": 10**8}
CN_NUMERAL = "零〇○一二两三四五六七八九十百千万亿"
CN_DIGIT_CHARS = "零〇○一二两三四五六七八九十"


@dataclass(frozen=True)
class Quantity:
    """One number with its unit, as written at text[start:end]."""

    start: int
    end: int
    text: str
    value: float
    value_high: float | None
    unit: str
    unit_class: str  # count | measure | rate | time | qualifier | '' (no unit)
    comparator: str | None  # attached to the number itself: 级 (>=), 余/多 (>)
    kind: str | None  # 'change' when the quantity itself says so (翻一番)
    chinese: bool  # written with Chinese numerals

    @property
    def plain(self) -> str:
        """The text without spaces and with half-width digits, for rule matching."""
        return self.text.translate(FULLWIDTH).replace(" ", "").replace("\u3000", "")


def chinese_to_number(s: str) -> float:
    """十 -> 10, 两千 -> 2000, 一点二万 -> 12000, 三千五百万 -> 35000000, 千亿 -> 1e11."""
    if "点" in s:
        whole, _, rest = s.partition("点")
        digits = "".join(itertools.takewhile(lambda c: c in CN_DIGITS, rest))
        scale = rest[len(digits):]
        value = chinese_to_number(whole) + float("0." + "".join(str(CN_DIGITS[c]) for c in digits))
        for c in scale:
            value *= CN_BIG[c]
        return value
    total, section, digit = 0, 0, None
    for c in s:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        elif c in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[c]
            digit = None
        elif c in CN_BIG:
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                section = 1  # 万亿, 千亿级: a magnitude word alone
            if c == "万" and total and total % 10**8 == 0:
                total += section * 10**4  # 三亿五千万
            else:
                total = (total + section) * CN_BIG[c]
            section = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return float(total + section + (digit or 0))


def arabic_to_number(s: str) -> Decimal:
    """Exact decimal, so that 326.4亿 is 32640000000, not 32639999999.999996."""
    return Decimal(s.translate(FULLWIDTH).replace(" ", "").replace(",", ""))


@dataclass(frozen=True)
class UnitInfo:
    unit: str
    unit_class: str
    not_before: str = ""  # a character class: what after the unit makes it part of a word (项目)


class QuantityFinder:
    """Compiled quantity grammar built from rules/units.yaml and rules/comparators.yaml."""

    def __init__(self, rules: Rules):
        path = rules.path("units.yaml")
        data = rules.load("units.yaml")
        self.magnitudes: dict[str, Decimal] = {}
        self.magnitude_not_before: dict[str, str] = {}  # characters that may not follow it (1个亿, 585个亿元项目)
        for m in data.get("magnitudes") or []:
            require(m, ["word", "factor"], path)
            self.magnitudes[m["word"]] = Decimal(str(m["factor"]))
            self.magnitude_not_before[m["word"]] = str(m.get("not_before") or "")
        self.units: dict[str, UnitInfo] = {}
        for u in data.get("units") or []:
            require(u, ["text", "class"], path)
            if u["class"] not in {"count", "measure", "rate", "time", "qualifier"}:
                raise RulesError(f"{path.name}:{u.get('__line__')}: unit {u['text']!r}: unknown class {u['class']!r}")
            canonical = str(u["canonical"] or "") if "canonical" in u else str(u["text"])  # "": no unit (6大)
            self.units[str(u["text"])] = UnitInfo(canonical, u["class"], str(u.get("not_before") or ""))
        self.per_units = [str(x) for x in data.get("per") or []]
        self.per_before_units = [str(x) for x in data.get("per_before") or []]
        self.ordinal_units = {str(x) for x in data.get("ordinal_units") or []}
        self.bare_after = regex.compile(data["bare_after"] + "$") if data.get("bare_after") else None
        longest = data.get("longest_number") or {}
        self.max_digits = int(longest.get("digits", 15))
        self.max_numeral_chars = int(longest.get("chinese_chars", 16))
        comp = rules.load("comparators.yaml")
        self.level_comparator = (comp.get("level_suffix") or {}).get("comparator", ">=")
        self.pattern = self._compile()
        # every quantity has one of these: a digit, a Chinese numeral, a character of a magnitude
        # word, the 番 of 翻番 or the 半 of 过半
        chars = sorted(set("0123456789０１２３４５６７８９番半" + CN_NUMERAL + "".join(self.magnitudes)))
        self.numeral_char = regex.compile(f"[{''.join(map(regex.escape, chars))}]")
        # the name of each group in order (None: unnamed): dict(zip(names, m.groups())) is 4x
        # faster than m.groupdict()
        self.group_names = [None] * self.pattern.groups
        for name, number in self.pattern.groupindex.items():
            self.group_names[number - 1] = name
        self.cn_group, self.cnunit_group = self.group_names.index("cn"), self.group_names.index("cnunit")

    def _compile(self) -> regex.Pattern:
        esc = regex.escape
        units = sorted(self.units, key=len, reverse=True)
        mags = []
        for m in sorted(self.magnitudes, key=len, reverse=True):
            # a magnitude word must not be the start of a unit (千瓦, 百分点)
            clash = [u[len(m):] for u in units if u.startswith(m) and len(u) > len(m)]
            mags.append(esc(m) + (f"(?!{'|'.join(map(esc, clash))})" if clash else "")
                        + (f"(?![{esc(self.magnitude_not_before[m])}])" if self.magnitude_not_before[m] else ""))
        mag = f"(?:{'|'.join(mags)})"
        def alternative(u: str) -> str:
            after = self.units[u].not_before
            return esc(u) + (f"(?![{after}])" if after else "")

        unit = f"(?:{'|'.join(map(alternative, units))})"
        # 10025台（套）, 7万套（间）: the unit in brackets is an alternative name of the one before
        unit = f"{unit}(?:[（(]{unit}[）)])?"
        counts = "|".join(map(alternative, (u for u in units if self.units[u].unit_class == "count")))
        per = "|".join(map(esc, sorted(self.per_units, key=len, reverse=True)))
        digits = r"[0-9０-９](?:[0-9０-９]|[ ](?=[0-9０-９]))*(?:,[0-9]{3}(?![0-9]))*(?:[ ]?[.．][ ]?[0-9０-９]+(?:[ ](?=[0-9０-９])[0-9０-９])*)?"
        cn = f"[{CN_DIGIT_CHARS}][{CN_NUMERAL}]*(?:点[{CN_DIGIT_CHARS.replace('十', '')}]+[万亿]?)?"
        sep = r"[-－—~～至到]"  # 6%－6.5%, 5到7元
        per_before = "|".join(map(esc, self.per_before_units))
        arabic = (
            rf"(?:每(?P<perb>{per_before})(?=[0-9０-９.．]+[ ]?{unit}))?(?<![0-9０-９])(?P<n1>{digits})(?:(?P<approx1>余|多)(?={mag}))?(?P<m1>[ \n]?{mag})?"
            rf"(?:(?P<u1>[%％])?[ ]?(?P<sep>{sep})[ ]?(?P<n2>{digits})(?P<m2>{mag})?)?"
            rf"(?P<approx>余|多)?(?:[ \n]?(?P<unit>{unit})(?P<per>[/／](?:{per}))?|(?P<level>级))?"
        )
        chinese = (
            rf"(?P<pct>百分之|千分之)(?P<pctn>{cn})"
            rf"|(?P<den>{cn})分之(?P<num>{cn})"
            rf"|(?P<half>一半|(?<=过)半(?![年月天岛数])|(?<=超过)半数)"  # 改扩建工程量过半, 超过半数
            rf"|翻(?P<fan>[一两二三四])?番"
            rf"|(?P<cn>{cn})(?P<cnapprox>余|多)?(?:(?P<cnunit>{unit})|(?P<cnlevel>级))?"
            rf"|(?P<bare>{mag})(?P<barelevel>级)"
            rf"|(?P<bmag>[百千万])(?P<bmunit>{counts})"
            # 产值突破百亿元, 超万亿目标, 迈上千亿台阶, 稳定在千万亩以上, 引进外资过亿美元: an amount
            # that is a magnitude word alone (万 and 亿 with a unit), at the end of its clause or before
            # a comparator or a milestone (百亿元产业集群, 亿元以上项目 name a kind of thing:
            # rules/exclusions.yaml)
            rf"|(?P<amag>[十百千万]亿|[百千]万|[亿万](?={unit}))(?P<amunit>{unit})?"
            rf"(?=以上|以下|左右|[，,；;。]|、(?![十百千万亿])|目标|台阶|大关|$)"
        )
        # 2/3以上行政村: a fraction in digits is a share (a date or a code has more parts)
        fraction = r"(?<![0-9０-９/／.．])(?P<fnum>[0-9０-９]{1,2})[/／](?P<fden>[0-9０-９]{1,2})(?![0-9０-９/／.．])"
        # 城乡居民收入比缩小至2.1∶1: a ratio to one is its first number (10:30 is a time of day)
        ratio = r"(?<![0-9０-９.．])(?P<rnum>[0-9０-９]{1,3}(?:[.．][0-9０-９]{1,2})?)[∶:：](?P<rden>1)(?![0-9０-９.．:])"
        # 存贷款余额分别突破5000、5300亿元, 分别外出招商1、2、3次: a bare number before 、 and a
        # quantity takes its magnitude and unit; 分别提高29个、6个百分点: 个 is the classifier of 百分点
        self.list_tail = regex.compile(rf"(?:、{digits})*、(?P<n>{digits})(?P<m>{mag})?(?P<unit>{unit})")
        return regex.compile(rf"(?:{ratio})|(?:{fraction})|(?:{arabic})|(?:{chinese})")

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
        """All quantities in text[start:end], with offsets into text."""
        end = len(text) if end is None else end
        if not self.numeral_char.search(text, start, end):
            return []  # half the sentences of a report: no digit, numeral or magnitude word
        try:
            matches = list(self.pattern.finditer(text, start, end, timeout=PER_CALL.seconds))
        except TimeoutError:
            raise TimeoutError(f"the quantity pattern (rules/units.yaml) ran longer than its time limit "
                               f"on the text at {start}-{end}; the document is skipped") from None
        return [q for q in map(self._quantity, matches) if q is not None]

    def too_long(self, g: dict[str, str | None]) -> bool:
        """A number longer than longest_number of units.yaml: a code or garbage, no quantity."""
        if g["n1"] is not None:
            return any(sum(map(str.isdigit, g[n] or "")) > self.max_digits for n in ("n1", "n2"))
        return any(len(g[n] or "") > self.max_numeral_chars for n in ("pctn", "den", "num", "cn"))

    def _info(self, written: str) -> UnitInfo:
        """The unit as written, less an alternative in brackets (台（套） is 台)."""
        return self.units[BRACKET.split(written, 1)[0]]

    def _unit(self, written: str | None) -> tuple[str, str]:
        if not written:
            return "", ""
        info = self._info(written)
        return info.unit, info.unit_class

    def takes_from(self, low: Decimal, tail: regex.Match | None) -> bool:
        """Whether a bare number takes the unit of the list's last quantity: one of comparable size
        with a unit of a count, a measure or a rate (not 1、2号线, 2、3月, 1、2期工程)."""
        if tail is None or not arabic_to_number(tail["n"]):
            return False
        info = self._info(tail["unit"])
        return 0.1 <= low / arabic_to_number(tail["n"]) <= 10 and info.unit_class in ("count", "measure", "rate") \
            and info.unit not in self.ordinal_units

    def _magnitude(self, written: str | None) -> Decimal:
        return self.magnitudes[written.strip()] if written else Decimal(1)

    def _quantity(self, m: regex.Match) -> Quantity | None:
        groups = m.groups()
        cn = groups[self.cn_group]
        if cn is not None and cn[-1] not in "百千万亿" and groups[self.cnunit_group] is None:
            # 一是, 十四五, 二级: Chinese numerals count only with a unit or a magnitude; checked
            # before the groups are read, as most numerals in a text have neither
            return None
        g = dict(zip(self.group_names, groups))
        if self.too_long(g):
            return None
        text = m.group(0)
        if g["rnum"] is not None:
            return Quantity(m.start(), m.end(), text, float(arabic_to_number(g["rnum"])), None, "", "", None, None,
                            False)
        if g["fnum"] is not None:
            num, den = arabic_to_number(g["fnum"]), arabic_to_number(g["fden"])
            if not 0 < num < den:
                return None
            return Quantity(m.start(), m.end(), text, float(num / den), None, "", "", None, None, False)
        if g["n1"] is not None:
            # a trailing space belongs to no quantity
            text = text.rstrip(" \n")
            unit, unit_class = self._unit(g["unit"])
            if g["per"]:  # 200立方米/秒, 11万吨/日: a rate per second, day, person…
                unit += "/" + g["per"][1:]  # (600万吨／年: the full-width slash too)
            if g["perb"]:  # 每立方米34微克: the rate's base written before the number
                unit += "/" + g["perb"]
            if g["u1"] and not unit:
                unit, unit_class = self._unit(g["u1"])
            if g["unit"] == "个" and not g["n2"]:  # 分别提高29个、6个百分点: 个 of the unit after the last
                tail = self.list_tail.match(m.string, m.end())
                if tail and tail["unit"].startswith("个") and self._info(tail["unit"]).unit != "个" and not tail["m"]:
                    unit, unit_class = self._unit(tail["unit"])
            low = arabic_to_number(g["n1"])
            high = arabic_to_number(g["n2"]) if g["n2"] else None
            m1, m2 = self._magnitude(g["m1"]), self._magnitude(g["m2"])
            if high is not None:
                # 3-5万 means 30000-50000: a magnitude written only after the high end applies to both
                low *= m1 if g["m1"] else m2
                high *= m2
            else:
                low *= m1
            comparator = self.level_comparator if g["level"] else (">" if g["approx"] or g["approx1"] else None)
            if not (g["unit"] or g["u1"]) and not g["level"] and not g["m1"] and not g["m2"] and not (
                    self.bare_after and self.bare_after.search(m.string, max(0, m.start() - 12), m.start())):
                tail = self.list_tail.match(m.string, m.start() + len(text)) if high is None else None
                if not self.takes_from(low, tail):
                    return None  # a bare number: list markers, names, codes (but 价格指数控制在103左右)
                low *= self._magnitude(tail["m"])
                unit, unit_class = self._unit(tail["unit"])
            return Quantity(m.start(), m.start() + len(text), text, float(low),
                            None if high is None else float(high), unit, unit_class, comparator, None, False)
        if g["pct"]:
            value = chinese_to_number(g["pctn"])
            unit = "%" if g["pct"] == "百分之" else "‰"
            return Quantity(m.start(), m.end(), text, value, None, unit, "rate", None, None, True)
        if g["den"]:
            den = chinese_to_number(g["den"])
            if not den:
                return None  # 零分之一
            value = chinese_to_number(g["num"]) / den
            return Quantity(m.start(), m.end(), text, value, None, "", "", None, None, True)
        if g["half"]:
            return Quantity(m.start(), m.end(), text, 0.5, None, "", "", None, None, True)
        if text.startswith("翻"):  # 翻一番, 翻番
            value = 2.0 ** chinese_to_number(g["fan"] or "一")  # 翻番 is 翻一番
            return Quantity(m.start(), m.end(), text, value, None, "倍", "rate", None, "change", True)
        if g["cn"]:
            unit, unit_class = self._unit(g["cnunit"])
            comparator = self.level_comparator if g["cnlevel"] else (">" if g["cnapprox"] else None)
            return Quantity(m.start(), m.end(), text, chinese_to_number(g["cn"]), None, unit, unit_class,
                            comparator, None, True)
        magnitude = g["bmag"] or g["amag"]
        if magnitude:  # 百项示范场景, 千家企业, 突破百亿元: a magnitude word alone counts
            unit, unit_class = self._unit(g["bmunit"] or g["amunit"])
            return Quantity(m.start(), m.end(), text, float(self._magnitude(magnitude)), None, unit, unit_class,
                            None, None, True)
        if g["bare"]:
            return Quantity(m.start(), m.end(), text, float(self._magnitude(g["bare"])), None, "", "",
                            self.level_comparator, None, True)
        return None


@lru_cache(maxsize=8)
def finder(rules_dir: str | None = None) -> QuantityFinder:
    return QuantityFinder(rules_for(rules_dir))


def parse_quantity(text: str) -> Quantity | None:
    """Parse a string that is one quantity (for tests and the API): '3.8亿美元' -> 380000000 美元."""
    found = finder().find(text)
    return found[0] if found and found[0].start == 0 and found[0].end == len(text) else None

"""A synthetic population for the demo community and the city-sized benchmark ledger.

Deterministic from one `random.Random`: plausible Chinese names by generation and sex, fictional but
valid (GB 11643 check digit) ID numbers, and household compositions weighted like a coal mine's
ageing living area — retired miners, elder couples whose children work elsewhere, elders living
alone, three-generation families, young floating renters. Every person is plain data here; the demo
and scale builders decide how to store them.
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from .identity import check_character

SURNAMES = ("王" * 9 + "李" * 9 + "张" * 8 + "刘" * 7 + "陈" * 6 + "杨" * 5 + "黄" * 4 + "赵" * 4 + "吴" * 3 + "周" * 3
            + "徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石"
            + "廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = {
    # (generation, sex): given names. Old: born before 1960; middle: 1960–1985; young: after 1985.
    ("old", "M"): "建国 国华 德明 志强 福生 保国 振华 长山 国庆 德福 永发 开明 世昌 志远 树林 汉民 光荣 金山 玉成 学文 "
                  "明 军 勇 忠 刚 胜利 跃进 援朝 卫东 兴华".split(),
    ("old", "F"): "秀兰 桂英 玉兰 淑珍 秀英 桂兰 凤英 秀珍 玉梅 翠花 素芬 桂芳 淑华 玉珍 月娥 兰英 秀芳 凤兰 金花 "
                  "秀云 英 芳 珍 华 红 菊".split(),
    ("middle", "M"): "建华 志刚 海涛 磊 斌 涛 波 鹏 勇 伟 军 强 斌 杰 晓东 建军 红兵 卫国 小平 永刚 国强 建平 文斌 "
                     "海军 春生 旭东 庆华 剑 锋 毅".split(),
    ("middle", "F"): "海燕 丽 静 敏 红梅 小红 丽华 晓燕 春梅 红霞 玉萍 秀梅 丽娟 雪梅 艳 霞 娟 萍 燕 琳 慧 艳红 "
                     "晓丽 丽萍 桂香".split(),
    ("young", "M"): "浩然 梓轩 宇轩 子豪 俊杰 浩宇 博文 思远 天佑 一鸣 子墨 宇航 皓轩 明哲 浩 鑫 宇 晨 阳 昊 "
                    "嘉豪 俊宇 泽宇 睿".split(),
    ("young", "F"): "子涵 欣怡 雨涵 思彤 一诺 诗涵 佳怡 梓涵 可馨 语嫣 若汐 雨欣 婷 雪 倩 悦 琪 瑶 欣 怡 "
                    "梦瑶 雨桐 佳琪 诗雨".split(),
}
# Home region codes: the mine's own district, and where floating residents come from.
LOCAL_REGION = "500110"
ELSEWHERE = [("510122", "四川省成都市双流区"), ("511602", "四川省广安市广安区"), ("520201", "贵州省六盘水市钟山区"),
             ("522401", "贵州省毕节市七星关区"), ("430521", "湖南省邵阳县"), ("420106", "湖北省武汉市武昌区"),
             ("500233", "重庆市忠县"), ("500236", "重庆市奉节县"), ("512021", "四川省资阳市安岳县")]
OCCUPATIONS_OLD = ["渝阳煤矿退休", "渝阳煤矿退休", "渝阳煤矿退休", "矿务局退休", "矿医院退休", "矿区小学退休", "无"]
OCCUPATIONS_MID = ["渝阳煤矿", "渝阳煤矿", "渝阳煤矿洗选厂", "矿区供电所", "个体经营", "外出务工", "物业公司", "超市",
                   "出租车司机", "快递员", "社区卫生服务站", "待业"]
OCCUPATIONS_FLOATING = ["建筑工地", "餐馆服务员", "外卖骑手", "快递员", "个体经营", "矿上劳务派遣", "美容美发", "家政"]


@dataclass
class Person:
    name: str
    sex: str
    birth_date: datetime.date
    relation: str
    id_number: str
    phone: str = ""
    is_floating: bool = False
    registered_place: str = ""
    occupation: str = ""
    tags: list[tuple[str, datetime.date]] = field(default_factory=list)  # (care tag code, start date)


@dataclass
class HouseholdPlan:
    kind: str  # elder_alone, elder_couple, family, three_generations, couple, floating, single
    members: list[Person]
    moved_in: datetime.date
    hardship: bool = False


class PopulationGenerator:
    """Makes households of people; `today` is fixed so a build is the same whatever day it runs."""

    KINDS = [("elder_alone", 10), ("elder_couple", 22), ("family", 29), ("three_generations", 14), ("couple", 10),
             ("floating", 11), ("single", 4)]

    def __init__(self, rng: random.Random, today: datetime.date = datetime.date(2026, 11, 1)):
        self.rng, self.today = rng, today
        self.used_ids: set[str] = set()
        self._kinds, self._weights = zip(*self.KINDS, strict=True)

    # --- people ---------------------------------------------------------------------------------
    def birth(self, age_from: int, age_to: int) -> datetime.date:
        year = self.today.year - self.rng.randint(age_from, age_to)
        born = datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        return born if born <= self.today else born.replace(year=year - 1)

    def given_name(self, born: datetime.date, sex: str) -> str:
        generation = "old" if born.year < 1960 else "middle" if born.year < 1986 else "young"
        return self.rng.choice(GIVEN[(generation, sex)])

    def id_number(self, region: str, born: datetime.date, sex: str) -> str:
        while True:
            sequence = self.rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)  # odd: male, even: female
            first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
            value = first17 + check_character(first17)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def phone(self, born: datetime.date) -> str:
        age = self.today.year - born.year
        if age < 14 or self.rng.random() < (0.35 if age >= 75 else 0.08):
            return ""
        if age >= 70 and self.rng.random() < 0.4:
            return f"02348{self.rng.randrange(750000, 759999):06d}"[:11]  # a landline in the mine's exchange
        return f"1{self.rng.choice('3578')}{self.rng.randrange(0, 10)}{self.rng.randrange(0, 10 ** 8):08d}"

    def person(self, relation: str, sex: str, born: datetime.date, *, surname: str | None = None,
               floating_from: tuple[str, str] | None = None) -> Person:
        surname = surname or self.rng.choice(SURNAMES)
        region, registered = floating_from or (LOCAL_REGION, "")
        age = self.today.year - born.year
        occupation = ("" if age < 18 else self.rng.choice(OCCUPATIONS_FLOATING) if floating_from
                      else self.rng.choice(OCCUPATIONS_OLD) if age >= 60 else self.rng.choice(OCCUPATIONS_MID))
        return Person(name=surname + self.given_name(born, sex), sex=sex, birth_date=born, relation=relation,
                      id_number=self.id_number(region, born, sex), phone=self.phone(born),
                      is_floating=bool(floating_from), registered_place=registered, occupation=occupation)

    # --- households -------------------------------------------------------------------------------
    def household(self) -> HouseholdPlan:
        kind = self.rng.choices(self._kinds, self._weights)[0]
        rng = self.rng
        sex = rng.choice("MF")
        other = "F" if sex == "M" else "M"
        if kind == "elder_alone":
            members = [self.person("head", rng.choice("MFF"), self.birth(68, 94))]
        elif kind == "elder_couple":
            head = self.person("head", "M", self.birth(62, 90))
            members = [head, self.person("spouse", "F", self.birth(60, min(88, self.today.year - head.birth_date.year)))]
        elif kind in ("family", "three_generations"):
            head = self.person("head", "M", self.birth(30, 55))
            members = [head, self.person("spouse", "F", self.birth(28, self.today.year - head.birth_date.year))]
            for _child in range(rng.choice((1, 1, 1, 2))):
                child_sex = rng.choice("MF")
                members.append(self.person("son" if child_sex == "M" else "daughter", child_sex,
                                           self.birth(0, max(1, self.today.year - head.birth_date.year - 22)),
                                           surname=head.name[0]))
            if kind == "three_generations":
                elder_sex = rng.choice("MF")
                members.append(self.person("parent", elder_sex, self.birth(self.today.year - head.birth_date.year + 22,
                                                                           self.today.year - head.birth_date.year + 32),
                                           surname=head.name[0] if elder_sex == "M" else None))
        elif kind == "couple":
            head = self.person("head", "M", self.birth(40, 60))
            members = [head, self.person("spouse", "F", self.birth(38, self.today.year - head.birth_date.year))]
        elif kind == "floating":
            origin = rng.choice(ELSEWHERE)
            members = [self.person("head", sex, self.birth(20, 45), floating_from=origin)]
            if rng.random() < 0.5:
                members.append(self.person("spouse", other, self.birth(20, 45), floating_from=origin))
            if rng.random() < 0.25:
                members.append(self.person("other", rng.choice("MF"), self.birth(19, 35), floating_from=origin))
        else:
            members = [self.person("head", sex, self.birth(25, 58))]
        floating = kind == "floating"
        moved_in = self.birth(0, 5) if floating else self.birth(8, 40)
        plan = HouseholdPlan(kind=kind, members=members, moved_in=moved_in,
                             hardship=not floating and rng.random() < 0.06)
        self.tag(plan)
        return plan

    def tag(self, plan: HouseholdPlan) -> None:
        """Care tags as a community worker would record them."""
        rng, today = self.rng, self.today
        for p in plan.members:
            age = today.year - p.birth_date.year
            if not p.is_floating and (age >= 60 if p.sex == "M" else age >= 50) and age < 100:
                p.tags.append(("retired", p.birth_date.replace(year=p.birth_date.year + (60 if p.sex == "M" else 50))))
            if age >= 72 and rng.random() < 0.16:
                p.tags.append(("veteran_party", datetime.date(2010, 1, 1)))
            if age >= 60 and plan.kind in ("elder_alone", "elder_couple"):
                p.tags.append(("elder_alone", max(plan.moved_in, datetime.date(today.year - rng.randint(1, 8), 1, 1))))
            if age >= 45 and rng.random() < 0.03:
                p.tags.append(("serious_illness", self.birth(0, 3)))
            if rng.random() < 0.02:
                p.tags.append(("disability", max(p.birth_date, self.birth(1, 20))))
            if 25 <= age <= 55 and not p.is_floating and rng.random() < 0.04:
                p.tags.append(("unemployed", self.birth(0, 2)))
            if 25 <= age <= 50 and rng.random() < 0.012:
                p.tags.append(("entrepreneur", self.birth(0, 4)))
            if age >= 35 and rng.random() < 0.003:
                p.tags.append(("petition_focus", self.birth(0, 3)))
            if p.is_floating:
                p.tags.append(("floating", plan.moved_in))
        if plan.hardship:
            head = plan.members[0]
            head.tags.append(("hardship", self.birth(0, 4)))
            if rng.random() < 0.55:
                head.tags.append(("dibao", self.birth(0, 3)))
            for child in plan.members:
                if child.relation in ("son", "daughter") and 6 <= today.year - child.birth_date.year <= 22:
                    child.tags.append(("school_difficulty", datetime.date(today.year - 1, 9, 1)))

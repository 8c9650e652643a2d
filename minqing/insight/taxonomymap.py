"""From the baseline's 7 TipDM classes to Minqing's default top-level categories (default_taxonomy.py).

The committed baseline speaks the provincial message board's first-level classes; a community without a
model of its own still needs suggestions on its real categories. A board class is broader than ours, so
each maps to one or more default top categories with a share; a category's confidence is the sum over
classes of (class confidence × share), and the top 3 categories are shown.

| TipDM class | default categories (share) | why |
|---|---|---|
| 城乡建设 | 水电暖气 0.4, 物业 0.35, 住房 0.25 | the board files utilities, estates and housing here |
| 环境保护 | 环境卫生 1 | pollution, noise, refuse, greening |
| 交通运输 | 道路交通 1 | roads, street lights, buses |
| 劳动和社会保障 | 社保民政 0.5, 就业 0.25, 企业改制遗留 0.25 | pensions and assistance; jobs; a mine's legacy |
| 卫生计生 | 医疗卫生 1 | clinics, vaccines, family doctors |
| 教育文体 | 教育 1 | schooling, kindergartens |
| 商贸旅游 | 其他 0.5, 物业 0.5 | no trade category; property sales and fees land in 物业 |

The shares are a judgement, not fitted: on the demo year (templated texts, 1,542 categorised demands) the
baseline puts 68 % of everything into 城乡建设, so a one-to-one mapping was right 18 % of the time; see
docs/insight.md for the figures with these shares. A community model (`insight_train`) is trained on the
community's own top-level names and needs no mapping: names it predicts pass through.
"""
from __future__ import annotations

TIPDM_TO_DEFAULT: dict[str, tuple[tuple[str, float], ...]] = {
    "城乡建设": (("水电暖气", 0.4), ("物业", 0.35), ("住房", 0.25)),
    "环境保护": (("环境卫生", 1.0),),
    "交通运输": (("道路交通", 1.0),),
    "劳动和社会保障": (("社保民政", 0.5), ("就业", 0.25), ("企业改制遗留", 0.25)),
    "卫生计生": (("医疗卫生", 1.0),),
    "教育文体": (("教育", 1.0),),
    "商贸旅游": (("其他", 0.5), ("物业", 0.5)),
}


def to_default(name: str) -> tuple[tuple[str, float], ...]:
    """(default category, share) for a model class; a class that is not a TipDM class passes through."""
    return TIPDM_TO_DEFAULT.get(name, ((name, 1.0),))

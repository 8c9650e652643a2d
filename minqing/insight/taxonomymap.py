"""From the baseline's 7 TipDM classes to Minqing's default top-level categories (default_taxonomy.py).

The committed baseline speaks the provincial message board's first-level classes; a community without a
model of its own still needs suggestions on its real categories. Each TipDM class maps to the one default
top category that holds most of what the board files under it:

| TipDM class | default category | why |
|---|---|---|
| 城乡建设 | 住房 | housing safety, estates, property rights, renovation dominate the class |
| 环境保护 | 环境卫生 | pollution, noise, refuse, greening |
| 交通运输 | 道路交通 | roads, street lights, buses |
| 劳动和社会保障 | 社保民政 | pensions, insurance, assistance (wages and jobs go to 就业/企业改制遗留 by hand) |
| 卫生计生 | 医疗卫生 | clinics, vaccines, family doctors |
| 教育文体 | 教育 | schooling, kindergartens |
| 商贸旅游 | 其他 | no default category for trade and tourism |

Two classes landing on one category add their confidences. A community model (`insight_train`) is
trained on the community's own top-level names and needs no mapping: names it predicts pass through.
"""
from __future__ import annotations

TIPDM_TO_DEFAULT: dict[str, str] = {
    "城乡建设": "住房",
    "环境保护": "环境卫生",
    "交通运输": "道路交通",
    "劳动和社会保障": "社保民政",
    "卫生计生": "医疗卫生",
    "教育文体": "教育",
    "商贸旅游": "其他",
}


def to_default(name: str) -> str:
    """The default top-level category for a model class (unchanged when it is not a TipDM class)."""
    return TIPDM_TO_DEFAULT.get(name, name)

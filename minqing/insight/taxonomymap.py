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

Within a class that spreads, a category whose cue words appear in the text (CUES: 暖气 for 水电暖气, 保洁
for 物业, 产权 for 住房…) has its share tripled before the shares are renormalised, so "物业保洁几天没来" under
城乡建设 lands on 物业 rather than on the larger share of 水电暖气.

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


CUES: dict[str, tuple[str, ...]] = {
    "水电暖气": ("暖气", "供暖", "供热", "停水", "自来水", "水压", "停电", "跳闸", "电表", "燃气", "煤气", "下水", "排水"),
    "物业": ("物业", "保洁", "电梯", "门禁", "停车", "车位", "楼道", "公共维修", "漏雨"),
    "住房": ("房屋", "产权", "房产证", "办证", "公租房", "廉租", "棚户", "危房", "裂缝"),
    "社保民政": ("养老保险", "医保", "医疗保险", "低保", "救助", "补贴", "残疾", "殡葬"),
    "就业": ("就业", "招聘", "培训", "失业", "找工作", "创业"),
    "企业改制遗留": ("改制", "下岗", "买断", "破产", "原厂", "老职工", "拖欠工资", "工龄"),
    "其他": ("咨询", "表扬", "感谢"),
}
CUE_BOOST = 3.0


def to_default(name: str, text: str = "") -> tuple[tuple[str, float], ...]:
    """(default category, share) for a model class, shares summing to 1; a class that is not a TipDM class
    passes through. With the text, a category whose cue words it names gets CUE_BOOST × its share."""
    shares = TIPDM_TO_DEFAULT.get(name, ((name, 1.0),))
    if len(shares) == 1 or not text:
        return shares
    boosted = [(target, share * (CUE_BOOST if any(cue in text for cue in CUES.get(target, ())) else 1.0))
               for target, share in shares]
    total = sum(share for _t, share in boosted)
    return tuple((target, share / total) for target, share in boosted)

"""The default community taxonomy and service levels, loaded by a data migration.

Service levels in working days: (response, handling) per urgency; a top category's row applies to
its children unless a child has its own.
"""
DEFAULT_TAXONOMY = [
    ("水电暖气", ["供水", "供电", "供暖", "燃气", "排水"]),
    ("物业", ["物业服务", "电梯", "公共维修", "物业收费", "停车"]),
    ("环境卫生", ["垃圾清运", "绿化", "噪声", "违章搭建", "卫生死角"]),
    ("治安", ["安全隐患", "消防", "治安秩序", "诈骗防范"]),
    ("邻里关系", ["邻里纠纷", "家庭矛盾", "宠物"]),
    ("社保民政", ["养老保险", "医疗保险", "低保救助", "残疾人", "高龄补贴", "殡葬"]),
    ("医疗卫生", ["社区医疗", "疫苗", "家庭医生"]),
    ("教育", ["入学", "托幼", "助学"]),
    ("就业", ["就业服务", "技能培训", "创业扶持"]),
    ("住房", ["房屋安全", "棚户区改造", "产权办证", "公租房"]),
    ("企业改制遗留", ["养老金", "拖欠工资", "职工安置", "医疗待遇", "社保接续"]),
    ("拆迁", ["补偿安置", "过渡费", "回迁"]),
    ("道路交通", ["道路破损", "路灯", "公交"]),
    ("其他", ["咨询", "表扬", "其他"]),
]
# urgency → (response days, handling days)
DEFAULT_LEVELS = {"normal": (1, 5), "urgent": (0, 2), "critical": (0, 1)}
CATEGORY_LEVELS = {
    "水电暖气": {"normal": (1, 3), "urgent": (0, 1), "critical": (0, 0)},
    "社保民政": {"normal": (1, 10), "urgent": (1, 5), "critical": (0, 2)},
    "住房": {"normal": (1, 10), "urgent": (1, 5), "critical": (0, 2)},
    "企业改制遗留": {"normal": (2, 15), "urgent": (1, 10), "critical": (1, 5)},
    "拆迁": {"normal": (2, 15), "urgent": (1, 10), "critical": (1, 5)},
}


def seed_default(category_model, level_model) -> None:
    if category_model.objects.exists():
        return
    tops = {}
    for sort, (name, children) in enumerate(DEFAULT_TAXONOMY):
        top = category_model.objects.create(name=name, sort=sort * 10)
        tops[name] = top
        category_model.objects.bulk_create(
            [category_model(parent=top, name=child, sort=i) for i, child in enumerate(children)])
    for urgency, (response, handle) in DEFAULT_LEVELS.items():
        level_model.objects.create(category=None, urgency=urgency, response_days=response, handle_days=handle)
    for name, levels in CATEGORY_LEVELS.items():
        for urgency, (response, handle) in levels.items():
            level_model.objects.create(category=tops[name], urgency=urgency, response_days=response,
                                       handle_days=handle)

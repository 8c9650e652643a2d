"""The care tags PRODUCT.md §2 asks for, seeded by migration 0002; admins may edit the list later.

(code, name, visit cycle in days or None, description). The visit cycles are defaults for the visits
module: elders living alone monthly, families in difficulty every two months.
"""

DEFAULT_CARE_TAGS = [
    ("retired", "离退休", None, "离休、退休人员"),
    ("veteran_party", "老党员/老革命", 90, "党龄长的老党员、老革命、老军人"),
    ("hardship", "生活困难家庭", 60, "生活困难、需要帮扶的家庭"),
    ("dibao", "低保", 60, "享受最低生活保障"),
    ("serious_illness", "大病", 60, "患重大疾病"),
    ("disability", "残疾", 60, "持残疾证或有残疾"),
    ("elder_alone", "独居/空巢老人", 30, "独居或子女不在身边的老人"),
    ("school_difficulty", "子女上学困难", 90, "子女上学有经济困难"),
    ("unemployed", "失业", 90, "失业、待业人员"),
    ("petition_focus", "信访重点", 30, "信访重点人员，需定期联系"),
    ("floating", "流动人口", 180, "户籍在外地、在本社区居住"),
    ("entrepreneur", "创业", None, "自主创业人员"),
]


def seed_care_tags(care_tag_model) -> None:
    """Create the default tags that are missing (the migration, and tests after a database flush)."""
    for order, (code, name, cycle, description) in enumerate(DEFAULT_CARE_TAGS, start=1):
        care_tag_model.objects.get_or_create(code=code, defaults={
            "name": name, "visit_cycle_days": cycle, "description": description, "sort_order": order * 10,
        })

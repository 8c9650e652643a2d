"""The rules' default levels and thresholds, and reading the configured ones (WarningRule rows)."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Level, RuleCode, WarningRule

ESCALATION_KEYWORDS = [
    "越级", "上访", "进京", "堵路", "堵门", "拉横幅", "横幅", "集体", "联名", "讨薪", "欠薪", "静坐", "聚集",
    "游行", "围堵", "跳楼", "自焚", "同归于尽", "媒体曝光", "维权群",
]

DEFAULTS: dict[str, dict] = {
    RuleCode.MANY_RESIDENTS: {"level": Level.ORANGE, "params": {"window_days": 14, "min_residents": 5,
                                                                "similarity": 0.2, "building_window_days": 7,
                                                                "building_min_residents": 3}},
    RuleCode.KEYWORDS: {"level": Level.YELLOW, "params": {
        "window_days": 30, "keywords": ESCALATION_KEYWORDS,
        "signs": ["collective", "over_level", "road_blocking", "banners", "extreme"]}},
    RuleCode.DISPUTE_OVERDUE: {"level": Level.ORANGE, "params": {"risk_levels": ["serious", "major"]}},
    RuleCode.REOPENED: {"level": Level.YELLOW, "params": {"min_reopens": 2, "lookback_days": 180}},
    RuleCode.CARE_REPEATED: {"level": Level.YELLOW, "params": {"min_unsolved": 2, "window_days": 180,
                                                               "min_age_days": 7}},
}
PARAM_LABELS = {
    "window_days": _("时间窗（天）"), "min_residents": _("不同居民数下限"), "similarity": _("文本相似度阈值(0-1)"),
    "keywords": _("关键词"), "signs": _("纠纷激化苗头（代码）"), "risk_levels": _("纠纷风险等级"), "min_reopens": _("重办/复发次数下限"),
    "lookback_days": _("回看天数"), "min_unsolved": _("未解决诉求数下限"), "min_age_days": _("受理满（天）仍未解决"),
    "building_window_days": _("同一楼栋时间窗（天）"), "building_min_residents": _("同一楼栋不同居民数下限"),
}


@dataclass(frozen=True)
class RuleConfig:
    code: str
    enabled: bool
    level: str
    params: dict

    @property
    def label(self) -> str:
        return str(RuleCode(self.code).label)


def rule_configs() -> dict[str, RuleConfig]:
    """Every rule with its settings: the stored row over the defaults, parameter by parameter."""
    stored = {rule.code: rule for rule in WarningRule.objects.all()}
    configs = {}
    for code, default in DEFAULTS.items():
        row = stored.get(code)
        params = {**default["params"], **(row.params if row else {})}
        configs[code] = RuleConfig(code, row.enabled if row else True, row.level if row else default["level"], params)
    return configs

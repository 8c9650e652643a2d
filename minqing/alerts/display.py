"""An alert's title and explanation in the reader's language.

Both are stored as text in the default language when the rule fires (alerts.rules). To show them in
English they are matched against the sentences the rules build them from (the same catalogue msgids,
in the order the rules join them) and rebuilt in the reader's language, the records' own words marked as
data (core.userdata.stored_shown). A text that matches none (an older wording) is shown as stored.
tests/test_display.py checks that every msgid here is one rules.py uses.
"""
from __future__ import annotations

from minqing.core.userdata import stored_shown

TITLE_FORMS = [
    ("多名居民反映同一事项：%(t)s",),
    ("%(what)s出现激化苗头：%(t)s",),
    ("%(risk)s风险纠纷逾期：%(t)s",),
    ("同一事项反复：%(t)s",),
    ("重点关爱对象诉求反复未解决：%(n)s",),
]

_COUNTS = "（%(count)d 件诉求：%(linked)d 件已关联为同一事项，其余按文本相似度≥%(sim).2f 归并）。"
_REPRESENTATIVE = "代表性诉求：“%(title)s”。可能形成集体上访等群体性事件，请尽快研判、约谈、化解。"
EXPLANATION_FORMS = [
    ("%(days)d天内，同一社区有 %(people)d 名不同居民反映同一事项", _COUNTS, "阈值：%(min)d 名。", _REPRESENTATIVE),
    ("%(days)d天内，%(building)s有 %(people)d 名不同居民反映同一事项", _COUNTS, "阈值：同一楼栋 %(min)d 名。",
     _REPRESENTATIVE),
    ("%(what)s“%(t)s”中出现激化关键词或苗头：%(words)s。%(more)s请核实是否有集体行动、越级上访或极端苗头，及时稳控。",),
    ("纠纷 %(n)s 风险等级为“%(risk)s”，化解时限 %(d)s 已过 %(days)d 天，仍为“%(state)s”。"
     "责任领导：%(leader)s；责任人员：%(staff)s。请督办落实“四包”责任。",),
    ("%(what)s“%(t)s”已重办/复发 %(times)d 次（重办 %(r)d 次，复发 %(c)d 次；阈值 %(min)d 次）。"
     "群众不满意在累积，请领导包案、查明症结。",),
    ("居民%(n)s（%(tags)s）%(days)d天内有 %(k)d 件诉求未解决或不满意（阈值 %(min)d 件）："
     "%(titles)s。请安排包户干部（%(liaison)s）上门走访、当面解决。",),
]


def title_shown(alert):
    return stored_shown(alert.title, TITLE_FORMS)


def explanation_shown(alert):
    return stored_shown(alert.explanation, EXPLANATION_FORMS)

"""Reply quality 答复质量: relevance, completeness, explanation and timeliness of an answer to a demand.

Rules a worker can read, not a learned model: the only labels (100 replies, one team's judgement) are too
few to train on, so they serve to measure agreement (docs/insight.md). Each score lies in 0–1.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .features import fit_vectorizer
from .similarity import SPEC as SIMILARITY_SPEC

# The parts a complete reply has (the board's own replies follow this shape).
COMPLETENESS_PARTS = {
    "greeting": re.compile(r"您好|你好|网友|市民|同志|先生|女士"),
    "restates": re.compile(r"反映|留言|来信|诉求|咨询|提出|问题|收悉"),
    "findings": re.compile(r"经(?:调查|核实|核查|了解|查|现场)|调查|核实|现场|查明|情况如下|情况"),
    "action": re.compile(r"已经|已|将|责令|要求|安排|处理|整改|解决|落实|协调|督促|办理"),
    "closing": re.compile(r"感谢|谢谢|欢迎|如有疑问|联系电话|咨询电话|联系方式"),
}
EXPLANATION_CUES = re.compile(
    r"根据|依据|按照|依照|《[^》]{2,40}》|规定|政策|条例|办法|通知|文件|第[一二三四五六七八九十\d]+条|"
    r"因为|由于|原因|所以|因此|鉴于|目前|符合|不符合|标准")
PART_LABELS = {"greeting": gettext_lazy("称呼"), "restates": gettext_lazy("复述所反映的问题"),
               "findings": gettext_lazy("调查核实情况"), "action": gettext_lazy("处理措施"),
               "closing": gettext_lazy("致谢或联系方式")}
GOOD_AT = 0.6  # a score below this gets a hint for the worker
# Characters at which a reply has room for findings, actions and reasons: on the 100 labelled replies, length
# alone ranks complete above incomplete ones with AUC 0.92 (incomplete ones average 160 characters).
FULL_LENGTH = 400


@dataclass(frozen=True)
class ReplyScore:
    relevance: float
    completeness: float
    explanation: float
    timeliness: float | None
    missing: tuple[str, ...]  # completeness parts not found, so the worker knows what to add

    @property
    def overall(self) -> float:
        parts = [self.relevance, self.completeness, self.explanation]
        if self.timeliness is not None:
            parts.append(self.timeliness)
        return round(sum(parts) / len(parts), 3)


def relevance(demand: str, reply: str) -> float:
    """Cosine of character n-gram TF-IDF between demand and reply, rescaled: 0.3 cosine is already on topic."""
    if not demand.strip() or not reply.strip():
        return 0.0
    matrix = fit_vectorizer([demand, reply], SIMILARITY_SPEC).transform([demand, reply]).to_scipy()
    cosine = float((matrix[0] @ matrix[1].T).toarray()[0, 0])
    return round(min(cosine / 0.3, 1.0), 3)


def substance(reply: str) -> float:
    return min(len(reply.strip()) / FULL_LENGTH, 1.0)


def completeness(reply: str) -> tuple[float, tuple[str, ...]]:
    """0.4 × share of the five parts present + 0.6 × substance (length up to FULL_LENGTH)."""
    missing = tuple(name for name, cue in COMPLETENESS_PARTS.items() if not cue.search(reply))
    parts = (len(COMPLETENESS_PARTS) - len(missing)) / len(COMPLETENESS_PARTS)
    return round(0.4 * parts + 0.6 * substance(reply), 3), missing


def explanation(reply: str) -> float:
    """Policy or reason cues (saturating at four), discounted for a reply too short to explain anything."""
    cues = min(len(EXPLANATION_CUES.findall(reply)) / 4, 1.0)
    return round(cues * (0.5 + 0.5 * substance(reply)), 3)


def timeliness(asked_at: datetime | None, replied_at: datetime | None) -> float | None:
    """1 within a week, then halving every two weeks (the board's median lag is 11 days, p90 41)."""
    if not asked_at or not replied_at:
        return None
    days = max((replied_at - asked_at).total_seconds() / 86400, 0.0)
    return round(1.0 if days <= 7 else math.pow(0.5, (days - 7) / 14), 3)


def score_reply(*, demand: str, reply: str, asked_at: datetime | None = None,
                replied_at: datetime | None = None) -> ReplyScore:
    complete, missing = completeness(reply)
    return ReplyScore(relevance(demand, reply), complete, explanation(reply), timeliness(asked_at, replied_at),
                      missing)


def score_reasons(score: ReplyScore, reply: str) -> dict:
    """The four scores with a reason each, in the worker's words, for the "check reply" panel."""
    length = len(reply.strip())
    cues = len(EXPLANATION_CUES.findall(reply))
    rows = [
        ("relevance", _("相关性"), score.relevance,
         _("答复回应了诉求中的事项。") if score.relevance >= GOOD_AT
         else _("答复与诉求的字词重合少，请回应居民反映的具体问题。")),
        ("completeness", _("完整性"), score.completeness,
         (_("缺少：%(parts)s。") % {"parts": "、".join(str(PART_LABELS[p]) for p in score.missing)}
          if score.missing else _("称呼、复述、调查、措施、致谢俱全。"))
         + ("" if length >= FULL_LENGTH else _("共 %(n)d 字，写明调查情况和措施通常需要约 %(full)d 字。")
            % {"n": length, "full": FULL_LENGTH})),
        ("explanation", _("解释性"), score.explanation,
         _("说明了 %(n)d 处依据或原因。") % {"n": cues} if cues
         else _("没有说明依据或原因（政策、规定、为什么这样处理）。")),
    ]
    if score.timeliness is not None:
        rows.append(("timeliness", _("及时性"), score.timeliness,
                     _("在提交后 7 天内答复为满分，之后每 14 天减半。")))
    return {"overall": score.overall, "rows": [{"key": k, "label": label, "value": value, "percent": round(value * 100),
                                                "low": value < GOOD_AT, "reason": reason}
                                               for k, label, value, reason in rows]}

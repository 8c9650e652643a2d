"""Models of the disputes app, one module per sub-domain."""
from .agreements import REQUIRED_CONTENTS, Agreement, FollowUp
from .assessment import AssessmentLevel, Consultation, RiskPoint, StabilityAssessment, level_for_score
from .disputes import (
    DISPUTE, OPEN_STATUSES, SETTLE_WITHIN_DAYS, SETTLED_STATUSES, Dispute, DisputeParty, EscalationSign, Kind,
    MediationSession, MediatorRecusal, PartySide, Referral, Responsibility, RiskLevel, Status, Verb,
)
from .screening import Period, ScreeningRound, period_bounds

__all__ = [
    "REQUIRED_CONTENTS", "Agreement", "FollowUp", "AssessmentLevel", "Consultation", "RiskPoint",
    "StabilityAssessment", "level_for_score", "OPEN_STATUSES", "SETTLE_WITHIN_DAYS", "SETTLED_STATUSES",
    "DISPUTE", "Dispute", "DisputeParty", "EscalationSign", "Kind", "MediationSession", "MediatorRecusal",
    "PartySide", "Referral", "Responsibility", "RiskLevel", "Status", "Verb", "Period",
    "ScreeningRound", "period_bounds",
]

"""Every model of the certification domain, importable from one place."""

from academy.certification.marking.models import (
    Appeal,
    AppealStatus,
    DecisionRule,
    JudgedResponse,
    Mark,
    MarkDecision,
    MarkRound,
)
from academy.certification.programmes.models import Programme, ProgrammeStatus
from academy.certification.results.models import CandidateResult
from academy.certification.sittings.models import Candidate, CandidateStatus, Incident, Sitting
from academy.certification.standards.models import Standard, StandardLevel, StandardUnit

__all__ = [
    "Appeal",
    "AppealStatus",
    "Candidate",
    "CandidateResult",
    "CandidateStatus",
    "DecisionRule",
    "Incident",
    "JudgedResponse",
    "Mark",
    "MarkDecision",
    "MarkRound",
    "Programme",
    "ProgrammeStatus",
    "Sitting",
    "Standard",
    "StandardLevel",
    "StandardUnit",
]

"""Typed SQLAlchemy tables only: no queries, no Qt."""

from app.models.accounts import AuditAnchor, PasswordHistory, PrintedForm, User
from app.models.audit import AuditRecord
from app.models.base import Base
from app.models.project import (
    Acceptance,
    AnnualPlan,
    AnnualPlanItem,
    Approval,
    Attachment,
    AttachmentBlob,
    AutonomyCheck,
    Budget,
    CatalogueItem,
    ChangeItem,
    ChangeRequest,
    Contract,
    DevelopmentPlan,
    Drill,
    EmergencyPlan,
    EstimateItem,
    Evaluation,
    EvaluationScore,
    Incident,
    Indicator,
    Material,
    OmRequest,
    Payment,
    Project,
    Publicity,
    PublicityItem,
    Rectification,
    ReviewItem,
    SecurityAssessment,
    TechnicalReview,
)
from app.models.reference import (
    Contractor,
    Department,
    DepartmentAlias,
    HolidayOverride,
    IssuedNumber,
    NumberSequence,
    Setting,
)

__all__ = [name for name in dir() if name[0].isupper()]

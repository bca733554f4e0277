"""The models of the `shakyo_portal` app, which Django finds through this
module: the site's own content (the ground, shakyo_portal.core.models) and
the staff accounts (the policy core, shakyo_portal.staff.models)."""

from shakyo_portal.core.models import (  # noqa: F401
    BasicGoal,
    EmergencyNotice,
    MainProject,
    Office,
    OutgoingMail,
    PlanPhoto,
    Policy,
    PracticePlan,
    PrivacyPolicy,
    PrivacyPolicySection,
    SiteProfile,
)
from shakyo_portal.staff.models import (  # noqa: F401
    RecoveryCode,
    StaffNotification,
    StaffProfile,
    StaffSession,
)

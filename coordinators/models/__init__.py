"""The coordinator app's models: coordinators and their activity logs, and
the 地域資源 of the resource map."""

from coordinators.models.logs import (  # noqa: F401
    MAX_COUNT,
    ActivityLog,
    ActivityLogPhoto,
    ActivityLogQuerySet,
    Coordinator,
    CoordinatorKind,
    CoordinatorQuerySet,
    LogKind,
    Visibility,
    coordinator_photo_path,
    count_field,
    log_photo_path,
)
from coordinators.models.resources import (  # noqa: F401
    Formality,
    LifeScene,
    Resource,
    ResourceCategory,
    ResourceQuerySet,
)

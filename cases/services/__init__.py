"""Every write to cases outside the Wagtail editor, by use: the lifecycle
(``lifecycle``) and roles and appointments (``appointments``). Import from here."""

from .appointments import (
    EDITOR_DOCUMENT_PERMS,
    EDITOR_MODEL_PERMS,
    agency_appoint_editor,
    agency_dismiss_editor,
    agency_ensure_workspace,
    area_appoint_reviewer,
    area_dismiss_reviewer,
    case_appoint_examiner,
    case_appoint_reviewer,
    case_dismiss_examiner,
    case_dismiss_reviewer,
    roles_ensure_groups,
)
from .lifecycle import (
    STATUS_LOG_ACTION,
    case_advance,
    case_move,
    case_unpublished,
    cases_advance_due,
    cases_publish_scheduled,
)

__all__ = [
    "EDITOR_DOCUMENT_PERMS",
    "EDITOR_MODEL_PERMS",
    "STATUS_LOG_ACTION",
    "agency_appoint_editor",
    "agency_dismiss_editor",
    "agency_ensure_workspace",
    "area_appoint_reviewer",
    "area_dismiss_reviewer",
    "case_advance",
    "case_appoint_examiner",
    "case_appoint_reviewer",
    "case_dismiss_examiner",
    "case_dismiss_reviewer",
    "case_move",
    "case_unpublished",
    "cases_advance_due",
    "cases_publish_scheduled",
    "roles_ensure_groups",
]

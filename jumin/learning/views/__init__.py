from .member import branch_progress, course_study, document, my_code, my_courses
from .office import (
    course_detail,
    course_edit,
    course_export,
    course_list,
    course_new,
    org_progress,
    org_progress_export,
    progress,
    progress_export,
    record_export,
    record_list,
)
from .station import attendee_record, session_detail, session_end, station

__all__ = [
    "attendee_record",
    "branch_progress",
    "course_detail",
    "course_edit",
    "course_export",
    "course_list",
    "course_new",
    "course_study",
    "document",
    "my_code",
    "my_courses",
    "org_progress",
    "org_progress_export",
    "progress",
    "progress_export",
    "record_export",
    "record_list",
    "session_detail",
    "session_end",
    "station",
]

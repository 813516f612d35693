from .opinions import office_opinion_new, opinion_export, opinion_list, opinion_new
from .orgs import (
    member_detail,
    my_party,
    org_detail,
    org_roster_export,
    org_tree,
    transfer_list,
)
from .reception import day_detail, day_list, day_new, my_reception_day, reception_schedule

__all__ = [
    "day_detail",
    "day_list",
    "day_new",
    "member_detail",
    "my_party",
    "my_reception_day",
    "office_opinion_new",
    "opinion_export",
    "opinion_list",
    "opinion_new",
    "org_detail",
    "org_roster_export",
    "org_tree",
    "reception_schedule",
    "transfer_list",
]

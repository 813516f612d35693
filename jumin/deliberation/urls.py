from django.urls import path

from . import converters  # noqa: F401 (registers <rowid:…>)
from .views import office, public, resident

app_name = "deliberation"

urlpatterns = [
    # residents (phone)
    path("me/proposals/", resident.proposal_list, name="proposals"),
    path("me/proposals/new/", resident.proposal_new, name="proposal-new"),
    path("me/proposals/similar/", resident.proposal_similar, name="proposal-similar"),
    path("me/proposals/<uuid:proposal_uuid>/", resident.proposal_detail, name="proposal"),
    path("me/proposals/<uuid:proposal_uuid>/support/", resident.proposal_support, name="proposal-support"),
    path("me/proposals/<uuid:proposal_uuid>/comment/", resident.proposal_comment, name="proposal-comment"),
    path("me/proposals/<uuid:proposal_uuid>/withdraw/", resident.proposal_withdraw, name="proposal-withdraw"),
    path("me/ballots/", resident.ballot_list, name="ballots"),
    path("me/ballots/delegate/", resident.delegate, name="delegate"),
    path("me/ballots/<uuid:ballot_uuid>/", resident.ballot_detail, name="ballot"),
    path("me/ballots/<uuid:ballot_uuid>/vote/", resident.ballot_vote, name="ballot-vote"),
    path("me/ballots/<uuid:ballot_uuid>/proxy/", resident.proxy_grant, name="proxy-grant"),
    path("me/ballots/<uuid:ballot_uuid>/proxy/<rowid:proxy_id>/vote/", resident.proxy_vote, name="proxy-vote"),
    path("me/ballots/<uuid:ballot_uuid>/objection/", resident.objection_file, name="objection"),
    path("deliberation/files/<uuid:upload_uuid>/", resident.upload_file, name="file"),
    # office
    path("office/deliberation/proposals/", office.proposal_list, name="office-proposals"),
    path("office/deliberation/proposals/export.xlsx", office.proposal_export, name="office-proposals-export"),
    path("office/deliberation/proposals/<uuid:proposal_uuid>/", office.proposal_detail, name="office-proposal"),
    path(
        "office/deliberation/proposals/<uuid:proposal_uuid>/coordinate/",
        office.proposal_coordinate,
        name="proposal-coordinate",
    ),
    path(
        "office/deliberation/proposals/<uuid:proposal_uuid>/meeting/", office.proposal_meeting, name="proposal-meeting"
    ),
    path("office/deliberation/proposals/<uuid:proposal_uuid>/plan/", office.proposal_plan, name="proposal-plan"),
    path(
        "office/deliberation/proposals/<uuid:proposal_uuid>/progress/",
        office.proposal_progress,
        name="proposal-progress",
    ),
    path(
        "office/deliberation/proposals/<uuid:proposal_uuid>/complete/",
        office.proposal_complete,
        name="proposal-complete",
    ),
    path("office/deliberation/proposals/<uuid:proposal_uuid>/reject/", office.proposal_reject, name="proposal-reject"),
    path("office/deliberation/proposals/<uuid:proposal_uuid>/merge/", office.proposal_merge, name="proposal-merge"),
    path("office/deliberation/settings/", office.settings_page, name="office-settings"),
    path("office/deliberation/ballots/", office.ballot_list, name="office-ballots"),
    path("office/deliberation/ballots/export.xlsx", office.ballot_export, name="office-ballots-export"),
    path("office/deliberation/ballots/new/", office.ballot_new, name="office-ballot-new"),
    path("office/deliberation/ballots/<uuid:ballot_uuid>/", office.ballot_detail, name="office-ballot"),
    path("office/deliberation/ballots/<uuid:ballot_uuid>/roll/", office.ballot_roll, name="office-roll"),
    path(
        "office/deliberation/ballots/<uuid:ballot_uuid>/roll.xlsx", office.ballot_roll_export, name="office-roll-export"
    ),
    path(
        "office/deliberation/ballots/<uuid:ballot_uuid>/paper/<rowid:elector_id>/", office.paper_vote, name="paper-vote"
    ),
    path("office/deliberation/ballots/<uuid:ballot_uuid>/proxies/", office.proxy_register, name="proxy-register"),
    path(
        "office/deliberation/ballots/<uuid:ballot_uuid>/proxies/<rowid:proxy_id>/",
        office.proxy_verify,
        name="proxy-verify",
    ),
    path(
        "office/deliberation/ballots/<uuid:ballot_uuid>/objections/<rowid:objection_id>/",
        office.objection_decide,
        name="objection-decide",
    ),
    path("office/deliberation/charters/", office.charter_list, name="office-charters"),
    path("office/deliberation/charters/<uuid:compound_uuid>/", office.charter_compound, name="office-charter"),
    path(
        "office/deliberation/charters/<uuid:compound_uuid>/versions/<rowid:version_id>/vote/",
        office.charter_vote,
        name="charter-vote",
    ),
    # public board (no login)
    path("public/<uuid:community_uuid>/", public.public_board, name="board"),
    path("public/<uuid:community_uuid>/screen/", public.public_screen, name="board-screen"),
    path("public/<uuid:community_uuid>/charters/<rowid:charter_id>/", public.public_charter, name="public-charter"),
]

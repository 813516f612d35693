from django.shortcuts import get_object_or_404, render

from jumin.core.access import request_scope, require
from jumin.core.exports import workbook, xlsx_response
from jumin.core.views import office_required

from . import selectors
from .models import Compound


@office_required
@require("register.view")
def place_overview(request):
    scope = request_scope(request)
    return render(
        request,
        "places/overview.html",
        {"grids": selectors.grids_with_counts(scope), "compounds": selectors.compounds_with_counts(scope)},
    )


@office_required
@require("register.view")
def compound_detail(request, pk):
    scope = request_scope(request)
    compound = get_object_or_404(Compound.objects.filter(community_id__in=scope.community_ids), pk=pk)
    buildings = selectors.buildings_of(scope, compound.pk)
    if scope.grid_ids is not None and not buildings:
        from django.http import Http404

        raise Http404
    return render(request, "places/compound_detail.html", {"compound": compound, "buildings": buildings})


@office_required
@require("register.export")
def place_export(request):
    scope = request_scope(request)
    rows = (
        (c.community.name, c.name, c.building_count, c.household_count) for c in selectors.compounds_with_counts(scope)
    )
    return xlsx_response(workbook("小区台账", ["社区", "小区", "楼栋数", "户数"], rows), "小区台账")

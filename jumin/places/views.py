from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from jumin.core import errors
from jumin.core.access import request_scope, require, user_can
from jumin.core.exports import workbook, xlsx_response
from jumin.core.forms import Form, add_domain_error
from jumin.core.views import office_required

from . import selectors, services
from .models import Compound, Grid


@office_required
@require("register.view")
def place_overview(request):
    scope = request_scope(request)
    return render(
        request,
        "places/overview.html",
        {
            "stations": selectors.stations_with_counts(scope) if scope.grid_ids is None else [],
            "grids": selectors.grids_with_counts(scope),
            "compounds": selectors.compounds_with_counts(scope),
            "may_manage": user_can(request.user, "places.manage") and scope.grid_ids is None,
        },
    )


class BuildingsForm(Form):
    """Buildings ticked on a grid or compound page, and where they go: another grid, or (on a grid page) a new
    grid split off this one. The first post shows what would move; the second, with confirm, moves."""

    buildings = forms.TypedMultipleChoiceField(label="楼栋", coerce=int, widget=forms.CheckboxSelectMultiple)
    target = forms.ChoiceField(label="划入网格")
    new_name = forms.CharField(label="新网格名称", max_length=50, required=False, help_text="选“分出新网格”时填写")
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, buildings, grids, allow_split: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buildings"].choices = [(b.pk, f"{b.compound.name}{b.name}") for b in buildings]
        choices = [(str(g.pk), g.name) for g in grids]
        if allow_split:
            choices.append(("new", "分出新网格(同一服务站)"))
        else:
            self.fields.pop("new_name")
        self.fields["target"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("target") == "new" and not (data.get("new_name") or "").strip():
            self.add_error("new_name", "请填写新网格名称")
        return data


def _buildings_page(request, *, template, context, buildings, grid=None, community_id):
    scope = request_scope(request)
    may_manage = user_can(request.user, "places.manage") and scope.grid_ids is None
    form = preview = None
    if may_manage:
        grids = Grid.objects.filter(community_id=community_id).exclude(pk=getattr(grid, "pk", None)).order_by("number")
        form = BuildingsForm(request.POST or None, buildings=buildings, grids=grids, allow_split=grid is not None)
        if request.method == "POST" and form.is_valid():
            chosen = [b for b in buildings if b.pk in set(form.cleaned_data["buildings"])]
            target = form.cleaned_data["target"]
            if not form.cleaned_data["confirm"]:
                preview = {
                    "buildings": chosen,
                    "households": sum(b.household_count for b in chosen),
                    "target": form.cleaned_data.get("new_name")
                    if target == "new"
                    else dict(form.fields["target"].choices)[target],
                }
            else:
                try:
                    if target == "new":
                        new = services.grid_split(
                            actor=request.user,
                            scope=scope,
                            grid=grid,
                            name=form.cleaned_data["new_name"],
                            building_ids=[b.pk for b in chosen],
                        )
                        messages.success(request, f"已分出新网格“{new.name}”,{len(chosen)} 栋楼及其住户已划入。")
                    else:
                        moved = services.buildings_move(
                            actor=request.user,
                            scope=scope,
                            building_ids=[b.pk for b in chosen],
                            grid=Grid.objects.get(pk=int(target), community_id=community_id),
                        )
                        messages.success(
                            request, f"已调整 {moved['buildings']} 栋楼的网格,{moved['households']} 户随之调整。"
                        )
                    return redirect(request.path)
                except errors.DomainError as exc:
                    add_domain_error(form, exc, {"buildings": "buildings", "name": "new_name"})
    return render(
        request,
        template,
        context | {"buildings": buildings, "form": form, "preview": preview, "may_manage": may_manage},
    )


@office_required
@require("register.view")
def compound_detail(request, pk):
    scope = request_scope(request)
    compound = get_object_or_404(Compound.objects.filter(community_id__in=scope.community_ids), pk=pk)
    buildings = list(selectors.buildings_of(scope, compound.pk))
    if scope.grid_ids is not None and not buildings:
        raise Http404
    return _buildings_page(
        request,
        template="places/compound_detail.html",
        context={"compound": compound},
        buildings=buildings,
        community_id=compound.community_id,
    )


@office_required
@require("register.view")
def grid_detail(request, pk):
    scope = request_scope(request)
    grids = Grid.objects.filter(community_id__in=scope.community_ids)
    if scope.grid_ids is not None:
        grids = grids.filter(pk__in=scope.grid_ids)
    grid = get_object_or_404(grids.select_related("station"), pk=pk)
    buildings = list(selectors.buildings_in_grid(scope, grid.pk))
    return _buildings_page(
        request,
        template="places/grid_detail.html",
        context={"grid": grid},
        buildings=buildings,
        grid=grid,
        community_id=grid.community_id,
    )


class RenameForm(Form):
    name = forms.CharField(label="名称", max_length=50)


@office_required
@require("places.manage")
def place_rename(request, kind, pk):
    if kind not in services.RENAMEABLE:
        raise Http404
    model, label = services.RENAMEABLE[kind]
    scope = request_scope(request)
    row = get_object_or_404(model.objects.filter(community_id__in=scope.community_ids), pk=pk)
    form = RenameForm(request.POST or None, initial={"name": row.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.place_rename(actor=request.user, scope=scope, kind=kind, pk=row.pk, name=form.cleaned_data["name"])
        except errors.DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{label}名称已改为“{form.cleaned_data['name'].strip()}”。")
            return redirect("places:overview")
    return render(request, "places/rename.html", {"form": form, "row": row, "label": label})


@office_required
@require("register.export")
def place_export(request):
    scope = request_scope(request)
    rows = (
        (c.community.name, c.name, c.building_count, c.dwelling_count, c.household_count)
        for c in selectors.compounds_with_counts(scope)
    )
    return xlsx_response(workbook("小区台账", ["社区", "小区", "楼栋数", "房屋数", "户数"], rows), "小区台账")

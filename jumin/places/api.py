from ninja import File, Router, Schema
from ninja.files import UploadedFile

from jumin.core.access import scope_for

from .imports import places_import

router = Router(tags=["地点"])


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class PlacesReportOut(Schema):
    created: int
    updated: int
    unchanged: int
    errors: list[RowErrorOut]
    dry_run: bool
    moves: list[dict]
    moves_applied: bool


@router.post(
    "/places/import",
    response=PlacesReportOut,
    summary="导入房屋(.xlsx),dry_run=true 只校验不写入",
    description=(
        "multipart 上传 file,列为 服务站、网格、小区、楼栋、单元、房号、建筑面积(㎡)、产权人、房屋类型。"
        "dry_run=false 时全部在同一事务写入;有任何一行有问题则什么都不写,errors 逐行说明(行号、列、中文说明)。"
        "重复导入同一文件不改变数据。已登记楼栋换网格列在 moves 中(楼栋、原网格、新网格、随之调整户数),"
        "须加 confirm_moves=true 才会调整。"
    ),
)
def places_import_endpoint(request, file: File[UploadedFile], dry_run: bool = True, confirm_moves: bool = False):
    user = request.auth
    report = places_import(
        actor=user,
        scope=scope_for(user),
        community=user.community,
        file=file,
        dry_run=dry_run,
        confirm_moves=confirm_moves,
    )
    return report.as_dict()

from ninja import Router, Schema

from .models import Category

router = Router(tags=["社情民意"])


class CategoryOut(Schema):
    code: str
    label: str


@router.get(
    "/opinions/categories",
    response=list[CategoryOut],
    summary="社情民意类别",
    description="提交社情民意(POST /cases,kind=opinion)时 category 可选的值。",
)
def opinion_categories(request):
    return [{"code": code, "label": label} for code, label in Category.choices]

from ninja import Router

router = Router(tags=["测试插件"])


@router.get(
    "/ping", summary="测试插件的接口", description="测试用:证明新 app 只在自己的 apps.py 里登记接口。", auth=None
)
def ping(request):
    return {"pong": True}

from django.http import HttpResponse
from django.urls import path

from jumin.core.access import require

app_name = "plugin_app"


@require("plugin.tend")
def home(request):
    return HttpResponse("插件页面")


urlpatterns = [path("plugin/", home, name="home")]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from jumin.api.urls import api

admin.site.site_header = "居民之家 · 后台数据录入"
admin.site.site_title = "居民之家"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jumin.core.urls")),
    path("", include("jumin.places.urls")),
    path("", include("jumin.people.urls")),
    path("", include("jumin.party.urls")),
    path("", include("jumin.hall.urls")),
    path("", include("jumin.errands.urls")),
    path("", include("jumin.mediation.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

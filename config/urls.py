from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from jumin.api.urls import api
from jumin.core.registry import registry

admin.site.site_header = "居民之家 · 后台数据录入"
admin.site.site_title = "居民之家"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Every app mounts its own URLconf from its apps.py (register_urls).
    *(path(mounted.prefix, include(mounted.module)) for mounted in registry.url_includes),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

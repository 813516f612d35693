from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    path("elder-mode/", views.elder_mode_toggle, name="elder-mode"),
    path("office/switch-community/", views.community_switch, name="community-switch"),
    path("office/holidays/", views.holidays, name="holidays"),
]

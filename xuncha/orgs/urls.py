from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/new/", views.organization_edit, name="organization_new"),
    path("units/<int:pk>/", views.organization_detail, name="organization"),
    path("units/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_new"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_active"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_password"),
]

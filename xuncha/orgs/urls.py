from django.urls import path

from . import lockouts, views, views_cadres

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/new/", views.organization_edit, name="organization_new"),
    path("units/<int:pk>/", views.organization_detail, name="organization"),
    path("units/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("units/<int:pk>/leaders/", views_cadres.leader_add, name="leader_add"),
    path("units/<int:pk>/leaders/<int:member_id>/remove/", views_cadres.leader_remove, name="leader_remove"),
    path("cadres/", views_cadres.cadre_list, name="cadres"),
    path("cadres/<int:pk>/", views_cadres.cadre_detail, name="cadre"),
    path("cadres/<int:pk>/career/", views_cadres.cadre_career_add, name="cadre_career"),
    path("cadres/<int:pk>/relatives/", views_cadres.cadre_relative_add, name="cadre_relative"),
    path("cadres/<int:pk>/<str:kind>/<int:entry_id>/remove/", views_cadres.cadre_entry_remove,
         name="cadre_entry_remove"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_new"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_active"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_password"),
    path("lockouts/", lockouts.lockouts, name="lockouts"),
    path("lockouts/<int:pk>/unlock/", lockouts.unlock, name="lockout_unlock"),
]

from django.urls import path

from . import views, views_policy

app_name = "crosscheck"
urlpatterns = [
    path("round/<int:round_id>/", views.round_page, name="round"),
    path("round/<int:round_id>/suspicions/", views.round_suspicions, name="round_suspicions"),
    path("file/<int:pk>/remove/", views.remove_file, name="remove_file"),
    path("run/<int:pk>/", views.run_page, name="run"),
    path("run/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("run/<int:pk>/policy.toml", views.run_policy, name="run_policy"),
    path("run/<int:pk>/export.xlsx", views.export, name="export"),
    path("run/<int:pk>/suspicions/", views.suspicions, name="suspicions"),
    path("run/<int:pk>/bulk/", views.bulk, name="bulk"),
    path("run/<int:pk>/dossier/", views.dossier_search, name="dossier_search"),
    path("run/<int:pk>/dossier/<str:entity_id>/", views.dossier, name="dossier"),
    path("suspicion/<int:pk>/", views.suspicion, name="suspicion"),
    path("suspicion/<int:pk>/<str:action>/", views.decide, name="decide"),
    path("policies/", views_policy.policies_page, name="policies"),
    path("policies/new/", views_policy.edit, name="policy_new"),
    path("policies/<int:pk>/", views_policy.edit, name="policy_edit"),
    path("policies/<int:pk>/policy.toml", views_policy.export, name="policy_export"),
    path("policies/import/", views_policy.import_toml, name="policy_import"),
]

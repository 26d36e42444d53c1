from django.urls import path

from . import views

app_name = "findings"
urlpatterns = [
    path("", views.index, name="index"),
    path("round/<int:round_id>/", views.round_list, name="round"),
    path("round/<int:round_id>/new/", views.create, name="create"),
    path("round/<int:round_id>/problems.xlsx", views.export_xlsx, name="export"),
    path("from-clue/<int:clue_id>/", views.from_clue, name="from_clue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/evidence/", views.add_evidence, name="add_evidence"),
    path("<int:pk>/evidence/<int:file_id>/", views.evidence, name="evidence"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/to-clue/", views.to_clue, name="to_clue"),
    path("<int:pk>/onsite/propose/", views.onsite_propose, name="onsite_propose"),
    path("<int:pk>/onsite/consent/", views.onsite_consent, name="onsite_consent"),
    path("<int:pk>/onsite/issue/", views.onsite_issue, name="onsite_issue"),
    path("<int:pk>/onsite/<str:kind>/", views.onsite_file, name="onsite_file"),
]

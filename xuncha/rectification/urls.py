from django.urls import path

from . import views

app_name = "rectification"
urlpatterns = [
    path("", views.index, name="list"),
    path("oversight/", views.oversight, name="oversight"),
    path("public/", views.public_disclosures, name="public"),
    path("round/<int:pk>/ledger.xlsx", views.round_ledger, name="round_ledger"),
    path("feedback/<int:pk>/", views.feedback_page, name="feedback"),
    path("feedback/<int:pk>/ledger.xlsx", views.feedback_ledger, name="feedback_ledger"),
    path("feedback/<int:pk>/plan/", views.plan_file, name="plan_file"),
    path("feedback/<int:pk>/plan/review/", views.plan_review, name="plan_review"),
    path("feedback/<int:pk>/accountability/", views.accountability_add, name="accountability"),
    path("feedback/<int:pk>/rules/", views.rule_add, name="rule"),
    path("feedback/<int:pk>/reports/", views.report_upload, name="report_upload"),
    path("feedback/<int:pk>/reports/generate/<str:kind>/", views.report_generate, name="report_generate"),
    path("feedback/<int:pk>/visits/", views.visit_add, name="visit"),
    path("feedback/<int:pk>/disclosure/", views.disclosure_save, name="disclosure"),
    path("feedback/<int:pk>/disclosure/publish/", views.disclosure_publish, name="disclosure_publish"),
    path("reports/<int:pk>/", views.report_download, name="report_download"),
    path("items/<int:pk>/", views.item_page, name="item"),
    path("items/<int:pk>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:pk>/evidence/", views.item_evidence, name="item_evidence"),
    path("items/<int:pk>/request/", views.item_request, name="item_request"),
    path("items/<int:pk>/review/", views.item_review, name="item_review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]

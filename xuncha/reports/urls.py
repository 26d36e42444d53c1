from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("round/<int:pk>/report/", views.report_page, name="report"),
    path("round/<int:pk>/report/<str:kind>.docx", views.report_document, name="report_document"),
    path("round/<int:pk>/report/versions/<int:number>/", views.version_download, name="version"),
    path("round/<int:pk>/report/upload/", views.version_upload, name="upload"),
    path("round/<int:pk>/report/save-draft/", views.save_draft, name="save_draft"),
    path("round/<int:pk>/report/evaluation/", views.save_evaluation, name="evaluation"),
    path("round/<int:pk>/report/submit/", views.submit, name="submit"),
    path("round/<int:pk>/report/office-approve/", views.office_approve, name="office_approve"),
    path("round/<int:pk>/report/approve/", views.leadership_approve, name="approve"),
    path("round/<int:pk>/report/return/", views.return_report, name="return"),
    path("round/<int:pk>/report/decision/", views.decision, name="decision"),
    path("round/<int:pk>/plan/return/", views.plan_return, name="plan_return"),
    path("round/<int:pk>/plan/resubmit/", views.plan_resubmit, name="plan_resubmit"),
    path("round/<int:pk>/do/<str:action>/", views.transition, name="transition"),
    path("round/<int:pk>/archive.zip", views.archive_zip, name="archive"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/<int:pk>/", views.feedback_page, name="feedback"),
    path("feedback/<int:pk>/brief/", views.brief, name="brief"),
    path("feedback/<int:pk>/issue/", views.issue, name="issue"),
    path("feedback/<int:pk>/sign/", views.sign, name="sign"),
    path("feedback/<int:pk>/<str:which>.docx", views.feedback_file, name="feedback_file"),
]

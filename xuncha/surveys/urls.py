from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("a/", views.answer, name="answer"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/reload/", views.builtin_reload, name="builtin_reload"),
    path("templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
    path("round/<int:round_id>/", views.round_surveys, name="round"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/questions/new/", views.question_save, name="question_add"),
    path("<int:pk>/questions/<int:question_id>/", views.question_save, name="question_save"),
    path("<int:pk>/questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/status/<str:status>/", views.survey_status, name="status"),
    path("<int:pk>/codes/", views.survey_codes, name="codes"),
    path("<int:pk>/codes/<int:batch>/void/", views.survey_void, name="void"),
    path("<int:pk>/paper/", views.survey_paper, name="paper"),
    path("<int:pk>/paper/issued/", views.survey_paper_issued, name="paper_issued"),
    path("<int:pk>/worklog/", views.survey_log, name="log"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/results.xlsx", views.survey_xlsx, name="xlsx"),
    path("<int:pk>/results.docx", views.survey_docx, name="docx"),
]

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("rounds/<int:pk>/", views.round_docs, name="round_docs"),
    path("rounds/<int:pk>/<str:kind>.docx", views.round_doc, name="round_doc"),
    path("templates/", views.templates_home, name="templates"),
    path("templates/upload/", views.template_upload, name="template_upload"),
    path("templates/<str:kind>/reset/", views.template_reset, name="template_reset"),
    path("templates/<str:kind>.docx", views.template_download, name="template_download"),
]
